/**
 * Where the light/dark setting is remembered for the next page's first frame: read before the first
 * paint by entrypoints/popup-boot.ts (no message to the background can be), written by use-theme.
 */
export const THEME_CACHE_KEY = 'paperlight:theme';
