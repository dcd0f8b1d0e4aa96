import { describe, expect, it } from 'vitest';
import { hasShared, readCorpus, SKIP_SHARED_REASON } from '../../tests/shared';
import { openIndexDb, type IndexDatabase } from '../db';
import { EXPORT_FIXTURE_LIBRARY } from '../export/fixture-library';
import { BUCKET_SIZE } from '../index-store';
import type { SavedPaper, StoredIndexPaper } from '../types';
import { buildLibrarySearchIndex, searchLibrary } from './library-search';
import { isEmptyQuery, parseQuery } from './query';
import { IndexSearcher, LoadedSegment } from './searcher';
import { buildSegment, type SearchablePaper } from './segment';
import { loadSearcher, readManifest, refreshSearchIndex, searchIndexIsStale } from './store';

const PAPERS: SearchablePaper[] = [
  {
    id: 'arxiv:1706.03762',
    title: 'Attention Is All You Need',
    authors: ['Ashish Vaswani', 'Noam Shazeer'],
    abstract: 'We propose the Transformer, based solely on attention mechanisms.',
    published: '2017-06-12',
  },
  {
    id: 'arxiv:1512.03385',
    title: 'Deep Residual Learning for Image Recognition',
    authors: ['Kaiming He', 'Xiangyu Zhang'],
    abstract: 'Residual networks are easier to optimize and gain accuracy from depth.',
    published: '2015-12-10',
  },
  {
    id: 'arxiv:2006.11239',
    title: 'Denoising Diffusion Probabilistic Models',
    authors: ['Jonathan Ho', 'Ajay Jain', 'Pieter Abbeel'],
    abstract:
      'High quality image synthesis using diffusion probabilistic models, inspired by Schrödinger bridges.',
    published: '2020-06-19',
  },
  {
    id: 'arxiv:2010.02502',
    title: 'Denoising Diffusion Implicit Models',
    authors: ['Jiaming Song', 'Chenlin Meng', 'Stefano Ermon'],
    abstract:
      'Implicit models accelerate sampling of diffusion models with a non-Markovian process.',
    published: '2020-10-06',
  },
];

function searcher(papers = PAPERS): IndexSearcher {
  return new IndexSearcher([new LoadedSegment(buildSegment(papers, 0))]);
}

const ids = (hits: { id: string }[]): string[] => hits.map((hit) => hit.id);

describe('query parsing', () => {
  it.each([
    ['diffusion mod', { words: ['diffusion', 'mod'], lastIsPrefix: true }],
    ['diffusion ', { words: ['diffusion'], lastIsPrefix: false }],
    [
      't:"to read" a:Ho y:2020 image',
      { tags: ['to read'], authors: ['ho'], yearFrom: 2020, yearTo: 2020, words: ['image'] },
    ],
    ['y:2015-2018', { yearFrom: 2015, yearTo: 2018 }],
    ['y:>2019', { yearFrom: 2020 }],
    ['y:<=2016 Schrödinger', { yearTo: 2016, words: ['schrodinger'] }],
  ])('%s', (input, expected) => {
    expect(parseQuery(input)).toMatchObject(expected);
  });

  it('knows an empty query', () => {
    expect(isEmptyQuery(parseQuery('  t: '))).toBe(true);
  });
});

