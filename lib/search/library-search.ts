/**
 * Searching the saved library in memory (≤ ~10k papers): substring AND over title, authors, venue,
 * tags, note and abstract, as PaperMemory does, with the same `t:`/`a:`/`y:` prefixes as the index.
 * Each paper's folded text is prepared once and cached by row object (a changed row is a new object).
 *
 * `searchLibrary` scans that text (every word against ~13 MB at 10k papers with abstracts: 20–50 ms
 * a keystroke). `LibrarySearchIndex` gives the same answers from a dictionary of the library's
 * words: a query word is looked for in the dictionary (~0.5 MB), and only the papers of the words
 * that contain it are visited. It is built in slices after the popup opens
 * (`buildLibrarySearchIndex`); until then, and for a list it was not built from, the scan answers.
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
  return hits.sort(byRank);
}

function byRank(a: LibraryHit, b: LibraryHit): number {
  return b.score - a.score || b.paper.savedAt - a.paper.savedAt;
}

/**
 * The `limit` first items in `compare` order without sorting them all: a short word matches most of
 * a 10k library, and sorting every hit on every keystroke cost more than finding them.
 */
function best<T>(items: T[], compare: (a: T, b: T) => number, limit: number): T[] {
  if (items.length <= limit) return items.sort(compare);
  const kept: T[] = [];
  let floor: T | undefined;
  for (const item of items) {
    if (floor !== undefined && compare(item, floor) >= 0) continue;
    kept.push(item);
    if (kept.length >= 2 * limit) {
      kept.sort(compare);
      kept.length = limit;
      floor = kept[limit - 1];
    }
  }
  return kept.sort(compare).slice(0, limit);
}

const TITLE = 1;
const AUTHORS = 2;
const REST = 4;
/** What a word scores in each field: the best field it occurs in counts, as in `searchLibrary`. */
const FIELD_SCORE = [0, 3, 2, 3, 1, 3, 2, 3];

/** A paper's distinct words with the fields they occur in (bit set), cached by row object. */
const wordCache = new WeakMap<SavedPaper, Map<string, number>>();

/**
 * Adds the words of folded text (lower case: runs of a–z, 0–9 and anything non-ASCII) to `into`.
 * A hand-written loop: a Unicode-aware `split` took several times as long over 10k abstracts.
 */
function addWords(text: string, field: number, into: Map<string, number>): void {
  let start = -1;
  for (let index = 0; index <= text.length; index += 1) {
    const code = index < text.length ? text.charCodeAt(index) : 32;
    if ((code >= 97 && code <= 122) || (code >= 48 && code <= 57) || code > 127) {
      if (start < 0) start = index;
    } else if (start >= 0) {
      const word = text.slice(start, index);
      into.set(word, (into.get(word) ?? 0) | field);
      start = -1;
    }
  }
}

function paperWords(paper: SavedPaper): Map<string, number> {
  let words = wordCache.get(paper);
  if (!words) {
    words = new Map();
    const { title, authors, rest } = prepare(paper);
    addWords(title, TITLE, words);
    addWords(authors, AUTHORS, words);
    addWords(rest, REST, words);
    wordCache.set(paper, words);
  }
  return words;
}

/** Per paper: the best field score of one query word (0 = absent). */
type WordScores = Uint8Array;

export class LibrarySearchIndex {
  /** Sorted words, one per line, for substring search with `indexOf`. */
  private readonly dictionary: string;
  /** Start of each word in `dictionary` (plus one past the end). */
  private readonly starts: Int32Array;
  /** Per word: `paper * 8 | fields`. */
  private readonly postings: Int32Array[];
  private readonly cache = new Map<string, WordScores>();

  /**
   * @param letters per paper, three bit sets (title, authors, the rest) of the letters a–z its
   *   words hold
   */
  constructor(
    readonly papers: readonly SavedPaper[],
    words: ReadonlyMap<string, number[]>,
    private readonly letters: Int32Array,
  ) {
    const sorted = [...words.keys()].sort();
    this.starts = new Int32Array(sorted.length + 1);
    let at = 0;
    sorted.forEach((word, index) => {
      this.starts[index] = at;
      at += word.length + 1;
    });
    this.starts[sorted.length] = at;
    this.dictionary = sorted.join('\n') + '\n';
    this.postings = sorted.map((word) => Int32Array.from(words.get(word) ?? []));
  }

