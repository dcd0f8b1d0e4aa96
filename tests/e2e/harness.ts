/**
 * End-to-end harness: the built extension in Debian's Chromium through playwright-core (never a
 * downloaded browser), pages served by request routing on their real URLs, so no test needs the
 * internet. Build first (`npm run build`, or set PAPERLIGHT_EXTENSION_DIR to another build).
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type BrowserContext, type Page, type Route, type Worker } from 'playwright-core';
import { PROJECT_ROOT } from '../shared';

export const CHROMIUM = process.env.PAPERLIGHT_CHROMIUM ?? '/usr/bin/chromium';
export const EXTENSION_DIR = resolve(
  process.env.PAPERLIGHT_EXTENSION_DIR ?? join(PROJECT_ROOT, '.output', 'chrome-mv3'),
);
export const SCREENSHOT_DIR = join(PROJECT_ROOT, 'test-results', 'screenshots');
export const hasChromium = existsSync(CHROMIUM);

export interface Session {
  context: BrowserContext;
  extensionId: string;
  profileDir: string;
  serviceWorker(): Promise<Worker>;
  /** Closes the browser; the profile stays unless `removeProfile`. */
  close(options?: { removeProfile?: boolean }): Promise<void>;
}

export interface LaunchOptions {
  /** Reuse a profile (to test that data survives a browser restart). */
  profileDir?: string;
  extensionDir?: string;
  colorScheme?: 'light' | 'dark';
  viewport?: { width: number; height: number };
  /** More Chromium switches (e.g. host-resolver rules to a loopback server). */
  args?: string[];
}

/** Launches Chromium with the extension loaded and every outside request refused unless routed. */
export async function launch(options: LaunchOptions = {}): Promise<Session> {
  const extensionDir = options.extensionDir ?? EXTENSION_DIR;
  if (!existsSync(join(extensionDir, 'manifest.json'))) {
    throw new Error(`No built extension in ${extensionDir}: run "npm run build" first.`);
  }
  const profileDir = options.profileDir ?? mkdtempSync(join(tmpdir(), 'paperlight-e2e-'));
  const context = await chromium.launchPersistentContext(profileDir, {
    executablePath: CHROMIUM,
    headless: true,
    colorScheme: options.colorScheme ?? 'light',
    viewport: options.viewport ?? { width: 1280, height: 900 },
    args: [
      `--disable-extensions-except=${extensionDir}`,
      `--load-extension=${extensionDir}`,
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      ...(options.args ?? []),
    ],
  });
  // Nothing leaves the machine: unrouted http(s) requests fail fast instead of hanging.
  await context.route(/^https?:\/\//, (route) => route.abort('internetdisconnected'));
  const serviceWorker = async (): Promise<Worker> =>
    context.serviceWorkers()[0] ??
    (await context.waitForEvent('serviceworker', { timeout: 30_000 }));
  const worker = await serviceWorker();
  const extensionId = new URL(worker.url()).host;
  return {
    context,
    extensionId,
    profileDir,
    serviceWorker,
    async close({ removeProfile = false } = {}) {
      await context.close();
      if (removeProfile) rmSync(profileDir, { recursive: true, force: true });
    },
  };
}

/** Serves `body` for every request matching `url` (a glob or RegExp), on its real URL. */
export async function serve(
  context: BrowserContext,
  url: string | RegExp,
  body: string | ((route: Route) => Promise<void> | void),
  contentType = 'text/html; charset=utf-8',
): Promise<void> {
  await context.route(url, async (route) => {
    if (typeof body === 'function') await body(route);
    else await route.fulfill({ status: 200, body, contentType });
  });
}

/** The extension page's own API, inside `page.evaluate` (the tests are not compiled with its types). */
declare const chrome: {
  runtime: { sendMessage(message: unknown): Promise<unknown> };
};

/** Sends a protocol message from an extension page, as the popup and options page do. */
export async function call<T>(page: Page, type: string, payload: unknown): Promise<T> {
  const reply = await page.evaluate(
    async ([messageType, messagePayload]) =>
      (await chrome.runtime.sendMessage({ type: messageType, payload: messagePayload })) as {
        ok: boolean;
        data?: unknown;
        error?: string;
      },
    [type, payload] as const,
  );
  if (!reply.ok) throw new Error(`${type}: ${reply.error ?? 'failed'}`);
  return reply.data as T;
}

/** Opens an extension page (popup.html, options.html) in a tab. */
export async function openExtensionPage(session: Session, path: string): Promise<Page> {
  const page = await session.context.newPage();
  await page.goto(`chrome-extension://${session.extensionId}/${path}`);
  return page;
}

/** Imports a papers file through the options page's "Import papers" input, as a user would. */
export async function importPapers(
  session: Session,
  fileName: string,
  text: string,
): Promise<Page> {
  const options = await openExtensionPage(session, 'options.html');
  await options
    .getByLabel('Import papers')
    .setInputFiles({ name: fileName, mimeType: 'application/json', buffer: Buffer.from(text) });
  await options
    .getByTestId('import-status')
    .getByText(/Imported|Could not import/)
    .waitFor();
  return options;
}

/** Saves a screenshot under test-results/screenshots and returns its path. */
/** Every row of the library database's `stores`, read raw (not through our code), as JSON. */
export async function dumpLibrary(page: Page, stores: readonly string[]): Promise<string> {
  return page.evaluate(async (names) => {
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const request = indexedDB.open('paperlight-library');
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error ?? new Error('IndexedDB request failed'));
    });
    const rows: Record<string, unknown[]> = {};
    for (const store of names) {
      rows[store] = await new Promise<unknown[]>((resolve, reject) => {
        const request = db.transaction(store).objectStore(store).getAll();
        request.onsuccess = () => resolve(request.result);
        request.onerror = () => reject(request.error ?? new Error('IndexedDB request failed'));
      });
    }
    db.close();
    return JSON.stringify(rows);
  }, stores);
}

