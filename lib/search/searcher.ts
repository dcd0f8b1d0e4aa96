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
  private haystack: string[] | null = null;

  constructor(segment: SearchSegment) {
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
  expand(word: string, prefix: boolean): { term: number; exact: boolean }[] {
    const first = this.lowerBound(word);
    const found: { term: number; exact: boolean }[] = [];
    if (this.terms[first] === word) found.push({ term: first, exact: true });
    if (!prefix) return found;
    const limit = word.length < 3 ? SHORT_PREFIX_EXPANSIONS : MAX_EXPANSIONS;
    const extensions: number[] = [];
    for (let term = found.length ? first + 1 : first; term < this.terms.length; term += 1) {
      if (!(this.terms[term] ?? '').startsWith(word)) break;
      extensions.push(term);
    }
    // The most frequent extensions first, and no more than about two passes over the segment's
    // docs in all: a short prefix of a common word would otherwise decode most of the index.
    extensions.sort((a, b) => (this.df[b] ?? 0) - (this.df[a] ?? 0));
    let budget = 2 * this.size;
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

  private clauseSize(clause: { term: number }[]): number {
    return clause.reduce((sum, { term }) => sum + (this.df[term] ?? 0), 0);
  }

  /**
   * Docs matching every clause, with scores and matched fields. Clauses run rarest first; each
   * later one only keeps docs still alive, so the candidate list only shrinks. Postings are decoded
   * inline into typed arrays (a callback or a Map per posting costs more than the decoding).
   */
  search(query: ParsedQuery, limit: number): SearchHit[] {
    const clauses: { terms: { term: number; exact: boolean }[]; fieldsRequired: number }[] = [];
    query.words.forEach((word, index) => {
      const prefix = query.lastIsPrefix && index === query.words.length - 1;
      // One growing letter says too little to search a whole index with: wait for the next one.
      if (prefix && word.length < 2) return;
      clauses.push({ terms: this.expand(word, prefix), fieldsRequired: 0 });
    });
    for (const word of query.authors) {
      clauses.push({ terms: this.expand(word, word.length >= 2), fieldsRequired: FIELD_AUTHORS });
    }
    if (clauses.length === 0) return [];
    if (clauses.some((clause) => clause.terms.length === 0)) return [];
    clauses.sort((a, b) => this.clauseSize(a.terms) - this.clauseSize(b.terms));

    const { postings, offsets, stamp, mask, partial, total, totalMask, alive } = this;
    let candidates = false;
    let count = 0;
    let previous = 0;
    for (const clause of clauses) {
      this.generation += 1;
      const generation = this.generation;
      // Each doc enters `found` once per clause (the stamp); earlier clauses live on in `alive`,
      // so one segment-sized buffer serves every clause.
      const found = this.found;
      let foundCount = 0;
      const required = clause.fieldsRequired;
      for (const { term, exact } of clause.terms) {
        const weight = this.idf(term) * (exact ? 1 : 0.85);
        const end = offsets[term + 1] ?? 0;
        let at = offsets[term] ?? 0;
        let doc = -1;
        while (at < end) {
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
          const fields = code % 8;
          if (candidates && alive[doc] !== previous) continue;
          if (required && !(fields & required)) continue;
          const score = weight * (fields & FIELD_TITLE ? 3 : fields & FIELD_AUTHORS ? 2 : 1);
          if (stamp[doc] !== generation) {
            stamp[doc] = generation;
            mask[doc] = fields;
            partial[doc] = score;
            found[foundCount] = doc;
            foundCount += 1;
          } else {
            mask[doc] = (mask[doc] ?? 0) | fields;
            if (score > (partial[doc] ?? 0)) partial[doc] = score;
          }
        }
      }
      for (let index = 0; index < foundCount; index += 1) {
        const doc = found[index] ?? 0;
        total[doc] = (candidates ? (total[doc] ?? 0) : 0) + (partial[doc] ?? 0);
        totalMask[doc] = (candidates ? (totalMask[doc] ?? 0) : 0) | (mask[doc] ?? 0);
        alive[doc] = generation;
      }
      candidates = true;
      count = foundCount;
      previous = generation;
      if (count === 0) return [];
    }
    let kept: number[] = Array.from(this.found.subarray(0, count));
    if (query.yearFrom !== undefined || query.yearTo !== undefined) {
      const from = query.yearFrom ?? 0;
      const to = query.yearTo ?? 9999;
      kept = kept.filter((doc) => {
        const year = this.years[doc] ?? 0;
        return year >= from && year <= to;
      });
    }
    const top = topByScore(kept, (doc) => total[doc] ?? 0, limit);
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

  /** `title ¦ authors` lines for uFuzzy, built on first use. */
  fuzzyHaystack(): string[] {
    this.haystack ??= this.titles.map((title, doc) => `${title} ¦ ${this.authors[doc] ?? ''}`);
    return this.haystack;
  }
}

/** The `limit` best items by score, best first (a bounded selection, not a full sort). */
function topByScore(
  items: readonly number[],
  score: (item: number) => number,
  limit: number,
): number[] {
  if (items.length <= limit) return [...items].sort((a, b) => score(b) - score(a) || b - a);
  const kept: number[] = [];
  let floor = -Infinity;
  for (const item of items) {
    const value = score(item);
    if (kept.length >= limit && value <= floor) continue;
    kept.push(item);
    if (kept.length >= limit * 2) {
      kept.sort((a, b) => score(b) - score(a) || b - a);
      kept.length = limit;
      floor = score(kept[limit - 1] ?? 0);
    }
  }
  return kept.sort((a, b) => score(b) - score(a) || b - a).slice(0, limit);
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

  /** Typo-tolerant title/author search for when words find nothing. */
  fuzzy(query: ParsedQuery, limit = 30): SearchHit[] {
    const needle = query.text;
    if (needle.length < 3) return [];
    const hits: SearchHit[] = [];
    for (const segment of this.segments) {
      const haystack = segment.fuzzyHaystack();
      const idxs = fuzzyMatcher.filter(haystack, needle);
      if (!idxs?.length) continue;
      let ordered = idxs;
      if (idxs.length <= 500) {
        const info = fuzzyMatcher.info(idxs, haystack, needle);
        ordered = fuzzyMatcher
          .sort(info, haystack, needle)
          .map((position) => info.idx[position] ?? 0);
      }
      const from = query.yearFrom ?? 0;
      const to = query.yearTo ?? 9999;
      for (const doc of ordered) {
        const year = segment.years[doc] ?? 0;
        if ((from || to < 9999) && (year < from || year > to)) continue;
        hits.push(segment.hit(doc, 1 / (hits.length + 1), FIELD_TITLE));
        if (hits.length >= limit) break;
      }
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
  for (const result of fuse.search(text.slice(0, 64))) {
    closeness.set(result.item, 1 - (result.score ?? 1));
  }
  const top = hits[0]?.score ?? 1;
  return hits
    .map((hit) => ({ hit, rank: hit.score / top + 0.6 * (closeness.get(hit) ?? 0) }))
    .sort((a, b) => b.rank - a.rank || b.hit.ordinal - a.hit.ordinal)
    .map(({ hit }) => hit);
}
