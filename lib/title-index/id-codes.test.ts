import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { arxivCode, arxivFromCode } from './id-codes';

/** The regular expression `arxivCode` used to be: the hand-written parser must agree with it. */
const NEW_ARXIV = /^arxiv:(\d{4})\.(\d{4,5})$/;

function regexCode(id: string): number {
  const match = NEW_ARXIV.exec(id);
  if (!match?.[1] || !match[2]) return -1;
  return (Number(match[1]) * 100_000 + Number(match[2])) * 2 + (match[2].length === 5 ? 1 : 0);
}

// Pieces of ids, near misses included: other digits (Arabic-Indic, full-width), a version, an
// old-style archive, case, whitespace and line ends the regular expression's `$` does not allow.
const PIECES = [
  'arxiv:', 'arXiv:', 'arxiv', ':', 'doi:10.1/', ...'0123456789', '.', '..', 'v', 'v2', '/',
  'hep-th/', 'math.GT/', '-', ' ', '\n', '\t', 'a', 'Z', '٣', '３', '\u0000', '😀', '\ud835',
]; // prettier-ignore

describe('arxivCode', () => {
  it('reads new-style ids and gives them back', () => {
    for (const [id, code] of [
      ['arxiv:2401.12345', (2401 * 100_000 + 12345) * 2 + 1],
      ['arxiv:0704.0001', (704 * 100_000 + 1) * 2],
      ['arxiv:9999.99999', (9999 * 100_000 + 99999) * 2 + 1],
      ['arxiv:0000.0000', 0],
    ] as const) {
      expect(arxivCode(id)).toBe(code);
      expect(arxivFromCode(code)).toBe(id);
    }
  });

  it.each([
    'arxiv:hep-th/9901001',
    'arxiv:math.GT/0309136',
    'arxiv:2401.12345v2',
    'arxiv:0704.0001v1',
    'arxiv:2401.123',
    'arxiv:2401.123456',
    'arxiv:240.12345',
    'arxiv:24011.2345',
    'arxiv:2401-12345',
    'arXiv:2401.12345',
    'arxiv:2401.1234a',
    'arxiv:2401.12345\n',
    ' arxiv:2401.12345',
    'arxiv:２４０１.12345',
    'arxiv:2401.٣٣٣٣',
    'doi:10.1/x',
    '',
  ])('rejects %j', (id) => {
    expect(arxivCode(id)).toBe(-1);
  });

  it('agrees with the regular expression on generated ids and near misses', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...PIECES), { maxLength: 12 }), (pieces) => {
        const id = pieces.join('');
        expect(arxivCode(id)).toBe(regexCode(id));
      }),
      { numRuns: 20_000 },
    );
    // Well-formed ids with one character swapped for any other (every position, many chars).
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 9999 }),
        fc.integer({ min: 0, max: 99999 }),
        fc.boolean(),
        fc.nat(),
        fc.integer({ min: 0, max: 0xffff }),
        (yymm, number, five, at, code) => {
          const id = `arxiv:${String(yymm).padStart(4, '0')}.${String(five ? number : number % 10_000).padStart(five ? 5 : 4, '0')}`;
          expect(arxivCode(id)).toBe(regexCode(id));
          const index = at % id.length;
          const swapped = id.slice(0, index) + String.fromCharCode(code) + id.slice(index + 1);
          expect(arxivCode(swapped)).toBe(regexCode(swapped));
          expect(arxivCode(id + String.fromCharCode(code))).toBe(
            regexCode(id + String.fromCharCode(code)),
          );
        },
      ),
      { numRuns: 20_000 },
    );
    expect(
      fc
        .sample(fc.string({ maxLength: 20 }), 20_000)
        .every((id) => arxivCode(id) === regexCode(id)),
    ).toBe(true);
  });
});
