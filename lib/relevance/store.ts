/**
 * Hashed term-count vectors of every indexed paper, computed once when a paper enters the index
 * (performance.md §7: vectorizing 2,000 abstracts on the fly costs ~180 ms; scoring stored vectors
 * < 1 ms), persisted, and read back only for the papers being scored or sampled.
 *
 * Nothing here grows with the index in memory: the vectors live in `meta` chunks of CHUNK_ROWS
 * papers (by index ordinal, 3 B per term: a Uint16 feature and a Uint8 count), of which at most
 * CACHE_BYTES are kept decoded; what stays resident is the manifest with the document frequencies
 * (256 KB) that IDF comes from. A page's entries are found by ordinal through the index's own
 * look-up structures, so no id map is held either. At 1M papers the resident set is the same as
 * at 1k (docs/relevance.md "Speed").
 *
 * The store follows the index by ordinal (the index appends papers in insertion order): `sync`
 * vectorizes the ordinals it has not seen, and, at most every FULL_SCAN_INTERVAL, re-reads the
 * whole index to catch papers whose text changed in place (an abstract arriving after the title).
 * It is derived data, rebuilt from scratch whenever it looks inconsistent: a manifest of another
 * format (older builds) is discarded with its chunks, and every chunk carries the generation of
 * the manifest it belongs to, so a chunk left over from before a rebuild is never read as current.
 */
import {
  countOf,
  FEATURE_DIM,
  featureOf,
  vectorize,
  type PackedVector,
  type PaperText,
} from './features';
import { inverseDocumentFrequencies } from './model';

/** What the store needs from the abstract index. */
export interface IndexSource {
  /** `prunedAt`: the revision at which a prune last compacted the index (ordinals moved). */
  stats(): Promise<{ count: number; revision: number; prunedAt?: number }>;
  /** Visits papers from ordinal `from` on, in ordinal order, a batch at a time. */
  readFrom(
    from: number,
    visit: (batch: { ordinal: number; paper: IndexedText }[]) => Promise<void> | void,
  ): Promise<void>;
  /** Ordinals of indexed papers by id; ids the index does not hold are left out. */
  ordinals(ids: readonly string[]): Promise<Map<string, number>>;
}

export interface IndexedText extends PaperText {
  id: string;
}

/** Where chunks are persisted (the index database's `meta` table in the extension). */
export interface ChunkStorage {
  get(key: string): Promise<unknown>;
  /** One read for many keys; `undefined` where a key is absent. */
  getMany(keys: readonly string[]): Promise<unknown[]>;
  put(entries: { key: string; value: unknown }[]): Promise<void>;
  delete(keys: string[]): Promise<void>;
}

/**
 * Papers per persisted chunk. Small, because a page's papers are scattered over the index: 64
 * rows are ≤ 31 KB, so even a page whose entries all sit in different chunks reads a few MB.
 */
export const CHUNK_ROWS = 64;
/** Decoded chunks kept in memory between look-ups (least recently used go first). */
export const CACHE_BYTES = 8 * 1024 * 1024;
/**
 * Rows of papers looked up lately, kept (copied) past their chunks: a page scattered over more
 * chunks than the cache holds (a search result page) reads at most MAX_CHUNK_READS chunks per
 * look-up, and without these rows it would read them again, and score the rest of its entries
 * from their titles again, every time it is re-scored (a dismissal, new entries scrolled in).
 * 3 MB holds two pages of 2,000 papers.
 */
export const RECENT_ROW_BYTES = 3 * 1024 * 1024;
/** What a remembered row costs beyond its terms (Map entry, object, typed-array header). */
const ROW_OVERHEAD = 160;
/** Chunks one look-up may read; entries beyond are scored from the page's text. */
export const MAX_CHUNK_READS = 128;
export const FORMAT = 2;
const MANIFEST_KEY = 'relevance:vectors';
/** Format 1 (before lazy loading) kept 2,048-row chunks of 2^18-space vectors under these keys. */
const FORMAT1_CHUNK_ROWS = 2048;
const format1Key = (chunk: number): string => `relevance:vectors:${chunk}`;
const chunkKey = (chunk: number): string => `relevance:v2:${chunk}`;
const FULL_SCAN_INTERVAL = 10 * 60_000;
/** Papers vectorized between yields, so look-ups are not held up by a large import. */
const SLICE = 500;
/** Rows vectorized between writes (each write carries the 256 KB document frequencies). */
const PERSIST_ROWS = 8192;
const HAS_ABSTRACT = 1;

