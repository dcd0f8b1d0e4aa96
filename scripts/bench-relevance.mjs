#!/usr/bin/env node
// Relevance benchmarks: `import { benchRelevance } from './bench-relevance.mjs'` returns rows
// { scenario, size, median, p95, baseline? } (ms; the memory row is MB). Run directly to print them.
import { pathToFileURL } from 'node:url';
import { register } from 'tsx/esm/api';

register();

/** @returns {Promise<{ scenario: string; size: number; median: number; p95: number; baseline?: number }[]>} */
export async function benchRelevance(options = {}) {
  const { benchRelevance: run } = await import('./relevance-bench.ts');
  return run(options);
}

export default benchRelevance;

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const size = Number(process.argv[2] ?? 100_000);
  for (const row of await benchRelevance({ indexSize: size })) console.log(JSON.stringify(row));
}
