/**
 * The benchmark page, built only for `npm run bench` (wxt.config.ts skips it otherwise). It
 * generates the synthetic catalog in the browser (no multi-GB file to ship), imports it into
 * the extension's own index database with the library code, and runs the naive Fuse.js
 * baseline; scripts/bench.mjs drives it through `window.paperlightBench`.
 */
import { browser } from '#imports';
import Fuse from 'fuse.js';
import { openIndexDb } from '../../lib/db';
import { countPapers, flushLookup, upsertPapers } from '../../lib/index-store';
import { sendMessage } from '../../lib/messages';
import { hash53, titleKey } from '../../lib/normalize';
import type { IndexPaper } from '../../lib/types';
import {
  perturb,
  rng,
  titleGenerator,
  type Perturbation,
  type TitleGenerator,
} from '../../scripts/bench/corpus';

interface Seed {
  titles: string[];
  abstracts: string[];
}

const db = openIndexDb();
let generator: TitleGenerator | null = null;
let absentGenerator: TitleGenerator | null = null;
let abstracts: string[] = [];
let realQueue: string[] = [];
const keys = new Set<number>();
/** Every paper's title up to FUSE_LIMIT (for the Fuse.js baseline), and a sample beyond. */
const FUSE_LIMIT = 100_000;
const firstTitles: string[] = [];
const sample: { id: string; title: string }[] = [];
let total = 0;
const random = rng(99);

const SURNAMES =
  'Smith Wang Garcia Müller Kumar Tanaka Rossi Novak Silva Kim Chen Dubois Ivanova Cohen Okafor'.split(
    ' ',
  );

function idOf(ord: number): string {
  return `arxiv:${String(2001 + Math.floor(ord / 99_999)).padStart(4, '0')}.${String((ord % 99_999) + 1).padStart(5, '0')}`;
}

/** Abstract variants: real abstracts with a third of their words swapped, so they compress like text. */
function abstractPool(real: readonly string[], size: number): string[] {
  const words = real.join(' ').split(/\s+/);
  const pool: string[] = [];
  for (let index = 0; index < size; index += 1) {
    const base = (real[index % real.length] ?? '').split(/\s+/);
    pool.push(
      base
        .map((word) =>
          random() < 0.33 ? (words[Math.floor(random() * words.length)] ?? word) : word,
        )
        .join(' '),
    );
  }
  return pool;
}

function nextPaper(): IndexPaper {
  let title: string;
  for (;;) {
    title = realQueue.pop() ?? (generator as TitleGenerator).next();
    const key = hash53(titleKey(title).slice(0, 200));
    if (!keys.has(key)) {
      keys.add(key);
      break;
    }
  }
  const ord = total;
  total += 1;
  const id = idOf(ord);
  if (ord < FUSE_LIMIT) firstTitles.push(title);
  if (ord % 97 === 0) sample.push({ id, title });
  const authors = Array.from(
    { length: 2 + Math.floor(random() * 5) },
    () =>
      `${String.fromCharCode(65 + Math.floor(random() * 26))}. ${SURNAMES[Math.floor(random() * SURNAMES.length)] ?? 'Doe'}`,
  );
  return {
    id,
    title,
    titleKey: '',
    authors,
    abstract: abstracts[Math.floor(random() * abstracts.length)] ?? '',
    published: `20${String(20 + Math.floor(ord / 99_999)).padStart(2, '0')}-01-15`,
    categories: ['cs.LG'],
    sources: ['import'],
  };
}

