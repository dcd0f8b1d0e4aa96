/**
 * The two databases of the extension origin. The background owns every write; the popup and the
 * options page may read with `useLiveQuery`. Content scripts run in the page's origin and can't
 * open them at all (they ask the background by message).
 *
 * - `paperlight-index`: the abstract index. Rebuildable: deleting it loses nothing of the user's.
 * - `paperlight-library`: the user's own data. Nothing in the index code paths writes to it.
 *
 * Schema changes: add a version below (never edit or delete an old one), put row changes in a
 * numbered pure function under lib/migrations/, and add a frozen fixture to tests/db.test.ts.
 */
import { Dexie, type EntityTable, type Table, type Transaction } from 'dexie';
import { BUCKET_SIZE } from './index-store';
import { bucketPapers } from './migrations/003-index-buckets';
import type { Interest } from './relevance/types';
import type { SyncJobRow, WantedRow } from './sync/types';
import type { Dismissal, IndexBucket, IndexPaper, SavedPaper, Tag } from './types';

export const INDEX_DB_NAME = 'paperlight-index';
export const LIBRARY_DB_NAME = 'paperlight-library';

/** A key/value row for cursors, persisted look-up structures and bookkeeping. */
export interface MetaRow {
  key: string;
  value: unknown;
}

/** Every released schema of the index database, oldest first. Frozen: append only. */
export const INDEX_SCHEMAS: readonly Readonly<Record<string, string | null>>[] = [
  { papers: 'id, titleKey, *aliases', meta: 'key' },
  // 2: sync jobs (cursor + status, written with each page of papers) and ids waiting for a look-up.
  { syncJobs: 'id', syncWanted: 'id, [route+attempts], addedAt' },
  // 3: papers in buckets of 512 by insertion order (lib/index-store.ts); `papers` moves into them.
  { papers: null, buckets: 'b' },
  // 4: the same buckets keyed out of line (`put(bucket, b)`). With an in-line key path Chrome
  // clones every written record back into JavaScript objects to read its key: 512 papers
  // deserialized per write, ~30% of an import's time in the page (scripts/bench.mjs).
  { buckets: null, paperBuckets: '' },
];

/** Papers read at a time by the index v3 upgrade: whole buckets, ~2.7 MB with 1.3 kB abstracts. */
export const INDEX_UPGRADE_BATCH = 4 * BUCKET_SIZE;

/** Row changes of index versions (by version number); the index is rebuildable, so they may rebuild. */
const INDEX_UPGRADES: Readonly<Record<number, (tx: Transaction) => Promise<void>>> = {
  3: async (tx) => {
    // Papers are read in id order (as one `toArray()` would give them) a few buckets at a time:
    // a 0.1.0 index of a million papers must not sit in the worker's memory at once.
    let count = 0;
    for (let last: string | undefined; ;) {
      const from =
        last === undefined
          ? tx.table('papers').toCollection()
          : tx.table('papers').where(':id').above(last);
      const papers = (await from.limit(INDEX_UPGRADE_BATCH).toArray()) as IndexPaper[];
      const tail = papers[papers.length - 1];
      if (!tail) break;
      // A batch starts on a bucket boundary, so its buckets are the whole list's, renumbered.
      const first = count / BUCKET_SIZE;
      const buckets = bucketPapers(papers, BUCKET_SIZE).map(({ b, papers: bucket }) => ({
        b: first + b,
        papers: bucket,
      }));
      await tx.table('buckets').bulkPut(buckets);
      count += papers.length;
      last = tail.id;
    }
    await tx.table('meta').bulkDelete(['lookup:core', 'lookup:fuzzy']);
    await tx.table('meta').put({
      key: 'stats',
      value: { count, revision: 1, lookupChangedAt: 1 },
    });
  },
  4: async (tx) => {
    // A few buckets per read: a million papers never sit in memory at once.
    for (let last = -1; ;) {
      const rows = (await tx
        .table('buckets')
        .where('b')
        .above(last)
        .limit(16)
        .toArray()) as IndexBucket[];
      const tail = rows[rows.length - 1];
      if (!tail) return;
      await tx.table('paperBuckets').bulkPut(
        rows,
        rows.map((row) => row.b),
      );
      last = tail.b;
    }
  },
};

/** Every released schema of the library database, oldest first. Frozen: append only. */
export const LIBRARY_SCHEMAS: readonly Readonly<Record<string, string>>[] = [
  { saved: 'id, savedAt, updatedAt, *tags, status', tags: 'name', dismissed: 'id, at' },
  // 2: interests the user states for relevance (lib/relevance/rules.ts queries).
  { interests: 'id, createdAt' },
];

export type IndexDatabase = Dexie & {
  /** Keyed by `b` out of line: write with `bulkPut(buckets, buckets.map((x) => x.b))`. */
  paperBuckets: Table<IndexBucket, number>;
  meta: EntityTable<MetaRow, 'key'>;
  syncJobs: EntityTable<SyncJobRow, 'id'>;
  syncWanted: EntityTable<WantedRow, 'id'>;
};

export type LibraryDatabase = Dexie & {
  saved: EntityTable<SavedPaper, 'id'>;
  tags: EntityTable<Tag, 'name'>;
  dismissed: EntityTable<Dismissal, 'id'>;
  interests: EntityTable<Interest, 'id'>;
};

function declare(
  db: Dexie,
  schemas: readonly Readonly<Record<string, string | null>>[],
  upgrades: Readonly<Record<number, (tx: Transaction) => Promise<void>>> = {},
): void {
  schemas.forEach((stores, index) => {
    const version = db.version(index + 1).stores(stores);
    const upgrade = upgrades[index + 1];
    if (upgrade) version.upgrade(upgrade);
  });
}

/** Opens (lazily) the index database. `name` is for tests, which use a fresh one each. */
export function openIndexDb(name = INDEX_DB_NAME): IndexDatabase {
  const db = new Dexie(name) as IndexDatabase;
  declare(db, INDEX_SCHEMAS, INDEX_UPGRADES);
  return db;
}

/** Opens (lazily) the library database. `name` is for tests, which use a fresh one each. */
export function openLibraryDb(name = LIBRARY_DB_NAME): LibraryDatabase {
  const db = new Dexie(name) as LibraryDatabase;
  declare(db, LIBRARY_SCHEMAS);
  return db;
}
