// @vitest-environment jsdom
/**
 * Abstracts a page shows follow its badges: the look-up carries none (only that there is one), then
 * the scanner asks which the index lacks and hands over just those, in chunks; relevance gets the
 * abstracts of the papers the index does not have.
 */
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { ATTR_ENTRY, Annotator } from './annotate';
import { lazyAbstract, showsAbstract, text } from './dom';
import type { EntryAnnotation, PageEntry } from './messages';
import { ABSTRACT_CHUNK_CHARS } from './page-limits';
import { PageScanner } from './page-scanner';
import type { DetectedPaper, SiteAdapter } from './sites/types';

/** `li[data-paper]` entries; the abstract is the `p` when there is one, the id the attribute. */
const adapter: SiteAdapter = {
  id: 'test',
  name: 'Test',
  matches: [],
  isListing: () => true,
  findPapers: (root) =>
    [...root.querySelectorAll('li h3')].map((titleElement) => {
      const item = titleElement.closest('li');
      const id = item?.getAttribute('data-paper');
      const paper: DetectedPaper = {
        titleElement,
        title: text(titleElement),
        ids: id ? [`arxiv:${id}`] : [],
        authors: ['A. Author'],
      };
      return lazyAbstract(paper, item?.querySelector('p') ?? null);
    }),
  examples: { listing: [] },
};

type Noted = PageEntry & { abstract: string };

function setup({ indexed = new Set<string>(), lacking = new Set<string>() } = {}) {
  const lookups: PageEntry[][] = [];
  const offers: { ref: number; ids: string[] }[][] = [];
  const notes: Noted[][] = [];
  const scored: (PageEntry & { id?: string })[][] = [];
  const annotator = new Annotator({
    document,
    schedule: (callback) => setTimeout(callback, 0),
    onToggleSave: () => undefined,
  });
  const scanner = new PageScanner({
    root: document,
    url: () => new URL('https://arxiv.org/list/cs.LG/new'),
    adapterFor: () => adapter,
    lookup: (entries) => {
      lookups.push(entries);
      return Promise.resolve({
        annotations: entries.map((entry): EntryAnnotation => {
          const id = entry.ids[0];
          const matched = id !== undefined && indexed.has(id);
          return { ref: entry.ref, ...(id ? { id } : {}), matched, confidence: 1, saved: false };
        }),
        relevancePending: true,
      });
    },
    score: (entries) => {
      scored.push(entries);
      return Promise.resolve([]);
    },
    // The index wants what it lacks: papers it does not have, and those it has without an abstract.
    abstractsWanted: (entries) => {
      offers.push(entries);
      return Promise.resolve(
        entries
          .filter(({ ids }) => !indexed.has(ids[0] ?? '') || lacking.has(ids[0] ?? ''))
          .map(({ ref }) => ref),
      );
    },
    noteAbstracts: (entries) => {
      notes.push(entries);
      return Promise.resolve();
    },
    annotator,
    isValid: () => true,
    onError: (error) => {
      throw error;
    },
  });
  return { scanner, lookups, offers, notes, scored };
}

function listing(items: { id?: string; title: string; abstract?: string }[]): void {
  const list = document.createElement('ul');
  for (const item of items) {
    const entry = document.createElement('li');
    if (item.id) entry.dataset.paper = item.id;
    const title = document.createElement('h3');
    title.textContent = item.title;
    entry.append(title);
    if (item.abstract) {
      const abstract = document.createElement('p');
      abstract.textContent = item.abstract;
      entry.append(abstract);
    }
    list.append(entry);
  }
  document.body.replaceChildren(list);
}

beforeEach(() => {
  document.body.replaceChildren();
});

