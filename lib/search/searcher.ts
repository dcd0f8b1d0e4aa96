/**
 * Searching loaded segments: every free word must match (the last one as a prefix while typing),
 * `a:` words must match an author, `y:` bounds the year. Scores are field-weighted idf (title >
 * authors > abstract); Fuse.js then re-ranks the best candidates by how closely their titles
 * match what was typed. A uFuzzy pass over titles and authors tolerates typos when words find
 * nothing (performance.md §5: uFuzzy over `title | authors`, no index build).
 */
import uFuzzy from '@leeoniya/ufuzzy';
import Fuse from 'fuse.js';
import type { CanonicalId } from '../types';
import { yieldToEventLoop } from './library-search';
import type { ParsedQuery } from './query';
import { FIELD_AUTHORS, FIELD_TITLE, type SearchSegment } from './segment';

export interface SearchHit {
  id: CanonicalId;
  title: string;
  authors: string;
  year?: number;
  /** Ordinal of the paper in the index. */
  ordinal: number;
  score: number;
  /** Where the words matched: bit set of FIELD_TITLE, FIELD_AUTHORS, FIELD_ABSTRACT. */
  fields: number;
}

/** How many prefix expansions one growing word may use (the most frequent ones). */
const MAX_EXPANSIONS = 48;
const SHORT_PREFIX_EXPANSIONS = 4;
/** Candidates Fuse re-ranks by title. */
const RERANK = 60;
/** Work the typo-tolerant pass may do in all before it answers with what it found. */
const FUZZY_BUDGET_MS = 400;
/** Query words the typo-tolerant pass looks at. */
const FUZZY_MAX_TERMS = 4;
/** Matches enough to pick from; more would only cost time. */
const FUZZY_MAX_MATCHES = 500;
/** Matches uFuzzy ranks (its `info` over a long needle took ~180 ms for 500 in Chromium). */
const FUZZY_MAX_RANKED = 200;
/** Decoded postings kept for reuse across keystrokes (5 bytes each: ~10 MB). */
const MAX_CACHED_POSTINGS = 2_000_000;

interface ExpandedTerm {
  term: number;
  exact: boolean;
}

/** A term's docs (ascending) and the fields it occurs in, per doc. */
interface DecodedTerm {
  docs: Int32Array;
  fields: Uint8Array;
}

export class LoadedSegment {
  readonly start: number;
  readonly size: number;
  readonly ids: string[];
  readonly titles: string[];
  readonly authors: string[];
  readonly years: Uint16Array;
  readonly terms: string[];
  private readonly offsets: Uint32Array;
  private readonly df: Uint32Array;
  private readonly postings: Uint8Array;
  private readonly stamp: Uint32Array;
  private readonly mask: Uint8Array;
  private readonly partial: Float32Array;
  private readonly total: Float32Array;
  private readonly totalMask: Uint8Array;
  /** The generation of the last clause a doc passed. */
  private readonly alive: Uint32Array;
  private readonly found: Int32Array;
  private generation = 0;
  /** Decoded posting lists by term, least recently used first. */
  private readonly decoded = new Map<number, DecodedTerm>();
  private cachedPostings = 0;
  private haystack: string[] | null = null;

  /**
   * @param key the segment's row key, when loaded from the database (lets a reload reuse it).
   */
  constructor(
    segment: SearchSegment,
    readonly key?: string,
  ) {
    this.start = segment.start;
    this.ids = segment.ids === '' ? [] : segment.ids.split('\n');
    this.size = this.ids.length;
    this.titles = segment.titles.split('\n');
    this.authors = segment.authors.split('\n');
    this.years = segment.years;
    this.terms = segment.terms === '' ? [] : segment.terms.split('\n');
    this.offsets = segment.offsets;
    this.df = segment.df;
    this.postings = segment.postings;
    this.stamp = new Uint32Array(this.size);
    this.mask = new Uint8Array(this.size);
    this.partial = new Float32Array(this.size);
    this.total = new Float32Array(this.size);
    this.totalMask = new Uint8Array(this.size);
    this.alive = new Uint32Array(this.size);
    this.found = new Int32Array(this.size);
  }

