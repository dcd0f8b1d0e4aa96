// @vitest-environment jsdom
/**
 * Relevance that follows the badges: the look-up answers matches first (`relevancePending`), the
 * scanner draws them at once and redraws the entries when their scores arrive — unless the element
 * shows another paper by then.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { ATTR_ENTRY, ATTR_RELEVANCE, Annotator } from './annotate';
import { text } from './dom';
import type { EntryAnnotation, PageEntry } from './messages';
import { PageScanner } from './page-scanner';
import type { EntryRelevance } from './relevance/types';
import type { SiteAdapter } from './sites/types';

const adapter: SiteAdapter = {
  id: 'test',
  name: 'Test',
  matches: [],
  isListing: () => true,
  findPapers: (root) =>
    [...root.querySelectorAll('li[data-paper] h3')].map((titleElement) => ({
      titleElement,
      title: text(titleElement),
      ids: [`arxiv:${titleElement.closest('li')?.getAttribute('data-paper') ?? ''}`],
      authors: [],
    })),
  examples: { listing: [] },
};

function relevance(score: number): EntryRelevance {
  return {
    score,
    level: 'strong',
    color: '#7c3aed',
    reasons: { interestTerms: [], words: [], titleOnly: true },
    tags: [],
  };
}

function setup() {
  const scored: (PageEntry & { id?: string })[][] = [];
  const held: (() => void)[] = [];
  const annotator = new Annotator({
    document,
    schedule: (callback) => setTimeout(callback, 0),
    onToggleSave: () => undefined,
  });
  const scanner = new PageScanner({
    root: document,
    url: () => new URL('https://example.org/list'),
    adapterFor: () => adapter,
    lookup: (entries) =>
      Promise.resolve({
        annotations: entries.map((entry): EntryAnnotation => ({
          ref: entry.ref,
          id: entry.ids[0],
          matched: true,
          confidence: 1,
          saved: false,
        })),
        relevancePending: true,
      }),
    score: async (entries) => {
      scored.push(entries);
      await new Promise<void>((resolve) => held.push(resolve));
      // Told apart by title, so a score drawn on the wrong paper shows.
      return entries.map((entry) => ({
        ref: entry.ref,
        relevance: relevance(entry.title === 'First' ? 0.11 : 0.8),
      }));
    },
    annotator,
    isValid: () => true,
    onError: (error) => {
      throw error;
    },
  });
  /** Lets the oldest held scoring request answer. */
  const release = (): void => held.shift()?.();
  return { scanner, scored, release };
}

const titles = (): Element[] => [...document.querySelectorAll('li h3')];

beforeEach(() => {
  document.body.replaceChildren();
  document.body.insertAdjacentHTML(
    'afterbegin',
    '<ul><li data-paper="2401.00001"><h3>First</h3></li><li data-paper="2401.00002"><h3>Second</h3></li></ul>',
  );
});

describe('PageScanner with relevance that follows the look-up', () => {
  it('draws the badges without waiting for relevance, then adds it', async () => {
    const h = setup();
    await h.scanner.scan();
    expect(titles().map((title) => title.getAttribute(ATTR_ENTRY))).toEqual(['matched', 'matched']);
    expect(titles().map((title) => title.getAttribute(ATTR_RELEVANCE))).toEqual([null, null]);
    // The second request names each entry by the id the look-up gave it.
    expect(h.scored[0]?.map((entry) => [entry.ref, entry.id])).toEqual([
      [0, 'arxiv:2401.00001'],
      [1, 'arxiv:2401.00002'],
    ]);
    h.release();
    await h.scanner.settled();
    expect(titles().map((title) => title.getAttribute(ATTR_RELEVANCE))).toEqual(['0.11', '0.80']);
  });

  it('does not draw scores on an element that shows another paper by then', async () => {
    const h = setup();
    await h.scanner.scan();
    const [first] = titles();
    first?.closest('li')?.setAttribute('data-paper', '2401.00009');
    if (first) first.textContent = 'Another paper';
    await h.scanner.scan(); // looks the new content up; its scoring request waits too
    h.release(); // the first request: scores for "First" and "Second"
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(titles().map((title) => title.getAttribute(ATTR_RELEVANCE))).toEqual([null, '0.80']);
    h.release(); // the second request: the score for "Another paper"
    await h.scanner.settled();
    expect(titles().map((title) => title.getAttribute(ATTR_RELEVANCE))).toEqual(['0.80', '0.80']);
  });
});
