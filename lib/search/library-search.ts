/**
 * Searching the saved library in memory (≤ ~10k papers): substring AND over title, authors, venue,
 * tags, note and abstract, as PaperMemory does, with the same `t:`/`a:`/`y:` prefixes as the index.
 * Each paper's folded text is prepared once and cached by row object (a changed row is a new object).
 */
import type { SavedPaper } from '../types';
import type { ParsedQuery } from './query';
import { spellOut } from './tokens';

interface Prepared {
  title: string;
  authors: string;
  rest: string;
  year: number;
  tags: Set<string>;
}

const cache = new WeakMap<SavedPaper, Prepared>();

/** Lower case, accents folded (only when there are any: most text is ASCII). */
export function fold(text: string): string {
  const lower = spellOut(text).toLowerCase();
  // eslint-disable-next-line no-control-regex
  return /[^\u0000-\u007f]/.test(lower) ? lower.normalize('NFKD').replace(/\p{M}+/gu, '') : lower;
}

function prepare(paper: SavedPaper): Prepared {
  let prepared = cache.get(paper);
  if (!prepared) {
    const { snapshot } = paper;
    prepared = {
      title: fold(snapshot.title),
      authors: fold(snapshot.authors.join(' ')),
      rest: fold(
        [
          snapshot.venue ?? '',
          paper.tags.join(' '),
          paper.note,
          snapshot.abstract ?? '',
          paper.id,
        ].join(' '),
      ),
      year: Number(/^\d{4}/.exec(snapshot.published ?? '')?.[0] ?? 0),
      tags: new Set(paper.tags.map((tag) => tag.toLowerCase())),
    };
    cache.set(paper, prepared);
  }
  return prepared;
}

export interface LibraryHit {
  paper: SavedPaper;
  score: number;
}

export function searchLibrary(papers: readonly SavedPaper[], query: ParsedQuery): LibraryHit[] {
  const tags = query.tags.map((tag) => tag.toLowerCase());
  const hits: LibraryHit[] = [];
  for (const paper of papers) {
    const prepared = prepare(paper);
    if (tags.length && !tags.every((tag) => prepared.tags.has(tag))) continue;
    if (query.yearFrom !== undefined && prepared.year < query.yearFrom) continue;
    if (query.yearTo !== undefined && prepared.year > query.yearTo) continue;
    if (!query.authors.every((word) => prepared.authors.includes(word))) continue;
    let score = 0;
    let matched = true;
    for (const word of query.words) {
      if (prepared.title.includes(word)) score += 3;
      else if (prepared.authors.includes(word)) score += 2;
      else if (prepared.rest.includes(word)) score += 1;
      else {
        matched = false;
        break;
      }
    }
    if (matched) hits.push({ paper, score });
  }
  return hits.sort((a, b) => b.score - a.score || b.paper.savedAt - a.paper.savedAt);
}
