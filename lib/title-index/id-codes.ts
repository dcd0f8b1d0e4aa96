/**
 * Canonical ids as 32-bit codes, so a million ids fit in 4 MB instead of ~60 MB of strings.
 * New-style arXiv ids (almost all of a catalog) are numbers: `arxiv:YYMM.NNNNN` →
 * `(YYMM·10⁵ + NNNNN)·2 + fiveDigits` (< 2³¹). Every other id is `2³¹ + n`, n indexing a side list.
 */
import type { CanonicalId } from '../types';

export const OTHER_ID = 0x80000000;

/** `arxiv:YYMM.` : the prefix and the fixed part of a new-style id, as char codes. */
const PREFIX = [97, 114, 120, 105, 118, 58]; // a r x i v :
const DIGIT_0 = 48;
const DOT = 46;

/**
 * The numeric code of a new-style arXiv id (`arxiv:` four digits `.` four or five digits, as
 * `/^arxiv:(\d{4})\.(\d{4,5})$/` reads it), or -1 for any other id. Read by char code: every
 * paper of an import goes through here, and the regular expression took ~1 s of a million.
 */
export function arxivCode(id: CanonicalId): number {
  const length = id.length;
  if (length !== 15 && length !== 16) return -1;
  for (let at = 0; at < 6; at += 1) if (id.charCodeAt(at) !== PREFIX[at]) return -1;
  if (id.charCodeAt(10) !== DOT) return -1;
  let yymm = 0;
  for (let at = 6; at < 10; at += 1) {
    const digit = id.charCodeAt(at) - DIGIT_0;
    if (digit < 0 || digit > 9) return -1;
    yymm = yymm * 10 + digit;
  }
  let number = 0;
  for (let at = 11; at < length; at += 1) {
    const digit = id.charCodeAt(at) - DIGIT_0;
    if (digit < 0 || digit > 9) return -1;
    number = number * 10 + digit;
  }
  return (yymm * 100_000 + number) * 2 + (length === 16 ? 1 : 0);
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
