import { describe, expect, it } from 'vitest';
import { parseMath, parseTextWithMath } from './math';

describe('math to text nodes', () => {
  it('renders symbols, scripts, blackboard and fractions', () => {
    expect(parseMath('\\alpha_i^{2} \\leq \\mathbb{R}')).toEqual([
      'α',
      { sub: ['i'] },
      { sup: ['2'] },
      ' ≤ ℝ',
    ]);
    expect(parseMath('\\frac{a}{b}')).toEqual(['a/b']);
    expect(parseMath('\\mathcal{O}(n^2)')).toEqual(['𝒪(n', { sup: ['2'] }, ')']);
  });

  it('keeps text outside math and never produces markup', () => {
    expect(parseTextWithMath('The $\\alpha$-divergence <b>x</b>')).toEqual([
      'The ',
      { math: ['α'] },
      '-divergence <b>x</b>',
    ]);
    expect(parseTextWithMath('costs $5 and $6')).toEqual(['costs ', { math: ['5 and '] }, '6']);
  });

  it('survives deep nesting and unbalanced braces', () => {
    expect(() => parseMath('{'.repeat(5000) + 'x^{'.repeat(100))).not.toThrow();
  });
});
