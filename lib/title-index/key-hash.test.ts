import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hash53, hashTitleKey, titleKey } from '../normalize';

// Characters that exercise every branch of the one-pass key hash: ASCII letters, digits and
// punctuation, markup that needs the full path (& \ $), accents precomposed and combining,
// Greek, ligatures, typographic quotes and dashes, odd spaces, other scripts and astral ones.
const PIECES = [
  ...'aZq09 -:,.?!()[]\'"\t\n',
  '&amp;', '&#233;', '\\alpha', '$x$', '{\\"o}',
  'é', 'Ö', 'ñ', 'ç', 'ø', 'ß', 'æ', 'Ł', 'İ', 'e\u0301', '\u0308',
  'α', 'Σ', 'ς', 'μ', 'ϵ', 'ﬁ', 'ﬂ', '½', '²', 'Ⅻ', '㎏',
  '“', '”', '‘', '’', '–', '—', '‐', '−', '…', '\u00a0', '\u2009', '\u200b', '·',
  '中文', 'Ж', 'ا', '😀', '𝒳', '\ud835',
  'Title:', '[PDF]', 'title :',
]; // prettier-ignore

describe('hashTitleKey', () => {
  it('equals the hash of the full title key for any mix of scripts, marks and markup', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...PIECES), { maxLength: 24 }), (pieces) => {
        const raw = pieces.join('');
        const key = titleKey(raw);
        expect(hashTitleKey(raw)).toEqual({ hash: hash53(key), length: key.length });
      }),
      { numRuns: 3000 },
    );
  });

  it('agrees on real renderings of one title', () => {
    const renderings = [
      'Schrödinger Bridges — a “Unified” View…',
      'SCHRÖDINGER BRIDGES - A UNIFIED VIEW',
      'Schr{\\"o}dinger Bridges: a Unified View',
      'Title:\u00a0Schro\u0308dinger Bridges – a Unified View',
    ];
    const hashes = renderings.map((title) => hashTitleKey(title).hash);
    expect(new Set(hashes).size).toBe(1);
    expect(hashes[0]).toBe(hash53(titleKey(renderings[0] ?? '')));
  });
});
