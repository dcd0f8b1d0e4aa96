/**
 * Issue 5's "done when", end to end in real Chromium, as one new user: follows an arXiv category
 * and Hugging Face daily papers from the options page and watches the index fill, imports a file,
 * then opens an arXiv /recent listing and a Google Scholar result page (neither shows abstracts)
 * and reads the papers' abstracts in the popup's "This page". And papers a Hugging Face page
 * shows without abstracts are looked up through Hugging Face. The sources answer with recorded
 * responses (../shared/fixtures/real) or our own, routed on their real URLs.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterEach, describe, expect, it } from 'vitest';
import { idBody } from '../../lib/ids';
import { parseArxivRss } from '../../lib/sync/arxiv-rss';
import { parseHfDailyPapers } from '../../lib/sync/huggingface';
import { hasShared, PROJECT_ROOT, readReal, SKIP_SHARED_REASON } from '../shared';
import {
  hasChromium,
  importPapers,
  launch,
  openExtensionPage,
  screenshot,
  serve,
  type Session,
} from './harness';

let session: Session | undefined;
afterEach(async () => {
  await session?.close({ removeProfile: true });
  session = undefined;
});

const escapeHtml = (text: string): string =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** An arXiv /recent listing (titles and authors only, as /recent shows them), written by us. */
function recentListing(entries: { id: string; title: string }[]): string {
  const items = entries
    .map(
      (
        entry,
        n,
      ) => `<dt><a name="item${n + 1}">[${n + 1}]</a> <a href="/abs/${entry.id}" title="Abstract" id="${entry.id}">arXiv:${entry.id}</a></dt>
<dd><div class="meta"><div class="list-title mathjax"><span class="descriptor">Title:</span> ${escapeHtml(entry.title)}</div>
<div class="list-authors"><a href="#">A. Author</a></div></div></dd>`,
    )
    .join('\n');
  return `<!DOCTYPE html><html><head><title>Computation and Language</title></head><body><div id="dlpage"><h1>Computation and Language</h1><dl id="articles"><h3>Wed, 19 Aug 2026 (showing ${entries.length} entries)</h3>
${items}
</dl></div></body></html>`;
}

/** The Scholar fixture's papers with abstracts, as a user's file would carry them. */
const SCHOLAR_FILE = [
  {
    id: 'arxiv:1706.03762',
    title: 'Attention Is All You Need',
    abstract: 'The dominant sequence transduction models are based on complex recurrent networks.',
  },
  {
    id: 'doi:10.1038/s41586-021-03819-2',
    title: 'Highly accurate protein structure prediction with AlphaFold',
    abstract:
      'Proteins are essential to life, and understanding their structure can facilitate a mechanistic understanding of their function.',
  },
  {
    id: 'arxiv:2005.14165',
    title: 'Language Models are Few-Shot Learners',
    abstract:
      'We demonstrate that scaling up language models greatly improves few-shot performance.',
  },
]
  .map((paper) => JSON.stringify({ ...paper, authors: ['A. Author'] }))
  .join('\n');

/** The tab the background remembers papers for (tab URLs are hidden without `tabs`). */
async function rememberedTabs(current: Session): Promise<number[]> {
  const worker = await current.serviceWorker();
  return worker.evaluate(async () => {
    const { chrome } = globalThis as unknown as {
      chrome: { storage: { session: { get(keys: null): Promise<Record<string, unknown>> } } };
    };
    return Object.keys(await chrome.storage.session.get(null))
      .filter((key) => key.startsWith('page:'))
      .map((key) => Number(key.slice(5)));
  });
}

/** Opens the popup for a tab, opens its first paper and returns that paper's id and abstract. */
async function firstAbstractInPopup(
  current: Session,
  tabId: number,
  name: string,
): Promise<{ id: string; abstract: string }> {
  const popup: Page = await openExtensionPage(current, `popup.html?tab=${tabId}`);
  await popup.setViewportSize({ width: 420, height: 600 });
  const list = popup.getByRole('list', { name: 'Papers on this page' });
  await expect
    .poll(() => list.getByRole('listitem').count(), { timeout: 10_000 })
    .toBeGreaterThan(0);
  await popup.keyboard.press('ArrowDown');
  await popup.keyboard.press('Enter');
  const row = popup.locator('article:focus');
  await expect.poll(() => row.locator('.row-abstract').count()).toBe(1);
  const id = (await row.getAttribute('data-paper-id')) ?? '';
  const abstract = (await row.locator('.row-abstract').textContent()) ?? '';
  await screenshot(popup, name);
  return { id, abstract };
}

