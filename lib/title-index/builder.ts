/**
 * Builds look-up structures incrementally: a frozen base (what is persisted) plus the papers added
 * or retitled since, merged into a new frozen pair by `freeze()` (sorted merges and one pass over
 * the token lists: linear in the index size, ~1 s at a million papers).
 */
import { AsciiWords, hash53, titleTokensFast, wordHash } from '../normalize';
import type { CanonicalId } from '../types';
import {
  GrowableF64,
  GrowableU32,
  HashTable53,
  packU24,
  U24_LIMIT,
  unpackU24,
  varintSize,
  writeVarint,
} from './arrays';
import { arxivCode, arxivFromCode, kindOf, OTHER_ID } from './id-codes';
import type { FuzzyIndex } from './lookup';
import {
  bucketKeys,
  contentTokens,
  MAX_TITLE_TOKENS,
  STOPWORDS,
  key48,
  storedKeys,
  FORWARD_BLOCK,
  LOOKUP_FORMAT,
  POSTING_BLOCK,
  splitDf,
  PaperLookup,
  type LookupCore,
  type LookupFuzzy,
  type LookupView,
  vocabularyTable,
} from './lookup';

/** What the look-up structures need of a paper. */
export interface LookupEntry {
  id: CanonicalId;
  title: string;
  aliases?: readonly CanonicalId[];
}

/** One change since the frozen base, replayable on a cold start (lib/index-store.ts). */
export type LookupChange =
  | { op: 'add'; id: CanonicalId; title: string; aliases?: CanonicalId[] }
  | { op: 'update'; ord: number; title?: string; aliases?: CanonicalId[] };

/**
 * Tokens in more papers than this share of the index get no postings (the few dozen commonest
 * words: at a million papers ~1.3 MB). Every other word has a list, so a title of common words
 * and one rare one is narrowed down on the postings instead of by decoding thousands of titles.
 */
const POSTINGS_CAP_SHARE = 0.02;
const POSTINGS_CAP_MIN = 200;

/** Title key of a tokenized title (`titleKey` = the tokens joined), or null when it has none. */
export function keyHashOfTokens(tokens: readonly string[]): number | null {
  return tokens.length > 0 ? hash53(tokens.join('')) : null;
}

const STOPWORD = -2;

/**
 * The words seen since the base, found by their characters: a word that comes again (nearly every
 * word of an import) is looked up without building its string. Value: its token id, or STOPWORD.
 * Each slot holds what a look-up reads (hash, value, where the word's characters are, its length)
 * side by side, and the characters of all words are in one array: a look-up touches two places
 * in memory instead of five (slot, hash, string, its characters, value), which at ~8 words per
 * title made this the import's costliest step.
 */
class SeenWords {
  /** Per slot: hash (as int32), value, offset in `chars`, length (0: empty slot). */
  private slots = new Int32Array(4 * 1024);
  private chars = new Uint16Array(8 * 1024);
  private charCount = 0;
  private size = 0;

  /** The value of the word in `text[start, end)` lower-cased (hashed to `hash`), or -1. */
  find(text: string, start: number, end: number, hash: number, lower: boolean): number {
    const slots = this.slots;
    const chars = this.chars;
    const mask = (slots.length >> 2) - 1;
    const length = end - start;
    const signed = hash | 0;
    for (let slot = hash & mask; ; slot = (slot + 1) & mask) {
      const at = slot << 2;
      const size = slots[at + 3] ?? 0;
      if (size === 0) return -1;
      if (size !== length || slots[at] !== signed) continue;
      const offset = (slots[at + 2] ?? 0) - start;
      let same = true;
      for (let index = start; index < end; index += 1) {
        let code = text.charCodeAt(index);
        if (lower && code <= 90 && code >= 65) code += 32;
        if (chars[offset + index] !== code) {
          same = false;
          break;
        }
      }
      if (same) return slots[at + 1] ?? -1;
    }
  }

  /** Adds `word` (not empty, not there yet) with its `wordHash` and value. */
  add(word: string, hash: number, value: number): void {
    if ((this.size + 1) * 2 > this.slots.length >> 2) this.grow();
    if (this.charCount + word.length > this.chars.length) {
      const chars = new Uint16Array(Math.max(this.chars.length * 2, this.charCount + word.length));
      chars.set(this.chars);
      this.chars = chars;
    }
    const offset = this.charCount;
    for (let index = 0; index < word.length; index += 1) {
      this.chars[offset + index] = word.charCodeAt(index);
    }
    this.charCount += word.length;
    this.place(this.slots, hash | 0, value, offset, word.length);
    this.size += 1;
  }