describe('index search', () => {
  it('matches every word, the last as a prefix, across title, authors and abstract', () => {
    expect(ids(searcher().search(parseQuery('diffusion mod'))).sort()).toEqual([
      'arxiv:2006.11239',
      'arxiv:2010.02502',
    ]);
    expect(ids(searcher().search(parseQuery('denoising implicit')))).toEqual(['arxiv:2010.02502']);
    expect(ids(searcher().search(parseQuery('non markovian')))).toEqual(['arxiv:2010.02502']);
    expect(ids(searcher().search(parseQuery('vaswani')))).toEqual(['arxiv:1706.03762']);
    expect(searcher().search(parseQuery('attention zebra'))).toEqual([]);
  });

  it('folds accents and finds words deep in an abstract', () => {
    expect(ids(searcher().search(parseQuery('schrodinger')))).toEqual(['arxiv:2006.11239']);
  });

  it('filters by author (a:) and year (y:)', () => {
    expect(ids(searcher().search(parseQuery('diffusion a:ermon')))).toEqual(['arxiv:2010.02502']);
    expect(ids(searcher().search(parseQuery('a:he')))).toEqual(['arxiv:1512.03385']);
    expect(ids(searcher().search(parseQuery('models y:<2020')))).toEqual([]);
    expect(ids(searcher().search(parseQuery('image y:2015')))).toEqual(['arxiv:1512.03385']);
  });

  it('ranks title matches above abstract-only matches', () => {
    expect(ids(searcher().search(parseQuery('image')))[0]).toBe('arxiv:1512.03385');
  });

  it('tolerates a typo through the fuzzy pass when words find nothing', async () => {
    const query = parseQuery('difusion probabilstic');
    expect(searcher().search(query)).toEqual([]);
    expect(ids(searcher().fuzzy(query))).toContain('arxiv:2006.11239');
    expect(ids(await searcher().fuzzySliced(query))).toContain('arxiv:2006.11239');
  });

  it('runs the fuzzy pass in slices, and a newer query cancels it', async () => {
    const many = Array.from({ length: 3000 }, (_, index) => ({
      ...PAPERS[index % PAPERS.length]!,
      id: `arxiv:2401.${String(10000 + index)}`,
    }));
    const search = searcher(many);
    let yields = 0;
    const hits = await search.fuzzySliced(parseQuery('difusion probabilstic'), {
      sliceMs: 0,
      yieldToPage: () => {
        yields += 1;
        return Promise.resolve();
      },
    });
    expect(hits.length).toBeGreaterThan(0);
    expect(yields).toBeGreaterThan(3);

    const controller = new AbortController();
    const run = search.fuzzySliced(parseQuery('difusion probabilstic'), {
      sliceMs: 0,
      signal: controller.signal,
      yieldToPage: () => {
        controller.abort(new Error('newer query'));
        return Promise.resolve();
      },
    });
    await expect(run).rejects.toThrow('newer query');
  });

  it('stops the fuzzy pass after its work budget, with what it found', async () => {
    const many = Array.from({ length: 3000 }, (_, index) => ({
      ...PAPERS[index % PAPERS.length]!,
      id: `arxiv:2401.${String(10000 + index)}`,
    }));
    const hits = await searcher(many).fuzzySliced(parseQuery('difusion probabilstic'), {
      budgetMs: 0,
    });
    // The first chunk (100 titles, 25 of them the paper) ran; nothing after it.
    expect(hits.length).toBeGreaterThan(0);
    expect(hits.every((hit) => Number(hit.id.slice(-4)) < 100)).toBe(true);
  });

  it('keeps exactly the best hits of a large candidate set (ties to the newest ordinal)', () => {
    const many = Array.from({ length: 3000 }, (_, index) => ({
      ...PAPERS[index % PAPERS.length]!,
      id: `arxiv:2401.${String(10000 + index)}`,
    }));
    const segment = new LoadedSegment(buildSegment(many, 0));
    for (const text of ['diffusion', 'mod', 'image', 'models y:2020']) {
      const all = segment.search(parseQuery(text), 5000);
      expect(all.length).toBeGreaterThan(100);
      expect(segment.search(parseQuery(text), 25)).toEqual(all.slice(0, 25));
      expect(all.slice(0, 25).map((hit) => hit.ordinal)).toEqual(
        [...all]
          .sort((a, b) => b.score - a.score || b.ordinal - a.ordinal)
          .slice(0, 25)
          .map((hit) => hit.ordinal),
      );
    }
  });

  it('answers the same while typing as from scratch (decoded postings are reused)', () => {
    const search = searcher();
    const text = 'denoising diffusion models';
    for (let length = 2; length <= text.length; length += 1) {
      const query = parseQuery(text.slice(0, length));
      expect(search.search(query)).toEqual(searcher().search(query));
    }
  });

  it('later segments shadow earlier copies of a paper', () => {
    const older = buildSegment(PAPERS, 0);
    const newer = buildSegment([{ ...PAPERS[0]!, title: 'Attention Is All You Need (v2)' }], 4);
    const hits = new IndexSearcher([new LoadedSegment(older), new LoadedSegment(newer)]).search(
      parseQuery('attention'),
    );
    expect(hits).toHaveLength(1);
    expect(hits[0]).toMatchObject({ title: 'Attention Is All You Need (v2)', ordinal: 4 });
  });

  it.skipIf(!hasShared)(
    `finds real papers of the 292-paper corpus by title and abstract words ${hasShared ? '' : SKIP_SHARED_REASON}`,
    () => {
      const corpus = readCorpus().map((paper, index) => ({
        id: `arxiv:2401.${String(10000 + index)}`,
        title: paper.title,
        authors: [],
        abstract: paper.abstract,
      }));
      const search = searcher(corpus);
      for (const paper of corpus.slice(0, 40)) {
        const words = paper.title.split(/\s+/).slice(0, 4).join(' ');
        expect(ids(search.search(parseQuery(words), 50))).toContain(paper.id);
      }
    },
  );
});

