/**
 * Hashed term-count vectors of every indexed paper, computed once when a paper enters the index
 * and kept in memory for scoring and training (performance.md §7: vectorizing 2,000 abstracts on
 * the fly costs ~180 ms; scoring stored vectors < 1 ms).
 *
 * The store follows the index by ordinal (the index appends papers in insertion order): `sync`
 * vectorizes the ordinals it has not seen, and, at most every FULL_SCAN_INTERVAL, re-reads the
 * whole index to catch papers whose text changed in place (an abstract arriving after the title).
 * It is derived data: persisted in chunks in the index's `meta` table so a restarted service
 * worker does not re-tokenize, and rebuilt from scratch whenever it looks inconsistent.
 */
import { featureOf, vectorize, type PackedVector, type PaperText } from './features';
import { documentFrequencies, inverseDocumentFrequencies } from './model';

/** What the store needs from the abstract index. */
export interface IndexSource {
  stats(): Promise<{ count: number; revision: number }>;
  /** Visits papers from ordinal `from` on, in ordinal order, a batch at a time. */
  readFrom(
    from: number,
    visit: (batch: { ordinal: number; paper: IndexedText }[]) => Promise<void> | void,
  ): Promise<void>;
}

export interface IndexedText extends PaperText {
  id: string;
}

/** Where chunks are persisted (the index database's `meta` table in the extension). */
export interface ChunkStorage {
  get(key: string): Promise<unknown>;
  put(entries: { key: string; value: unknown }[]): Promise<void>;
  delete(keys: string[]): Promise<void>;
}

export const CHUNK_ROWS = 2048;
const FORMAT = 1;
const MANIFEST_KEY = 'relevance:vectors';
const chunkKey = (chunk: number): string => `relevance:vectors:${chunk}`;
const FULL_SCAN_INTERVAL = 10 * 60_000;
/** Papers vectorized between yields, so look-ups are not held up by a large import. */
const SLICE = 500;

interface Manifest {
  format: number;
  count: number;
  revision: number;
  fullScanAt: number;
}

interface StoredChunk {
  ids: string[];
  fingerprints: Uint32Array;
  flags: Uint8Array;
  offsets: Uint32Array;
  data: Uint32Array;
}

const HAS_ABSTRACT = 1;

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

export class VectorStore {
  private ids: string[] = [];
  private readonly rowOf = new Map<string, number>();
  private vectors: PackedVector[] = [];
  private fingerprints: number[] = [];
  private flags: number[] = [];
  private revision = -1;
  private fullScanAt = 0;
  private loaded: Promise<void> | null = null;
  private syncing: Promise<void> | null = null;
  private df: Uint32Array | null = null;
  private idf: Float32Array | null = null;
  private dirtyChunks = new Set<number>();
  /** Bumped whenever vectors change (models compare it to decide whether they are current). */
  version = 0;

  constructor(
    private readonly source: IndexSource,
    private readonly storage: ChunkStorage,
    private readonly options: { now?: () => number; yieldToEvents?: () => Promise<void> } = {},
  ) {}

  get size(): number {
    return this.vectors.length;
  }

  /** Loads the persisted chunks once (a cold service worker). */
  load(): Promise<void> {
    this.loaded ??= this.readPersisted();
    return this.loaded;
  }

  private async readPersisted(): Promise<void> {
    const manifest = (await this.storage.get(MANIFEST_KEY)) as Manifest | undefined;
    if (manifest?.format !== FORMAT) return;
    const chunks = Math.ceil(manifest.count / CHUNK_ROWS);
    for (let chunk = 0; chunk < chunks; chunk += 1) {
      const stored = (await this.storage.get(chunkKey(chunk))) as StoredChunk | undefined;
      if (
        !stored ||
        stored.ids.length !== Math.min(CHUNK_ROWS, manifest.count - chunk * CHUNK_ROWS)
      ) {
        this.reset(); // A missing or short chunk: start over rather than trust a partial store.
        return;
      }
      stored.ids.forEach((id, slot) => {
        const row = chunk * CHUNK_ROWS + slot;
        this.ids[row] = id;
        this.rowOf.set(id, row);
        this.vectors[row] = stored.data.subarray(stored.offsets[slot], stored.offsets[slot + 1]);
        this.fingerprints[row] = stored.fingerprints[slot] ?? 0;
        this.flags[row] = stored.flags[slot] ?? 0;
      });
    }
    this.revision = manifest.revision;
    this.fullScanAt = manifest.fullScanAt;
    this.version += 1;
  }

  private reset(): void {
    this.ids = [];
    this.rowOf.clear();
    this.vectors = [];
    this.fingerprints = [];
    this.flags = [];
    this.revision = -1;
    this.fullScanAt = 0;
    this.df = null;
    this.idf = null;
    this.version += 1;
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
    if (stats.count < this.vectors.length) {
      // The index was cleared or rebuilt: ordinals no longer mean what they meant.
      this.reset();
      await this.storage.delete([MANIFEST_KEY]);
    }
    const now = this.options.now?.() ?? Date.now();
    if (!forceFull && stats.revision === this.revision && stats.count === this.vectors.length)
      return;
    const full =
      forceFull || (stats.revision !== this.revision && now - this.fullScanAt > FULL_SCAN_INTERVAL);
    const from = full ? 0 : this.vectors.length;
    let sinceYield = 0;
    await this.source.readFrom(from, async (batch) => {
      for (const { ordinal, paper } of batch) {
        this.ingest(ordinal, paper);
        sinceYield += 1;
      }
      if (sinceYield >= SLICE) {
        sinceYield = 0;
        await this.persist(stats.revision, full ? now : this.fullScanAt, false);
        await (this.options.yieldToEvents?.() ?? Promise.resolve());
      }
    });
    await this.persist(stats.revision, full ? now : this.fullScanAt, true);
  }

