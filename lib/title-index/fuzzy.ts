/**
 * The fuzzy fallback for titles the exact tiers could not place: a truncated title, one typo, a
 * dropped or added word. Candidates are the papers sharing all but one of the title's rarest
 * tokens (cheap: short posting lists) and lacking at most two of its words, and only what one
 * edit can explain (a light run, or a heavy word the paper has in a typo'd form); each survivor
 * is bounded from its shared tokens and aligned token by token only if it could reach the floor,
 * weighting tokens by rarity. So a title that is not in the index usually costs a tokenization
 * and a few posting-list steps. A candidate is accepted only if it differs by at most one edit,
 * scores high, and beats every other candidate by a margin: a wrong match is worse than no match.
 */
import { isTruncatedTitle, titleTokensFast } from '../normalize';
import {
  contentTokens,
  MAX_TITLE_TOKENS,
  PostingCursor,
  STOPWORDS,
  type FuzzyIndex,
} from './lookup';

/** Rarest tokens used to find candidates; a candidate must have all but one of them. */
const RARE_TOKENS = 4;
/** Candidates beyond this mean the title is too generic to place safely. */
const MAX_CANDIDATES = 4000;
/**
 * Indexed query tokens a candidate may lack: a typo or a dropped run of two words (a cut title:
 * one). A paper lacking more is never within one edit (short of joined words), so it is not
 * scored; this is what keeps titles made of common words cheap at a million papers.
 */
const MAX_MISSING = 2;
const MAX_MISSING_TRUNCATED = 1;
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
/** Float rounding allowance when a bound decides that a candidate cannot matter. */
const BOUND_SLACK = 1e-9;

export type FuzzyKind = 'truncated' | 'fuzzy';

export interface FuzzyMatch {
  ord: number;
  kind: FuzzyKind;
  /** Weighted token similarity to the matched title, 0 … 1. */
  similarity: number;
  /** Lead over the best other candidate (similarity; 1 when there was none). */
  margin: number;
}

/** What a candidate may lack of a title: see `FuzzyMatcher.omissible`. */
interface Omissions {
  query: readonly string[];
  /** Token ids of the title's whole words (-1: no indexed title has it). */
  ids: readonly number[];
  weights: readonly number[];
  /** The heaviest run of words a paper may lack and still reach MIN_SIMILARITY. */
  runWeight: number;
  /** Words no indexed title has (nor two joined ones): missing from every candidate. */
  unknown: number;
  unknownWeight: number;
  /** Per word: no indexed title has it, but it may be two indexed words written joined. */
  joinable: readonly boolean[];
}

/** One title's candidate walk: what `probe` checks each paper against. */
interface CandidateWalk {
  plan: Omissions;
  /** Pool lists (the title's distinct words with postings), rarest first. */
  size: number;
  /** The rarest of them, of which a candidate needs `need`. */
  lists: number;
  need: number;
  /** Pool words a candidate may lack. */
  allowed: number;
  /** A cut title: every rare list is needed and nothing is weighed. */
  all: boolean;
}

/** Ordinals in the two rarest lists beyond which a heavy word's forms are walked instead. */
const HEAVY_WALK_AFTER = 1024;
/** The third rarest list is decoded whole when at most this many times the two rarest. */
const THIRD_DECODE_RATIO = 8;
/** Past the last ordinal of a decoded list (ordinals are < 2^24). */
const END = 0x7fffffff;
/** Papers lacking one heavy word allowed through before its typo'd forms are looked up. */
const TYPO_LOOKUP_AFTER = 96;

interface Alignment {
  similarity: number;
  /** Differences: typos, and runs of tokens only one side has. Acceptable when ≤ 1. */
  edits: number;
  longestRun: number;
}

/** Damerau distance ≤ 1 between two words that are not numbers ("GPT-3" vs "GPT-4" differ). */
export function isTypoPair(a: string, b: string): boolean {
  if (a.length < 3 || b.length < 3 || Math.abs(a.length - b.length) > 1) return false;
  if (hasDigit(a) || hasDigit(b)) return false;
  let i = 0;
  while (i < a.length && i < b.length && a.charCodeAt(i) === b.charCodeAt(i)) i += 1;
  if (a.length === b.length) {
    if (sameFrom(a, i + 1, b, i + 1)) return true;
    return (
      a.charCodeAt(i) === b.charCodeAt(i + 1) &&
      a.charCodeAt(i + 1) === b.charCodeAt(i) &&
      sameFrom(a, i + 2, b, i + 2)
    );
  }
  return a.length > b.length ? sameFrom(a, i + 1, b, i) : sameFrom(a, i, b, i + 1);
}

