/**
 * Index v3: papers move from one record each into buckets of `bucketSize` (by the order they
 * come in), without their derived title keys. Pure; the look-up structures are rebuilt from the
 * buckets on first use.
 */
import type { IndexBucket, IndexPaper, StoredIndexPaper } from '../types';

export function bucketPapers(papers: readonly IndexPaper[], bucketSize: number): IndexBucket[] {
  const buckets: IndexBucket[] = [];
  papers.forEach((paper, ord) => {
    const { titleKey: _derived, ...stored }: IndexPaper = paper;
    const b = Math.floor(ord / bucketSize);
    const bucket = buckets[b] ?? { b, papers: [] as StoredIndexPaper[] };
    buckets[b] = bucket;
    bucket.papers.push(stored);
  });
  return buckets;
}
