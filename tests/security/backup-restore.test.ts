/**
 * A backup file is untrusted input (shared libraries, files from elsewhere). Whatever it carries
 * that reaches CSS or links must be inert: tag colours are #rrggbb, never `url(…)` a page would fetch.
 */
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { openLibraryDb } from '../../lib/db';
import { BACKUP_FORMAT, parseBackup, restoreBackup } from '../../lib/library/backup';
import { createLedger } from '../durability/ledger';
import { hostileString } from '../fuzz/hostile';

const ledger = createLedger('security backup restore');
afterAll(() => ledger.save());

const HOSTILE_COLOURS = [
  'url(https://evil.example/beacon)',
  'url(//evil.example)',
  'red;background:url(x)',
  'var(--x)',
  'expression(alert(1))',
  '#12345g',
  '',
];

function backupText(colors: string[]): string {
  return JSON.stringify({
    format: BACKUP_FORMAT,
    version: 2,
    exportedAt: '2026-01-01T00:00:00Z',
    saved: [],
    tags: colors.map((color, index) => ({ name: `tag ${index}`, color, createdAt: index })),
    dismissed: [],
  });
}

let counter = 0;

describe('restoring a crafted backup', () => {
  it.each(['replace', 'merge'] as const)('stores only #rrggbb tag colours (%s)', async (mode) => {
    counter += 1;
    const db = openLibraryDb(`backup-security-${counter}`);
    const parsed = parseBackup(backupText(HOSTILE_COLOURS));
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    await restoreBackup(db, parsed.backup, mode);
    const tags = await db.tags.toArray();
    expect(tags).toHaveLength(HOSTILE_COLOURS.length);
    for (const tag of tags) expect(tag.color).toMatch(/^#[0-9a-f]{6}$/i);
    ledger.hostile('backup files', 1);
  });

  it('keeps valid colours exactly and never lets any colour string through unvalidated', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(hostileString(3), fc.constant('#a1B2c3')), { maxLength: 8 }), (colors) => {
        const parsed = parseBackup(backupText(colors));
        if (!parsed.ok) return;
        parsed.backup.tags.forEach((tag, index) => {
          expect(tag.color).toMatch(/^#[0-9a-f]{6}$/i);
          if (/^#[0-9a-f]{6}$/i.test(colors[index] ?? '')) expect(tag.color).toBe(colors[index]);
        });
      }),
      { numRuns: 200 },
    ); // prettier-ignore
    ledger.hostile('backup files', 200);
  });
});
