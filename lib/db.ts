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
import { Dexie, type EntityTable } from 'dexie';
import type { SyncJobRow, WantedRow } from './sync/types';
import type { Dismissal, IndexPaper, SavedPaper, Tag } from './types';

export const INDEX_DB_NAME = 'paperlight-index';
export const LIBRARY_DB_NAME = 'paperlight-library';

/** A key/value row for cursors, persisted look-up structures and bookkeeping. */
export interface MetaRow {
  key: string;
  value: unknown;
}

/** Every released schema of the index database, oldest first. Frozen: append only. */
export const INDEX_SCHEMAS: readonly Readonly<Record<string, string>>[] = [
  { papers: 'id, titleKey, *aliases', meta: 'key' },
  // 2: sync jobs (cursor + status, written with each page of papers) and ids waiting for a look-up.
  { syncJobs: 'id', syncWanted: 'id, [route+attempts], addedAt' },
];

/** Every released schema of the library database, oldest first. Frozen: append only. */
export const LIBRARY_SCHEMAS: readonly Readonly<Record<string, string>>[] = [
  { saved: 'id, savedAt, updatedAt, *tags, status', tags: 'name', dismissed: 'id, at' },
];

export type IndexDatabase = Dexie & {
  papers: EntityTable<IndexPaper, 'id'>;
  meta: EntityTable<MetaRow, 'key'>;
  syncJobs: EntityTable<SyncJobRow, 'id'>;
  syncWanted: EntityTable<WantedRow, 'id'>;
};

export type LibraryDatabase = Dexie & {
  saved: EntityTable<SavedPaper, 'id'>;
  tags: EntityTable<Tag, 'name'>;
  dismissed: EntityTable<Dismissal, 'id'>;
};

function declare(db: Dexie, schemas: readonly Readonly<Record<string, string>>[]): void {
  schemas.forEach((stores, index) => {
    db.version(index + 1).stores(stores);
  });
}

/** Opens (lazily) the index database. `name` is for tests, which use a fresh one each. */
export function openIndexDb(name = INDEX_DB_NAME): IndexDatabase {
  const db = new Dexie(name) as IndexDatabase;
  declare(db, INDEX_SCHEMAS);
  return db;
}

/** Opens (lazily) the library database. `name` is for tests, which use a fresh one each. */
export function openLibraryDb(name = LIBRARY_DB_NAME): LibraryDatabase {
  const db = new Dexie(name) as LibraryDatabase;
  declare(db, LIBRARY_SCHEMAS);
  return db;
}
