import { describe, expect, it } from 'vitest';
import { texToText } from './tex';

describe('TeX to text', () => {
  it.each([
    ['Bounds on $\\alpha^2 \\leq \\mathbb{R}$', 'Bounds on α² ≤ ℝ'],
    ['$H_0$ tension', 'H₀ tension'],
    ['$\\frac{1}{2}$-spin and $\\frac{a+b}{c}$', '1/2-spin and (a+b)/c'],
    ['$O(n^{3/2})$ time', 'O(n^(3/2)) time'],
    ['$\\mathcal{N}=4$ SYM on $AdS_5\\times S^5$', 'N=4 SYM on AdS₅× S⁵'],
    ['Energy $E_{\\text{kin}}$', 'Energy Eₖᵢₙ'],
    ['Unknown $\\foo x$ stays', 'Unknown foo x stays'],
    ['No math at all', 'No math at all'],
    ['<img src=x onerror=alert(1)> $x$', '<img src=x onerror=alert(1)> x'], // text stays text
  ])('%s → %s', (input, expected) => {
    expect(texToText(input)).toBe(expected);
  });
});