const bench = {
  setup(seed: Seed): void {
    generator = titleGenerator(seed.titles, 1);
    absentGenerator = titleGenerator(seed.titles, 1001);
    abstracts = abstractPool(seed.abstracts, 3000);
    realQueue = [...seed.titles].reverse();
  },

  async clear(): Promise<void> {
    db.close();
    await db.delete();
    await db.open();
  },

  /** Imports synthetic papers until the index holds `target`; times the IndexedDB part only. */
  async importUpTo(target: number, chunk = 20_000): Promise<Record<string, number>> {
    let generateMs = 0;
    let upsertMs = 0;
    const before = total;
    while (total < target) {
      let start = performance.now();
      const papers: IndexPaper[] = [];
      while (papers.length < chunk && total < target) papers.push(nextPaper());
      generateMs += performance.now() - start;
      start = performance.now();
      await upsertPapers(db, papers, { deferLookup: true });
      upsertMs += performance.now() - start;
    }
    const start = performance.now();
    await flushLookup(db);
    const flushMs = performance.now() - start;
    const estimate = await navigator.storage.estimate();
    return {
      added: total - before,
      count: await countPapers(db),
      generateMs,
      upsertMs,
      flushMs,
      usageBytes: estimate.usage ?? 0,
    };
  },

  /** 2,000 page entries: `mix` = exact renderings of indexed titles (80%) and absent titles
   * (20%); `fuzzy` = typo/truncated/dropped-word renderings; `arxiv` = entries with ids. */
  queries(
    kind: 'mix' | 'fuzzy' | 'arxiv',
    count = 2000,
    /** Another page of the same kind: other papers (absent titles are always new ones). */
    page = 0,
  ): { ref: number; title: string; ids: string[] }[] {
    const local = rng(kind.length * 7919 + total + page * 104_729);
    const pick = () => sample[Math.floor(local() * sample.length)] ?? { id: '', title: '' };
    const exactKinds: Perturbation[] = ['exact', 'case', 'punctuation', 'whitespace', 'latex'];
    const fuzzyKinds: Perturbation[] = ['typo', 'truncated', 'dropped-word'];
    const out: { ref: number; title: string; ids: string[] }[] = [];
    while (out.length < count) {
      const ref = out.length;
      if (kind !== 'fuzzy' && local() < (kind === 'arxiv' ? 0.1 : 0.2)) {
        const title = (absentGenerator as TitleGenerator).next();
        out.push({
          ref,
          title,
          ids: kind === 'arxiv' ? [`arxiv:2412.${String(90000 + ref).padStart(5, '0')}`] : [],
        });
        continue;
      }
      const paper = pick();
      if (kind === 'arxiv') {
        out.push({ ref, title: paper.title, ids: [paper.id] });
        continue;
      }
      const kinds = kind === 'mix' ? exactKinds : fuzzyKinds;
      const title = perturb(
        local,
        paper.title,
        kinds[Math.floor(local() * kinds.length)] ?? 'exact',
      );
      if (title !== null) out.push({ ref, title, ids: [] });
    }
    return out;
  },

  /** The page's own message round trip, as a content script sends it (relevance separately). */
  async lookup(
    entries: { ref: number; title: string; ids: string[] }[],
  ): Promise<{ ms: number; matched: number }> {
    const start = performance.now();
    const { annotations } = await sendMessage(
      (message) => browser.runtime.sendMessage(message),
      'lookupEntries',
      { entries, relevance: 'separate' },
    );
    const ms = performance.now() - start;
    return { ms, matched: annotations.filter((item) => item.matched).length };
  },

  /** Fuse.js over the first `size` titles: index build, then queries until `capMs` is spent. */
  fuse(
    size: number,
    titles: string[],
    capMs: number,
  ): { buildMs: number; perTitleMs: number[]; found: number } {
    const list = firstTitles.slice(0, size).map((title) => ({ title }));
    let start = performance.now();
    const index = Fuse.createIndex(['title'], list);
    const fuse = new Fuse(list, { keys: ['title'], includeScore: true }, index);
    const buildMs = performance.now() - start;
    const perTitleMs: number[] = [];
    let found = 0;
    const began = performance.now();
    for (const title of titles) {
      if (performance.now() - began > capMs) break;
      start = performance.now();
      const hits = fuse.search(title, { limit: 5 });
      perTitleMs.push(performance.now() - start);
      if (hits.length > 0) found += 1;
    }
    return { buildMs, perTitleMs, found };
  },

  /** Titles of indexed papers among the first `size`, for the baseline's queries. */
  fuseQueries(size: number, count: number): string[] {
    const local = rng(size);
    return Array.from(
      { length: count },
      () => firstTitles[Math.floor(local() * Math.min(size, firstTitles.length))] ?? '',
    );
  },

  async storage(): Promise<number> {
    return (await navigator.storage.estimate()).usage ?? 0;
  },
};

Object.assign(window, { paperlightBench: bench });
document.title = 'Paperlight benchmark (ready)';
