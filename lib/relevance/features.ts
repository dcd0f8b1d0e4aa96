/**
 * Text → hashed sparse term counts, the representation every relevance model works on.
 *
 * Modelled on arxiv-sanity-lite's TfidfVectorizer (words and two-word phrases over title, abstract
 * and author names, English stop words removed, accents stripped), with two deliberate changes:
 * - Features are hashed into a fixed space instead of kept in a vocabulary dictionary. A growing
 *   index then never invalidates stored vectors, and memory stays bounded (a dictionary of every
 *   bigram seen in 100k abstracts runs to millions of strings).
 * - Vectors store raw counts, not tf-idf weights: IDF comes from the index at training time, so
 *   vectors computed at import stay valid as the index grows.
 */
import { decodeEntities, stripLatex } from '../normalize';

/**
 * log2 of the hashed feature space. 2^16 keeps one dense model at 256 KB and a stored term at a
 * Uint16, and the fused weights of six models (1.5 MB) in cache while a page is scored; 2^18 ranked
 * the evaluation corpus barely better (AP 62.3 vs 61.6) at 4× the working set (docs/relevance.md).
 */
export const FEATURE_BITS = 16;
export const FEATURE_DIM = 1 << FEATURE_BITS;
const COUNT_BITS = 32 - FEATURE_BITS;
/**
 * Terms kept per paper (the most frequent; the title's count double). A long abstract has ~200.
 * On the evaluation corpus keeping 128 cost 0.2 AP, 96 cost 1.7 and 64 cost 3.7; but entries
 * scored on their title alone lean on the generic words of the tagged papers' abstracts, and at
 * 128 a title-only Scholar entry like ten tagged language-model papers fell below the highlight
 * threshold (0.40; 0.54 at 160, 0.59 uncapped).
 */
export const MAX_TERMS = 160;
const COUNT_MAX = (1 << COUNT_BITS) - 1;

/** The text of a paper as far as it is known. */
export interface PaperText {
  title: string;
  abstract?: string;
  authors?: readonly string[];
}

/**
 * A sparse vector: each element packs `feature << COUNT_BITS | count`, sorted by feature, at most
 * MAX_TERMS of them (stored as a Uint16 feature and a Uint8 count: ≤ 480 B per paper).
 */
export type PackedVector = Uint32Array;

// sklearn's English stop-word list, trimmed of words that carry meaning in paper titles
// ("system", "show", "find", "interest" stay out of it because they are rarely decisive either way).
const STOP_WORDS = new Set(
  `a about above across after afterwards again against all almost alone along already also although
always am among amongst an and another any anyhow anyone anything anyway anywhere are around as at
be became because become becomes becoming been before beforehand behind being below beside besides
between beyond both but by can cannot could did do does doing done down due during each eg either
else elsewhere enough etc even ever every everyone everything everywhere except few for former
formerly from further had has have having he hence her here hereafter hereby herein hereupon hers
herself him himself his how however ie if in indeed into is it its itself just last latter latterly
least less many may me meanwhile might more moreover most mostly much must my myself namely neither
never nevertheless next no nobody none noone nor not nothing now nowhere of off often on once one
only onto or other others otherwise our ours ourselves out over own per perhaps please rather re
same seem seemed seeming seems several she should since so some somehow someone something sometime
sometimes somewhere still such than that the their theirs them themselves then thence there
thereafter thereby therefore therein thereupon these they this those though through throughout thru
thus to together too toward towards under until up upon us very via was we well were what whatever
when whence whenever where whereafter whereas whereby wherein whereupon wherever whether which while
whither who whoever whole whom whose why will with within without would yet you your yours yourself
yourselves paper propose proposed present show shows using use used based new results approach
method methods study work`.split(/\s+/),
);

const COMBINING_MARKS = /\p{M}+/gu;
const WORD = /[a-z][a-z0-9]+/g;
// eslint-disable-next-line no-control-regex -- the whole ASCII range is the point
const ASCII = /^[\x00-\x7f]*$/;

