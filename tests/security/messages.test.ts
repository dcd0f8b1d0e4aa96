/**
 * The background's message boundary: who may send what, and what a content script can make the
 * background do. A content script runs inside a page we don't trust (and a compromised renderer can
 * forge its messages), so it may only look up, and act on, the papers its own tab's look-up returned:
 * no fetch of a URL it chose, no tab it chose, no write to any other paper of the library.
 */
import fc from 'fast-check';
import { afterAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { openIndexDb, openLibraryDb, type LibraryDatabase } from '../../lib/db';
import { createHandlers, type PageRecord, type PageState } from '../../lib/handlers';
import { parseId } from '../../lib/ids';
import { upsertPapers } from '../../lib/index-store';
import {
  audience,
  classifySender,
  dispatch,
  requestSchemas,
  type Handlers,
  type MessageType,
  type ValidSender,
} from '../../lib/messages';
import { memorySettingsStore } from '../../lib/settings';
import type { PageSighting, SyncService } from '../../lib/sync/service';
import type { IndexPaper, SavedPaper } from '../../lib/types';
import { createLedger } from '../durability/ledger';
import { hostileString } from '../fuzz/hostile';
import { memoryPageState } from '../../lib/page-memory';

const ledger = createLedger('security message boundary');
afterAll(() => ledger.save());

const OWN_ID = 'abcdefghijklmnopabcdefghijklmnop';
const OWN_ORIGIN = `chrome-extension://${OWN_ID}/`;
const TYPES = Object.keys(requestSchemas) as MessageType[];

/**
 * The messages a content script may send. Adding one widens what every web page can reach through
 * us: it must be added here on purpose, with its page check, and described in docs/SECURITY.md.
 */
const PAGE_MESSAGES = [
  // Which of the abstracts a page shows the index lacks: tells a page no more than `lookupEntries`.
  'abstractsWanted',
  'dismissFromPage',
  'getPaper',
  'getRelevanceExplanation',
  'lookupEntries',
  // The abstracts of the page's own entries, after the badges: what `lookupEntries` once carried.
  'noteAbstracts',
  // Starts the worker's cold-start reads before the page's look-up: takes nothing, answers nothing.
  'prepareLookup',
  'savePaper',
  // Relevance of the page's own entries after `lookupEntries` answered without it: scoring an id
  // tells a page no more than looking that id up does.
  'scoreEntries',
  'setRelevantCount',
  'unsavePaper',
];

describe('sender classification', () => {
  const classify = (
    url: string | undefined,
    tabId: number | undefined,
    extensionId: string | undefined,
  ): ValidSender | null => classifySender({ extensionId, url, tabId }, OWN_ID, OWN_ORIGIN);

  it.each([
    ['our popup', `${OWN_ORIGIN}popup.html`, undefined, 'extension'],
    ['our popup opened as a tab', `${OWN_ORIGIN}popup.html`, 12, 'extension'],
    ['a content script on arXiv', 'https://arxiv.org/list/cs.LG/new', 3, 'page'],
    ['a content script on an http site', 'http://127.0.0.1:8080/list', 3, 'page'],
    ['a content script without a tab (not possible for a page)', 'https://arxiv.org/', undefined, null],
    ['no URL', undefined, 3, null],
    ['another extension’s page', 'chrome-extension://zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz/x.html', 3, null],
    ['a look-alike of our origin', `chrome-extension://${OWN_ID}.evil.example/x`, 3, null],
    ['a data: frame', 'data:text/html,<p>x', 3, null],
    ['a file: page', 'file:///home/user/list.html', 3, null],
    ['about:blank', 'about:blank', 3, null],
    ['a javascript: URL', 'javascript:alert(1)', 3, null],
  ] as const)('%s → %s', (_what, url, tabId, expected) => {
    expect(classify(url, tabId, OWN_ID)?.kind ?? null).toBe(expected);
  }); // prettier-ignore

  it('refuses any sender that is not this extension', () => {
    expect(classify(`${OWN_ORIGIN}popup.html`, undefined, 'someone-else')).toBeNull();
    expect(classify('https://arxiv.org/list/cs.LG/new', 3, 'someone-else')).toBeNull();
    expect(classify('https://arxiv.org/list/cs.LG/new', 3, undefined)).toBeNull();
  });
});

/** Handlers that only record which were called. */
function recordingHandlers(): { handlers: Handlers; calls: MessageType[] } {
  const calls: MessageType[] = [];
  const handlers = new Proxy({} as Handlers, {
    get: (_target, type: string) => async () => {
      calls.push(type as MessageType);
      return {};
    },
  });
  return { handlers, calls };
}

const pageSender: ValidSender = { kind: 'page', tabId: 2, url: 'https://arxiv.org/list/cs.LG/new' };

describe('what a page may send', () => {
  it('exactly the reviewed list of messages is open to content scripts', () => {
    expect(TYPES.filter((type) => audience[type] === 'page').sort()).toEqual(PAGE_MESSAGES);
    ledger.figure('message types', TYPES.length);
    ledger.figure('message types open to content scripts', PAGE_MESSAGES.length);
  });

  it.each(TYPES.filter((type) => audience[type] === 'extension'))(
    '"%s" from a content script is refused before any handler runs, whatever the payload',
    async (type) => {
      const { handlers, calls } = recordingHandlers();
      await fc.assert(
        fc.asyncProperty(fc.anything(), async (payload) => {
          const reply = await dispatch(handlers, { type, payload }, pageSender);
          expect(reply.ok).toBe(false);
        }),
        { numRuns: 20 },
      );
      expect(calls).toEqual([]);
      ledger.hostile('forged messages', 20);
    },
  );

  it('anything at all sent to the background gets an answer and reaches a handler only when valid', async () => {
    const { handlers, calls } = recordingHandlers();
    const envelope = fc.oneof(
      fc.anything(),
      fc.record({ type: fc.constantFrom(...TYPES, '__proto__', 'constructor', 'toString', 'hasOwnProperty'), payload: fc.anything() }),
      fc.record({ type: fc.constantFrom(...TYPES), payload: fc.dictionary(fc.string(), fc.oneof(hostileString(), fc.anything())) }),
    ); // prettier-ignore
    await fc.assert(
      fc.asyncProperty(envelope, fc.constantFrom<ValidSender | null>(pageSender, { kind: 'extension' }, null), async (message, sender) => {
        const before = calls.length;
        const reply = await dispatch(handlers, message, sender);
        expect(typeof reply.ok).toBe('boolean');
        if (calls.length > before) {
          const type = (message as { type: MessageType }).type;
          expect(sender).not.toBeNull();
          expect(requestSchemas[type].safeParse((message as { payload: unknown }).payload).success).toBe(true);
          if (sender?.kind === 'page') expect(audience[type]).toBe('page');
        }
      }),
      { numRuns: 600 },
    ); // prettier-ignore
    ledger.hostile('forged messages', 600);
  });
});

const VICTIM: SavedPaper = {
  id: 'arxiv:2408.04000',
  snapshot: { title: 'Quantisation of type IIB superstring theory', authors: ['Y. Asano'] },
  savedAt: 1,
  updatedAt: 2,
  tags: ['strings'],
  note: 'my private note',
  status: 'reading',
};

const INDEXED: IndexPaper = {
  id: 'arxiv:2501.00011',
  title: 'A paper in the index',
  titleKey: 'apaperintheindex',
  authors: ['A. B'],
  sources: ['import'],
};

let counter = 0;

async function world(): Promise<{
  handlers: Handlers;
  libraryDb: LibraryDatabase;
  sightings: PageSighting[];
}> {
  counter += 1;
  const pageState = memoryPageState();
  const indexDb = openIndexDb(`security-index-${counter}`);
  const libraryDb = openLibraryDb(`security-library-${counter}`);
  await upsertPapers(indexDb, [INDEXED]);
  await libraryDb.saved.put(VICTIM);
  await libraryDb.tags.put({ name: 'strings', color: '#ff0000', createdAt: 1 });
  const sightings: PageSighting[] = [];
  const sync = {
    notePageSightings: async (list: readonly PageSighting[]) => {
      sightings.push(...list);
    },
  } as unknown as SyncService;
  const handlers = createHandlers({
    indexDb,
    libraryDb,
    pageState,
    sync,
    settings: memorySettingsStore(),
    badge: { show: async () => undefined },
  });
  return { handlers, libraryDb, sightings };
}

async function dump(db: LibraryDatabase): Promise<string> {
  const tables = await Promise.all(
    db.tables.map(async (table) => [table.name, await table.toArray()]),
  );
  return JSON.stringify(tables);
}

/** A random message a hostile page could make its content script send. */
const pageMessage = fc.oneof(
  fc.record({
    type: fc.constant('lookupEntries'),
    payload: fc.record({
      entries: fc.array(
        fc.record({
          ref: fc.nat(50),
          title: hostileString(10),
          ids: fc.array(fc.oneof(hostileString(3), fc.constantFrom('arxiv:2501.00099', 'https://evil.example/steal?x=1', 'javascript:alert(1)', 'http://169.254.169.254/latest/meta-data')), { maxLength: 3 }),
          abstract: fc.option(hostileString(10), { nil: undefined }),
        }),
        { maxLength: 5 },
      ),
    }),
  }),
  fc.record({
    type: fc.constant('noteAbstracts'),
    payload: fc.record({
      entries: fc.array(
        fc.record({
          ref: fc.nat(50),
          title: hostileString(10),
          ids: fc.array(fc.oneof(hostileString(3), fc.constantFrom('arxiv:2501.00099', 'https://evil.example/steal?x=1', 'javascript:alert(1)')), { maxLength: 3 }),
          abstract: hostileString(10),
        }),
        { maxLength: 5 },
      ),
    }),
  }),
  fc.record({
    type: fc.constant('abstractsWanted'),
    payload: fc.record({
      entries: fc.array(fc.record({ ref: fc.nat(50), ids: fc.array(fc.oneof(hostileString(3), fc.constant('arxiv:2501.00099')), { maxLength: 3 }) }), { maxLength: 5 }),
    }),
  }),
  fc.record({
    type: fc.constantFrom('savePaper', 'unsavePaper', 'getPaper', 'getRelevanceExplanation'),
    payload: fc.record({ id: fc.oneof(fc.constant(VICTIM.id), fc.constant(INDEXED.id), hostileString(4)) }),
  }),
  fc.record({
    type: fc.constant('dismissFromPage'),
    payload: fc.record({ id: fc.oneof(fc.constant(VICTIM.id), hostileString(4)), dismissed: fc.boolean() }),
  }),
  fc.record({ type: fc.constant('setRelevantCount'), payload: fc.record({ count: fc.integer() }) }),
  fc.record({ type: fc.constant('getSettings'), payload: fc.anything() }),
); // prettier-ignore

describe('a hostile page cannot reach the rest of the library', () => {
  beforeEach(() => {
    vi.spyOn(globalThis, 'fetch').mockRejectedValue(new Error('no network in this test'));
  });

  it('papers its tab never looked up can be neither read, saved, unsaved nor dismissed', async () => {
    const { handlers, libraryDb } = await world();
    const before = await dump(libraryDb);
    for (const type of [
      'unsavePaper',
      'getPaper',
      'getRelevanceExplanation',
      'savePaper',
    ] as const) {
      for (const id of [VICTIM.id, INDEXED.id]) {
        const reply = await dispatch(handlers, { type, payload: { id } }, pageSender);
        expect(reply).toEqual({ ok: false, error: 'That paper is not on this page.' });
      }
    }
    const dismissal = await dispatch(handlers, { type: 'dismissFromPage', payload: { id: VICTIM.id, dismissed: true } }, pageSender); // prettier-ignore
    expect(dismissal.ok).toBe(false);
    expect(await dump(libraryDb)).toBe(before);
  });

  it('a paper one tab looked up is still out of reach of another tab', async () => {
    const { handlers, libraryDb } = await world();
    const otherTab: ValidSender = {
      kind: 'page',
      tabId: 9,
      url: 'https://arxiv.org/list/hep-th/new',
    };
    const lookup = await dispatch(handlers, { type: 'lookupEntries', payload: { entries: [{ ref: 0, title: 'x', ids: [VICTIM.id] }] } }, otherTab); // prettier-ignore
    expect(lookup.ok).toBe(true);
    const before = await dump(libraryDb);
    expect((await dispatch(handlers, { type: 'unsavePaper', payload: { id: VICTIM.id } }, pageSender)).ok).toBe(false); // prettier-ignore
    expect(await dump(libraryDb)).toBe(before);
    // …while the tab that showed it may (the user pressed the badge's button there).
    expect((await dispatch(handlers, { type: 'getPaper', payload: { id: VICTIM.id } }, otherTab)).ok).toBe(true); // prettier-ignore
  });

  it('random message sequences from a page leave the library as it was, fetch nothing, and hand sync only canonical ids', async () => {
    const { handlers, libraryDb, sightings } = await world();
    const before = await dump(libraryDb);
    let sent = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(pageMessage, { minLength: 1, maxLength: 8 }), async (messages) => {
        for (const message of messages) {
          // savePaper/unsavePaper/dismiss of a paper the page itself listed are the page's to change;
          // here the page only ever lists papers that are not the victim.
          if (message.type === 'lookupEntries' || message.type === 'noteAbstracts') {
            message.payload.entries = message.payload.entries.map((entry) => ({
              ...entry,
              ids: entry.ids.filter((raw) => parseId(raw) !== VICTIM.id),
            }));
          }
          const reply = await dispatch(handlers, message, pageSender);
          expect(typeof reply.ok).toBe('boolean');
          sent += 1;
        }
        // The victim (never listed by this page) is exactly as it was.
        expect(await libraryDb.saved.get(VICTIM.id)).toEqual(VICTIM);
      }),
      { numRuns: 60 },
    );
    expect(globalThis.fetch).not.toHaveBeenCalled();
    for (const sighting of sightings) {
      for (const id of sighting.ids) expect(parseId(id)).toBe(id);
    }
    const after = JSON.parse(await dump(libraryDb)) as [string, { id: string }[]][];
    const saved = after.find(([name]) => name === 'saved')?.[1] ?? [];
    // Anything new in the library came from a save of a paper this page listed.
    expect(saved.map((row) => row.id)).toContain(VICTIM.id);
    expect(before).toContain(VICTIM.note);
    ledger.hostile('forged messages', sent);
  });
});

