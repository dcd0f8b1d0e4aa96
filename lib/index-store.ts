/**
 * The abstract index on disk and the look-up structures that find papers in it.
 *
 * Storage: papers live in buckets of BUCKET_SIZE papers per IndexedDB record (`buckets` table), by
 * ordinal (the order they were first added). One record per paper costs ~150–250 µs per record in
 * Chrome whatever its size; buckets import ~9× faster and take ~40% less disk
 * (../shared/reference/performance.md §6). A paper is found by id through the in-memory look-up
 * structures (lib/title-index/lookup.ts), which give its ordinal, hence its bucket.
 *
 * The look-up structures are persisted in two `meta` records and loaded once per service-worker
 * start; `stats` (one small row) carries the paper count and a revision that says whether the
 * persisted structures are current. Everything here is rebuildable from the buckets.
 *
 * Callers may wrap these functions in their own transaction (e.g. to commit a sync cursor with
 * its page of papers): include `db.paperBuckets` and `db.meta` in it.
 */
import { Dexie } from 'dexie';
import type { IndexDatabase } from './db';
import { LookupBuilder, type LookupChange } from './title-index/builder';
import { isPackedRow, packRow, unpackRow } from './title-index/packing';
import {
  emptyCore,
  emptyFuzzy,
  FuzzyIndex,
  LOOKUP_FORMAT,
  PaperLookup,
  type LookupCore,
  type LookupFuzzy,
} from './title-index/lookup';
import { matchEntries, type MatchQuery, type MatchResult, type MatchSource } from './match';
import { mergePaper } from './merge';
import { titleKey } from './normalize';
import type { CanonicalId, IndexBucket, IndexPaper, StoredIndexPaper } from './types';

/** Papers per storage record. */
export const BUCKET_SIZE = 512;
/**
 * Papers per write transaction: ~40 buckets. Each commit costs a round trip that the page's
 * thread mostly waits out; 20,000 papers still report progress every second or so.
 */
export const WRITE_CHUNK = 20_000;

const STATS_KEY = 'stats';
const CORE_KEY = 'lookup:core';
const FUZZY_KEY = 'lookup:fuzzy';
const PENDING_KEY = 'lookup:pending';
/**
 * Changes kept as a replayable journal on top of the frozen structures before they are merged
 * and rewritten: rewriting ~50 MB at a million papers for every sync page would cost seconds,
 * replaying a few thousand changes on a cold start costs milliseconds.
 */
const MAX_PENDING_CHANGES = 5000;

interface PendingRow {
  baseRevision: number;
  revision: number;
  changes: LookupChange[];
}

/** Bookkeeping kept in one `meta` row, so counting papers never scans the index. */
export interface IndexStats {
  /** Papers in the index (= the next ordinal). */
  count: number;
  /** Bumped by every write. */
  revision: number;
  /** The last revision that changed a stored paper's title or aliases (not just appended). */
  lookupChangedAt: number;
  /**
   * The revision at which a prune last compacted the index: ordinals before it no longer name the
   * same papers (derived stores keyed by ordinal start over).
   */
  prunedAt?: number;
  /** Set while a prune is compacting the buckets in place; writes wait for it (see prunePapers). */
  pruning?: boolean;
}

export interface UpsertProgress {
  done: number;
  total: number;
}

export interface UpsertOptions {
  onProgress?: (progress: UpsertProgress) => void;
  /** Write every chunk in one transaction (a file import must not half-apply). */
  atomic?: boolean;
  /**
   * For imports that arrive in many batches: skip the replay journal and the merge of the
   * look-up structures until `flushLookup`. Papers are findable by id and exact title at once,
   * by fuzzy title after the flush; a worker stopped before it rebuilds from the buckets.
   */
  deferLookup?: boolean;
}

interface IndexState {
  /** The frozen (persisted) structures. */
  lookup: PaperLookup;
  fuzzy: FuzzyIndex | null;
  /** A read of the fuzzy row started with the core's, which sets `fuzzy` when it arrives. */
  fuzzyArriving?: Promise<void>;
  /** Changes since `lookup`, queryable by id and exact title (fuzzy after the next merge). */
  builder: LookupBuilder | null;
}

/**
 * Loaded look-up structures per open database. A cache, not state: each entry is rebuilt from
 * IndexedDB when the service worker restarts. Kept resolved (not as promises) because awaiting a
 * promise of another transaction inside a Dexie transaction lets it commit early.
 */
const loaded = new WeakMap<IndexDatabase, IndexState>();
const loading = new WeakMap<IndexDatabase, Promise<IndexState>>();

function emptyStats(): IndexStats {
  return { count: 0, revision: 0, lookupChangedAt: 0 };
}

function storedForm(paper: IndexPaper): StoredIndexPaper {
  const { titleKey: _key, ...stored } = paper;
  return stored;
}

