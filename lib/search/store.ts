/**
 * Where the search index lives: segments in the index database's `meta` table, listed by a small
 * manifest. The background appends a segment for papers added since the last refresh (ordinals only
 * grow) and rebuilds everything when titles changed, the index shrank or was pruned, or segments
 * pile up. The popup loads the segments in one read each; nothing is built on open.
 *
 * Refresh API (for sync and imports; additive, keep it so):
 * - `refreshSearchIndex(db)` after any write to the paper index, e.g. at the end of a sync run. It
 *   costs what was added since the last refresh: only papers with new ordinals are read and
 *   tokenized into one new segment (~0.25 ms a paper with its abstract), and concurrent calls share
 *   one run. It rebuilds everything (seconds at 100k papers) only when a title changed, the index
 *   shrank or was pruned, or there are `MAX_SEGMENTS` segments. An abstract filled in for a paper
 *   already indexed is searchable after the next rebuild, not before.
 * - `searchIndexIsStale(db)`: two small reads, to decide whether a refresh is worth calling.
 * - Readers (the popup) watch the manifest row and call `loadSearcher(db, manifest, previous)`: the
 *   segments already loaded are reused, so an append costs one read of the new segment.
 */
import type { IndexDatabase } from '../db';
import { BUCKET_SIZE, forEachPaper, getIndexStats } from '../index-store';
import {
  isBehind,
  MANIFEST_KEY,
  needsRebuild,
  readManifest,
  SEGMENT_PREFIX,
  type SearchManifest,
} from './manifest';
import { IndexSearcher, LoadedSegment } from './searcher';
import {
  SEGMENT_FORMAT,
  SegmentBuilder,
  type SearchSegment,
  type SearchablePaper,
} from './segment';

export { MANIFEST_KEY, readManifest, type SearchManifest } from './manifest';
/** Papers per segment: bounds one IndexedDB value (~30 MB at 100k papers with abstracts). */
export const SEGMENT_PAPERS = 100_000;
/** More small segments than this and a refresh compacts them into few large ones. */
const MAX_SEGMENTS = 8;

/** Whether the persisted search index is behind the paper index. */
export async function searchIndexIsStale(db: IndexDatabase): Promise<boolean> {
  const [manifest, stats] = await Promise.all([readManifest(db), getIndexStats(db)]);
  return isBehind(manifest, stats);
}

async function papersFrom(
  db: IndexDatabase,
  from: number,
  visit: (paper: SearchablePaper, ordinal: number) => void,
): Promise<void> {
  if (from === 0) {
    let ordinal = 0;
    await forEachPaper(db, (paper) => {
      visit(paper, ordinal);
      ordinal += 1;
    });
    return;
  }
  await db.paperBuckets
    .where(':id')
    .aboveOrEqual(Math.floor(from / BUCKET_SIZE))
    .each((bucket) => {
      bucket.papers.forEach((paper, slot) => {
        const ordinal = bucket.b * BUCKET_SIZE + slot;
        if (ordinal >= from) visit(paper, ordinal);
      });
    });
}

export interface RefreshResult {
  papers: number;
  appended: number;
  rebuilt: boolean;
}

const running = new WeakMap<IndexDatabase, Promise<RefreshResult>>();

/** Brings the search index up to date with the paper index (one refresh at a time per database). */
export function refreshSearchIndex(db: IndexDatabase, now = Date.now()): Promise<RefreshResult> {
  const current = running.get(db);
  if (current) return current;
  const task = refresh(db, now).finally(() => running.delete(db));
  running.set(db, task);
  return task;
}

async function refresh(db: IndexDatabase, now: number): Promise<RefreshResult> {
  const [manifest, stats] = await Promise.all([readManifest(db), getIndexStats(db)]);
  const rebuild =
    needsRebuild(manifest, stats) || !manifest || manifest.segments.length >= MAX_SEGMENTS;
  const from = rebuild ? 0 : manifest.covered;
  if (!rebuild && from === stats.count) return { papers: stats.count, appended: 0, rebuilt: false };

  const built: SearchSegment[] = [];
  let builder: SegmentBuilder | null = null;
  await papersFrom(db, from, (paper, ordinal) => {
    if (!builder || builder.size >= SEGMENT_PAPERS || builder.start + builder.size !== ordinal) {
      if (builder?.size) built.push(builder.finish());
      builder = new SegmentBuilder(ordinal);
    }
    builder.add(paper);
  });
  const last = builder as SegmentBuilder | null;
  if (last?.size) built.push(last.finish());

  const kept = rebuild ? [] : manifest.segments;
  const stamp = now.toString(36);
  const added = built.map((segment, index) => ({
    key: `${SEGMENT_PREFIX}${stamp}-${index}`,
    start: segment.start,
    count: segment.ids === '' ? 0 : segment.ids.split('\n').length,
  }));
  const covered = built.length
    ? Math.max(...built.map((segment, index) => segment.start + (added[index]?.count ?? 0)))
    : from;
  const next: SearchManifest = {
    format: SEGMENT_FORMAT,
    segments: [...kept, ...added],
    covered: Math.max(covered, from),
    lookupChangedAt: stats.lookupChangedAt,
    builtAt: now,
    revision: stats.revision,
  };
  const stale = rebuild ? (manifest?.segments ?? []).map((segment) => segment.key) : [];
  await db.transaction('rw', db.meta, async () => {
    await db.meta.bulkPut(
      built.map((segment, index) => ({ key: added[index]?.key ?? '', value: segment })),
    );
    await db.meta.put({ key: MANIFEST_KEY, value: next });
    await db.meta.bulkDelete(stale);
  });
  return { papers: next.covered, appended: next.covered - from, rebuilt: rebuild };
}

/**
 * Loads the persisted segments for searching (the popup does this on open). Segments `previous`
 * already holds (same key) are reused as they are, with their decoded postings: after a refresh
 * that appended, only the new segment is read.
 */
export async function loadSearcher(
  db: IndexDatabase,
  manifest?: SearchManifest,
  previous?: IndexSearcher | null,
): Promise<IndexSearcher> {
  const list = manifest ?? (await readManifest(db));
  if (!list?.segments.length) return new IndexSearcher([]);
  const loaded = new Map(
    (previous?.segments ?? []).flatMap((segment) =>
      segment.key === undefined ? [] : [[segment.key, segment] as const],
    ),
  );
  const missing = list.segments.filter((segment) => !loaded.has(segment.key));
  const rows = await db.meta.bulkGet(missing.map((segment) => segment.key));
  rows.forEach((row, index) => {
    const value = row?.value as SearchSegment | undefined;
    const key = missing[index]?.key;
    if (key !== undefined && value?.format === SEGMENT_FORMAT)
      loaded.set(key, new LoadedSegment(value, key));
  });
  return new IndexSearcher(
    list.segments.flatMap((segment) => {
      const found = loaded.get(segment.key);
      return found ? [found] : [];
    }),
  );
}
