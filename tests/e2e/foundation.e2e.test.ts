/**
 * Issue 2's walking skeleton, in real Chromium: import → annotated arXiv and HF pages → save from
 * the page → popup shows it → data survives a browser restart; hostile titles stay text.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterEach, describe, expect, it } from 'vitest';
import { hasShared, PROJECT_ROOT, readReal, SKIP_SHARED_REASON } from '../shared';
import {
  call,
  clickBadgeButton,
  hasChromium,
  importPapers,
  launch,
  openExtensionPage,
  screenshot,
  serve,
  type Session,
} from './harness';

const HF_PAGE = readFileSync(
  join(PROJECT_ROOT, 'tests/fixtures/sites/huggingface/daily.html'),
  'utf8',
);
const HOSTILE_PAGE = readFileSync(
  join(PROJECT_ROOT, 'tests/fixtures/pages/hostile-arxiv.html'),
  'utf8',
);

/** Index file: two hep-th papers by id, one by title only, and two HF papers. */
const INDEX_FILE = [
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
  {
    id: 'doi:10.9999/not-on-arxiv',
    title: 'Sparse mixture routing for long-context language models',
    abstract: 'Routing experts.',
  },
  {
    id: 'https://huggingface.co/papers/2606.22222',
    title: 'Self-Correcting Diffusion Policies for Robot Manipulation',
    abstract: 'Diffusion policies.',
  },
]
  .map((record) => JSON.stringify(record))
  .join('\n');

/** Opens the popup on its Library view. */
async function openLibrary(current: Session): Promise<Page> {
  const popup = await openExtensionPage(current, 'popup.html');
  await popup.getByRole('tab', { name: /Library/ }).click();
  return popup;
}

let session: Session | undefined;
afterEach(async () => {
  await session?.close({ removeProfile: true });
  session = undefined;
});