function indexForm(stored: StoredIndexPaper): IndexPaper {
  return { ...stored, titleKey: titleKey(stored.title) };
}

/** Collapses duplicates inside one batch so each id is written once. */
export function dedupeById(papers: readonly IndexPaper[]): IndexPaper[] {
  // Most batches have none: one set operation per paper tells, instead of a read and a write.
  const ids = new Set<CanonicalId>();
  for (const paper of papers) ids.add(paper.id);
  if (ids.size === papers.length) return [...papers];
  const byId = new Map<CanonicalId, IndexPaper>();
  for (const paper of papers) {
    const seen = byId.get(paper.id);
    byId.set(paper.id, seen ? mergePaper(seen, paper) : paper);
  }
  return [...byId.values()];
}

/** The index statistics (one small read; fine for `useLiveQuery`). */
export async function getIndexStats(db: IndexDatabase): Promise<IndexStats> {
  const row = await db.meta.get(STATS_KEY);
  return (row?.value as IndexStats | undefined) ?? emptyStats();
}

/** How many papers the index holds, without scanning it. */
export async function countPapers(db: IndexDatabase): Promise<number> {
  return (await getIndexStats(db)).count;
}

function isCurrent<T extends { format: number; revision: number }>(
  value: unknown,
  revision: number,
): value is T {
  const data = value as T | undefined;
  return data?.format === LOOKUP_FORMAT && data.revision === revision;
}

/**
 * A stored look-up row with its arrays back (lib/title-index/packing.ts). Inside a transaction
 * the Blob read is wrapped so that the transaction does not commit meanwhile.
 */
function unpackInTransaction(value: unknown): Promise<unknown> {
  return unpackRow(value, (read) => (Dexie.currentTransaction ? Dexie.waitFor(read) : read));
}

/**
 * Rows stored before packing, written again packed once both are loaded, if nothing changed the
 * index meanwhile (a write since then stores its own, packed). Best effort: tried again at the
 * next cold start if it fails.
 */
async function repackLookup(
  db: IndexDatabase,
  core: LookupCore,
  fuzzy: LookupFuzzy,
): Promise<void> {
  try {
    await db.transaction('rw', db.meta, async () => {
      const stats = await getIndexStats(db);
      if (stats.revision !== core.revision || fuzzy.revision !== core.revision) return;
      await db.meta.bulkPut([
        { key: CORE_KEY, value: packRow(core) },
        { key: FUZZY_KEY, value: packRow(fuzzy) },
      ]);
    });
  } catch (error: unknown) {
    console.warn('Paperlight: could not store the look-up structures packed:', error);
  }
}

