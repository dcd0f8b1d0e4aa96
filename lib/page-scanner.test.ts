// @vitest-environment jsdom
/**
 * The content script's loop without a browser: detection → one look-up per new content →
 * annotation, under infinite scroll, SPA re-renders that reuse or replace elements, failures and
 * invalidation. Timing is not asserted here (that is `npm run bench`).
 */
import { beforeEach, describe, expect, it } from 'vitest';
import {
  ATTR_ENTRY,
  ATTR_ID,
  ATTR_SAVED,
  Annotator,
  BADGE_TAG,
  type BadgeContext,
} from './annotate';
import type { EntryAnnotation, PageEntry } from './messages';
import { PageScanner, whenParsed } from './page-scanner';
import { text } from './dom';
import type { SiteAdapter } from './sites/types';

/** A minimal adapter: `li[data-paper]` entries, id from the attribute, title from the h3. */
const testAdapter: SiteAdapter = {
  id: 'test',
  name: 'Test',
  matches: [],
  isListing: (url) => url.pathname.startsWith('/list'),
  findPapers: (root) =>
    [...root.querySelectorAll('li[data-paper] h3')].map((titleElement) => ({
      titleElement,
      title: text(titleElement),
      ids: [`arxiv:${titleElement.closest('li')?.getAttribute('data-paper') ?? ''}`],
      authors: [],
    })),
  examples: { listing: [] },
};

const frames = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));

interface Harness {
  scanner: PageScanner;
  annotator: Annotator;
  lookups: PageEntry[][];
  saved: Set<string>;
  fail: { next: boolean };
  valid: { value: boolean };
  decorated: BadgeContext[];
  path: { value: string };
  /** Resolves held look-ups (when `hold` is on). */
  release: () => void;
  hold: { value: boolean };
}

function setup(): Harness {
  const lookups: PageEntry[][] = [];
  const saved = new Set<string>();
  const fail = { next: false };
  const valid = { value: true };
  const hold = { value: false };
  const path = { value: '/list/new' };
  const decorated: BadgeContext[] = [];
  let held: (() => void)[] = [];
  const annotator = new Annotator({
    document,
    schedule: (callback) => setTimeout(callback, 0),
    onToggleSave: () => undefined,
    decorate: (context) => {
      decorated.push(context);
      const chip = document.createElement('span');
      chip.textContent = 'chip';
      context.extras.append(chip);
    },
  });
  const scanner = new PageScanner({
    root: document,
    url: () => new URL(`https://example.org${path.value}`),
    adapterFor: (url) => (testAdapter.isListing(url) ? testAdapter : undefined),
    lookup: async (entries) => {
      lookups.push(entries);
      if (fail.next) {
        fail.next = false;
        throw new Error('Could not establish connection. Receiving end does not exist.');
      }
      if (hold.value) await new Promise<void>((resolve) => held.push(resolve));
      return entries.map((entry): EntryAnnotation => ({
        ref: entry.ref,
        id: entry.ids[0],
        matched: entry.ids[0] !== 'arxiv:2401.00009',
        confidence: 1,
        saved: saved.has(entry.ids[0] ?? ''),
      }));
    },
    annotator,
    isValid: () => valid.value,
    onError: () => undefined,
  });
  return {
    scanner,
    annotator,
    lookups,
    saved,
    fail,
    valid,
    decorated,
    path,
    hold,
    release: () => {
      held.forEach((resolve) => resolve());
      held = [];
    },
  };
}

function item(id: string, title: string): string {
  return `<li data-paper="${id}"><h3>${title}</h3><p>by someone</p></li>`;
}

const badgesAfter = (h3: Element | null): number =>
  h3?.nextElementSibling?.tagName.toLowerCase() === BADGE_TAG ? 1 : 0;

beforeEach(() => {
  document.body.replaceChildren();
  document.body.insertAdjacentHTML(
    'afterbegin',
    `<ul id="list">${item('2401.00001', 'First')}${item('2401.00002', 'Second')}</ul>`,
  );
});