  private place(
    slots: Int32Array,
    hash: number,
    value: number,
    offset: number,
    length: number,
  ): void {
    const mask = (slots.length >> 2) - 1;
    let slot = hash & mask;
    while ((slots[(slot << 2) + 3] ?? 0) !== 0) slot = (slot + 1) & mask;
    const at = slot << 2;
    slots[at] = hash;
    slots[at + 1] = value;
    slots[at + 2] = offset;
    slots[at + 3] = length;
  }

  private grow(): void {
    const old = this.slots;
    const slots = new Int32Array(old.length * 2);
    for (let at = 0; at < old.length; at += 4) {
      const length = old[at + 3] ?? 0;
      if (length !== 0) this.place(slots, old[at] ?? 0, old[at + 1] ?? 0, old[at + 2] ?? 0, length);
    }
    this.slots = slots;
  }
}

export class LookupBuilder implements LookupView {
  private readonly base: PaperLookup;
  private readonly baseFuzzy: FuzzyIndex;
  private readonly baseCount: number;
  private total: number;
  private readonly newCodes = new GrowableU32();
  private readonly newOthers: string[] = [];
  private readonly canonical = new HashTable53();
  private readonly aliasTable = new HashTable53();
  private readonly newAliasHashes = new GrowableF64();
  private readonly newAliasOrds = new GrowableU32();
  private readonly newKeyHashes = new GrowableF64();
  private readonly newKeyOrds = new GrowableU32();
  /**
   * First new ordinal per title-key hash, and the rest only for keys that several papers share:
   * a Map of one array per paper held a million small objects through an import, which the
   * garbage collector kept walking.
   */
  private readonly newKeyFirst = new HashTable53();
  private readonly newKeyMore = new Map<number, number[]>();
  private readonly seenWords = new SeenWords();
  private readonly newTokenStrings: string[] = [];
  private readonly forwardNew = new GrowableU32();
  private readonly forwardNewStart = new GrowableU32();
  private readonly overrides = new Map<number, Uint32Array>();
  private readonly log: LookupChange[] = [];
  private changeTotal = 0;
  private readonly logLimit: number;
  private changed = false;

  /**
   * `logLimit`: changes past it are applied but not kept for `changes` (a caller that persists
   * only short journals need not hold a million change objects through a bulk import).
   */
  constructor(base: PaperLookup, baseFuzzy: FuzzyIndex, logLimit = Infinity) {
    this.logLimit = logLimit;
    this.base = base;
    this.baseFuzzy = baseFuzzy;
    this.baseCount = base.count;
    this.total = base.count;
  }

  /** Papers covered, including those added since the base. */
  get count(): number {
    return this.total;
  }

  /** Whether anything was added or changed since the base. */
  get dirty(): boolean {
    return this.changed;
  }

  /** The revision of the frozen structures this builder extends. */
  get baseRevision(): number {
    return this.base.revision;
  }

  /** Every change since the base, in order; null when there were more than `logLimit`. */
  get changes(): readonly LookupChange[] | null {
    return this.changeTotal > this.log.length ? null : this.log;
  }

  /** How many changes were made since the base. */
  get changeCount(): number {
    return this.changeTotal;
  }

  /** Counts one change; whether it is to be kept in the log. */
  private logsNext(): boolean {
    this.changeTotal += 1;
    return this.changeTotal <= this.logLimit;
  }

  /** Re-applies changes recorded by another builder over the same base. */
  replay(changes: readonly LookupChange[]): void {
    for (const change of changes) {
      if (change.op === 'add') this.add(change);
      else this.update(change.ord, change);
    }
  }

  /** The ordinal of the paper with this canonical id, or -1. */
  find(id: CanonicalId): number {
    const inBase = this.base.findId(id);
    return inBase >= 0 ? inBase : this.canonical.get(hash53(id));
  }

  findId(id: CanonicalId): number {
    return this.find(id);
  }

