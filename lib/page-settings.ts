/**
 * The few settings a content script needs, read straight from `storage.local` where the options
 * page keeps them (lib/library/stores.ts): no message, so the page's scan does not wait for a
 * stopped service worker to start, and no zod in the page bundle. Anything malformed is the
 * default, as `parseSettings` does for the full settings.
 */
export interface PageSettings {
  /** Site adapter ids the user switched off. */
  disabledSites: ReadonlySet<string>;
  /** j/k/s on listing pages (opt-in). */
  relevanceKeys: boolean;
}

/** Where the settings live in `storage.local`. */
export const SETTINGS_STORAGE_KEY = 'settings';

export function pageSettingsOf(stored: unknown): PageSettings {
  const record =
    typeof stored === 'object' && stored !== null ? (stored as Record<string, unknown>) : {};
  const sites = record['disabledSites'];
  const disabledSites =
    Array.isArray(sites) &&
    sites.length <= 200 &&
    sites.every((site) => typeof site === 'string' && site.length <= 100)
      ? new Set(sites)
      : new Set<string>();
  return { disabledSites, relevanceKeys: record['relevanceKeys'] === true };
}
