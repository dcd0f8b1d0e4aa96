/**
 * `npm run bench`, Node part: the labelled accuracy set at a given index size, and the matcher's
 * in-memory speed on it. Prints one JSON line. Usage: node --import tsx scripts/bench/accuracy.ts 1000000
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { matchEntries } from '../../lib/match';
import { LookupBuilder } from '../../lib/title-index/builder';
import { emptyCore, emptyFuzzy, FuzzyIndex, PaperLookup } from '../../lib/title-index/lookup';
import { CORPUS_DIR, readCorpus, REAL_FIXTURES } from '../../tests/shared';
import { makeIndex, makeQueries, tallyResults, titlesFromFeed } from './corpus';

const size = Number(process.argv[2] ?? 100_000);

function realTitles(): string[] {
  const titles = readCorpus().map((paper) => paper.title);
  for (const folder of ['arxiv-rss', 'arxiv-api']) {
    for (const file of readdirSync(join(REAL_FIXTURES, folder))) {
      titles.push(...titlesFromFeed(readFileSync(join(REAL_FIXTURES, folder, file), 'utf8')));
    }
  }
  return titles;
}

const median = (values: number[]): number =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;

const real = realTitles();
let start = performance.now();
const index = makeIndex(real, size);
const generateMs = performance.now() - start;
start = performance.now();
const builder = new LookupBuilder(new PaperLookup(emptyCore()), new FuzzyIndex(emptyFuzzy()));
for (const paper of index.papers) builder.add(paper);
const frozen = builder.freeze(1);
const buildMs = performance.now() - start;
const lookup = new PaperLookup(frozen.core);
const fuzzy = new FuzzyIndex(frozen.fuzzy);
const source = { lookup, fuzzy: () => Promise.resolve(fuzzy) };
const queries = makeQueries(index, real, { perKind: 1000, absent: 2000 });
start = performance.now();
const { results } = await matchEntries(
  source,
  queries.map((query, ref) => ({ ref, title: query.title, ids: [] })),
);
const matchMs = performance.now() - start;
const tallies = tallyResults(queries, results);

// Speed on 2,000 titles: fuzzy-only (hard variants) and absent-only.
const timeKinds = async (kinds: string[]): Promise<number> => {
  const chosen = queries.filter((query) => kinds.includes(query.kind)).slice(0, 2000);
  const runs: number[] = [];
  for (let run = 0; run < 5; run += 1) {
    const began = performance.now();
    await matchEntries(
      source,
      chosen.map((query, ref) => ({ ref, title: query.title, ids: [] })),
    );
    runs.push((performance.now() - began) / chosen.length);
  }
  return median(runs);
};
const fuzzyPerTitleMs = await timeKinds(['typo', 'truncated', 'dropped-word']);
const absentPerTitleMs = await timeKinds(['absent']);

console.log(
  JSON.stringify({
    size,
    generateMs,
    buildMs,
    matchMs,
    queries: queries.length,
    fuzzyPerTitleMs,
    absentPerTitleMs,
    bytes: { core: lookup.bytes, fuzzy: fuzzy.bytes },
    corpus: { realTitles: real.length, corpusDir: CORPUS_DIR },
    tallies: Object.fromEntries(
      [...tallies].map(([kind, { misses, ...counts }]) => [
        kind,
        { ...counts, examples: misses.slice(0, 3) },
      ]),
    ),
  }),
);