function hasDigit(text: string): boolean {
  for (let index = 0; index < text.length; index += 1) {
    const code = text.charCodeAt(index);
    if (code >= 48 && code <= 57) return true;
  }
  return false;
}

/** `a.slice(fromA) === b.slice(fromB)` without building the slices. */
function sameFrom(a: string, fromA: number, b: string, fromB: number): boolean {
  if (a.length - fromA !== b.length - fromB) return false;
  for (let k = 0; fromA + k < a.length; k += 1) {
    if (a.charCodeAt(fromA + k) !== b.charCodeAt(fromB + k)) return false;
  }
  return true;
}

/** Queries a `FuzzyIndex`; holds scratch buffers, so one matcher serves one caller at a time. */
export class FuzzyMatcher {
  private readonly docBuffer = new Uint32Array(256);
  private readonly docWeights = new Float64Array(256);
  private readonly docLengths = new Uint16Array(256);
  private readonly cost = new Float64Array((MAX_TITLE_TOKENS + 1) * 257);
  private readonly step = new Uint8Array((MAX_TITLE_TOKENS + 1) * 257);
  private readonly strings = new Map<number, string>();
  private readonly pool = new Int32Array(MAX_TITLE_TOKENS);
  /** Scratch for spelling a word's typo'd forms. */
  private readonly form = new Uint16Array(64);
  private readonly cursors = Array.from({ length: MAX_TITLE_TOKENS }, () => new PostingCursor());
  private poolSize = 0;
  /** Per pool word: 1 when the paper being walked lacks it. */
  private readonly lacks = new Uint8Array(MAX_TITLE_TOKENS);
  /** Per pool word: cursors over its other spellings (see `poolFree`), once needed. */
  private poolSpellings: ([PostingCursor, PostingCursor | null][] | null | undefined)[] = [];
  /** Per pool word: papers passed lacking it, then its typo'd forms' cursors (null: any may). */
  private readonly poolLacking = new Int32Array(MAX_TITLE_TOKENS);
  private readonly poolTypos: (PostingCursor[] | null | undefined)[] = [];
  /** Per title word: its other spellings as token ids (see `spelledOtherwise`), once needed. */
  private spellings: (number[] | undefined)[] = [];
  /** Decoded posting lists (see `walkRarest`), grown to the index's longest list once needed. */
  private lists: [Int32Array, Int32Array, Int32Array] = [
    new Int32Array(0),
    new Int32Array(0),
    new Int32Array(0),
  ];
  /** Per length: 1 when a title word has it, 2 when two neighbouring title words add up to it. */
  private readonly lengthRoles = new Uint8Array(1024);

  constructor(
    private readonly index: FuzzyIndex,
    /** See HEAVY_WALK_AFTER; tests lower it to walk heavy words on small indexes too. */
    private readonly heavyWalkAfter = HEAVY_WALK_AFTER,
  ) {}

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
    const allowed = truncated ? MAX_MISSING_TRUNCATED : MAX_MISSING;
    const weights = ids.map((id) => (id >= 0 ? this.index.weight(id) : this.index.unknownWeight));
    // A word cut anywhere (even inside a stopword) may be missing from the paper: that is not
    // an edit, but costs enough that a title continuing with that word wins a tie.
    if (cutWord) weights[weights.length - 1] = PARTIAL_WORD_SHARE * this.index.unknownWeight;
    let queryWeight = 0;
    for (const weight of weights) queryWeight += weight;
    // A word no indexed title has is missing from every candidate, unless it is two words
    // written joined ("multiagent"), which costs nothing.
    let unknown = 0;
    let unknownWeight = 0;
    const joinable: boolean[] = [];
    for (let at = 0; at < full; at += 1) {
      if ((ids[at] ?? -1) >= 0) continue;
      joinable[at] = this.mayBeJoined(query[at] ?? '');
      if (!joinable[at]) {
        unknown += 1;
        unknownWeight += weights[at] ?? 0;
      }
    }
    if (unknown > allowed) return null;
    const plan: Omissions = {
      query,
      ids: ids.slice(0, full),
      weights,
      // Words the paper lacks that are not one typo form a run the title added; removing a run of
      // weight w leaves at best 1 − w / (2·total − w), which stays ≥ MIN_SIMILARITY only while
      // w ≤ 2 · total · (1 − MIN_SIMILARITY) / (2 − MIN_SIMILARITY) (a third of the title).
      runWeight: (2 * queryWeight * (1 - MIN_SIMILARITY)) / (2 - MIN_SIMILARITY) + BOUND_SLACK,
      unknown,
      unknownWeight,
      joinable,
    };
    if (!truncated && unknown > 1 && unknownWeight > plan.runWeight) return null;
    // A cut title's whole words are exact: candidates must have all of its rarest ones.
    const candidates = this.candidates(plan, truncated, allowed - unknown);
    if (candidates.length === 0) return null;
    this.spellings = [];
    // The common words have no postings: check them here, before any weighing. And unless some
    // paper is within one edit of the title, no alignment is needed to know there is no match.
    const survivors: number[] = [];
    let close = truncated;
    if (!close) this.setLengthRoles(query, true);
    for (const ord of candidates) {
      const n = this.index.docTokens(ord, this.docBuffer);
      if (this.lacksTooMuch(plan, n, allowed - unknown, truncated)) continue;
      survivors.push(ord);
      if (!close) close = this.closeTo(plan, n);
    }
    if (!truncated) this.setLengthRoles(query, false);
    if (!close) return null;

