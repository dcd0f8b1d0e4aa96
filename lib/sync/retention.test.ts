import { describe, expect, it, vi } from 'vitest';
import { atomPage } from '../../tests/sync-fixtures';
import { openIndexDb, openLibraryDb, type LibraryDatabase } from '../db';
import {
  countPapers,
  dropLoadedLookup,
  forEachPaper,
  getIndexStats,
  getPapers,
  matchPapers,
  pruneProgress,
  upsertPapers,
} from '../index-store';
import { titleKey } from '../normalize';
import { indexSource, metaStorage } from '../relevance/index-source';
import { VectorStore } from '../relevance/store';
import { loadSearcher, readManifest } from '../search/store';
import { parseQuery } from '../search/query';
import type { IndexPaper, SavedPaper } from '../types';
import type { KeyValueStore } from './http';
import {
  applyRetention,
  cutoffDay,
  previewRetention,
  RETENTION_KEY,
  retentionPredicate,
  type RetentionRule,
} from './retention';
import { createSyncService } from './service';
import { DEFAULT_SYNC_SETTINGS, SETTINGS_KEY } from './settings';

const NOW = Date.UTC(2026, 5, 15, 12);

function paper(n: number, published: string, categories?: string[], id?: string): IndexPaper {
  const title = `Retention study ${n} of sparse lattices`;
  const record: IndexPaper = {
    id: id ?? `arxiv:2301.${String(n).padStart(5, '0')}`,
    title,
    titleKey: titleKey(title),
    authors: ['R. Author'],
    abstract: `Abstract ${n}.`,
    published,
    sources: ['import'],
  };
  if (categories) record.categories = categories;
  return record;
}

function memoryStore(): KeyValueStore & { data: Map<string, unknown> } {
  const data = new Map<string, unknown>();
  return {
    data,
    get: async (key) => data.get(key),
    set: async (key, value) => void data.set(key, value),
  };
}

function saved(id: string, extra: Partial<SavedPaper> = {}): SavedPaper {
  return {
    id,
    snapshot: { title: `Saved ${id}`, authors: [] },
    savedAt: 1,
    updatedAt: 1,
    tags: [],
    note: '',
    status: 'to-read',
    ...extra,
  };
}

async function dumpLibrary(library: LibraryDatabase): Promise<unknown> {
  return {
    saved: await library.saved.toArray(),
    tags: await library.tags.toArray(),
    dismissed: await library.dismissed.toArray(),
    interests: await library.interests.toArray(),
  };
}

async function ids(db: ReturnType<typeof openIndexDb>): Promise<string[]> {
  const found: string[] = [];
  await forEachPaper(db, (p) => {
    found.push(p.id);
  });
  return found;
}

let counter = 0;
function dbs() {
  counter += 1;
  return {
    index: openIndexDb(`retention-index-${counter}`),
    library: openLibraryDb(`retention-library-${counter}`),
  };
}

describe('retention rule', () => {
  it('removes papers older than the window and arXiv papers outside the chosen categories, and nothing it cannot judge', () => {
    expect(cutoffDay(12, NOW)).toBe('2025-06-15');
    const rule: RetentionRule = { keepMonths: 12, categories: ['cs', 'stat.ML'] };
    const remove = retentionPredicate(rule, new Set(['arxiv:2301.00009', 'doi:10.1/kept']), NOW);
    const verdicts = [
      paper(1, '2026-01-02', ['cs.LG']), // recent, followed archive
      paper(2, '2024-01-02', ['cs.LG']), // too old
      paper(3, '2026-01-02T10:00:00Z', ['math.AG']), // outside the categories
      paper(4, '2026-01-02', ['math.AG', 'stat.ML']), // one chosen category is enough
      paper(5, '2026-01-02'), // no categories: can't tell
      paper(6, 'unknown', ['cs.CL']), // no readable date: can't tell
      paper(7, '2026-01-02', ['math.AG'], 'doi:10.1/x'), // not arXiv: categories don't apply
      paper(8, '2020-01-02', ['cs.CL'], 'doi:10.1/y'), // …but its date does
      paper(9, '2020-01-02', ['math.AG']), // protected by id
      { ...paper(10, '2020-01-02'), aliases: ['doi:10.1/kept'] }, // protected through an alias
    ].map(remove);
    expect(verdicts).toEqual([false, true, true, false, false, false, false, true, false, false]);
    expect(
      [paper(2, '2000-01-01', ['x.Y'])].map(
        retentionPredicate({ keepMonths: 0, categories: [] }, new Set(), NOW),
      ),
    ).toEqual([false]);
  });
});

