import { describe, expect, it } from 'vitest';
import {
  authorFeature,
  contentWords,
  countOf,
  featureCounts,
  featureOf,
  hashFeature,
  MAX_TERMS,
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

  it('keeps the most frequent MAX_TERMS terms of a long paper, the title among them', () => {
    const words = Array.from({ length: 400 }, (_, index) => `w${index.toString(36)}x`);
    const paper = { title: 'Graphene superlattice', abstract: words.join(' '), authors: ['A B'] };
    const vector = vectorize(paper);
    expect(vector).toHaveLength(MAX_TERMS);
    const ids = Array.from(vector, featureOf);
    for (const title of ['graphene', 'superlattice', 'graphene superlattice'])
      expect(ids).toContain(hashFeature(title));
    expect(Array.from(vectorize(paper))).toEqual(Array.from(vector)); // same choice every time
    // The dropped terms leave nothing behind in the shared counter.
    expect(Array.from(vectorize({ title: 'w1x' }), countOf)).toEqual([2]);
  });
});