  /** First index whose term is ≥ `word`. */
  private lowerBound(word: string): number {
    let low = 0;
    let high = this.terms.length;
    while (low < high) {
      const mid = (low + high) >> 1;
      if ((this.terms[mid] ?? '') < word) low = mid + 1;
      else high = mid;
    }
    return low;
  }

  /** Term indexes a word stands for: itself, plus (as a prefix) its most frequent extensions. */
  expand(word: string, prefix: boolean): ExpandedTerm[] {
    const first = this.lowerBound(word);
    const found: ExpandedTerm[] = [];
    if (this.terms[first] === word) found.push({ term: first, exact: true });
    if (!prefix) return found;
    const limit = word.length < 3 ? SHORT_PREFIX_EXPANSIONS : MAX_EXPANSIONS;
    const extensions: number[] = [];
    for (let term = found.length ? first + 1 : first; term < this.terms.length; term += 1) {
      if (!(this.terms[term] ?? '').startsWith(word)) break;
      extensions.push(term);
    }
    // The most frequent extensions first, and no more postings in all than about one pass over the
    // segment's docs (half a pass for two letters, which say little yet): a short prefix of a common
    // word would otherwise visit most of the index on every keystroke.
    extensions.sort((a, b) => (this.df[b] ?? 0) - (this.df[a] ?? 0));
    let budget = word.length < 3 ? this.size / 2 : this.size;
    let kept = 0;
    while (kept < extensions.length && kept < limit && (kept === 0 || budget > 0)) {
      budget -= this.df[extensions[kept] ?? 0] ?? 0;
      kept += 1;
    }
    extensions.length = kept;
    for (const term of extensions) found.push({ term, exact: false });
    return found;
  }

  private idf(term: number): number {
    return Math.log(1 + this.size / Math.max(1, this.df[term] ?? 1));
  }

  /**
   * A term's posting list decoded once into typed arrays and kept in a small cache: while a query
   * is typed, the finished words and the growing word's frequent extensions (`evaluation` for
   * `eval`, `evalu`, …) stay the same from one keystroke to the next, and decoding their long lists
   * again was most of a keystroke's p95.
   */
  private decodeTerm(term: number): DecodedTerm {
    const cached = this.decoded.get(term);
    if (cached) {
      // Most recently used last, so eviction takes the oldest.
      this.decoded.delete(term);
      this.decoded.set(term, cached);
      return cached;
    }
    const { postings } = this;
    const start = this.offsets[term] ?? 0;
    const end = this.offsets[term + 1] ?? 0;
    const count = this.df[term] ?? 0;
    const docs = new Int32Array(count);
    const fields = new Uint8Array(count);
    let at = start;
    let doc = -1;
    for (let index = 0; index < count && at < end; index += 1) {
      let code = 0;
      let shift = 1;
      let byte: number;
      do {
        byte = postings[at] ?? 0;
        at += 1;
        code += (byte & 0x7f) * shift;
        shift *= 128;
      } while (byte & 0x80);
      doc += (code - (code % 8)) / 8;
      docs[index] = doc;
      fields[index] = code % 8;
    }
    const entry = { docs, fields };
    this.decoded.set(term, entry);
    this.cachedPostings += count;
    for (const [oldTerm, old] of this.decoded) {
      if (this.cachedPostings <= MAX_CACHED_POSTINGS || this.decoded.size <= 1) break;
      this.decoded.delete(oldTerm);
      this.cachedPostings -= old.docs.length;
    }
    return entry;
  }

