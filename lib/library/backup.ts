/**
 * Full JSON backup of the library (papers, tags, notes, status, dismissals, settings) and restore.
 * A backup is validated completely before anything is written; "replace" restores in one
 * transaction, so a failed restore leaves the library as it was. Unknown fields on rows are kept,
 * so a backup → wipe → restore round trip gives back exactly the same rows.
 *
 * Versions: 1 = rows only; 2 = adds `settings`; 3 = adds `interests` (the keywords, authors and
 * categories the user stated for relevance). Older versions are migrated on read; restoring one
 * leaves the stored interests as they are, since it says nothing about them.
 */
import { z } from 'zod';
import type { LibraryDatabase } from '../db';
import { parseSettings, type Settings } from '../settings';
import { parseRule } from '../relevance/rules';
import type { Interest } from '../relevance/types';
import type { Dismissal, SavedPaper, Tag } from '../types';
import { defaultTagColor, isTagColor } from './tags';

export const BACKUP_FORMAT = 'paperlight-library';
export const BACKUP_VERSION = 3;
export const MAX_BACKUP_CHARS = 512 * 1024 * 1024;

const text = z.string();
const linksSchema = z.looseObject({
  abs: text.optional(),
  pdf: text.optional(),
  html: text.optional(),
  code: text.optional(),
  hf: text.optional(),
});
const snapshotSchema = z.looseObject({
  title: text,
  authors: z.array(text),
  abstract: text.optional(),
  published: text.optional(),
  categories: z.array(text).optional(),
  venue: text.optional(),
  links: linksSchema.optional(),
  aliases: z.array(text).optional(),
});
const savedSchema = z.looseObject({
  id: z.string().min(3),
  snapshot: snapshotSchema,
  savedAt: z.number(),
  updatedAt: z.number(),
  tags: z.array(text),
  note: text,
  status: z.enum(['to-read', 'reading', 'read']),
  citationKey: text.optional(),
});
// A colour ends up in CSS (`background: var(--tag)`): `url(https://…)` from a crafted backup would
// make every popup opening fetch that URL, so anything but #rrggbb gets the tag's default colour.
const tagSchema = z
  .looseObject({ name: z.string().min(1), color: text, createdAt: z.number() })
  .transform((tag) => (isTagColor(tag.color) ? tag : { ...tag, color: defaultTagColor(tag.name) }));
const dismissalSchema = z.looseObject({ id: z.string().min(3), at: z.number() });

const backupV1 = z.object({
  format: z.literal(BACKUP_FORMAT),
  version: z.literal(1),
  exportedAt: text,
  saved: z.array(savedSchema),
  tags: z.array(tagSchema),
  dismissed: z.array(dismissalSchema),
});
const backupV2 = backupV1.extend({ version: z.literal(2), settings: z.unknown().optional() });
const interestSchema = z
  .looseObject({
    id: z.string().min(1).max(200),
    query: z.string().min(1).max(1000),
    tag: z.string().min(1).max(200).optional(),
    createdAt: z.number(),
  })
  // The same check as the options page: a rule that does not parse would never match anything.
  .refine((interest) => parseRule(interest.query).ok, { message: 'not a valid interest rule' });
const backupV3 = backupV2.extend({ version: z.literal(3), interests: z.array(interestSchema) });

export interface LibraryBackup {
  format: typeof BACKUP_FORMAT;
  version: typeof BACKUP_VERSION;
  exportedAt: string;
  saved: SavedPaper[];
  tags: Tag[];
  dismissed: Dismissal[];
  settings?: Settings;
  /** Absent when read from a backup older than version 3. */
  interests?: Interest[];
}

/** Reads the whole library in one read transaction (a consistent snapshot). */
export async function createBackup(
  db: LibraryDatabase,
  settings?: Settings,
  now = new Date(),
): Promise<LibraryBackup> {
  const [saved, tags, dismissed, interests] = await db.transaction(
    'r',
    [db.saved, db.tags, db.dismissed, db.interests],
    () =>
      Promise.all([
        db.saved.toArray(),
        db.tags.toArray(),
        db.dismissed.toArray(),
        db.interests.orderBy('createdAt').toArray(),
      ]),
  );
  const backup: LibraryBackup = {
    format: BACKUP_FORMAT,
    version: BACKUP_VERSION,
    exportedAt: now.toISOString(),
    saved,
    tags,
    dismissed,
    interests,
  };
  if (settings) backup.settings = settings;
  return backup;
}

export function backupToText(backup: LibraryBackup): string {
  return JSON.stringify(backup);
}

export type ParsedBackup = { ok: true; backup: LibraryBackup } | { ok: false; error: string };

