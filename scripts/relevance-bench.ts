/**
 * Relevance benchmarks (called by scripts/bench-relevance.mjs, which `npm run bench` runs):
 * scoring a 2,000-entry page from stored vectors (target ≤ 20 ms), retraining one tag on a
 * 100k-paper index (target ≤ 1 s), and the import-time and on-the-fly vectorizing costs around
 * them. The index is synthetic (topic-structured pseudo-words, ~170 distinct features per paper,
 * like real abstracts) and lives in memory: this measures CPU, not IndexedDB.
 */
import { RelevanceEngine, type LibraryReader, type LibrarySnapshot } from '../lib/relevance/engine';
import { vectorize, type PaperText } from '../lib/relevance/features';
import { seededRandom } from '../lib/relevance/model';
import {
  VectorStore,
  type ChunkStorage,
  type IndexedText,
  type IndexSource,
} from '../lib/relevance/store';
import type { SavedPaper } from '../lib/types';

export interface BenchRow {
  scenario: string;
  size: number;
  median: number;
  p95: number;
  baseline?: number;
  /** ms unless said otherwise. */
  unit?: string;
}

const TOPICS = 60;

function makeCorpus(count: number, seed: number): IndexedText[] {
  const random = seededRandom(seed);
  const word = (): string => {
    const length = 4 + Math.floor(random() * 7);
    let text = '';
    for (let index = 0; index < length; index += 1)
      text += String.fromCharCode(97 + Math.floor(random() * 26));
    return text;
  };
  const general = Array.from({ length: 20_000 }, word);
  const topics = Array.from({ length: TOPICS }, () => Array.from({ length: 150 }, word));
  // Zipf-like: low indices far more often.
  const zipf = (list: readonly string[]): string =>
    list[Math.floor(list.length * random() ** 3)] ?? '';
  return Array.from({ length: count }, (_, index) => {
    const topic = topics[index % TOPICS] ?? [];
    const pick = (): string => (random() < 0.45 ? zipf(topic) : zipf(general));
    const sentence = (words: number): string => Array.from({ length: words }, pick).join(' ');
    return {
      id: `arxiv:${String(2400 + (index % 12)).padStart(4, '0')}.${String(index).padStart(6, '0')}`,
      title: sentence(10),
      abstract: `${sentence(40)}. ${sentence(40)}. ${sentence(40)}.`,
      authors: [`${zipf(general)} ${zipf(general)}`, `${zipf(general)} ${zipf(general)}`],
    };
  });
}

/** Bytes a stored value takes (typed arrays and strings; small fields ignored). */
function sizeOf(value: unknown): number {
  if (ArrayBuffer.isView(value)) return value.byteLength;
  if (typeof value === 'string') return value.length;
  if (Array.isArray(value)) return value.reduce((sum: number, item) => sum + sizeOf(item), 0);
  if (typeof value === 'object' && value !== null)
    return Object.values(value).reduce((sum: number, item) => sum + sizeOf(item), 0);
  return 8;
}

/** `meta` in memory, counting what is read, as IndexedDB would have to. */
function memoryStorage(): ChunkStorage & {
  map: Map<string, unknown>;
  reads: number;
  readBytes: number;
} {
  const map = new Map<string, unknown>();
  const storage = {
    map,
    reads: 0,
    readBytes: 0,
    async get(key: string) {
      const value = map.get(key);
      storage.reads += 1;
      storage.readBytes += value === undefined ? 0 : sizeOf(value);
      return value;
    },
    async getMany(keys: readonly string[]) {
      return Promise.all(keys.map((key) => storage.get(key)));
    },
    async put(entries: { key: string; value: unknown }[]) {
      for (const entry of entries) map.set(entry.key, entry.value);
    },
    async delete(keys: string[]) {
      for (const key of keys) map.delete(key);
    },
  };
  return storage;
}

function arraySource(papers: readonly IndexedText[]): IndexSource {
  const ordinalOf = new Map(papers.map((paper, ordinal) => [paper.id, ordinal]));
  return {
    async ordinals(ids) {
      const found = new Map<string, number>();
      for (const id of ids) {
        const ordinal = ordinalOf.get(id);
        if (ordinal !== undefined) found.set(id, ordinal);
      }
      return found;
    },
    async stats() {
      return { count: papers.length, revision: 1 };
    },
    async readFrom(from, visit) {
      for (let start = from; start < papers.length; start += 4096) {
        await visit(
          papers
            .slice(start, start + 4096)
            .map((paper, offset) => ({ ordinal: start + offset, paper })),
        );
      }
    },
  };
}

