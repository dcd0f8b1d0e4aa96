/**
 * The look-up structures the matcher queries, as flat typed arrays persisted in two IndexedDB
 * records: `LookupCore` (ids and exact title keys, ~16 B per paper, read on every service-worker
 * cold start) and `LookupFuzzy` (title tokens for the fuzzy fallback, read only when a page has
 * titles the exact tiers could not place; ~34 B per paper, most of it the token lists and the
 * gap-coded postings). Papers are numbered by insertion ("ordinals"); an
 * ordinal also says which storage bucket holds the paper (see lib/index-store.ts).
 */
import { hash53 } from '../normalize';
import type { CanonicalId } from '../types';
import { lowerBound, readU24 } from './arrays';
import { arxivCode, arxivFromCode, kindOf, OTHER_ID } from './id-codes';

/** Bumped when the layout changes; a stored lookup of another format is rebuilt from the papers. */
export const LOOKUP_FORMAT = 6;

export interface LookupCore {
  format: number;
  /** Papers covered: ordinals 0 … count − 1. */
  count: number;
  /** The index revision (lib/index-store.ts) this lookup reflects. */
  revision: number;
  /** Per ordinal: numeric arXiv code, or OTHER_ID + position in `otherIds`. */
  codes: Uint32Array;
  /** Non-arXiv canonical ids, concatenated; `otherOffsets` has one more entry than ids. */
  otherIds: string;
  otherOffsets: Uint32Array;
  /**
   * Ordinals sorted by canonical id (arXiv codes numerically, then the other ids as strings),
   * 3 bytes each (`readU24`).
   */
  idOrder: Uint8Array;
  /** hash53 of every alias, sorted, with the ordinal of its paper. */
  aliasHashes: Float64Array;
  aliasOrds: Uint32Array;
  /**
   * Every title key (current and former titles) as the top 48 bits of its hash53 (`key48`),
   * sorted, with the paper's ordinal: the top 16 bits select a range of `keyLows` through
   * `keyBuckets` (KEY_BUCKETS + 1 offsets), which holds the low 32 bits. 4 bytes a key instead of
   * 8; 48 bits still make an accidental hit ~1 in 10^8 per page title at a million papers.
   */
  keyBuckets: Uint32Array;
  keyLows: Uint32Array;
  /** The ordinal of each key, 3 bytes each (`readU24`). */
  keyOrds: Uint8Array;
}

export interface LookupFuzzy {
  format: number;
  count: number;
  revision: number;
  /** Title tokens by id, most frequent first (so frequent ids take one varint byte). */
  vocabText: string;
  vocabOffsets: Uint32Array;
  /**
   * Papers whose title has the token: ids run by falling frequency, so the first
   * `dfHead.length` tokens (in at least DF_TAIL_MAX papers) keep 32 bits and the long tail of
   * rare ones a byte each in `dfTail`.
   */
  dfHead: Uint32Array;
  dfTail: Uint8Array;
  /** Per paper, its content tokens in title order as varints; `forwardLengths` bytes each. */
  forward: Uint8Array;
  forwardLengths: Uint8Array;
  /** Byte offset in `forward` of every FORWARD_BLOCK-th paper. */
  forwardBlocks: Uint32Array;
  /**
   * Sorted ordinals of the papers with each token, as LEB128 gaps (the first from 0), from byte
   * `postingsStart[id]`; none for tokens in more than `postingsCap` papers.
   */
  postingsStart: Uint32Array;
  postings: Uint8Array;
  postingsCap: number;
  /**
   * Skips into the longer lists (more than POSTING_BLOCK ordinals; ids `skipFrom` … are those,
   * as ids run by falling frequency): for block k ≥ 1 of such a token, at `skipStart[id −
   * skipFrom] + k − 1`, the block's first ordinal and the byte offset just after it.
   */
  skipFrom: number;
  skipStart: Uint32Array;
  skipOrds: Uint32Array;
  skipOffsets: Uint32Array;
  /**
   * The vocabulary's hash table (`vocabularyTable`), stored so that a cold start need not hash
   * every token again (~30–90 ms at a million papers): token id per slot (-1: empty), and the
   * top byte of each slot's hash.
   */
  vocabTable: Int32Array;
  vocabTags: Uint8Array;
}