  findAlias(id: CanonicalId): number {
    const inBase = this.base.findAlias(id);
    return inBase >= 0 ? inBase : this.aliasTable.get(hash53(id));
  }

  findTitle(keyHash: number): number[] {
    const found = this.base.findTitle(keyHash);
    const first = this.newKeyFirst.get(keyHash);
    if (first < 0) return found;
    if (!found.includes(first)) found.push(first);
    for (const ord of this.newKeyMore.get(keyHash) ?? []) {
      if (!found.includes(ord)) found.push(ord);
    }
    return found;
  }

  get otherCount(): number {
    return this.base.otherCount + this.newOthers.length;
  }

  idAt(ord: number): CanonicalId {
    if (ord < this.baseCount) return this.base.idAt(ord);
    const code = this.newCodes.data[ord - this.baseCount] ?? 0;
    return code < OTHER_ID
      ? arxivFromCode(code)
      : (this.newOthers[code - OTHER_ID - this.base.otherCount] ?? '');
  }

  kindAt(ord: number): string {
    return ord < this.baseCount ? this.base.kindAt(ord) : kindOf(this.idAt(ord));
  }

  private addKey(keyHash: number, ord: number): void {
    this.newKeyHashes.push(keyHash);
    this.newKeyOrds.push(ord);
    const first = this.newKeyFirst.get(keyHash);
    if (first < 0) {
      this.newKeyFirst.setIfAbsent(keyHash, ord);
      return;
    }
    const more = this.newKeyMore.get(keyHash);
    if (more) more.push(ord);
    else this.newKeyMore.set(keyHash, [ord]);
  }

  private readonly asciiWords = new AsciiWords();

  /**
   * Appends the title's token ids to `out`; returns its title-key hash (null: no tokens). Plain
   * ASCII titles (most) are read in place in one pass (`AsciiWords`: `titleTokensFast` +
   * `contentTokens` + `hashTitleKey` without a string per word); the rest go through the full
   * normalizer.
   */
  private pushTokenIds(title: string, out: GrowableU32): number | null {
    const words = this.asciiWords;
    if (!words.read(title)) {
      const tokens = titleTokensFast(title);
      for (const token of contentTokens(tokens)) {
        const hash = wordHash(token, 0, token.length, false);
        out.push(this.wordId(token, 0, token.length, hash, false));
      }
      return keyHashOfTokens(tokens);
    }
    const spans = words.spans;
    let kept = 0;
    for (let word = 0; word < words.count && kept < MAX_TITLE_TOKENS; word += 1) {
      const at = word * 3;
      const id = this.wordId(title, spans[at] ?? 0, spans[at + 1] ?? 0, spans[at + 2] ?? 0, true);
      if (id === STOPWORD) continue;
      out.push(id);
      kept += 1;
    }
    return words.count > 0 ? words.keyHash : null;
  }

  /**
   * Token id of the word `text[start, end)` (lower-cased when `lower`; `hash` its `wordHash`),
   * or STOPWORD.
   */
  private wordId(text: string, start: number, end: number, hash: number, lower: boolean): number {
    const seen = this.seenWords.find(text, start, end, hash, lower);
    if (seen !== -1) return seen;
    const slice = text.slice(start, end);
    const word = lower ? slice.toLowerCase() : slice;
    let id = STOPWORDS.has(word) ? STOPWORD : this.baseFuzzy.tokenId(word);
    if (id === -1) {
      id = this.baseFuzzy.vocabularySize + this.newTokenStrings.length;
      this.newTokenStrings.push(word);
    }
    this.seenWords.add(word, hash, id);
    return id;
  }

  private addAliases(ord: number, aliases: readonly CanonicalId[] | undefined): void {
    for (const alias of aliases ?? []) {
      const hash = hash53(alias);
      if (this.base.findAlias(alias) === ord || this.aliasTable.get(hash) === ord) continue;
      this.aliasTable.setIfAbsent(hash, ord);
      this.newAliasHashes.push(hash);
      this.newAliasOrds.push(ord);
    }
  }

