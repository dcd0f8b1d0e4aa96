/**
 * Wiring of the relevance store to the abstract index database: papers by ordinal from the index
 * buckets, and persisted chunks in the index's `meta` table (derived data, rebuildable).
 */
import type { IndexDatabase } from '../db';
import { BUCKET_SIZE, getIndexStats, ordinalsOf } from '../index-store';
import type { ChunkStorage, IndexSource } from './store';

/** Buckets read per transaction while catching up (8 × 512 papers). */
const BUCKETS_PER_READ = 8;

export function indexSource(db: IndexDatabase): IndexSource {
  return {
    async stats() {
      const stats = await getIndexStats(db);
      return { count: stats.count, revision: stats.revision, prunedAt: stats.prunedAt };
    },
    async readFrom(from, visit) {
      for (let bucket = Math.floor(from / BUCKET_SIZE); ; bucket += BUCKETS_PER_READ) {
        const buckets = await db.paperBuckets
          .where(':id')
          .between(bucket, bucket + BUCKETS_PER_READ, true, false)
          .toArray();
        if (buckets.length === 0) return;
        const batch = buckets.flatMap((row) =>
          row.papers.flatMap((paper, slot) => {
            const ordinal = row.b * BUCKET_SIZE + slot;
            return ordinal >= from ? [{ ordinal, paper }] : [];
          }),
        );
        await visit(batch);
      }
    },
    ordinals(ids) {
      return ordinalsOf(db, ids);
    },
  };
}

export function metaStorage(db: IndexDatabase): ChunkStorage {
  return {
    async get(key) {
      return (await db.meta.get(key))?.value;
    },
    async getMany(keys) {
      return (await db.meta.bulkGet([...keys])).map((row) => row?.value);
    },
    async put(entries) {
      await db.meta.bulkPut(entries);
    },
    async delete(keys) {
      await db.meta.bulkDelete(keys);
    },
  };
}
