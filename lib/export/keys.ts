/**
 * Citation keys: `<family name><year><first title word>` (Google Scholar's shape, e.g.
 * `vaswani2017attention`), ASCII only. Keys the user brought are kept as they are. Collisions get
 * `b`, `c`, … in order of saving, so a paper's key changes only if an *older* paper newly collides.
 */
import type { CanonicalId, SavedPaper } from '../types';
import { splitName } from './fields';

const SKIP_WORDS = new Set([
  'a',
  'an',
  'the',
  'on',
  'of',
  'in',
  'for',
  'to',
  'and',
  'with',
  'from',
  'towards',
  'toward',
  'is',
  'are',
  'do',
  'does',
  'how',
  'what',
  'why',
  'when',
  'via',
  'by',
  'at',
]);

function ascii(text: string): string {
  return text
    .toLowerCase()
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .replace(/ø/g, 'o')
    .replace(/ß/g, 'ss')
    .replace(/æ/g, 'ae')
    .replace(/ł/g, 'l')
    .replace(/[^a-z0-9]+/g, '');
}

/** The key a paper would get if nothing collided with it. */
export function baseCitationKey(paper: Pick<SavedPaper, 'snapshot'>): string {
  const first = paper.snapshot.authors[0];
  const family = first ? ascii(splitName(first).family) : '';
  const year = /^\d{4}/.exec(paper.snapshot.published ?? '')?.[0] ?? '';
  const word =
    paper.snapshot.title
      .replace(/\$[^$]*\$/g, ' ')
      .split(/[^\p{L}\p{N}]+/u)
      .map(ascii)
      .find((candidate) => candidate.length > 0 && !SKIP_WORDS.has(candidate)) ?? '';
  return `${family || 'anon'}${year}${word}` || 'paper';
}

/** Keys for every paper, unique across the set. Compute it over the whole library, export any subset. */
export function assignCitationKeys(papers: readonly SavedPaper[]): Map<CanonicalId, string> {
  const keys = new Map<CanonicalId, string>();
  const taken = new Set<string>();
  for (const paper of papers) {
    if (paper.citationKey && !taken.has(paper.citationKey)) {
      keys.set(paper.id, paper.citationKey);
      taken.add(paper.citationKey);
    }
  }
  const rest = papers
    .filter((paper) => !keys.has(paper.id))
    .sort((a, b) => a.savedAt - b.savedAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  for (const paper of rest) {
    const base = baseCitationKey(paper);
    let key = base;
    for (let suffix = 1; taken.has(key); suffix += 1) key = `${base}${suffixLetters(suffix)}`;
    keys.set(paper.id, key);
    taken.add(key);
  }
  return keys;
}

/** 1 → b, 2 → c, …, 25 → z, 26 → ba: `a` is left out so `x` and `xa` never look alike. */
function suffixLetters(n: number): string {
  let value = n;
  let out = '';
  do {
    out = String.fromCharCode(97 + (value % 26)) + out;
    value = Math.floor(value / 26);
  } while (value > 0);
  return out;
}