/** Lower-cased, accent-free, LaTeX-free text. */
export function normalizeText(text: string): string {
  const plain = stripLatex(decodeEntities(text));
  // Most abstracts are ASCII: skipping Unicode decomposition for them halves the cost.
  const folded = ASCII.test(plain) ? plain : plain.normalize('NFKD').replace(COMBINING_MARKS, '');
  return folded.toLowerCase();
}

/**
 * Folds plural and a few inflected forms onto one token ("networks" → "network", "studies" →
 * "study") so ten tagged papers generalize further. Deliberately tiny: a full Porter stemmer
 * makes explanations unreadable ("gener", "comput").
 */
export function stem(token: string): string {
  const length = token.length;
  if (length <= 3 || token.charCodeAt(length - 1) !== 115 /* s */) return token;
  if (length > 4 && token.endsWith('ies')) return `${token.slice(0, -3)}y`;
  if (token.endsWith('sses')) return token.slice(0, -2);
  const before = token.charCodeAt(length - 2);
  // "-ss", "-us", "-is" are not plurals (class, corpus, analysis); nor is "-ics" (physics).
  if (before === 115 || before === 117 || before === 105) return token;
  if (token.endsWith('ics')) return token;
  return token.slice(0, -1);
}

/** Words of a text, normalized and stemmed; stop words kept (phrase rules need them). */
export function words(text: string): string[] {
  return (normalizeText(text).match(WORD) ?? []).map(stem);
}

/** Content words: `words` without stop words and pure numbers. */
export function contentWords(text: string): string[] {
  return words(text).filter((word) => !STOP_WORDS.has(word));
}

/** One author as a feature: last name and first initial ("Yann LeCun" → `a:lecun y`). */
export function authorFeature(name: string): string | null {
  const parts = normalizeText(
    name.includes(',') ? name.split(',').reverse().join(' ') : name,
  ).match(/[a-z]+/g);
  if (!parts || parts.length === 0) return null;
  const last = parts[parts.length - 1] ?? '';
  const initial = parts.length > 1 ? ` ${(parts[0] ?? '').charAt(0)}` : '';
  return `a:${last}${initial}`;
}

/**
 * Every feature of a paper with its count: words and adjacent word pairs of title and abstract
 * (the title counted twice: it is the author's own summary), and author names.
 */
export function featureCounts(paper: PaperText): Map<string, number> {
  const counts = new Map<string, number>();
  const add = (feature: string, times: number): void => {
    counts.set(feature, (counts.get(feature) ?? 0) + times);
  };
  const addText = (text: string, times: number): void => {
    const tokens = contentWords(text);
    for (let index = 0; index < tokens.length; index += 1) {
      const token = tokens[index] ?? '';
      add(token, times);
      const next = tokens[index + 1];
      if (next !== undefined) add(`${token} ${next}`, times);
    }
  };
  addText(paper.title, 2);
  if (paper.abstract) addText(paper.abstract, 1);
  for (const author of paper.authors ?? []) {
    const feature = authorFeature(author);
    if (feature) add(feature, 1);
  }
  return counts;
}

const FNV_OFFSET = 0x811c9dc5;
const SPACE = 32;

