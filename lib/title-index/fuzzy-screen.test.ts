/**
 * The one-edit screen (lib/title-index/fuzzy.ts `closeTo`): a title is aligned with its candidates
 * only if one of them may be within one edit of it, which acceptance needs. It must never change
 * an answer: checked against the matcher with the screen turned off, on hand-made spellings and
 * on the labelled set.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { hasShared, SKIP_SHARED_REASON } from '../../tests/shared';
import { LookupBuilder } from './builder';
import { FuzzyMatcher } from './fuzzy';
import { labelledFuzzySet } from './labelled-fuzzy';
import { emptyCore, emptyFuzzy, FuzzyIndex, PaperLookup } from './lookup';

function indexOf(titles: readonly string[]): FuzzyIndex {
  const builder = new LookupBuilder(new PaperLookup(emptyCore()), new FuzzyIndex(emptyFuzzy()));
  titles.forEach((title, at) => builder.add({ id: `doi:10.1/${at}`, title }));
  return new FuzzyIndex(builder.freeze(1).fuzzy);
}

/** Answers of a matcher whose screen lets every title through to alignment. */
function unscreened(index: FuzzyIndex, titles: readonly string[]): (number | null)[] {
  const spy = vi
    .spyOn(FuzzyMatcher.prototype as unknown as { closeTo: () => boolean }, 'closeTo')
    .mockReturnValue(true);
  const matcher = new FuzzyMatcher(index);
  const answers = titles.map((title) => matcher.match(title, () => true)?.ord ?? null);
  spy.mockRestore();
  return answers;
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('one-edit screen', () => {
  const papers = [
    'Multi Agent Scheduling for Neural Networks',
    'Stochastic Paraphrase Mining with Deep Training',
    'Graph Neural Networks for Molecule Property Prediction',
    'Learning to Rank with Pretrained Language Models',
  ];
  const filler = Array.from({ length: 400 }, (_, at) => `Neural networks study ${at} of models`);
  const index = indexOf([...papers, ...filler]);
  const titles = [
    'Multiagent Scheduling for Neural Networks',
    'Multiagent Schedulng for Neural Networks',
    'Multiagent Scheduling for Neural Networks Today',
    'Multi Agent Scheduling for Neural',
    'Stochastic Para Phrase Mining with Deep Training',
    'Stochastic Paraphrase Mining with Deep Training Again Today',
    'Graph Neural Networks for Property Prediction',
    'Graph Neural Networks for Molecule Prediction Property',
    'Learning to Rank with Pre-trained Language Models',
    'Learning to Rank Pretrained Models',
    'Neural networks study of models',
  ];

  it('answers as alignment of every candidate does, joined and split words included', () => {
    const matcher = new FuzzyMatcher(index);
    const screened = titles.map((title) => matcher.match(title, () => true)?.ord ?? null);
    expect(screened).toEqual(unscreened(index, titles));
    // A split word alone, or with a word added or dropped, and words added or dropped.
    expect([0, 2, 3, 5, 6, 9].map((at) => screened[at])).toEqual([0, 0, 0, 1, 2, 3]);
  });

  it('skips alignment when no candidate is within one edit', () => {
    const align = vi.spyOn(FuzzyMatcher.prototype as unknown as { align: () => unknown }, 'align');
    const matcher = new FuzzyMatcher(index);
    // Two words replaced, apart: every candidate is two edits away or more.
    expect(matcher.match('Graph Neural Models for Molecule Property Study', () => true)).toBeNull();
    expect(align).not.toHaveBeenCalled();
  });
});

describe.skipIf(!hasShared)(
  `one-edit screen on the labelled set ${hasShared ? '' : SKIP_SHARED_REASON}`,
  () => {
    it('gives the same answer as aligning every candidate', () => {
      const { fuzzy, queries } = labelledFuzzySet();
      const titles = queries.map((query) => query.title);
      const matcher = new FuzzyMatcher(fuzzy);
      const screened = titles.map((title) => matcher.match(title, () => true)?.ord ?? null);
      expect(screened.filter((ord) => ord !== null).length).toBeGreaterThan(1000);
      expect(screened).toEqual(unscreened(fuzzy, titles));
    });
  },
);