async function loadState(db: IndexDatabase, withFuzzy = false): Promise<IndexState> {
  if (!Dexie.currentTransaction) {
    // The usual cold start: ids and exact titles are matched as soon as the core structures are
    // in, and the larger fuzzy ones (for titles) arrive meanwhile, so a page whose entries all
    // match that way never waits for them. Packed (lib/title-index/packing.ts), a row read here
    // is a handle to its bytes, so the fuzzy row comes with the core one and its bytes are read
    // right after the core's. Rows stored before packing hold their bytes: the fuzzy one is read
    // in a second transaction, since side by side the two share the transfer and the core
    // arrives about twice as late.
    const { stats, row, fuzzyHandle } = await db.transaction('r', db.meta, async () => {
      const statsRead = getIndexStats(db);
      const coreRow: unknown = (await db.meta.get(CORE_KEY))?.value;
      const fuzzyRow: unknown =
        withFuzzy && isPackedRow(coreRow) ? (await db.meta.get(FUZZY_KEY))?.value : undefined;
      return { stats: await statsRead, row: coreRow, fuzzyHandle: fuzzyRow };
    });
    if (isCurrent<LookupCore>(row, stats.revision)) {
      const core = (await unpackRow(row)) as LookupCore;
      const state: IndexState = { lookup: new PaperLookup(core), fuzzy: null, builder: null };
      if (withFuzzy) {
        const fuzzyRead =
          fuzzyHandle !== undefined
            ? Promise.resolve(fuzzyHandle)
            : db.meta.get(FUZZY_KEY).then((fuzzyRow): unknown => fuzzyRow?.value);
        state.fuzzyArriving = fuzzyRead
          .then(async (value) => {
            // A write may have moved the index on between the two reads: then `fuzzyOf` reads
            // the row again (and finds the loaded structures out of date).
            if (state.fuzzy || !isCurrent<LookupFuzzy>(value, state.lookup.revision)) return;
            const fuzzy = (await unpackRow(value)) as LookupFuzzy;
            state.fuzzy ??= new FuzzyIndex(fuzzy);
            // Stored before packing: stored again packed, so the next cold start reads it faster.
            if (!isPackedRow(row) || !isPackedRow(value)) void repackLookup(db, core, fuzzy);
          })
          .catch(() => undefined);
      }
      return state;
    }
  }
  return db.transaction('rw', db.paperBuckets, db.meta, async () => {
    // Asked together, the fuzzy row is read while the core row is decoded.
    const statsRead = getIndexStats(db);
    const coreRead = db.meta.get(CORE_KEY);
    const fuzzyRead = withFuzzy ? db.meta.get(FUZZY_KEY) : undefined;
    const stats = await statsRead;
    const storedRow: unknown = await unpackInTransaction((await coreRead)?.value);
    if (isCurrent<LookupCore>(storedRow, stats.revision)) {
      const fuzzyRow: unknown = await unpackInTransaction((await fuzzyRead)?.value);
      const fuzzy = isCurrent<LookupFuzzy>(fuzzyRow, storedRow.revision)
        ? new FuzzyIndex(fuzzyRow)
        : null;
      return { lookup: new PaperLookup(storedRow), fuzzy, builder: null };
    }
    await fuzzyRead;
    const stored = storedRow as LookupCore | undefined;
    // The usual case after small writes: the frozen structures plus a journal to replay.
    const pending = (await db.meta.get(PENDING_KEY))?.value as PendingRow | undefined;
    if (pending?.revision === stats.revision) {
      const fuzzyRow: unknown = stored
        ? await unpackInTransaction((await db.meta.get(FUZZY_KEY))?.value)
        : emptyFuzzy();
      const core = stored ?? emptyCore();
      if (
        core.format === LOOKUP_FORMAT &&
        core.revision === pending.baseRevision &&
        isCurrent<LookupFuzzy>(fuzzyRow, core.revision)
      ) {
        const lookup = new PaperLookup(core);
        const fuzzy = new FuzzyIndex(fuzzyRow);
        const builder = new LookupBuilder(lookup, fuzzy, MAX_PENDING_CHANGES);
        builder.replay(pending.changes);
        return { lookup, fuzzy, builder };
      }
    }
    // Stale or missing (a worker stopped mid-import, an upgrade, a new format): catch up from the
    // buckets, from where the stored structures end when only appends happened since.
    let base: { core: LookupCore; fuzzy: LookupFuzzy } = {
      core: emptyCore(),
      fuzzy: emptyFuzzy(),
    };
    const storedFuzzy = (await unpackInTransaction((await db.meta.get(FUZZY_KEY))?.value)) as
      LookupFuzzy | undefined;
    if (
      stored?.format === LOOKUP_FORMAT &&
      storedFuzzy?.format === LOOKUP_FORMAT &&
      storedFuzzy.revision === stored.revision &&
      stored.revision >= stats.lookupChangedAt &&
      stored.count <= stats.count
    ) {
      base = { core: stored, fuzzy: storedFuzzy };
    }
    // Frozen at once: no journal to keep.
    const builder = new LookupBuilder(new PaperLookup(base.core), new FuzzyIndex(base.fuzzy), 0);
    const first = Math.floor(base.core.count / BUCKET_SIZE);
    await db.paperBuckets
      .where(':id')
      .aboveOrEqual(first)
      .each((bucket) => {
        bucket.papers.forEach((paper, slot) => {
          if (bucket.b * BUCKET_SIZE + slot >= builder.count) builder.add(paper);
        });
      });
    const frozen = builder.freeze(stats.revision);
    await db.meta.bulkPut([
      { key: CORE_KEY, value: packRow(frozen.core) },
      { key: FUZZY_KEY, value: packRow(frozen.fuzzy) },
    ]);
    await db.meta.delete(PENDING_KEY);
    return {
      lookup: new PaperLookup(frozen.core),
      fuzzy: new FuzzyIndex(frozen.fuzzy),
      builder: null,
    };
  });
}

async function stateOf(db: IndexDatabase, withFuzzy = false): Promise<IndexState> {
  const ready = loaded.get(db);
  if (ready) return ready;
  if (Dexie.currentTransaction) {
    // Inside a caller's transaction: load with its requests, not by waiting on another's.
    const state = await loadState(db, withFuzzy);
    loaded.set(db, state);
    return state;
  }
  let pending = loading.get(db);
  if (!pending) {
    pending = loadState(db, withFuzzy).then(
      (state) => {
        loaded.set(db, state);
        loading.delete(db);
        return state;
      },
      (error: unknown) => {
        loading.delete(db);
        throw error;
      },
    );
    loading.set(db, pending);
  }
  return pending;
}

function forget(db: IndexDatabase): void {
  loaded.delete(db);
  loading.delete(db);
}

