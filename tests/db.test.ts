/**
 * Schema durability: every released schema version opens with the current code with every row
 * intact. To add a version, append to INDEX_SCHEMAS / LIBRARY_SCHEMAS and add its frozen fixture here.
 */
import { Dexie } from 'dexie';
import { describe, expect, it } from 'vitest';
import {
  INDEX_SCHEMAS,
  INDEX_UPGRADE_BATCH,
  LIBRARY_SCHEMAS,
  openIndexDb,
  openLibraryDb,
} from '../lib/db';
import { BUCKET_SIZE, countPapers, getPapers, matchPapers, upsertPapers } from '../lib/index-store';
import { bucketPapers } from '../lib/migrations/003-index-buckets';
import { titleKey } from '../lib/normalize';
import type { IndexPaper } from '../lib/types';
import { watchQueries } from './table-reads';

/** Frozen copies of every released declaration. Editing an old version fails this test. */
const RELEASED_INDEX: Record<string, string | null>[] = [
  { papers: 'id, titleKey, *aliases', meta: 'key' },
  { syncJobs: 'id', syncWanted: 'id, [route+attempts], addedAt' },
  { papers: null, buckets: 'b' },
  { buckets: null, paperBuckets: '' },
];
const RELEASED_LIBRARY: Record<string, string>[] = [
  { saved: 'id, savedAt, updatedAt, *tags, status', tags: 'name', dismissed: 'id, at' },
  { interests: 'id, createdAt' },
];

/** Rows as each library version wrote them. */
const LIBRARY_FIXTURES: Record<number, Record<string, unknown[]>> = {
  1: {
    saved: [
      {
        id: 'arxiv:2408.04000',
        snapshot: { title: 'Quantisation', authors: ['Y. Asano'], abstract: 'We discuss.' },
        savedAt: 1,
        updatedAt: 2,
        tags: ['strings', 'to-cite'],
        note: 'chapter 3',
        status: 'reading',
      },
    ],
    tags: [{ name: 'strings', color: '#ff0000', createdAt: 1 }],
    dismissed: [{ id: 'arxiv:2401.00001', at: 3 }],
  },
  2: {
    interests: [
      { id: 'i1', query: '"graph neural" AND (molecule OR protein) -survey', createdAt: 4 },
      { id: 'i2', query: 'author:"Yann LeCun"', tag: 'strings', createdAt: 5 },
    ],
  },
};

let counter = 0;

