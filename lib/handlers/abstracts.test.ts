/**
 * A page's abstracts in two steps after its look-up: `abstractsWanted` names those the index lacks,
 * `noteAbstracts` brings them. Until then a look-up neither stores nor queues those papers.
 */
import { describe, expect, it, vi } from 'vitest';
import { openIndexDb, openLibraryDb } from '../db';
import { createHandlers } from '../handlers';
import { getPaper, upsertPapers } from '../index-store';
import { dispatch } from '../messages';
import { memoryPageState } from '../page-memory';
import type { KeyValueStore } from '../sync/http';
import { createSyncService, type SyncService } from '../sync/service';

let counter = 0;
async function setup() {
  counter += 1;
  const indexDb = openIndexDb(`abstracts-index-${counter}`);
  const libraryDb = openLibraryDb(`abstracts-library-${counter}`);
  const data = new Map<string, unknown>();
  const store: KeyValueStore = {
    get: async (key) => data.get(key),
    set: async (key, value) => void data.set(key, value),
  };
  const fetch = vi.fn(async () => new Response('', { status: 404 }));
  const sync = createSyncService({
    db: indexDb,
    store,
    fetch,
    now: () => Date.UTC(2026, 0, 5, 12),
    setWake: async () => undefined,
  });
  await upsertPapers(
    indexDb,
    [
      {
        id: 'arxiv:2501.00001',
        title: 'Indexed With Abstract',
        titleKey: 'indexedwithabstract',
        authors: ['A'],
        abstract: 'From the API.',
        sources: ['arxiv-api'],
      },
      {
        id: 'arxiv:2501.00002',
        title: 'Indexed Without Abstract',
        titleKey: 'indexedwithoutabstract',
        authors: ['B'],
        sources: ['import'],
      },
    ],
    { atomic: true },
  );
  // The sightings a look-up hands the sync after its reply, so a test can wait for them to finish.
  const noted: Promise<void>[] = [];
  const watched: SyncService = {
    ...sync,
    notePageSightings: (...args) => {
      const done = sync.notePageSightings(...args);
      noted.push(done);
      return done;
    },
  };
  const handlers = createHandlers({
    indexDb,
    libraryDb,
    pageState: memoryPageState(),
    sync: watched,
  });
  const sightingsDone = async (): Promise<void> => {
    await vi.waitFor(() => expect(noted.length).toBeGreaterThan(0));
    await Promise.all(noted);
  };
  return { indexDb, handlers, fetch, sightingsDone };
}

const page = { kind: 'page', tabId: 3, url: 'https://arxiv.org/list/cs.LG/new' } as const;

describe('abstracts a page shows', () => {
  it('are asked for only where the index lacks them', async () => {
    const { handlers } = await setup();
    const reply = await dispatch(
      handlers,
      {
        type: 'abstractsWanted',
        payload: {
          entries: [
            { ref: 0, ids: ['arxiv:2501.00001'] },
            { ref: 1, ids: ['https://arxiv.org/abs/2501.00002v2'] },
            { ref: 2, ids: ['arxiv:2501.00003'] },
            { ref: 3, ids: ['not an id'] },
          ],
        },
      },
      page,
    );
    expect(reply).toEqual({ ok: true, data: { refs: [1, 2] } });
  });

  it('a look-up that says the page has one neither stores the paper nor queues a look-up for it', async () => {
    const { indexDb, handlers, sightingsDone } = await setup();
    const entry = { ref: 0, title: 'Only On The Page', ids: ['arxiv:2501.00003'] };
    await handlers.lookupEntries(
      { entries: [{ ...entry, hasAbstract: true }], relevance: 'separate' },
      page,
    );
    // The sightings run after the reply: wait until they have done what they would.
    await sightingsDone();
    expect(await indexDb.syncWanted.count()).toBe(0);
    expect(await getPaper(indexDb, 'arxiv:2501.00003')).toBeUndefined();

    // Without the flag (an entry the page shows no abstract for) it is queued, as before.
    await handlers.lookupEntries({ entries: [entry], relevance: 'separate' }, page);
    await vi.waitFor(async () => expect(await indexDb.syncWanted.count()).toBe(1));
  });

  it('brought by noteAbstracts fill gaps, add unknown papers, and go with a save from the page', async () => {
    const { indexDb, handlers } = await setup();
    const entries = [
      { ref: 0, title: 'Indexed With Abstract', ids: ['arxiv:2501.00001'], authors: ['A'] },
      { ref: 1, title: 'Indexed Without Abstract', ids: ['arxiv:2501.00002'], authors: ['B'] },
      { ref: 2, title: 'Only On The Page', ids: ['arxiv:2501.00003'], authors: ['C'] },
    ];
    await handlers.lookupEntries(
      { entries: entries.map((entry) => ({ ...entry, hasAbstract: true })), relevance: 'separate' },
      page,
    );
    const reply = await dispatch(
      handlers,
      {
        type: 'noteAbstracts',
        payload: {
          entries: [
            { ...entries[1], abstract: 'Shown on the listing.' },
            { ...entries[2], abstract: 'A new paper.' },
          ],
        },
      },
      page,
    );
    expect(reply).toEqual({ ok: true, data: { noted: 2 } });
    expect((await getPaper(indexDb, 'arxiv:2501.00001'))?.abstract).toBe('From the API.');
    expect((await getPaper(indexDb, 'arxiv:2501.00002'))?.abstract).toBe('Shown on the listing.');
    expect(await getPaper(indexDb, 'arxiv:2501.00003')).toMatchObject({
      title: 'Only On The Page',
      abstract: 'A new paper.',
      sources: ['page'],
    });
    const { saved } = await handlers.savePaper({ id: 'arxiv:2501.00003' }, page);
    expect(saved.snapshot).toMatchObject({ title: 'Only On The Page', abstract: 'A new paper.' });
  });

  it('refuses a chunk with an empty or oversized abstract', async () => {
    const { handlers } = await setup();
    const entry = { ref: 0, title: 'x', ids: ['arxiv:2501.00003'] };
    for (const abstract of ['', 'x'.repeat(20_001)]) {
      const reply = await dispatch(
        handlers,
        { type: 'noteAbstracts', payload: { entries: [{ ...entry, abstract }] } },
        page,
      );
      expect(reply).toEqual({ ok: false, error: 'Invalid "noteAbstracts" request.' });
    }
  });
});
