/**
 * The fuzzy fallback for titles the exact tiers could not place: a truncated title, one typo, a
 * dropped or added word. Candidates are the papers sharing all but one of the title's rarest
 * tokens (cheap: short posting lists); each is aligned token by token with the title, weighting
 * tokens by rarity. A candidate is accepted only if it differs by at most one edit, scores high,
 * and beats every other candidate by a margin: a wrong match is worse than no match.
 */
import { isTruncatedTitle, titleTokensFast } from '../normalize';
import { contentTokens, MAX_TITLE_TOKENS, STOPWORDS, type FuzzyIndex } from './lookup';

/** Rarest tokens used to find candidates; a candidate must have all but one of them. */
const RARE_TOKENS = 4;
/** Candidates beyond this mean the title is too generic to place safely. */
const MAX_CANDIDATES = 4000;
/** Fewer content tokens than this leave too little to tell papers apart. */
const MIN_CONTENT_TOKENS = 3;
/** A typo costs this share of the mistyped token's weight. */
const TYPO_COST = 0.25;
/** Lowest accepted similarity (1 = same tokens). */
export const MIN_SIMILARITY = 0.8;
/** Least lead over the runner-up candidate. */
export const MIN_MARGIN = 0.04;
const CUT_INSIDE_WORD = /[\p{L}\p{N}](?:\.\.\.|…)\s*$/u;

/** Weight of a cut title's last (partial) word, as a share of an unknown word's. */
const PARTIAL_WORD_SHARE = 0.5;
/** Tokens without an equal on the other side beyond which alignment is skipped. */
const SCREEN_UNEQUAL = 6;
const SCREEN_TRUNCATED = 3;
/** A dropped or added word may split into this many tokens ("pre-trained"). */
const MAX_RUN = 2;

export type FuzzyKind = 'truncated' | 'fuzzy';

export interface FuzzyMatch {
  ord: number;
  kind: FuzzyKind;
  /** Weighted token similarity to the matched title, 0 … 1. */
  similarity: number;
  /** Lead over the best other candidate (similarity; 1 when there was none). */
  margin: number;
}

interface Alignment {
  similarity: number;
  /** Differences: typos, and runs of tokens only one side has. Acceptable when ≤ 1. */
  edits: number;
  longestRun: number;
}

const EMPTY = new Uint32Array(0);

function contains(sorted: Uint32Array, value: number): boolean {
  let low = 0;
  let high = sorted.length - 1;
  while (low <= high) {
    const mid = (low + high) >>> 1;
    const at = sorted[mid] ?? 0;
    if (at === value) return true;
    if (at < value) low = mid + 1;
    else high = mid - 1;
  }
  return false;
}

/** Damerau distance ≤ 1 between two words that are not numbers ("GPT-3" vs "GPT-4" differ). */
export function isTypoPair(a: string, b: string): boolean {
  if (a.length < 3 || b.length < 3 || Math.abs(a.length - b.length) > 1) return false;
  if (/\d/.test(a) || /\d/.test(b)) return false;
  let i = 0;
  while (i < a.length && i < b.length && a.charCodeAt(i) === b.charCodeAt(i)) i += 1;
  if (a.length === b.length) {
    if (a.slice(i + 1) === b.slice(i + 1)) return true;
    return a[i] === b[i + 1] && a[i + 1] === b[i] && a.slice(i + 2) === b.slice(i + 2);
  }
  return a.length > b.length ? a.slice(i + 1) === b.slice(i) : a.slice(i) === b.slice(i + 1);
}

/** Queries a `FuzzyIndex`; holds scratch buffers, so one matcher serves one caller at a time. */
export class FuzzyMatcher {
  private readonly docBuffer = new Uint32Array(256);
  private readonly docWeights = new Float64Array(256);
  private readonly docLengths = new Uint16Array(256);
  private readonly cost = new Float64Array((MAX_TITLE_TOKENS + 1) * 257);
  private readonly step = new Uint8Array((MAX_TITLE_TOKENS + 1) * 257);
  private readonly strings = new Map<number, string>();

