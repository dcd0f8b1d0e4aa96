import { afterEach, describe, expect, it } from 'vitest';
import { openLibraryDb, type LibraryDatabase } from './db';
import { savePaper, unsavePaper } from './library';
import { savedIdCache, type SavedIds } from './saved-ids';

const snapshot = { title: 'A paper', authors: ['A. Author'] };
let name = 0;
const opened: { db: LibraryDatabase; cache: SavedIds }[] = [];

function fresh(): { db: LibraryDatabase; cache: SavedIds } {
  name += 1;
  const db = openLibraryDb(`saved-ids-${name}-${Math.random()}`);
  const item = { db, cache: savedIdCache(db) };
  opened.push(item);
  return item;
}

afterEach(() => {
  for (const { db, cache } of opened.splice(0)) {
    cache.close();
    db.close();
  }
});

describe('savedIdCache', () => {
  it('answers which ids are saved', async () => {
    const { db, cache } = fresh();
    await savePaper(db, 'arxiv:2401.00001', snapshot, 1);
    await savePaper(db, 'arxiv:2401.00002', snapshot, 1);
    expect(await cache.among(['arxiv:2401.00001', 'arxiv:2401.00003'])).toEqual(
      new Set(['arxiv:2401.00001']),
    );
  });

  it('sees saves and unsaves made after it was filled, through any instance of the database', async () => {
    const { db, cache } = fresh();
    expect(await cache.among(['arxiv:2401.00001'])).toEqual(new Set());
    // Another connection to the same database (the background opens several).
    const other = openLibraryDb(db.name);
    try {
      await savePaper(other, 'arxiv:2401.00001', snapshot, 1);
      expect(await cache.among(['arxiv:2401.00001'])).toEqual(new Set(['arxiv:2401.00001']));
      await unsavePaper(other, 'arxiv:2401.00001');
      expect(await cache.among(['arxiv:2401.00001'])).toEqual(new Set());
      await db.saved.bulkPut([
        { ...(await savePaper(db, 'arxiv:2401.00002', snapshot, 1)) },
        { ...(await savePaper(db, 'arxiv:2401.00003', snapshot, 1)), id: 'arxiv:2401.00004' },
      ]);
      expect(
        await cache.among(['arxiv:2401.00002', 'arxiv:2401.00003', 'arxiv:2401.00004']),
      ).toEqual(new Set(['arxiv:2401.00002', 'arxiv:2401.00003', 'arxiv:2401.00004']));
      await db.saved.clear();
      expect(await cache.among(['arxiv:2401.00002'])).toEqual(new Set());
    } finally {
      other.close();
    }
  });

  it('does not keep a read that a write overtook', async () => {
    const { db, cache } = fresh();
    const before = cache.among(['arxiv:2401.00001']);
    await savePaper(db, 'arxiv:2401.00001', snapshot, 1);
    await before; // whatever it saw, it must not be kept as the current state
    expect(await cache.among(['arxiv:2401.00001'])).toEqual(new Set(['arxiv:2401.00001']));
  });

  it('ignores writes to other tables and other databases', async () => {
    const { db, cache } = fresh();
    const other = fresh();
    await savePaper(db, 'arxiv:2401.00001', snapshot, 1);
    expect(await cache.among(['arxiv:2401.00001'])).toEqual(new Set(['arxiv:2401.00001']));
    // A write elsewhere leaves the set cached: a direct write below Dexie would not be seen, so
    // seeing it proves the cache was not dropped.
    await other.db.tags.put({ name: 'x', color: '#000000', createdAt: 1 });
    await db.tags.put({ name: 'y', color: '#000000', createdAt: 1 });
    await new Promise<void>((resolve, reject) => {
      const tx = db.backendDB().transaction('saved', 'readwrite');
      tx.objectStore('saved').delete('arxiv:2401.00001');
      tx.oncomplete = () => resolve();
      tx.onerror = () => reject(new Error('raw delete failed'));
    });
    expect(await cache.among(['arxiv:2401.00001'])).toEqual(new Set(['arxiv:2401.00001']));
  });
});
