/**
 * Every site in real Chromium: each adapter's fixture pages (and the real captures, read in place)
 * are served on their real URLs, and the built extension annotates every entry with exactly one
 * badge. Also: page CSS can't hide or restyle the badge, and "Annotate this site" turns a page on
 * (register + inject), keeps it on across reloads, and off again.
 */
import { cpSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasShared, PROJECT_ROOT, readReal } from '../shared';
import {
  EXTENSION_DIR,
  hasChromium,
  launch,
  openExtensionPage,
  screenshot,
  serve,
  type Session,
} from './harness';

const FIXTURES = join(PROJECT_ROOT, 'tests', 'fixtures', 'sites');

/** The slice of the extension API the tests call from an extension page. */
interface ExtensionApi {
  runtime: { sendMessage(message: unknown): Promise<unknown> };
  tabs: { query(filter: { url: string }): Promise<{ id?: number }[]> };
}

interface Case {
  name: string;
  url: string;
  html: string;
  entries: number;
}

/** Every fixture with at least one entry, except the generic adapter's (it needs a granted site). */
function cases(): Case[] {
  const found: Case[] = [];
  for (const site of readdirSync(FIXTURES)) {
    if (site === 'links') continue;
    for (const file of readdirSync(join(FIXTURES, site))) {
      if (!file.endsWith('.expected.json')) continue;
      const expected = JSON.parse(readFileSync(join(FIXTURES, site, file), 'utf8')) as {
        url: string;
        real?: string;
        entries: unknown[];
      };
      if (expected.entries.length === 0 || (expected.real && !hasShared)) continue;
      const html = expected.real
        ? readReal(expected.real)
        : readFileSync(join(FIXTURES, site, file.replace('.expected.json', '.html')), 'utf8');
      found.push({
        name: `${site}/${file.replace('.expected.json', '')}`,
        url: expected.url,
        html,
        entries: expected.entries.length,
      });
    }
  }
  return found;
}

/** Entries annotated, badges, and titles whose next sibling is not exactly one badge. */
async function counts(page: Page): Promise<{ entries: number; badges: number; misplaced: number }> {
  return page.evaluate(() => {
    const titles = [...document.querySelectorAll('[data-paperlight-entry]')];
    const misplaced = titles.filter(
      (title) =>
        title.nextElementSibling?.tagName.toLowerCase() !== 'paperlight-badge' ||
        title.nextElementSibling.nextElementSibling?.tagName.toLowerCase() === 'paperlight-badge',
    ).length;
    return {
      entries: titles.length,
      badges: document.querySelectorAll('paperlight-badge').length,
      misplaced,
    };
  });
}

describe.skipIf(!hasChromium)('every site, annotated in Chromium', () => {
  let session: Session;
  beforeAll(async () => {
    session = await launch();
  });
  afterAll(async () => {
    await session.close({ removeProfile: true });
  });

  const all = cases();
  it('covers every specific adapter', () => {
    const sites = new Set(all.map((item) => item.name.split('/')[0]));
    expect([...sites].sort()).toEqual(
      readdirSync(FIXTURES)
        .filter((site) => site !== 'links')
        .sort(),
    );
  });

  it.each(all.map((item) => [item.name, item] as const))('%s', async (_name, item) => {
    // Exact URL without the fragment (a glob would read `?` as a wildcard and keep the `#…`).
    const exact = item.url.split('#')[0] ?? item.url;
    await serve(
      session.context,
      new RegExp(`^${exact.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`),
      item.html,
    );
    const page = await session.context.newPage();
    try {
      await page.goto(item.url);
      await expect
        .poll(() => counts(page), { timeout: 20_000 })
        .toEqual({ entries: item.entries, badges: item.entries, misplaced: 0 });
    } finally {
      await page.close();
    }
  });

  it('page CSS can neither hide nor restyle the badge, and clicks on it stay out of the page', async () => {
    const hostile = readFileSync(join(FIXTURES, 'openreview', 'search.html'), 'utf8')
      .replace(
        '</head>',
        `<style>
        paperlight-badge { display: none !important; margin-left: 600px !important; width: 0 !important; }
        * { font-size: 48px !important; opacity: 0.1 !important; }
        h4 + * { visibility: hidden !important; transform: scale(5) !important; }
      </style></head>`,
      )
      .replace(
        '</body>',
        `<script>
        window.__pageClicks = 0;
        document.addEventListener('click', () => { window.__pageClicks += 1; }, true);
        document.body.addEventListener('click', () => { window.__bubbled = true; });
      </script></body>`,
      );
    const url = 'https://openreview.net/search?term=hostile&content=all';
    await serve(session.context, url, hostile);
    const page = await session.context.newPage();
    await page.goto(url);
    const badge = page.locator('paperlight-badge').first();
    await badge.waitFor({ state: 'attached', timeout: 20_000 });
    await expect.poll(() => badge.isVisible()).toBe(true);
    const box = await badge.boundingBox();
    const link = await page.locator('h4 a').first().boundingBox();
    expect(box && link).toBeTruthy();
    // Right after the title, at its own small size: the page's margin, width and scale didn't apply.
    expect(box!.x - (link!.x + link!.width)).toBeLessThan(40);
    expect(box!.width).toBeGreaterThan(40);
    expect(box!.height).toBeLessThan(40);
    expect(
      await badge.evaluate((host) => {
        const style = getComputedStyle(host);
        return [style.display, style.visibility, style.opacity, style.fontSize];
      }),
    ).toEqual(['inline-flex', 'visible', '1', '11px']);
    await badge.click({ position: { x: 10, y: 6 } });
    expect(
      await page.evaluate(() => (window as unknown as { __bubbled?: boolean }).__bubbled),
    ).toBe(undefined);
    await screenshot(page, 'sites-hostile-css');
    await page.close();
  });
});

