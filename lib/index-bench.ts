/**
 * Bench-only hooks (built only with WXT_PAPERLIGHT_BENCH=1, see scripts/bench.mjs): let the
 * benchmark time the matcher inside the service worker through Playwright's `worker.evaluate`.
 * A global on the worker is out of reach of content scripts and pages, so nothing widens what
 * they may do; release builds never call it.
 */
import type { IndexDatabase } from './db';
import { dropLoadedLookup, loadMatchSource, lookupBytes } from './index-store';
import { matchEntries, type MatchQuery } from './match';

export interface IndexBench {
  /** Times `runs` matches of the queries; the first run pays the look-up load when cold. */
  match(
    queries: MatchQuery[],
    runs: number,
  ): Promise<{
    loadMs: number;
    runsMs: number[];
    matched: number;
    byMethod: Record<string, number>;
  }>;
  /** Forgets the loaded structures (what a worker restart does, minus the worker start). */
  drop(): void;
  memory(): Promise<{ coreBytes: number; fuzzyBytes: number; heapBytes: number | null }>;
}

export function exposeIndexBench(indexDb: IndexDatabase, target: object = globalThis): void {
  const bench: IndexBench = {
    async match(queries, runs) {
      let start = performance.now();
      const source = await loadMatchSource(indexDb);
      const loadMs = performance.now() - start;
      // The fuzzy part loads on first need; count it as loading, not matching.
      start = performance.now();
      await source.fuzzy();
      const fuzzyLoadMs = performance.now() - start;
      const runsMs: number[] = [];
      let last: Awaited<ReturnType<typeof matchEntries>> = { results: [] };
      for (let run = 0; run < runs; run += 1) {
        const start = performance.now();
        last = await matchEntries(source, queries);
        runsMs.push(performance.now() - start);
      }
      const byMethod: Record<string, number> = {};
      for (const result of last.results) {
        const key = result.matched ? (result.method ?? 'id') : 'unmatched';
        byMethod[key] = (byMethod[key] ?? 0) + 1;
      }
      return {
        loadMs,
        fuzzyLoadMs,
        runsMs,
        matched: last.results.filter((result) => result.matched).length,
        byMethod,
      };
    },
    drop() {
      dropLoadedLookup(indexDb);
    },
    async memory() {
      const bytes = await lookupBytes(indexDb);
      const heap = (performance as Performance & { memory?: { usedJSHeapSize: number } }).memory;
      return {
        coreBytes: bytes.core,
        fuzzyBytes: bytes.fuzzy,
        heapBytes: heap?.usedJSHeapSize ?? null,
      };
    },
  };
  Object.assign(target, { __paperlightBench: bench });
}