export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const path = join(SCREENSHOT_DIR, `${name}.png`);
  await page.screenshot({ path, fullPage: false });
  return path;
}

/** Kills the extension's service worker (as Chrome does after 30 s idle) via CDP. */
export async function killServiceWorker(session: Session): Promise<void> {
  const browserSession = await session.context.browser()?.newBrowserCDPSession();
  const cdp =
    browserSession ?? (await session.context.newCDPSession(await session.context.newPage()));
  const { targetInfos } = (await cdp.send('Target.getTargets')) as {
    targetInfos: { targetId: string; type: string; url: string }[];
  };
  for (const target of targetInfos) {
    if (target.type === 'service_worker' && target.url.includes(session.extensionId)) {
      await cdp.send('Target.closeTarget', { targetId: target.targetId });
    }
  }
}

/**
 * Presses the Save/Unsave button inside the closed shadow root that follows a title element:
 * a real mouse click at the button's place (the rightmost part of the badge), as a user would.
 */
export async function clickBadgeButton(page: Page, titleSelector: string): Promise<void> {
  const badge = page.locator(`${titleSelector} + paperlight-badge`).first();
  await badge.scrollIntoViewIfNeeded();
  const box = await badge.boundingBox();
  if (!box) throw new Error(`No badge after ${titleSelector}`);
  await page.mouse.click(box.x + box.width - 14, box.y + box.height / 2);
}

/** axe-core's source, evaluated in the page (the extension's CSP blocks injected <script> tags). */
const AXE_SOURCE = readFileSync(
  createRequire(import.meta.url).resolve('axe-core/axe.min.js'),
  'utf8',
);

/** axe-core's serious and critical findings on a page, as `id (impact, nodes)`. */
export async function seriousAxeFindings(page: Page): Promise<string[]> {
  await page.evaluate(AXE_SOURCE);
  const violations = await page.evaluate(async () => {
    const axe = (
      window as unknown as {
        axe: { run(): Promise<{ violations: { id: string; impact: string; nodes: unknown[] }[] }> };
      }
    ).axe;
    const result = await axe.run();
    return result.violations.map((violation) => ({
      id: violation.id,
      impact: violation.impact,
      count: violation.nodes.length,
    }));
  });
  return violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map((violation) => `${violation.id} (${violation.impact}, ${violation.count})`);
}