interface Manifest {
  format: number;
  generation: number;
  count: number;
  revision: number;
  fullScanAt: number;
  /** Document frequency of every hashed feature over the stored papers. */
  df: Uint32Array;
}

/**
 * The persisted form of a chunk, which is also how a clean chunk stays in the cache: a row is
 * decoded only when asked for (a page scattered over the index wants one or two rows of each
 * chunk it reads), and the cache holds 3 B per term instead of 4.
 */
interface StoredChunk {
  format: number;
  generation: number;
  ids: string[];
  fingerprints: Uint32Array;
  flags: Uint8Array;
  /** Row `r`'s terms are `features/counts[offsets[r] .. offsets[r + 1]]`, features ascending. */
  offsets: Uint32Array;
  features: Uint16Array;
  counts: Uint8Array;
}

/** A chunk being written (rows appended or changed): decoded and mutable, until persisted. */
interface Chunk {
  ids: string[];
  fingerprints: number[];
  flags: number[];
  vectors: PackedVector[];
}

/** A chunk in memory: being written, or clean (as stored). */
type HeldChunk = Chunk | StoredChunk;

const isWritable = (chunk: HeldChunk): chunk is Chunk => 'vectors' in chunk;

/** A stored vector and whether it was computed with an abstract. */
export interface StoredVector {
  vector: PackedVector;
  hasAbstract: boolean;
}

/** A cheap fingerprint of what a vector was computed from, to notice papers that changed. */
export function textFingerprint(paper: PaperText): number {
  let hash = 0x811c9dc5;
  const mix = (text: string): void => {
    for (let index = 0; index < text.length; index += 1) {
      hash ^= text.charCodeAt(index);
      hash = Math.imul(hash, 0x01000193);
    }
  };
  mix(paper.title);
  mix(`\u0000${paper.abstract ?? ''}\u0000`);
  mix((paper.authors ?? []).join('\u0001'));
  return hash >>> 0;
}

function encodeChunk(chunk: Chunk, generation: number): StoredChunk {
  const rows = chunk.ids.length;
  const offsets = new Uint32Array(rows + 1);
  let total = 0;
  for (let row = 0; row < rows; row += 1) {
    offsets[row] = total;
    total += chunk.vectors[row]?.length ?? 0;
  }
  offsets[rows] = total;
  const features = new Uint16Array(total);
  const counts = new Uint8Array(total);
  for (let row = 0; row < rows; row += 1) {
    const vector = chunk.vectors[row];
    if (!vector) continue;
    const start = offsets[row] as number;
    for (let index = 0; index < vector.length; index += 1) {
      const packed = vector[index] as number;
      features[start + index] = featureOf(packed);
      // Counts above 255 carry nothing more after sublinear tf (1 + ln 255 ≈ 6.5).
      counts[start + index] = Math.min(255, countOf(packed));
    }
  }
  return {
    format: FORMAT,
    generation,
    ids: chunk.ids.slice(),
    fingerprints: Uint32Array.from(chunk.fingerprints),
    flags: Uint8Array.from(chunk.flags),
    offsets,
    features,
    counts,
  };
}

function isStoredChunk(value: unknown, generation: number): value is StoredChunk {
  if (typeof value !== 'object' || value === null) return false;
  const chunk = value as Partial<StoredChunk>;
  return (
    chunk.format === FORMAT &&
    chunk.generation === generation &&
    Array.isArray(chunk.ids) &&
    chunk.offsets instanceof Uint32Array &&
    chunk.offsets.length === chunk.ids.length + 1 &&
    chunk.features instanceof Uint16Array &&
    chunk.counts instanceof Uint8Array &&
    chunk.features.length === chunk.counts.length &&
    chunk.features.length === (chunk.offsets[chunk.ids.length] ?? -1) &&
    chunk.fingerprints instanceof Uint32Array &&
    chunk.flags instanceof Uint8Array
  );
}

/** One row of a stored chunk as a packed vector of its own (nothing else of the chunk kept). */
function decodeRow(stored: StoredChunk, row: number): PackedVector {
  const start = stored.offsets[row] as number;
  const end = stored.offsets[row + 1] as number;
  const vector = new Uint32Array(end - start);
  const { features, counts } = stored;
  for (let index = start; index < end; index += 1) {
    vector[index - start] = (((features[index] as number) << 16) | (counts[index] as number)) >>> 0;
  }
  return vector;
}

