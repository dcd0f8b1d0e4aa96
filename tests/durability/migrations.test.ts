/**
 * The migration ladder beyond tests/db.test.ts: every index version's frozen fixture climbs to the
 * current schema; random libraries written by version 1 arrive intact; a database left at a
 * *newer* version (the user rolled back) still opens and keeps what it doesn't know; and released
 * migration code can't be edited without this test noticing.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Dexie } from 'dexie';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { INDEX_SCHEMAS, LIBRARY_SCHEMAS, openIndexDb, openLibraryDb } from '../../lib/db';
import { countPapers, getPapers } from '../../lib/index-store';
import { savePaper } from '../../lib/library';
import type { IndexPaper, SavedPaper } from '../../lib/types';
import { hostileString } from '../fuzz/hostile';
import { PROJECT_ROOT } from '../shared';
import { createLedger } from './ledger';

const ledger = createLedger('durability migrations');
afterAll(() => ledger.save());

let counter = 0;
const fresh = (what: string): string => `${what}-${(counter += 1)}`;

/** Opens a database with only the first `version` declarations, as that release did. */
async function writeAtVersion(
  name: string,
  schemas: readonly Readonly<Record<string, string | null>>[],
  version: number,
  tables: Record<string, unknown[]>,
): Promise<void> {
  const old = new Dexie(name);
  schemas.slice(0, version).forEach((stores, index) => old.version(index + 1).stores(stores));
  await old.open();
  for (const [table, rows] of Object.entries(tables)) {
    // Tables keyed out of line (index v4 buckets) take their keys beside the rows.
    const keyOf = OUT_OF_LINE_KEYS[table];
    if (keyOf) await old.table(table).bulkAdd(rows, rows.map(keyOf));
    else await old.table(table).bulkAdd(rows);
  }
  old.close();
}

const OUT_OF_LINE_KEYS: Record<string, (row: unknown) => number> = {
  paperBuckets: (row) => (row as { b: number }).b,
};

const PAPER_A: IndexPaper = {
  id: 'arxiv:2408.04000',
  title: 'Quantisation of type IIB superstring theory',
  titleKey: 'quantisationoftypeiibsuperstringtheory',
  authors: ['Y. Asano'],
  abstract: 'We discuss.',
  sources: ['import'],
  aliases: ['doi:10.48550/arxiv.2408.04000'],
};
const PAPER_B: IndexPaper = {
  id: 'doi:10.1145/1.2',
  title: 'A <b>bold</b> $\\alpha$ title',
  titleKey: 'abboldbalphatitle',
  authors: [],
  sources: ['arxiv-api', 'page'],
};
const JOB = {
  id: 'arxiv-rss:cs.LG',
  spec: { kind: 'arxiv-rss', categories: ['cs.LG'] },
  state: 'idle',
  cursor: { page: 3 },
  nextRunAt: 10,
  totalAdded: 7,
};
const WANTED = { id: 'arxiv:2501.00001', route: 'arxiv', addedAt: 5, attempts: 1 };

/** Frozen rows as each index version wrote them (v3 stores papers without their title keys). */
const INDEX_LADDER: Record<number, { tables: Record<string, unknown[]>; papers: IndexPaper[] }> = {
  1: { tables: { papers: [PAPER_A, PAPER_B] }, papers: [PAPER_A, PAPER_B] },
  2: {
    tables: { papers: [PAPER_A, PAPER_B], syncJobs: [JOB], syncWanted: [WANTED] },
    papers: [PAPER_A, PAPER_B],
  },
  3: {
    tables: {
      buckets: [
        {
          b: 0,
          papers: [PAPER_A, PAPER_B].map(({ titleKey: _key, ...stored }) => stored),
        },
      ],
      meta: [{ key: 'stats', value: { count: 2, revision: 1, lookupChangedAt: 1 } }],
      syncJobs: [JOB],
      syncWanted: [WANTED],
    },
    papers: [PAPER_A, PAPER_B],
  },
  4: {
    tables: {
      paperBuckets: [
        {
          b: 0,
          papers: [PAPER_A, PAPER_B].map(({ titleKey: _key, ...stored }) => stored),
        },
      ],
      meta: [{ key: 'stats', value: { count: 2, revision: 1, lookupChangedAt: 1 } }],
      syncJobs: [JOB],
      syncWanted: [WANTED],
    },
    papers: [PAPER_A, PAPER_B],
  },
};

describe('index migration ladder', () => {
  it('has a frozen fixture for every index version', () => {
    expect(Object.keys(INDEX_LADDER).map(Number)).toEqual(
      INDEX_SCHEMAS.map((_, index) => index + 1),
    );
  });

  for (const [version, fixture] of Object.entries(INDEX_LADDER)) {
    it(`an index written by version ${version} opens with the current code, every paper and job intact`, async () => {
      const name = fresh(`ladder-index-${version}`);
      await writeAtVersion(name, INDEX_SCHEMAS, Number(version), fixture.tables);
      const current = openIndexDb(name);
      const papers = await getPapers(
        current,
        fixture.papers.map((paper) => paper.id),
      );
      let intact = 0;
      for (const paper of fixture.papers) {
        expect(papers.get(paper.id)).toEqual(paper);
        intact += 1;
      }
      expect(await countPapers(current)).toBe(fixture.papers.length);
      if (Number(version) >= 2) {
        expect(await current.syncJobs.toArray()).toEqual([JOB]);
        expect(await current.syncWanted.toArray()).toEqual([WANTED]);
        intact += 2;
      }
      current.close();
      const rows = Object.values(fixture.tables).reduce((sum, table) => sum + table.length, 0);
      ledger.migration({ database: 'index', fromVersion: Number(version), toVersion: INDEX_SCHEMAS.length, rows, rowsIntact: intact }); // prettier-ignore
    });
  }
});