  /** Index of the dictionary word holding character `position`. */
  private wordAt(position: number): number {
    let low = 0;
    let high = this.starts.length - 2;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if ((this.starts[mid] ?? 0) <= position) low = mid;
      else high = mid - 1;
    }
    return low;
  }

  /** Best field score per paper of the papers whose words contain `word` in one of `fields`. */
  private scores(word: string, fields: number): WordScores {
    const key = `${fields}:${word}`;
    const cached = this.cache.get(key);
    if (cached) return cached;
    const scores = new Uint8Array(this.papers.length);
    const letter = word.length === 1 ? word.charCodeAt(0) - 97 : -1;
    if (letter >= 0 && letter < 26) {
      // One letter is in most words of the dictionary (a union of nearly every posting), and a rare
      // one (q, x, z) is looked for through the whole of most abstracts: the letters each paper's
      // fields hold, noted while building, answer at once.
      const bit = 1 << letter;
      const { letters } = this;
      for (let index = 0; index < this.papers.length; index += 1) {
        if (fields & TITLE && (letters[index * 3] ?? 0) & bit) scores[index] = 3;
        else if (fields & AUTHORS && (letters[index * 3 + 1] ?? 0) & bit) scores[index] = 2;
        else if (fields & REST && (letters[index * 3 + 2] ?? 0) & bit) scores[index] = 1;
      }
      return this.remember(key, scores);
    }
    if (word.length === 1) {
      // Any other single character: found within the first few characters of most papers' text.
      this.papers.forEach((paper, index) => {
        const prepared = prepare(paper);
        if (fields & TITLE && prepared.title.includes(word)) scores[index] = 3;
        else if (fields & AUTHORS && prepared.authors.includes(word)) scores[index] = 2;
        else if (fields & REST && prepared.rest.includes(word)) scores[index] = 1;
      });
      return this.remember(key, scores);
    }
    let from = 0;
    for (;;) {
      const found = this.dictionary.indexOf(word, from);
      if (found < 0) break;
      const index = this.wordAt(found);
      for (const posting of this.postings[index] ?? []) {
        const score = FIELD_SCORE[posting & fields & 7] ?? 0;
        const paper = posting >> 3;
        if (score > (scores[paper] ?? 0)) scores[paper] = score;
      }
      from = this.starts[index + 1] ?? this.dictionary.length;
    }
    return this.remember(key, scores);
  }

  private remember(key: string, scores: WordScores): WordScores {
    if (this.cache.size >= 64) this.cache.delete(this.cache.keys().next().value ?? '');
    this.cache.set(key, scores);
    return scores;
  }

  /** The `limit` best hits, best first (ties: the latest saved first), as `searchLibrary` ranks. */
  search(query: ParsedQuery, limit = Infinity): LibraryHit[] {
    const tags = query.tags.map((tag) => tag.toLowerCase());
    const words = query.words.map((word) => this.scores(word, TITLE | AUTHORS | REST));
    const authors = query.authors.map((word) => this.scores(word, AUTHORS));
    const hits: LibraryHit[] = [];
    this.papers.forEach((paper, index) => {
      let score = 0;
      for (const scores of words) {
        const wordScore = scores[index] ?? 0;
        if (!wordScore) return;
        score += wordScore;
      }
      for (const scores of authors) if (!scores[index]) return;
      const prepared = prepare(paper);
      if (tags.length && !tags.every((tag) => prepared.tags.has(tag))) return;
      if (query.yearFrom !== undefined && prepared.year < query.yearFrom) return;
      if (query.yearTo !== undefined && prepared.year > query.yearTo) return;
      hits.push({ paper, score });
    });
    return best(hits, byRank, limit);
  }
}

/**
 * Lets the page handle input and paint, then resumes. A message to oneself, not `setTimeout(0)`:
 * nested timeouts are clamped to 4 ms, a third of each 12 ms of a sliced build.
 */
export function yieldToEventLoop(): Promise<void> {
  if (typeof MessageChannel === 'undefined')
    return new Promise((resolve) => setTimeout(resolve, 0));
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => {
      channel.port1.close();
      resolve();
    };
    channel.port2.postMessage(null);
  });
}

/**
 * Builds the index in slices of about `sliceMs`, yielding to the page between them so typing and
 * painting go on; rejects with the signal's reason when aborted (the list changed).
 */
export async function buildLibrarySearchIndex(
  papers: readonly SavedPaper[],
  options: { signal?: AbortSignal; sliceMs?: number; yieldToPage?: () => Promise<void> } = {},
): Promise<LibrarySearchIndex> {
  const sliceMs = options.sliceMs ?? 8;
  const yieldToPage = options.yieldToPage ?? yieldToEventLoop;
  const words = new Map<string, number[]>();
  const letters = new Int32Array(papers.length * 3);
  let sliceStart = performance.now();
  for (let index = 0; index < papers.length; index += 1) {
    const paper = papers[index];
    if (!paper) continue;
    for (const [word, fields] of paperWords(paper)) {
      const list = words.get(word);
      if (list) list.push(index * 8 + fields);
      else words.set(word, [index * 8 + fields]);
      let mask = 0;
      for (let at = 0; at < word.length; at += 1) {
        const letter = word.charCodeAt(at) - 97;
        if (letter >= 0 && letter < 26) mask |= 1 << letter;
      }
      for (let field = 0; field < 3; field += 1) {
        if (fields & (1 << field))
          letters[index * 3 + field] = (letters[index * 3 + field] ?? 0) | mask;
      }
    }
    if (index % 64 === 63 && performance.now() - sliceStart > sliceMs) {
      await yieldToPage();
      options.signal?.throwIfAborted();
      sliceStart = performance.now();
    }
  }
  options.signal?.throwIfAborted();
  return new LibrarySearchIndex(papers, words, letters);
}