describe('database schemas', () => {
  it('old versions are never edited, only appended', () => {
    expect(INDEX_SCHEMAS.slice(0, RELEASED_INDEX.length)).toEqual(RELEASED_INDEX);
    expect(LIBRARY_SCHEMAS.slice(0, RELEASED_LIBRARY.length)).toEqual(RELEASED_LIBRARY);
  });

  it('every library version has a frozen fixture', () => {
    expect(Object.keys(LIBRARY_FIXTURES).map(Number)).toEqual(
      RELEASED_LIBRARY.map((_, index) => index + 1),
    );
  });

  for (const [version, tables] of Object.entries(LIBRARY_FIXTURES)) {
    it(`a library written by version ${version} opens with the current code, every row intact`, async () => {
      counter += 1;
      const name = `library-migration-${version}-${counter}`;
      const old = new Dexie(name);
      RELEASED_LIBRARY.slice(0, Number(version)).forEach((stores, index) =>
        old.version(index + 1).stores(stores),
      );
      await old.open();
      for (const [table, rows] of Object.entries(tables)) await old.table(table).bulkAdd(rows);
      old.close();

      const current = openLibraryDb(name);
      for (const [table, rows] of Object.entries(tables)) {
        expect(await current.table(table).toArray()).toEqual(rows);
      }
      current.close();
    });
  }

  it('an index written by version 1 opens with the current code, papers intact and sync tables empty', async () => {
    counter += 1;
    const name = `index-migration-1-${counter}`;
    const old = new Dexie(name);
    old.version(1).stores(RELEASED_INDEX[0]!);
    await old.open();
    const paper = {
      id: 'arxiv:2408.04000',
      title: 'Quantisation of type IIB superstring theory',
      titleKey: 'quantisationoftypeiibsuperstringtheory',
      authors: ['Y. Asano'],
      sources: ['import'],
    };
    const other = { ...paper, id: 'doi:10.1/x', title: 'Other', titleKey: 'other' };
    await old.table('papers').bulkAdd([paper, other]);
    old.close();
    const current = openIndexDb(name);
    // Version 3 moved the papers into buckets; the look-up structures rebuild from them.
    expect(await getPapers(current, [paper.id, other.id])).toEqual(
      new Map([
        [paper.id, paper],
        [other.id, other],
      ]),
    );
    expect(await countPapers(current)).toBe(2);
    expect(
      await matchPapers(current, [
        { ref: 0, title: 'Quantisation of Type IIB Superstring Theory', ids: [] },
      ]),
    ).toMatchObject([{ id: paper.id, method: 'title' }]);
    expect(await current.syncJobs.count()).toBe(0);
    expect(await current.syncWanted.count()).toBe(0);
    current.close();
  });

  it('an index of 20,000 papers written by version 1 upgrades a few buckets per read, to the buckets one whole read gave', async () => {
    counter += 1;
    const name = `index-migration-1-large-${counter}`;
    const old = new Dexie(name);
    old.version(1).stores(RELEASED_INDEX[0]!);
    await old.open();
    const total = 20_000;
    // Written out of id order, two id schemes: buckets follow id order, as `toArray()` gave it.
    const papers: IndexPaper[] = Array.from({ length: total }, (_, n) => {
      const ord = (n * 7919) % total;
      const id = ord % 5 === 0 ? `doi:10.1/${ord}` : `arxiv:2101.${String(ord).padStart(5, '0')}`;
      const title = `Paper number ${ord}`;
      return { id, title, titleKey: titleKey(title), authors: ['A. Author'], abstract: `Abstract ${ord} `.repeat(20), sources: ['import'] }; // prettier-ignore
    });
    for (let start = 0; start < total; start += 5_000) {
      await old.table('papers').bulkAdd(papers.slice(start, start + 5_000));
    }
    old.close();

    const current = openIndexDb(name);
    const reads: number[] = [];
    watchQueries(current, 'papers', { after: (rows) => reads.push(rows) });
    await current.open();
    expect(Math.max(...reads)).toBe(INDEX_UPGRADE_BATCH);
    expect(reads.reduce((sum, n) => sum + n, 0)).toBe(total);
    const byId = [...papers].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    expect(await current.paperBuckets.toArray()).toEqual(bucketPapers(byId, BUCKET_SIZE));
    expect(await countPapers(current)).toBe(total);
    const picked = [byId[0]!, byId[INDEX_UPGRADE_BATCH]!, byId[total - 1]!, papers[4321]!];
    const found = await getPapers(
      current,
      picked.map((paper) => paper.id),
    );
    for (const paper of picked) expect(found.get(paper.id)).toEqual(paper);
    expect(current.tables.map((table) => table.name)).not.toContain('papers');
    current.close();
  });

  it('an index written by version 3 keeps every bucket when they move to out-of-line keys (read in pages)', async () => {
    counter += 1;
    const name = `index-migration-3-${counter}`;
    const old = new Dexie(name);
    RELEASED_INDEX.slice(0, 3).forEach((stores, index) => old.version(index + 1).stores(stores));
    await old.open();
    // More buckets than one page of the upgrade's reads, the last one partly filled.
    const total = 20 * BUCKET_SIZE + 7;
    const papers = Array.from({ length: total }, (_, ord) => ({
      id: `arxiv:2101.${String(ord).padStart(5, '0')}`,
      title: `Paper number ${ord}`,
      authors: ['A. Author'],
      sources: ['import'],
    }));
    const buckets = [];
    for (let start = 0; start < total; start += BUCKET_SIZE) {
      buckets.push({ b: start / BUCKET_SIZE, papers: papers.slice(start, start + BUCKET_SIZE) });
    }
    await old.table('buckets').bulkAdd(buckets);
    await old.table('meta').put({
      key: 'stats',
      value: { count: total, revision: 1, lookupChangedAt: 1 },
    });
    old.close();

    const current = openIndexDb(name);
    expect(await current.paperBuckets.count()).toBe(buckets.length);
    expect(await current.paperBuckets.get(20)).toEqual(buckets[20]);
    const picked = [papers[0]!, papers[16 * BUCKET_SIZE + 3]!, papers[total - 1]!];
    const found = await getPapers(
      current,
      picked.map((paper) => paper.id),
    );
    for (const paper of picked) {
      expect(found.get(paper.id)).toEqual({ ...paper, titleKey: titleKey(paper.title) });
    }
    expect(current.tables.map((table) => table.name)).not.toContain('buckets');
    current.close();
  });

  it('deleting the index database leaves the library untouched', async () => {
    counter += 1;
    const index = openIndexDb(`index-${counter}`);
    const library = openLibraryDb(`library-${counter}`);
    await library.saved.add({
      id: 'arxiv:1',
      snapshot: { title: 't', authors: [] },
      savedAt: 1,
      updatedAt: 1,
      tags: [],
      note: '',
      status: 'to-read',
    } as never);
    await upsertPapers(index, [
      { id: 'arxiv:1', title: 't', titleKey: 't', authors: [], sources: ['import'] },
    ]);
    await index.delete();
    expect(await library.saved.count()).toBe(1);
  });
});