async function fuzzyOf(db: IndexDatabase, state: IndexState): Promise<FuzzyIndex> {
  if (state.fuzzy) return state.fuzzy;
  // Awaiting another transaction's read inside a Dexie transaction would let it commit early:
  // there, read the row in the caller's transaction instead.
  if (state.fuzzyArriving && !Dexie.currentTransaction) {
    await state.fuzzyArriving;
    if (state.fuzzy) return state.fuzzy;
  }
  const row: unknown = await unpackInTransaction((await db.meta.get(FUZZY_KEY))?.value);
  if (!isCurrent<LookupFuzzy>(row, state.lookup.revision)) {
    forget(db);
    throw new Error('The fuzzy look-up structures are out of date; reload them.');
  }
  state.fuzzy = new FuzzyIndex(row);
  return state.fuzzy;
}

/**
 * The look-up structures for matching, loaded once per worker start (one large read of ~20 B
 * per paper); the fuzzy part loads on first use, or with the rest when `fuzzySoon` says titles
 * are coming (a page's: some are nearly always missing from the index, so fuzzy is needed).
 */
export async function loadMatchSource(db: IndexDatabase, fuzzySoon = false): Promise<MatchSource> {
  const state = await stateOf(db, fuzzySoon);
  return { lookup: state.builder ?? state.lookup, fuzzy: () => fuzzyOf(db, state) };
}

/**
 * Matches entries (a page's, an imported file's) to indexed papers: ids, aliases, exact title,
 * fuzzy title (see lib/match.ts). Results come in `ref` order.
 */
export async function matchPapers(
  db: IndexDatabase,
  queries: readonly MatchQuery[],
): Promise<MatchResult[]> {
  const titled = queries.some((query) => query.title.trim() !== '');
  return (await matchEntries(await loadMatchSource(db, titled), queries)).results;
}

function findOrdinal(state: IndexState, id: CanonicalId): number {
  return state.builder ? state.builder.find(id) : state.lookup.findId(id);
}

/**
 * Papers by canonical id, in one read per storage bucket involved. The result has an entry for
 * every id that is in the index.
 */
export async function getPapers(
  db: IndexDatabase,
  ids: readonly CanonicalId[],
): Promise<Map<CanonicalId, IndexPaper>> {
  const state = await stateOf(db);
  const wanted = new Map<number, CanonicalId>();
  for (const id of ids) {
    const ord = findOrdinal(state, id);
    if (ord >= 0) wanted.set(ord, id);
  }
  const bucketIds = [...new Set([...wanted.keys()].map((ord) => Math.floor(ord / BUCKET_SIZE)))];
  const buckets = await db.paperBuckets.bulkGet(bucketIds);
  const found = new Map<CanonicalId, IndexPaper>();
  for (const bucket of buckets) {
    if (!bucket) continue;
    bucket.papers.forEach((paper, slot) => {
      const id = wanted.get(bucket.b * BUCKET_SIZE + slot);
      if (id !== undefined && paper.id === id) found.set(id, indexForm(paper));
    });
  }
  return found;
}

/**
 * Ordinals of indexed papers by canonical id (in memory once the look-up structures are loaded);
 * ids the index does not hold are left out. Relevance reads a paper's stored vector by ordinal.
 */
export async function ordinalsOf(
  db: IndexDatabase,
  ids: readonly CanonicalId[],
): Promise<Map<CanonicalId, number>> {
  const state = await stateOf(db);
  const found = new Map<CanonicalId, number>();
  for (const id of ids) {
    const ord = findOrdinal(state, id);
    if (ord >= 0) found.set(id, ord);
  }
  return found;
}

/** One paper by canonical id. */
export async function getPaper(
  db: IndexDatabase,
  id: CanonicalId,
): Promise<IndexPaper | undefined> {
  return (await getPapers(db, [id])).get(id);
}

/**
 * Visits every paper in insertion order, one bucket read at a time (for building search or
 * relevance structures). Return `false` from `visit` to stop early.
 */
export async function forEachPaper(
  db: IndexDatabase,
  visit: (paper: IndexPaper) => boolean | void,
): Promise<void> {
  const PER_READ = 8;
  for (let next = 0; ; next += PER_READ) {
    const buckets = await db.paperBuckets
      .where(':id')
      .between(next, next + PER_READ, true, false)
      .toArray();
    if (buckets.length === 0) return;
    for (const bucket of buckets) {
      for (const paper of bucket.papers) {
        if (visit(indexForm(paper)) === false) return;
      }
    }
  }
}

/**
 * Maps ids (canonical ids or aliases) to the canonical id of the indexed paper they name; ids the
 * index does not know are left out. In memory: no database read once the structures are loaded.
 */
