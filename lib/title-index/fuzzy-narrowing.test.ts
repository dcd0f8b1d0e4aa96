/**
 * The heavy-word walk (lib/title-index/fuzzy.ts `heavyWordWalk`): a word too heavy to drop must
 * be in every candidate as itself, a typo'd form or another spelling, so candidates come from
 * those forms' postings. At a million papers it only runs when the rarest lists are long; here
 * the threshold is lowered to 0 so every title with a heavy word takes that path, and its answers
 * are checked against the plain walk.
 */
import { describe, expect, it } from 'vitest';
import { hasShared, SKIP_SHARED_REASON } from '../../tests/shared';
import { LookupBuilder } from './builder';
import { FuzzyMatcher } from './fuzzy';
import { labelledFuzzySet } from './labelled-fuzzy';
import { emptyCore, emptyFuzzy, FuzzyIndex, PaperLookup } from './lookup';

const ALWAYS = 0;
const NEVER = Infinity;

function indexOf(titles: readonly string[]): FuzzyIndex {
  const builder = new LookupBuilder(new PaperLookup(emptyCore()), new FuzzyIndex(emptyFuzzy()));
  titles.forEach((title, at) => builder.add({ id: `doi:10.1/${at}`, title }));
  return new FuzzyIndex(builder.freeze(1).fuzzy);
}

/** Many papers of common words, a few with rare ones: the case the walk is for. */
function listing(): string[] {
  const common = ['learning', 'models', 'neural', 'networks', 'deep', 'training', 'data'];
  const titles: string[] = [];
  for (let at = 0; at < 3000; at += 1) {
    const words = [0, 1, 2, 3].map((k) => common[(at * (k + 3) + k * k) % common.length]);
    titles.push(`${words.join(' ')} study ${at}`);
  }
  titles.push('Quasiperiodic Bandits for Learning Models');
  titles.push('Multi Agent Scheduling for Neural Networks');
  titles.push('Stochastic Paraphrase Mining with Deep Training');
  return titles;
}

describe('heavy-word walk', () => {
  const titles = listing();
  const index = indexOf(titles);
  const matchWith = (threshold: number, title: string): string | null => {
    const found = new FuzzyMatcher(index, threshold).match(title, () => true);
    return found ? (titles[found.ord] ?? null) : null;
  };

  it.each([
    ['a typo in the rare word', 'Quasiperiodc Bandits for Learning Models'],
    ['a typo in a common word', 'Quasiperiodic Bandits for Learnign Models'],
    ['a word written joined', 'Multiagent Scheduling for Neural Networks'],
    ['a dropped common word', 'Stochastic Paraphrase Mining with Training'],
  ])('finds the paper despite %s, as the plain walk does', (_case, title) => {
    const plain = matchWith(NEVER, title);
    expect(plain).not.toBeNull();
    expect(matchWith(ALWAYS, title)).toBe(plain);
  });

  it('places nothing for a title whose heavy word no paper has in any form', () => {
    expect(matchWith(ALWAYS, 'Zorbtron4 Bandits for Learning Models')).toBeNull();
    expect(matchWith(ALWAYS, 'Quasiperiodic Learning Models Deep Networks')).toBeNull();
  });
});

describe.skipIf(!hasShared)(
  `heavy-word walk on the labelled set ${hasShared ? '' : SKIP_SHARED_REASON}`,
  () => {
    it('never accepts another paper than the plain walk, and loses almost none it finds', () => {
      const { fuzzy, papers, queries } = labelledFuzzySet();
      const walked = new FuzzyMatcher(fuzzy, ALWAYS);
      const plain = new FuzzyMatcher(fuzzy, NEVER);
      let differ = 0;
      let plainFound = 0;
      for (const query of queries) {
        const a = walked.match(query.title, () => true)?.ord ?? -1;
        const b = plain.match(query.title, () => true)?.ord ?? -1;
        if (b >= 0) plainFound += 1;
        if (a === b) continue;
        differ += 1;
        // A narrower candidate set can only lose runner-ups or stay under the candidate cap:
        // where the two disagree, the walk either finds nothing or the paper that was meant.
        if (a >= 0) expect(papers[a]?.id, query.title).toBe(query.expected);
      }
      expect(plainFound).toBeGreaterThan(1000);
      expect(differ).toBeLessThan(queries.length / 100);
    });
  },
);