  /** Adds a paper that is not in the index yet; returns its ordinal. */
  add(entry: LookupEntry): number {
    const ord = this.total;
    if (ord >= U24_LIMIT) throw new Error(`The title look-up holds at most ${U24_LIMIT} papers`);
    this.total += 1;
    this.changed = true;
    if (this.logsNext()) {
      const change: LookupChange = { op: 'add', id: entry.id, title: entry.title };
      if (entry.aliases?.length) change.aliases = [...entry.aliases];
      this.log.push(change);
    }
    const code = arxivCode(entry.id);
    if (code >= 0) this.newCodes.push(code);
    else {
      this.newCodes.push(OTHER_ID + this.base.otherCount + this.newOthers.length);
      this.newOthers.push(entry.id);
    }
    this.canonical.setIfAbsent(hash53(entry.id), ord);
    this.addAliases(ord, entry.aliases);
    this.forwardNewStart.push(this.forwardNew.length);
    const keyHash = this.pushTokenIds(entry.title, this.forwardNew);
    if (keyHash !== null) this.addKey(keyHash, ord);
    return ord;
  }

  /**
   * Records a changed title and new aliases of a paper already indexed. The former title stays
   * findable: pages keep showing old titles for a while, and it still names the same paper.
   */
  update(ord: number, change: { title?: string; aliases?: readonly CanonicalId[] }): void {
    if (this.logsNext()) {
      const logged: LookupChange = { op: 'update', ord };
      if (change.title !== undefined) logged.title = change.title;
      if (change.aliases?.length) logged.aliases = [...change.aliases];
      this.log.push(logged);
    }
    this.addAliases(ord, change.aliases);
    if (change.title !== undefined) {
      const ids = new GrowableU32(16);
      const keyHash = this.pushTokenIds(change.title, ids);
      if (keyHash !== null) this.addKey(keyHash, ord);
      this.overrides.set(ord, ids.toArray());
    }
    this.changed = true;
  }

  /** Where `tokensOf` left a paper's token ids: `spanData[spanStart..spanEnd)`. */
  private spanData: Uint32Array = new Uint32Array(0);
  private spanStart = 0;
  private spanEnd = 0;

  /**
   * Points the span at a paper's token ids (no subarray per paper: freeze walks every paper
   * three times, and a million small views were most of its garbage).
   */
  private tokensOf(ord: number, scratch: Uint32Array, offsetInBase: number): void {
    const override = this.overrides.get(ord);
    if (override) {
      this.spanData = override;
      this.spanStart = 0;
      this.spanEnd = override.length;
    } else if (ord < this.baseCount) {
      this.spanData = scratch;
      this.spanStart = 0;
      this.spanEnd = this.baseFuzzy.docTokensAt(offsetInBase, ord, scratch);
    } else {
      const index = ord - this.baseCount;
      this.spanData = this.forwardNew.data;
      this.spanStart = this.forwardNewStart.data[index] ?? 0;
      this.spanEnd =
        index + 1 < this.forwardNewStart.length
          ? (this.forwardNewStart.data[index + 1] ?? 0)
          : this.forwardNew.length;
    }
  }

  /** Merges base and changes into new frozen structures stamped with `revision`. */
  freeze(revision: number): { core: LookupCore; fuzzy: LookupFuzzy } {
    return { core: this.freezeCore(revision), fuzzy: this.freezeFuzzy(revision) };
  }

  private freezeCore(revision: number): LookupCore {
    const base = this.base.core;
    const count = this.total;
    const codes = new Uint32Array(count);
    codes.set(base.codes);
    codes.set(this.newCodes.data.subarray(0, this.newCodes.length), this.baseCount);

    const otherOffsets = new Uint32Array(base.otherOffsets.length + this.newOthers.length);
    otherOffsets.set(base.otherOffsets);
    let offset = base.otherOffsets[base.otherOffsets.length - 1] ?? 0;
    this.newOthers.forEach((id, index) => {
      offset += id.length;
      otherOffsets[base.otherOffsets.length + index] = offset;
    });
    const otherIds = base.otherIds + this.newOthers.join('');
    const merged = new PaperLookup({ ...base, codes, otherIds, otherOffsets });

    const added = Array.from(
      { length: count - this.baseCount },
      (_, index) => this.baseCount + index,
    );
    const compare = (a: number, b: number): number => merged.compareOrds(a, b);
    added.sort(compare);
    const idOrder = mergeSorted(unpackU24(base.idOrder), added, compare);

    const aliases = mergePairs(
      base.aliasHashes,
      base.aliasOrds,
      this.newAliasHashes.data.subarray(0, this.newAliasHashes.length),
      this.newAliasOrds.data.subarray(0, this.newAliasOrds.length),
    );
    const keys = mergePairs(
      storedKeys(base),
      unpackU24(base.keyOrds),
      this.newKeyHashes.data.subarray(0, this.newKeyHashes.length).map(key48),
      this.newKeyOrds.data.subarray(0, this.newKeyOrds.length),
    );
    return {
      format: LOOKUP_FORMAT,
      count,
      revision,
      codes,
      otherIds,
      otherOffsets,
      idOrder: packU24(idOrder),
      aliasHashes: aliases.hashes,
      aliasOrds: aliases.ords,
      ...bucketKeys(keys.hashes),
      keyOrds: packU24(keys.ords),
    };
  }

