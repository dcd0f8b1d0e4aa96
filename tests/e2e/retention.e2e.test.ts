/**
 * Retention in real Chromium: a user imports papers, saves and tags an old one, previews a "keep
 * the last 24 months" rule in the options page, confirms it from the keyboard, and the index
 * shrinks while the saved paper keeps its abstract and the library stays exactly as it was. And a
 * prune of a 40k index whose service worker is killed after its first batches finishes when the
 * worker comes back, with exactly the kept papers, matchable.
 */
import type { Page } from 'playwright-core';
import { afterEach, describe, expect, it } from 'vitest';
import {
  call,
  dumpLibrary,
  hasChromium,
  importPapers,
  killServiceWorker,
  launch,
  screenshot,
  seriousAxeFindings,
  type Session,
} from './harness';

let session: Session | undefined;
afterEach(async () => {
  await session?.close({ removeProfile: true });
  session = undefined;
});

const OLD = 40;
const RECENT = 25;
const id = (n: number): string => `2101.${String(n).padStart(5, '0')}`;

function papersFile(): string {
  const thisYear = new Date().getUTCFullYear();
  return Array.from({ length: OLD + RECENT }, (_, n) =>
    JSON.stringify({
      id: `arxiv:${id(n)}`,
      title: `Retention end-to-end paper ${n} on sparse lattices`,
      abstract: `Abstract of retention paper ${n}.`,
      authors: ['E. Tester'],
      published: n < OLD ? '2015-02-03' : `${thisYear}-01-02`,
      categories: ['cs.LG'],
    }),
  ).join('\n');
}

/** The prune checkpoint, read raw from the index database (not through our code). */
async function readPruneCursor(page: Page): Promise<{ read: number } | undefined> {
  return page.evaluate(
    () =>
      new Promise<{ read: number } | undefined>((resolve, reject) => {
        const open = indexedDB.open('paperlight-index');
        open.onerror = () => reject(open.error ?? new Error('open failed'));
        open.onsuccess = () => {
          const request = open.result.transaction('meta').objectStore('meta').get('prune:cursor');
          request.onsuccess = () => {
            open.result.close();
            const row = request.result as { value?: { read: number } } | undefined;
            resolve(row?.value ? { read: row.value.read } : undefined);
          };
          request.onerror = () => reject(request.error ?? new Error('get failed'));
        };
      }),
  );
}

