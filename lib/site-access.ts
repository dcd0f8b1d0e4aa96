/**
 * "Annotate this site": the popup asks for the current tab's origin as an optional host permission
 * (manifest `optional_host_permissions`), then the background registers the runtime content script
 * (entrypoints/site.content) for that origin and injects it into the tab. Pure logic: the browser's
 * permissions/scripting APIs come in through `SiteAccessPort`.
 *
 * Popup flow (permissions.request needs the click's user gesture, so nothing async before it):
 *   const pattern = siteOriginPattern(tab.url);           // sync, in the click handler
 *   if (await browser.permissions.request({ origins: [pattern] }))
 *     await sendMessage(send, 'enableSiteAnnotation', { url: tab.url, tabId: tab.id });
 */
import { z } from 'zod';
import { adapters } from './sites';

/** The runtime content script's bundle (WXT names it after entrypoints/site.content). */
export const SITE_SCRIPT_FILE = '/content-scripts/site.js' as const;
const SCRIPT_ID_PREFIX = 'paperlight-site:';

/** The optional host permission for a page's origin (`https://example.org/*`); null if not a web page. */
export function siteOriginPattern(pageUrl: string | undefined): string | null {
  let url: URL;
  try {
    url = new URL(pageUrl ?? '');
  } catch {
    return null;
  }
  if ((url.protocol !== 'https:' && url.protocol !== 'http:') || !url.hostname) return null;
  // Match patterns carry no port: one permission covers every port of the host.
  return `${url.protocol}//${url.hostname}/*`;
}

function hostMatches(patternHost: string, host: string): boolean {
  if (patternHost === '*') return true;
  if (patternHost.startsWith('*.')) {
    const base = patternHost.slice(2);
    return host === base || host.endsWith(`.${base}`);
  }
  return patternHost === host;
}

/** Whether a built-in adapter's manifest content script already runs on this page's host. */
export function isBuiltInSite(pageUrl: string): boolean {
  let host: string;
  try {
    host = new URL(pageUrl).hostname;
  } catch {
    return false;
  }
  return adapters.some((adapter) =>
    adapter.matches.some((pattern) => {
      const patternHost = /^[^:]+:\/\/([^/]+)\//.exec(pattern)?.[1];
      return patternHost !== undefined && hostMatches(patternHost, host);
    }),
  );
}

/** The browser APIs this needs (background: browser.permissions + browser.scripting). */
export interface SiteAccessPort {
  hasPermission(pattern: string): Promise<boolean>;
  removePermission(pattern: string): Promise<void>;
  /** Ids of the runtime content scripts registered now. */
  registeredIds(): Promise<string[]>;
  register(script: { id: string; pattern: string; file: string }): Promise<void>;
  unregister(ids: string[]): Promise<void>;
  inject(tabId: number, file: string): Promise<void>;
}

export interface SiteAnnotationStatus {
  /** The origin pattern the permission is asked for; null on pages that can't be annotated. */
  pattern: string | null;
  /** A built-in adapter covers this host already: no button needed. */
  builtIn: boolean;
  /** The user turned this origin on and the script is registered. */
  enabled: boolean;
}

const scriptId = (pattern: string): string => `${SCRIPT_ID_PREFIX}${pattern}`;

export async function siteAnnotationStatus(
  port: SiteAccessPort,
  url: string,
): Promise<SiteAnnotationStatus> {
  const pattern = siteOriginPattern(url);
  const builtIn = isBuiltInSite(url);
  const enabled =
    pattern !== null && !builtIn && (await port.registeredIds()).includes(scriptId(pattern));
  return { pattern, builtIn, enabled };
}

/** Registers the site script for the page's origin (permission already granted) and runs it in the tab. */
export async function enableSiteAnnotation(
  port: SiteAccessPort,
  { url, tabId }: { url: string; tabId?: number },
): Promise<SiteAnnotationStatus & { injected: boolean }> {
  const pattern = siteOriginPattern(url);
  if (!pattern) throw new Error('Only web pages (http or https) can be annotated.');
  if (isBuiltInSite(url)) throw new Error('Paperlight already annotates this site.');
  if (!(await port.hasPermission(pattern))) {
    throw new Error(`Permission for ${pattern} was not granted.`);
  }
  const id = scriptId(pattern);
  if (!(await port.registeredIds()).includes(id)) {
    await port.register({ id, pattern, file: SITE_SCRIPT_FILE });
  }
  let injected = false;
  if (tabId !== undefined) {
    try {
      await port.inject(tabId, SITE_SCRIPT_FILE);
      injected = true;
    } catch {
      // The tab navigated away or is a page scripts can't enter; the registration still holds.
    }
  }
  return { pattern, builtIn: false, enabled: true, injected };
}

/** Stops annotating the page's origin and gives its permission back. */
export async function disableSiteAnnotation(
  port: SiteAccessPort,
  { url }: { url: string },
): Promise<SiteAnnotationStatus> {
  const pattern = siteOriginPattern(url);
  if (!pattern) throw new Error('Only web pages (http or https) can be annotated.');
  await forgetSites(port, [pattern]);
  try {
    await port.removePermission(pattern);
  } catch {
    // A permission the manifest requires (or policy grants) can't be given back; the script is
    // unregistered all the same, so the site is off.
  }
  return { pattern, builtIn: isBuiltInSite(url), enabled: false };
}

/** The origins the user turned on. */
export async function listSiteAnnotations(port: SiteAccessPort): Promise<string[]> {
  return (await port.registeredIds())
    .filter((id) => id.startsWith(SCRIPT_ID_PREFIX))
    .map((id) => id.slice(SCRIPT_ID_PREFIX.length))
    .sort();
}

/** Unregisters the scripts of origins whose permission is gone (`permissions.onRemoved`). */
export async function forgetSites(port: SiteAccessPort, patterns: string[]): Promise<void> {
  const registered = new Set(await port.registeredIds());
  const ids = patterns.map(scriptId).filter((id) => registered.has(id));
  if (ids.length > 0) await port.unregister(ids);
}

const pageUrl = z.string().min(1).max(4096);

export const siteAccessRequestSchemas = {
  getSiteAnnotation: z.object({ url: pageUrl }),
  enableSiteAnnotation: z.object({
    url: pageUrl,
    tabId: z.number().int().nonnegative().optional(),
  }),
  disableSiteAnnotation: z.object({ url: pageUrl }),
  listSiteAnnotations: z.object({}),
} as const;

export type SiteAccessMessageType = keyof typeof siteAccessRequestSchemas;

export interface SiteAccessResponseMap {
  getSiteAnnotation: SiteAnnotationStatus;
  enableSiteAnnotation: SiteAnnotationStatus & { injected: boolean };
  disableSiteAnnotation: SiteAnnotationStatus;
  listSiteAnnotations: { patterns: string[] };
}

/** Only extension pages (the popup, options) may turn sites on or off. */
export const siteAccessAudience: Record<SiteAccessMessageType, 'page' | 'extension'> = {
  getSiteAnnotation: 'extension',
  enableSiteAnnotation: 'extension',
  disableSiteAnnotation: 'extension',
  listSiteAnnotations: 'extension',
};
