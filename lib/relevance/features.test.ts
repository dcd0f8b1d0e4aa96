import { describe, expect, it } from 'vitest';
import {
  authorFeature,
  contentWords,
  countOf,
  featureCounts,
  featureOf,
  hashFeature,
  packCounts,
  stem,
  vectorize,
} from './features';

describe('relevance features', () => {
  it('folds plurals without mangling words', () => {
    expect(
      ['networks', 'studies', 'classes', 'corpus', 'analysis', 'physics', 'gas'].map(stem),
    ).toEqual(['network', 'study', 'class', 'corpus', 'analysis', 'physics', 'gas']);
  });

  it('normalizes accents, LaTeX and case, and drops stop words and numbers', () => {
    expect(contentWords('The Café of $\\Alpha$-Particles in 2024, using CNNs')).toEqual([
      'cafe',
      'alpha',
      'particle',
      'cnn',
    ]);
  });

  it('counts words, adjacent pairs (title twice) and authors', () => {
    const counts = featureCounts({
      title: 'Sparse attention',
      abstract: 'Sparse models.',
      authors: ['LeCun, Yann'],
    });
    expect(Object.fromEntries(counts)).toEqual({
      sparse: 3,
      attention: 2,
      'sparse attention': 2,
      model: 1,
      'sparse model': 1,
      'a:lecun y': 1,
    });
    expect(authorFeature('Yann LeCun')).toBe('a:lecun y');
  });

  it('hashes to the same vector on the fast path and the named path', () => {
    const paper = {
      title: 'Diffusion Policies for Robots',
      abstract: 'We study diffusion policies.',
      authors: ['A. B. Cee'],
    };
    expect([...vectorize(paper)]).toEqual([...packCounts(featureCounts(paper))]);
  });

  it('packs sorted feature ids with their counts', () => {
    const vector = vectorize({ title: 'alpha beta alpha' });
    const ids = [...vector].map(featureOf);
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
    expect(countOf(vector[ids.indexOf(hashFeature('alpha'))] ?? 0)).toBe(4);
  });
});