describe.skipIf(!hasChromium || !hasShared)(
  `a new user, end to end ${hasShared ? '' : SKIP_SHARED_REASON}`,
  () => {
    it('follows arXiv and Hugging Face, watches the index fill, imports a file, and reads abstracts for arXiv /recent and Google Scholar pages', async () => {
      session = await launch();
      const feed = readReal('arxiv-rss/rss2-cs.CL-2026-08-20.xml');
      const daily = readReal('huggingface/api-daily_papers-limit30-2026-06-14.json');
      const rssPapers = parseArxivRss(feed).papers;
      const hfPapers = parseHfDailyPapers(daily);
      const synced = new Set([...rssPapers, ...hfPapers].map((paper) => paper.id)).size;
      expect(hfPapers.length).toBeGreaterThan(10);

      await serve(session.context, 'https://rss.arxiv.org/**', feed, 'application/rss+xml');
      const hfAsked: string[] = [];
      await session.context.route('https://huggingface.co/api/daily_papers**', async (route) => {
        hfAsked.push(route.request().url());
        await route.fulfill({ status: 200, contentType: 'application/json', body: daily });
      });

      // 1. Follow a category and HF daily papers; watch both sources fill the index.
      const options = await openExtensionPage(session, 'options.html');
      await options.getByLabel('Categories to follow').fill('cs.CL');
      await options.getByLabel('Hugging Face daily papers').check();
      await options.getByRole('button', { name: 'Save sync settings' }).click();
      const rssJob = options.locator('[data-job-id="arxiv-rss"]');
      const hfJob = options.locator('[data-job-id="huggingface-daily"]');
      await expect
        .poll(() => hfJob.getByTestId('sync-progress').textContent(), { timeout: 45_000 })
        .toMatch(/days/);
      await expect
        .poll(() => rssJob.getByTestId('sync-state').textContent(), { timeout: 45_000 })
        .toBe('Up to date');
      await expect
        .poll(() => hfJob.getByTestId('sync-state').textContent(), { timeout: 45_000 })
        .toBe('Up to date');
      expect(await hfJob.getByTestId('sync-progress').textContent()).toBe('3 / 3 days');
      expect(hfAsked.map((url) => new URL(url).searchParams.get('date'))).toHaveLength(3);
      await expect
        .poll(() => options.getByTestId('index-count').textContent())
        .toBe(String(synced));
      await hfJob.scrollIntoViewIfNeeded();
      await screenshot(options, 'new-user-synced');

      // 2. Import a file.
      await (await importPapers(session, 'papers.jsonl', SCHOLAR_FILE)).close();
      await expect
        .poll(() => options.getByTestId('index-count').textContent())
        .toBe(String(synced + 3));

      // 3. An arXiv /recent listing without abstracts: the popup shows them from the index.
      const shown = rssPapers.slice(0, 12);
      await serve(
        session.context,
        'https://arxiv.org/list/cs.CL/recent',
        recentListing(shown.map((paper) => ({ id: idBody(paper.id), title: paper.title }))),
      );
      const recent = await session.context.newPage();
      await recent.goto('https://arxiv.org/list/cs.CL/recent');
      await expect
        .poll(() => recent.locator('[data-paperlight-entry="matched"]').count(), {
          timeout: 20_000,
        })
        .toBe(shown.length);
      const [recentTab] = await rememberedTabs(session);
      const fromRecent = await firstAbstractInPopup(session, recentTab ?? -1, 'new-user-recent');
      const expectedRecent = rssPapers.find((paper) => paper.id === fromRecent.id)?.abstract;
      expect(expectedRecent?.length).toBeGreaterThan(50);
      // (Rendered as text with TeX turned into symbols: compare the opening words.)
      expect(fromRecent.abstract.slice(0, 30)).toBe(expectedRecent?.slice(0, 30));

      // 4. A Google Scholar result page (snippets, no abstracts): the same.
      await serve(
        session.context,
        /^https:\/\/scholar\.google\.com\/scholar\?q=attention/,
        readFileSync(
          join(PROJECT_ROOT, 'tests/fixtures/sites/google-scholar/results-2024.html'),
          'utf8',
        ),
      );
      const scholar = await session.context.newPage();
      await scholar.goto('https://scholar.google.com/scholar?q=attention');
      await expect
        .poll(() => scholar.locator('[data-paperlight-entry="matched"]').count(), {
          timeout: 20_000,
        })
        .toBe(3);
      const scholarTab = (await rememberedTabs(session)).find((tab) => tab !== recentTab);
      const fromScholar = await firstAbstractInPopup(session, scholarTab ?? -1, 'new-user-scholar');
      expect(fromScholar.id).toBe('arxiv:1706.03762');
      expect(fromScholar.abstract).toBe(
        'The dominant sequence transduction models are based on complex recurrent networks.',
      );
    });

    it('looks up the papers of a Hugging Face page that shows no abstracts through Hugging Face, one by one, not arXiv', async () => {
      session = await launch({ colorScheme: 'dark' });
      const fixture = join(PROJECT_ROOT, 'tests/fixtures/sites/huggingface/week-no-hydration');
      const expected = JSON.parse(readFileSync(`${fixture}.expected.json`, 'utf8')) as {
        url: string;
        entries: { title: string; ids: string[] }[];
      };
      const hfAsked: { url: string; at: number }[] = [];
      await session.context.route('https://huggingface.co/api/papers/**', async (route) => {
        const url = route.request().url();
        hfAsked.push({ url, at: Date.now() });
        const id = url.split('/').pop() ?? '';
        const entry = expected.entries.find((item) => item.ids[0] === `arxiv:${id}`);
        await route.fulfill(
          entry
            ? {
                status: 200,
                contentType: 'application/json',
                body: JSON.stringify({ id, title: entry.title, summary: `HF summary of ${id}.` }),
              }
            : { status: 404, body: '{"error":"Not Found"}' },
        );
      });
      const arxivAsked: string[] = [];
      await session.context.route('https://export.arxiv.org/**', async (route) => {
        arxivAsked.push(route.request().url());
        await route.abort();
      });
      await serve(session.context, expected.url, readFileSync(`${fixture}.html`, 'utf8'));
      const page = await session.context.newPage();
      await page.goto(expected.url);
      await expect
        .poll(() => page.locator('[data-paperlight-entry="unmatched"]').count(), {
          timeout: 20_000,
        })
        .toBe(3);

      const options = await openExtensionPage(session, 'options.html');
      await expect
        .poll(() => options.getByTestId('index-count').textContent(), { timeout: 30_000 })
        .toBe('3');
      const job = options.locator('[data-job-id="hf-fill"]');
      await expect.poll(() => job.getByTestId('sync-added').textContent()).toMatch(/3 in all/);
      expect(hfAsked.map((hit) => hit.url.split('/').pop()).sort()).toEqual([
        '2606.11111',
        '2606.22222',
        '2606.33333',
      ]);
      // One at a time, spaced by Hugging Face's interval; arXiv is not asked at all.
      const starts = hfAsked.map((hit) => hit.at).sort((a, b) => a - b);
      for (let n = 1; n < starts.length; n += 1) {
        expect((starts[n] ?? 0) - (starts[n - 1] ?? 0)).toBeGreaterThanOrEqual(900);
      }
      expect(arxivAsked).toEqual([]);
      await job.scrollIntoViewIfNeeded();
      await screenshot(options, 'new-user-hf-fill-dark');
      // The page, reloaded, finds its papers in the index.
      await page.reload();
      await expect
        .poll(() => page.locator('[data-paperlight-entry="matched"]').count(), {
          timeout: 20_000,
        })
        .toBe(3);
    });
  },
);
