import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { matchEntries, type MatchQuery } from './match';
import { LookupBuilder, type LookupEntry } from './title-index/builder';
import { isTypoPair } from './title-index/fuzzy';
import { arxivCode, arxivFromCode } from './title-index/id-codes';
import { emptyCore, emptyFuzzy, FuzzyIndex, PaperLookup } from './title-index/lookup';
import { hash53, hashTitleKey, titleKey, titleTokens, titleTokensFast } from './normalize';

function sourceOf(entries: readonly LookupEntry[], batches = 1) {
  let lookup = new PaperLookup(emptyCore());
  let fuzzy = new FuzzyIndex(emptyFuzzy());
  const size = Math.ceil(entries.length / batches);
  for (let start = 0; start < entries.length; start += size) {
    const builder = new LookupBuilder(lookup, fuzzy);
    for (const entry of entries.slice(start, start + size)) builder.add(entry);
    const frozen = builder.freeze(start + 1);
    lookup = new PaperLookup(frozen.core);
    fuzzy = new FuzzyIndex(frozen.fuzzy);
  }
  return { lookup, fuzzy: () => Promise.resolve(fuzzy) };
}

const PAPERS: LookupEntry[] = [
  {
    id: 'arxiv:2408.04000',
    title: 'Quantisation of type IIB superstring theory and the matrix model',
  },
  { id: 'arxiv:0704.0001', title: 'Calculation of prompt diphoton production cross sections' },
  {
    id: 'doi:10.1000/xyz',
    title: 'Sparse mixture routing for long-context language models',
    aliases: ['arxiv:2501.00002'],
  },
  {
    id: 'arxiv:2401.00001',
    title: 'Holographic Gubser flow: a combined analytic and numerical study',
  },
  { id: 'arxiv:2401.00002', title: 'Same title, two papers' },
  { id: 'doi:10.1/twin', title: 'Same Title — Two Papers' },
  { id: 'openreview:AbCdE123', title: 'Graph neural networks for molecular property prediction' },
  { id: 'arxiv:2401.00003', title: 'Graph neural networks for molecular property generation' },
  { id: 'hep-th/9901001', title: 'An old-style identifier for an old paper on branes' },
];

async function match(queries: Omit<MatchQuery, 'ref'>[], batches = 1) {
  const { results } = await matchEntries(
    sourceOf(PAPERS, batches),
    queries.map((query, ref) => ({ ...query, ref })),
  );
  return results.map((result) => (result.matched ? `${result.method} ${result.id}` : 'none'));
}

describe('matchEntries', () => {
  it.each([1, 3])(
    'matches in tiers: id, alias, exact title, fuzzy (built in %d batches)',
    async (batches) => {
      expect(
        await match(
          [
            { title: 'anything', ids: ['arxiv:2408.04000'] },
            { title: 'anything', ids: ['arxiv:2501.00002'] },
            { title: 'QUANTISATION of Type-IIB superstring theory and the matrix model.', ids: [] },
            { title: 'Quantisation of type IIB superstring thoery and the matrix model', ids: [] },
            { title: 'Sparse mixture routing for long-context language…', ids: [] },
            { title: 'Holographic Gubser flow: a combined analytic and study', ids: [] },
            { title: 'calculation of prompt diphoton production cross sections', ids: [] },
          ],
          batches,
        ),
      ).toEqual([
        'id arxiv:2408.04000',
        'alias doi:10.1000/xyz',
        'title arxiv:2408.04000',
        'fuzzy arxiv:2408.04000',
        'truncated doi:10.1000/xyz',
        'fuzzy arxiv:2401.00001',
        'title arxiv:0704.0001',
      ]);
    },
  );

  it('refuses ambiguous and weak matches rather than guessing', async () => {
    expect(
      await match([
        { title: 'same title two papers', ids: [] },
        // One word differs from two indexed titles equally.
        { title: 'Graph neural networks for molecular property design', ids: [] },
        { title: 'Graph neural networks for molecular…', ids: [] },
        { title: 'A paper nobody wrote about superstring branes', ids: [] },
        { title: 'Intro', ids: [] },
      ]),
    ).toEqual(['none', 'none', 'none', 'none', 'none']);
  });

  it('never matches an entry to a paper with a different id of the same kind', async () => {
    expect(
      await match([
        // The page's own arXiv id is not in the index: another arXiv paper with that title is not it.
        {
          title: 'Holographic Gubser flow: a combined analytic and numerical study',
          ids: ['arxiv:2501.09999'],
        },
        // ...but a DOI-only paper with the title may be its published version.
        {
          title: 'Sparse mixture routing for long-context language models',
          ids: ['arxiv:2501.09999'],
        },
      ]),
    ).toEqual(['none', 'title doi:10.1000/xyz']);
  });

  it('reports a confidence and a margin for fuzzy matches', async () => {
    const { results } = await matchEntries(sourceOf(PAPERS), [
      {
        ref: 0,
        title: 'Quantisation of type IIB superstring thoery and the matrix model',
        ids: [],
      },
    ]);
    expect(results[0]?.confidence).toBeGreaterThan(0.8);
    expect(results[0]?.confidence).toBeLessThan(1);
    expect(results[0]?.margin).toBeGreaterThan(0.04);
  });
});

describe('fast title keys', () => {
  it('equal the reference normalizer on arbitrary and title-like strings (property)', () => {
    const titleLike = fc
      .array(
        fc.oneof(
          fc.constantFrom(
            'Deep',
            'learning',
            'Title:',
            '[PDF]',
            'α',
            '$\\alpha$',
            '{\\"o}',
            'é',
            '&amp;',
            '…',
            '...',
            '—',
            'Ω',
          ),
          fc.string({ maxLength: 8 }),
        ),
        { maxLength: 12 },
      )
      .map((words) => words.join(' '));
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 80 }), titleLike), (title) => {
        const key = titleKey(title);
        expect(hashTitleKey(title)).toEqual({ hash: hash53(key), length: key.length });
        expect(titleTokensFast(title)).toEqual(titleTokens(title));
        expect(titleTokens(title).join('')).toBe(key);
      }),
      { numRuns: 2000 },
    );
  });

  it('encodes new-style arXiv ids as numbers and back', () => {
    for (const id of [
      'arxiv:0704.0001',
      'arxiv:1412.9999',
      'arxiv:1501.00001',
      'arxiv:2412.12345',
    ]) {
      expect(arxivFromCode(arxivCode(id))).toBe(id);
    }
    expect(arxivCode('arxiv:hep-th/9901001')).toBe(-1);
    expect(arxivCode('doi:10.1/x')).toBe(-1);
  });

  it('tells typos from different words', () => {
    expect(isTypoPair('thoery', 'theory')).toBe(true);
    expect(isTypoPair('modle', 'model')).toBe(true);
    expect(isTypoPair('models', 'model')).toBe(true);
    expect(isTypoPair('design', 'generation')).toBe(false);
    expect(isTypoPair('gpt3', 'gpt4')).toBe(false);
    expect(isTypoPair('ab', 'ac')).toBe(false);
  });
});