/** A stored chunk as one to write to (copies: what storage returned is not ours to change). */
function decodeChunk(stored: StoredChunk): Chunk {
  const vectors: PackedVector[] = [];
  for (let row = 0; row < stored.ids.length; row += 1) vectors.push(decodeRow(stored, row));
  return {
    ids: stored.ids.slice(),
    fingerprints: Array.from(stored.fingerprints),
    flags: Array.from(stored.flags),
    vectors,
  };
}

/** Bytes a cached chunk holds (typed arrays, and ~64 B per row for its id). */
function storedBytes(stored: StoredChunk): number {
  return (
    stored.features.byteLength +
    stored.counts.byteLength +
    stored.offsets.byteLength +
    stored.fingerprints.byteLength +
    stored.flags.byteLength +
    stored.ids.length * 64
  );
}

/** A held chunk's row as a packed vector the caller may keep (a copy or a fresh decode). */
function rowVector(chunk: HeldChunk, row: number): PackedVector {
  return isWritable(chunk)
    ? (chunk.vectors[row] ?? new Uint32Array(0)).slice()
    : decodeRow(chunk, row);
}

function isManifest(value: unknown): value is Manifest {
  if (typeof value !== 'object' || value === null) return false;
  const manifest = value as Partial<Manifest>;
  return (
    manifest.format === FORMAT &&
    typeof manifest.generation === 'number' &&
    typeof manifest.count === 'number' &&
    manifest.df instanceof Uint32Array &&
    manifest.df.length === FEATURE_DIM
  );
}

export class VectorStore {
  private count = 0;
  private generation = 0;
  private revision = -1;
  private fullScanAt = 0;
  private df: Uint32Array = new Uint32Array(FEATURE_DIM);
  private idf: Float32Array | null = null;
  /** Clean chunks as stored, least recently used first. */
  private readonly cache = new Map<number, StoredChunk>();
  private cacheBytes = 0;
  /** Rows looked up lately by paper id, least recently used first (see RECENT_ROW_BYTES). */
  private readonly recent = new Map<string, StoredVector>();
  private recentBytes = 0;
  /** Chunks changed since the last write (never evicted before it). */
  private readonly dirty = new Map<number, Chunk>();
  private loaded: Promise<void> | null = null;
  private syncing: Promise<void> | null = null;
  /** Bumped whenever vectors change (models compare it to decide whether they are current). */
  version = 0;

  constructor(
    private readonly source: IndexSource,
    private readonly storage: ChunkStorage,
    private readonly options: {
      now?: () => number;
      yieldToEvents?: () => Promise<void>;
      /** A fresh generation number (tests pin it). */
      newGeneration?: () => number;
      /** Memory limits (tests shrink them): CACHE_BYTES and RECENT_ROW_BYTES by default. */
      cacheBytes?: number;
      recentRowBytes?: number;
    } = {},
  ) {}

  /** Papers with a stored vector (the index ordinals 0 … size − 1). */
  get size(): number {
    return this.count;
  }

  /** Loads the manifest once (a cold service worker): 256 KB, whatever the index size. */
  load(): Promise<void> {
    this.loaded ??= this.readPersisted();
    return this.loaded;
  }

  private async readPersisted(): Promise<void> {
    const manifest: unknown = await this.storage.get(MANIFEST_KEY);
    if (isManifest(manifest)) {
      this.count = manifest.count;
      this.generation = manifest.generation;
      this.revision = manifest.revision;
      this.fullScanAt = manifest.fullScanAt;
      this.df = manifest.df;
      this.version += 1;
      return;
    }
    this.generation = this.freshGeneration();
    if (manifest !== undefined) await this.discardOther(manifest);
  }

  private freshGeneration(): number {
    return this.options.newGeneration?.() ?? (Date.now() % 2 ** 31) + Math.random();
  }

  /** A manifest of another format (an older build's): its chunks go, vectors are rebuilt. */
  private async discardOther(manifest: unknown): Promise<void> {
    const old = manifest as { format?: unknown; count?: unknown };
    const keys = [MANIFEST_KEY];
    if (old.format === 1 && typeof old.count === 'number') {
      const chunks = Math.ceil(old.count / FORMAT1_CHUNK_ROWS);
      for (let chunk = 0; chunk < chunks; chunk += 1) keys.push(format1Key(chunk));
    }
    await this.storage.delete(keys);
  }