describe('PageScanner with the Annotator', () => {
  it('annotates each entry once, with one badge, and asks nothing again for the same content', async () => {
    const h = setup();
    await h.scanner.scan();
    await h.scanner.scan();
    expect(h.lookups).toHaveLength(1);
    expect(h.lookups[0]?.map((entry) => entry.ids)).toEqual([
      ['arxiv:2401.00001'],
      ['arxiv:2401.00002'],
    ]);
    expect(document.querySelectorAll(BADGE_TAG)).toHaveLength(2);
    const first = document.querySelector('h3');
    expect(first?.getAttribute(ATTR_ENTRY)).toBe('matched');
    expect(first?.getAttribute(ATTR_ID)).toBe('arxiv:2401.00001');
    expect(h.decorated).toHaveLength(2);
  });

  it('looks up only the entries that appear later (infinite scroll, load more)', async () => {
    const h = setup();
    await h.scanner.scan();
    document.querySelector('#list')?.insertAdjacentHTML('beforeend', item('2401.00003', 'Third'));
    await h.scanner.scan();
    expect(h.lookups.map((batch) => batch.map((entry) => entry.title))).toEqual([
      ['First', 'Second'],
      ['Third'],
    ]);
    expect(document.querySelectorAll(BADGE_TAG)).toHaveLength(3);
  });

  it('re-reads an element a framework reuses for another paper, keeping one badge', async () => {
    const h = setup();
    await h.scanner.scan();
    const li = document.querySelector('li');
    const h3 = li?.querySelector('h3');
    li?.setAttribute('data-paper', '2401.00009');
    if (h3?.firstChild) h3.firstChild.textContent = 'Replaced by the router';
    await h.scanner.scan();
    expect(h.lookups[1]?.map((entry) => entry.title)).toEqual(['Replaced by the router']);
    expect(h3?.getAttribute(ATTR_ID)).toBe('arxiv:2401.00009');
    expect(h3?.getAttribute(ATTR_ENTRY)).toBe('unmatched');
    expect(badgesAfter(h3 ?? null)).toBe(1);
    expect(document.querySelectorAll(BADGE_TAG)).toHaveLength(2);
    // The old id no longer points at this element.
    h.annotator.setSaved('arxiv:2401.00001', true);
    expect(h3?.hasAttribute(ATTR_SAVED)).toBe(false);
  });

  it('after five SPA navigations that re-render the list, there is exactly one badge per entry', async () => {
    const h = setup();
    for (let page = 1; page <= 5; page += 1) {
      h.path.value = `/list/page-${page}`;
      const list = document.querySelector('#list');
      if (!list) throw new Error('no list');
      // Half the rows are new elements, half are kept and given new content (keyed re-render).
      list.querySelectorAll('li')[1]?.remove();
      const kept = list.querySelector('li');
      kept?.setAttribute('data-paper', `2402.0000${page}`);
      const keptTitle = kept?.querySelector('h3');
      if (keptTitle?.firstChild) keptTitle.firstChild.textContent = `Kept ${page}`;
      list.insertAdjacentHTML('beforeend', item(`2403.0000${page}`, `New ${page}`));
      await h.scanner.scan();
      const titles = [...document.querySelectorAll('li h3')];
      expect(titles.map(badgesAfter)).toEqual(titles.map(() => 1));
      expect(document.querySelectorAll(BADGE_TAG)).toHaveLength(titles.length);
      expect(titles.map((title) => title.getAttribute(ATTR_ID))).toEqual([
        `arxiv:2402.0000${page}`,
        `arxiv:2403.0000${page}`,
      ]);
    }
  });

  it('removes badges left behind when the page drops their title, and puts back ones the page removed', async () => {
    const h = setup();
    await h.scanner.scan();
    const [first, second] = [...document.querySelectorAll('h3')];
    first?.remove(); // the badge (its next sibling) stays behind: an orphan
    second?.nextElementSibling?.remove(); // a re-render dropped our badge but kept the title
    await h.scanner.scan();
    expect(document.querySelectorAll(BADGE_TAG)).toHaveLength(1);
    expect(badgesAfter(second ?? null)).toBe(1);
    expect(h.lookups).toHaveLength(1); // put back from memory, not asked again
  });

  it('reflects saves on every entry of the paper, also after a badge is restored', async () => {
    document.querySelector('#list')?.insertAdjacentHTML('beforeend', item('2401.00001', 'First'));
    const h = setup();
    await h.scanner.scan();
    h.annotator.setSaved('arxiv:2401.00001', true);
    const copies = document.querySelectorAll('[data-paperlight-id="arxiv:2401.00001"]');
    expect([...copies].map((el) => el.getAttribute(ATTR_SAVED))).toEqual(['true', 'true']);
    copies[0]?.nextElementSibling?.remove();
    await h.scanner.scan();
    await frames();
    expect(copies[0]?.getAttribute(ATTR_SAVED)).toBe('true');
  });

  it('asks again after a failed look-up, and coalesces scans that overlap', async () => {
    const h = setup();
    h.fail.next = true;
    await h.scanner.scan();
    expect(document.querySelectorAll(BADGE_TAG)).toHaveLength(0);
    h.hold.value = true;
    const first = h.scanner.scan();
    const second = h.scanner.scan();
    await frames();
    h.release();
    await Promise.all([first, second]);
    expect(h.lookups).toHaveLength(2);
    expect(document.querySelectorAll(BADGE_TAG)).toHaveLength(2);
  });

  it('ignores an answer for content the page replaced while waiting', async () => {
    const h = setup();
    h.hold.value = true;
    const scan = h.scanner.scan();
    await frames();
    const h3 = document.querySelector('h3');
    document.querySelector('li')?.setAttribute('data-paper', '2401.00005');
    const rescan = h.scanner.scan(); // the observer reacts to the change while the look-up waits
    h.hold.value = false;
    h.release();
    await scan;
    await rescan;
    expect(h.lookups.map((batch) => batch.map((entry) => entry.ids[0]))).toEqual([
      ['arxiv:2401.00001', 'arxiv:2401.00002'],
      ['arxiv:2401.00005'],
    ]);
    expect(h3?.getAttribute(ATTR_ID)).toBe('arxiv:2401.00005');
    expect(badgesAfter(h3)).toBe(1);
    // Never rendered with the answer for the paper it no longer shows.
    const rendered = h.decorated.filter((context) => context.titleElement === h3);
    expect(rendered.map((context) => context.annotation.id)).toEqual(['arxiv:2401.00005']);
  });

  it('does nothing on pages no adapter reads, and nothing once invalidated', async () => {
    const h = setup();
    h.path.value = '/about';
    await h.scanner.scan();
    h.path.value = '/list/new';
    h.valid.value = false;
    await h.scanner.scan();
    expect(h.lookups).toHaveLength(0);
  });

  it('clear() takes away every badge and attribute it added', async () => {
    const h = setup();
    await h.scanner.scan();
    h.annotator.setSaved('arxiv:2401.00002', true);
    h.annotator.clear();
    expect(document.querySelectorAll(BADGE_TAG)).toHaveLength(0);
    expect(
      document.querySelectorAll(`[${ATTR_ENTRY}], [${ATTR_ID}], [${ATTR_SAVED}]`),
    ).toHaveLength(0);
    expect(document.body.innerHTML).toBe(
      `<ul id="list">${item('2401.00001', 'First')}${item('2401.00002', 'Second')}</ul>`,
    );
  });
});

describe('whenParsed', () => {
  it('waits for DOMContentLoaded while the document is still loading', async () => {
    const doc = document.implementation.createHTMLDocument('loading');
    Object.defineProperty(doc, 'readyState', { value: 'loading', configurable: true });
    let parsed = false;
    const waiting = whenParsed(doc).then(() => {
      parsed = true;
    });
    await Promise.resolve();
    await Promise.resolve();
    expect(parsed).toBe(false);
    Object.defineProperty(doc, 'readyState', { value: 'interactive', configurable: true });
    doc.dispatchEvent(new Event('DOMContentLoaded'));
    await waiting;
    expect(parsed).toBe(true);
  });

  it('resolves at once for a document already parsed (a script started at document_end)', async () => {
    const doc = document.implementation.createHTMLDocument('parsed');
    Object.defineProperty(doc, 'readyState', { value: 'interactive', configurable: true });
    await expect(whenParsed(doc)).resolves.toBeUndefined();
  });
});