function savedOf(paper: IndexedText, tags: string[]): SavedPaper {
  return {
    id: paper.id,
    snapshot: {
      title: paper.title,
      authors: [...(paper.authors ?? [])],
      ...(paper.abstract ? { abstract: paper.abstract } : {}),
    },
    savedAt: 1,
    updatedAt: 1,
    tags,
    note: '',
    status: 'to-read',
  };
}

function stats(samples: number[]): { median: number; p95: number } {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number): number =>
    sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
  return { median: Number(at(0.5).toFixed(2)), p95: Number(at(0.95).toFixed(2)) };
}

async function time(runs: number, body: (run: number) => Promise<void> | void): Promise<number[]> {
  const samples: number[] = [];
  for (let run = 0; run < runs; run += 1) {
    const started = performance.now();
    await body(run);
    samples.push(performance.now() - started);
  }
  return samples;
}

/** Runs the relevance benchmarks; `indexSize` defaults to 100k papers. */
export async function benchRelevance(options: { indexSize?: number } = {}): Promise<BenchRow[]> {
  const indexSize = options.indexSize ?? 100_000;
  const papers = makeCorpus(indexSize, 7);
  const rows: BenchRow[] = [];

  // Import time: vectors are computed once per paper when it enters the index.
  const sample = papers.slice(0, 2000);
  const importRuns = await time(5, () => {
    for (const paper of sample) vectorize(paper);
  });
  rows.push({
    scenario: 'relevance: vectorize 2,000 papers at import (title+abstract+authors)',
    size: 2000,
    ...stats(importRuns),
  });

  const storage = memoryStorage();
  // One id → ordinal map for every store below: it stands for the index's own look-up structures,
  // which a restarted worker has anyway (building it per cold run was half the cold rows' time).
  const source = arraySource(papers);
  const store = new VectorStore(source, storage);
  await store.sync();

  // Five tags of 40 papers each, from five topics, plus the whole library.
  const tags = ['t0', 't1', 't2', 't3', 't4'];
  const saved = tags.flatMap((tag, topic) =>
    papers
      .filter((_, index) => index % TOPICS === topic)
      .slice(0, 40)
      .map((paper) => savedOf(paper, [tag])),
  );
  let snapshot: LibrarySnapshot = {
    saved,
    tags: tags.map((name, index) => ({ name, color: `#00000${index}`, createdAt: 1 })),
    dismissed: [],
    interests: [
      { id: 'i', query: `"${papers[3]?.title.split(' ')[0] ?? 'x'}" OR author:zzz`, createdAt: 1 },
    ],
  };
  let revision = 0;
  const library: LibraryReader = {
    async signature() {
      return String(revision);
    },
    async read() {
      return snapshot;
    },
  };
  const engine = new RelevanceEngine(store, storage, library);
  await engine.prepare();

  // 2,000-entry pages whose papers are all in the index (vectors stored): a listing of the
  // newest papers (the end of the index, where sync appends them), and one scattered at random
  // over the whole index (a look-up reads at most MAX_CHUNK_READS chunks; the rest is scored from
  // the page's text).
  const random = seededRandom(11);
  const entryOf = (paper: IndexedText, ref: number) => {
    const text: PaperText = { title: paper.title, authors: paper.authors ?? [] };
    return { ref, id: paper.id, text };
  };
  const page = Array.from({ length: 2000 }, (_, ref) =>
    entryOf(papers[Math.floor(random() * papers.length)] as IndexedText, ref),
  );
  const contiguous = Array.from({ length: 2000 }, (_, ref) =>
    entryOf(papers[papers.length - 2000 + ref] as IndexedText, ref),
  );
  for (const [name, entries] of [
    ['a listing of the 2,000 newest papers', contiguous],
    ['2,000 papers scattered over the index', page],
  ] as const) {
    const cpu: number[] = [];
    await engine.score(entries); // warm: chunks read, scoring table built
    const scoreRuns = await time(15, async () => {
      const before = process.cpuUsage();
      await engine.score(entries);
      const used = process.cpuUsage(before);
      cpu.push((used.user + used.system) / 1000);
    });
    rows.push({
      scenario: `relevance: score ${name} (stored vectors, 5 tags + library + 1 rule)`,
      size: 2000,
      ...stats(scoreRuns),
      baseline: 20,
    });
    // CPU time of the same runs: on a shared machine, wall time also counts others' processes.
    rows.push({
      scenario: `relevance: score ${name}, CPU time of the same runs`,
      size: 2000,
      ...stats(cpu),
      baseline: 20,
    });
  }

  // The rows above score the same page again and again (as a re-scan or a dismissal does), so the
  // scattered page is served from remembered rows after a few runs. A page the engine has not
  // seen yet reads at most MAX_CHUNK_READS chunks and scores the rest from the page's text.
  const newPages = Array.from({ length: 5 }, (_, run) => {
    const pick = seededRandom(100 + run);
    return Array.from({ length: 2000 }, (_, ref) =>
      entryOf(papers[Math.floor(pick() * papers.length)] as IndexedText, ref),
    );
  });
  const newPageRuns = await time(newPages.length, async (run) => {
    await engine.score(newPages[run] as (typeof newPages)[number]);
  });
  rows.push({
    scenario:
      'relevance: score a new page of 2,000 papers scattered over the index (first look-up, warm engine)',
    size: 2000,
    ...stats(newPageRuns),
  });

  // What a page's scores leave out: the words and the nearest saved paper of a highlighted entry,
  // asked for by its hover card (`getRelevanceExplanation` → `explain`), one entry per request.
  const listingScores = await engine.score(contiguous);
  const highlighted = contiguous.filter((entry) => listingScores.get(entry.ref)?.level !== 'none');
  const explainRuns = await time(Math.min(60, highlighted.length), async (run) => {
    // With the index's text, abstract included, as the handler passes it.
    const entry = highlighted[run] as (typeof highlighted)[number];
    const paper = papers[papers.length - 2000 + entry.ref] as IndexedText;
    await engine.explain({ ref: entry.ref, id: paper.id, text: paper });
  });
  rows.push({
    scenario: `relevance: reasons of one highlighted entry on demand (hover card; ${highlighted.length} of the listing's 2,000 highlighted)`,
    size: 1,
    ...stats(explainRuns),
  });

  // Entries the index lacks: vectorized from the page's text on the fly.
  const unknown = page.map((entry, ref) => {
    const paper = papers[ref] as IndexedText;
    return {
      ref,
      text: {
        title: paper.title,
        ...(paper.abstract ? { abstract: paper.abstract } : {}),
        authors: paper.authors ?? [],
      },
    };
  });
  const onTheFly = await time(5, async () => {
    await engine.score(unknown);
  });
  rows.push({
    scenario:
      'relevance: score 2,000 entries not in the index (title+abstract vectorized on the fly)',
    size: 2000,
    ...stats(onTheFly),
  });
  const titlesOnly = unknown.map((entry) => ({
    ref: entry.ref,
    text: { title: entry.text.title, authors: entry.text.authors },
  }));
  const titleRuns = await time(5, async () => {
    await engine.score(titlesOnly);
  });
  rows.push({
    scenario: 'relevance: score 2,000 entries not in the index (title+authors only)',
    size: 2000,
    ...stats(titleRuns),
  });

  // Retraining one tag after the user tags one more paper: sample negatives, train, calibrate.
  const trainRuns = await time(5, async (run) => {
    const extra = papers[(40 + run) * TOPICS] as IndexedText; // topic 0, not yet tagged
    snapshot = { ...snapshot, saved: snapshot.saved.map((paper) => paper) };
    const index = snapshot.saved.findIndex((paper) => paper.id === extra.id);
    if (index >= 0)
      snapshot.saved[index] = { ...(snapshot.saved[index] as SavedPaper), tags: ['t0'] };
    else snapshot.saved.push(savedOf(extra, ['t0']));
    revision += 1;
    await engine.refresh();
  });
  rows.push({
    scenario: `relevance: retrain after tagging a paper (tag + library model) on a ${Math.round(indexSize / 1000)}k-paper index`,
    size: indexSize,
    ...stats(trainRuns),
    baseline: 1000,
  });

  // A restarted service worker: the manifest, the models and the page's chunks are all it reads.
  const kb = (bytes: number): number => Number((bytes / 1024).toFixed(0));
  for (const [name, entries] of [
    ['2,000 entries scattered over the index', page],
    ['2,000 recent entries (a listing page)', contiguous],
  ] as const) {
    const reads: { count: number; bytes: number }[] = [];
    const coldRuns = await time(5, async () => {
      const before = { count: storage.reads, bytes: storage.readBytes };
      const coldStore = new VectorStore(source, storage);
      const cold = new RelevanceEngine(coldStore, storage, library);
      await cold.score(entries);
      reads.push({ count: storage.reads - before.count, bytes: storage.readBytes - before.bytes });
    });
    const read = reads[0] ?? { count: 0, bytes: 0 };
    rows.push({
      scenario: `relevance: cold worker, load and score ${name} (${read.count} reads, ${kb(read.bytes)} KB, in-memory storage)`,
      size: indexSize,
      ...stats(coldRuns),
    });
  }

  let stored = 0;
  for (const [key, value] of storage.map)
    if (key.startsWith('relevance:v2:')) stored += sizeOf(value);
  rows.push({
    scenario: `relevance: stored vectors on disk, MB per ${Math.round(indexSize / 1000)}k papers`,
    size: indexSize,
    median: Number((stored / 1e6).toFixed(1)),
    p95: Number((stored / 1e6).toFixed(1)),
    unit: 'MB',
  });
  rows.push({
    scenario: `relevance: vector store resident in memory (document frequencies + chunk cache + recent rows), MB at ${Math.round(indexSize / 1000)}k papers`,
    size: indexSize,
    median: Number((store.bytes / 1e6).toFixed(1)),
    p95: Number((store.bytes / 1e6).toFixed(1)),
    unit: 'MB',
  });
  return rows;
}