  private async reset(): Promise<void> {
    const chunks = Math.ceil(this.count / CHUNK_ROWS);
    const keys = [MANIFEST_KEY];
    for (let chunk = 0; chunk < chunks; chunk += 1) keys.push(chunkKey(chunk));
    this.count = 0;
    this.generation = this.freshGeneration();
    this.revision = -1;
    this.fullScanAt = 0;
    this.df = new Uint32Array(FEATURE_DIM);
    this.idf = null;
    this.cache.clear();
    this.cacheBytes = 0;
    this.recent.clear();
    this.recentBytes = 0;
    this.dirty.clear();
    this.version += 1;
    await this.storage.delete(keys);
  }

  /**
   * Brings the vectors up to date with the index. Single-flight: concurrent callers share one run.
   * `full` forces re-reading every paper (otherwise only appended ones, plus a periodic full scan).
   */
  sync(options: { full?: boolean } = {}): Promise<void> {
    this.syncing ??= this.runSync(options.full ?? false).finally(() => {
      this.syncing = null;
    });
    return this.syncing;
  }

  private async runSync(forceFull: boolean): Promise<void> {
    await this.load();
    const stats = await this.source.stats();
    // The index was cleared or rebuilt: ordinals no longer mean what they meant.
    if (stats.count < this.count || (stats.prunedAt ?? -1) > this.revision) await this.reset();
    const now = this.options.now?.() ?? Date.now();
    if (!forceFull && stats.revision === this.revision && stats.count === this.count) return;
    const full =
      forceFull || (stats.revision !== this.revision && now - this.fullScanAt > FULL_SCAN_INTERVAL);
    const from = full ? 0 : this.count;
    let sinceYield = 0;
    let sincePersist = 0;
    await this.source.readFrom(from, async (batch) => {
      for (const { ordinal, paper } of batch) {
        if (await this.ingest(ordinal, paper)) sincePersist += 1;
        sinceYield += 1;
      }
      if (sincePersist >= PERSIST_ROWS) {
        sincePersist = 0;
        await this.persist(stats.revision, full ? now : this.fullScanAt, false);
      }
      if (sinceYield >= SLICE) {
        sinceYield = 0;
        await (this.options.yieldToEvents?.() ?? Promise.resolve());
      }
    });
    await this.persist(stats.revision, full ? now : this.fullScanAt, true);
  }

  /** Vectorizes one paper if it is new or changed; true if it did. */
  private async ingest(ordinal: number, paper: IndexedText): Promise<boolean> {
    const index = Math.floor(ordinal / CHUNK_ROWS);
    const row = ordinal % CHUNK_ROWS;
    const held = await this.chunkOfRow(index);
    const fingerprint = textFingerprint(paper);
    if (held && held.fingerprints[row] === fingerprint && held.ids[row] === paper.id) return false;
    const chunk = this.writable(index, held);
    this.forgetRow(chunk.ids[row]);
    this.forgetRow(paper.id);
    const vector = vectorize(paper);
    const old = chunk.vectors[row];
    if (old) for (const packed of old) this.dfAdd(packed, -1);
    for (const packed of vector) this.dfAdd(packed, 1);
    // Rows are appended in order; a gap (never expected) is filled with empty rows.
    for (let fill = chunk.ids.length; fill < row; fill += 1) {
      chunk.ids.push('');
      chunk.fingerprints.push(0);
      chunk.flags.push(0);
      chunk.vectors.push(new Uint32Array(0));
    }
    chunk.ids[row] = paper.id;
    chunk.fingerprints[row] = fingerprint;
    chunk.flags[row] = paper.abstract ? HAS_ABSTRACT : 0;
    chunk.vectors[row] = vector;
    this.count = Math.max(this.count, ordinal + 1);
    this.idf = null;
    this.version += 1;
    return true;
  }

  private dfAdd(packed: number, delta: number): void {
    const feature = featureOf(packed);
    this.df[feature] = (this.df[feature] as number) + delta;
  }

  /** The chunk a row belongs to: being written, cached or persisted; undefined past the end. */
  private async chunkOfRow(index: number): Promise<HeldChunk | undefined> {
    const held = this.dirty.get(index) ?? this.cache.get(index);
    if (held) return held;
    if (index * CHUNK_ROWS >= this.count) return undefined;
    const stored: unknown = await this.storage.get(chunkKey(index));
    if (!isStoredChunk(stored, this.generation)) return undefined;
    this.remember(index, stored);
    return stored;
  }

