import { describe, expect, it } from 'vitest';
import { FEATURE_DIM, vectorize } from './features';
import { documentFrequencies, seededRandom } from './model';
import { CHUNK_ROWS, VectorStore, type ChunkStorage, type IndexedText } from './store';

/** `meta` in memory, recording which keys were read. */
function memoryStorage() {
  const map = new Map<string, unknown>();
  const read: string[] = [];
  const storage: ChunkStorage & { map: Map<string, unknown>; read: string[] } = {
    map,
    read,
    async get(key) {
      read.push(key);
      // A structured clone, as IndexedDB gives: nothing read aliases what is stored.
      return structuredClone(map.get(key));
    },
    async getMany(keys) {
      return Promise.all(keys.map((key) => storage.get(key)));
    },
    async put(entries) {
      for (const entry of entries) map.set(entry.key, structuredClone(entry.value));
    },
    async delete(keys) {
      for (const key of keys) map.delete(key);
    },
  };
  return storage;
}

/** An index whose papers can be appended, edited in place, or replaced wholesale. */
function arrayIndex(initial: IndexedText[]) {
  const index = { papers: initial, revision: 1 };
  return {
    index,
    source: {
      async stats() {
        return { count: index.papers.length, revision: index.revision };
      },
      async readFrom(
        from: number,
        visit: (batch: { ordinal: number; paper: IndexedText }[]) => Promise<void> | void,
      ) {
        for (let start = from; start < index.papers.length; start += 100) {
          await visit(
            index.papers
              .slice(start, start + 100)
              .map((paper, offset) => ({ ordinal: start + offset, paper })),
          );
        }
      },
      async ordinals(ids: readonly string[]) {
        const found = new Map<string, number>();
        index.papers.forEach((paper, ordinal) => {
          if (ids.includes(paper.id)) found.set(paper.id, ordinal);
        });
        return found;
      },
    },
  };
}

const WORDS = 'qubit lattice gauge spinor galaxy neutrino tensor graph kernel photon boson vortex'
  .split(' ')
  .concat('flux meson quark gluon lepton baryon string brane plasma soliton'.split(' '));

function papers(count: number, seed = 1, prefix = 'p'): IndexedText[] {
  const random = seededRandom(seed);
  const pick = (): string => WORDS[Math.floor(random() * WORDS.length)] ?? '';
  return Array.from({ length: count }, (_, index) => ({
    id: `arxiv:2401.${prefix}${index}`,
    title: `${pick()} ${pick()} ${pick()}`,
    abstract: Array.from({ length: 12 }, pick).join(' '),
    authors: [`Ann ${pick()}`],
  }));
}

const stored = (vector: Uint32Array | undefined): number[] => Array.from(vector ?? []);

