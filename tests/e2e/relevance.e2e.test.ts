/**
 * Issue 7 in real Chromium: a user who tagged ten papers sees related papers highlighted on arXiv,
 * Hugging Face and Google Scholar pages, each with a reason; dismissing a wrong one retrains the
 * model and the page re-scores. Pages are real captures (arXiv) or our reconstructed fixtures
 * (HF, Scholar), routed on their real URLs.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterEach, describe, expect, it } from 'vitest';
import { fromHfCorpus, fromListing } from '../../scripts/relevance-corpus';
import { hasShared, PROJECT_ROOT, readReal, SKIP_SHARED_REASON } from '../shared';
import {
  call,
  hasChromium,
  importPapers,
  launch,
  screenshot,
  serve,
  type Session,
} from './harness';

/** The extension APIs the test calls inside extension pages and the service worker. */
declare const chrome: {
  runtime: { sendMessage(message: unknown): Promise<unknown> };
  tabs: { query(filter: object): Promise<{ id?: number }[]> };
  action: { getBadgeText(details: { tabId: number }): Promise<string> };
};

let session: Session | undefined;
afterEach(async () => {
  await session?.close({ removeProfile: true });
  session = undefined;
});

/** Saves papers and tags them, through the same messages the popup uses. */
async function tagTen(options: Page, ids: string[], tag: string, color: string): Promise<void> {
  await call(options, 'createTag', { name: tag, color });
  for (const id of ids) await call(options, 'savePaper', { id });
  await call(options, 'tagPapers', { ids, add: [tag] });
}

async function relevanceOf(page: Page): Promise<Map<string, number>> {
  const pairs = await page
    .locator('[data-paperlight-relevance]')
    .evaluateAll((elements) =>
      elements.map((element) => [
        element.getAttribute('data-paperlight-id') ?? '',
        Number(element.getAttribute('data-paperlight-relevance')),
      ]),
    );
  return new Map(pairs as [string, number][]);
}