  private ingest(ordinal: number, paper: IndexedText): void {
    const fingerprint = textFingerprint(paper);
    if (
      ordinal < this.vectors.length &&
      this.fingerprints[ordinal] === fingerprint &&
      this.ids[ordinal] === paper.id
    ) {
      return;
    }
    const previous = this.ids[ordinal];
    if (previous !== undefined && previous !== paper.id) this.rowOf.delete(previous);
    const vector = vectorize(paper);
    const oldVector = this.vectors[ordinal];
    if (this.df) {
      if (oldVector) for (const packed of oldVector) this.dfAdd(packed, -1);
      for (const packed of vector) this.dfAdd(packed, 1);
      this.idf = null;
    }
    this.ids[ordinal] = paper.id;
    this.rowOf.set(paper.id, ordinal);
    this.vectors[ordinal] = vector;
    this.fingerprints[ordinal] = fingerprint;
    this.flags[ordinal] = paper.abstract ? HAS_ABSTRACT : 0;
    this.dirtyChunks.add(Math.floor(ordinal / CHUNK_ROWS));
    this.version += 1;
  }

  private dfAdd(packed: number, delta: number): void {
    const df = this.df;
    if (!df) return;
    const feature = featureOf(packed);
    df[feature] = (df[feature] ?? 0) + delta;
  }

  private async persist(revision: number, fullScanAt: number, final: boolean): Promise<void> {
    const entries: { key: string; value: unknown }[] = [];
    for (const chunk of this.dirtyChunks)
      entries.push({ key: chunkKey(chunk), value: this.chunkValue(chunk) });
    this.dirtyChunks.clear();
    // Until the final write the manifest keeps the old revision, so a stopped worker resumes.
    const manifest: Manifest = {
      format: FORMAT,
      count: this.vectors.length,
      revision: final ? revision : this.revision,
      fullScanAt: final ? fullScanAt : this.fullScanAt,
    };
    entries.push({ key: MANIFEST_KEY, value: manifest });
    await this.storage.put(entries);
    if (final) {
      this.revision = revision;
      this.fullScanAt = fullScanAt;
    }
  }

  private chunkValue(chunk: number): StoredChunk {
    const start = chunk * CHUNK_ROWS;
    const end = Math.min(this.vectors.length, start + CHUNK_ROWS);
    const offsets = new Uint32Array(end - start + 1);
    let total = 0;
    for (let row = start; row < end; row += 1) {
      offsets[row - start] = total;
      total += this.vectors[row]?.length ?? 0;
    }
    offsets[end - start] = total;
    const data = new Uint32Array(total);
    for (let row = start; row < end; row += 1)
      data.set(this.vectors[row] ?? [], offsets[row - start]);
    return {
      ids: this.ids.slice(start, end),
      fingerprints: Uint32Array.from(this.fingerprints.slice(start, end)),
      flags: Uint8Array.from(this.flags.slice(start, end)),
      offsets,
      data,
    };
  }

  /** The stored vector of an indexed paper, and whether it was computed with an abstract. */
  get(id: string): { vector: PackedVector; hasAbstract: boolean } | undefined {
    const row = this.rowOf.get(id);
    if (row === undefined) return undefined;
    const vector = this.vectors[row];
    return vector
      ? { vector, hasAbstract: ((this.flags[row] ?? 0) & HAS_ABSTRACT) !== 0 }
      : undefined;
  }

  has(id: string): boolean {
    return this.rowOf.has(id);
  }

  /** A uniform sample of stored papers (seeded), skipping `exclude`. */
  sample(
    count: number,
    random: () => number,
    exclude: ReadonlySet<string>,
  ): { id: string; vector: PackedVector }[] {
    const total = this.vectors.length;
    const picked: { id: string; vector: PackedVector }[] = [];
    if (total === 0) return picked;
    if (count >= total) {
      for (let row = 0; row < total; row += 1) {
        const id = this.ids[row];
        const vector = this.vectors[row];
        if (id !== undefined && vector && !exclude.has(id)) picked.push({ id, vector });
      }
      return picked;
    }
    const seen = new Set<number>();
    for (let attempt = 0; attempt < count * 3 && picked.length < count; attempt += 1) {
      const row = Math.floor(random() * total);
      if (seen.has(row)) continue;
      seen.add(row);
      const id = this.ids[row];
      const vector = this.vectors[row];
      if (id !== undefined && vector && !exclude.has(id)) picked.push({ id, vector });
    }
    return picked;
  }

  /** IDF over the stored papers (recomputed only after vectors changed). */
  inverseDocumentFrequencies(): Float32Array {
    this.df ??= documentFrequencies(this.vectors);
    this.idf ??= inverseDocumentFrequencies(this.df, Math.max(1, this.vectors.length));
    return this.idf;
  }

  /** Bytes held in memory by the vectors (for the benchmark). */
  get bytes(): number {
    return this.vectors.reduce((sum, vector) => sum + vector.byteLength, 0);
  }
}
