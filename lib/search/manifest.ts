/**
 * The search index's manifest and paper look-ups by ordinal: what the popup needs before (and
 * without) loading the searcher, kept apart from the builder so the popup's first bundle stays small.
 */
import type { IndexDatabase } from '../db';
import { BUCKET_SIZE } from '../index-store';
import type { StoredIndexPaper } from '../types';
import { SEGMENT_FORMAT } from './segment';

export const MANIFEST_KEY = 'search:manifest';
export const SEGMENT_PREFIX = 'search:segment:';

export interface SearchManifest {
  format: typeof SEGMENT_FORMAT;
  segments: { key: string; start: number; count: number }[];
  /** Papers covered: ordinals [0, covered). */
  covered: number;
  /** The index's `lookupChangedAt` when built: a later title change means a rebuild. */
  lookupChangedAt: number;
  builtAt: number;
  /**
   * The index's `revision` when last refreshed: a prune after it renumbered the ordinals, which
   * means a rebuild. Absent in manifests written before it was kept (read as 0).
   */
  revision?: number;
}

/** Bookkeeping of the paper index that decides whether the search index is behind it. */
export interface IndexStatsLike {
  count: number;
  lookupChangedAt: number;
  prunedAt?: number;
}

/** Whether the search index must be rebuilt from scratch rather than appended to. */
export function needsRebuild(manifest: SearchManifest | undefined, stats: IndexStatsLike): boolean {
  return (
    !manifest ||
    stats.count < manifest.covered ||
    stats.lookupChangedAt > manifest.lookupChangedAt ||
    (stats.prunedAt ?? 0) > (manifest.revision ?? 0)
  );
}

/** Whether the search index is behind the paper index (new papers, or a rebuild is due). */
export function isBehind(manifest: SearchManifest | undefined, stats: IndexStatsLike): boolean {
  if (!manifest) return stats.count > 0;
  return manifest.covered !== stats.count || needsRebuild(manifest, stats);
}

export async function readManifest(db: IndexDatabase): Promise<SearchManifest | undefined> {
  const row = await db.meta.get(MANIFEST_KEY);
  const manifest = row?.value as SearchManifest | undefined;
  return manifest?.format === SEGMENT_FORMAT ? manifest : undefined;
}

/** Index papers by ordinal (search hits carry ordinals), one read per bucket. */
export async function papersAtOrdinals(
  db: IndexDatabase,
  ordinals: readonly number[],
): Promise<Map<number, StoredIndexPaper>> {
  const bucketIds = [...new Set(ordinals.map((ordinal) => Math.floor(ordinal / BUCKET_SIZE)))];
  const buckets = await db.paperBuckets.bulkGet(bucketIds);
  const found = new Map<number, StoredIndexPaper>();
  for (const ordinal of ordinals) {
    const bucket = buckets[bucketIds.indexOf(Math.floor(ordinal / BUCKET_SIZE))];
    const paper = bucket?.papers[ordinal % BUCKET_SIZE];
    if (paper) found.set(ordinal, paper);
  }
  return found;
}