  private freezeFuzzy(revision: number): LookupFuzzy {
    const count = this.total;
    const oldVocab = this.baseFuzzy.vocabularySize + this.newTokenStrings.length;
    // Pass 1: document frequencies over the final token lists.
    const df = new Uint32Array(oldVocab);
    const lastSeen = new Int32Array(oldVocab).fill(-1);
    const scratch = new Uint32Array(256);
    let baseOffset = 0;
    const baseLengths = this.baseFuzzy.data.forwardLengths;
    for (let ord = 0; ord < count; ord += 1) {
      this.tokensOf(ord, scratch, baseOffset);
      if (ord < this.baseCount) baseOffset += baseLengths[ord] ?? 0;
      const tokens = this.spanData;
      for (let at = this.spanStart; at < this.spanEnd; at += 1) {
        const token = tokens[at] ?? 0;
        if (lastSeen[token] !== ord) {
          lastSeen[token] = ord;
          df[token] = (df[token] ?? 0) + 1;
        }
      }
    }
    // Renumber by falling frequency; tokens no title has any more are dropped.
    const live: number[] = [];
    for (let token = 0; token < oldVocab; token += 1) if ((df[token] ?? 0) > 0) live.push(token);
    live.sort((a, b) => (df[b] ?? 0) - (df[a] ?? 0) || a - b);
    const renumber = new Int32Array(oldVocab).fill(-1);
    live.forEach((token, id) => {
      renumber[token] = id;
    });
    const newDf = new Uint32Array(live.length);
    const vocabOffsets = new Uint32Array(live.length + 1);
    const strings: string[] = [];
    let textLength = 0;
    live.forEach((token, id) => {
      newDf[id] = df[token] ?? 0;
      const text =
        token < this.baseFuzzy.vocabularySize
          ? this.baseFuzzy.tokenString(token)
          : (this.newTokenStrings[token - this.baseFuzzy.vocabularySize] ?? '');
      strings.push(text);
      textLength += text.length;
      vocabOffsets[id + 1] = textLength;
    });

    // Pass 2: sizes, then the varint forward lists and the postings.
    const cap = Math.max(POSTINGS_CAP_MIN, Math.floor(count * POSTINGS_CAP_SHARE));
    const forwardLengths = new Uint8Array(count);
    const postingsStart = new Uint32Array(live.length + 1);
    for (let id = 0; id < live.length; id += 1) {
      const frequency = newDf[id] ?? 0;
      postingsStart[id + 1] = (postingsStart[id] ?? 0) + (frequency <= cap ? frequency : 0);
    }
    let forwardSize = 0;
    baseOffset = 0;
    for (let ord = 0; ord < count; ord += 1) {
      this.tokensOf(ord, scratch, baseOffset);
      if (ord < this.baseCount) baseOffset += baseLengths[ord] ?? 0;
      const tokens = this.spanData;
      let size = 0;
      for (let at = this.spanStart; at < this.spanEnd; at += 1) {
        size += varintSize(renumber[tokens[at] ?? 0] ?? 0);
      }
      forwardLengths[ord] = size;
      forwardSize += size;
    }
    const forward = new Uint8Array(forwardSize);
    const forwardBlocks = new Uint32Array(Math.ceil(count / FORWARD_BLOCK));
    const postings = new Uint32Array(postingsStart[live.length] ?? 0);
    const fill = postingsStart.slice(0, live.length);
    lastSeen.fill(-1);
    let position = 0;
    baseOffset = 0;
    for (let ord = 0; ord < count; ord += 1) {
      if (ord % FORWARD_BLOCK === 0) forwardBlocks[ord / FORWARD_BLOCK] = position;
      this.tokensOf(ord, scratch, baseOffset);
      if (ord < this.baseCount) baseOffset += baseLengths[ord] ?? 0;
      const tokens = this.spanData;
      for (let at = this.spanStart; at < this.spanEnd; at += 1) {
        const token = tokens[at] ?? 0;
        const id = renumber[token] ?? 0;
        position = writeVarint(forward, position, id);
        if (lastSeen[token] !== ord && (newDf[id] ?? 0) <= cap) {
          lastSeen[token] = ord;
          const at = fill[id] ?? 0;
          postings[at] = ord;
          fill[id] = at + 1;
        }
      }
    }
    const vocabText = strings.join('');
    return {
      format: LOOKUP_FORMAT,
      count,
      revision,
      vocabText,
      vocabOffsets,
      ...splitDf(newDf),
      forward,
      forwardLengths,
      forwardBlocks,
      postingsCap: cap,
      ...encodePostings(postings, postingsStart),
      ...vocabularyTable(vocabText, vocabOffsets),
    };
  }
}

