import { describe, expect, it } from 'vitest';
import { openIndexDb } from './db';
import {
  BUCKET_SIZE,
  countPapers,
  dropLoadedLookup,
  forEachPaper,
  getIndexStats,
  getPapers,
  matchPapers,
  planPrune,
  prunePapers,
  pruneProgress,
  resumePrune,
  upsertPapers,
} from './index-store';
import { titleKey } from './normalize';
import type { IndexPaper } from './types';

let counter = 0;
function freshDb(): ReturnType<typeof openIndexDb> {
  counter += 1;
  return openIndexDb(`index-prune-${counter}`);
}

const WORDS = ['lattice', 'spectral', 'graph', 'quantum', 'sparse', 'kernel', 'flow', 'token'];

function paper(index: number): IndexPaper {
  const title = `${WORDS[index % 8] ?? ''} ${WORDS[(index >> 3) % 8] ?? ''} methods study ${index}`;
  return {
    id: `arxiv:2401.${String(index).padStart(5, '0')}`,
    title,
    titleKey: titleKey(title),
    authors: [`Author ${index}`],
    abstract: `Abstract of paper ${index}.`,
    sources: ['import'],
    aliases: [`doi:10.1000/p${index}`],
  };
}

const papers = (count: number): IndexPaper[] => Array.from({ length: count }, (_, i) => paper(i));
const ordinalOf = (id: string): number => Number(id.slice(-5));

async function allIds(db: ReturnType<typeof openIndexDb>): Promise<string[]> {
  const ids: string[] = [];
  await forEachPaper(db, (p) => {
    ids.push(p.id);
  });
  return ids;
}

/** Removes every third paper, and a whole bucket's worth in the middle. */
const doomed = (p: IndexPaper): boolean => {
  const n = ordinalOf(p.id);
  return n % 3 === 0 || (n >= 1100 && n < 1700);
};

