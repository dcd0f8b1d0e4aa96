/**
 * The index database damaged or deleted: the extension keeps working, the library is untouched,
 * and an event says what happened (shown by the options page).
 */
import { Dexie } from 'dexie';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { INDEX_SCHEMAS, openIndexDb, openLibraryDb } from '../../lib/db';
import {
  KEEP_ALIVE_MS,
  MAX_UPGRADE_ATTEMPTS,
  memoryHealthLog,
  openIndexSafely,
  storageHealthLog,
} from '../../lib/index-health';
import { countPapers, getPaper, upsertPapers } from '../../lib/index-store';
import type { IndexPaper, SavedPaper } from '../../lib/types';
import { watchQueries } from '../table-reads';
import { createLedger } from './ledger';

const ledger = createLedger('durability index health');
afterAll(() => ledger.save());

const PAPER: IndexPaper = { id: 'arxiv:2401.00001', title: 'A paper', titleKey: 'apaper', authors: [], sources: ['import'] }; // prettier-ignore
const SAVED: SavedPaper = { id: 'arxiv:2408.04000', snapshot: { title: 'Mine', authors: [] }, savedAt: 1, updatedAt: 1, tags: ['t'], note: 'n', status: 'read' }; // prettier-ignore

let counter = 0;
const names = (): { index: string; library: string } => {
  counter += 1;
  return { index: `health-index-${counter}`, library: `health-library-${counter}` };
};

const factory = Dexie.dependencies.indexedDB;
const realOpen = factory.open.bind(factory);
const realDelete = factory.deleteDatabase.bind(factory);
afterEach(() => {
  factory.open = realOpen;
  factory.deleteDatabase = realDelete;
});

/** Counts deletions of `name` from here on. */
function countDeletes(name: string): { readonly count: number } {
  const deletes = { count: 0 };
  factory.deleteDatabase = (dbName: string) => {
    if (dbName === name) deletes.count += 1;
    return realDelete(dbName);
  };
  return deletes;
}

/**
 * Makes opening `name` fail the way Chrome does with a damaged backing store, until the database
 * is deleted (or forever, with `survivesDelete`).
 */
function damage(name: string, { survivesDelete = false } = {}): void {
  let damaged = true;
  factory.deleteDatabase = (dbName: string) => {
    if (dbName === name && !survivesDelete) damaged = false;
    return realDelete(dbName);
  };
  factory.open = (dbName: string, version?: number) => {
    if (dbName !== name || !damaged) return realOpen(dbName, version);
    const request = {} as IDBOpenDBRequest & { onerror?: (event: unknown) => void };
    setTimeout(() => {
      Object.defineProperty(request, 'error', {
        value: new DOMException('Internal error opening backing store', 'UnknownError'),
      });
      request.onerror?.({ target: request, preventDefault() {}, stopPropagation() {} });
    });
    return request;
  };
}

async function libraryWithPaper(name: string): Promise<ReturnType<typeof openLibraryDb>> {
  const library = openLibraryDb(name);
  await library.saved.put(SAVED);
  return library;
}