describe.skipIf(!hasChromium || !hasShared)(
  `relevance end to end ${hasShared ? '' : SKIP_SHARED_REASON}`,
  () => {
    it('highlights papers like ten tagged ones on arXiv with reasons, and learns from a dismissal', async () => {
      const listing = fromListing('list-quant-ph-new-2024-08-09.html');
      const others = ['hep-th', 'hep-ph', 'gr-qc', 'math-ph'].flatMap((category) =>
        fromListing(`list-${category}-new-2024-08-09.html`),
      );
      const index = [
        ...listing,
        ...others,
        ...fromHfCorpus().map((paper, n) => ({ ...paper, id: `doi:10.5555/hf.${n}` })),
      ];
      session = await launch();
      const options = await importPapers(
        session,
        'index.jsonl',
        index
          .map(({ id, title, abstract, authors, labels }) =>
            JSON.stringify({ id, title, abstract, authors, categories: labels }),
          )
          .join('\n'),
      );
      const tagged = listing
        .filter((paper) => paper.labels[0] === 'quant-ph')
        .slice(0, 10)
        .map((paper) => paper.id);
      await tagTen(options, tagged, 'quantum', '#0e7490');

      await serve(
        session.context,
        'https://arxiv.org/list/quant-ph/new',
        readReal('arxiv/list-quant-ph-new-2024-08-09.html'),
      );
      const page = await session.context.newPage();
      const logs: string[] = [];
      page.on('console', (message) => logs.push(`${message.type()}: ${message.text()}`));
      page.on('pageerror', (error) => logs.push(`pageerror: ${error.message}`));
      await page.goto('https://arxiv.org/list/quant-ph/new');
      const total = await page.locator('dl#articles > dt').count();
      await expect
        .poll(() => page.locator('[data-paperlight-relevance]').count(), { timeout: 30_000 })
        .toBe(total);
      const highlighted = page.locator('[data-paperlight-level]');
      const untaggedHighlights = await highlighted.evaluateAll(
        (elements, taggedIds) =>
          elements
            .map((element) => element.getAttribute('data-paperlight-id') ?? '')
            .filter((id) => !taggedIds.includes(id)),
        tagged,
      );
      expect(untaggedHighlights.length).toBeGreaterThanOrEqual(5);
      expect(
        await highlighted.first().evaluate((element) => getComputedStyle(element).boxShadow),
      ).toContain('inset');

      // Every highlighted entry comes with a reason: its score says the words and the nearest saved
      // paper are for the hover card to ask for, and asking gives them (both as the page does,
      // from an extension page).
      const entries = listing.map((paper, ref) => ({
        ref,
        title: paper.title,
        ids: [paper.id],
        authors: paper.authors,
        ...(paper.abstract ? { abstract: paper.abstract } : {}),
      }));
      const { annotations } = await call<{
        annotations: {
          id?: string;
          relevance?: {
            level: string;
            tag?: string;
            reasons: { deferred?: boolean };
          };
        }[];
      }>(options, 'lookupEntries', { entries });
      const relevant = annotations.filter(
        (annotation) => annotation.relevance && annotation.relevance.level !== 'none',
      );
      expect(relevant.length).toBeGreaterThanOrEqual(5);
      expect(relevant.every((annotation) => annotation.relevance?.reasons.deferred)).toBe(true);
      expect(relevant.every((annotation) => annotation.relevance?.tag === 'quantum')).toBe(true);
      const explained = [];
      for (const annotation of relevant) {
        const { relevance } = await call<{
          relevance: {
            tag?: string;
            reasons: { words: string[]; nearest?: { title: string }; deferred?: boolean };
          } | null;
        }>(options, 'getRelevanceExplanation', { id: annotation.id });
        expect(relevance?.reasons.words.length ?? 0).toBeGreaterThan(0);
        expect(relevance?.tag).toBe('quantum');
        explained.push(relevance);
      }
      expect(explained.some((relevance) => relevance?.reasons.nearest)).toBe(true);

      // The toolbar badge counts this tab's relevant papers.
      const worker = await session.serviceWorker();
      // Without the "tabs" permission tab URLs are hidden: read every tab's badge.
      const badges = await worker.evaluate(async () => {
        const tabs = await chrome.tabs.query({});
        return Promise.all(tabs.map((tab) => chrome.action.getBadgeText({ tabId: tab.id ?? 0 })));
      });
      const badge = badges.find((text) => text !== '');
      expect(Number(badge)).toBe(await highlighted.count());

      // Open the hover card of the first untagged highlight and look at it.
      const wrongId = untaggedHighlights[0] ?? '';
      const wrong = page.locator(`[data-paperlight-id="${wrongId}"]`);
      await wrong.scrollIntoViewIfNeeded();
      const host = wrong.locator('xpath=following-sibling::paperlight-badge[1]');
      const box = await host.boundingBox();
      if (!box) throw new Error('no badge');
      await page.mouse.click(box.x + box.width - 12, box.y + box.height / 2);
      await page.waitForTimeout(300);
      await screenshot(page, 'relevance-arxiv-card');

      // "Not relevant" is the card's button: Tab from the chip reaches it, Enter presses it.
      const before = await relevanceOf(page);
      await page.keyboard.press('Tab');
      await page.keyboard.press('Enter');
      try {
        await expect
          .poll(() => wrong.getAttribute('data-paperlight-relevance'), { timeout: 20_000 })
          .toBe('0.00');
      } catch (error) {
        throw new Error(`${String(error)}\npage console:\n${logs.join('\n')}`);
      }
      expect(await wrong.getAttribute('data-paperlight-level')).toBeNull();
      const after = await relevanceOf(page);
      const dropped = [...after].filter(
        ([id, score]) => id !== wrongId && score < (before.get(id) ?? 0) - 0.005,
      );
      expect(dropped.length).toBeGreaterThan(0);
      await page.mouse.move(5, 5);
      await screenshot(page, 'relevance-arxiv-after-dismiss');

      // The page bar: show only relevant entries.
      const bar = page.locator('paperlight-bar');
      await expect.poll(() => bar.count()).toBe(1);
      const barBox = await bar.boundingBox();
      expect(barBox).not.toBeNull();
      await screenshot(page, 'relevance-arxiv-bar');
    });

    it('highlights related papers on Hugging Face and Google Scholar pages too', async () => {
      const hf = fromHfCorpus().map((paper, n) => ({ ...paper, id: `doi:10.5555/hf.${n}` }));
      const physics = fromListing('list-hep-th-new-2024-08-09.html');
      session = await launch({ colorScheme: 'dark' });
      const options = await importPapers(
        session,
        'index.jsonl',
        [...hf, ...physics]
          .map(({ id, title, abstract, authors }) =>
            JSON.stringify({ id, title, abstract, authors }),
          )
          .join('\n'),
      );
      const languageModels = hf
        .filter((paper) => /language model|LLM/i.test(paper.title))
        .slice(0, 10)
        .map((paper) => paper.id);
      await tagTen(options, languageModels, 'llm', '#c026d3');
      // A stated interest besides the tag (rules and the model combine).
      await call(options, 'setInterests', {
        interests: [{ query: '"mixture of experts" OR moe', tag: 'llm' }],
      });

      await serve(
        session.context,
        'https://huggingface.co/papers/date/2026-06-12',
        readFileSync(join(PROJECT_ROOT, 'tests/fixtures/sites/huggingface/daily.html'), 'utf8'),
      );
      const hfPage = await session.context.newPage();
      await hfPage.goto('https://huggingface.co/papers/date/2026-06-12');
      await expect
        .poll(() => hfPage.locator('[data-paperlight-relevance]').count(), { timeout: 30_000 })
        .toBe(3);
      const hfScores = await relevanceOf(hfPage);
      const languageModelScore = hfScores.get('arxiv:2606.11111') ?? 0;
      expect(languageModelScore).toBeGreaterThan(hfScores.get('arxiv:2606.22222') ?? 1);
      expect(languageModelScore).toBeGreaterThan(hfScores.get('arxiv:2606.33333') ?? 1);
      expect(
        await hfPage
          .locator('[data-paperlight-id="arxiv:2606.11111"]')
          .getAttribute('data-paperlight-level'),
      ).not.toBeNull();
      await screenshot(hfPage, 'relevance-hf-dark');

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
        .poll(() => scholar.locator('[data-paperlight-relevance]').count(), { timeout: 30_000 })
        .toBe(4);
      const titles = await scholar
        .locator('[data-paperlight-relevance]')
        .evaluateAll((elements) =>
          elements.map(
            (element) =>
              [
                element.textContent ?? '',
                Number(element.getAttribute('data-paperlight-relevance')),
              ] as const,
          ),
        );
      const score = (pattern: RegExp): number =>
        titles.find(([title]) => pattern.test(title))?.[1] ?? 0;
      expect(score(/few-shot learners/)).toBeGreaterThan(score(/AlphaFold/));
      // Scholar shows no abstracts: scored on title and authors, and highlighted all the same.
      expect(score(/few-shot learners/)).toBeGreaterThan(0.5);
      await screenshot(scholar, 'relevance-scholar-dark');
    });
  },
);