  /**
   * Docs matching every clause, with scores and matched fields. Clauses run smallest first; each
   * later one only keeps docs still alive, so the candidate list only shrinks.
   */
  search(query: ParsedQuery, limit: number): SearchHit[] {
    const clauses: { terms: ExpandedTerm[]; fieldsRequired: number; size: number }[] = [];
    const add = (terms: ExpandedTerm[], fieldsRequired: number): void => {
      const size = terms.reduce((sum, { term }) => sum + (this.df[term] ?? 0), 0);
      clauses.push({ terms, fieldsRequired, size });
    };
    query.words.forEach((word, index) => {
      const prefix = query.lastIsPrefix && index === query.words.length - 1;
      // One growing letter says too little to search a whole index with: wait for the next one.
      if (prefix && word.length < 2) return;
      add(this.expand(word, prefix), 0);
    });
    for (const word of query.authors) add(this.expand(word, word.length >= 2), FIELD_AUTHORS);
    if (clauses.length === 0) return [];
    if (clauses.some((clause) => clause.terms.length === 0)) return [];
    clauses.sort((a, b) => a.size - b.size);

    const { stamp, mask, partial, total, totalMask, alive, found } = this;
    let count = 0;
    let previous = 0;
    for (const [position, clause] of clauses.entries()) {
      this.generation += 1;
      const generation = this.generation;
      const first = position === 0;
      const required = clause.fieldsRequired;
      // Each doc enters `found` once per clause (the stamp); earlier clauses live on in `alive`,
      // so one segment-sized buffer serves every clause.
      count = 0;
      for (const { term, exact } of clause.terms) {
        const weight = this.idf(term) * (exact ? 1 : 0.85);
        const { docs, fields: termFields } = this.decodeTerm(term);
        for (let index = 0; index < docs.length; index += 1) {
          const doc = docs[index] ?? 0;
          if (!first && alive[doc] !== previous) continue;
          const fields = termFields[index] ?? 0;
          if (required && !(fields & required)) continue;
          const score = weight * (fields & FIELD_TITLE ? 3 : fields & FIELD_AUTHORS ? 2 : 1);
          if (stamp[doc] !== generation) {
            stamp[doc] = generation;
            mask[doc] = fields;
            partial[doc] = score;
            found[count] = doc;
            count += 1;
          } else {
            mask[doc] = (mask[doc] ?? 0) | fields;
            if (score > (partial[doc] ?? 0)) partial[doc] = score;
          }
        }
      }
      for (let index = 0; index < count; index += 1) {
        const doc = found[index] ?? 0;
        total[doc] = (first ? 0 : (total[doc] ?? 0)) + (partial[doc] ?? 0);
        totalMask[doc] = (first ? 0 : (totalMask[doc] ?? 0)) | (mask[doc] ?? 0);
        alive[doc] = generation;
      }
      previous = generation;
      if (count === 0) return [];
    }
    if (query.yearFrom !== undefined || query.yearTo !== undefined) {
      const from = query.yearFrom ?? 0;
      const to = query.yearTo ?? 9999;
      let kept = 0;
      for (let index = 0; index < count; index += 1) {
        const doc = found[index] ?? 0;
        const year = this.years[doc] ?? 0;
        if (year >= from && year <= to) {
          found[kept] = doc;
          kept += 1;
        }
      }
      count = kept;
    }
    const top = topByScore(found, count, total, limit);
    return top.map((doc) => this.hit(doc, total[doc] ?? 0, totalMask[doc] ?? 0));
  }

  hit(doc: number, score: number, fields: number): SearchHit {
    const year = this.years[doc] ?? 0;
    const hit: SearchHit = {
      id: this.ids[doc] ?? '',
      title: this.titles[doc] ?? '',
      authors: this.authors[doc] ?? '',
      ordinal: this.start + doc,
      score,
      fields,
    };
    if (year) hit.year = year;
    return hit;
  }

  /**
   * `title ¦ authors` lines for uFuzzy, built on first use up to `end` (building all 100k at once
   * would be one long task of its own).
   */
  fuzzyHaystack(end = this.size): string[] {
    const haystack = (this.haystack ??= []);
    for (let doc = haystack.length; doc < Math.min(end, this.size); doc += 1) {
      haystack.push(`${this.titles[doc] ?? ''} ¦ ${this.authors[doc] ?? ''}`);
    }
    return haystack;
  }
}