/** FNV-1a over UTF-16 code units, continuing from `state` (so "a b" can extend the state of "a"). */
function fnv(text: string, state = FNV_OFFSET): number {
  let hash = state;
  for (let index = 0; index < text.length; index += 1) {
    hash ^= text.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash;
}

function fold(state: number): number {
  // Xor-fold the high bits in: FNV's low bits alone are poorly mixed.
  return ((state >>> FEATURE_BITS) ^ state) & (FEATURE_DIM - 1);
}

/** The feature id of a feature string (a word, "two words", or `a:author`). */
export function hashFeature(feature: string): number {
  return fold(fnv(feature));
}

/** A fixed pseudo-random order of features, to break ties between equally frequent terms. */
const scramble = (id: number): number => Math.imul(id, 0x9e3779b1) >>> 0;

/**
 * The MAX_TERMS most frequent of `ids` (ties in a fixed pseudo-random order). Counts are small,
 * so a cut-off count is found from the largest down, and only the ties at it are sorted.
 */
function mostFrequent(ids: Uint32Array, counts: Uint16Array): Uint32Array {
  let max = 0;
  for (const id of ids) max = Math.max(max, counts[id] as number);
  const histogram = new Uint32Array(max + 1);
  for (const id of ids) {
    const count = counts[id] as number;
    histogram[count] = (histogram[count] as number) + 1;
  }
  let above = 0;
  let cutoff = max;
  while (cutoff > 1 && above + (histogram[cutoff] as number) < MAX_TERMS) {
    above += histogram[cutoff] as number;
    cutoff -= 1;
  }
  const kept = new Uint32Array(MAX_TERMS);
  let length = 0;
  // Ties as scramble · 2^16 + id (exact in a double), so a native numeric sort orders them.
  const ties = new Float64Array(ids.length);
  let tied = 0;
  for (const id of ids) {
    const count = counts[id] as number;
    if (count > cutoff) kept[length++] = id;
    else if (count === cutoff) ties[tied++] = scramble(id) * FEATURE_DIM + id;
    else counts[id] = 0; // the scratch counter is left zeroed
  }
  const ordered = ties.subarray(0, tied).sort();
  for (const tie of ordered) {
    const id = tie % FEATURE_DIM;
    if (length < MAX_TERMS) kept[length++] = id;
    else counts[id] = 0;
  }
  return kept;
}

function pack(touched: Uint32Array, counts: Uint16Array): PackedVector {
  const ids = touched.length > MAX_TERMS ? mostFrequent(touched, counts) : touched;
  ids.sort();
  const packed = new Uint32Array(ids.length);
  for (let index = 0; index < ids.length; index += 1) {
    const id = ids[index] ?? 0;
    packed[index] = ((id << COUNT_BITS) | Math.min(COUNT_MAX, counts[id] ?? 0)) >>> 0;
    counts[id] = 0;
  }
  return packed;
}

/** Packs feature counts into a sorted sparse vector (colliding features add up). */
export function packCounts(counts: ReadonlyMap<string, number>): PackedVector {
  const touched: number[] = [];
  for (const [feature, count] of counts) {
    const id = hashFeature(feature);
    if (scratch[id] === 0) touched.push(id);
    scratch[id] = Math.min(0xffff, (scratch[id] ?? 0) + count);
  }
  return pack(Uint32Array.from(touched), scratch);
}

// Reused dense counter (always left zeroed): hashing straight into it avoids building a string
// per word pair and a Map per paper, which made vectorizing ~3× slower.
const scratch = new Uint16Array(FEATURE_DIM);

/** The hashed, counted vector of a paper: the same features as `featureCounts`, hashed. */
export function vectorize(paper: PaperText): PackedVector {
  const touched: number[] = [];
  const add = (id: number, times: number): void => {
    if (scratch[id] === 0) touched.push(id);
    scratch[id] = Math.min(0xffff, (scratch[id] ?? 0) + times);
  };
  const addText = (text: string, times: number): void => {
    const tokens = contentWords(text);
    const states = tokens.map((token) => fnv(token));
    for (let index = 0; index < tokens.length; index += 1) {
      const state = states[index] ?? FNV_OFFSET;
      add(fold(state), times);
      const next = tokens[index + 1];
      if (next !== undefined) add(fold(fnv(next, Math.imul(state ^ SPACE, 0x01000193))), times);
    }
  };
  addText(paper.title, 2);
  if (paper.abstract) addText(paper.abstract, 1);
  for (const author of paper.authors ?? []) {
    const feature = authorFeature(author);
    if (feature) add(hashFeature(feature), 1);
  }
  return pack(Uint32Array.from(touched), scratch);
}

export function featureOf(packed: number): number {
  return packed >>> COUNT_BITS;
}

export function countOf(packed: number): number {
  return packed & COUNT_MAX;
}