describe('pruning the index', () => {
  it('removes exactly what the predicate picks, keeps order, and leaves every look-up consistent', async () => {
    const db = freshDb();
    await upsertPapers(db, papers(3000));
    const plan = await planPrune(db, doomed);
    const expected = papers(3000)
      .filter((p) => !doomed(p))
      .map((p) => p.id);
    expect(plan.remove).toBe(3000 - expected.length);
    // Planning writes nothing.
    expect(await countPapers(db)).toBe(3000);

    const before = await getIndexStats(db);
    const result = await prunePapers(db, doomed, { bucketsPerStep: 2 });
    expect(result).toEqual({ removed: plan.remove, kept: expected.length, done: true });
    expect(await allIds(db)).toEqual(expected);
    expect(await db.paperBuckets.count()).toBe(Math.ceil(expected.length / BUCKET_SIZE));
    const after = await getIndexStats(db);
    expect(after.count).toBe(expected.length);
    expect(after.pruning).toBeUndefined();
    expect(after.prunedAt).toBe(after.revision);
    expect(after.lookupChangedAt).toBe(after.revision);
    expect(after.revision).toBeGreaterThan(before.revision);
    expect(await pruneProgress(db)).toBeNull();

    // By id, alias, exact and fuzzy title — in this worker and after a restart.
    for (const restart of [false, true]) {
      if (restart) dropLoadedLookup(db);
      const kept = paper(2999);
      const gone = paper(2998 - (2998 % 3));
      const found = await getPapers(db, [kept.id, gone.id, paper(1099).id, paper(1100).id]);
      expect([...found.keys()].sort()).toEqual([paper(1099).id, kept.id].sort());
      expect(found.get(kept.id)?.abstract).toBe('Abstract of paper 2999.');
      const results = await matchPapers(db, [
        { ref: 1, ids: [`doi:10.1000/p2999`], title: '' },
        { ref: 2, ids: [], title: kept.title },
        { ref: 3, ids: [], title: kept.title.replace('methods', 'method') },
        { ref: 4, ids: [gone.id], title: '' },
        { ref: 5, ids: [], title: gone.title },
      ]);
      expect(results.map((r) => (r.matched ? r.id : null))).toEqual([
        kept.id,
        kept.id,
        kept.id,
        null,
        null,
      ]);
    }

    // Appends after a prune take the next ordinal of the compacted index.
    await upsertPapers(db, [paper(5000)]);
    expect((await allIds(db)).at(-1)).toBe(paper(5000).id);
    expect(await countPapers(db)).toBe(expected.length + 1);
    expect((await getPapers(db, [paper(5000).id])).size).toBe(1);
  });

  it('a prune stopped after any batch (a killed worker) resumes to exactly the same index', async () => {
    const reference = freshDb();
    await upsertPapers(reference, papers(2600));
    await prunePapers(reference, doomed);
    const expected = await allIds(reference);

    for (const stopAfter of [1, 2, 4]) {
      const db = freshDb();
      await upsertPapers(db, papers(2600));
      let steps = 0;
      const first = await prunePapers(db, doomed, {
        bucketsPerStep: 1,
        deadline: stopAfter,
        now: () => (steps += 1),
      });
      expect(first.done).toBe(false);
      const progress = await pruneProgress(db);
      expect(progress?.done).toBe(stopAfter * BUCKET_SIZE);
      expect((await getIndexStats(db)).pruning).toBe(true);
      // The worker dies: nothing in memory survives.
      dropLoadedLookup(db);
      // Reads in the meantime never return a wrong paper for an id.
      const meanwhile = await getPapers(db, [paper(2500).id, paper(1).id]);
      for (const [id, found] of meanwhile) expect(found.id).toBe(id);

      const resumed = await resumePrune(db);
      expect(resumed.done).toBe(true);
      expect(await allIds(db)).toEqual(expected);
      expect(await countPapers(db)).toBe(expected.length);
      expect((await getPapers(db, [paper(2599).id])).get(paper(2599).id)?.title).toBe(
        paper(2599).title,
      );
    }
  });

  it('a write arriving while a prune is half-done waits for it, then lands after the compacted papers', async () => {
    const db = freshDb();
    await upsertPapers(db, papers(1600));
    let steps = 0;
    await prunePapers(db, doomed, { bucketsPerStep: 1, deadline: 1, now: () => (steps += 1) });
    dropLoadedLookup(db);
    const merged = { ...paper(1), abstract: 'A longer, better abstract.' };
    expect(await upsertPapers(db, [merged, paper(9000)])).toEqual({ added: 1, updated: 1 });
    expect(await pruneProgress(db)).toBeNull();
    const ids = await allIds(db);
    expect(ids).toEqual([
      ...papers(1600)
        .filter((p) => !doomed(p))
        .map((p) => p.id),
      paper(9000).id,
    ]);
    expect((await getPapers(db, [paper(1).id])).get(paper(1).id)?.abstract).toBe(
      'A longer, better abstract.',
    );
  });

  it('removing nothing writes nothing; removing everything empties the index', async () => {
    const db = freshDb();
    await upsertPapers(db, papers(700));
    const revision = (await getIndexStats(db)).revision;
    expect(await prunePapers(db, () => false)).toEqual({ removed: 0, kept: 700, done: true });
    expect((await getIndexStats(db)).revision).toBe(revision);
    expect(await prunePapers(db, () => true)).toEqual({ removed: 700, kept: 0, done: true });
    expect(await db.paperBuckets.count()).toBe(0);
    expect(await matchPapers(db, [{ ref: 1, ids: [paper(3).id], title: '' }])).toMatchObject([
      { ref: 1, matched: false },
    ]);
    await upsertPapers(db, [paper(3)]);
    expect(await allIds(db)).toEqual([paper(3).id]);
  });

  it('starts compacting at the first removed paper, and judges only papers from `from` when asked', async () => {
    const db = freshDb();
    await upsertPapers(db, papers(3000));
    let steps = 0;
    const partial = await prunePapers(
      db,
      (p) => ordinalOf(p.id) >= 2000 && ordinalOf(p.id) % 2 === 0,
      {
        bucketsPerStep: 1,
        deadline: 1,
        now: () => (steps += 1),
      },
    );
    expect(partial.done).toBe(false);
    // Buckets 0–2 hold no removed paper: the first batch was bucket 3 (ordinals 1536–2047).
    expect(await pruneProgress(db)).toMatchObject({ done: 2048, removed: 24 });
    expect((await resumePrune(db)).removed).toBe(500);
    expect(await countPapers(db)).toBe(2500);

    expect(await planPrune(db, () => true, 2400)).toMatchObject({ total: 2500, remove: 100 });
    expect(await prunePapers(db, () => true, { from: 2400 })).toEqual({
      removed: 100,
      kept: 2400,
      done: true,
    });
    expect((await allIds(db)).at(-1)).toBe(paper(2799).id);
  });
});
