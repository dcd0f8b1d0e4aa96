import { describe, expect, it } from 'vitest';
import { openIndexDb, openLibraryDb } from '../db';
import { createHandlers, type PageState } from '../handlers';
import type { PageEntry } from '../messages';
import { memoryPageState } from '../page-memory';
import type { RelevanceEngine, ScoreEntry } from '../relevance/engine';
import type { EntryRelevance } from '../relevance/types';
import { memorySettingsStore, type SettingsStore } from '../settings';
import { warmLookupPath } from './lookup';

let counter = 0;
const page = { kind: 'page', tabId: 3, url: 'https://arxiv.org/list/cs.LG/new' } as const;
const file = JSON.stringify({ id: '2408.04000', title: 'A Paper In The Index', authors: ['A. B'] });
const entries: PageEntry[] = [
  { ref: 0, title: 'A paper in the index', ids: [] },
  { ref: 1, title: 'Only on the page', ids: ['arxiv:2501.00001'] },
];

function relevanceOf(score: number): EntryRelevance {
  return {
    score,
    level: 'strong',
    color: '#7c3aed',
    reasons: { interestTerms: [], words: [], titleOnly: true },
    tags: [],
  };
}

/** A relevance engine whose model becomes ready when the test says so. */
function slowEngine(): {
  engine: RelevanceEngine;
  ready: () => void;
  scored: ScoreEntry[][];
  prepared: { count: number };
} {
  let ready = (): void => undefined;
  const prepared = new Promise<void>((resolve) => {
    ready = resolve;
  });
  const scored: ScoreEntry[][] = [];
  const calls = { count: 0 };
  const engine = {
    prepare: () => {
      calls.count += 1;
      return prepared;
    },
    score: async (list: readonly ScoreEntry[]) => {
      await prepared;
      scored.push([...list]);
      return new Map(list.map((entry) => [entry.ref, relevanceOf(entry.id ? 0.9 : 0.2)]));
    },
  } as unknown as RelevanceEngine;
  return { engine, ready, scored, prepared: calls };
}

function setup(
  options: { pageState?: PageState; showRelevanceOnPages?: boolean; settings?: SettingsStore } = {},
) {
  counter += 1;
  const indexDb = openIndexDb(`lookup-index-${counter}`);
  const libraryDb = openLibraryDb(`lookup-library-${counter}`);
  const slow = slowEngine();
  const handlers = createHandlers({
    indexDb,
    libraryDb,
    pageState: options.pageState ?? memoryPageState(),
    relevance: slow.engine,
    settings:
      options.settings ??
      memorySettingsStore({ showRelevanceOnPages: options.showRelevanceOnPages ?? true }),
  });
  return { handlers, ...slow };
}