export async function resolveIds(
  db: IndexDatabase,
  ids: readonly CanonicalId[],
): Promise<Map<CanonicalId, CanonicalId>> {
  const state = await stateOf(db);
  const resolved = new Map<CanonicalId, CanonicalId>();
  for (const id of ids) {
    const ord = findOrdinal(state, id);
    if (ord >= 0) {
      resolved.set(id, id);
      continue;
    }
    const view = state.builder ?? state.lookup;
    const aliasOf = view.findAlias(id);
    if (aliasOf >= 0) resolved.set(id, view.idAt(aliasOf));
  }
  return resolved;
}

async function builderOf(
  db: IndexDatabase,
): Promise<{ state: IndexState; builder: LookupBuilder }> {
  const state = await stateOf(db);
  if (!state.builder) {
    state.builder = new LookupBuilder(state.lookup, await fuzzyOf(db, state), MAX_PENDING_CHANGES);
  }
  return { state, builder: state.builder };
}

/** Thrown when the loaded structures are ahead of what committed (an enclosing transaction aborted). */
class StaleLookupError extends Error {}

/**
 * One chunk, inside a transaction. It awaits nothing but Dexie requests: Dexie keeps a
 * transaction alive across only a few ticks of other promises.
 */
async function writeChunk(
  db: IndexDatabase,
  builder: LookupBuilder,
  chunk: readonly IndexPaper[],
  journal: boolean,
): Promise<{ added: number; updated: number }> {
  const stats = ((await db.meta.get(STATS_KEY))?.value as IndexStats | undefined) ?? emptyStats();
  if (stats.pruning) throw new IndexBusyError();
  if (builder.count !== stats.count) throw new StaleLookupError();
  const existing: { paper: IndexPaper; ord: number }[] = [];
  const fresh: IndexPaper[] = [];
  for (const paper of chunk) {
    const ord = builder.find(paper.id);
    if (ord >= 0) existing.push({ paper, ord });
    else fresh.push(paper);
  }
  const touched = new Set(existing.map(({ ord }) => Math.floor(ord / BUCKET_SIZE)));
  if (fresh.length > 0 && stats.count % BUCKET_SIZE !== 0) {
    touched.add(Math.floor(stats.count / BUCKET_SIZE));
  }
  // (An empty bulkGet makes no request, and an idle transaction commits.)
  const read = touched.size > 0 ? await db.paperBuckets.bulkGet([...touched]) : [];
  const buckets = new Map<number, IndexBucket>();
  read.forEach((bucket) => bucket && buckets.set(bucket.b, bucket));

  let lookupChanged = false;
  for (const { paper, ord } of existing) {
    const bucket = buckets.get(Math.floor(ord / BUCKET_SIZE));
    const slot = ord % BUCKET_SIZE;
    const old = bucket?.papers[slot];
    if (!bucket || !old) throw new Error(`Paper ${paper.id} is missing from its bucket.`);
    const merged = mergePaper(indexForm(old), paper);
    const titleChanged = merged.titleKey !== titleKey(old.title);
    const newAliases = (merged.aliases ?? []).filter((alias) => !old.aliases?.includes(alias));
    if (titleChanged || newAliases.length > 0) {
      builder.update(
        ord,
        titleChanged ? { title: merged.title, aliases: newAliases } : { aliases: newAliases },
      );
      lookupChanged = true;
    }
    bucket.papers[slot] = storedForm(merged);
  }
  for (const paper of fresh) {
    const ord = builder.add(paper);
    const b = Math.floor(ord / BUCKET_SIZE);
    let bucket = buckets.get(b);
    if (!bucket) {
      bucket = { b, papers: [] };
      buckets.set(b, bucket);
    }
    bucket.papers[ord % BUCKET_SIZE] = storedForm(paper);
  }
  const written = [...buckets.values()];
  await db.paperBuckets.bulkPut(
    written,
    written.map((bucket) => bucket.b),
  );
  const revision = stats.revision + 1;
  const next: IndexStats = {
    ...stats,
    count: builder.count,
    revision,
    lookupChangedAt: lookupChanged ? revision : stats.lookupChangedAt,
  };
  await db.meta.put({ key: STATS_KEY, value: next });
  const changes = builder.changes;
  if (journal && changes && changes.length <= MAX_PENDING_CHANGES) {
    const pending: PendingRow = {
      baseRevision: builder.baseRevision,
      revision,
      changes: [...changes],
    };
    await db.meta.put({ key: PENDING_KEY, value: pending });
  }
  return { added: fresh.length, updated: existing.length };
}

async function persistLookup(db: IndexDatabase, state: IndexState): Promise<void> {
  const builder = state.builder;
  if (!builder) return;
  const stats = ((await db.meta.get(STATS_KEY))?.value as IndexStats | undefined) ?? emptyStats();
  const frozen = builder.freeze(stats.revision);
  await db.meta.bulkPut([
    { key: CORE_KEY, value: packRow(frozen.core) },
    { key: FUZZY_KEY, value: packRow(frozen.fuzzy) },
  ]);
  await db.meta.delete(PENDING_KEY);
  state.lookup = new PaperLookup(frozen.core);
  state.fuzzy = new FuzzyIndex(frozen.fuzzy);
  state.builder = null;
}