  constructor(private readonly index: FuzzyIndex) {}

  /** Finds candidates for a page title; `compatible(ord)` vetoes papers the page rules out. */
  match(rawTitle: string, compatible: (ord: number) => boolean): FuzzyMatch | null {
    const truncated = isTruncatedTitle(rawTitle);
    const words = titleTokensFast(rawTitle);
    const query = contentTokens(words);
    // "…Specsym…" cut inside a word; "…Specsymtalzen with …" after whole words.
    const cutWord =
      truncated && CUT_INSIDE_WORD.test(rawTitle) && !STOPWORDS.has(words[words.length - 1] ?? '');
    const full = cutWord ? query.length - 1 : query.length;
    // A cut title needs fewer: its words must also come first, in order, which few titles share.
    if (full < (truncated ? MIN_CONTENT_TOKENS - 1 : MIN_CONTENT_TOKENS)) return null;
    const ids = query.map((token) => this.index.tokenId(token));
    // A cut title's whole words are exact: candidates must have all of its rarest ones.
    const candidates = this.candidates(ids.slice(0, full), truncated);
    if (candidates.length === 0) return null;

    const weights = ids.map((id) => (id >= 0 ? this.index.weight(id) : this.index.unknownWeight));
    // A word cut anywhere (even inside a stopword) may be missing from the paper: that is not
    // an edit, but costs enough that a title continuing with that word wins a tie.
    if (cutWord) weights[weights.length - 1] = PARTIAL_WORD_SHARE * this.index.unknownWeight;
    let best: { ord: number; alignment: Alignment } | null = null;
    let runnerUp = 0;
    let queryWeight = 0;
    for (const weight of weights) queryWeight += weight;
    for (const ord of candidates) {
      const n = this.index.docTokens(ord, this.docBuffer);
      const alignment =
        this.screen(ids, weights, queryWeight, n, truncated, cutWord) ??
        this.align(query, ids, weights, n, truncated, cutWord);
      if (!best || alignment.similarity > best.alignment.similarity) {
        if (best) runnerUp = Math.max(runnerUp, best.alignment.similarity);
        best = { ord, alignment };
      } else {
        runnerUp = Math.max(runnerUp, alignment.similarity);
      }
    }
    this.strings.clear();
    if (!best) return null;
    const { alignment, ord } = best;
    const margin = alignment.similarity - runnerUp;
    if (
      alignment.edits > 1 ||
      alignment.longestRun > MAX_RUN ||
      alignment.similarity < MIN_SIMILARITY ||
      margin < MIN_MARGIN ||
      !compatible(ord)
    ) {
      return null;
    }
    return {
      ord,
      kind: truncated ? 'truncated' : 'fuzzy',
      similarity: alignment.similarity,
      margin,
    };
  }

  /** Papers with all but one of the query's rarest indexed tokens (all of them when < 3). */
  private candidates(ids: readonly number[], all: boolean): number[] {
    const pool = [...new Set(ids.filter((id) => id >= 0 && this.index.postings(id).length > 0))];
    pool.sort((a, b) => this.index.df(a) - this.index.df(b));
    const lists = pool.slice(0, RARE_TOKENS).map((id) => this.index.postings(id));
    if (lists.length === 0) return [];
    const need = all ? lists.length : lists.length >= 3 ? lists.length - 1 : 1;
    // A paper in all but one list is in one of the two shortest: walk their union (short,
    // rare tokens) and look the rest up by binary search, instead of merging long lists.
    const [first = EMPTY, second = EMPTY, ...rest] = lists;
    const found: number[] = [];
    let i = 0;
    let j = 0;
    while (i < first.length || j < second.length) {
      const a = first[i] ?? Infinity;
      const b = second[j] ?? Infinity;
      const ord = Math.min(a, b);
      let hits = 0;
      if (a === ord) {
        hits += 1;
        i += 1;
      }
      if (b === ord) {
        hits += 1;
        j += 1;
      }
      for (const list of rest) if (contains(list, ord)) hits += 1;
      if (hits >= need) {
        found.push(ord);
        if (found.length > MAX_CANDIDATES) return [];
      }
    }
    return found;
  }

