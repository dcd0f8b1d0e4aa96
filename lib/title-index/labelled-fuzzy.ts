/**
 * For tests that compare matcher variants on the labelled set: a 20,000-paper fuzzy index
 * generated from real titles (../shared, read in place; callers skip when it is absent) and the
 * queries the fuzzy fallback gets (typo, cut title, dropped word, absent).
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import {
  makeIndex,
  makeQueries,
  titlesFromFeed,
  type LabelledPaper,
  type LabelledQuery,
} from '../../scripts/bench/corpus';
import { readCorpus, readReal, REAL_FIXTURES } from '../../tests/shared';
import { LookupBuilder } from './builder';
import { emptyCore, emptyFuzzy, FuzzyIndex, PaperLookup } from './lookup';

const EXACT_KINDS = ['exact', 'case', 'punctuation', 'whitespace', 'latex'];

export function labelledFuzzySet(): {
  fuzzy: FuzzyIndex;
  papers: readonly LabelledPaper[];
  queries: LabelledQuery[];
} {
  const real = readCorpus().map((paper) => paper.title);
  for (const folder of ['arxiv-rss', 'arxiv-api']) {
    for (const file of readdirSync(join(REAL_FIXTURES, folder))) {
      real.push(...titlesFromFeed(readReal(`${folder}/${file}`)));
    }
  }
  const generated = makeIndex(real, 20_000);
  const builder = new LookupBuilder(new PaperLookup(emptyCore()), new FuzzyIndex(emptyFuzzy()));
  for (const paper of generated.papers) builder.add(paper);
  const queries = makeQueries(generated, real, { perKind: 300, absent: 1000 }).filter(
    (query) => !EXACT_KINDS.includes(query.kind),
  );
  return { fuzzy: new FuzzyIndex(builder.freeze(1).fuzzy), papers: generated.papers, queries };
}