describe('retention on the index', () => {
  it('saved papers (with tags and notes), their aliases and dismissed papers survive pruning; the library is untouched', async () => {
    const { index, library } = dbs();
    const old = Array.from({ length: 1500 }, (_, n) => paper(n, '2019-03-01', ['cs.LG']));
    const recent = Array.from({ length: 300 }, (_, n) => paper(2000 + n, '2026-03-01', ['cs.LG']));
    await upsertPapers(index, [...old, ...recent]);
    await library.saved.bulkPut([
      saved('arxiv:2301.00007', { tags: ['reading-group'], note: 'Key related work.' }),
      saved('arxiv:2301.00700', { status: 'read' }),
      // Saved under an alias the index paper also has.
      saved('doi:10.5555/old-1200', { snapshot: { title: 'x', authors: [], aliases: [] } }),
    ]);
    await upsertPapers(index, [
      { ...paper(1200, '2019-03-01'), aliases: ['doi:10.5555/old-1200'] },
    ]);
    await library.tags.put({ name: 'reading-group', color: '#3b82f6', createdAt: 1 });
    await library.dismissed.put({ id: 'arxiv:2301.01499', at: 5 });
    const libraryBefore = await dumpLibrary(library);

    const store = memoryStore();
    const rule: RetentionRule = { keepMonths: 24, categories: [] };
    const preview = await previewRetention(index, library, rule, NOW);
    expect(preview).toEqual({ total: 1800, remove: 1496, protectedKept: 4 });
    expect(await countPapers(index)).toBe(1800); // the preview wrote nothing

    await store.set(RETENTION_KEY, rule);
    const result = await applyRetention({ index, library, store, now: () => NOW });
    expect(result).toEqual({ removed: 1496, kept: 304, done: true });
    expect(await dumpLibrary(library)).toEqual(libraryBefore);

    const keptIds = [
      'arxiv:2301.00007',
      'arxiv:2301.00700',
      'arxiv:2301.01200',
      'arxiv:2301.01499',
      ...recent.map((p) => p.id),
    ];
    expect(await ids(index)).toEqual(keptIds);
    dropLoadedLookup(index);
    const found = await getPapers(index, ['arxiv:2301.00007', 'arxiv:2301.00008']);
    expect(found.get('arxiv:2301.00007')?.abstract).toBe('Abstract 7.');
    expect(found.has('arxiv:2301.00008')).toBe(false);
    const [byAlias] = await matchPapers(index, [
      { ref: 0, ids: ['doi:10.5555/old-1200'], title: '' },
    ]);
    expect(byAlias).toMatchObject({ matched: true, id: 'arxiv:2301.01200' });

    // The popup's search index follows: pruned papers are not found, kept ones are.
    expect((await readManifest(index))?.covered).toBe(304);
    const searcher = await loadSearcher(index);
    const hits = searcher.search(parseQuery('sparse lattices'), 1000);
    expect(hits.map((hit) => hit.id).sort()).toEqual([...keptIds].sort());
  });

  it('a prune killed mid-way resumes at the next wake-up, before any sync step writes', async () => {
    const { index, library } = dbs();
    await upsertPapers(
      index,
      Array.from({ length: 3000 }, (_, n) =>
        paper(n, n % 2 ? '2026-01-01' : '2018-01-01', ['cs.LG']),
      ),
    );
    await library.saved.put(saved('arxiv:2301.00000', { tags: ['keep'] }));
    const store = memoryStore();
    store.data.set(SETTINGS_KEY, {
      ...DEFAULT_SYNC_SETTINGS,
      arxivRss: { enabled: false, categories: [], intervalHours: 24 },
      fillMissing: { arxiv: false, semanticScholar: false, s2ApiKey: '', huggingface: false },
    });
    // The first worker's clock jumps past the budget after the first batch: it stops there, as a
    // killed worker does after its last committed batch.
    let ticks = 0;
    const fetch = vi.fn(async () => new Response('', { status: 404 }));
    const first = createSyncService({
      db: index,
      library,
      store,
      fetch: fetch,
      now: () => NOW + (ticks++ > 3 ? 3_600_000 : 0),
      setWake: async () => undefined,
      limits: { pruneBucketsPerStep: 1 },
    });
    const partial = await first.setRetention({ keepMonths: 12, categories: [] });
    expect(partial.done).toBe(false);
    const progress = await pruneProgress(index);
    expect(progress).not.toBeNull();
    expect(progress?.done).toBeLessThan(3000);
    expect((await getIndexStats(index)).pruning).toBe(true);
    expect((await first.getRetention()).progress).toEqual(progress);

    // A new worker: its first wake-up finishes the prune.
    dropLoadedLookup(index);
    const wakes: (number | null)[] = [];
    const second = createSyncService({
      db: index,
      library,
      store,
      fetch: fetch,
      now: () => NOW,
      setWake: async (at) => void wakes.push(at),
    });
    await second.ensureWake();
    expect(wakes).toEqual([NOW]); // a prune is pending: wake now
    await second.tick();
    expect(await pruneProgress(index)).toBeNull();
    const left = await ids(index);
    expect(left).toEqual([
      'arxiv:2301.00000',
      ...Array.from({ length: 1500 }, (_, i) => `arxiv:2301.${String(2 * i + 1).padStart(5, '0')}`),
    ]);
    expect((await second.getRetention()).lastRun).toMatchObject({ done: true });
  });

  it('runs after a sync that added papers outside the rule', async () => {
    const { index, library } = dbs();
    const store = memoryStore();
    store.data.set(SETTINGS_KEY, {
      ...DEFAULT_SYNC_SETTINGS,
      arxivRss: { enabled: false, categories: [], intervalHours: 24 },
      fillMissing: { arxiv: true, semanticScholar: false, s2ApiKey: '', huggingface: false },
    });
    store.data.set(RETENTION_KEY, { keepMonths: 6, categories: [] });
    // Retention ran recently, so only the papers of a sync make it run again.
    store.data.set('index-retention:last', { at: NOW, removed: 0, kept: 0, done: true });
    const fetch = vi.fn(async (input: string | URL) =>
      // atomPage's papers are from 2024: older than six months.
      String(input).includes('export.arxiv.org')
        ? new Response(atomPage(['2401.00001', '2401.00002'], 2, 0))
        : new Response('', { status: 404 }),
    );
    const service = createSyncService({
      db: index,
      library,
      store,
      fetch: fetch as unknown as typeof globalThis.fetch,
      now: () => NOW,
      setWake: async () => undefined,
    });
    await library.saved.put(saved('arxiv:2401.00002'));
    await service.notePageSightings([
      { ids: ['arxiv:2401.00001'], title: 'Backfilled', matched: false },
      { ids: ['arxiv:2401.00002'], title: 'Backfilled', matched: false },
    ]);
    await service.tick();
    expect(fetch).toHaveBeenCalled();
    expect(await ids(index)).toEqual(['arxiv:2401.00002']);
  });

  it('after a sync only new papers are judged; the daily run judges all (a paper unsaved since goes then)', async () => {
    const { index, library } = dbs();
    const store = memoryStore();
    await upsertPapers(index, [paper(1, '2019-01-01'), paper(2, '2026-05-01')]);
    await library.saved.put(saved('arxiv:2301.00001'));
    await store.set(RETENTION_KEY, { keepMonths: 12, categories: [] });
    const env = { index, library, store, now: () => NOW };
    expect(await applyRetention(env)).toEqual({ removed: 0, kept: 2, done: true });

    await library.saved.delete('arxiv:2301.00001');
    await upsertPapers(index, [paper(3, '2018-01-01'), paper(4, '2026-05-02')]);
    // After a sync: only papers 3 and 4 are judged; paper 1 (no longer saved) stays for now.
    expect(await applyRetention(env, { onlyNew: true })).toEqual({
      removed: 1,
      kept: 3,
      done: true,
    });
    expect(await ids(index)).toEqual(['arxiv:2301.00001', 'arxiv:2301.00002', 'arxiv:2301.00004']);
    // The daily run judges everything.
    expect(await applyRetention(env)).toEqual({ removed: 1, kept: 2, done: true });
    expect(await ids(index)).toEqual(['arxiv:2301.00002', 'arxiv:2301.00004']);
    // A changed rule is applied to every paper even after a sync.
    await store.set(RETENTION_KEY, { keepMonths: 1, categories: [] });
    expect(await applyRetention(env, { onlyNew: true })).toEqual({
      removed: 2,
      kept: 0,
      done: true,
    });
  });

  it('relevance vectors follow a prune: pruned papers have none, kept ones theirs, appended ones too', async () => {
    const { index, library } = dbs();
    const store = memoryStore();
    await upsertPapers(
      index,
      Array.from({ length: 900 }, (_, n) => paper(n, n < 600 ? '2019-01-01' : '2026-05-01')),
    );
    const vectors = new VectorStore(indexSource(index), metaStorage(index), {
      now: () => NOW,
    });
    await vectors.sync();
    expect(vectors.size).toBe(900);
    await store.set(RETENTION_KEY, { keepMonths: 12, categories: [] });
    await applyRetention({ index, library, store, now: () => NOW });
    // More papers arrive before relevance catches up: the count grows past the old one again.
    await upsertPapers(
      index,
      Array.from({ length: 700 }, (_, n) => paper(5000 + n, '2026-05-02')),
    );
    await vectors.sync();
    expect(vectors.size).toBe(1000);
    const found = await vectors.vectors([
      'arxiv:2301.00001',
      'arxiv:2301.00700',
      'arxiv:2301.05699',
    ]);
    expect([...found.keys()].sort()).toEqual(['arxiv:2301.00700', 'arxiv:2301.05699']);
    // A restarted worker reads the same from what was persisted.
    const cold = new VectorStore(indexSource(index), metaStorage(index), { now: () => NOW });
    await cold.sync();
    expect(cold.size).toBe(1000);
    expect((await cold.vectors(['arxiv:2301.00700'])).size).toBe(1);
  });
});
