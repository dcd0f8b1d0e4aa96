import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LookupBuilder } from './builder';
import {
  emptyCore,
  emptyFuzzy,
  FuzzyIndex,
  PaperLookup,
  POSTING_BLOCK,
  PostingCursor,
  splitDf,
} from './lookup';

/** 3,000 papers; word k is in every k-th one: lists from a few papers to several blocks. */
function indexWithLists(): { fuzzy: FuzzyIndex; expected: Map<string, number[]> } {
  const steps = [1, 15, 16, 40, 45, 61, 400];
  const builder = new LookupBuilder(new PaperLookup(emptyCore()), new FuzzyIndex(emptyFuzzy()));
  const expected = new Map<string, number[]>(steps.map((step) => [`word${step}x`, []]));
  for (let ord = 0; ord < 3000; ord += 1) {
    const words = steps.filter((step) => ord % step === 0).map((step) => `word${step}x`);
    for (const word of words) expected.get(word)?.push(ord);
    builder.add({
      id: `arxiv:2403.${String(ord).padStart(5, '0')}`,
      title: `${words.join(' ')} p${ord}`,
    });
  }
  return { fuzzy: new FuzzyIndex(builder.freeze(1).fuzzy), expected };
}

describe('posting lists', () => {
  const { fuzzy, expected } = indexWithLists();

  it('decode to the papers that have the word, short lists and long ones with skips', () => {
    const indexed = [...expected.keys()].map((word) => fuzzy.postingCount(fuzzy.tokenId(word)));
    expect(Math.max(...indexed)).toBeGreaterThan(3 * POSTING_BLOCK);
    for (const [word, ords] of expected) {
      const id = fuzzy.tokenId(word);
      expect(fuzzy.df(id)).toBe(ords.length);
      if (fuzzy.postingCount(id) === 0) continue; // too common to index: no list at all
      const cursor = new PostingCursor().reset(fuzzy, id);
      const seen: number[] = [];
      for (; cursor.value !== Infinity; cursor.next()) seen.push(cursor.value);
      expect(seen, word).toEqual(ords);
    }
  });

  it('decode whole to the same papers as a cursor steps through', () => {
    const out = new Int32Array(3000);
    for (const [word, ords] of expected) {
      const id = fuzzy.tokenId(word);
      const count = fuzzy.decodePostings(id, out);
      expect(count, word).toBe(fuzzy.postingCount(id));
      if (count > 0) expect(Array.from(out.subarray(0, count)), word).toEqual(ords);
    }
  });

  it('advanceTo lands on the first paper at or after any rising sequence of targets', () => {
    const lists = [...expected].filter(([word]) => fuzzy.postingCount(fuzzy.tokenId(word)) > 0);
    fc.assert(
      fc.property(
        fc.constantFrom(...lists),
        fc.array(fc.integer({ min: 0, max: 3100 }), { maxLength: 40 }),
        ([word, ords], targets) => {
          const cursor = new PostingCursor().reset(fuzzy, fuzzy.tokenId(word));
          for (const target of [...targets].sort((a, b) => a - b)) {
            cursor.advanceTo(target);
            expect(cursor.value).toBe(ords.find((ord) => ord >= target) ?? Infinity);
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('document frequencies must fall with the token id to be split into head and tail', () => {
    expect(splitDf(Uint32Array.from([900, 300, 255, 254, 3, 1]))).toEqual({
      dfHead: Uint32Array.from([900, 300, 255]),
      dfTail: Uint8Array.from([254, 3, 1]),
    });
    expect(() => splitDf(Uint32Array.from([900, 3, 300]))).toThrow();
  });
});