const savedPaper: fc.Arbitrary<SavedPaper> = fc.record({
  id: fc.oneof(
    fc.integer({ min: 1, max: 99999 }).map((n) => `arxiv:2401.${String(n).padStart(5, '0')}`),
    hostileString(3).map((s) => `doi:10.1/${s}`),
  ),
  snapshot: fc.record(
    {
      title: hostileString(8),
      authors: fc.array(hostileString(3), { maxLength: 4 }),
      abstract: hostileString(20),
      categories: fc.array(fc.constantFrom('cs.LG', 'hep-th'), { maxLength: 2 }),
      links: fc.record({ abs: fc.webUrl() }, { requiredKeys: [] }),
    },
    { requiredKeys: ['title', 'authors'] },
  ),
  savedAt: fc.nat(),
  updatedAt: fc.nat(),
  tags: fc.uniqueArray(hostileString(2), { maxLength: 5 }),
  note: hostileString(20),
  status: fc.constantFrom('to-read', 'reading', 'read'),
});

describe('library migration ladder, property-based', () => {
  it('random libraries written by every library version open with the current code, byte for byte', async () => {
    let libraries = 0;
    let rows = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.uniqueArray(savedPaper, { selector: (paper) => paper.id, maxLength: 12 }),
        fc.integer({ min: 1, max: LIBRARY_SCHEMAS.length }),
        async (saved, version) => {
          const name = fresh('ladder-library');
          const tags = [...new Set(saved.flatMap((paper) => paper.tags))].map((tag, index) => ({ name: tag, color: '#123456', createdAt: index })); // prettier-ignore
          const dismissed = saved
            .slice(0, 2)
            .map((paper, index) => ({ id: `${paper.id}x`, at: index }));
          await writeAtVersion(name, LIBRARY_SCHEMAS, version, { saved, tags, dismissed });
          const current = openLibraryDb(name);
          const byId = (a: { id: string }, b: { id: string }): number =>
            a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
          expect(await current.saved.toArray()).toEqual([...saved].sort(byId));
          expect((await current.tags.toArray()).length).toBe(tags.length);
          expect(await current.dismissed.toArray()).toEqual([...dismissed].sort(byId));
          current.close();
          libraries += 1;
          rows += saved.length + tags.length + dismissed.length;
        },
      ),
      { numRuns: 25 },
    );
    ledger.migration({ database: 'library (random, fast-check)', fromVersion: 1, toVersion: LIBRARY_SCHEMAS.length, rows, rowsIntact: rows }); // prettier-ignore
    ledger.figure('random libraries migrated', libraries);
  });
});

describe('rolled back to an older build', () => {
  it('a library left at a newer version opens, reads, and keeps fields this build does not know', async () => {
    const name = fresh('rollback-library');
    const future = [...LIBRARY_SCHEMAS, { saved: 'id, savedAt, updatedAt, *tags, status, rating', futureTable: 'id' }]; // prettier-ignore
    const row = { id: 'arxiv:2408.04000', snapshot: { title: 'T', authors: [] }, savedAt: 1, updatedAt: 1, tags: ['x'], note: 'n', status: 'read', rating: 5 }; // prettier-ignore
    await writeAtVersion(name, future, future.length, { saved: [row], futureTable: [{ id: 'k' }] });
    const current = openLibraryDb(name);
    expect(await current.saved.get(row.id)).toEqual(row);
    await savePaper(current, row.id, { title: 'T, refreshed', authors: ['A'] }, 2);
    expect(await current.saved.get(row.id)).toMatchObject({
      rating: 5,
      tags: ['x'],
      note: 'n',
      status: 'read',
    });
    current.close();
    ledger.migration({ database: 'library (newer version, rolled back)', fromVersion: future.length, toVersion: LIBRARY_SCHEMAS.length, rows: 2, rowsIntact: 2 }); // prettier-ignore
  });

  it('a second connection upgrading the database does not lose the first one’s later writes', async () => {
    const name = fresh('versionchange-library');
    const first = new Dexie(name);
    first.version(1).stores(LIBRARY_SCHEMAS[0]!);
    await first.open();
    await first.table('saved').add({ id: 'arxiv:1', snapshot: { title: 't', authors: [] }, savedAt: 1, updatedAt: 1, tags: [], note: '', status: 'to-read' }); // prettier-ignore
    const current = openLibraryDb(name);
    await current.open();
    // Dexie closed `first` on versionchange; it reopens at its own version only if the schema allows.
    expect(await current.saved.count()).toBe(1);
    await current.saved.update('arxiv:1', { note: 'kept' });
    expect((await current.saved.get('arxiv:1'))?.note).toBe('kept');
    first.close();
    current.close();
  });
});

/**
 * Released migration code, by content hash. A change here means users who already ran the old
 * code and users who run the new one end up with different data: add a new migration instead.
 */
const RELEASED_MIGRATIONS: Record<string, string> = {
  '003-index-buckets.ts': 'ca10fed7dda2626f',
};

describe('migration ledger', () => {
  it('released migration files are never edited, and every migration file is in the ledger', () => {
    const dir = join(PROJECT_ROOT, 'lib', 'migrations');
    const files = readdirSync(dir).filter(
      (file) => /^\d{3}-.*\.ts$/.test(file) && !file.endsWith('.test.ts'),
    );
    const hashes = Object.fromEntries(files.map((file) => [file, createHash('sha256').update(readFileSync(join(dir, file), 'utf8').replace(/\s+/g, ' ')).digest('hex').slice(0, 16)])); // prettier-ignore
    expect(hashes).toEqual(RELEASED_MIGRATIONS);
    ledger.figure('migration files under hash', files.length);
  });
});
