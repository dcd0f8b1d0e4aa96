/**
 * Issue 5 in real Chromium: the sync APIs are routed to recorded and generated responses
 * (context.route also catches the service worker's fetches). Follows arXiv from the options page
 * through a 503 + Retry-After; harvests a multi-page OAI set with the service worker killed in the
 * middle; shows progress and status in the options page and the popup.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { parseArxivRss } from '../../lib/sync/arxiv-rss';
import { hasShared, readReal, SKIP_SHARED_REASON } from '../shared';
import { atomPage, oaiPage } from '../sync-fixtures';
import {
  hasChromium,
  killServiceWorker,
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

interface Hit {
  url: string;
  start: number;
  end: number;
}

function gaps(hits: readonly Hit[]): number[] {
  return hits.slice(1).map((hit, index) => hit.start - hits[index]!.start);
}

function maxConcurrency(hits: readonly Hit[]): number {
  let max = 0;
  for (const hit of hits) {
    max = Math.max(
      max,
      hits.filter((other) => other.start <= hit.start && other.end > hit.start).length,
    );
  }
  return max;
}

describe.skipIf(!hasChromium)('sync end to end', () => {
  it.skipIf(!hasShared)(
    `follows an arXiv category from the options page through a 503 + Retry-After ${hasShared ? '' : SKIP_SHARED_REASON}`,
    async () => {
      session = await launch();
      const feed = readReal('arxiv-rss/rss2-cs.CL-2026-08-20.xml');
      const expected = new Set(parseArxivRss(feed).papers.map((paper) => paper.id)).size;
      const hits: Hit[] = [];
      await session.context.route('https://rss.arxiv.org/**', async (route) => {
        const hit: Hit = { url: route.request().url(), start: Date.now(), end: 0 };
        hits.push(hit);
        if (hits.length === 1) {
          await route.fulfill({ status: 503, headers: { 'Retry-After': '4' }, body: 'busy' });
        } else {
          await route.fulfill({ status: 200, contentType: 'application/rss+xml', body: feed });
        }
        hit.end = Date.now();
      });
      // A catch-all: the sync must never touch Google Scholar.
      const scholar: string[] = [];
      await session.context.route(/scholar\.google\./, async (route) => {
        scholar.push(route.request().url());
        await route.abort();
      });

      const options = await openExtensionPage(session, 'options.html');
      await options.getByLabel('Categories to follow').fill('cs.CL');
      await options.getByRole('button', { name: 'Save sync settings' }).click();
      await expect
        .poll(() => options.getByTestId('sync-settings-status').textContent())
        .toMatch(/Saved/);

      const job = options.locator('[data-job-id="arxiv-rss"]');
      await expect
        .poll(() => job.getByTestId('sync-state').textContent(), { timeout: 45_000 })
        .toBe('Up to date');
      expect(await job.getByTestId('sync-added').textContent()).toBe(
        `${expected} new last run, ${expected} in all`,
      );
      await expect
        .poll(() => options.getByTestId('index-count').textContent())
        .toBe(String(expected));
      expect(hits.map((hit) => hit.url)).toEqual([
        'https://rss.arxiv.org/rss/cs.CL',
        'https://rss.arxiv.org/rss/cs.CL',
      ]);
      expect(gaps(hits)[0]).toBeGreaterThanOrEqual(4000);
      expect(scholar).toEqual([]);
      await job.scrollIntoViewIfNeeded();
      await screenshot(options, 'sync-options-light');

      const popup = await openExtensionPage(session, 'popup.html');
      const status = popup.getByTestId('sync-status');
      if ((await status.count()) > 0) {
        await expect.poll(() => status.textContent()).toMatch(/Synced just now/);
      }
    },
  );

  it('harvests a multi-page OAI-PMH set with the service worker killed mid-way: exactly the expected rows', async () => {
    session = await launch({ colorScheme: 'dark' });
    const PAGES = 5;
    const PER_PAGE = 7;
    const TOTAL = PAGES * PER_PAGE;
    const hits: Hit[] = [];
    let killed = false;
    const current = session;
    await current.context.route('https://export.arxiv.org/oai2**', async (route) => {
      const url = new URL(route.request().url());
      const hit: Hit = { url: url.search, start: Date.now(), end: 0 };
      hits.push(hit);
      const token = url.searchParams.get('resumptionToken');
      const page = token ? Number(token.replace('page-', '')) : 0;
      if (page === 2 && !killed) {
        // The worker dies while page 3 is in flight (as Chrome kills an idle or stuck worker).
        killed = true;
        await killServiceWorker(current);
        hit.end = Date.now();
        await route.abort().catch(() => undefined);
        return;
      }
      const next = page + 1 < PAGES ? `page-${page + 1}` : null;
      await route.fulfill({
        status: 200,
        contentType: 'text/xml',
        body: oaiPage(page * PER_PAGE, PER_PAGE, TOTAL, next),
      });
      hit.end = Date.now();
    });

    const options = await openExtensionPage(current, 'options.html');
    await options.getByLabel('Fetch older papers from').selectOption('arxiv-oai');
    await options.getByLabel(/Archive set/).fill('cs');
    await options.getByLabel('Start date').fill('2024-01-01');
    await options.getByRole('button', { name: 'Start' }).click();

    const job = options.locator('[data-job-id="arxiv-oai:cs:2024-01-01"]');
    await expect
      .poll(() => job.getByTestId('sync-progress').textContent(), { timeout: 30_000 })
      .toMatch(/ \/ 35 papers/);
    await job.scrollIntoViewIfNeeded();
    await screenshot(options, 'sync-options-progress-dark');
    await expect.poll(() => killed, { timeout: 30_000 }).toBe(true);
    await expect
      .poll(() => job.getByTestId('sync-state').textContent(), { timeout: 90_000 })
      .toBe('Finished');
    expect(await job.getByTestId('sync-progress').textContent()).toBe('35 / 35 papers');
    await expect.poll(() => options.getByTestId('index-count').textContent()).toBe(String(TOTAL));

    const tokens = hits.map((hit) => new URLSearchParams(hit.url).get('resumptionToken'));
    // Page 3 was asked twice (lost with the worker, then resumed); none skipped, none after the end.
    expect(tokens).toEqual([null, 'page-1', 'page-2', 'page-2', 'page-3', 'page-4']);
    for (const gap of gaps(hits)) expect(gap).toBeGreaterThanOrEqual(3000);
    expect(maxConcurrency(hits)).toBe(1);
    await screenshot(options, 'sync-options-finished-dark');
  });

  it.skipIf(!hasShared)(
    `looks up the papers of an arXiv listing that shows no abstracts, in polite id_list batches ${hasShared ? '' : SKIP_SHARED_REASON}`,
    async () => {
      session = await launch();
      const hits: Hit[] = [];
      const asked = new Set<string>();
      await session.context.route('https://export.arxiv.org/api/query**', async (route) => {
        const hit: Hit = { url: route.request().url(), start: Date.now(), end: 0 };
        hits.push(hit);
        const ids = new URL(hit.url).searchParams.get('id_list')?.split(',') ?? [];
        for (const id of ids) asked.add(id);
        await route.fulfill({
          status: 200,
          contentType: 'application/atom+xml',
          body: atomPage(ids, ids.length, 0),
        });
        hit.end = Date.now();
      });
      await serve(
        session.context,
        'https://arxiv.org/list/astro-ph/pastweek?show=1000',
        readReal('arxiv/list-astro-ph-pastweek-2024-11-23-browser-saved-dom-mathjax.html'),
      );
      const page = await session.context.newPage();
      await page.goto('https://arxiv.org/list/astro-ph/pastweek?show=1000');
      const onPage = await page.locator('dl#articles > dt a[title="Abstract"]').count();
      expect(onPage).toBeGreaterThan(300);

      const options = await openExtensionPage(session, 'options.html');
      // Every paper of the page reaches the index through the look-ups (the page shows no abstracts).
      await expect.poll(() => asked.size, { timeout: 60_000 }).toBe(onPage);
      await expect
        .poll(() => options.getByTestId('index-count').textContent(), { timeout: 30_000 })
        .toBe(String(onPage));
      // Batches of at most 100 ids, and no id asked twice (how many batches depends on how the
      // page's entries arrived: the content script may look them up in several rounds).
      const batches = hits.map(
        (hit) => new URL(hit.url).searchParams.get('id_list')?.split(',') ?? [],
      );
      for (const batch of batches) expect(batch.length).toBeLessThanOrEqual(100);
      expect(batches.flat().length).toBe(asked.size);
      expect(hits.length).toBeLessThan(asked.size / 50);
      for (const gap of gaps(hits)) expect(gap).toBeGreaterThanOrEqual(3000);
      expect(maxConcurrency(hits)).toBe(1);
      const job = options.locator('[data-job-id="arxiv-fill"]');
      await expect
        .poll(() => job.getByTestId('sync-added').textContent())
        .toMatch(new RegExp(`${asked.size} in all`));
    },
  );
});
