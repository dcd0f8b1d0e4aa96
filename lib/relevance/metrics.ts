/**
 * Ranking metrics for the offline evaluation (scripts/eval-relevance.mjs).
 */

/** Indices of `scores` from best to worst; ties keep input order, so callers shuffle first. */
export function rankOrder(scores: readonly number[]): number[] {
  return scores
    .map((score, index) => ({ score, index }))
    .sort((a, b) => b.score - a.score || a.index - b.index)
    .map((item) => item.index);
}

/** Average precision of a ranking: mean of precision@k over the ranks k of the relevant items. */
export function averagePrecision(scores: readonly number[], relevant: readonly boolean[]): number {
  const order = rankOrder(scores);
  let hits = 0;
  let sum = 0;
  order.forEach((index, rank) => {
    if (relevant[index]) {
      hits += 1;
      sum += hits / (rank + 1);
    }
  });
  return hits === 0 ? 0 : sum / hits;
}

/** Share of relevant items among the top k. */
export function precisionAt(
  k: number,
  scores: readonly number[],
  relevant: readonly boolean[],
): number {
  const top = rankOrder(scores).slice(0, k);
  if (top.length === 0) return 0;
  return top.filter((index) => relevant[index]).length / top.length;
}

export function mean(values: readonly number[]): number {
  return values.length === 0 ? 0 : values.reduce((sum, value) => sum + value, 0) / values.length;
}
