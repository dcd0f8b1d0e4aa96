/**
 * The options page in real Chromium: importing a real BibTeX file into the library, exporting it,
 * backup → wipe → restore giving back exactly the same library, axe, light and dark screenshots.
 */
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { hasShared, readReal, SKIP_SHARED_REASON } from '../shared';
import {
  dumpLibrary,
  hasChromium,
  launch,
  openExtensionPage,
  screenshot,
  seriousAxeFindings,
  type Session,
} from './harness';

let session: Session | undefined;
afterEach(async () => {
  await session?.close({ removeProfile: true });
  session = undefined;
});

describe.skipIf(!hasChromium)('options end to end', () => {
  it.skipIf(!hasShared)(
    `imports a real library, exports it, and survives backup → wipe → restore ${hasShared ? '' : SKIP_SHARED_REASON}`,
    async () => {
      session = await launch();
      const options = await openExtensionPage(session, 'options.html');
      await options.getByLabel('Import into library').setInputFiles({
        name: 'zotero.json',
        mimeType: 'application/json',
        buffer: Buffer.from(readReal('zotero/bbt-json-export-arxiv-items-issue460.json')),
      });
      await options
        .getByTestId('library-import-status')
        .getByText(/Imported zotero.json \(zotero-json\): 3 new/)
        .waitFor();
      await options.getByLabel('Import into library').setInputFiles({
        name: 'memory.json',
        mimeType: 'application/json',
        buffer: Buffer.from(readReal('papermemory/memory-export-3-papers-2022-08.json')),
      });
      await options
        .getByTestId('library-import-status')
        .getByText(/Imported memory.json \(papermemory\): 3 new/)
        .waitFor();
      await expect.poll(() => options.getByTestId('library-count').textContent()).toBe('6');

      // Export BibTeX: a download with arXiv eprint fields.
      await options.getByLabel('Format').selectOption('bibtex');
      const [bib] = await Promise.all([
        options.waitForEvent('download'),
        options.getByRole('button', { name: /^Export 6 papers/ }).click(),
      ]);
      const bibText = readFileSync(await bib.path(), 'utf8');
      expect(bibText).toContain('eprint = {1401.2910}');
      expect(bibText).toContain('archivePrefix = {arXiv}');

      // A setting and a stated interest, so the backup carries settings and interests too.
      await options.getByLabel('Show “saved” marks on pages').uncheck();
      expect(
        await options.evaluate(async () => {
          const { chrome } = globalThis as unknown as {
            chrome: { runtime: { sendMessage(message: unknown): Promise<{ ok: boolean }> } };
          };
          const interests = [{ query: 'diffusion' }, { query: 'author:Vaswani', tag: 'to cite' }];
          return (
            await chrome.runtime.sendMessage({ type: 'setInterests', payload: { interests } })
          ).ok;
        }),
      ).toBe(true);

      const before = await dumpLibrary(options, ['saved', 'tags', 'dismissed', 'interests']);
      const [download] = await Promise.all([
        options.waitForEvent('download'),
        options.getByRole('button', { name: 'Download backup' }).click(),
      ]);
      const backup = readFileSync(await download.path(), 'utf8');
      expect(JSON.parse(backup)).toMatchObject({
        format: 'paperlight-library',
        version: 3,
        interests: [{ query: 'diffusion' }, { query: 'author:Vaswani', tag: 'to cite' }],
      });

      // Wipe: the whole library database goes.
      await options.evaluate(
        () =>
          new Promise<void>((resolve, reject) => {
            const request = indexedDB.deleteDatabase('paperlight-library');
            request.onsuccess = () => resolve();
            request.onerror = () => reject(request.error ?? new Error('IndexedDB request failed'));
          }),
      );
      await options.reload();
      await expect.poll(() => options.getByTestId('library-count').textContent()).toBe('0');

      options.on('dialog', (dialog) => void dialog.accept());
      await options.getByLabel('Replace the library').check();
      await options.getByLabel('Restore from backup').setInputFiles({
        name: 'backup.json',
        mimeType: 'application/json',
        buffer: Buffer.from(backup),
      });
      await options
        .getByTestId('restore-status')
        .getByText(/Restored backup.json: 6 papers/)
        .waitFor();
      expect(await dumpLibrary(options, ['saved', 'tags', 'dismissed', 'interests'])).toBe(before);
      await options.reload();
      await expect
        .poll(() => options.getByLabel('Show “saved” marks on pages').isChecked())
        .toBe(false);

      // A damaged backup is refused before anything is written.
      await options.getByLabel('Restore from backup').setInputFiles({
        name: 'broken.json',
        mimeType: 'application/json',
        buffer: Buffer.from(backup.replace('"status":"to-read"', '"status":42')),
      });
      await options
        .getByTestId('restore-status')
        .getByText(/Nothing was restored/)
        .waitFor();
      expect(await dumpLibrary(options, ['saved', 'tags', 'dismissed', 'interests'])).toBe(before);
    },
  );

  it('looks right in light and dark, with no serious axe findings', async () => {
    session = await launch({ viewport: { width: 1000, height: 1400 } });
    const options = await openExtensionPage(session, 'options.html');
    await options.getByRole('heading', { name: 'Library', exact: true }).waitFor();
    await options.getByText(/Used:/).waitFor();
    expect(options.getByLabel('Import papers')).toBeDefined();
    expect(await options.getByLabel('Import papers').count()).toBe(1);
    await screenshot(options, 'options-light');
    expect(await seriousAxeFindings(options)).toEqual([]);
    await options.emulateMedia({ colorScheme: 'dark' });
    await screenshot(options, 'options-dark');
    expect(await seriousAxeFindings(options)).toEqual([]);
  });
});