  private tokenString(id: number): string {
    let text = this.strings.get(id);
    if (text === undefined) {
      text = this.index.tokenString(id);
      this.strings.set(id, text);
    }
    return text;
  }

  /**
   * Weighted edit alignment of the query's tokens with the paper's: dropping or adding a token
   * costs its weight, a typo a quarter of it. A truncated query aligns with the paper's best
   * prefix, and its last (possibly cut) word may be the start of the paper's word.
   */
  /**
   * Rules out a candidate without aligning it when too many tokens have no equal on the other
   * side to be within one edit (a joined word accounts for three: "multiagent" / "multi agent"). Its similarity is then estimated from the
   * shared tokens alone, which never underestimates it as a runner-up.
   */
  private screen(
    ids: readonly number[],
    weights: readonly number[],
    queryWeight: number,
    n: number,
    truncated: boolean,
    cutWord: boolean,
  ): Alignment | null {
    const doc = this.docBuffer;
    const m = cutWord ? ids.length - 1 : ids.length;
    let queryOnly = 0;
    let queryOnlyWeight = 0;
    for (let i = 0; i < m; i += 1) {
      const id = ids[i];
      let found = false;
      for (let j = 0; j < n; j += 1) {
        if (doc[j] === id) {
          found = true;
          break;
        }
      }
      if (!found) {
        queryOnly += 1;
        queryOnlyWeight += weights[i] ?? 0;
      }
    }
    if (truncated) {
      if (queryOnly <= SCREEN_TRUNCATED) return null;
      return { similarity: 1 - queryOnlyWeight / queryWeight, edits: queryOnly, longestRun: 0 };
    }
    let docOnly = 0;
    let docOnlyWeight = 0;
    let docWeight = 0;
    for (let j = 0; j < n; j += 1) {
      const id = doc[j] ?? 0;
      const weight = this.index.weight(id);
      docWeight += weight;
      if (!ids.includes(id)) {
        docOnly += 1;
        docOnlyWeight += weight;
      }
    }
    if (queryOnly + docOnly <= SCREEN_UNEQUAL) return null;
    return {
      similarity: 1 - (queryOnlyWeight + docOnlyWeight) / (queryWeight + docWeight),
      edits: queryOnly + docOnly,
      longestRun: 0,
    };
  }