/**
 * Merges papers into the index by canonical id (lib/merge.ts `mergePaper`), appending new ones.
 * Returns how many ids were new and how many merged into papers already there. Throughput is
 * ~20–40k papers/s in Chrome; `onProgress` reports after every chunk of WRITE_CHUNK papers.
 */
export async function upsertPapers(
  db: IndexDatabase,
  incoming: readonly IndexPaper[],
  options: UpsertOptions = {},
): Promise<{ added: number; updated: number }> {
  // A prune left half-done by a stopped worker is finished first (its ordinals are in flux).
  // (A shared run may stop at its caller's deadline: then this caller continues it.)
  while (!Dexie.currentTransaction && (await getIndexStats(db)).pruning) await resumePrune(db);
  const papers = dedupeById(incoming);
  const chunks: IndexPaper[][] = [];
  for (let start = 0; start < papers.length; start += WRITE_CHUNK) {
    chunks.push(papers.slice(start, start + WRITE_CHUNK));
  }
  const attempt = async (): Promise<{ added: number; updated: number }> => {
    // Loaded before any transaction of ours opens (see writeChunk).
    const { state, builder } = await builderOf(db);
    let added = 0;
    let updated = 0;
    let done = 0;
    const run = async (chunk: readonly IndexPaper[]): Promise<void> => {
      const result = await writeChunk(db, builder, chunk, !options.deferLookup);
      added += result.added;
      updated += result.updated;
      done += chunk.length;
    };
    if (options.atomic) {
      await db.transaction('rw', db.paperBuckets, db.meta, async () => {
        for (const chunk of chunks) {
          await run(chunk);
          // Written, not yet committed: the whole import still commits or fails as one.
          options.onProgress?.({ done, total: papers.length });
        }
        if (!options.deferLookup && builder.changeCount > MAX_PENDING_CHANGES) {
          await persistLookup(db, state);
        }
      });
      if (chunks.length === 0) options.onProgress?.({ done, total: papers.length });
    } else {
      for (const chunk of chunks) {
        await db.transaction('rw', db.paperBuckets, db.meta, () => run(chunk));
        options.onProgress?.({ done, total: papers.length });
      }
      if (!options.deferLookup && builder.changeCount > MAX_PENDING_CHANGES) {
        await db.transaction('rw', db.paperBuckets, db.meta, () => persistLookup(db, state));
      }
    }
    return { added, updated };
  };
  try {
    return await attempt();
  } catch (error) {
    // The in-memory structures may be ahead of what was committed: reload them.
    forget(db);
    if (error instanceof StaleLookupError) return attempt();
    throw error;
  }
}

/**
 * Merges the changes since the last merge into new frozen structures and persists them: after
 * `upsertPapers(…, { deferLookup: true })` batches, or at the end of a sync run so that new
 * papers become findable by fuzzy title too (small writes are otherwise merged every
 * MAX_PENDING_CHANGES changes). Costs ~1–3 s at a million papers.
 */
export async function flushLookup(db: IndexDatabase): Promise<void> {
  const state = await stateOf(db);
  if (!state.builder) return;
  await db.transaction('rw', db.paperBuckets, db.meta, () => persistLookup(db, state));
}

/** Memory held by the loaded look-up structures, in bytes (for the benchmark). */
export async function lookupBytes(db: IndexDatabase): Promise<{ core: number; fuzzy: number }> {
  const state = await stateOf(db);
  return { core: state.lookup.bytes, fuzzy: (await fuzzyOf(db, state)).bytes };
}

/** Forgets the loaded structures, as a service-worker restart does (for tests and benchmarks). */
export function dropLoadedLookup(db: IndexDatabase): void {
  forget(db);
}

// ---------------------------------------------------------------------------------------------
// Pruning (retention settings): removes papers from the index (never the library; the caller
// decides which, and keeps the user's). Ordinals are positions, so a prune compacts the buckets in
// place, front to back, a bounded batch per transaction with its cursor. Papers [0, write) are the
// compacted result, source buckets from `read` on are untouched, buckets in between are deleted:
// a worker stopped at any point resumes from the last committed batch. Which papers go is decided
// up front (a bit per ordinal, persisted with the cursor), so resuming needs no predicate and the
// protected set is read once. While a prune runs, writes wait for it (`pruning` in the stats).
// ---------------------------------------------------------------------------------------------

const PRUNE_KEY = 'prune:cursor';
/** Source buckets compacted per transaction (~8k papers): bounded work between checkpoints. */
export const PRUNE_BUCKETS_PER_STEP = 16;