describe.skipIf(!hasChromium)('retention end to end', () => {
  for (const colorScheme of ['light', 'dark'] as const) {
    it(`previews, confirms from the keyboard, prunes only the index and keeps saved papers (${colorScheme})`, async () => {
      session = await launch({ colorScheme });
      const options = await importPapers(session, 'papers.jsonl', papersFile());
      await expect
        .poll(() => options.getByTestId('index-count').textContent())
        .toBe(String(OLD + RECENT));

      // An old paper saved with a tag and a note, and an old one dismissed.
      await call(options, 'savePaper', { id: `arxiv:${id(3)}` });
      await call(options, 'tagPapers', { ids: [`arxiv:${id(3)}`], add: ['keep-me'] });
      await call(options, 'setPaperNote', { id: `arxiv:${id(3)}`, note: 'Read this twice.' });
      await call(options, 'dismissPaper', { id: `arxiv:${id(5)}`, dismissed: true });
      const libraryBefore = await dumpLibrary(options, ['saved', 'tags', 'dismissed']);

      const panel = options.getByTestId('retention');
      await panel.scrollIntoViewIfNeeded();
      await expect
        .poll(() => panel.getByTestId('retention-current').textContent())
        .toMatch(/Keeping every paper/);
      const months = options.getByLabel(/Keep papers published in the last/);
      await months.fill('24');
      // Keyboard: Enter in the field previews; focus moves to the confirmation.
      await months.press('Enter');
      const preview = options.getByTestId('retention-preview');
      await expect
        .poll(() => preview.textContent())
        .toMatch(
          new RegExp(
            `This will remove ${OLD - 2} papers of ${OLD + RECENT} from the index\\. 2 papers you saved or dismissed stay\\.`,
          ),
        );
      const confirm = options.getByRole('button', {
        name: `Remove ${OLD - 2} papers and keep this rule`,
      });
      await expect
        .poll(() => confirm.evaluate((button) => button === document.activeElement))
        .toBe(true);
      expect(await seriousAxeFindings(options)).toEqual([]);
      await screenshot(options, `retention-preview-${colorScheme}`);

      // Escape cancels without changing anything; the preview comes back with Enter.
      await options.keyboard.press('Escape');
      await expect.poll(() => preview.count()).toBe(0);
      const previewButton = options.getByRole('button', { name: 'Preview' });
      await expect
        .poll(() => previewButton.evaluate((button) => button === document.activeElement))
        .toBe(true);
      expect(await options.getByTestId('index-count').textContent()).toBe(String(OLD + RECENT));
      await months.press('Enter');
      await expect
        .poll(() => confirm.evaluate((button) => button === document.activeElement))
        .toBe(true);
      await options.keyboard.press('Enter');

      await expect
        .poll(() => panel.getByTestId('retention-status').textContent(), { timeout: 30_000 })
        .toBe(`Removed ${OLD - 2} papers; ${RECENT + 2} papers left in the index.`);
      await expect
        .poll(() => options.getByTestId('index-count').textContent())
        .toBe(String(RECENT + 2));
      expect(await panel.getByTestId('retention-current').textContent()).toMatch(
        /Keeping papers of the last 24 months/,
      );
      await screenshot(options, `retention-done-${colorScheme}`);

      // The saved paper keeps its abstract; a pruned one is gone; the library is byte-identical.
      const kept = await call<{ paper: { abstract?: string } | null }>(options, 'getPaper', {
        id: `arxiv:${id(3)}`,
      });
      expect(kept.paper?.abstract).toBe('Abstract of retention paper 3.');
      const dismissed = await call<{ paper: unknown }>(options, 'getPaper', {
        id: `arxiv:${id(5)}`,
      });
      expect(dismissed.paper).not.toBeNull();
      const gone = await call<{ paper: unknown }>(options, 'getPaper', { id: `arxiv:${id(4)}` });
      expect(gone.paper).toBeNull();
      expect(await dumpLibrary(options, ['saved', 'tags', 'dismissed'])).toBe(libraryBefore);

      // The popup's search finds kept papers only (its index was refreshed by the prune).
      const search = await call<{ papers: number; rebuilt: boolean }>(
        options,
        'refreshSearchIndex',
        {},
      );
      expect(search.papers).toBe(RECENT + 2);
    });
  }

  it('a prune killed with the service worker resumes when the worker comes back, and ends with exactly the kept papers', async () => {
    session = await launch();
    const TOTAL = 40_000;
    const thisYear = new Date().getUTCFullYear();
    const file = Array.from({ length: TOTAL }, (_, n) =>
      JSON.stringify({
        id: `arxiv:2102.${String(n).padStart(5, '0')}`,
        title: `Bulk paper ${n} about graph kernels`,
        abstract: `Abstract ${n}.`,
        published: n % 2 === 0 ? '2014-05-06' : `${thisYear}-01-02`,
      }),
    ).join('\n');
    const options = await importPapers(session, 'bulk.jsonl', file);
    await expect
      .poll(() => options.getByTestId('index-count').textContent(), { timeout: 60_000 })
      .toBe(String(TOTAL));
    await call(options, 'savePaper', { id: 'arxiv:2102.00000' });
    await call(options, 'tagPapers', { ids: ['arxiv:2102.00000'], add: ['keep'] });

    const months = options.getByLabel(/Keep papers published in the last/);
    await months.fill('12');
    await months.press('Enter');
    const confirm = options.getByRole('button', { name: /^Remove 19,999 papers/ });
    await confirm.waitFor();

    // Watch the index database for the prune's checkpoint, and kill the worker when it appears.
    const sawCheckpoint = options.evaluate(async () => {
      const exists = (): Promise<boolean> =>
        new Promise((resolve, reject) => {
          const open = indexedDB.open('paperlight-index');
          open.onerror = () => reject(open.error ?? new Error('open failed'));
          open.onsuccess = () => {
            const request = open.result.transaction('meta').objectStore('meta').get('prune:cursor');
            request.onsuccess = () => {
              open.result.close();
              // After the first batch is committed: part of the index is compacted already.
              const row = request.result as { value?: { read: number } } | undefined;
              resolve((row?.value?.read ?? 0) > 0);
            };
            request.onerror = () => reject(request.error ?? new Error('get failed'));
          };
        });
      for (let waited = 0; waited < 30_000; waited += 5) {
        if (await exists()) return true;
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
      return false;
    });
    await confirm.click();
    expect(await sawCheckpoint).toBe(true);
    await killServiceWorker(session);
    const progressAfterKill = await readPruneCursor(options);
    // Killed mid-way: the checkpoint stands, part of the index is already compacted.
    expect(progressAfterKill?.read).toBeGreaterThan(0);
    expect(progressAfterKill?.read ?? TOTAL).toBeLessThan(TOTAL);

    // The user comes back to the options page: the worker starts, sees the prune and finishes it.
    await options.reload();
    await expect.poll(() => readPruneCursor(options), { timeout: 60_000 }).toBeUndefined();
    await expect
      .poll(() => options.getByTestId('index-count').textContent(), { timeout: 10_000 })
      .toBe(String(TOTAL / 2 + 1));
    const kept = await call<{ paper: { abstract?: string } | null }>(options, 'getPaper', {
      id: 'arxiv:2102.00000',
    });
    expect(kept.paper?.abstract).toBe('Abstract 0.');
    const recent = await call<{ paper: { title: string } | null }>(options, 'getPaper', {
      id: 'arxiv:2102.39999',
    });
    expect(recent.paper?.title).toBe('Bulk paper 39999 about graph kernels');
    const old = await call<{ paper: unknown }>(options, 'getPaper', { id: 'arxiv:2102.39998' });
    expect(old.paper).toBeNull();
    // Matching still works on both sides of where the worker was killed.
    const looked = await call<{ annotations: { matched: boolean }[] }>(options, 'lookupEntries', {
      entries: [
        { ref: 0, title: 'Bulk paper 1 about graph kernels', ids: [] },
        { ref: 1, title: 'Bulk paper 39997 about graph kernels', ids: [] },
        { ref: 2, title: 'Gone', ids: ['arxiv:2102.00002'] },
      ],
    });
    expect(looked.annotations.map((a) => a.matched)).toEqual([true, true, false]);
  });
});