describe('library search', () => {
  it.each(['scan', 'dictionary'] as const)(
    'searches title, authors, tags, notes and abstracts with t:/a:/y: (%s)',
    async (how) => {
      const library = EXPORT_FIXTURE_LIBRARY;
      const index = await buildLibrarySearchIndex(library);
      const found = (text: string): string[] =>
        (how === 'scan'
          ? searchLibrary(library, parseQuery(text))
          : index.search(parseQuery(text))
        ).map((hit) => hit.paper.id);
      expect(found('attention')).toEqual(['arxiv:1706.09999', 'arxiv:1706.03762']);
      expect(found('t:quantum')).toEqual(['doi:10.1126/science.1252319']);
      expect(found('a:ronnow')).toEqual(['doi:10.1126/science.1252319']);
      expect(found('read twice')).toEqual(['arxiv:1706.03762']);
      expect(found('y:2015 residual')).toEqual(['arxiv:1512.03385']);
      expect(found('tention')).toEqual(['arxiv:1706.09999', 'arxiv:1706.03762']);
      expect(found('zebra')).toEqual([]);
    },
  );

  it.skipIf(!hasShared)(
    `the dictionary answers exactly as the scan, keystroke by keystroke ${hasShared ? '' : SKIP_SHARED_REASON}`,
    async () => {
      const library: SavedPaper[] = readCorpus().map((paper, index) => ({
        id: `arxiv:2401.${String(10000 + index)}`,
        snapshot: {
          title: paper.title,
          authors: [['Ann Lee', 'Jürgen Müller', 'Wei Chen'][index % 3] ?? ''],
          abstract: paper.abstract,
          published: `${2018 + (index % 7)}-01-01`,
        },
        savedAt: index,
        updatedAt: index,
        tags: index % 4 === 0 ? ['to cite'] : [],
        note: index % 5 === 0 ? 'Compare with the baseline.' : '',
        status: 'to-read',
      }));
      // Slices of one paper each: the build yields (and could be aborted) between them.
      let yields = 0;
      const index = await buildLibrarySearchIndex(library, {
        sliceMs: 0,
        yieldToPage: () => {
          yields += 1;
          return Promise.resolve();
        },
      });
      expect(yields).toBeGreaterThan(2);
      const queries = [
        'language models',
        'diffusion',
        'a:muller graph',
        'baseline t:"to cite"',
        'q z x 7 ü',
      ];
      for (const text of queries) {
        for (let length = 1; length <= text.length; length += 1) {
          const query = parseQuery(text.slice(0, length));
          const scanned = ids(searchLibrary(library, query).map((hit) => hit.paper));
          expect(ids(index.search(query).map((hit) => hit.paper))).toEqual(scanned);
          // The best few without sorting every hit: the same first few.
          expect(ids(index.search(query, 7).map((hit) => hit.paper))).toEqual(scanned.slice(0, 7));
        }
      }
    },
  );

  it('stops building when aborted (the list changed)', async () => {
    const controller = new AbortController();
    controller.abort(new Error('newer list'));
    await expect(
      buildLibrarySearchIndex(EXPORT_FIXTURE_LIBRARY, { signal: controller.signal }),
    ).rejects.toThrow('newer list');
  });
});

