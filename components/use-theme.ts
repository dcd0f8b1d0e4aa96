import { useEffect } from 'react';
import type { Settings } from '../lib/settings';
import { callBackground } from './runtime';
import { THEME_CACHE_KEY } from './theme-cache';

/** Shows `theme` now and remembers it for the next page's first frame. */
export function applyTheme(theme: Settings['theme']): void {
  if (theme === 'system') delete document.documentElement.dataset.theme;
  else document.documentElement.dataset.theme = theme;
  try {
    localStorage.setItem(THEME_CACHE_KEY, theme);
  } catch {
    // Storage disabled: the next page paints in the browser's scheme until its setting loads.
  }
}

/** Applies the theme setting (`system` follows the browser; `light`/`dark` override it). */
export function useTheme(): void {
  useEffect(() => {
    callBackground('getSettings', {})
      .then((settings) => applyTheme(settings.theme))
      .catch(() => undefined);
  }, []);
}