describe.skipIf(!hasChromium)('foundation end to end', () => {
  it.skipIf(!hasShared)(
    `annotates a real arXiv /new page, saves from it, shows it in the popup, keeps it after a restart ${hasShared ? '' : SKIP_SHARED_REASON}`,
    async () => {
      session = await launch();
      await importPapers(session, 'papers.jsonl', INDEX_FILE);
      await serve(
        session.context,
        'https://arxiv.org/list/hep-th/new',
        readReal('arxiv/list-hep-th-new-2024-08-09.html'),
      );
      const page = await session.context.newPage();
      await page.goto('https://arxiv.org/list/hep-th/new');

      const entries = page.locator('[data-paperlight-entry]');
      const total = await page.locator('dl#articles > dt').count();
      await expect.poll(() => entries.count(), { timeout: 20_000 }).toBe(total);
      expect(await page.locator('[data-paperlight-entry="matched"]').count()).toBe(2);
      await expect.poll(() => page.locator('[data-paperlight-id]').count()).toBe(total);
      const first = page.locator('[data-paperlight-id="arxiv:2408.04000"]');
      expect(await first.getAttribute('data-paperlight-entry')).toBe('matched');
      // Badges away from the viewport follow the attributes a batch per frame.
      await expect.poll(() => page.locator('paperlight-badge').count()).toBe(total);

      // The abstracts the page shows follow the badges: the index gets those it lacked, for a
      // paper it had without one and for one it did not have.
      const options = await openExtensionPage(session, 'options.html');
      const abstractOf = async (id: string): Promise<string> =>
        (await call<{ paper: { abstract?: string } | null }>(options, 'getPaper', { id })).paper
          ?.abstract ?? '';
      await expect
        .poll(() => abstractOf('arxiv:2408.04001'), { timeout: 10_000 })
        .toMatch(/^Gubser flow is an evolution with cylindrical and boost symmetries/);
      await expect
        .poll(() => abstractOf('arxiv:2408.04005'), { timeout: 10_000 })
        .toMatch(/^We present a formalism for computing arbitrary multi-loop Feynman graphs/);
      expect(await abstractOf('arxiv:2408.04000')).toBe(
        'We discuss the path-integral quantisation.',
      );
      await options.close();

      // The badge's shadow root is closed: click its button where a user sees it.
      await clickBadgeButton(page, '[data-paperlight-id="arxiv:2408.04000"]');
      await expect
        .poll(() => first.getAttribute('data-paperlight-saved'), { timeout: 10_000 })
        .toBe('true');
      await screenshot(page, 'foundation-arxiv-annotated');

      const popup = await openLibrary(session);
      await popup
        .getByText('Quantisation of type IIB superstring theory and the matrix model')
        .waitFor();
      await popup
        .getByRole('article', {
          name: 'Quantisation of type IIB superstring theory and the matrix model',
        })
        .click();
      await popup.getByText('We discuss the path-integral quantisation.').waitFor();
      await screenshot(popup, 'foundation-popup');

      // Close the browser, reopen the same profile: the library and the index are still there.
      const profileDir = session.profileDir;
      await session.close();
      session = await launch({ profileDir });
      const again = await openLibrary(session);
      await again
        .getByText('Quantisation of type IIB superstring theory and the matrix model')
        .waitFor();
      await serve(
        session.context,
        'https://arxiv.org/list/hep-th/new',
        readReal('arxiv/list-hep-th-new-2024-08-09.html'),
      );
      const reloaded = await session.context.newPage();
      await reloaded.goto('https://arxiv.org/list/hep-th/new');
      await expect
        .poll(
          () =>
            reloaded
              .locator('[data-paperlight-id="arxiv:2408.04000"]')
              .getAttribute('data-paperlight-saved'),
          { timeout: 20_000 },
        )
        .toBe('true');
    },
  );

  it('annotates a Hugging Face papers page (id and title matches) and saves from it', async () => {
    session = await launch();
    await importPapers(session, 'papers.jsonl', INDEX_FILE);
    await serve(session.context, 'https://huggingface.co/papers/date/2026-06-12', HF_PAGE);
    const page = await session.context.newPage();
    await page.goto('https://huggingface.co/papers/date/2026-06-12');
    await expect
      .poll(() => page.locator('[data-paperlight-entry]').count(), { timeout: 20_000 })
      .toBe(3);
    expect(await page.locator('[data-paperlight-entry="matched"]').count()).toBe(2);
    // The first card's arXiv id is not in the index, but its exact normalized title is (under a DOI).
    expect(
      await page
        .locator('h3[data-paperlight-id="doi:10.9999/not-on-arxiv"]')
        .getAttribute('data-paperlight-entry'),
    ).toBe('matched');
    expect(
      await page
        .locator('h3[data-paperlight-id="arxiv:2606.33333"]')
        .getAttribute('data-paperlight-entry'),
    ).toBe('unmatched');
    const target = page.locator('h3[data-paperlight-id="arxiv:2606.22222"]');
    const url = page.url();
    await clickBadgeButton(page, 'h3[data-paperlight-id="arxiv:2606.22222"]');
    await expect
      .poll(() => target.getAttribute('data-paperlight-saved'), { timeout: 10_000 })
      .toBe('true');
    expect(page.url()).toBe(url); // the click did not follow the card's link
    await screenshot(page, 'foundation-hf-annotated');

    // A popup that is already open follows saves and unsaves made on the page, without reloading.
    const popup = await openLibrary(session);
    await popup.getByText('Self-Correcting Diffusion Policies for Robot Manipulation').waitFor();
    await page.bringToFront();
    await clickBadgeButton(page, 'h3[data-paperlight-id="arxiv:2606.22222"]');
    await expect
      .poll(() => target.getAttribute('data-paperlight-saved'), { timeout: 10_000 })
      .toBeNull();
    await popup
      .getByText('Self-Correcting Diffusion Policies for Robot Manipulation')
      .waitFor({ state: 'detached' });
    await clickBadgeButton(page, 'h3[data-paperlight-id="doi:10.9999/not-on-arxiv"]');
    await popup.getByText('Sparse mixture routing for long-context language models').waitFor();
  });

  it('shows hostile title markup as text and runs none of it', async () => {
    session = await launch();
    await serve(session.context, 'https://arxiv.org/list/cs.LG/new', HOSTILE_PAGE);
    const page = await session.context.newPage();
    await page.goto('https://arxiv.org/list/cs.LG/new');
    const title = page.locator('[data-paperlight-id="arxiv:2501.00011"]');
    await expect
      .poll(() => title.getAttribute('data-paperlight-entry'), { timeout: 20_000 })
      .toBe('unmatched');
    await clickBadgeButton(page, '[data-paperlight-id="arxiv:2501.00011"]');
    await expect
      .poll(() => title.getAttribute('data-paperlight-saved'), { timeout: 10_000 })
      .toBe('true');
    const popup = await openLibrary(session);
    await popup
      .getByText(
        'Robust <img src=x onerror="window.__pwned=1"> Learning <script>window.__pwned=2</script>',
      )
      .waitFor();
    expect(await popup.locator('img[src="x"], script:not([src])').count()).toBe(0);
    expect(
      await popup.evaluate(() => (window as unknown as { __pwned?: number }).__pwned),
    ).toBeUndefined();
    expect(
      await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned),
    ).toBeUndefined();
  });
});

describe.skipIf(!hasChromium)('sites switched off in the options page', () => {
  it('lose their marks in open tabs, get none after a reload, and get them back when switched on', async () => {
    session = await launch();
    await importPapers(session, 'papers.jsonl', INDEX_FILE);
    await serve(session.context, 'https://huggingface.co/papers/date/2026-06-12', HF_PAGE);
    const page = await session.context.newPage();
    await page.goto('https://huggingface.co/papers/date/2026-06-12');
    const marks = page.locator('[data-paperlight-entry]');
    await expect.poll(() => marks.count(), { timeout: 20_000 }).toBe(3);

    const options = await openExtensionPage(session, 'options.html');
    const site = options.getByRole('checkbox', { name: 'Hugging Face papers' });
    await site.focus();
    await options.keyboard.press('Space'); // reachable from the keyboard
    await expect.poll(() => site.isChecked()).toBe(false);
    await expect.poll(() => marks.count(), { timeout: 10_000 }).toBe(0);
    expect(await page.locator('paperlight-badge').count()).toBe(0);
    await page.reload();
    await page.waitForTimeout(1_500); // the content script has run and looked (nothing to wait for)
    expect(await marks.count()).toBe(0);

    await site.check();
    await expect.poll(() => marks.count(), { timeout: 10_000 }).toBe(3);
    await expect.poll(() => page.locator('paperlight-badge').count()).toBe(3);
  });
});