/**
 * The vector store alone at a large index (`node scripts/bench-relevance.mjs --store 1000000`):
 * synthetic papers with titles, authors and a short abstract, so a million vectorize in minutes,
 * not the hour full abstracts would take. What stays resident does not depend on the text.
 */
export async function benchStoreAtScale(count: number): Promise<BenchRow[]> {
  const random = seededRandom(3);
  const vocabulary = Array.from({ length: 50_000 }, (_, index) => `w${index.toString(36)}`);
  const word = (): string => vocabulary[Math.floor(vocabulary.length * random() ** 2)] ?? '';
  const paperAt = (ordinal: number): IndexedText => ({
    id: `doi:10.1/${ordinal}`,
    title: Array.from({ length: 10 }, word).join(' '),
    abstract: Array.from({ length: 30 }, word).join(' '),
    authors: [`${word()} ${word()}`],
  });
  const source: IndexSource = {
    async stats() {
      return { count, revision: 1 };
    },
    async readFrom(from, visit) {
      for (let start = from; start < count; start += 4096) {
        const end = Math.min(count, start + 4096);
        const batch = [];
        for (let ordinal = start; ordinal < end; ordinal += 1)
          batch.push({ ordinal, paper: paperAt(ordinal) });
        await visit(batch);
      }
    },
    async ordinals(ids) {
      return new Map(ids.map((id) => [id, Number(id.slice('doi:10.1/'.length))]));
    },
  };
  const storage = memoryStorage();
  const heapBefore = process.memoryUsage().heapUsed;
  const started = performance.now();
  await new VectorStore(source, storage).sync();
  const importMs = performance.now() - started;
  let stored = 0;
  for (const [key, value] of storage.map)
    if (key.startsWith('relevance:v2:')) stored += sizeOf(value);
  const page = Array.from({ length: 2000 }, (_, index) => `doi:10.1/${count - 2000 + index}`);
  const scattered = Array.from({ length: 2000 }, () => `doi:10.1/${Math.floor(random() * count)}`);
  const rows: BenchRow[] = [
    {
      scenario: `relevance store: vectorize and persist ${count.toLocaleString('en')} short papers`,
      size: count,
      median: Math.round(importMs),
      p95: Math.round(importMs),
    },
    {
      scenario: `relevance store: stored vectors, MB (short papers: ~50 terms each)`,
      size: count,
      median: Number((stored / 1e6).toFixed(1)),
      p95: Number((stored / 1e6).toFixed(1)),
    },
  ];
  for (const [name, ids] of [
    ['2,000 recent', page],
    ['2,000 scattered', scattered],
  ] as const) {
    const samples: number[] = [];
    let resident = 0;
    for (let run = 0; run < 5; run += 1) {
      const cold = new VectorStore(source, storage);
      const at = performance.now();
      await cold.vectors(ids);
      samples.push(performance.now() - at);
      resident = cold.bytes;
    }
    rows.push({
      scenario: `relevance store: cold load + vectors of ${name} papers (in-memory storage)`,
      size: count,
      ...stats(samples),
    });
    rows.push({
      scenario: `relevance store: resident after that look-up, MB`,
      size: count,
      median: Number((resident / 1e6).toFixed(1)),
      p95: Number((resident / 1e6).toFixed(1)),
    });
  }
  rows.push({
    scenario: 'relevance store: JS heap growth over the run (storage map included), MB',
    size: count,
    median: Number(((process.memoryUsage().heapUsed - heapBefore) / 1e6).toFixed(0)),
    p95: 0,
  });
  return rows;
}