    let best: { ord: number; alignment: Alignment } | null = null;
    let runnerUp = 0;
    const consider = (ord: number, alignment: Alignment): void => {
      if (!best || alignment.similarity > best.alignment.similarity) {
        if (best) runnerUp = Math.max(runnerUp, best.alignment.similarity);
        best = { ord, alignment };
      } else {
        runnerUp = Math.max(runnerUp, alignment.similarity);
      }
    };
    // Candidates whose similarity provably stays under the floor are never the match; they are
    // aligned only if they might come within the margin of the best one. Most candidates of a
    // title that is not in the index end here, at the cost of a token comparison.
    const deferred: number[] = [];
    const deferredBounds: number[] = [];
    for (const ord of survivors) {
      const n = this.index.docTokens(ord, this.docBuffer);
      const screened = this.screen(ids, weights, queryWeight, n, truncated, cutWord);
      if (screened) {
        consider(ord, screened);
        continue;
      }
      // By lengths first: most candidates are ruled out without building a string.
      let bound = this.bound(query, ids, weights, queryWeight, n, truncated, false);
      if (bound >= MIN_SIMILARITY) {
        bound = this.bound(query, ids, weights, queryWeight, n, truncated, true);
      }
      if (bound >= MIN_SIMILARITY) {
        consider(ord, this.align(query, ids, weights, n, truncated, cutWord));
      } else {
        deferred.push(ord);
        deferredBounds.push(bound);
      }
    }
    const chosen = best as { ord: number; alignment: Alignment } | null;
    if (
      !chosen ||
      chosen.alignment.edits > 1 ||
      chosen.alignment.longestRun > MAX_RUN ||
      chosen.alignment.similarity < MIN_SIMILARITY
    ) {
      // The best is unacceptable, or no candidate reaches the floor: a deferred one would not either.
      this.strings.clear();
      return null;
    }
    const closeCall = chosen.alignment.similarity - MIN_MARGIN - BOUND_SLACK;
    deferred.forEach((ord, index) => {
      if ((deferredBounds[index] ?? 0) < closeCall) return;
      const n = this.index.docTokens(ord, this.docBuffer);
      consider(ord, this.align(query, ids, weights, n, truncated, cutWord));
    });
    this.strings.clear();
    const { alignment, ord } = chosen;
    const margin = alignment.similarity - runnerUp;
    if (margin < MIN_MARGIN || !compatible(ord)) return null;
    return {
      ord,
      kind: truncated ? 'truncated' : 'fuzzy',
      similarity: alignment.similarity,
      margin,
    };
  }

  /** Papers with all but one of the query's rarest indexed tokens (all of them when < 3). */
  private candidates(plan: Omissions, all: boolean, allowed: number): number[] {
    const index = this.index;
    const ids = plan.ids;
    // The rarest distinct tokens with postings, by document frequency (ties: title order).
    const pool = this.pool;
    let size = 0;
    for (const id of ids) {
      if (id < 0 || index.postingCount(id) === 0) continue;
      let seen = false;
      for (let at = 0; at < size && !seen; at += 1) seen = pool[at] === id;
      if (seen) continue;
      let at = size;
      while (at > 0 && index.df(pool[at - 1] ?? 0) > index.df(id)) {
        pool[at] = pool[at - 1] ?? 0;
        at -= 1;
      }
      pool[at] = id;
      size += 1;
    }
    this.poolSize = size;
    this.poolSpellings = [];
    this.poolLacking.fill(0, 0, size);
    this.poolTypos.length = 0;
    const lists = Math.min(size, RARE_TOKENS);
    if (lists === 0) return [];
    const heavy = all ? null : this.heavyWordWalk(plan, lists);
    if (heavy?.length === 0) return [];
    const need = all ? lists : lists >= 3 ? lists - 1 : 1;
    // The two rarest lists are decoded whole for `walkRarest`, and the third may be.
    const cursors = this.cursors;
    for (let list = heavy ? 0 : 2; list < size; list += 1) {
      cursors[list]?.reset(index, pool[list] ?? 0);
    }
    const walk: CandidateWalk = { plan, size, lists, need, allowed, all };
    return heavy ? this.walkHeavy(heavy, walk) : this.walkRarest(walk);
  }

  /**
   * `candidates` when no heavy word narrows the walk: a paper in all but one of the rarest lists
   * is in one of the two shortest, so walk their union (short, rare tokens), decoded whole, and
   * probe the rest with cursors that only move forward. The third list, which every paper in only
   * one of the two must have, is decoded whole too unless it is much longer than they are: stepping
   * a cursor through it for each walked paper was most of an absent title's time at 1M papers.
   */
  private walkRarest(walk: CandidateWalk): number[] {
    const { lists, need, allowed } = walk;
    const index = this.index;
    const pool = this.pool;
    const lacks = this.lacks;
    const [first, second, third] = this.decoded(index.data.postingsCap);
    const firstCount = index.decodePostings(pool[0] ?? 0, first);
    const secondCount = lists > 1 ? index.decodePostings(pool[1] ?? 0, second) : 0;
    const thirdLength = lists > 2 ? index.postingCount(pool[2] ?? 0) : 0;
    // Only papers in one of the two lists need the third (a cut title needs papers in both).
    // Decoding costs ~1/8 of a cursor step an ordinal, and the cursor skips blocks it need not read.
    const decodeThird =
      !walk.all &&
      thirdLength > 0 &&
      thirdLength <= THIRD_DECODE_RATIO * (firstCount + secondCount);
    const thirdCount = decodeThird ? index.decodePostings(pool[2] ?? 0, third) : 0;
    const thirdCursor = this.cursors[2] as PostingCursor;
    const rareLists = Math.min(lists, 2);
    const found: number[] = [];
    let a = 0;
    let b = 0;
    let c = 0;
    for (;;) {
      const inFirst = a < firstCount ? (first[a] ?? END) : END;
      const inSecond = b < secondCount ? (second[b] ?? END) : END;
      const ord = inFirst < inSecond ? inFirst : inSecond;
      if (ord === END) break;
      let rareMissing = rareLists;
      if (inFirst === ord) {
        a += 1;
        rareMissing -= 1;
        lacks[0] = 0;
      } else {
        lacks[0] = 1;
      }
      if (inSecond === ord) {
        b += 1;
        rareMissing -= 1;
        lacks[1] = 0;
      } else {
        lacks[1] = 1;
      }
      if (lists - rareMissing < need || rareMissing > allowed) continue;
      let from = 2;
      if (lists > 2) {
        let has: boolean;
        if (decodeThird) {
          while (c < thirdCount && (third[c] ?? END) < ord) c += 1;
          has = c < thirdCount && third[c] === ord;
        } else {
          thirdCursor.advanceTo(ord);
          has = thirdCursor.value === ord;
        }
        lacks[2] = has ? 0 : 1;
        if (!has) rareMissing += 1;
        // Lacking two of the rarest lists (or more words than allowed) rules the paper out.
        if (lists - rareMissing < need || rareMissing > allowed) continue;
        from = 3;
      }
      if (this.probe(ord, from, rareMissing, walk)) {
        found.push(ord);
        if (found.length > MAX_CANDIDATES) return [];
      }
    }
    return found;
  }

  /** Scratch for three decoded posting lists of at most `cap` ordinals each. */
  private decoded(cap: number): [Int32Array, Int32Array, Int32Array] {
    if (this.lists[0].length < cap) {
      this.lists = [new Int32Array(cap), new Int32Array(cap), new Int32Array(cap)];
    }
    return this.lists;
  }

  /** `candidates` over the union of `forms` (see `heavyWordWalk`), probing every pool list. */
  private walkHeavy(forms: readonly PostingCursor[], walk: CandidateWalk): number[] {
    const found: number[] = [];
    for (;;) {
      let ord = Infinity;
      for (const form of forms) if (form.value < ord) ord = form.value;
      if (ord === Infinity) break;
      for (const form of forms) if (form.value === ord) form.next();
      if (this.probe(ord, 0, 0, walk)) {
        found.push(ord);
        if (found.length > MAX_CANDIDATES) return [];
      }
    }
    return found;
  }

  /**
   * Whether paper `ord` is a candidate: it lacks few enough of the pool words, probed from list
   * `from` on with cursors that only move forward (`rareMissing`: the rarest lists it already
   * lacks), and may lack those (`omissible`). Leaves `lacks` set for the lists probed.
   */
  private probe(ord: number, from: number, rareMissing: number, walk: CandidateWalk): boolean {
    const { plan, size, lists, need, allowed, all } = walk;
    const cursors = this.cursors;
    const lacks = this.lacks;
    let rare = rareMissing;
    let missing = rareMissing;
    for (let list = from; list < size && missing <= allowed && lists - rare >= need; list += 1) {
      const cursor = cursors[list] as PostingCursor;
      cursor.advanceTo(ord);
      lacks[list] = cursor.value === ord ? 0 : 1;
      if (cursor.value !== ord) {
        missing += 1;
        if (list < lists) rare += 1;
      }
    }
    return lists - rare >= need && missing <= allowed && (all || this.omissible(plan, ord));
  }

  /**
   * A word heavier than a droppable run must be in every candidate (a word no title has, too):
   * as itself, in a typo'd form, or joined with a neighbour or split. When those forms' postings
   * are shorter than the two rarest lists (a rare word among common ones, a word no title has),
   * cursors over them, to walk instead; none when no paper has any form.
   */
  private heavyWordWalk(plan: Omissions, lists: number): PostingCursor[] | null {
    const index = this.index;
    let best: PostingCursor[] | null = null;
    let bestLength = index.df(this.pool[0] ?? 0) + (lists > 1 ? index.df(this.pool[1] ?? 0) : 0);
    // Looking up typo'd forms costs about as much as walking this many ordinals.
    if (bestLength < this.heavyWalkAfter) return null;
    const { ids, query, weights } = plan;
    for (let at = 0; at < ids.length; at += 1) {
      if ((weights[at] ?? 0) <= plan.runWeight) continue;
      const id = ids[at] ?? -1;
      if (id >= 0 && index.postingCount(id) === 0) continue;
      // The word's own postings are among its forms: skip the look-up unless it could save more
      // than it costs.
      if (id >= 0 && index.df(id) + this.heavyWalkAfter / 2 >= bestLength) continue;
      const typos = this.typoCursors(query[at] ?? '');
      const spellings = this.spellingCursorsAt(plan, at);
      if (typos === null || spellings === null) continue;
      const forms = id >= 0 ? [new PostingCursor().reset(index, id), ...typos] : typos;
      // Both halves of a split form are needed: the rarer one's postings hold every such paper.
      for (const [first, second] of spellings) {
        forms.push(second && second.length < first.length ? second : first);
      }
      let length = 0;
      for (const form of forms) length += form.length;
      if (length < bestLength) {
        best = forms;
        bestLength = length;
      }
    }
    return best;
  }

  /**
   * Whether the paper `ord` may lack the pool words its cursors did not find: one word that is
   * light enough to drop or that the paper has in a typo'd form, or a run light enough to drop.
   * Words that may be a joined or split spelling are free.
   */
  private omissible(plan: Omissions, ord: number): boolean {
    let count = plan.unknown;
    let weight = plan.unknownWeight;
    let heavy = -1;
    for (let list = 0; list < this.poolSize; list += 1) {
      if (this.lacks[list] === 0 || this.poolFree(plan, list, ord)) continue;
      const listWeight = this.index.weight(this.pool[list] ?? 0);
      count += 1;
      weight += listWeight;
      if (listWeight > plan.runWeight) heavy = list;
    }
    if (count === 0) return true;
    if (count > 1) return weight <= plan.runWeight;
    return heavy < 0 || this.mayHaveTypo(heavy, ord);
  }

  /**
   * Whether paper `ord` may have pool word `list` spelled otherwise: joined with a neighbour
   * word, or split in two. Checked on the postings of those spellings' tokens; a spelling with a
   * token too common to have postings can't be ruled out.
   */
  private poolFree(plan: Omissions, list: number, ord: number): boolean {
    let spellings = this.poolSpellings[list];
    if (spellings === undefined) {
      spellings = this.spellingCursors(plan, this.pool[list] ?? -1);
      this.poolSpellings[list] = spellings;
    }
    if (spellings === null) return true;
    for (const [first, second] of spellings) {
      first.advanceTo(ord);
      if (first.value !== ord) continue;
      if (!second) return true;
      second.advanceTo(ord);
      if (second.value === ord) return true;
    }
    return false;
  }

  /** Cursors over the other spellings of the title's word `id`; null when some can't be walked. */
  private spellingCursors(
    plan: Omissions,
    id: number,
  ): [PostingCursor, PostingCursor | null][] | null {
    const cursors: [PostingCursor, PostingCursor | null][] = [];
    for (let at = 0; at < plan.ids.length; at += 1) {
      if (plan.ids[at] !== id) continue;
      const more = this.spellingCursorsAt(plan, at);
      if (!more) return null;
      cursors.push(...more);
    }
    return cursors;
  }

  /** Cursors over the other spellings of the title's word at `at` (see `otherSpellings`). */
  private spellingCursorsAt(
    plan: Omissions,
    at: number,
  ): [PostingCursor, PostingCursor | null][] | null {
    const cursors: [PostingCursor, PostingCursor | null][] = [];
    const cursor = (token: number): PostingCursor | null =>
      this.index.postingCount(token) > 0 ? new PostingCursor().reset(this.index, token) : null;
    const pairs = this.otherSpellings(plan.query, at);
    for (let k = 0; k < pairs.length; k += 2) {
      const first = cursor(pairs[k] ?? -1);
      if (!first) return null;
      const secondId = pairs[k + 1] ?? -1;
      if (secondId < 0) {
        cursors.push([first, null]);
        continue;
      }
      const second = cursor(secondId);
      if (!second) return null;
      cursors.push([first, second]);
    }
    return cursors;
  }

  /**
   * Whether paper `ord` may have pool word `list` with one typo. The typo'd forms are looked up
   * only once many papers lack the word (a look-up costs ~500 hash probes); until then, and
   * when a form is too common to have postings, the paper is let through to scoring.
   */
  private mayHaveTypo(list: number, ord: number): boolean {
    const lacking = (this.poolLacking[list] ?? 0) + 1;
    this.poolLacking[list] = lacking;
    if (lacking <= TYPO_LOOKUP_AFTER) return true;
    let typos = this.poolTypos[list];
    if (typos === undefined) {
      typos = this.typoCursors(this.index.tokenString(this.pool[list] ?? 0));
      this.poolTypos[list] = typos;
    }
    if (typos === null) return true;
    for (const cursor of typos) {
      cursor.advanceTo(ord);
      if (cursor.value === ord) return true;
    }
    return false;
  }

  /** Cursors over the indexed words one typo away from `word`; null when that can't be known. */
  private typoCursors(word: string): PostingCursor[] | null {
    if (!/^[a-z]+$/.test(word)) return /\d/.test(word) ? [] : null;
    const index = this.index;
    const length = word.length;
    const form = this.form.length > length ? this.form : new Uint16Array(length + 1);
    const ids = new Set<number>();
    const look = (formLength: number): void => {
      const id = index.tokenIdOfCodes(form, formLength);
      if (id >= 0) ids.add(id);
    };
    const spell = (from: number, to: number, shift: number): void => {
      for (let at = from; at < to; at += 1) form[at + shift] = word.charCodeAt(at);
    };
    // Each form is written in place: deletions, transpositions, substitutions, insertions.
    for (let at = 0; at < length; at += 1) {
      spell(0, at, 0);
      spell(at + 1, length, -1);
      look(length - 1);
      spell(0, length, 0);
      if (at + 1 < length && word[at] !== word[at + 1]) {
        form[at] = word.charCodeAt(at + 1);
        form[at + 1] = word.charCodeAt(at);
        look(length);
        spell(0, length, 0);
      }
      for (let letter = 97; letter <= 122; letter += 1) {
        if (letter === word.charCodeAt(at)) continue;
        form[at] = letter;
        look(length);
      }
      form[at] = word.charCodeAt(at);
    }
    for (let at = 0; at <= length; at += 1) {
      spell(0, at, 0);
      spell(at, length, 1);
      for (let letter = 97; letter <= 122; letter += 1) {
        form[at] = letter;
        look(length + 1);
      }
    }
    const cursors: PostingCursor[] = [];
    for (const id of ids) {
      if (!isTypoPair(word, index.tokenString(id))) continue;
      if (index.postingCount(id) === 0) return null;
      cursors.push(new PostingCursor().reset(index, id));
    }
    return cursors;
  }

  /**
   * Whether the paper in `docBuffer` may be within one edit of a whole title, as `align` counts
   * edits: a typo, or a run of at most MAX_RUN words only one side has, besides words joined or
   * split (free). So the title words the paper lacks, short of another spelling, are at most two
   * in a row (none if the paper has extra words), and the paper's own words outside the title
   * are at most two, fewer by what the title lacks; a word that could be part of a joined or split
   * spelling (by its length: `lengthRoles`) is not counted. Acceptance needs this, so when no
   * candidate passes, the title has no match without weighing any of them.
   */
  private closeTo(plan: Omissions, n: number): boolean {
    const doc = this.docBuffer;
    const { ids } = plan;
    let extra = 0;
    for (let j = 0; j < n; j += 1) {
      const id = doc[j] ?? 0;
      if (ids.includes(id)) continue;
      const length = this.index.tokenLength(id);
      if (
        (this.lengthRole(length) & 2) !== 0 ||
        (j > 0 && (this.lengthRole(length + this.index.tokenLength(doc[j - 1] ?? 0)) & 1) !== 0) ||
        (j + 1 < n && (this.lengthRole(length + this.index.tokenLength(doc[j + 1] ?? 0)) & 1) !== 0)
      ) {
        continue;
      }
      if (++extra > MAX_RUN) return false;
    }
    let lacking = 0;
    let first = -1;
    for (let at = 0; at < ids.length; at += 1) {
      const id = ids[at] ?? -1;
      let found = false;
      for (let j = 0; j < n && !found && id >= 0; j += 1) found = doc[j] === id;
      if (found || this.spelledOtherwise(plan, at, n)) continue;
      if (first < 0) first = at;
      else if (at !== first + 1) return false;
      lacking += 1;
    }
    return extra + lacking <= MAX_RUN;
  }

  /** `lengthRoles` of a length (lengths past the table share its last entry). */
  private lengthRole(length: number): number {
    return this.lengthRoles[Math.min(length, this.lengthRoles.length - 1)] ?? 0;
  }

  /** Marks (`on`) or clears the lengths of the title's words and of neighbouring pairs of them. */
  private setLengthRoles(query: readonly string[], on: boolean): void {
    const roles = this.lengthRoles;
    for (let at = 0; at < query.length; at += 1) {
      const length = Math.min(query[at]?.length ?? 0, roles.length - 1);
      roles[length] = on ? (roles[length] ?? 0) | 1 : 0;
      if (at === 0) continue;
      const pair = Math.min(length + (query[at - 1]?.length ?? 0), roles.length - 1);
      roles[pair] = on ? (roles[pair] ?? 0) | 2 : 0;
    }
  }

  /**
   * Whether the paper in `docBuffer` lacks too much of the title, in one pass over its tokens:
   * more than `allowed` of the known words (the common ones too, which have no postings), or, for
   * a whole title, more than one word or a run light enough to drop (see `omissible`). A word the
   * paper has joined with a neighbour, or split in two, counts as lacking only for `allowed`.
   */
  private lacksTooMuch(plan: Omissions, n: number, allowed: number, truncated: boolean): boolean {
    const doc = this.docBuffer;
    const { ids } = plan;
    let missing = 0;
    let count = plan.unknown;
    let weight = plan.unknownWeight;
    for (let at = 0; at < ids.length; at += 1) {
      const id = ids[at] ?? -1;
      // A word no title has is counted in `plan.unknown`, unless it may be two joined words.
      if (id < 0 && plan.joinable[at] !== true) continue;
      let found = false;
      for (let j = 0; j < n && !found && id >= 0; j += 1) found = doc[j] === id;
      if (!found && id >= 0 && ++missing > allowed) return true;
      if (truncated || found || this.spelledOtherwise(plan, at, n)) continue;
      count += 1;
      weight += plan.weights[at] ?? 0;
      if (count > 1 && weight > plan.runWeight) return true;
    }
    return false;
  }

  /** Whether the paper in `docBuffer` has the title's word at `at` joined with a neighbour or split. */
  private spelledOtherwise(plan: Omissions, at: number, n: number): boolean {
    let spellings = this.spellings[at];
    if (spellings === undefined) {
      spellings = this.otherSpellings(plan.query, at);
      this.spellings[at] = spellings;
    }
    if (spellings.length === 0) return false;
    const doc = this.docBuffer;
    // [joined, -1] pairs: the paper has the one token; [left, right]: the paper has both, in a row.
    for (let k = 0; k < spellings.length; k += 2) {
      const first = spellings[k] ?? -1;
      const second = spellings[k + 1] ?? -1;
      for (let j = 0; j < n; j += 1) {
        if (doc[j] !== first) continue;
        if (second < 0 || doc[j + 1] === second) return true;
      }
    }
    return false;
  }

  /** Token-id pairs for the other spellings of the title's word at `at` (see `spelledOtherwise`). */
  private otherSpellings(query: readonly string[], at: number): number[] {
    const word = query[at] ?? '';
    const pairs: number[] = [];
    const before = at > 0 ? this.index.tokenId((query[at - 1] ?? '') + word) : -1;
    if (before >= 0) pairs.push(before, -1);
    const after = at + 1 < query.length ? this.index.tokenId(word + (query[at + 1] ?? '')) : -1;
    if (after >= 0) pairs.push(after, -1);
    for (let cut = 1; cut < word.length; cut += 1) {
      const left = this.index.tokenIdIn(word, 0, cut);
      if (left < 0) continue;
      const right = this.index.tokenIdIn(word, cut, word.length);
      if (right >= 0) pairs.push(left, right);
    }
    return pairs;
  }

  /** Whether a word is two indexed words written joined. */
  private mayBeJoined(word: string): boolean {
    const index = this.index;
    for (let cut = 1; cut < word.length; cut += 1) {
      if (index.tokenIdIn(word, 0, cut) >= 0 && index.tokenIdIn(word, cut, word.length) >= 0) {
        return true;
      }
    }
    return false;
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

  /**
   * An upper bound on `align`'s similarity, from a floor under the cost of every token without
   * an equal on the other side: the cheapest move that could consume it (dropped or added: its
   * weight; a typo: a quarter of the paper token's weight; part of a joined or split word, or a
   * cut title's last word: nothing). Moves are checked by length before any string is built.
   * A typo consumes a token on each side, so the two sides are summed with typo costs halved.
   * Without `exact`, a move whose lengths fit is assumed possible: a looser, string-free bound.
   */
  private bound(
    query: readonly string[],
    ids: readonly number[],
    weights: readonly number[],
    queryWeight: number,
    n: number,
    truncated: boolean,
    exact: boolean,
  ): number {
    const doc = this.docBuffer;
    const docWeights = this.docWeights;
    const docLengths = this.docLengths;
    const m = ids.length;
    let docWeight = 0;
    for (let j = 0; j < n; j += 1) {
      const id = doc[j] ?? 0;
      docWeights[j] = this.index.weight(id);
      docLengths[j] = this.index.tokenLength(id);
      docWeight += docWeights[j] ?? 0;
    }
    let querySide = 0;
    let queryHalf = 0;
    for (let i = 0; i < m; i += 1) {
      const id = ids[i];
      let shared = false;
      for (let j = 0; j < n; j += 1) {
        if (doc[j] === id) {
          shared = true;
          break;
        }
      }
      if (shared || (truncated && i === m - 1)) continue;
      const text = query[i] ?? '';
      const length = text.length;
      const before = i > 0 ? (query[i - 1] ?? '') : '';
      const after = query[i + 1] ?? '';
      let floor = weights[i] ?? 0;
      let typo = Infinity;
      for (let j = 0; j < n && floor > 0; j += 1) {
        const docLength = docLengths[j] ?? 0;
        const docId = doc[j] ?? 0;
        if (
          (j > 0 &&
            length === (docLengths[j - 1] ?? 0) + docLength &&
            (!exact || text === this.tokenString(doc[j - 1] ?? 0) + this.tokenString(docId))) ||
          (before !== '' &&
            before.length + length === docLength &&
            (!exact || before + text === this.tokenString(docId))) ||
          (after !== '' &&
            length + after.length === docLength &&
            (!exact || text + after === this.tokenString(docId)))
        ) {
          floor = 0;
        } else if (
          Math.abs(docLength - length) <= 1 &&
          TYPO_COST * (docWeights[j] ?? 0) < Math.min(floor, typo) &&
          (!exact || isTypoPair(text, this.tokenString(docId)))
        ) {
          typo = TYPO_COST * (docWeights[j] ?? 0);
        }
      }
      querySide += Math.min(floor, typo);
      queryHalf += Math.min(floor, typo / 2);
    }
    if (truncated) return 1 - querySide / (queryWeight + docWeight);
    let docSide = 0;
    let docHalf = 0;
    for (let j = 0; j < n; j += 1) {
      const docId = doc[j] ?? 0;
      if (ids.includes(docId)) continue;
      const docLength = docLengths[j] ?? 0;
      const text = exact ? this.tokenString(docId) : '';
      let floor = docWeights[j] ?? 0;
      let typo = Infinity;
      for (let i = 0; i < m && floor > 0; i += 1) {
        const queryText = query[i] ?? '';
        const length = queryText.length;
        if (
          (j > 0 &&
            length === (docLengths[j - 1] ?? 0) + docLength &&
            (!exact || queryText === this.tokenString(doc[j - 1] ?? 0) + text)) ||
          (j + 1 < n &&
            length === docLength + (docLengths[j + 1] ?? 0) &&
            (!exact || queryText === text + this.tokenString(doc[j + 1] ?? 0))) ||
          (i > 0 &&
            (query[i - 1] ?? '').length + length === docLength &&
            (!exact || (query[i - 1] ?? '') + queryText === text))
        ) {
          floor = 0;
        } else if (
          typo === Infinity &&
          Math.abs(docLength - length) <= 1 &&
          (!exact || isTypoPair(queryText, text))
        ) {
          typo = TYPO_COST * floor;
        }
      }
      docSide += Math.min(floor, typo);
      docHalf += Math.min(floor, typo / 2);
    }
    const cost = Math.max(querySide, docSide, queryHalf + docHalf);
    return 1 - cost / (queryWeight + docWeight);
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