/**
 * Open addressing over FNV-1a hashes of the tokens, 70% full: a miss (a typo'd word) probes ~6
 * slots, and the table takes 1.4 slots a token.
 */
export function vocabularyTable(
  vocabText: string,
  vocabOffsets: Uint32Array,
): { vocabTable: Int32Array; vocabTags: Uint8Array } {
  const size = vocabOffsets.length - 1;
  const slots = Math.max(16, Math.ceil(size / 0.7));
  const table = new Int32Array(slots).fill(-1);
  const tags = new Uint8Array(slots);
  for (let id = 0; id < size; id += 1) {
    const hash = fnv1a(vocabText, vocabOffsets[id] ?? 0, vocabOffsets[id + 1] ?? 0);
    let slot = hash % slots;
    while ((table[slot] ?? -1) >= 0) slot = slot + 1 === slots ? 0 : slot + 1;
    table[slot] = id;
    tags[slot] = hash >>> 24;
  }
  return { vocabTable: table, vocabTags: tags };
}

/** Ordinals per block of a posting list between skips. */
export const POSTING_BLOCK = 64;

export const KEY_BUCKETS = 65_536;
const LOW_BITS = 2 ** 32;

/** The sorted key of a title-key hash53 in `LookupCore`: its top 48 bits. */
export function key48(hash: number): number {
  return Math.floor(hash / 32);
}

/** Every stored title key as `key48`, in order (for merging with new keys). */
export function storedKeys(core: LookupCore): Float64Array {
  const keys = new Float64Array(core.keyLows.length);
  for (let bucket = 0; bucket < KEY_BUCKETS; bucket += 1) {
    const end = core.keyBuckets[bucket + 1] ?? 0;
    for (let at = core.keyBuckets[bucket] ?? 0; at < end; at += 1) {
      keys[at] = bucket * LOW_BITS + (core.keyLows[at] ?? 0);
    }
  }
  return keys;
}

/** Splits sorted `key48` values into `keyBuckets` and `keyLows`. */
export function bucketKeys(keys: Float64Array): { keyBuckets: Uint32Array; keyLows: Uint32Array } {
  const keyBuckets = new Uint32Array(KEY_BUCKETS + 1);
  const keyLows = new Uint32Array(keys.length);
  keys.forEach((key, at) => {
    const bucket = Math.floor(key / LOW_BITS);
    keyLows[at] = key - bucket * LOW_BITS;
    keyBuckets[bucket + 1] = at + 1;
  });
  for (let bucket = 1; bucket <= KEY_BUCKETS; bucket += 1) {
    keyBuckets[bucket] = Math.max(keyBuckets[bucket] ?? 0, keyBuckets[bucket - 1] ?? 0);
  }
  return { keyBuckets, keyLows };
}

/** Document frequencies below this are stored in a byte (see `LookupFuzzy.dfTail`). */
export const DF_TAIL_MAX = 255;

/** Splits document frequencies (falling) into the 32-bit head and the byte tail. */
export function splitDf(df: Uint32Array): { dfHead: Uint32Array; dfTail: Uint8Array } {
  let head = 0;
  while (head < df.length && (df[head] ?? 0) >= DF_TAIL_MAX) head += 1;
  for (let id = head; id < df.length; id += 1) {
    if ((df[id] ?? 0) >= DF_TAIL_MAX) throw new Error('Document frequencies must fall with id.');
  }
  return { dfHead: df.slice(0, head), dfTail: Uint8Array.from(df.subarray(head)) };
}

export const FORWARD_BLOCK = 16;
/** Tokens kept per title: ample for real titles, and bounds a paper's forward bytes to < 256. */
export const MAX_TITLE_TOKENS = 60;

/** Function words: they neither find nor tell titles apart, so the fuzzy index skips them. */
export const STOPWORDS: ReadonlySet<string> = new Set(
  'a an the of for and or in on to with by from at as is are be its into this that we our'.split(
    ' ',
  ),
);

