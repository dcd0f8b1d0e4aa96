/**
 * The disk fills up. IndexedDB then refuses writes with QuotaExceededError, which Dexie may hand
 * over wrapped in an AbortError (dexie.org/docs/DexieErrors/Dexie.QuotaExceededError). Injected
 * here below Dexie's table API (a DBCore middleware), so every write path meets it. Each import
 * path must leave the library exactly as it was, write nothing half-way, and tell the user in
 * plain words; once space is back, everything works again.
 */
import { Dexie, type DBCore, type DBCoreMutateRequest } from 'dexie';
import { afterAll, describe, expect, it } from 'vitest';
import { openIndexDb, openLibraryDb, type IndexDatabase, type LibraryDatabase } from '../../lib/db';
import { createHandlers, type PageRecord, type PageState } from '../../lib/handlers';
import { countPapers, upsertPapers } from '../../lib/index-store';
import { BACKUP_FORMAT } from '../../lib/library/backup';
import { dispatch, type MessageType, type Reply } from '../../lib/messages';
import type { SavedPaper } from '../../lib/types';
import { createLedger } from './ledger';

const ledger = createLedger('durability quota');
afterAll(() => ledger.save());

type Fault = () => Error;
const FAULTS: [string, Fault][] = [
  ['QuotaExceededError', () => new DOMException('Quota exceeded', 'QuotaExceededError')],
  ['AbortError wrapping QuotaExceededError', () => new Dexie.AbortError('Transaction aborted', new DOMException('Quota exceeded', 'QuotaExceededError'))], // prettier-ignore
];

/** A switch that makes every write to the given tables fail, as a full disk does. */
interface Disk {
  full: boolean;
}

function withDisk<T extends Dexie>(db: T, disk: Disk, fault: Fault): T {
  db.use({
    stack: 'dbcore',
    name: 'full-disk',
    create: (down: DBCore): DBCore => ({
      ...down,
      table: (name) => {
        const table = down.table(name);
        return {
          ...table,
          mutate: (request: DBCoreMutateRequest) =>
            disk.full ? Promise.reject(fault()) : table.mutate(request),
        };
      },
    }),
  });
  return db;
}

const SAVED: SavedPaper = {
  id: 'arxiv:2408.04000',
  snapshot: { title: 'Quantisation', authors: ['Y. Asano'] },
  savedAt: 1,
  updatedAt: 2,
  tags: ['strings'],
  note: 'chapter 3',
  status: 'reading',
};

let counter = 0;

async function world(fault: Fault): Promise<{
  disk: Disk;
  indexDb: IndexDatabase;
  libraryDb: LibraryDatabase;
  send: <T extends MessageType>(type: T, payload: unknown) => Promise<Reply<T>>;
}> {
  counter += 1;
  const disk: Disk = { full: false };
  const indexDb = withDisk(openIndexDb(`quota-index-${counter}`), disk, fault);
  const libraryDb = withDisk(openLibraryDb(`quota-library-${counter}`), disk, fault);
  await libraryDb.saved.put(SAVED);
  await libraryDb.tags.put({ name: 'strings', color: '#123456', createdAt: 1 });
  await upsertPapers(indexDb, [{ id: 'arxiv:2401.00001', title: 'Already indexed', titleKey: 'alreadyindexed', authors: [], sources: ['import'] }]); // prettier-ignore
  const pages = new Map<string, PageRecord>();
  const pageState: PageState = {
    remember: async (_tab, records) => records.forEach((record) => pages.set(record.id, record)),
    recall: async (_tab, id) => pages.get(id),
  };
  const handlers = createHandlers({ indexDb, libraryDb, pageState });
  const send = async <T extends MessageType>(type: T, payload: unknown): Promise<Reply<T>> =>
    (await dispatch(handlers, { type, payload }, { kind: 'extension' })) as Reply<T>;
  return { disk, indexDb, libraryDb, send };
}

async function libraryRows(db: LibraryDatabase): Promise<string> {
  return JSON.stringify(await Promise.all(db.tables.map((table) => table.toArray())));
}

/** What the user reads: the reply's error, or the handler's own failure message. */
function userMessage(reply: Reply<MessageType>): string {
  if (!reply.ok) return reply.error;
  const data = reply.data as { ok?: boolean; error?: string };
  return data.ok === false ? (data.error ?? '') : '';
}

const INDEX_FILE = Array.from({ length: 30 }, (_, n) =>
  JSON.stringify({ id: `2402.${String(n).padStart(5, '0')}`, title: `Paper number ${n}` }),
).join('\n');
const BIBTEX = '@article{k1, title={A BibTeX paper}, author={Last, First}, eprint={2403.00001}, archivePrefix={arXiv}, year=2024}'; // prettier-ignore
const BACKUP = JSON.stringify({
  format: BACKUP_FORMAT,
  version: 2,
  exportedAt: '2026-01-01T00:00:00Z',
  saved: [{ ...SAVED, id: 'arxiv:2409.00001', note: 'from the backup' }],
  tags: [{ name: 'restored', color: '#654321', createdAt: 3 }],
  dismissed: [],
});

const OPERATIONS: [string, MessageType, unknown][] = [
  ['importing an index file', 'importPaperFile', { text: INDEX_FILE, fileName: 'papers.jsonl' }],
  ['importing a BibTeX file into the library', 'importLibraryFile', { text: BIBTEX, fileName: 'refs.bib' }], // prettier-ignore
  ['restoring a backup (replace)', 'restoreLibrary', { text: BACKUP, mode: 'replace' }],
  ['restoring a backup (merge)', 'restoreLibrary', { text: BACKUP, mode: 'merge' }],
  ['saving a paper', 'savePaper', { id: 'arxiv:2401.00001' }],
  ['tagging a paper', 'tagPapers', { ids: [SAVED.id], add: ['new-tag'] }],
];

describe('a full disk', () => {
  for (const [faultName, fault] of FAULTS) {
    it.each(OPERATIONS)(`${faultName} while %s: nothing half-written, the library intact, the user told`, async (what, type, payload) => {
      const w = await world(fault);
      const library = await libraryRows(w.libraryDb);
      const indexed = await countPapers(w.indexDb);
      w.disk.full = true;
      const reply = await w.send(type, payload);
      w.disk.full = false;
      const message = userMessage(reply);
      expect(message, `${what}: ${JSON.stringify(reply)}`).toMatch(/no room|disk|space|storage/i);
      expect(await libraryRows(w.libraryDb)).toBe(library);
      expect(await countPapers(w.indexDb)).toBe(indexed);
      // Space is back: the same operation now succeeds, and the library is still all there.
      const retry = await w.send(type, payload);
      expect(userMessage(retry), JSON.stringify(retry)).toBe('');
      if (type !== 'restoreLibrary' || (payload as { mode: string }).mode !== 'replace') {
        expect((await w.libraryDb.saved.get(SAVED.id))?.note).toBe(SAVED.note);
      }
      ledger.fault({ fault: `${faultName} while ${what}`, outcome: `refused with "${message.slice(0, 90)}"; nothing written; retry succeeded`, dataLost: 0 }); // prettier-ignore
    }); // prettier-ignore
  }
});
