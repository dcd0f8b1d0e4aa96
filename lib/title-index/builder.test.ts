import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { titleTokensFast } from '../normalize';
import { keyHashOfTokens, LookupBuilder, pairOrder, type LookupEntry } from './builder';
import { contentTokens, emptyCore, emptyFuzzy, FuzzyIndex, PaperLookup } from './lookup';

const fresh = (logLimit?: number): LookupBuilder =>
  new LookupBuilder(new PaperLookup(emptyCore()), new FuzzyIndex(emptyFuzzy()), logLimit);

const keyOf = (title: string): number => keyHashOfTokens(titleTokensFast(title)) ?? -1;

/** Frozen structures with their typed arrays as base64 (deep equality walks them slowly). */
function flat(frozen: object): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [part, row] of Object.entries(frozen)) {
    for (const [key, value] of Object.entries(row as object)) {
      out[`${part}.${key}`] = ArrayBuffer.isView(value)
        ? `${value.constructor.name}:${Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('base64')}`
        : value;
    }
  }
  return out;
}

function entries(count: number, from = 0): LookupEntry[] {
  return Array.from({ length: count }, (_, index) => {
    const ord = from + index;
    return {
      id: `arxiv:2402.${String(ord).padStart(5, '0')}`,
      // Some titles are shared by two papers.
      title: `Sparse lattice models number ${ord % 5 === 0 ? ord + 1 : ord}`,
      ...(ord % 7 === 0 ? { aliases: [`doi:10.1/${ord}`] } : {}),
    };
  });
}

