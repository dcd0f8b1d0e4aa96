import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  AsciiWords,
  hash53,
  hashTitleKey,
  isPlainAscii,
  titleKey,
  titleTokensFast,
  wordHash,
} from '../normalize';

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

describe('AsciiWords', () => {
  it('reads what isPlainAscii, titleTokensFast, wordHash and hashTitleKey read', () => {
    const words = new AsciiWords();
    fc.assert(
      fc.property(
        fc.oneof(
          fc.array(fc.constantFrom(...PIECES), { maxLength: 24 }).map((pieces) => pieces.join('')),
          // Longer than the spans array starts out.
          fc
            .array(fc.stringMatching(/^[A-Za-z0-9]{1,4}$/), { minLength: 60, maxLength: 150 })
            .map((pieces) => pieces.join(' ')),
        ),
        (raw) => {
          expect(words.read(raw)).toBe(isPlainAscii(raw));
          if (!isPlainAscii(raw)) return;
          const read = Array.from({ length: words.count }, (_, word) => {
            const [start, end, hash] = words.spans.subarray(word * 3, word * 3 + 3);
            return { word: raw.slice(start, end).toLowerCase(), hash };
          });
          expect(read.map((item) => item.word)).toEqual(titleTokensFast(raw));
          for (const item of read) {
            expect(item.hash).toBe(wordHash(item.word, 0, item.word.length, false));
          }
          if (words.count > 0) expect(words.keyHash).toBe(hashTitleKey(raw).hash);
        },
      ),
      { numRuns: 3000 },
    );
  });
});