describe('page look-ups', () => {
  it('answer matches at once when relevance is asked for separately, and score them on request', async () => {
    const { handlers, ready, scored } = setup();
    await handlers.importPaperFile({ text: file, fileName: 'papers.jsonl' }, { kind: 'extension' });
    // The model never gets ready during the look-up: the reply must not wait for it.
    const reply = await handlers.lookupEntries({ entries, relevance: 'separate' }, page);
    expect(reply.relevancePending).toBe(true);
    expect(reply.annotations.map((item) => [item.ref, item.id, item.matched])).toEqual([
      [0, 'arxiv:2408.04000', true],
      [1, 'arxiv:2501.00001', false],
    ]);
    expect(reply.annotations.every((item) => item.relevance === undefined)).toBe(true);

    const scores = handlers.scoreEntries(
      { entries: entries.map((entry, ref) => ({ ...entry, id: reply.annotations[ref]?.id })) },
      page,
    );
    ready();
    expect((await scores).scores.map(({ ref, relevance }) => [ref, relevance.score])).toEqual([
      [0, 0.9],
      [1, 0.9],
    ]);
    // Matched entries are scored by the index paper's id, from the page's text otherwise.
    expect(scored[0]?.map((entry) => [entry.id, entry.text.title])).toEqual([
      ['arxiv:2408.04000', 'A paper in the index'],
      ['arxiv:2501.00001', 'Only on the page'],
    ]);
  });

  it('still put the scores in the reply by default once the model is ready', async () => {
    const { handlers, ready } = setup();
    ready();
    const reply = await handlers.lookupEntries({ entries }, page);
    expect(reply.relevancePending).toBeUndefined();
    expect(reply.annotations.map((item) => item.relevance?.score)).toEqual([0.2, 0.9]);
  });

  it("leave a model that has not answered yet alone, and put a warm model's scores in the reply", async () => {
    const { handlers, ready, prepared } = setup();
    ready();
    const first = await handlers.lookupEntries({ entries, relevance: 'separate' }, page);
    expect(first.relevancePending).toBe(true);
    // Loading a model would hold up this reply on the worker's one thread: not even started.
    expect(prepared.count).toBe(0);
    await handlers.scoreEntries({ entries }, page);
    const warm = await handlers.lookupEntries({ entries, relevance: 'separate' }, page);
    expect(warm.relevancePending).toBeUndefined();
    expect(warm.annotations.map((item) => item.relevance?.score)).toEqual([0.2, 0.9]);
  });

  it('leave a paper the index lacks to scoreEntries when the page kept its abstract back, even with a warm model', async () => {
    const { handlers, ready } = setup();
    await handlers.importPaperFile({ text: file, fileName: 'papers.jsonl' }, { kind: 'extension' });
    ready();
    await handlers.scoreEntries({ entries }, page);
    const keptBack = entries.map((entry) => ({ ...entry, hasAbstract: true }));
    const reply = await handlers.lookupEntries({ entries: keptBack, relevance: 'separate' }, page);
    expect(reply.relevancePending).toBe(true);
    // The indexed paper is scored on its stored words at once; the other waits for its abstract.
    expect(reply.annotations.map((item) => [item.matched, item.relevance?.score])).toEqual([
      [true, 0.9],
      [false, undefined],
    ]);
  });

  it('promise no relevance to pages when the user keeps it off them', async () => {
    const { handlers, ready } = setup({ showRelevanceOnPages: false });
    ready();
    const reply = await handlers.lookupEntries({ entries, relevance: 'separate' }, page);
    expect(reply.relevancePending).toBeUndefined();
    expect((await handlers.scoreEntries({ entries }, page)).scores).toEqual([]);
  });

  it('reply before the page memory is written, and a save right after still finds the paper', async () => {
    const memory = memoryPageState();
    let release = (): void => undefined;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    let written = false;
    const slowMemory: PageState = {
      async remember(tabId, records) {
        await gate;
        await memory.remember(tabId, records);
        written = true;
      },
      recall: (tabId, id) => memory.recall(tabId, id),
    };
    const { handlers } = setup({ pageState: slowMemory });
    await handlers.lookupEntries({ entries, relevance: 'separate' }, page);
    expect(written).toBe(false);
    const saving = handlers.savePaper({ id: 'arxiv:2501.00001' }, page);
    release();
    expect((await saving).saved.snapshot.title).toBe('Only on the page');
    expect(written).toBe(true);
  });

  it('read the settings once per look-up, and keep saved marks and relevance off pages as they say', async () => {
    const store = memorySettingsStore({ showBadgesOnPages: false, showRelevanceOnPages: false });
    let reads = 0;
    const settings: SettingsStore = {
      get: () => {
        reads += 1;
        return store.get();
      },
      update: (patch) => store.update(patch),
    };
    const { handlers, ready } = setup({ settings });
    ready();
    await handlers.importPaperFile({ text: file, fileName: 'papers.jsonl' }, { kind: 'extension' });
    await handlers.savePaper({ id: 'arxiv:2408.04000' }, { kind: 'extension' });
    const reply = await handlers.lookupEntries({ entries, relevance: 'separate' }, page);
    expect(reads).toBe(1);
    expect(reply.annotations.map((item) => [item.id, item.matched, item.saved])).toEqual([
      ['arxiv:2408.04000', true, false],
      ['arxiv:2501.00001', false, false],
    ]);
    expect(reply.relevancePending).toBeUndefined();
    // The extension's own pages see the saved state; no settings are read for them.
    const own = await handlers.lookupEntries({ entries }, { kind: 'extension' });
    expect(own.annotations[0]?.saved).toBe(true);
    expect(reads).toBe(1);
  });

  it('answer the same after prepareLookup warmed the path in a fresh worker', async () => {
    const { handlers } = setup();
    await handlers.importPaperFile({ text: file, fileName: 'papers.jsonl' }, { kind: 'extension' });
    await handlers.prepareLookup({}, page);
    const reply = await handlers.lookupEntries({ entries, relevance: 'separate' }, page);
    expect(reply.annotations.map((item) => [item.ref, item.id, item.matched, item.method])).toEqual(
      [
        [0, 'arxiv:2408.04000', true, 'title'],
        [1, 'arxiv:2501.00001', false, undefined],
      ],
    );
  });
});

describe('warmLookupPath', () => {
  it('matches a made-up page of arXiv ids with titles too short to match by, a few times', async () => {
    const calls: { ids: string[]; title: string }[][] = [];
    await warmLookupPath((queries) => {
      calls.push(queries.map(({ ids, title }) => ({ ids, title })));
      return Promise.resolve();
    });
    expect(calls.length).toBeGreaterThan(1);
    for (const queries of calls) {
      expect(queries.length).toBeGreaterThan(10);
      expect(queries.every(({ ids }) => ids.length === 1 && ids[0]?.startsWith('arxiv:'))).toBe(
        true,
      );
      // Under the matcher's minimum title key (8 characters): no title or fuzzy matching.
      expect(queries.every(({ title }) => title.replace(/[^a-z0-9]/gi, '').length < 8)).toBe(true);
    }
  });
});