  private align(
    query: readonly string[],
    ids: readonly number[],
    weights: readonly number[],
    n: number,
    truncated: boolean,
    cutWord: boolean,
  ): Alignment {
    const doc = this.docBuffer;
    const m = ids.length;
    const width = n + 1;
    const cost = this.cost;
    const step = this.step;
    const docWeights = this.docWeights;
    const docLengths = this.docLengths;
    for (let j = 0; j < n; j += 1) {
      docWeights[j] = this.index.weight(doc[j] ?? 0);
      docLengths[j] = this.index.tokenLength(doc[j] ?? 0);
    }
    cost[0] = 0;
    for (let j = 1; j <= n; j += 1) {
      cost[j] = (cost[j - 1] ?? 0) + (docWeights[j - 1] ?? 0);
      step[j] = 3;
    }
    for (let i = 1; i <= m; i += 1) {
      const row = i * width;
      const queryId = ids[i - 1] ?? -1;
      const queryWeight = weights[i - 1] ?? 0;
      const queryText = query[i - 1] ?? '';
      const queryLength = queryText.length;
      const partial = truncated && i === m;
      const pairLength = i >= 2 ? (query[i - 2] ?? '').length + queryLength : -1;
      cost[row] = (cost[row - width] ?? 0) + queryWeight;
      step[row] = 2;
      for (let j = 1; j <= n; j += 1) {
        const docId = doc[j - 1] ?? 0;
        const docWeight = docWeights[j - 1] ?? 0;
        const docLength = docLengths[j - 1] ?? 0;
        let best = (cost[row - width + j] ?? 0) + queryWeight;
        let move = 2;
        const left = (cost[row + j - 1] ?? 0) + docWeight;
        if (left < best) {
          best = left;
          move = 3;
        }
        const diagonal = cost[row - width + j - 1] ?? 0;
        if (queryId === docId) {
          if (diagonal <= best) {
            best = diagonal;
            move = 0;
          }
        } else {
          // Lengths first: most pairs are ruled out without building a string.
          if (partial && docLength >= queryLength && diagonal < best) {
            if (this.tokenString(docId).startsWith(queryText)) {
              best = diagonal;
              move = 0;
            }
          }
          if (
            move !== 0 &&
            diagonal + TYPO_COST * docWeight < best &&
            Math.abs(docLength - queryLength) <= 1 &&
            isTypoPair(queryText, this.tokenString(docId))
          ) {
            best = diagonal + TYPO_COST * docWeight;
            move = 1;
          }
          // One word written joined on one side and split on the other ("multiagent",
          // "multi-agent"): a formatting difference, not an edit.
          if (j >= 2 && queryLength === (docLengths[j - 2] ?? 0) + docLength) {
            const split = cost[row - width + j - 2] ?? 0;
            const previous = doc[j - 2] ?? 0;
            if (
              split < best &&
              queryText === this.tokenString(previous) + this.tokenString(docId)
            ) {
              best = split;
              move = 4;
            }
          }
          if (pairLength === docLength) {
            const split = cost[row - 2 * width + j - 1] ?? 0;
            if (split < best && (query[i - 2] ?? '') + queryText === this.tokenString(docId)) {
              best = split;
              move = 5;
            }
          }
        }
        cost[row + j] = best;
        step[row + j] = move;
      }
    }
    let queryWeight = 0;
    for (const weight of weights) queryWeight += weight;
    let end = n;
    let similarity = -Infinity;
    if (truncated) {
      let docWeight = 0;
      for (let j = 1; j <= n; j += 1) {
        docWeight += docWeights[j - 1] ?? 0;
        const candidate = 1 - (cost[m * width + j] ?? 0) / (queryWeight + docWeight);
        if (candidate > similarity) {
          similarity = candidate;
          end = j;
        }
      }
    } else {
      let docWeight = 0;
      for (let j = 0; j < n; j += 1) docWeight += docWeights[j] ?? 0;
      similarity = 1 - (cost[m * width + n] ?? 0) / (queryWeight + docWeight);
    }
    // Walk back the cheapest path to count the differences.
    let edits = 0;
    let longestRun = 0;
    let run = 0;
    let runMove = -1;
    let i = m;
    let j = end;
    while (i > 0 || j > 0) {
      const move = step[i * width + j] ?? 0;
      if (move === 2 && cutWord && i === m) {
        runMove = -1;
      } else if (move === 2 || move === 3) {
        if (runMove !== move) {
          edits += 1;
          run = 0;
          runMove = move;
        }
        run += 1;
        longestRun = Math.max(longestRun, run);
      } else {
        runMove = -1;
        if (move === 1) edits += 1;
      }
      if (move === 2) i -= 1;
      else if (move === 3) j -= 1;
      else if (move === 4) {
        i -= 1;
        j -= 2;
      } else if (move === 5) {
        i -= 2;
        j -= 1;
      } else {
        i -= 1;
        j -= 1;
      }
    }
    return { similarity: Math.max(0, similarity), edits, longestRun };
  }
}