describe.skipIf(!hasChromium)('"Annotate this site"', () => {
  const url = 'https://lab.example.org/publications.html';
  const pattern = 'https://lab.example.org/*';
  let session: Session;
  let extensionDir: string;

  beforeAll(async () => {
    // Chrome's permission prompt is browser UI no test can click: grant the origin at install
    // instead, in a copy of the build, and drive everything after the prompt for real.
    extensionDir = mkdtempSync(join(tmpdir(), 'paperlight-granted-'));
    cpSync(EXTENSION_DIR, extensionDir, { recursive: true });
    const manifestPath = join(extensionDir, 'manifest.json');
    const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as {
      host_permissions?: string[];
    };
    manifest.host_permissions = [...(manifest.host_permissions ?? []), pattern];
    writeFileSync(manifestPath, JSON.stringify(manifest));
    session = await launch({ extensionDir });
    await serve(
      session.context,
      url,
      readFileSync(join(FIXTURES, 'links', 'lab-page.html'), 'utf8'),
    );
  });
  afterAll(async () => {
    await session.close({ removeProfile: true });
  });

  it('annotates a turned-on page at once and after reloads, and stops when turned off', async () => {
    const page = await session.context.newPage();
    await page.goto(url);
    await page.waitForTimeout(1500);
    expect((await counts(page)).badges).toBe(0); // not a built-in site: nothing until turned on

    const popup = await openExtensionPage(session, 'popup.html');
    const send = (type: string, payload: unknown): Promise<unknown> =>
      popup.evaluate(
        async ({ type, payload }) => {
          const api = (globalThis as unknown as { chrome: ExtensionApi }).chrome;
          const reply = (await api.runtime.sendMessage({ type, payload })) as {
            ok: boolean;
            data?: unknown;
            error?: string;
          };
          return reply.ok ? reply.data : { error: reply.error };
        },
        { type, payload },
      );
    const tabId = await popup.evaluate(
      async (target) =>
        (
          await (globalThis as unknown as { chrome: ExtensionApi }).chrome.tabs.query({
            url: target,
          })
        )[0]?.id,
      url,
    );
    expect(await send('getSiteAnnotation', { url })).toEqual({
      pattern,
      builtIn: false,
      enabled: false,
    });
    expect(await send('enableSiteAnnotation', { url, tabId })).toEqual({
      pattern,
      builtIn: false,
      enabled: true,
      injected: true,
    });
    const expected = { entries: 5, badges: 5, misplaced: 0 };
    await expect.poll(() => counts(page), { timeout: 20_000 }).toEqual(expected);
    await page.reload();
    await expect.poll(() => counts(page), { timeout: 20_000 }).toEqual(expected);
    expect(await send('listSiteAnnotations', {})).toEqual({ patterns: [pattern] });
    await screenshot(page, 'sites-annotate-this-site');

    expect(await send('disableSiteAnnotation', { url })).toMatchObject({ enabled: false });
    await page.reload();
    await page.waitForTimeout(1500);
    expect((await counts(page)).badges).toBe(0);
  });
});