describe('abstracts a page shows', () => {
  it('stay out of the look-up, and only those the index lacks follow the badges', async () => {
    listing([
      { id: '2501.00001', title: 'Indexed with abstract', abstract: 'Known already.' },
      { id: '2501.00002', title: 'Indexed without abstract', abstract: 'Fills a gap.' },
      { id: '2501.00003', title: 'Not indexed', abstract: 'A new paper.' },
      { id: '2501.00004', title: 'No abstract on the page' },
      { title: 'No id', abstract: 'Nothing to file it under.' },
    ]);
    const { scanner, lookups, offers, notes, scored } = setup({
      indexed: new Set(['arxiv:2501.00001', 'arxiv:2501.00002']),
      lacking: new Set(['arxiv:2501.00002']),
    });
    await scanner.scan();
    await scanner.settled();

    expect(document.querySelectorAll(`[${ATTR_ENTRY}]`)).toHaveLength(5);
    const [lookup] = lookups;
    expect(lookup?.every((entry) => entry.abstract === undefined)).toBe(true);
    expect(lookup?.map((entry) => entry.hasAbstract === true)).toEqual([
      true,
      true,
      true,
      false,
      true,
    ]);
    // Offered: entries with an id and an abstract; handed over: the two the index lacks.
    expect(offers).toEqual([
      [
        { ref: 0, ids: ['arxiv:2501.00001'] },
        { ref: 1, ids: ['arxiv:2501.00002'] },
        { ref: 2, ids: ['arxiv:2501.00003'] },
      ],
    ]);
    expect(notes.flat()).toEqual([
      {
        ref: 1,
        title: 'Indexed without abstract',
        ids: ['arxiv:2501.00002'],
        authors: ['A. Author'],
        abstract: 'Fills a gap.',
      },
      {
        ref: 2,
        title: 'Not indexed',
        ids: ['arxiv:2501.00003'],
        authors: ['A. Author'],
        abstract: 'A new paper.',
      },
    ]);
    // Relevance scores unindexed papers on the page's abstract; indexed ones on their stored words.
    const byTitle = new Map(scored.flat().map((entry) => [entry.title, entry.abstract]));
    expect(byTitle.get('Indexed with abstract')).toBeUndefined();
    expect(byTitle.get('Indexed without abstract')).toBeUndefined();
    expect(byTitle.get('Not indexed')).toBe('A new paper.');
    expect(byTitle.get('No id')).toBe('Nothing to file it under.');
  });

  it('are read from the page only where they are sent', async () => {
    listing([
      { id: '2501.00001', title: 'Indexed', abstract: 'Known already.' },
      { id: '2501.00003', title: 'Not indexed', abstract: 'A new paper.' },
    ]);
    const { scanner, notes } = setup({ indexed: new Set(['arxiv:2501.00001']) });
    const reads = vi.spyOn(Node.prototype, 'textContent', 'get');
    await scanner.scan();
    await scanner.settled();
    const abstractsRead = reads.mock.contexts.filter((node) => (node as Node).nodeName === 'P');
    reads.mockRestore();
    expect(notes.flat().map((entry) => entry.abstract)).toEqual(['A new paper.']);
    // The unindexed paper's, once (its relevance and its hand-over share the read); never the other.
    expect(abstractsRead).toHaveLength(1);
  });

  it('handed out lazily are read once, when first asked, and are known to be there unread', () => {
    const element = document.createElement('p');
    element.textContent = '  Before   the scan. ';
    const bare: { title: string; abstract?: string } = { title: 'x' };
    const paper = lazyAbstract(bare, element);
    expect(showsAbstract(paper)).toBe(true);
    element.textContent = 'Read later.';
    expect(paper.abstract).toBe('Read later.');
    element.textContent = 'Changed again.';
    expect(paper.abstract).toBe('Read later.');
    const none: { title: string; abstract?: string } = { title: 'y' };
    expect(lazyAbstract(none, null)).toEqual({ title: 'y' });
    expect(showsAbstract({ abstract: '' })).toBe(false);
    expect(showsAbstract({ abstract: 'Eager.' })).toBe(true);
    expect(showsAbstract({})).toBe(false);
  });

  it('are handed over in chunks that stay near ABSTRACT_CHUNK_CHARS', async () => {
    const long = 'word '.repeat(400).trim();
    const count = Math.ceil((3 * ABSTRACT_CHUNK_CHARS) / long.length) + 5;
    listing(
      Array.from({ length: count }, (_, index) => ({
        id: `2501.${String(index).padStart(5, '0')}`,
        title: `Paper ${index}`,
        abstract: long,
      })),
    );
    const { scanner, notes } = setup();
    await scanner.scan();
    await scanner.settled();
    expect(notes.flat().map((entry) => entry.ref)).toEqual(
      Array.from({ length: count }, (_, index) => index),
    );
    expect(notes.length).toBeGreaterThanOrEqual(4);
    for (const chunk of notes) {
      const chars = chunk.reduce((sum, entry) => sum + entry.abstract.length, 0);
      expect(chars).toBeLessThan(ABSTRACT_CHUNK_CHARS + long.length + 100);
    }
  });

  it('are not offered when the index wants none, nor when the page shows none', async () => {
    listing([{ id: '2501.00001', title: 'Indexed with abstract', abstract: 'Known already.' }]);
    const first = setup({ indexed: new Set(['arxiv:2501.00001']) });
    await first.scanner.scan();
    await first.scanner.settled();
    expect(first.offers).toHaveLength(1);
    expect(first.notes).toHaveLength(0);

    listing([{ id: '2501.00009', title: 'Bare entry' }]);
    const second = setup();
    await second.scanner.scan();
    await second.scanner.settled();
    expect(second.offers).toHaveLength(0);
    expect(second.notes).toHaveLength(0);
  });
});