/**
 * The `limit` best of the first `count` docs by score, best first (ties: the higher ordinal). A
 * bounded selection over the typed arrays, not a sort: a short prefix leaves ~100k candidates.
 */
function topByScore(
  docs: Int32Array,
  count: number,
  scores: Float32Array,
  limit: number,
): number[] {
  const better = (a: number, b: number): number => (scores[b] ?? 0) - (scores[a] ?? 0) || b - a;
  const kept: number[] = [];
  let floorScore = -Infinity;
  let floorDoc = -1;
  for (let index = 0; index < count; index += 1) {
    const doc = docs[index] ?? 0;
    const score = scores[doc] ?? 0;
    // Not better than the worst kept one: skipped (a tie goes to the higher ordinal).
    if (score < floorScore || (score === floorScore && doc < floorDoc)) continue;
    kept.push(doc);
    if (kept.length >= limit * 2) {
      kept.sort(better);
      kept.length = limit;
      floorDoc = kept[limit - 1] ?? 0;
      floorScore = scores[floorDoc] ?? 0;
    }
  }
  return kept.sort(better).slice(0, limit);
}

const fuzzyMatcher = new uFuzzy({ intraMode: 1, intraIns: 1 });

export class IndexSearcher {
  constructor(readonly segments: readonly LoadedSegment[]) {}

  get size(): number {
    return this.segments.reduce((sum, segment) => sum + segment.size, 0);
  }

  /** Word search over all segments; later segments shadow earlier copies of the same id. */
  search(query: ParsedQuery, limit = 50): SearchHit[] {
    const hits: SearchHit[] = [];
    for (const segment of this.segments) hits.push(...segment.search(query, RERANK + limit));
    const deduped = dedupe(hits);
    deduped.sort((a, b) => b.score - a.score || b.ordinal - a.ordinal);
    return rerankByTitle(deduped.slice(0, Math.max(RERANK, limit)), query.text).slice(0, limit);
  }

  /**
   * Typo-tolerant title/author search for when words find nothing, all at once. uFuzzy's cost
   * depends on the needle (up to seconds over 100k titles for a long one): the popup uses
   * `fuzzySliced`, which never blocks the page for long and gives up after a bounded amount of work.
   */
  fuzzy(query: ParsedQuery, limit = 30): SearchHit[] {
    let result: SearchHit[] = [];
    const run = this.fuzzySteps(query, limit, Infinity);
    for (let step = run.next(); ; step = run.next()) {
      if (step.done) {
        result = step.value;
        break;
      }
    }
    return result;
  }

  /**
   * The typo-tolerant pass in slices of about `sliceMs` of work, yielding to the page between them
   * (typing and painting go on) and stopping after `budgetMs` of work in all, with what it found by
   * then. Rejects with the signal's reason once aborted: a newer query replaces this one.
   */
  async fuzzySliced(
    query: ParsedQuery,
    options: {
      limit?: number;
      signal?: AbortSignal;
      sliceMs?: number;
      budgetMs?: number;
      yieldToPage?: () => Promise<void>;
    } = {},
  ): Promise<SearchHit[]> {
    const yieldToPage = options.yieldToPage ?? yieldToEventLoop;
    const run = this.fuzzySteps(query, options.limit ?? 30, options.sliceMs ?? 8, options.budgetMs);
    for (;;) {
      options.signal?.throwIfAborted();
      const step = run.next();
      if (step.done) return step.value;
      await yieldToPage();
    }
  }