describe('a damaged index database', () => {
  it('that will not open is recreated empty, works again, and says so; the library is untouched', async () => {
    const { index, library: libraryName } = names();
    const library = await libraryWithPaper(libraryName);
    await upsertPapers(openIndexDb(index), [PAPER]);
    damage(index);
    const db = openIndexDb(index);
    const log = memoryHealthLog();
    expect(await openIndexSafely(db, log, { now: () => 42 })).toBe('recreated');
    expect(await countPapers(db)).toBe(0);
    await upsertPapers(db, [PAPER]);
    expect(await getPaper(db, PAPER.id)).toEqual(PAPER);
    expect(await library.saved.toArray()).toEqual([SAVED]);
    const [event] = await log.list();
    expect(event).toMatchObject({ kind: 'index-recreated', at: 42 });
    expect(event?.message).toMatch(/library is not affected/);
    expect(event?.detail).toMatch(/UnknownError/);
    ledger.fault({ fault: 'index database fails to open (UnknownError, damaged backing store)', outcome: 'recreated empty, usable, event shown in options', dataLost: 0 }); // prettier-ignore
  });

  it('that cannot be recreated either is reported, and nothing throws', async () => {
    const { index, library: libraryName } = names();
    const library = await libraryWithPaper(libraryName);
    damage(index, { survivesDelete: true });
    const log = storageHealthLog(memoryArea());
    expect(await openIndexSafely(openIndexDb(index), log)).toBe('failed');
    expect((await log.list())[0]?.message).toMatch(/cannot be opened/);
    expect(await library.saved.toArray()).toEqual([SAVED]);
    ledger.fault({ fault: 'index database permanently unopenable', outcome: 'reported in options; library works', dataLost: 0 }); // prettier-ignore
  });

  it('deleted from outside while running is recorded, and the next use finds it empty but working', async () => {
    const { index, library: libraryName } = names();
    const library = await libraryWithPaper(libraryName);
    const db = openIndexDb(index);
    const log = memoryHealthLog();
    expect(await openIndexSafely(db, log)).toBe('opened');
    await upsertPapers(db, [PAPER]);
    await new Promise<void>((resolve, reject) => {
      const request = indexedDB.deleteDatabase(index);
      request.onsuccess = () => resolve();
      request.onerror = () => reject(request.error ?? new Error('delete failed'));
    });
    await expect.poll(async () => (await log.list()).map((event) => event.kind)).toEqual(['index-deleted']); // prettier-ignore
    expect(await countPapers(db)).toBe(0);
    await upsertPapers(db, [PAPER]);
    expect(await countPapers(db)).toBe(1);
    expect(await library.saved.toArray()).toEqual([SAVED]);
    ledger.fault({ fault: 'index database deleted while the background runs', outcome: 'recorded, index recreated on next use', dataLost: 0 }); // prettier-ignore
  });

  it('whose object stores are missing (a mangled schema) still opens and works', async () => {
    const { index } = names();
    await new Promise<void>((resolve) => {
      const request = indexedDB.open(index, 30);
      request.onupgradeneeded = () => request.result.createObjectStore('junk');
      request.onsuccess = () => {
        request.result.close();
        resolve();
      };
    });
    const db = openIndexDb(index);
    expect(await openIndexSafely(db, memoryHealthLog())).not.toBe('failed');
    await upsertPapers(db, [PAPER]);
    expect(await getPaper(db, PAPER.id)).toEqual(PAPER);
    ledger.fault({ fault: 'index database with missing object stores', outcome: 'repaired on open, usable', dataLost: 0 }); // prettier-ignore
  });

  it('the health log keeps the last ten events and ignores junk in storage', async () => {
    const area = memoryArea();
    await area.set({ 'health:events': [{ kind: 'index-deleted', at: 1, message: 'ok' }, { kind: '<script>', at: 'x' }, null] }); // prettier-ignore
    const log = storageHealthLog(area);
    expect(await log.list()).toHaveLength(1);
    for (let n = 0; n < 15; n += 1)
      await log.record({ kind: 'index-deleted', at: n, message: 'm' });
    expect((await log.list()).map((event) => event.at)).toEqual([
      5, 6, 7, 8, 9, 10, 11, 12, 13, 14,
    ]);
  });
});