/** Validates a backup file of any known version and migrates it to the current one. */
export function parseBackup(input: string): ParsedBackup {
  if (input.length > MAX_BACKUP_CHARS)
    return { ok: false, error: 'The file is larger than 512 MB.' };
  let data: unknown;
  try {
    data = JSON.parse(input.replace(/^\uFEFF/, ''));
  } catch (error) {
    return { ok: false, error: `Not valid JSON: ${(error as Error).message}` };
  }
  const header = z
    .object({ format: z.literal(BACKUP_FORMAT), version: z.number() })
    .safeParse(data);
  if (!header.success) {
    return {
      ok: false,
      error: 'Not a Paperlight library backup (use "Import into library" for other files).',
    };
  }
  if (header.data.version > BACKUP_VERSION) {
    return {
      ok: false,
      error: `This backup is from a newer Paperlight (version ${header.data.version}); update Paperlight first.`,
    };
  }
  const parsed =
    header.data.version === 1
      ? backupV1.safeParse(data)
      : header.data.version === 2
        ? backupV2.safeParse(data)
        : backupV3.safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return {
      ok: false,
      error: `The backup is damaged at ${issue?.path.join('.') || 'the top level'}: ${issue?.message ?? 'invalid'}. Nothing was restored.`,
    };
  }
  const rows = parsed.data;
  const backup: LibraryBackup = {
    format: BACKUP_FORMAT,
    version: BACKUP_VERSION,
    exportedAt: rows.exportedAt,
    saved: rows.saved,
    tags: rows.tags,
    dismissed: rows.dismissed,
  };
  if ('settings' in rows && rows.settings !== undefined)
    backup.settings = parseSettings(rows.settings);
  // The rows as they were written, not zod's copies (which list known keys first): a restore gives
  // back the same rows byte for byte.
  if ('interests' in rows) backup.interests = (data as { interests: Interest[] }).interests;
  return { ok: true, backup };
}

export interface RestoreCounts {
  saved: number;
  tags: number;
  dismissed: number;
  /** Interests written (0 for a backup older than version 3, which leaves them alone). */
  interests: number;
}

/**
 * `replace`: the library becomes exactly the backup. `merge`: backup rows are added; a paper in both
 * keeps the newer edit and the union of tags.
 */
export async function restoreBackup(
  db: LibraryDatabase,
  backup: LibraryBackup,
  mode: 'replace' | 'merge',
): Promise<RestoreCounts> {
  return db.transaction('rw', [db.saved, db.tags, db.dismissed, db.interests], async () => {
    const interests = backup.interests;
    if (mode === 'replace') {
      await Promise.all([db.saved.clear(), db.tags.clear(), db.dismissed.clear()]);
      await db.saved.bulkPut(backup.saved);
      await db.tags.bulkPut(backup.tags);
      await db.dismissed.bulkPut(backup.dismissed);
      if (interests) {
        await db.interests.clear();
        await db.interests.bulkPut(interests);
      }
      return {
        saved: backup.saved.length,
        tags: backup.tags.length,
        dismissed: backup.dismissed.length,
        interests: interests?.length ?? 0,
      };
    }
    const existing = await db.saved.bulkGet(backup.saved.map((paper) => paper.id));
    const merged = backup.saved.map((incoming, index) => {
      const current = existing[index];
      if (!current) return incoming;
      const newer = incoming.updatedAt > current.updatedAt ? incoming : current;
      return {
        ...newer,
        savedAt: Math.min(current.savedAt, incoming.savedAt),
        tags: [...new Set([...current.tags, ...incoming.tags])],
      };
    });
    await db.saved.bulkPut(merged);
    const knownTags = new Set((await db.tags.toArray()).map((tag) => tag.name.toLowerCase()));
    const newTags = backup.tags.filter((tag) => !knownTags.has(tag.name.toLowerCase()));
    await db.tags.bulkPut(newTags);
    const dismissedBefore = await db.dismissed.bulkGet(backup.dismissed.map((row) => row.id));
    const newDismissed = backup.dismissed.filter((_, index) => !dismissedBefore[index]);
    await db.dismissed.bulkPut(newDismissed);
    // An interest counts as known when the same rule (and tag) is already stated, whatever its id.
    const interestKey = (interest: Interest): string =>
      `${interest.query.trim()}\u0000${interest.tag ?? ''}`;
    const current = await db.interests.toArray();
    const knownInterests = new Set(current.map(interestKey));
    const knownIds = new Set(current.map((interest) => interest.id));
    const newInterests = (interests ?? []).filter(
      (interest) => !knownInterests.has(interestKey(interest)) && !knownIds.has(interest.id),
    );
    await db.interests.bulkPut(newInterests);
    return {
      saved: merged.length,
      tags: newTags.length,
      dismissed: newDismissed.length,
      interests: newInterests.length,
    };
  });
}