  /**
   * The fuzzy pass as a generator that yields whenever a slice's time is used up. Titles are
   * filtered in chunks sized from the time the previous chunk took, so one call to uFuzzy stays
   * within about half a slice whatever the needle costs per title.
   */
  private *fuzzySteps(
    query: ParsedQuery,
    limit: number,
    sliceMs: number,
    budgetMs = FUZZY_BUDGET_MS,
  ): Generator<void, SearchHit[], void> {
    // Long needles cost most and add little to a typo match: the first words are enough.
    const needle = query.text.split(' ').slice(0, FUZZY_MAX_TERMS).join(' ').slice(0, 64);
    if (needle.length < 3) return [];
    const from = query.yearFrom ?? 0;
    const to = query.yearTo ?? 9999;
    const hits: SearchHit[] = [];
    let worked = 0;
    let sliceStart = performance.now();
    for (const segment of this.segments) {
      const matched: number[] = [];
      let chunk = 100;
      for (let offset = 0; offset < segment.size; offset += chunk) {
        const started = performance.now();
        const part = segment.fuzzyHaystack(offset + chunk).slice(offset, offset + chunk);
        for (const index of fuzzyMatcher.filter(part, needle) ?? []) matched.push(offset + index);
        const took = performance.now() - started;
        worked += took;
        // Aim for chunks of about half a slice: at most twice as many titles as the last chunk, as
        // the cost per title varies along the index.
        const aim = Math.round((chunk * (sliceMs / 2)) / (took + 0.05));
        chunk = Math.max(25, Math.min(2 * chunk, 20_000, aim));
        if (worked > budgetMs || matched.length >= FUZZY_MAX_MATCHES) break;
        if (performance.now() - sliceStart > sliceMs) {
          yield;
          sliceStart = performance.now();
        }
      }
      let ordered = matched;
      const haystack = segment.fuzzyHaystack(0);
      // Ranking costs per match what filtering costs per title, or more: a slice of its own, and
      // only for a few hundred matches (more keep index order).
      yield;
      sliceStart = performance.now();
      if (matched.length && matched.length <= FUZZY_MAX_RANKED) {
        const info = fuzzyMatcher.info(matched, haystack, needle);
        ordered = fuzzyMatcher
          .sort(info, haystack, needle)
          .map((position) => info.idx[position] ?? 0);
      }
      for (const doc of ordered) {
        const year = segment.years[doc] ?? 0;
        if ((from || to < 9999) && (year < from || year > to)) continue;
        hits.push(segment.hit(doc, 1 / (hits.length + 1), FIELD_TITLE));
        if (hits.length >= limit) break;
      }
      if (worked > budgetMs) break;
      yield;
      sliceStart = performance.now();
    }
    return dedupe(hits).slice(0, limit);
  }
}

function dedupe(hits: SearchHit[]): SearchHit[] {
  const best = new Map<CanonicalId, SearchHit>();
  for (const hit of hits) {
    const seen = best.get(hit.id);
    if (!seen || hit.ordinal > seen.ordinal)
      best.set(hit.id, seen ? { ...hit, score: Math.max(hit.score, seen.score) } : hit);
  }
  return [...best.values()];
}

/** Fuse.js on the candidate set: titles closest to the typed text move up. */
export function rerankByTitle(hits: SearchHit[], text: string): SearchHit[] {
  if (hits.length < 2 || text.length < 3) return hits;
  const fuse = new Fuse(hits, {
    keys: ['title'],
    includeScore: true,
    ignoreLocation: true,
    threshold: 0.45,
    shouldSort: false,
  });
  const closeness = new Map<SearchHit, number>();
  // Fuse's Bitap runs one pass per 32 characters of pattern: the first 32 say enough about a title.
  for (const result of fuse.search(text.slice(0, 32))) {
    closeness.set(result.item, 1 - (result.score ?? 1));
  }
  const top = hits[0]?.score ?? 1;
  return hits
    .map((hit) => ({ hit, rank: hit.score / top + 0.6 * (closeness.get(hit) ?? 0) }))
    .sort((a, b) => b.rank - a.rank || b.hit.ordinal - a.hit.ordinal)
    .map(({ hit }) => hit);
}
