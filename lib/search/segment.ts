/**
 * A search segment: a compact inverted index over a run of index papers (by ordinal), persisted as
 * one IndexedDB value of strings and typed arrays so the popup loads it in one read instead of
 * building anything (building over 100k abstracts takes seconds; see performance.md §5).
 *
 * Postings per term are varint-encoded `(docDelta << 3) | fields`, fields a bit set of where the
 * term occurs (1 title, 2 authors, 4 abstract). Docs are ordinals relative to the segment.
 */
import { GrowableU32 } from '../title-index/arrays';
import type { IndexPaper } from '../types';
import { searchTokens } from './tokens';

export const SEGMENT_FORMAT = 1;
export const FIELD_TITLE = 1;
export const FIELD_AUTHORS = 2;
export const FIELD_ABSTRACT = 4;

export interface SearchSegment {
  format: typeof SEGMENT_FORMAT;
  /** Ordinal of the segment's first paper in the index. */
  start: number;
  /** Ids, titles and author lists, one line per paper. */
  ids: string;
  titles: string;
  authors: string;
  years: Uint16Array;
  /** Sorted terms, one per line. */
  terms: string;
  /** Byte offset of each term's postings (terms + 1 entries). */
  offsets: Uint32Array;
  /** Papers per term. */
  df: Uint32Array;
  postings: Uint8Array;
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/** What a segment reads of a paper. */
export type SearchablePaper = Pick<
  IndexPaper,
  'id' | 'title' | 'authors' | 'abstract' | 'published'
>;

/** Accumulates papers (in ordinal order) into a segment without holding their text. */
export class SegmentBuilder {
  private readonly termIds = new Map<string, number>();
  private readonly pairTerm = new GrowableU32(1 << 16);
  private readonly pairValue = new GrowableU32(1 << 16);
  private readonly perDoc = new Map<number, number>();
  private years: number[] = [];
  private readonly ids: string[] = [];
  private readonly titles: string[] = [];
  private readonly authors: string[] = [];

  constructor(readonly start: number) {}

  get size(): number {
    return this.ids.length;
  }

  add(paper: SearchablePaper): void {
    const doc = this.ids.length;
    this.ids.push(paper.id);
    this.titles.push(oneLine(paper.title));
    this.authors.push(oneLine(paper.authors.join(', ')));
    this.years.push(Number(/^\d{4}/.exec(paper.published ?? '')?.[0] ?? 0));
    const perDoc = this.perDoc;
    perDoc.clear();
    const add = (text: string | undefined, field: number): void => {
      if (!text) return;
      for (const token of searchTokens(text)) {
        let id = this.termIds.get(token);
        if (id === undefined) {
          id = this.termIds.size;
          this.termIds.set(token, id);
        }
        perDoc.set(id, (perDoc.get(id) ?? 0) | field);
      }
    };
    add(paper.title, FIELD_TITLE);
    add(paper.authors.join(' '), FIELD_AUTHORS);
    add(paper.abstract, FIELD_ABSTRACT);
    for (const [term, fields] of perDoc) {
      this.pairTerm.push(term);
      this.pairValue.push(doc * 8 + fields);
    }
  }

  finish(): SearchSegment {
    const { pairTerm, pairValue, termIds } = this;
    const sortedTerms = [...termIds.keys()].sort();
    const rank = new Uint32Array(termIds.size);
    sortedTerms.forEach((term, index) => {
      rank[termIds.get(term) ?? 0] = index;
    });
    // Counting sort of (term, doc) pairs by term rank; docs stay in order within a term.
    const df = new Uint32Array(sortedTerms.length);
    for (let index = 0; index < pairTerm.length; index += 1) {
      const term = rank[pairTerm.data[index] ?? 0] ?? 0;
      df[term] = (df[term] ?? 0) + 1;
    }
    const slot = new Uint32Array(sortedTerms.length + 1);
    for (let index = 0; index < sortedTerms.length; index += 1) {
      slot[index + 1] = (slot[index] ?? 0) + (df[index] ?? 0);
    }
    const cursor = slot.slice(0, sortedTerms.length);
    const ordered = new Uint32Array(pairTerm.length);
    for (let index = 0; index < pairTerm.length; index += 1) {
      const term = rank[pairTerm.data[index] ?? 0] ?? 0;
      ordered[cursor[term] ?? 0] = pairValue.data[index] ?? 0;
      cursor[term] = (cursor[term] ?? 0) + 1;
    }
    // Varint encoding of (docDelta << 3 | fields); worst case 4 bytes per posting.
    const bytes = new Uint8Array(ordered.length * 4 + 8);
    const offsets = new Uint32Array(sortedTerms.length + 1);
    let at = 0;
    for (let term = 0; term < sortedTerms.length; term += 1) {
      offsets[term] = at;
      let previous = -1;
      for (let index = slot[term] ?? 0; index < (slot[term + 1] ?? 0); index += 1) {
        const value = ordered[index] ?? 0;
        const doc = value >>> 3;
        let code = (doc - previous) * 8 + (value & 7);
        previous = doc;
        while (code >= 0x80) {
          bytes[at] = (code & 0x7f) | 0x80;
          at += 1;
          code = Math.floor(code / 128);
        }
        bytes[at] = code;
        at += 1;
      }
    }
    offsets[sortedTerms.length] = at;
    return {
      format: SEGMENT_FORMAT,
      start: this.start,
      ids: this.ids.join('\n'),
      titles: this.titles.join('\n'),
      authors: this.authors.join('\n'),
      years: Uint16Array.from(this.years),
      terms: sortedTerms.join('\n'),
      offsets,
      df,
      postings: bytes.slice(0, at),
    };
  }
}

/** Builds a segment from papers in ordinal order starting at `start`. */
export function buildSegment(papers: readonly SearchablePaper[], start: number): SearchSegment {
  const builder = new SegmentBuilder(start);
  for (const paper of papers) builder.add(paper);
  return builder.finish();
}
