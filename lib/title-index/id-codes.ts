/**
 * Canonical ids as 32-bit codes, so a million ids fit in 4 MB instead of ~60 MB of strings.
 * New-style arXiv ids (almost all of a catalog) are numbers: `arxiv:YYMM.NNNNN` →
 * `(YYMM·10⁵ + NNNNN)·2 + fiveDigits` (< 2³¹). Every other id is `2³¹ + n`, n indexing a side list.
 */
import type { CanonicalId } from '../types';

export const OTHER_ID = 0x80000000;

const NEW_ARXIV = /^arxiv:(\d{4})\.(\d{4,5})$/;

/** The numeric code of a new-style arXiv id, or -1 for any other id. */
export function arxivCode(id: CanonicalId): number {
  const match = NEW_ARXIV.exec(id);
  if (!match?.[1] || !match[2]) return -1;
  return (Number(match[1]) * 100_000 + Number(match[2])) * 2 + (match[2].length === 5 ? 1 : 0);
}

/** The id a numeric arXiv code stands for. */
export function arxivFromCode(code: number): CanonicalId {
  const five = code % 2 === 1;
  const value = (code - (five ? 1 : 0)) / 2;
  const yymm = Math.floor(value / 100_000);
  const number = value % 100_000;
  return `arxiv:${String(yymm).padStart(4, '0')}.${String(number).padStart(five ? 5 : 4, '0')}`;
}

/** The part before the colon (`arxiv`, `doi`, …): ids of one kind name one paper each. */
export function kindOf(id: CanonicalId): string {
  const colon = id.indexOf(':');
  return colon < 0 ? id : id.slice(0, colon);
}