describe('look-up builder', () => {
  it('keeps a log up to its limit, then only counts, and builds the same structures', () => {
    const limited = fresh(3);
    const unlimited = fresh();
    for (const entry of entries(40)) {
      limited.add(entry);
      unlimited.add(entry);
    }
    limited.update(5, { title: 'A retitled paper', aliases: ['doi:10.1/x'] });
    unlimited.update(5, { title: 'A retitled paper', aliases: ['doi:10.1/x'] });
    expect(limited.changes).toBeNull();
    expect(limited.changeCount).toBe(41);
    expect(unlimited.changes).toHaveLength(41);
    expect(unlimited.changeCount).toBe(41);
    expect(limited.freeze(7)).toEqual(unlimited.freeze(7));
  });

  it('keeps the log while under its limit, and a replay of it builds the same structures', () => {
    const builder = fresh(10);
    for (const entry of entries(6)) builder.add(entry);
    builder.update(2, { title: 'Another title' });
    const changes = builder.changes;
    expect(changes).toHaveLength(7);
    const replayed = fresh(10);
    replayed.replay(changes ?? []);
    expect(replayed.freeze(3)).toEqual(builder.freeze(3));
  });

  it('finds every paper added under a title, and a retitled paper under both titles', () => {
    const builder = fresh();
    builder.add({ id: 'arxiv:2402.00001', title: 'Shared title of two papers' });
    builder.add({ id: 'arxiv:2402.00002', title: 'Another paper' });
    builder.add({ id: 'arxiv:2402.00003', title: 'Shared Title of Two Papers!' });
    builder.add({ id: 'arxiv:2402.00004', title: 'Shared title of two papers' });
    expect(builder.findTitle(keyOf('Shared title of two papers')).sort()).toEqual([0, 2, 3]);
    builder.update(1, { title: 'Shared title of two papers' });
    expect(builder.findTitle(keyOf('Shared title of two papers')).sort()).toEqual([0, 1, 2, 3]);
    expect(builder.findTitle(keyOf('Another paper'))).toEqual([1]);
    expect(builder.findTitle(keyOf('Not there'))).toEqual([]);
    const frozen = new PaperLookup(builder.freeze(1).core);
    expect(frozen.findTitle(keyOf('Shared title of two papers')).sort()).toEqual([0, 1, 2, 3]);
  });

  it('over a frozen base, finds what one builder over everything finds, log or no log', () => {
    const whole = fresh();
    for (const entry of entries(300)) whole.add(entry);
    const first = fresh();
    for (const entry of entries(200)) first.add(entry);
    const base = first.freeze(1);
    const over = (logLimit?: number): LookupBuilder => {
      const builder = new LookupBuilder(
        new PaperLookup(base.core),
        new FuzzyIndex(base.fuzzy),
        logLimit,
      );
      for (const entry of entries(100, 200)) builder.add(entry);
      return builder;
    };
    const rest = new PaperLookup(over(5).freeze(2).core);
    expect(over(5).freeze(2)).toEqual(over().freeze(2));
    const all = new PaperLookup(whole.freeze(2).core);
    for (const entry of entries(300)) {
      expect(rest.findId(entry.id)).toBe(all.findId(entry.id));
      expect(rest.findTitle(keyOf(entry.title)).sort()).toEqual(
        all.findTitle(keyOf(entry.title)).sort(),
      );
      for (const alias of entry.aliases ?? []) {
        expect(rest.findAlias(alias)).toBe(all.findAlias(alias));
      }
    }
  });

  it('stores each title as the normalizer tokenizes it, read in place or not (property)', () => {
    const word = fc.oneof(
      fc.constantFrom('the', 'OF', 'And', 'a', 'with', 'We', 'our', 'is'),
      fc.constantFrom('Graph', 'NEURAL', 'networks', 'x2', '3D', 'BERT', 'naïve', 'Über', 'αβ'),
      fc.constantFrom('&amp;', '$\\alpha$', '{\\"o}', 'Title:', '[PDF]', '…', '...', '—'),
      fc.stringMatching(/^[A-Za-z0-9]{1,12}$/),
      fc.string({ maxLength: 6 }),
    );
    const title = fc.oneof(
      fc.array(word, { maxLength: 12 }).map((words) => words.join(' ')),
      fc.array(word, { minLength: 60, maxLength: 90 }).map((words) => words.join(' ')),
      // More content words than a title keeps.
      fc
        .array(fc.stringMatching(/^[a-z]{4,7}[0-9]$/), { minLength: 58, maxLength: 70 })
        .map((words) => words.join(' ')),
      fc
        .tuple(fc.array(word, { maxLength: 8 }), fc.constantFrom(' ', '-', ', ', ': '))
        .map(([words, glue]) => words.join(glue)),
    );
    fc.assert(
      fc.property(fc.array(title, { minLength: 1, maxLength: 20 }), (titles) => {
        const builder = fresh();
        titles.forEach((text, ord) => {
          builder.add({ id: `arxiv:2402.${String(ord).padStart(5, '0')}`, title: text });
        });
        const frozen = builder.freeze(1);
        const fuzzy = new FuzzyIndex(frozen.fuzzy);
        const lookup = new PaperLookup(frozen.core);
        const ids = new Uint32Array(256);
        titles.forEach((text, ord) => {
          const tokens = titleTokensFast(text);
          const count = fuzzy.docTokens(ord, ids);
          const stored = Array.from(ids.subarray(0, count), (id) => fuzzy.tokenString(id));
          expect(stored).toEqual(contentTokens(tokens));
          const key = keyHashOfTokens(tokens);
          if (key !== null) expect(lookup.findTitle(key)).toContain(ord);
        });
      }),
      { numRuns: 300 },
    );
  });

  it('builds the same structures from titles read in place as through the full normalizer', () => {
    const word = fc.oneof(
      fc.constantFrom('the', 'OF', 'And', 'a', 'with', 'We', 'our', 'is', 'Title:', '[PDF]'),
      fc.stringMatching(/^[A-Za-z0-9]{1,12}$/),
      fc.string({ maxLength: 6 }),
    );
    const title = fc.oneof(
      fc.array(word, { maxLength: 12 }).map((words) => words.join(' ')),
      fc
        .array(fc.stringMatching(/^[a-z]{3,7}[0-9]?$/), { minLength: 55, maxLength: 70 })
        .map((words) => words.join(' ')),
    );
    fc.assert(
      fc.property(fc.array(title, { minLength: 1, maxLength: 30 }), (titles) => {
        const inPlace = fresh();
        // A no-break space in front changes no token, and sends every title the full way.
        const normalized = fresh();
        titles.forEach((text, ord) => {
          const id = `arxiv:2402.${String(ord).padStart(5, '0')}`;
          inPlace.add({ id, title: text });
          normalized.add({ id, title: `\u00a0${text}` });
        });
        expect(flat(inPlace.freeze(1))).toEqual(flat(normalized.freeze(1)));
      }),
      { numRuns: 200 },
    );
  });

  it('orders (hash, ord) pairs as a comparator sort does, ties and repeats included (property)', () => {
    const hash = fc.oneof(
      fc.constantFrom(0, 1, 65_535, 65_536, 2 ** 32 - 1, 2 ** 32, 2 ** 48, 2 ** 53 - 1),
      fc.integer({ min: 0, max: 2 ** 20 }),
      fc.double({ min: 0, max: 2 ** 53 - 1, noNaN: true }).map(Math.floor),
    );
    const ord = fc.oneof(fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: 2 ** 24 - 1 }));
    fc.assert(
      fc.property(fc.array(fc.tuple(hash, ord), { maxLength: 300 }), (pairs) => {
        const hashes = Float64Array.from(pairs, ([value]) => value);
        const ords = Uint32Array.from(pairs, ([, value]) => value);
        const sorted = [...pairs].sort((a, b) => a[0] - b[0] || a[1] - b[1]);
        const ordered = Array.from(pairOrder(hashes, ords), (at) => pairs[at]);
        expect(ordered).toEqual(sorted);
      }),
      { numRuns: 500 },
    );
  });
});