describe('an index that cannot be upgraded as it is', () => {
  /** An index as the released build 0.1.0 left it (schema v1, one record per paper). */
  async function releasedIndex(name: string, count = 3): Promise<void> {
    const old = new Dexie(name);
    old.version(1).stores(INDEX_SCHEMAS[0]!);
    await old.open();
    await old.table('papers').bulkAdd(
      Array.from({ length: count }, (_, n) => ({ ...PAPER, id: `arxiv:2401.${String(n).padStart(5, '0')}` })), // prettier-ignore
    );
    old.close();
  }

  it('upgrades a 0.1.0 index in place, says nothing, and forgets the attempt', async () => {
    const { index } = names();
    await releasedIndex(index);
    const log = memoryHealthLog();
    const db = openIndexDb(index);
    let attemptsDuringUpgrade: number | undefined;
    watchQueries(db, 'papers', {
      after() {
        void log.pendingUpgrade().then((pending) => (attemptsDuringUpgrade = pending?.attempts));
      },
    });
    expect(await openIndexSafely(db, log)).toBe('opened');
    expect(await countPapers(db)).toBe(3);
    expect(attemptsDuringUpgrade).toBe(1);
    expect(await log.pendingUpgrade()).toBeUndefined();
    expect(await log.list()).toEqual([]);
  });

  it('keeps the worker alive while the upgrade runs, and stops once the index is open', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    try {
      const { index } = names();
      await releasedIndex(index);
      const db = openIndexDb(index);
      let finish = (): void => undefined;
      const upgraded = new Dexie.Promise<void>((resolve) => (finish = resolve));
      const realOpen = db.open.bind(db);
      const open = vi.spyOn(db, 'open').mockImplementationOnce(() => upgraded.then(realOpen));
      const keepAlive = vi.fn(() => Promise.resolve({}));
      const opened = openIndexSafely(db, memoryHealthLog(), { keepAlive });
      await expect.poll(() => open.mock.calls.length).toBe(1);
      vi.advanceTimersByTime(2.5 * KEEP_ALIVE_MS);
      expect(keepAlive).toHaveBeenCalledTimes(2);
      finish();
      expect(await opened).toBe('opened');
      vi.advanceTimersByTime(10 * KEEP_ALIVE_MS);
      expect(keepAlive).toHaveBeenCalledTimes(2);
    } finally {
      vi.useRealTimers();
    }
  });

  it('upgrades even when the attempt count cannot be read or written', async () => {
    const { index } = names();
    await releasedIndex(index);
    const broken = new Error('storage unavailable');
    const log = {
      ...memoryHealthLog(),
      pendingUpgrade: () => Promise.reject(broken),
      setPendingUpgrade: () => Promise.reject(broken),
    };
    const db = openIndexDb(index);
    expect(await openIndexSafely(db, log)).toBe('opened');
    expect(await countPapers(db)).toBe(3);
  });

  it('whose upgrade throws is deleted once and opened fresh, says so, and the library is untouched', async () => {
    const { index, library: libraryName } = names();
    const library = await libraryWithPaper(libraryName);
    await releasedIndex(index);
    const deletes = countDeletes(index);
    const log = memoryHealthLog();
    const db = openIndexDb(index);
    watchQueries(db, 'papers', { before: () => new Error('simulated upgrade failure') });
    expect(await openIndexSafely(db, log, { now: () => 7 })).toBe('recreated');
    expect(deletes.count).toBe(1);
    expect(db.backendDB().version).toBe(INDEX_SCHEMAS.length * 10);
    expect(await countPapers(db)).toBe(0);
    await upsertPapers(db, [PAPER]);
    expect(await getPaper(db, PAPER.id)).toEqual(PAPER);
    const [event] = await log.list();
    expect(event).toMatchObject({ kind: 'index-recreated', at: 7 });
    expect(event?.message).toMatch(/could not be updated.*rebuilt empty.*library is not affected/);
    expect(event?.detail).toMatch(/simulated upgrade failure/);
    expect(await log.pendingUpgrade()).toBeUndefined();
    expect(await library.saved.toArray()).toEqual([SAVED]);
    // The next start opens it as it is: no second deletion, nothing more to say.
    db.close();
    expect(await openIndexSafely(openIndexDb(index), log)).toBe('opened');
    expect(deletes.count).toBe(1);
    expect(await log.list()).toHaveLength(1);
    ledger.fault({ fault: 'index upgrade throws (0.1.0 index → current)', outcome: 'deleted once, recreated empty, event shown; next start opens normally', dataLost: 0 }); // prettier-ignore
  });

  it('whose upgrade never finishes (the worker is stopped under it) is rebuilt on the next start instead of tried again', async () => {
    const { index, library: libraryName } = names();
    const library = await libraryWithPaper(libraryName);
    await releasedIndex(index);
    const log = storageHealthLog(memoryArea());
    // Starts whose upgrade the browser stops: the open never settles and nothing after it runs.
    for (let start = 1; start <= MAX_UPGRADE_ATTEMPTS; start += 1) {
      const stopped = openIndexDb(index);
      vi.spyOn(stopped, 'open').mockReturnValue(new Dexie.Promise<Dexie>(() => undefined));
      void openIndexSafely(stopped, log);
      await expect.poll(async () => (await log.pendingUpgrade())?.attempts).toBe(start);
    }
    const deletes = countDeletes(index);
    const db = openIndexDb(index);
    let upgradeReads = 0;
    watchQueries(db, 'papers', { after: () => (upgradeReads += 1) });
    expect(await openIndexSafely(db, log)).toBe('recreated');
    expect(upgradeReads).toBe(0);
    expect(deletes.count).toBe(1);
    expect(await countPapers(db)).toBe(0);
    expect((await log.list())[0]?.message).toMatch(/did not finish in 2 tries.*rebuilt empty/);
    expect(await log.pendingUpgrade()).toBeUndefined();
    expect(await library.saved.toArray()).toEqual([SAVED]);
    db.close();
    expect(await openIndexSafely(openIndexDb(index), log)).toBe('opened');
    expect(deletes.count).toBe(1);
    ledger.fault({ fault: 'index upgrade stopped with the worker on every start', outcome: `rebuilt empty on start ${MAX_UPGRADE_ATTEMPTS + 1}, event shown; no endless retries`, dataLost: 0 }); // prettier-ignore
  });

  it('whose upgrade never finishes is rebuilt even when a first use has already begun it again', async () => {
    const { index } = names();
    await releasedIndex(index, 5_000);
    const log = memoryHealthLog();
    await log.setPendingUpgrade({ from: 1, to: INDEX_SCHEMAS.length, attempts: MAX_UPGRADE_ATTEMPTS }); // prettier-ignore
    const deletes = countDeletes(index);
    const db = openIndexDb(index);
    const early = db.meta.count();
    expect(await openIndexSafely(db, log)).toBe('recreated');
    await early.catch(() => undefined);
    expect(deletes.count).toBe(1);
    expect(db.backendDB().version).toBe(INDEX_SCHEMAS.length * 10);
    expect(await countPapers(db)).toBe(0);
    await upsertPapers(db, [PAPER]);
    expect(await getPaper(db, PAPER.id)).toEqual(PAPER);
  });

  for (const firstUse of [false, true]) {
    it(`written by a newer build (downgrade${firstUse ? ', opened first by a use of it' : ''}) is deleted once and opened fresh at our version`, async () => {
      const { index, library: libraryName } = names();
      const library = await libraryWithPaper(libraryName);
      const future = new Dexie(index);
      [...INDEX_SCHEMAS, { paperBuckets: null, rows: 'id', meta: 'key' }].forEach((stores, n) => future.version(n + 1).stores(stores)); // prettier-ignore
      await future.open();
      await future.table('rows').add({ id: 'x', format: 'unknown to this build' });
      await future.table('meta').put({ key: 'stats', value: { count: 1, revision: 9, lookupChangedAt: 9 } }); // prettier-ignore
      future.close();
      const deletes = countDeletes(index);
      const log = memoryHealthLog();
      const db = openIndexDb(index);
      // The background's sync and messages may use the index before it is opened explicitly.
      const early = firstUse ? db.meta.count() : undefined;
      expect(await openIndexSafely(db, log)).toBe('recreated');
      if (early) await early.catch(() => undefined);
      expect(deletes.count).toBe(1);
      expect(db.backendDB().version).toBe(INDEX_SCHEMAS.length * 10);
      expect(db.backendDB().objectStoreNames.contains('rows')).toBe(false);
      expect(await countPapers(db)).toBe(0);
      await upsertPapers(db, [PAPER]);
      expect(await getPaper(db, PAPER.id)).toEqual(PAPER);
      expect((await log.list())[0]?.message).toMatch(/newer version of Paperlight.*rebuilt empty/);
      expect(await library.saved.toArray()).toEqual([SAVED]);
      ledger.fault({ fault: `index written by a newer build (rolled back${firstUse ? '; first opened by a use' : ''})`, outcome: 'deleted once, recreated at this version, event shown', dataLost: 0 }); // prettier-ignore
    });
  }
});

function memoryArea(): Parameters<typeof storageHealthLog>[0] {
  const data = new Map<string, unknown>();
  return {
    get: async (key) => (data.has(key) ? { [key]: data.get(key) } : {}),
    set: async (items) => Object.entries(items).forEach(([key, value]) => data.set(key, value)),
  };
}