interface PruneCheckpoint {
  /** Next source ordinal to read (a bucket boundary, or `total`). */
  read: number;
  /** Next ordinal to write. */
  write: number;
  /** Papers in the index when the prune started. */
  total: number;
  removed: number;
  /** Papers the plan removes in all. */
  planned: number;
  /** One bit per source ordinal: set = remove. */
  remove: Uint8Array;
}

/** Thrown by index writes while a prune is compacting the buckets. */
export class IndexBusyError extends Error {
  constructor() {
    super('The index is being tidied up by the retention settings; try again in a moment.');
  }
}

export interface PrunePlan {
  /** Papers in the index. */
  total: number;
  /** Papers the predicate removes. */
  remove: number;
  /** The index revision the plan was made at. */
  revision: number;
  bits: Uint8Array;
}

export interface PruneProgress {
  done: number;
  total: number;
  removed: number;
  planned: number;
}

export interface PruneOptions {
  /** Stop starting batches after this time (epoch ms); the rest resumes with `resumePrune`. */
  deadline?: number;
  now?: () => number;
  onProgress?: (progress: PruneProgress) => void;
  bucketsPerStep?: number;
  /** Judge only papers from this ordinal on (those added since an earlier prune). */
  from?: number;
}

export interface PruneResult {
  removed: number;
  /** Papers left in the index. */
  kept: number;
  /** False when the deadline came first: the prune is checkpointed and `resumePrune` finishes it. */
  done: boolean;
}

const isRemoved = (bits: Uint8Array, ord: number): boolean =>
  ((bits[ord >> 3] ?? 0) & (1 << (ord & 7))) !== 0;

/**
 * Which papers `shouldRemove` would remove, without writing anything (the options page's preview
 * uses the count). One read of every bucket.
 */
export async function planPrune(
  db: IndexDatabase,
  shouldRemove: (paper: IndexPaper) => boolean,
  from = 0,
): Promise<PrunePlan> {
  const stats = await getIndexStats(db);
  const bits = new Uint8Array(Math.ceil(stats.count / 8));
  let remove = 0;
  const PER_READ = 8;
  const lastBucket = Math.ceil(stats.count / BUCKET_SIZE);
  for (let next = Math.floor(from / BUCKET_SIZE); next < lastBucket; next += PER_READ) {
    const buckets = await db.paperBuckets
      .where(':id')
      .between(next, next + PER_READ, true, false)
      .toArray();
    for (const bucket of buckets) {
      bucket.papers.forEach((paper, slot) => {
        const ord = bucket.b * BUCKET_SIZE + slot;
        if (ord < from || ord >= stats.count || !shouldRemove(indexForm(paper))) return;
        bits[ord >> 3] = (bits[ord >> 3] ?? 0) | (1 << (ord & 7));
        remove += 1;
      });
    }
  }
  return { total: stats.count, remove, revision: stats.revision, bits };
}

/** How far a prune in progress is, or null when none is. */
export async function pruneProgress(db: IndexDatabase): Promise<PruneProgress | null> {
  const checkpoint = (await db.meta.get(PRUNE_KEY))?.value as PruneCheckpoint | undefined;
  return checkpoint
    ? {
        done: checkpoint.read,
        total: checkpoint.total,
        removed: checkpoint.removed,
        planned: checkpoint.planned,
      }
    : null;
}

/**
 * Removes the papers `shouldRemove` picks, in checkpointed batches, then rebuilds the look-up
 * structures from the buckets. Derived stores (search segments, relevance vectors) see the bumped
 * `lookupChangedAt` / `prunedAt` and rebuild. A prune already in progress is finished first.
 */
export async function prunePapers(
  db: IndexDatabase,
  shouldRemove: (paper: IndexPaper) => boolean,
  options: PruneOptions = {},
): Promise<PruneResult> {
  const pending = await resumePrune(db, options);
  if (!pending.done) return pending;
  for (let attempt = 0; attempt < 3; attempt += 1) {
    const plan = await planPrune(db, shouldRemove, options.from);
    if (plan.remove === 0) return { removed: 0, kept: plan.total, done: true };
    // Buckets before the first removed paper stay as they are: compaction starts there.
    const firstByte = plan.bits.findIndex((byte) => byte !== 0);
    const start = Math.floor((firstByte * 8) / BUCKET_SIZE) * BUCKET_SIZE;
    const started = await db.transaction('rw', db.paperBuckets, db.meta, async () => {
      const stats = await getIndexStats(db);
      // Written to since the plan was read: plan again.
      if (stats.revision !== plan.revision || stats.pruning) return false;
      const checkpoint: PruneCheckpoint = {
        read: start,
        write: start,
        total: plan.total,
        removed: 0,
        planned: plan.remove,
        remove: plan.bits,
      };
      await db.meta.put({ key: PRUNE_KEY, value: checkpoint });
      await db.meta.put({ key: STATS_KEY, value: { ...stats, pruning: true } });
      return true;
    });
    if (started) return resumePrune(db, options);
  }
  throw new IndexBusyError();
}