/**
 * Posting lists as LEB128 gaps (ordinals are dense, so most gaps take one or two bytes instead
 * of four), with a skip entry per POSTING_BLOCK ordinals of the longer lists. The token ids
 * run by falling frequency, so the lists with skips are one range of ids.
 */
function encodePostings(
  ords: Uint32Array,
  start: Uint32Array,
): Pick<
  LookupFuzzy,
  'postingsStart' | 'postings' | 'skipFrom' | 'skipStart' | 'skipOrds' | 'skipOffsets'
> {
  const tokens = start.length - 1;
  const lengthOf = (id: number): number => (start[id + 1] ?? 0) - (start[id] ?? 0);
  let size = 0;
  let skipFrom = tokens;
  let skipEnd = 0;
  let skips = 0;
  for (let id = 0; id < tokens; id += 1) {
    const length = lengthOf(id);
    let previous = 0;
    for (let at = start[id] ?? 0; at < (start[id + 1] ?? 0); at += 1) {
      const ord = ords[at] ?? 0;
      size += varintSize(ord - previous);
      previous = ord;
    }
    if (length > POSTING_BLOCK) {
      skipFrom = Math.min(skipFrom, id);
      skipEnd = id + 1;
      skips += Math.ceil(length / POSTING_BLOCK) - 1;
    }
  }
  if (skipEnd === 0) skipFrom = 0;
  const postings = new Uint8Array(size);
  const postingsStart = new Uint32Array(tokens + 1);
  const skipStart = new Uint32Array(Math.max(0, skipEnd - skipFrom) + 1);
  const skipOrds = new Uint32Array(skips);
  const skipOffsets = new Uint32Array(skips);
  let position = 0;
  let skip = 0;
  for (let id = 0; id < tokens; id += 1) {
    postingsStart[id] = position;
    const withSkips = id >= skipFrom && id < skipEnd;
    if (withSkips) skipStart[id - skipFrom] = skip;
    let previous = 0;
    const first = start[id] ?? 0;
    for (let at = first; at < (start[id + 1] ?? 0); at += 1) {
      const ord = ords[at] ?? 0;
      position = writeVarint(postings, position, ord - previous);
      previous = ord;
      if (withSkips && at > first && (at - first) % POSTING_BLOCK === 0) {
        skipOrds[skip] = ord;
        skipOffsets[skip] = position;
        skip += 1;
      }
    }
    if (withSkips) skipStart[id - skipFrom + 1] = skip;
  }
  postingsStart[tokens] = position;
  return { postingsStart, postings, skipFrom, skipStart, skipOrds, skipOffsets };
}

function mergeSorted(
  base: Uint32Array,
  added: readonly number[],
  compare: (a: number, b: number) => number,
): Uint32Array {
  const out = new Uint32Array(base.length + added.length);
  let i = 0;
  let j = 0;
  let k = 0;
  while (i < base.length && j < added.length) {
    const a = base[i] ?? 0;
    const b = added[j] ?? 0;
    if (compare(a, b) <= 0) {
      out[k] = a;
      i += 1;
    } else {
      out[k] = b;
      j += 1;
    }
    k += 1;
  }
  while (i < base.length) out[k++] = base[i++] ?? 0;
  while (j < added.length) out[k++] = added[j++] ?? 0;
  return out;
}

