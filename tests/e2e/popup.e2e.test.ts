/**
 * The popup in real Chromium, driven by the keyboard only: search the index, open a result, save
 * it, tag it, filter the library, bulk-delete with undo; the current tab's papers; no serious axe
 * findings; light and dark screenshots.
 */
import type { Page } from 'playwright-core';
import { afterEach, describe, expect, it } from 'vitest';
import { hasShared, readReal } from '../shared';
import {
  hasChromium,
  importPapers,
  launch,
  openExtensionPage,
  screenshot,
  serve,
  type Session,
  seriousAxeFindings,
} from './harness';

/** Reconstructed index records (public metadata of well-known papers), with math in one abstract. */
const INDEX_FILE = [
  {
    id: '2006.11239',
    title: 'Denoising Diffusion Probabilistic Models',
    authors: ['Jonathan Ho', 'Ajay Jain', 'Pieter Abbeel'],
    abstract:
      'We present high quality image synthesis results using diffusion probabilistic models, a class of latent variable models with $\\beta_t$ noise schedules and $\\mathcal{L}_{simple}$ losses.',
    published: '2020-06-19',
    categories: ['cs.LG'],
  },
  {
    id: '2010.02502',
    title: 'Denoising Diffusion Implicit Models',
    authors: ['Jiaming Song', 'Chenlin Meng', 'Stefano Ermon'],
    abstract: 'Implicit models accelerate sampling with a non-Markovian diffusion process.',
    published: '2020-10-06',
  },
  {
    id: '1706.03762',
    title: 'Attention Is All You Need',
    authors: ['Ashish Vaswani', 'Noam Shazeer'],
    abstract: 'The Transformer, based solely on attention mechanisms, dispensing with recurrence.',
    published: '2017-06-12',
  },
  {
    id: '2408.04000',
    title: 'Quantisation of type IIB superstring theory and the matrix model',
    abstract: 'We discuss the path-integral quantisation.',
    authors: ['Yuhma Asano'],
  },
  {
    id: '2408.04001',
    title: 'Holographic Gubser flow: A combined analytic and numerical study',
    authors: ['Toshali Mitra'],
  },
]
  .map((record) => JSON.stringify(record))
  .join('\n');

const POPUP_VIEWPORT = { width: 720, height: 580 };

let session: Session | undefined;
afterEach(async () => {
  await session?.close({ removeProfile: true });
  session = undefined;
});

async function openPopup(current: Session, query = ''): Promise<Page> {
  const page = await openExtensionPage(current, `popup.html${query}`);
  await page.setViewportSize(POPUP_VIEWPORT);
  await page.locator('#popup-search').waitFor();
  return page;
}

