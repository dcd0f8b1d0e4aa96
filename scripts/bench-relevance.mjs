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
  if (process.argv[2] === '--store') {
    // The vector store alone at scale: `node scripts/bench-relevance.mjs --store 1000000`.
    const { benchStoreAtScale } = await import('./relevance-bench.ts');
    const size = Number(process.argv[3] ?? 1_000_000);
    for (const row of await benchStoreAtScale(size)) console.log(JSON.stringify(row));
  } else {
    const size = Number(process.argv[2] ?? 100_000);
    for (const row of await benchRelevance({ indexSize: size })) console.log(JSON.stringify(row));
  }
}
