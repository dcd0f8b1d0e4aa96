import { useEffect } from 'react';
import { callBackground } from './runtime';

/** Applies the theme setting (`system` follows the browser; `light`/`dark` override it). */
export function useTheme(): void {
  useEffect(() => {
    callBackground('getSettings', {})
      .then((settings) => {
        if (settings.theme === 'system') delete document.documentElement.dataset.theme;
        else document.documentElement.dataset.theme = settings.theme;
      })
      .catch(() => undefined);
  }, []);
}