describe.skipIf(!hasChromium)('popup end to end', () => {
  it('searches, opens, saves, tags, filters and bulk-deletes with undo — keyboard only', async () => {
    session = await launch();
    await (await importPapers(session, 'papers.jsonl', INDEX_FILE)).close();
    const popup = await openPopup(session);

    // Focused on open.
    expect(await popup.evaluate(() => document.activeElement?.id)).toBe('popup-search');
    expect(await popup.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(
      800,
    );

    // Search the whole index: the last word is a prefix; words may come from the abstract.
    await popup.keyboard.type('diffusion mod');
    const results = popup.getByRole('list', { name: 'Search results' });
    await expect.poll(() => results.getByRole('listitem').count(), { timeout: 20_000 }).toBe(2);
    await popup.keyboard.press('Backspace');
    await popup.keyboard.press('Backspace');
    await popup.keyboard.press('Backspace');
    await popup.keyboard.type('implicit non markov');
    await expect.poll(() => results.getByRole('listitem').count()).toBe(1);
    await popup.keyboard.press('Control+A');
    await popup.keyboard.type('latent variable');
    await expect.poll(() => results.getByRole('listitem').count()).toBe(1);
    await screenshot(popup, 'popup-search-light');

    // Into the list, open the first result: abstract with math rendered as text.
    await popup.keyboard.press('ArrowDown');
    const row = popup.locator('article[data-paper-id="arxiv:2006.11239"]');
    await expect
      .poll(() => row.evaluate((element) => element === document.activeElement))
      .toBe(true);
    await popup.keyboard.press('Enter');
    await expect.poll(() => row.locator('.row-abstract').textContent()).toContain('β');
    expect(await row.locator('.row-abstract .math sub').count()).toBeGreaterThan(0);

    // Save (s), then tag (t): the tag input takes focus; Enter adds, Esc returns to the row.
    await popup.keyboard.press('s');
    await popup.getByText(/^Saved /).waitFor();
    await expect.poll(() => row.locator('.status').textContent()).toBe('To read');
    await popup.keyboard.press('t');
    await expect
      .poll(() => popup.evaluate(() => document.activeElement?.className))
      .toBe('tag-input');
    await popup.keyboard.type('generative');
    await popup.keyboard.press('Enter');
    await expect.poll(() => row.locator('.tag-chip').first().textContent()).toContain('generative');
    await popup.keyboard.press('Escape');
    await popup.keyboard.press('r');
    await expect.poll(() => row.locator('.status').textContent()).toBe('Reading');
    await screenshot(popup, 'popup-open-result-light');

    // Filter the library by tag with the query prefix.
    await popup.keyboard.press('/');
    await popup.keyboard.press('Control+A');
    await popup.keyboard.type('t:generative');
    await expect.poll(() => results.getByRole('listitem').count()).toBe(1);
    await popup.keyboard.press('Control+A');
    await popup.keyboard.type('t:nothing-tagged');
    await popup.getByText('Nothing matches.').waitFor();

    // Save a second paper, then the Library view: select all (x on each) and delete, then undo.
    await popup.keyboard.press('Control+A');
    await popup.keyboard.type('attention');
    await expect.poll(() => results.getByRole('listitem').count()).toBe(1);
    await popup.keyboard.press('ArrowDown');
    const attention = popup.locator('article[data-paper-id="arxiv:1706.03762"]');
    await expect
      .poll(() => attention.evaluate((element) => element === document.activeElement))
      .toBe(true);
    await popup.keyboard.press('s');
    await popup.getByText(/^Saved /).waitFor();
    await popup.keyboard.press('/');
    await popup.keyboard.press('Control+A');
    await popup.keyboard.press('Backspace');
    await popup.keyboard.press('Alt+2');
    const saved = popup.getByRole('list', { name: 'Saved papers' });
    await expect.poll(() => saved.getByRole('listitem').count()).toBe(2);
    await popup.keyboard.press('ArrowDown');
    await popup.keyboard.press('x');
    await popup.keyboard.press('ArrowDown');
    await popup.keyboard.press('x');
    await popup.getByText('2 selected').waitFor();
    await screenshot(popup, 'popup-library-light');
    await popup.keyboard.press('Delete');
    await popup.getByText(/Removed 2 papers/).waitFor();
    await popup.getByText('Your library is empty.').waitFor();
    await popup.keyboard.press('Control+z');
    await expect.poll(() => saved.getByRole('listitem').count()).toBe(2);
    expect(await saved.getByText('generative').count()).toBeGreaterThan(0);

    // Help lists the shortcuts; Esc closes it.
    await popup.keyboard.press('?');
    await popup.getByRole('dialog', { name: 'Keyboard shortcuts' }).waitFor();
    await screenshot(popup, 'popup-help-light');
    await popup.keyboard.press('Escape');
    await expect.poll(() => popup.getByRole('dialog').count()).toBe(0);

    expect(await seriousAxeFindings(popup)).toEqual([]);

    // Dark mode follows the browser.
    await popup.emulateMedia({ colorScheme: 'dark' });
    const background = await popup.evaluate(() => getComputedStyle(document.body).backgroundColor);
    expect(background).toBe('rgb(17, 19, 24)');
    await screenshot(popup, 'popup-library-dark');
    expect(await seriousAxeFindings(popup)).toEqual([]);
  });

  it('filters and sorts the library by relevance from the keyboard (light and dark)', async () => {
    session = await launch();
    await (await importPapers(session, 'papers.jsonl', INDEX_FILE)).close();
    const popup = await openPopup(session);
    const replies = await popup.evaluate(async () => {
      const { chrome } = globalThis as unknown as {
        chrome: { runtime: { sendMessage(message: unknown): Promise<{ ok: boolean }> } };
      };
      const send = (type: string, payload: unknown) =>
        chrome.runtime.sendMessage({ type, payload });
      return [
        await send('setInterests', { interests: [{ query: 'diffusion' }] }),
        await send('savePaper', { id: 'arxiv:1706.03762' }),
        await send('savePaper', { id: 'arxiv:2006.11239' }),
        await send('savePaper', { id: 'arxiv:2408.04001' }),
      ].map((reply) => reply.ok);
    });
    expect(replies).toEqual([true, true, true, true]);
    await popup.keyboard.press('Alt+2');
    const saved = popup.getByRole('list', { name: 'Saved papers' });
    await expect.poll(() => saved.getByRole('listitem').count()).toBe(3);
    // In list order (rows are positioned by the virtualizer, not by DOM order).
    const order = (): Promise<(string | null)[]> =>
      saved.locator('article[data-paper-id]').evaluateAll((rows) =>
        rows
          .map((row) => ({
            id: row.getAttribute('data-paper-id'),
            index: Number(row.getAttribute('data-index')),
          }))
          .sort((a, b) => a.index - b.index)
          .map((row) => row.id),
      );

    // Sort by relevance: a native select in the tab order, changed with the arrow keys.
    const sort = popup.getByLabel('Sort', { exact: true });
    await sort.focus();
    await popup.keyboard.press('End');
    expect(await sort.inputValue()).toBe('relevance');
    await expect
      .poll(order, { timeout: 20_000 })
      .toEqual(['arxiv:2006.11239', expect.any(String), expect.any(String)]);

    // Keep only relevant papers: the diffusion paper stays.
    const relevance = popup.getByLabel('Relevance', { exact: true });
    await relevance.focus();
    await popup.keyboard.press('ArrowDown');
    expect(await relevance.inputValue()).toBe('0.5');
    await expect.poll(order).toEqual(['arxiv:2006.11239']);
    await popup.getByText('1 of 3').waitFor();
    await screenshot(popup, 'popup-library-relevance-light');
    expect(await seriousAxeFindings(popup)).toEqual([]);
    await popup.emulateMedia({ colorScheme: 'dark' });
    await screenshot(popup, 'popup-library-relevance-dark');
    expect(await seriousAxeFindings(popup)).toEqual([]);
  });

  it.skipIf(!hasShared)('lists the papers of the current tab with their state', async () => {
    session = await launch();
    await (await importPapers(session, 'papers.jsonl', INDEX_FILE)).close();
    await serve(
      session.context,
      'https://arxiv.org/list/hep-th/new',
      readReal('arxiv/list-hep-th-new-2024-08-09.html'),
    );
    const page = await session.context.newPage();
    await page.goto('https://arxiv.org/list/hep-th/new');
    await expect
      .poll(() => page.locator('[data-paperlight-entry="matched"]').count(), { timeout: 20_000 })
      .toBe(2);
    const worker = await session.serviceWorker();
    // Tab URLs are hidden without the `tabs` permission: find the tab the background remembers.
    const tabId = await worker.evaluate(async () => {
      const { chrome } = globalThis as unknown as {
        chrome: { storage: { session: { get(keys: null): Promise<Record<string, unknown>> } } };
      };
      const keys = Object.keys(await chrome.storage.session.get(null));
      return Number(keys.find((key) => key.startsWith('page:'))?.slice(5) ?? -1);
    });
    expect(tabId).toBeGreaterThan(0);
    const popup = await openPopup(session, `?tab=${tabId}`);
    const list = popup.getByRole('list', { name: 'Papers on this page' });
    await expect
      .poll(() => list.getByRole('listitem').count(), { timeout: 10_000 })
      .toBeGreaterThanOrEqual(2);
    await popup.keyboard.press('ArrowDown');
    await popup.keyboard.press('s');
    await popup.getByText(/^Saved /).waitFor();
    await popup.getByText(/found, 1 saved/).waitFor();
    expect(await popup.locator('[data-slot="annotate-this-site"] button').count()).toBe(1);
    await screenshot(popup, 'popup-this-page-light');
    expect(await seriousAxeFindings(popup)).toEqual([]);
  });

  it('takes typing before React has mounted: every character kept, answered once results are up', async () => {
    session = await launch();
    await (await importPapers(session, 'papers.jsonl', INDEX_FILE)).close();
    const popup = await session.context.newPage();
    await popup.setViewportSize(POPUP_VIEWPORT);
    // React's chunk (entrypoints/popup/mount.tsx) is held at the network layer until the typing is done.
    const cdp = await session.context.newCDPSession(popup);
    const held: string[] = [];
    cdp.on('Fetch.requestPaused', (event) => held.push(event.requestId));
    await cdp.send('Fetch.enable', { patterns: [{ urlPattern: '*/chunks/mount-*' }] });
    await popup.goto(`chrome-extension://${session.extensionId}/popup.html`, {
      waitUntil: 'commit',
    });
    await popup.locator('#popup-search:focus').waitFor();
    // Shortcuts work before React too: Alt+2 clears the box and picks the Library tab.
    await popup.keyboard.type('graphs');
    await popup.keyboard.press('Alt+2');
    expect(await popup.locator('#popup-search').inputValue()).toBe('');
    expect(await popup.getByRole('tab', { name: 'Library' }).getAttribute('aria-selected')).toBe(
      'true',
    );
    await popup.keyboard.type('diffusion mod');
    await expect.poll(() => held.length).toBe(1);
    const state = await popup.evaluate(() => {
      const root = document.getElementById('root');
      return {
        // createRoot marks its container: no React code has run on the page yet.
        react: root !== null && Object.keys(root).some((key) => key.startsWith('__reactContainer')),
        text: (document.getElementById('popup-search') as HTMLInputElement).value,
        selected: document.querySelector('[role="tab"][aria-selected="true"]')?.id,
      };
    });
    expect(state).toEqual({ react: false, text: 'diffusion mod', selected: 'tab-search' });
    await screenshot(popup, 'popup-before-react-light');
    await cdp.send('Fetch.continueRequest', { requestId: held[0] ?? '' });
    await cdp.send('Fetch.disable');

    const results = popup.getByRole('list', { name: 'Search results' });
    await expect.poll(() => results.getByRole('listitem').count(), { timeout: 20_000 }).toBe(2);
    expect(await popup.locator('#popup-search').inputValue()).toBe('diffusion mod');
    expect(await popup.getByRole('tab', { name: 'Search' }).getAttribute('aria-selected')).toBe(
      'true',
    );
    // The caret stayed at the end: typing goes on where it left off.
    await popup.keyboard.type('els');
    expect(await popup.locator('#popup-search').inputValue()).toBe('diffusion models');
    await popup.keyboard.press('ArrowDown');
    await expect
      .poll(() =>
        popup.evaluate(() => document.activeElement?.closest('article')?.dataset.paperId ?? null),
      )
      .toMatch(/^arxiv:/);
    await popup.keyboard.press('/');
    await popup.keyboard.press('Enter');
    await expect
      .poll(() => popup.evaluate(() => document.activeElement?.closest('article') !== null))
      .toBe(true);
    await screenshot(popup, 'popup-typed-early-light');
  });

  it('paints the saved theme from the first frame (dark setting, light browser)', async () => {
    session = await launch({ colorScheme: 'light' });
    const first = await openPopup(session);
    const stored = await first.evaluate(async () => {
      const { chrome } = globalThis as unknown as {
        chrome: { runtime: { sendMessage(message: unknown): Promise<{ ok: boolean }> } };
      };
      return (
        await chrome.runtime.sendMessage({
          type: 'updateSettings',
          payload: { patch: { theme: 'dark' } },
        })
      ).ok;
    });
    expect(stored).toBe(true);
    // This open reads the setting (React) and remembers it for the next page's first frame.
    await first.reload();
    await expect
      .poll(() => first.evaluate(() => localStorage.getItem('paperlight:theme')))
      .toBe('dark');
    await first.close();

    const popup = await session.context.newPage();
    await popup.setViewportSize(POPUP_VIEWPORT);
    await popup.addInitScript(() => {
      // The first animation frame runs before the first paint.
      requestAnimationFrame(() => {
        (globalThis as { firstFrame?: unknown }).firstFrame = {
          theme: document.documentElement.dataset.theme ?? null,
          background: document.body ? getComputedStyle(document.body).backgroundColor : null,
        };
      });
    });
    await popup.goto(`chrome-extension://${session.extensionId}/popup.html`);
    await popup.locator('#popup-search').waitFor();
    expect(await popup.evaluate(() => (globalThis as { firstFrame?: unknown }).firstFrame)).toEqual(
      { theme: 'dark', background: 'rgb(17, 19, 24)' },
    );
    await popup.getByText('No papers found on this tab.').waitFor();
    await screenshot(popup, 'popup-theme-setting-dark');
    expect(await seriousAxeFindings(popup)).toEqual([]);
  });

  it('shows useful empty states', async () => {
    session = await launch({ colorScheme: 'dark' });
    const popup = await openPopup(session);
    await popup.getByText('No papers found on this tab.').waitFor();
    await popup.keyboard.press('Alt+2');
    await popup.getByText('Your library is empty.').waitFor();
    await screenshot(popup, 'popup-empty-dark');
    expect(await seriousAxeFindings(popup)).toEqual([]);
  });
});