/** Content tokens of a tokenized title, as stored in the fuzzy index. */
export function contentTokens(tokens: readonly string[]): string[] {
  const content = tokens.filter((token) => !STOPWORDS.has(token));
  return content.length > MAX_TITLE_TOKENS ? content.slice(0, MAX_TITLE_TOKENS) : content;
}

/** The query form of a canonical id for `idOrder` searches. */
export type IdProbe = { code: number; other: null } | { code: -1; other: string };

export function idProbe(id: CanonicalId): IdProbe {
  const code = arxivCode(id);
  return code >= 0 ? { code, other: null } : { code: -1, other: id };
}

export function emptyCore(revision = 0): LookupCore {
  return {
    format: LOOKUP_FORMAT,
    count: 0,
    revision,
    codes: new Uint32Array(0),
    otherIds: '',
    otherOffsets: new Uint32Array(1),
    idOrder: new Uint8Array(0),
    aliasHashes: new Float64Array(0),
    aliasOrds: new Uint32Array(0),
    keyBuckets: new Uint32Array(KEY_BUCKETS + 1),
    keyLows: new Uint32Array(0),
    keyOrds: new Uint8Array(0),
  };
}

export function emptyFuzzy(revision = 0): LookupFuzzy {
  const vocabOffsets = new Uint32Array(1);
  return {
    format: LOOKUP_FORMAT,
    count: 0,
    revision,
    vocabText: '',
    vocabOffsets,
    dfHead: new Uint32Array(0),
    dfTail: new Uint8Array(0),
    forward: new Uint8Array(0),
    forwardLengths: new Uint8Array(0),
    forwardBlocks: new Uint32Array(0),
    postingsStart: new Uint32Array(1),
    postings: new Uint8Array(0),
    postingsCap: 0,
    skipFrom: 0,
    skipStart: new Uint32Array(1),
    skipOrds: new Uint32Array(0),
    skipOffsets: new Uint32Array(0),
    ...vocabularyTable('', vocabOffsets),
  };
}

/** The id and exact-title queries, over frozen structures or a builder's pending changes. */
export interface LookupView {
  readonly count: number;
  /** Papers whose canonical id is not a new-style arXiv id. */
  readonly otherCount: number;
  findId(id: CanonicalId): number;
  findAlias(id: CanonicalId): number;
  findTitle(keyHash: number): number[];
  idAt(ord: number): CanonicalId;
  kindAt(ord: number): string;
}

/** Read-only queries over a `LookupCore`: ids and exact title keys. */
export class PaperLookup implements LookupView {
  constructor(readonly core: LookupCore) {}

  get count(): number {
    return this.core.count;
  }

  get revision(): number {
    return this.core.revision;
  }

  /** How many papers have a canonical id that is not a new-style arXiv id. */
  get otherCount(): number {
    return this.core.otherOffsets.length - 1;
  }

  otherAt(index: number): string {
    const { otherIds, otherOffsets } = this.core;
    return otherIds.slice(otherOffsets[index] ?? 0, otherOffsets[index + 1] ?? 0);
  }

  idAt(ord: number): CanonicalId {
    const code = this.core.codes[ord] ?? 0;
    return code < OTHER_ID ? arxivFromCode(code) : this.otherAt(code - OTHER_ID);
  }

  /** The id kind of a paper (`arxiv`, `doi`, …) without building its id string for arXiv. */
  kindAt(ord: number): string {
    const code = this.core.codes[ord] ?? 0;
    return code < OTHER_ID ? 'arxiv' : kindOf(this.otherAt(code - OTHER_ID));
  }

  /** Orders a probe against the paper at `ord` (negative: the probe sorts first). */
  compareProbe(probe: IdProbe, ord: number): number {
    const code = this.core.codes[ord] ?? 0;
    if (probe.other === null) return code >= OTHER_ID ? -1 : probe.code - code;
    if (code < OTHER_ID) return 1;
    const other = this.otherAt(code - OTHER_ID);
    return probe.other < other ? -1 : probe.other > other ? 1 : 0;
  }

