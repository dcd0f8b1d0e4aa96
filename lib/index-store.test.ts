import { describe, expect, it, vi } from 'vitest';
import { openIndexDb } from './db';
import {
  BUCKET_SIZE,
  countPapers,
  dedupeById,
  dropLoadedLookup,
  flushLookup,
  forEachPaper,
  getPaper,
  getPapers,
  matchPapers,
  resolveIds,
  upsertPapers,
} from './index-store';
import { titleKey } from './normalize';
import { isPackedRow, unpackRow } from './title-index/packing';
import type { IndexPaper } from './types';

let counter = 0;
function freshDb(): ReturnType<typeof openIndexDb> {
  counter += 1;
  return openIndexDb(`index-store-${counter}`);
}

function paper(id: string, title: string, extra: Partial<IndexPaper> = {}): IndexPaper {
  return { id, title, titleKey: titleKey(title), authors: [], sources: ['import'], ...extra };
}

const many = (count: number, from = 0): IndexPaper[] =>
  Array.from({ length: count }, (_, index) =>
    paper(
      `arxiv:2401.${String(from + index).padStart(5, '0')}`,
      `Paper number ${from + index} on quasi-periodic lattices`,
    ),
  );

describe('index store', () => {
  it('collapses repeated ids of a batch into the first place, merged, and keeps the rest as is', () => {
    const distinct = many(5);
    expect(dedupeById(distinct)).toEqual(distinct);
    expect(dedupeById(distinct)).not.toBe(distinct);
    const first = paper('arxiv:2401.00001', 'A title', { authors: ['A. Author'] });
    const again = paper('arxiv:2401.00001', 'A title', { abstract: 'Its abstract.' });
    const deduped = dedupeById([
      many(1)[0] as IndexPaper,
      first,
      many(1, 7)[0] as IndexPaper,
      again,
    ]);
    expect(deduped.map((item) => item.id)).toEqual([
      'arxiv:2401.00000',
      'arxiv:2401.00001',
      'arxiv:2401.00007',
    ]);
    expect(deduped[1]).toMatchObject({ authors: ['A. Author'], abstract: 'Its abstract.' });
  });

  it('stores papers in buckets and reads them back by id, across bucket boundaries', async () => {
    const db = freshDb();
    const progress: number[] = [];
    const result = await upsertPapers(db, many(1200), {
      onProgress: ({ done }) => progress.push(done),
    });
    expect(result).toEqual({ added: 1200, updated: 0 });
    expect(progress).toEqual([1200]);
    expect(await countPapers(db)).toBe(1200);
    expect(await db.paperBuckets.count()).toBe(Math.ceil(1200 / BUCKET_SIZE));
    const ids = ['arxiv:2401.00000', 'arxiv:2401.00511', 'arxiv:2401.00512', 'arxiv:2401.01199'];
    const found = await getPapers(db, [...ids, 'arxiv:2401.09999', 'doi:10.1/none']);
    expect([...found.keys()].sort()).toEqual(ids);
    expect(found.get('arxiv:2401.00512')?.title).toBe(
      'Paper number 512 on quasi-periodic lattices',
    );
    expect(found.get('arxiv:2401.00512')?.titleKey).toBe('papernumber512onquasiperiodiclattices');
    const seen: string[] = [];
    await forEachPaper(db, (item) => {
      seen.push(item.id);
    });
    expect(seen).toHaveLength(1200);
    expect(seen[513]).toBe('arxiv:2401.00513');
  });

  it('merges by canonical id: keeps fields, takes a new title, and both titles keep matching', async () => {
    const db = freshDb();
    await upsertPapers(db, [
      paper('arxiv:2408.04000', 'Quantisation of type IIB superstrings', { abstract: 'Short.' }),
      paper('doi:10.1000/other', 'An unrelated paper about sheaf cohomology'),
    ]);
    const result = await upsertPapers(db, [
      paper('arxiv:2408.04000', 'Quantisation of type IIB superstring theory', {
        aliases: ['doi:10.1000/quant'],
        authors: ['Y. Asano'],
      }),
    ]);
    expect(result).toEqual({ added: 0, updated: 1 });
    const merged = await getPaper(db, 'arxiv:2408.04000');
    expect(merged).toMatchObject({
      title: 'Quantisation of type IIB superstring theory',
      abstract: 'Short.',
      authors: ['Y. Asano'],
      aliases: ['doi:10.1000/quant'],
    });
    expect(await countPapers(db)).toBe(2);
    expect(await resolveIds(db, ['doi:10.1000/quant', 'arxiv:2408.04000', 'doi:x/y'])).toEqual(
      new Map([
        ['doi:10.1000/quant', 'arxiv:2408.04000'],
        ['arxiv:2408.04000', 'arxiv:2408.04000'],
      ]),
    );
    const results = await matchPapers(db, [
      { ref: 0, title: 'Quantisation of Type IIB Superstrings', ids: [] },
      { ref: 1, title: 'Quantisation of type IIB superstring theory.', ids: [] },
      { ref: 2, title: 'whatever', ids: ['doi:10.1000/quant'] },
    ]);
    expect(results.map((item) => [item.id, item.method])).toEqual([
      ['arxiv:2408.04000', 'title'],
      ['arxiv:2408.04000', 'title'],
      ['arxiv:2408.04000', 'alias'],
    ]);
  });

  it('persists the look-up structures: a restarted worker matches without rebuilding', async () => {
    const db = freshDb();
    await upsertPapers(db, many(700));
    // Small writes are journaled, not merged: a restart replays them.
    const empty = await db.meta.get('lookup:core');
    expect((empty?.value as { count: number }).count).toBe(0);
    expect((await db.meta.get('lookup:pending'))?.value).toMatchObject({ revision: 1 });
    dropLoadedLookup(db);
    const query = { ref: 0, title: 'paper number 650 on quasi periodic lattices', ids: [] };
    expect((await matchPapers(db, [query]))[0]).toMatchObject({
      id: 'arxiv:2401.00650',
      method: 'title',
    });
    expect(await db.meta.get('lookup:core')).toEqual(empty);
    // A large write merges them into new frozen structures, and a restart just loads those.
    await upsertPapers(db, many(6000, 1000));
    const stored = await db.meta.get('lookup:core');
    expect(stored).toBeDefined();
    expect(await db.meta.get('lookup:pending')).toBeUndefined();
    dropLoadedLookup(db);
    expect((await matchPapers(db, [query]))[0]?.id).toBe('arxiv:2401.00650');
    expect(
      (
        await matchPapers(db, [
          { ref: 0, title: 'Paper number 6500 on quasi-periodic lattices', ids: [] },
        ])
      )[0]?.id,
    ).toBe('arxiv:2401.06500');
    expect(await db.meta.get('lookup:core')).toEqual(stored);
  });

  it('a cold start asked for titles reads the fuzzy part with the rest; one asked for ids does not', async () => {
    const db = freshDb();
    await upsertPapers(db, many(6000));
    const keysRead = (): unknown[] => read.mock.calls.map(([key]) => key);
    const read = vi.spyOn(db.meta, 'get');
    dropLoadedLookup(db);
    const byId = { ref: 0, title: '', ids: ['arxiv:2401.00042'] };
    expect((await matchPapers(db, [byId]))[0]?.id).toBe('arxiv:2401.00042');
    expect(keysRead()).not.toContain('lookup:fuzzy');
    dropLoadedLookup(db);
    read.mockClear();
    // Every title here matches exactly, yet a page's titles nearly always include some that
    // don't: the fuzzy part comes with the same load instead of a second read after it.
    const exact = { ref: 0, title: 'Paper number 42 on quasi-periodic lattices', ids: [] };
    expect((await matchPapers(db, [exact]))[0]?.id).toBe('arxiv:2401.00042');
    expect(keysRead().filter((key) => key === 'lookup:fuzzy')).toHaveLength(1);
    const typo = { ref: 0, title: 'Paper number 42 on quasi-periodic latices', ids: [] };
    expect((await matchPapers(db, [typo]))[0]).toMatchObject({ id: 'arxiv:2401.00042' });
    expect(keysRead().filter((key) => key === 'lookup:fuzzy')).toHaveLength(1);
  });

  /**
   * Holds the next read of the fuzzy row's bytes until `release` (other reads go through as
   * usual): for a packed row, the read of its Blob (the record itself is a handle, read with the
   * core one); for one stored before packing, the read of the record.
   */
  function holdFuzzyRead(db: ReturnType<typeof openIndexDb>) {
    const get = db.meta.get.bind(db.meta) as (
      key: string,
    ) => Promise<{ value: unknown } | undefined>;
    let release = (): void => undefined;
    const gate = new Promise<void>((done) => {
      release = done;
    });
    class HeldBlob extends Blob {
      override arrayBuffer(): Promise<ArrayBuffer> {
        return gate.then(() => super.arrayBuffer());
      }
    }
    let holding = true;
    const read = vi.spyOn(db.meta, 'get').mockImplementation(((key: string) => {
      if (key !== 'lookup:fuzzy' || !holding) return get(key);
      holding = false;
      return get(key).then((row) => {
        const value = row?.value;
        if (!isPackedRow(value)) return gate.then(() => row);
        return { ...row, value: { ...value, packed: new HeldBlob([value.packed]) } };
      });
    }) as never);
    const fuzzyReads = (): number =>
      read.mock.calls.map(([key]) => key as unknown).filter((key) => key === 'lookup:fuzzy').length;
    return { release, fuzzyReads };
  }

  it('a cold start matches ids and exact titles while the fuzzy part is still arriving', async () => {
    const db = freshDb();
    await upsertPapers(db, many(6000));
    const held = holdFuzzyRead(db);
    dropLoadedLookup(db);
    const exact = { ref: 0, title: 'Paper number 42 on quasi-periodic lattices', ids: [] };
    const byId = { ref: 1, title: 'Some other rendering', ids: ['arxiv:2401.00043'] };
    const answered = await matchPapers(db, [exact, byId]);
    expect(answered.map((result) => result.id)).toEqual(['arxiv:2401.00042', 'arxiv:2401.00043']);
    const typo = { ref: 0, title: 'Paper number 42 on quasi-periodic latices', ids: [] };
    let settled = false;
    const fuzzy = matchPapers(db, [typo]).finally(() => {
      settled = true;
    });
    await new Promise((done) => setTimeout(done, 20));
    expect(settled).toBe(false);
    held.release();
    expect((await fuzzy)[0]).toMatchObject({ id: 'arxiv:2401.00042', method: 'fuzzy' });
    // The early read serves it: the row is read once.
    expect(held.fuzzyReads()).toBe(1);
  });

  /** Stores the look-up rows as an earlier version did: typed arrays inline in the records. */
  async function storeUnpacked(db: ReturnType<typeof openIndexDb>): Promise<void> {
    const core = await unpackRow((await db.meta.get('lookup:core'))?.value);
    const fuzzy = await unpackRow((await db.meta.get('lookup:fuzzy'))?.value);
    await db.meta.bulkPut([
      { key: 'lookup:core', value: core },
      { key: 'lookup:fuzzy', value: fuzzy },
    ]);
  }

  it('structures stored before packing still load, and are stored packed once read', async () => {
    const db = freshDb();
    await upsertPapers(db, many(6000));
    await storeUnpacked(db);
    dropLoadedLookup(db);
    const queries = [
      { ref: 0, title: 'Paper number 42 on quasi-periodic lattices', ids: [] },
      { ref: 1, title: 'Paper number 4321 on quasi-periodic latices', ids: [] },
      { ref: 2, title: '', ids: ['arxiv:2401.05999'] },
    ];
    const before = await matchPapers(db, queries);
    expect(before.map((result) => [result.id, result.method])).toEqual([
      ['arxiv:2401.00042', 'title'],
      ['arxiv:2401.04321', 'fuzzy'],
      ['arxiv:2401.05999', 'id'],
    ]);
    await vi.waitFor(async () => {
      expect(isPackedRow((await db.meta.get('lookup:fuzzy'))?.value)).toBe(true);
    });
    expect(isPackedRow((await db.meta.get('lookup:core'))?.value)).toBe(true);
    dropLoadedLookup(db);
    expect(await matchPapers(db, queries)).toEqual(before);
  });

  it('rows stored before packing are not stored again once the index has moved on', async () => {
    const db = freshDb();
    await upsertPapers(db, many(6000));
    await storeUnpacked(db);
    const held = holdFuzzyRead(db);
    dropLoadedLookup(db);
    const typo = { ref: 0, title: 'Paper number 4321 on quasi-periodic latices', ids: [] };
    const answer = matchPapers(db, [typo]);
    await new Promise((done) => setTimeout(done, 20));
    // Another context's write commits meanwhile (as its revision shows; a write here would wait
    // for the structures being read).
    const stats = (await db.meta.get('stats'))?.value as { revision: number };
    await db.meta.put({ key: 'stats', value: { ...stats, revision: stats.revision + 1 } });
    held.release();
    expect((await answer)[0]?.id).toBe('arxiv:2401.04321');
    await new Promise((done) => setTimeout(done, 50));
    expect(isPackedRow((await db.meta.get('lookup:fuzzy'))?.value)).toBe(false);
    expect(isPackedRow((await db.meta.get('lookup:core'))?.value)).toBe(false);
    // The next start finds the rows out of date and rebuilds them, packed.
    dropLoadedLookup(db);
    expect((await matchPapers(db, [typo]))[0]?.id).toBe('arxiv:2401.04321');
    expect(isPackedRow((await db.meta.get('lookup:fuzzy'))?.value)).toBe(true);
  });

  it('a fuzzy title finds papers only once merged; ids and exact titles at once', async () => {
    const db = freshDb();
    await upsertPapers(db, many(20));
    const typo = { ref: 0, title: 'Paper number 7 on quasi-periodic latices', ids: [] };
    expect((await matchPapers(db, [typo]))[0]?.matched).toBe(false);
    await flushLookup(db);
    expect((await matchPapers(db, [typo]))[0]).toMatchObject({
      id: 'arxiv:2401.00007',
      method: 'fuzzy',
    });
  });

  it('catches up after a worker stopped before flushing a deferred import', async () => {
    const db = freshDb();
    await upsertPapers(db, many(600));
    await upsertPapers(db, many(600, 600), { deferLookup: true });
    // Findable by id at once, matched by title after the flush...
    expect((await getPaper(db, 'arxiv:2401.01100'))?.id).toBe('arxiv:2401.01100');
    dropLoadedLookup(db); // ...or after a restart, from the buckets.
    const results = await matchPapers(db, [
      { ref: 0, title: 'Paper number 1100 on quasi-periodic lattices', ids: [] },
      { ref: 1, title: 'Paper number 12 on quasi-periodic lattices', ids: [] },
    ]);
    expect(results.map((item) => item.id)).toEqual(['arxiv:2401.01100', 'arxiv:2401.00012']);
    await flushLookup(db);
    expect(await countPapers(db)).toBe(1200);
  });

  it('rebuilds from the buckets when a deferred change retitled a paper', async () => {
    const db = freshDb();
    await upsertPapers(db, many(10));
    await upsertPapers(db, [paper('arxiv:2401.00003', 'A wholly different title of paper three')], {
      deferLookup: true,
    });
    dropLoadedLookup(db);
    const results = await matchPapers(db, [
      { ref: 0, title: 'A wholly different title of paper three', ids: [] },
    ]);
    expect(results[0]?.id).toBe('arxiv:2401.00003');
  });

  it.each([false, true])(
    'writes inside a caller transaction with its other rows (structures loaded: %s)',
    async (warm) => {
      const db = freshDb();
      if (warm) await upsertPapers(db, many(3));
      await db.transaction('rw', db.paperBuckets, db.meta, db.syncJobs, async () => {
        await upsertPapers(db, many(2, 100));
        await db.meta.put({ key: 'cursor', value: 'page-2' });
      });
      expect(await countPapers(db)).toBe(warm ? 5 : 2);
      expect((await getPaper(db, 'arxiv:2401.00101'))?.id).toBe('arxiv:2401.00101');
      expect((await db.meta.get('cursor'))?.value).toBe('page-2');
    },
  );

  it('a quota error in the middle of an import loses none of the papers already there', async () => {
    const db = freshDb();
    await upsertPapers(db, many(700));
    const before = await getPapers(db, ['arxiv:2401.00000', 'arxiv:2401.00699']);
    const failing = vi
      .spyOn(db.paperBuckets, 'bulkPut')
      .mockRejectedValueOnce(new DOMException('The quota was exceeded.', 'QuotaExceededError'));
    // New papers and a merge into the partly filled last bucket, in one atomic import.
    const incoming = [
      ...many(600, 700),
      paper('arxiv:2401.00699', 'Paper number 699 on quasi-periodic lattices', {
        abstract: 'Now with an abstract.',
      }),
    ];
    await expect(upsertPapers(db, incoming, { atomic: true })).rejects.toThrow('quota');
    failing.mockRestore();
    expect(await countPapers(db)).toBe(700);
    expect(await getPapers(db, ['arxiv:2401.00000', 'arxiv:2401.00699'])).toEqual(before);
    expect(await getPaper(db, 'arxiv:2401.00700')).toBeUndefined();
    expect(await upsertPapers(db, incoming, { atomic: true })).toEqual({ added: 600, updated: 1 });
    expect((await getPaper(db, 'arxiv:2401.00699'))?.abstract).toBe('Now with an abstract.');
    dropLoadedLookup(db);
    const results = await matchPapers(db, [
      { ref: 0, title: 'Paper number 1299 on quasi-periodic lattices', ids: [] },
      { ref: 1, title: 'Paper number 3 on quasi-periodic lattices', ids: [] },
    ]);
    expect(results.map((item) => item.id)).toEqual(['arxiv:2401.01299', 'arxiv:2401.00003']);
  });

  it('an import longer than the change journal, then small writes: a restart finds them all', async () => {
    const db = freshDb();
    // More changes than the journal keeps: the look-up structures are rewritten instead.
    await upsertPapers(db, many(5200));
    await upsertPapers(db, [
      paper('arxiv:2401.00005', 'A new title for paper five'),
      ...many(3, 9000),
    ]);
    await upsertPapers(db, many(5200, 10_000), { deferLookup: true });
    await upsertPapers(db, many(2, 20_000));
    dropLoadedLookup(db);
    const queries = [
      'A new title for paper five',
      'Paper number 5 on quasi-periodic lattices',
      'Paper number 9002 on quasi-periodic lattices',
      'Paper number 15199 on quasi-periodic lattices',
      'Paper number 20001 on quasi-periodic lattices',
      'Paper number 5199 on quasi-periodic lattices',
    ].map((title, ref) => ({ ref, title, ids: [] }));
    const ids = [
      'arxiv:2401.00005',
      'arxiv:2401.00005',
      'arxiv:2401.09002',
      'arxiv:2401.15199',
      'arxiv:2401.20001',
      'arxiv:2401.05199',
    ];
    expect((await matchPapers(db, queries)).map((item) => item.id)).toEqual(ids);
    expect(await countPapers(db)).toBe(5200 + 3 + 5200 + 2);
    await flushLookup(db);
    dropLoadedLookup(db);
    expect((await matchPapers(db, queries)).map((item) => item.id)).toEqual(ids);
  });

  it('leaves nothing behind when an atomic write fails, and recovers', async () => {
    const db = freshDb();
    await upsertPapers(db, many(5));
    await expect(
      db.transaction('rw', db.paperBuckets, db.meta, async () => {
        await upsertPapers(db, many(5, 5));
        throw new Error('the sync page was bad');
      }),
    ).rejects.toThrow('bad');
    expect(await countPapers(db)).toBe(5);
    expect(await upsertPapers(db, many(5, 5))).toEqual({ added: 5, updated: 0 });
    expect(await countPapers(db)).toBe(10);
    const results = await matchPapers(db, [
      { ref: 0, title: 'Paper number 7 on quasi-periodic lattices', ids: [] },
    ]);
    expect(results[0]?.id).toBe('arxiv:2401.00007');
  });
});