/**
 * Positions of the pairs in (hash, ord) order, for hashes that are integers below 2^53: a stable
 * LSD radix sort, 16 bits a pass, ord first (sorting a million positions with a comparator took
 * ~1.5 s of a look-up merge in Chrome).
 */
export function pairOrder(hashes: Float64Array, ords: Uint32Array): Uint32Array {
  const count = hashes.length;
  const low = new Uint32Array(count);
  const high = new Uint32Array(count);
  for (let index = 0; index < count; index += 1) {
    const hash = hashes[index] ?? 0;
    low[index] = hash >>> 0;
    high[index] = Math.floor(hash / 0x100000000);
  }
  let order = new Uint32Array(count);
  for (let index = 0; index < count; index += 1) order[index] = index;
  let next = new Uint32Array(count);
  const starts = new Uint32Array(0x10001);
  // New papers come in ordinal order: then the (stable) hash passes alone give the order.
  let ordsSorted = true;
  for (let index = 1; index < count && ordsSorted; index += 1) {
    ordsSorted = (ords[index - 1] ?? 0) <= (ords[index] ?? 0);
  }
  const empty = new Uint32Array(0);
  for (const [words, shift] of [
    [ordsSorted ? empty : ords, 0],
    [ordsSorted ? empty : ords, 16],
    [low, 0],
    [low, 16],
    [high, 0],
    [high, 16],
  ] as const) {
    if (words.length < count || count === 0) continue;
    starts.fill(0);
    for (let index = 0; index < count; index += 1) {
      const digit = ((words[index] ?? 0) >>> shift) & 0xffff;
      starts[digit + 1] = (starts[digit + 1] ?? 0) + 1;
    }
    // One digit for all: this pass would not move anything.
    const first = ((words[0] ?? 0) >>> shift) & 0xffff;
    if (starts[first + 1] === count) continue;
    for (let digit = 1; digit <= 0x10000; digit += 1) {
      starts[digit] = (starts[digit] ?? 0) + (starts[digit - 1] ?? 0);
    }
    for (let at = 0; at < count; at += 1) {
      const index = order[at] ?? 0;
      const digit = ((words[index] ?? 0) >>> shift) & 0xffff;
      const to = starts[digit] ?? 0;
      next[to] = index;
      starts[digit] = to + 1;
    }
    [order, next] = [next, order];
  }
  return order;
}

/** Merges sorted (hash, ord) pairs with unsorted new ones, dropping repeated pairs. */
function mergePairs(
  baseHashes: Float64Array,
  baseOrds: Uint32Array,
  newHashes: Float64Array,
  newOrds: Uint32Array,
): { hashes: Float64Array; ords: Uint32Array } {
  const order = pairOrder(newHashes, newOrds);
  const hashes = new Float64Array(baseHashes.length + newHashes.length);
  const ords = new Uint32Array(baseHashes.length + newHashes.length);
  let i = 0;
  let j = 0;
  let k = 0;
  const push = (hash: number, ord: number): void => {
    if (k > 0 && hashes[k - 1] === hash && ords[k - 1] === ord) return;
    hashes[k] = hash;
    ords[k] = ord;
    k += 1;
  };
  while (i < baseHashes.length || j < order.length) {
    const newIndex = order[j] ?? 0;
    const takeBase =
      j >= order.length ||
      (i < baseHashes.length &&
        ((baseHashes[i] ?? 0) < (newHashes[newIndex] ?? 0) ||
          ((baseHashes[i] ?? 0) === (newHashes[newIndex] ?? 0) &&
            (baseOrds[i] ?? 0) <= (newOrds[newIndex] ?? 0))));
    if (takeBase) {
      push(baseHashes[i] ?? 0, baseOrds[i] ?? 0);
      i += 1;
    } else {
      push(newHashes[newIndex] ?? 0, newOrds[newIndex] ?? 0);
      j += 1;
    }
  }
  return { hashes: hashes.slice(0, k), ords: ords.slice(0, k) };
}