describe('what a page learns about the library', () => {
  it('with "show badges on pages" off, a look-up from a page never says a paper is saved', async () => {
    counter += 1;
    const pages = new Map<string, PageRecord>();
    const pageState: PageState = {
      remember: async (_tabId, records) =>
        records.forEach((record) => pages.set(record.id, record)),
      recall: async (_tabId, id) => pages.get(id),
    };
    const indexDb = openIndexDb(`privacy-index-${counter}`);
    const libraryDb = openLibraryDb(`privacy-library-${counter}`);
    await libraryDb.saved.put(VICTIM);
    const settings = memorySettingsStore();
    const handlers = createHandlers({ indexDb, libraryDb, pageState, settings });
    const lookup = { entries: [{ ref: 0, title: 'x', ids: [VICTIM.id] }] };
    const shown = await handlers.lookupEntries(lookup, pageSender);
    expect(shown.annotations[0]?.saved).toBe(true);
    await settings.update({ showBadgesOnPages: false });
    const hidden = await handlers.lookupEntries(lookup, pageSender);
    expect(hidden.annotations[0]?.saved).toBe(false);
    // Extension pages (the popup's "This page") still see the truth.
    const own = await handlers.lookupEntries(lookup, { kind: 'extension' });
    expect(own.annotations[0]?.saved).toBe(true);
  });
});