  /** Orders two papers by canonical id, the order of `idOrder`. */
  compareOrds(a: number, b: number): number {
    const codeA = this.core.codes[a] ?? 0;
    const codeB = this.core.codes[b] ?? 0;
    if (codeA < OTHER_ID || codeB < OTHER_ID) return codeA - codeB;
    const idA = this.otherAt(codeA - OTHER_ID);
    const idB = this.otherAt(codeB - OTHER_ID);
    return idA < idB ? -1 : idA > idB ? 1 : 0;
  }

  /** The ordinal of the paper with this canonical id, or -1. */
  findId(id: CanonicalId): number {
    const probe = idProbe(id);
    const order = this.core.idOrder;
    let low = 0;
    let high = order.length / 3 - 1;
    while (low <= high) {
      const mid = (low + high) >>> 1;
      const ord = readU24(order, mid);
      const cmp = this.compareProbe(probe, ord);
      if (cmp === 0) return ord;
      if (cmp < 0) high = mid - 1;
      else low = mid + 1;
    }
    return -1;
  }

  /** The ordinal of the paper that lists `id` as an alias, or -1. */
  findAlias(id: CanonicalId): number {
    const { aliasHashes, aliasOrds } = this.core;
    const hash = hash53(id);
    const at = lowerBound(aliasHashes, hash);
    return aliasHashes[at] === hash ? (aliasOrds[at] ?? -1) : -1;
  }

  /** Every paper whose current or former title key hashes to `keyHash` (usually 0 or 1). */
  findTitle(keyHash: number): number[] {
    const { keyBuckets, keyLows, keyOrds } = this.core;
    const key = key48(keyHash);
    const bucket = Math.floor(key / LOW_BITS);
    const low = key - bucket * LOW_BITS;
    let at = keyBuckets[bucket] ?? 0;
    let high = keyBuckets[bucket + 1] ?? 0;
    while (at < high) {
      const mid = (at + high) >>> 1;
      if ((keyLows[mid] ?? 0) < low) at = mid + 1;
      else high = mid;
    }
    const found: number[] = [];
    for (const end = keyBuckets[bucket + 1] ?? 0; at < end && keyLows[at] === low; at += 1) {
      const ord = readU24(keyOrds, at);
      if (!found.includes(ord)) found.push(ord);
    }
    return found;
  }

  /** Bytes held by the typed arrays and strings. */
  get bytes(): number {
    const core = this.core;
    return (
      core.codes.byteLength +
      stringBytes(core.otherIds) +
      core.otherOffsets.byteLength +
      core.idOrder.byteLength +
      core.aliasHashes.byteLength +
      core.aliasOrds.byteLength +
      core.keyBuckets.byteLength +
      core.keyLows.byteLength +
      core.keyOrds.byteLength
    );
  }
}

/** Bytes V8 keeps for a string: one per character when all are Latin-1, else two. */
function stringBytes(text: string): number {
  for (let index = 0; index < text.length; index += 1) {
    if (text.charCodeAt(index) > 0xff) return text.length * 2;
  }
  return text.length;
}

function fnv1a(text: string, start: number, end: number): number {
  let hash = 0x811c9dc5;
  for (let index = start; index < end; index += 1) {
    hash = Math.imul(hash ^ text.charCodeAt(index), 16777619);
  }
  return hash >>> 0;
}

/** Read-only queries over a `LookupFuzzy`: vocabulary, token weights, forward lists, postings. */
export class FuzzyIndex {
  private weights: Float32Array | null = null;
  private readonly scratch = new Uint16Array(64);

  constructor(readonly data: LookupFuzzy) {}

  get vocabularySize(): number {
    return this.data.dfHead.length + this.data.dfTail.length;
  }

  tokenString(id: number): string {
    const { vocabText, vocabOffsets } = this.data;
    return vocabText.slice(vocabOffsets[id] ?? 0, vocabOffsets[id + 1] ?? 0);
  }

  /** The id of a token, or -1 when no indexed title has it. */
  tokenId(token: string): number {
    return this.tokenIdIn(token, 0, token.length);
  }

  /** `tokenId` of `text.slice(start, end)`, without building the slice. */
  tokenIdIn(text: string, start: number, end: number): number {
    const length = end - start;
    const codes = this.scratch.length >= length ? this.scratch : new Uint16Array(length);
    for (let index = 0; index < length; index += 1) codes[index] = text.charCodeAt(start + index);
    return this.tokenIdOfCodes(codes, length);
  }