describe('vector store', () => {
  it('reads back only the manifest on a cold start, then only the chunks a look-up needs', async () => {
    const corpus = papers(5 * CHUNK_ROWS + 10);
    const { source } = arrayIndex(corpus);
    const storage = memoryStorage();
    await new VectorStore(source, storage).sync();

    storage.read.length = 0;
    const cold = new VectorStore(source, storage);
    await cold.load();
    expect(storage.read).toEqual(['relevance:vectors']);
    expect(cold.size).toBe(corpus.length);

    const wanted = [corpus[3]!, corpus[CHUNK_ROWS * 4 + 1]!];
    const found = await cold.vectors([...wanted.map((paper) => paper.id), 'arxiv:unknown']);
    expect(storage.read.slice(1).sort()).toEqual(['relevance:v2:0', 'relevance:v2:4']);
    expect([...found.keys()]).toEqual(wanted.map((paper) => paper.id));
    for (const paper of wanted) {
      expect(stored(found.get(paper.id)?.vector)).toEqual(stored(vectorize(paper)));
      expect(found.get(paper.id)?.hasAbstract).toBe(true);
    }
    // A second look-up is served from memory.
    storage.read.length = 0;
    await cold.vectors([wanted[0]!.id]);
    expect(storage.read).toEqual([]);
  });

  it('keeps document frequencies exact through appends and in-place edits, across restarts', async () => {
    const corpus = papers(3 * CHUNK_ROWS);
    const { index, source } = arrayIndex(corpus);
    const storage = memoryStorage();
    let now = 0;
    const store = new VectorStore(source, storage, { now: () => now });
    await store.sync();
    index.papers = [...corpus, ...papers(CHUNK_ROWS + 5, 2, 'q')];
    index.revision = 2;
    await store.sync();
    const edited = { ...index.papers[7]!, abstract: 'entirely different plasma soliton words' };
    index.papers[7] = edited;
    index.revision = 3;
    now = 60 * 60_000; // past the full-scan interval
    await store.sync();

    const restarted = new VectorStore(source, storage);
    await restarted.load();
    expect(restarted.size).toBe(index.papers.length);
    const expected = documentFrequencies(index.papers.map((paper) => vectorize(paper)));
    const df = (storage.map.get('relevance:vectors') as { df: Uint32Array }).df;
    expect(Array.from(df)).toEqual(Array.from(expected));
    expect(restarted.inverseDocumentFrequencies()).toHaveLength(FEATURE_DIM);
    const found = await restarted.vectors([edited.id]);
    expect(stored(found.get(edited.id)?.vector)).toEqual(stored(vectorize(edited)));
  });

  it('discards an older build’s vectors (format 1) instead of misreading them, and rebuilds', async () => {
    const corpus = papers(40);
    const { source } = arrayIndex(corpus);
    const storage = memoryStorage();
    // Format 1: 2^18-space vectors in 2,048-row chunks.
    storage.map.set('relevance:vectors', { format: 1, count: 40, revision: 1, fullScanAt: 0 });
    storage.map.set('relevance:vectors:0', {
      ids: corpus.map((paper) => paper.id),
      fingerprints: new Uint32Array(40),
      flags: new Uint8Array(40),
      offsets: new Uint32Array(41),
      data: new Uint32Array(0),
    });
    const store = new VectorStore(source, storage);
    await store.load();
    expect(store.size).toBe(0);
    expect(storage.map.has('relevance:vectors:0')).toBe(false);
    await store.sync();
    expect(store.size).toBe(40);
    const found = await store.vectors([corpus[5]!.id]);
    expect(stored(found.get(corpus[5]!.id)?.vector)).toEqual(stored(vectorize(corpus[5]!)));
  });

  it('never reads a chunk of an earlier generation, nor a row that names another paper', async () => {
    const first = papers(3 * CHUNK_ROWS, 1, 'a');
    const { index, source } = arrayIndex(first);
    const storage = memoryStorage();
    let generation = 1;
    const store = new VectorStore(source, storage, { newGeneration: () => generation++ });
    await store.sync();
    const leftover = storage.map.get('relevance:v2:1');
    // The index was rebuilt with fewer papers, whose text changed: the old vectors are wrong.
    const second = first
      .slice(0, CHUNK_ROWS + 10)
      .map((paper) => ({ ...paper, abstract: `revised plasma ${paper.abstract ?? ''}` }));
    index.papers = second;
    index.revision = 9;
    await store.sync();
    expect(store.size).toBe(second.length);
    expect(storage.map.has('relevance:v2:2')).toBe(false);
    // Even if a chunk of the old generation survived (a write lost), it is not read as current.
    storage.map.set('relevance:v2:1', leftover);
    const restarted = new VectorStore(source, storage);
    const found = await restarted.vectors([second[0]!.id, second[CHUNK_ROWS + 2]!.id]);
    expect([...found.keys()]).toEqual([second[0]!.id]);
    // A row whose id differs from the one asked for (the index moved the paper) is not trusted.
    const wrongOrdinal = { ...source, ordinals: async () => new Map([[first[0]!.id, 1]]) };
    expect(await new VectorStore(wrongOrdinal, storage).vectors([first[0]!.id])).toEqual(new Map());
  });

  it('serves papers looked up lately without their chunks, and never a row that changed since', async () => {
    const corpus = papers(4 * CHUNK_ROWS);
    const { index, source } = arrayIndex(corpus);
    const storage = memoryStorage();
    let now = 0;
    // No chunk cache at all: whatever a second look-up finds in memory is a remembered row.
    const store = new VectorStore(source, storage, { now: () => now, cacheBytes: 0 });
    await store.sync();
    const page = [corpus[1]!, corpus[CHUNK_ROWS + 5]!, corpus[3 * CHUNK_ROWS + 9]!];
    storage.read.length = 0;
    await store.vectors(page.map((paper) => paper.id));
    expect(storage.read).toHaveLength(3);
    storage.read.length = 0;
    const again = await store.vectors(page.map((paper) => paper.id));
    expect(storage.read).toEqual([]);
    for (const paper of page)
      expect(stored(again.get(paper.id)?.vector)).toEqual(stored(vectorize(paper)));

    // Its abstract changed in the index: the remembered row goes with the old vector.
    const edited = { ...page[1]!, abstract: 'entirely different plasma soliton words' };
    index.papers = corpus.map((paper) => (paper.id === edited.id ? edited : paper));
    index.revision = 2;
    now = 60 * 60_000;
    await store.sync();
    const after = await store.vectors([edited.id]);
    expect(stored(after.get(edited.id)?.vector)).toEqual(stored(vectorize(edited)));

    // The index was cleared and rebuilt with other papers at those ordinals: nothing stale stays.
    index.papers = papers(CHUNK_ROWS, 7, 'z');
    index.revision = 3;
    await store.sync();
    expect(await store.vectors(page.map((paper) => paper.id))).toEqual(new Map());
  });

  it('keeps remembered rows within their memory limit, least recently used first out', async () => {
    const corpus = papers(3 * CHUNK_ROWS);
    const { source } = arrayIndex(corpus);
    const storage = memoryStorage();
    const probe = new VectorStore(source, storage);
    await probe.sync();
    const rowBytes = (paper: IndexedText): number => vectorize(paper).byteLength + 160;
    const [a, b, c] = [corpus[0]!, corpus[CHUNK_ROWS]!, corpus[2 * CHUNK_ROWS]!];
    const store = new VectorStore(source, storage, {
      cacheBytes: 0,
      recentRowBytes: rowBytes(a) + rowBytes(b) + rowBytes(c) - 1,
    });
    await store.vectors([a.id, b.id]);
    await store.vectors([a.id]); // a is now the most recently used
    await store.vectors([c.id]); // over the limit: b goes
    storage.read.length = 0;
    await store.vectors([a.id, c.id]);
    expect(storage.read).toEqual([]);
    await store.vectors([b.id]);
    expect(storage.read).toEqual(['relevance:v2:1']);
    expect(store.bytes).toBeLessThanOrEqual(
      2 * FEATURE_DIM * 4 + rowBytes(a) + rowBytes(b) + rowBytes(c),
    );
  });

  it('samples stored papers without the excluded ones, reproducibly', async () => {
    const corpus = papers(20 * CHUNK_ROWS);
    const { source } = arrayIndex(corpus);
    const store = new VectorStore(source, memoryStorage());
    await store.sync();
    const exclude = new Set(corpus.slice(0, 100).map((paper) => paper.id));
    const a = await store.sample(300, seededRandom(5), exclude);
    const b = await store.sample(300, seededRandom(5), exclude);
    expect(a).toHaveLength(300);
    expect(a.map((row) => row.id)).toEqual(b.map((row) => row.id));
    expect(a.some((row) => exclude.has(row.id))).toBe(false);
    expect(new Set(a.map((row) => row.id)).size).toBe(300);
    // Rows decoded from cached chunks are the vectors computed at import.
    const byId = new Map(corpus.map((paper) => [paper.id, paper]));
    for (const row of a.slice(0, 50))
      expect(stored(row.vector)).toEqual(stored(vectorize(byId.get(row.id)!)));
    const all = await store.sample(10 * corpus.length, seededRandom(1), new Set());
    expect(all).toHaveLength(corpus.length);
  });
});
