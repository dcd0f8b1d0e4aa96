/**
 * Accuracy of the matcher on a labelled set: real titles (the corpus and the arXiv feeds in
 * ../shared, read in place) scaled with seeded synthetic titles (scripts/bench/corpus.ts),
 * queried with perturbed renderings of indexed titles and with 2,000 titles that are not in the
 * index. Targets (issue 4): 100% exact/case/punctuation/whitespace/LaTeX, ≥ 99% truncated,
 * ≥ 98% one typo, ≥ 95% dropped word, ≤ 2 wrong matches among the absent titles. A cut title
 * that begins two indexed titles can't be placed by anyone; those count apart ("ambiguous").
 * The unit suite runs 20,000 papers; `npm run bench` repeats this at 100,000 and 1,000,000.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  makeIndex,
  makeQueries,
  tallyResults,
  titlesFromFeed,
  type LabelledQuery,
  type Tally,
} from '../../scripts/bench/corpus';
import {
  hasShared,
  readCorpus,
  readReal,
  REAL_FIXTURES,
  SKIP_SHARED_REASON,
} from '../../tests/shared';
import { matchEntries } from '../match';
import { LookupBuilder } from './builder';
import { emptyCore, emptyFuzzy, FuzzyIndex, PaperLookup } from './lookup';

const SIZE = 20_000;

function realTitles(): string[] {
  const titles = readCorpus().map((paper) => paper.title);
  for (const folder of ['arxiv-rss', 'arxiv-api']) {
    for (const file of readdirSync(join(REAL_FIXTURES, folder))) {
      titles.push(...titlesFromFeed(readReal(`${folder}/${file}`)));
    }
  }
  return titles;
}

describe.skipIf(!hasShared)(
  `matcher accuracy at ${SIZE} papers ${hasShared ? '' : SKIP_SHARED_REASON}`,
  () => {
    const tallies = new Map<string, Tally>();

    beforeAll(async () => {
      const real = realTitles();
      expect(real.length).toBeGreaterThan(500);
      const index = makeIndex(real, SIZE);
      const builder = new LookupBuilder(new PaperLookup(emptyCore()), new FuzzyIndex(emptyFuzzy()));
      for (const paper of index.papers) builder.add(paper);
      const frozen = builder.freeze(1);
      const fuzzy = new FuzzyIndex(frozen.fuzzy);
      const source = { lookup: new PaperLookup(frozen.core), fuzzy: () => Promise.resolve(fuzzy) };
      const queries: LabelledQuery[] = makeQueries(index, real, { perKind: 1000, absent: 2000 });
      const { results } = await matchEntries(
        source,
        queries.map((query, ref) => ({ ref, title: query.title, ids: [] })),
      );
      for (const [kind, tally] of tallyResults(queries, results)) tallies.set(kind, tally);
      console.table(
        Object.fromEntries(
          [...tallies].map(([kind, { misses: _misses, ...counts }]) => [
            kind,
            { ...counts, rate: `${((100 * counts.correct) / counts.total).toFixed(1)}%` },
          ]),
        ),
      );
    }, 120_000);

    const rate = (kind: string): number => {
      const tally = tallies.get(kind);
      return tally ? tally.correct / tally.total : 0;
    };
    const missesOf = (kind: string): string[] => tallies.get(kind)?.misses.slice(0, 5) ?? [];

    it.each(['exact', 'case', 'punctuation', 'whitespace', 'latex'])(
      '%s renderings: 100%%',
      (kind) => {
        expect(missesOf(kind)).toEqual([]);
        expect(rate(kind)).toBe(1);
      },
    );

    it.each([
      ['truncated', 0.99],
      ['typo', 0.98],
      ['dropped-word', 0.95],
      ['truncated+case', 0.98],
      ['case+punctuation+typo', 0.97],
      ['dropped-word+whitespace', 0.95],
    ])('%s: at least %d', (kind, floor) => {
      expect(rate(kind), missesOf(kind).join('\n')).toBeGreaterThanOrEqual(floor);
    });

    it('cut titles that begin several indexed titles are few', () => {
      expect(tallies.get('truncated')?.ambiguous).toBeLessThan(30);
    });

    it('perturbed titles almost never match the wrong paper', () => {
      for (const [kind, tally] of tallies) {
        if (kind !== 'absent') expect(tally.wrong, kind).toBeLessThanOrEqual(2);
      }
    });

    it('at most 2 of the 2,000 titles that are not in the index match anything', () => {
      expect(tallies.get('absent')?.total).toBe(2000);
      expect(tallies.get('absent')?.wrong, missesOf('absent').join('\n')).toBeLessThanOrEqual(2);
    });
  },
);