  /** The chunk as one to change (it must not be evicted before its write). */
  private writable(index: number, held: HeldChunk | undefined): Chunk {
    const dirty = this.dirty.get(index);
    if (dirty) return dirty;
    const chunk: Chunk =
      held && !isWritable(held)
        ? decodeChunk(held)
        : (held ?? { ids: [], fingerprints: [], flags: [], vectors: [] });
    const cached = this.cache.get(index);
    if (cached) {
      this.cache.delete(index);
      this.cacheBytes -= storedBytes(cached);
    }
    this.dirty.set(index, chunk);
    return chunk;
  }

  private async persist(revision: number, fullScanAt: number, final: boolean): Promise<void> {
    const written: [number, StoredChunk][] = [];
    for (const [index, chunk] of this.dirty)
      written.push([index, encodeChunk(chunk, this.generation)]);
    const entries: { key: string; value: unknown }[] = written.map(([index, value]) => ({
      key: chunkKey(index),
      value,
    }));
    // Until the final write the manifest keeps the old revision, so a stopped worker resumes.
    const manifest: Manifest = {
      format: FORMAT,
      generation: this.generation,
      count: this.count,
      revision: final ? revision : this.revision,
      fullScanAt: final ? fullScanAt : this.fullScanAt,
      df: this.df.slice(),
    };
    entries.push({ key: MANIFEST_KEY, value: manifest });
    await this.storage.put(entries);
    this.dirty.clear();
    for (const [index, stored] of written) this.remember(index, stored);
    if (final) {
      this.revision = revision;
      this.fullScanAt = fullScanAt;
    }
  }

  private remember(index: number, chunk: StoredChunk): void {
    const previous = this.cache.get(index);
    if (previous) {
      this.cache.delete(index);
      this.cacheBytes -= storedBytes(previous);
    }
    this.cache.set(index, chunk);
    this.cacheBytes += storedBytes(chunk);
    const limit = this.options.cacheBytes ?? CACHE_BYTES;
    for (const [oldest, evicted] of this.cache) {
      if (this.cacheBytes <= limit) break;
      this.cache.delete(oldest);
      this.cacheBytes -= storedBytes(evicted);
    }
  }

  private rememberRow(id: string, row: StoredVector): void {
    this.forgetRow(id);
    this.recent.set(id, row);
    this.recentBytes += row.vector.byteLength + ROW_OVERHEAD;
    const limit = this.options.recentRowBytes ?? RECENT_ROW_BYTES;
    for (const [oldest, evicted] of this.recent) {
      if (this.recentBytes <= limit) break;
      this.recent.delete(oldest);
      this.recentBytes -= evicted.vector.byteLength + ROW_OVERHEAD;
    }
  }

  private forgetRow(id: string | undefined): void {
    const row = id === undefined ? undefined : this.recent.get(id);
    if (id === undefined || !row) return;
    this.recent.delete(id);
    this.recentBytes -= row.vector.byteLength + ROW_OVERHEAD;
  }

  /** Chunks by index from memory or storage; `keep` caches what was read. */
  private async chunks(indices: readonly number[], keep: boolean): Promise<Map<number, HeldChunk>> {
    const found = new Map<number, HeldChunk>();
    const missing: number[] = [];
    for (const index of indices) {
      const dirty = this.dirty.get(index);
      const cached = this.cache.get(index);
      if (dirty) found.set(index, dirty);
      else if (cached) {
        found.set(index, cached);
        if (keep) this.remember(index, cached); // most recently used
      } else missing.push(index);
    }
    if (missing.length === 0) return found;
    const values = await this.storage.getMany(missing.map(chunkKey));
    missing.forEach((index, position) => {
      const stored = values[position];
      if (!isStoredChunk(stored, this.generation)) return;
      found.set(index, stored);
      if (keep) this.remember(index, stored);
    });
    return found;
  }