const resuming = new WeakMap<IndexDatabase, Promise<PruneResult>>();

/**
 * Continues a prune a stopped worker (or a deadline) left half-done; a no-op when none is. One
 * run at a time per database; concurrent callers share it.
 */
export function resumePrune(db: IndexDatabase, options: PruneOptions = {}): Promise<PruneResult> {
  const current = resuming.get(db);
  if (current) return current;
  const task = runPrune(db, options).finally(() => resuming.delete(db));
  resuming.set(db, task);
  return task;
}

async function runPrune(db: IndexDatabase, options: PruneOptions): Promise<PruneResult> {
  const now = options.now ?? (() => Date.now());
  const perStep = Math.max(1, options.bucketsPerStep ?? PRUNE_BUCKETS_PER_STEP);
  let removed = 0;
  for (;;) {
    const step = await db.transaction('rw', db.paperBuckets, db.meta, () => pruneStep(db, perStep));
    if (step === null) {
      return { removed, kept: await countPapers(db), done: true };
    }
    removed = step.removed;
    options.onProgress?.({
      done: step.read,
      total: step.total,
      removed: step.removed,
      planned: step.planned,
    });
    if (step.finished) {
      // The look-ups are rebuilt from the compacted buckets now, not on the next look-up.
      forget(db);
      await stateOf(db);
      return { removed, kept: step.write, done: true };
    }
    if (options.deadline !== undefined && now() >= options.deadline) {
      return { removed, kept: step.write, done: false };
    }
  }
}

/** One batch, inside a transaction; null when no prune is in progress. */
async function pruneStep(
  db: IndexDatabase,
  perStep: number,
): Promise<(PruneCheckpoint & { finished: boolean }) | null> {
  const checkpoint = (await db.meta.get(PRUNE_KEY))?.value as PruneCheckpoint | undefined;
  if (!checkpoint) return null;
  if (checkpoint.read >= checkpoint.total) {
    const stats = await getIndexStats(db);
    const revision = stats.revision + 1;
    const { pruning: _pruning, ...rest } = stats;
    const next: IndexStats = {
      ...rest,
      count: checkpoint.write,
      revision,
      lookupChangedAt: revision,
      prunedAt: revision,
    };
    await db.meta.put({ key: STATS_KEY, value: next });
    // The persisted look-up structures and their journal describe the old ordinals.
    await db.meta.bulkDelete([PRUNE_KEY, PENDING_KEY, CORE_KEY, FUZZY_KEY]);
    return { ...checkpoint, finished: true };
  }
  const first = Math.floor(checkpoint.read / BUCKET_SIZE);
  const end = Math.min(first + perStep, Math.ceil(checkpoint.total / BUCKET_SIZE));
  const sources = await db.paperBuckets.where(':id').between(first, end, true, false).toArray();
  const outFirst = Math.floor(checkpoint.write / BUCKET_SIZE);
  const partial =
    checkpoint.write % BUCKET_SIZE !== 0 ? await db.paperBuckets.get(outFirst) : undefined;
  const output = new Map<number, StoredIndexPaper[]>();
  if (partial) output.set(outFirst, partial.papers.slice(0, checkpoint.write % BUCKET_SIZE));
  let write = checkpoint.write;
  let removed = checkpoint.removed;
  for (const bucket of sources) {
    bucket.papers.forEach((paper, slot) => {
      const ord = bucket.b * BUCKET_SIZE + slot;
      if (ord >= checkpoint.total) return;
      if (isRemoved(checkpoint.remove, ord)) {
        removed += 1;
        return;
      }
      const b = Math.floor(write / BUCKET_SIZE);
      let papers = output.get(b);
      if (!papers) {
        papers = [];
        output.set(b, papers);
      }
      papers.push(paper);
      write += 1;
    });
  }
  await db.paperBuckets.bulkPut(
    [...output].map(([b, papers]) => ({ b, papers })),
    [...output.keys()],
  );
  const lastOut = write > 0 ? Math.floor((write - 1) / BUCKET_SIZE) : -1;
  const consumed = [];
  for (let b = Math.max(first, lastOut + 1); b < end; b += 1) consumed.push(b);
  await db.paperBuckets.bulkDelete(consumed);
  const next: PruneCheckpoint = {
    ...checkpoint,
    read: Math.min(end * BUCKET_SIZE, checkpoint.total),
    write,
    removed,
  };
  await db.meta.put({ key: PRUNE_KEY, value: next });
  return { ...next, finished: false };
}