describe('what a click lured onto our badge can cost', () => {
  it('a page may undo a bare save of its own paper, but never erase tags, notes or status', async () => {
    const { handlers, libraryDb } = await world();
    const lookup = { entries: [{ ref: 0, title: 'x', ids: [VICTIM.id] }, { ref: 1, title: 'A paper in the index', ids: [INDEXED.id] }] }; // prettier-ignore
    expect((await dispatch(handlers, { type: 'lookupEntries', payload: lookup }, pageSender)).ok).toBe(true); // prettier-ignore
    const refused = await dispatch(handlers, { type: 'unsavePaper', payload: { id: VICTIM.id } }, pageSender); // prettier-ignore
    expect(refused).toMatchObject({ ok: false, error: expect.stringMatching(/popup/) as unknown });
    expect(await libraryDb.saved.get(VICTIM.id)).toEqual(VICTIM);
    // A paper saved by mistake from the page, still bare, can be unsaved from the page.
    expect((await dispatch(handlers, { type: 'savePaper', payload: { id: INDEXED.id } }, pageSender)).ok).toBe(true); // prettier-ignore
    expect(await dispatch(handlers, { type: 'unsavePaper', payload: { id: INDEXED.id } }, pageSender)).toEqual({ ok: true, data: { removed: true } }); // prettier-ignore
    // The popup (an extension page) removes anything.
    expect(await dispatch(handlers, { type: 'unsavePaper', payload: { id: VICTIM.id } }, { kind: 'extension' })).toEqual({ ok: true, data: { removed: true } }); // prettier-ignore
  });
});
