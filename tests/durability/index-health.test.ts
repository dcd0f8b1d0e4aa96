/**
 * The index database damaged or deleted: the extension keeps working, the library is untouched,
 * and an event says what happened (shown by the options page).
 */
import { Dexie } from 'dexie';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { openIndexDb, openLibraryDb } from '../../lib/db';
import { memoryHealthLog, openIndexSafely, storageHealthLog } from '../../lib/index-health';
import { countPapers, getPaper, upsertPapers } from '../../lib/index-store';
import type { IndexPaper, SavedPaper } from '../../lib/types';
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
    expect(await openIndexSafely(db, log, () => 42)).toBe('recreated');
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

function memoryArea(): Parameters<typeof storageHealthLog>[0] {
  const data = new Map<string, unknown>();
  return {
    get: async (key) => (data.has(key) ? { [key]: data.get(key) } : {}),
    set: async (items) => Object.entries(items).forEach(([key, value]) => data.set(key, value)),
  };
}