  /** `tokenId` of the word spelled by the first `length` char codes (no string to build). */
  tokenIdOfCodes(codes: Uint16Array, length: number): number {
    const table = this.data.vocabTable;
    const tags = this.data.vocabTags;
    const slots = table.length;
    const { vocabText, vocabOffsets } = this.data;
    let hash = 0x811c9dc5;
    for (let index = 0; index < length; index += 1) {
      hash = Math.imul(hash ^ (codes[index] ?? 0), 16777619);
    }
    hash >>>= 0;
    const tag = hash >>> 24;
    for (let slot = hash % slots; ; slot = slot + 1 === slots ? 0 : slot + 1) {
      const id = table[slot] ?? -1;
      if (id < 0) return -1;
      // The hash's top byte rules out most other words without reading the vocabulary.
      if (tags[slot] !== tag) continue;
      const start = vocabOffsets[id] ?? 0;
      if ((vocabOffsets[id + 1] ?? 0) - start !== length) continue;
      let same = true;
      for (let index = 0; index < length; index += 1) {
        if (vocabText.charCodeAt(start + index) !== codes[index]) {
          same = false;
          break;
        }
      }
      if (same) return id;
    }
  }

  tokenLength(id: number): number {
    const { vocabOffsets } = this.data;
    return (vocabOffsets[id + 1] ?? 0) - (vocabOffsets[id] ?? 0);
  }

  /** Inverse document frequency weight; `unknownWeight` for tokens no title has. */
  weight(id: number): number {
    const { dfHead, dfTail, count } = this.data;
    if (!this.weights) {
      // Head tokens by id, then the tail by frequency: a few KB instead of 4 bytes a token.
      this.weights = new Float32Array(dfHead.length + DF_TAIL_MAX);
      dfHead.forEach((df, token) => {
        (this.weights as Float32Array)[token] = idf(count, df);
      });
      for (let df = 0; df < DF_TAIL_MAX; df += 1) {
        this.weights[dfHead.length + df] = idf(count, df);
      }
    }
    const head = dfHead.length;
    return this.weights[id < head ? id : head + (dfTail[id - head] ?? 0)] ?? 0;
  }

  get unknownWeight(): number {
    return idf(this.data.count, 0);
  }

  df(id: number): number {
    const { dfHead, dfTail } = this.data;
    return id < dfHead.length ? (dfHead[id] ?? 0) : (dfTail[id - dfHead.length] ?? 0);
  }

  /** How many ordinals the token's posting list holds: 0 when it is too common to index. */
  postingCount(id: number): number {
    const df = this.df(id);
    return df <= this.data.postingsCap ? df : 0;
  }

  /**
   * Writes the token's posting list (ordinals, ascending) into `out`, which must hold
   * `postingCount(id)` of them, and returns how many there are: one tight pass over the bytes,
   * several times cheaper an ordinal than stepping a `PostingCursor` through them.
   */
  decodePostings(id: number, out: Int32Array): number {
    const count = this.postingCount(id);
    const bytes = this.data.postings;
    let position = this.data.postingsStart[id] ?? 0;
    let value = 0;
    for (let at = 0; at < count; at += 1) {
      let byte = bytes[position] ?? 0;
      position += 1;
      let gap = byte & 0x7f;
      for (let shift = 7; byte >= 0x80; shift += 7) {
        byte = bytes[position] ?? 0;
        position += 1;
        gap |= (byte & 0x7f) << shift;
      }
      value += gap;
      out[at] = value;
    }
    return count;
  }

  /** Writes the paper's token ids into `out` and returns how many there are. */
  docTokens(ord: number, out: Uint32Array): number {
    const { forwardLengths, forwardBlocks } = this.data;
    const block = Math.floor(ord / FORWARD_BLOCK);
    let position = forwardBlocks[block] ?? 0;
    for (let before = block * FORWARD_BLOCK; before < ord; before += 1) {
      position += forwardLengths[before] ?? 0;
    }
    return this.docTokensAt(position, ord, out);
  }

