import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hasShared, readCorpus, SKIP_SHARED_REASON } from '../tests/shared';
import { cleanTitle, isTruncatedTitle, titleKey } from './normalize';

describe('titleKey', () => {
  it.each([
    ['Attention Is All You Need', 'attention is all you need'],
    ['Attention is all you need.', 'ATTENTION IS ALL YOU NEED'],
    [
      'Pre-training of Deep  Bidirectional\nTransformers',
      'Pretraining of deep bidirectional transformers',
    ],
    ['A Study — of “Quotes” and – dashes', 'A study of "quotes" and - dashes'],
    ['$\\alpha$-Divergence Variational Inference', 'α-divergence variational inference'],
    ['\\textbf{Schr{\\"o}dinger} bridges', 'Schrödinger Bridges'],
    ['Efﬁcient ﬂows', 'Efficient flows'],
    ['Title: Holographic Gubser flow', 'Holographic Gubser flow'],
    ['Q&amp;A over tables', 'Q&A over tables'],
    ['$\\mathcal{O}(n)$ attention', 'O(n) attention'],
    ['Ω-nets and $\\Omega$-nets', 'ω-nets and ω-nets'],
  ])('%j ≡ %j', (a, b) => {
    expect(titleKey(a)).toBe(titleKey(b));
    expect(titleKey(a).length).toBeGreaterThan(0);
  });

  it('keeps different titles apart', () => {
    expect(titleKey('Deep learning for graphs')).not.toBe(titleKey('Deep learning for grids'));
  });

  it('keeps non-Latin titles', () => {
    expect(titleKey('深度学习综述')).toBe('深度学习综述');
  });

  it('cleans descriptors and Scholar prefixes for display', () => {
    expect(cleanTitle('  [PDF] [HTML]  Deep   learning ')).toBe('Deep learning');
    expect(cleanTitle('Title:\n  Holographic flow')).toBe('Holographic flow');
  });

  it('sees truncation marks', () => {
    expect(isTruncatedTitle('A very long title that…')).toBe(true);
    expect(isTruncatedTitle('A very long title that ...')).toBe(true);
    expect(isTruncatedTitle('A full title.')).toBe(false);
  });

  it('is invariant under case, whitespace and punctuation noise (property)', () => {
    fc.assert(
      // LaTeX command names are case-sensitive (`\\ss` is ß, `\\SS` is nothing), so no backslashes here.
      fc.property(
        fc.string({ maxLength: 120 }).filter((title) => !title.includes('\\')),
        (title) => {
          const key = titleKey(title);
          expect(titleKey(title.toUpperCase())).toBe(titleKey(title.toUpperCase().toLowerCase()));
          expect(titleKey(` ${title.replace(/ /g, '  ')}. `)).toBe(key);
        },
      ),
      { numRuns: 1000 },
    );
  });

  it.skipIf(!hasShared)(
    `key(t) = key(upper(t)) = key(lower(t)) over the real corpus ${hasShared ? '' : SKIP_SHARED_REASON}`,
    () => {
      const corpus = readCorpus();
      expect(corpus.length).toBeGreaterThan(250);
      for (const { title } of corpus) {
        const key = titleKey(title);
        expect(key.length).toBeGreaterThan(5);
        expect(titleKey(title.toUpperCase())).toBe(key);
        expect(titleKey(title.toLowerCase())).toBe(key);
      }
    },
  );
});