  /**
   * The stored vectors of indexed papers by id. Reads at most MAX_CHUNK_READS chunks (those
   * holding the most of the wanted papers first); the papers left out are the caller's to
   * vectorize from the text it has.
   */
  async vectors(ids: readonly string[]): Promise<Map<string, StoredVector>> {
    await this.load();
    const found = new Map<string, StoredVector>();
    if (ids.length === 0 || this.count === 0) return found;
    const missing: string[] = [];
    for (const id of ids) {
      const row = this.recent.get(id);
      if (row) {
        found.set(id, row);
        // Most recently used last.
        this.recent.delete(id);
        this.recent.set(id, row);
      } else missing.push(id);
    }
    if (missing.length === 0) return found;
    const ordinals = await this.source.ordinals(missing);
    const byChunk = new Map<number, [string, number][]>();
    for (const [id, ordinal] of ordinals) {
      if (ordinal >= this.count) continue;
      const index = Math.floor(ordinal / CHUNK_ROWS);
      const rows = byChunk.get(index);
      if (rows) rows.push([id, ordinal % CHUNK_ROWS]);
      else byChunk.set(index, [[id, ordinal % CHUNK_ROWS]]);
    }
    let wanted = [...byChunk.keys()];
    if (wanted.length > MAX_CHUNK_READS) {
      const inMemory = (index: number): boolean => this.cache.has(index) || this.dirty.has(index);
      const ranked = wanted
        .filter((index) => !inMemory(index))
        .sort((a, b) => (byChunk.get(b)?.length ?? 0) - (byChunk.get(a)?.length ?? 0));
      const skipped = new Set(ranked.slice(MAX_CHUNK_READS));
      wanted = wanted.filter((index) => !skipped.has(index));
    }
    const version = this.version;
    const chunks = await this.chunks(wanted, true);
    // A sync that changed vectors while the chunks were read may have changed these rows too:
    // they are answered this once (as before) but not remembered.
    const remember = this.version === version;
    for (const [index, chunk] of chunks) {
      for (const [id, row] of byChunk.get(index) ?? []) {
        // A row that names another paper is stale (never trusted): the caller falls back to text.
        if (chunk.ids[row] !== id) continue;
        // A vector of its own (never a view that would keep a chunk's buffer alive).
        const stored = {
          vector: rowVector(chunk, row),
          hasAbstract: ((chunk.flags[row] ?? 0) & HAS_ABSTRACT) !== 0,
        };
        found.set(id, stored);
        if (remember) this.rememberRow(id, stored);
      }
    }
    return found;
  }

  /**
   * Up to `count` stored papers drawn at random (seeded), skipping `exclude`: half the rows of
   * random chunks holding 2.5 × `count` rows, so neighbours imported together do not dominate.
   * Read past the cache, which keeps serving pages.
   */
  async sample(
    count: number,
    random: () => number,
    exclude: ReadonlySet<string>,
  ): Promise<{ id: string; vector: PackedVector }[]> {
    await this.load();
    const total = Math.ceil(this.count / CHUNK_ROWS);
    const all = count >= this.count;
    const wanted = Math.min(total, all ? total : Math.ceil((2.5 * count) / CHUNK_ROWS));
    const picked = new Set<number>();
    if (wanted === total) for (let index = 0; index < total; index += 1) picked.add(index);
    while (picked.size < wanted) picked.add(Math.floor(random() * total));
    const chunks = await this.chunks(
      [...picked].sort((a, b) => a - b),
      false,
    );
    const rows: { id: string; vector: PackedVector }[] = [];
    for (const index of picked) {
      const chunk = chunks.get(index);
      if (!chunk) continue;
      chunk.ids.forEach((id, row) => {
        if (!id || exclude.has(id) || (!all && random() >= 0.5)) return;
        rows.push({
          id,
          vector: isWritable(chunk) ? (chunk.vectors[row] as PackedVector) : decodeRow(chunk, row),
        });
      });
    }
    // Shuffled (callers split the sample), then trimmed to the count asked for.
    for (let index = rows.length - 1; index > 0; index -= 1) {
      const other = Math.floor(random() * (index + 1));
      [rows[index], rows[other]] = [
        rows[other] as (typeof rows)[0],
        rows[index] as (typeof rows)[0],
      ];
    }
    return rows.slice(0, count);
  }

  /** IDF over the stored papers (recomputed only after vectors changed). */
  inverseDocumentFrequencies(): Float32Array {
    this.idf ??= inverseDocumentFrequencies(this.df, Math.max(1, this.count));
    return this.idf;
  }

  /** Bytes this store holds in memory: document frequencies, IDF, decoded chunks, recent rows. */
  get bytes(): number {
    let dirty = 0;
    for (const chunk of this.dirty.values())
      dirty += chunk.vectors.reduce((sum, vector) => sum + vector.byteLength, 0) + 64;
    return (
      this.df.byteLength + (this.idf?.byteLength ?? 0) + this.cacheBytes + this.recentBytes + dirty
    );
  }
}