  /** `docTokens` for a caller that walks papers in order and knows the byte offset. */
  docTokensAt(start: number, ord: number, out: Uint32Array): number {
    const { forward, forwardLengths } = this.data;
    let position = start;
    const end = position + (forwardLengths[ord] ?? 0);
    let count = 0;
    while (position < end) {
      let value = 0;
      let scale = 1;
      let byte: number;
      do {
        byte = forward[position] ?? 0;
        position += 1;
        value += (byte & 0x7f) * scale;
        scale *= 128;
      } while (byte >= 0x80);
      out[count] = value;
      count += 1;
    }
    return count;
  }

  get bytes(): number {
    const data = this.data;
    return (
      stringBytes(data.vocabText) +
      data.vocabOffsets.byteLength +
      data.dfHead.byteLength +
      data.dfTail.byteLength +
      data.forward.byteLength +
      data.forwardLengths.byteLength +
      data.forwardBlocks.byteLength +
      data.postingsStart.byteLength +
      data.postings.byteLength +
      data.skipStart.byteLength +
      data.skipOrds.byteLength +
      data.skipOffsets.byteLength +
      data.vocabTable.byteLength +
      data.vocabTags.byteLength +
      (this.weights?.byteLength ?? 0)
    );
  }
}

function idf(count: number, df: number): number {
  return Math.log(1 + (count + 1) / (df + 1));
}

/**
 * The posting-list gap (a varint) at `position`, times 8, plus its length in bytes: one number so
 * that hot loops take both without an object. Gaps are ordinals (< 2^24), so it fits an int.
 */
function gapAt(bytes: Uint8Array, position: number): number {
  let byte = bytes[position] ?? 0;
  let gap = byte & 0x7f;
  let length = 1;
  while (byte >= 0x80) {
    byte = bytes[position + length] ?? 0;
    gap |= (byte & 0x7f) << (7 * length);
    length += 1;
  }
  return gap * 8 + length;
}

/**
 * Walks one token's posting list forward: `value` is the current ordinal (Infinity past the
 * end); `advanceTo` jumps whole blocks through the skips, so probing a long list with the sorted
 * ordinals of a short one reads a few bytes per probe.
 */
export class PostingCursor {
  value = Infinity;
  private position = 0;
  private read = 0;
  private count = 0;
  private skipBase = -1;
  private nextBlock = 1;
  private data: LookupFuzzy | null = null;

  /** How many ordinals the list holds. */
  get length(): number {
    return this.count;
  }

  /** Starts at the first ordinal of `id`'s list. */
  reset(index: FuzzyIndex, id: number): this {
    const data = index.data;
    this.data = data;
    this.count = index.postingCount(id);
    this.position = data.postingsStart[id] ?? 0;
    this.read = 0;
    this.value = 0;
    this.nextBlock = 1;
    this.skipBase = this.count > POSTING_BLOCK ? (data.skipStart[id - data.skipFrom] ?? 0) : -1;
    this.next();
    return this;
  }

  next(): void {
    if (this.read >= this.count) {
      this.value = Infinity;
      return;
    }
    const gap = gapAt((this.data as LookupFuzzy).postings, this.position);
    this.position += gap & 7;
    this.value += gap >>> 3;
    this.read += 1;
  }

  /** Moves to the first ordinal ≥ `target`. */
  advanceTo(target: number): void {
    if (this.value >= target) return;
    if (this.skipBase >= 0) {
      const data = this.data as LookupFuzzy;
      const blocks = Math.ceil(this.count / POSTING_BLOCK);
      let block = this.nextBlock;
      while (block < blocks && (data.skipOrds[this.skipBase + block - 1] ?? 0) <= target) {
        block += 1;
      }
      if (block > this.nextBlock && (block - 1) * POSTING_BLOCK + 1 > this.read) {
        const at = this.skipBase + block - 2;
        this.value = data.skipOrds[at] ?? 0;
        this.position = data.skipOffsets[at] ?? 0;
        this.read = (block - 1) * POSTING_BLOCK + 1;
        this.nextBlock = block;
      }
    }
    while (this.value < target) this.next();
  }
}