async function writeIndex(
  db: IndexDatabase,
  papers: SearchablePaper[],
  revision = 1,
  lookupChangedAt = 1,
): Promise<void> {
  const stored: StoredIndexPaper[] = papers.map((paper) => ({ ...paper, sources: ['import'] }));
  const buckets = [];
  for (let start = 0; start < stored.length; start += BUCKET_SIZE) {
    buckets.push({ b: start / BUCKET_SIZE, papers: stored.slice(start, start + BUCKET_SIZE) });
  }
  await db.paperBuckets.bulkPut(
    buckets,
    buckets.map((bucket) => bucket.b),
  );
  await db.meta.put({ key: 'stats', value: { count: papers.length, revision, lookupChangedAt } });
}

describe('persisted search index', () => {
  it('builds, appends a segment for new papers, rebuilds when titles change, and loads', async () => {
    const db = openIndexDb(`search-store-${Math.random()}`);
    await writeIndex(db, PAPERS.slice(0, 2));
    expect(await searchIndexIsStale(db)).toBe(true);
    expect(await refreshSearchIndex(db, 1)).toEqual({ papers: 2, appended: 2, rebuilt: true });
    expect(await searchIndexIsStale(db)).toBe(false);
    expect(await refreshSearchIndex(db, 2)).toEqual({ papers: 2, appended: 0, rebuilt: false });

    await writeIndex(db, PAPERS, 2, 1);
    expect(await refreshSearchIndex(db, 3)).toEqual({ papers: 4, appended: 2, rebuilt: false });
    expect((await readManifest(db))?.segments.map((segment) => segment.start)).toEqual([0, 2]);
    const loaded = await loadSearcher(db);
    expect(loaded.size).toBe(4);
    expect(ids(loaded.search(parseQuery('denoising'))).sort()).toEqual([
      'arxiv:2006.11239',
      'arxiv:2010.02502',
    ]);

    await writeIndex(
      db,
      [{ ...PAPERS[0]!, title: 'Attention, retitled' }, ...PAPERS.slice(1)],
      3,
      3,
    );
    expect(await refreshSearchIndex(db, 4)).toMatchObject({ papers: 4, rebuilt: true });
    const manifest = await readManifest(db);
    expect(manifest?.segments).toHaveLength(1);
    expect(ids((await loadSearcher(db)).search(parseQuery('retitled')))).toEqual([
      'arxiv:1706.03762',
    ]);
    expect(await db.meta.where('key').startsWith('search:segment:').count()).toBe(1);
  });

  it('a refresh after sync appends; the popup reloads only the new segment; a prune rebuilds', async () => {
    const db = openIndexDb(`search-store-${Math.random()}`);
    await writeIndex(db, PAPERS.slice(0, 2));
    await refreshSearchIndex(db, 1);
    const first = await loadSearcher(db);

    // Sync added two papers: one new segment, the loaded one is reused as it is.
    await writeIndex(db, PAPERS, 2, 1);
    expect(await searchIndexIsStale(db)).toBe(true);
    expect(await refreshSearchIndex(db, 2)).toEqual({ papers: 4, appended: 2, rebuilt: false });
    const reads: string[][] = [];
    const bulkGet = db.meta.bulkGet.bind(db.meta);
    db.meta.bulkGet = (keys: string[]) => {
      reads.push(keys);
      return bulkGet(keys);
    };
    const second = await loadSearcher(db, undefined, first);
    expect(second.segments[0]).toBe(first.segments[0]);
    expect(second.segments).toHaveLength(2);
    expect(reads).toEqual([[(await readManifest(db))?.segments[1]?.key]]);
    expect(ids(second.search(parseQuery('implicit')))).toEqual(['arxiv:2010.02502']);

    // A prune renumbers ordinals: appending would be wrong, so the next refresh rebuilds.
    await db.meta.put({
      key: 'stats',
      value: { count: 4, revision: 9, lookupChangedAt: 1, prunedAt: 9 },
    });
    expect(await searchIndexIsStale(db)).toBe(true);
    expect(await refreshSearchIndex(db, 3)).toMatchObject({ papers: 4, rebuilt: true });
    expect(await searchIndexIsStale(db)).toBe(false);
  });
});
