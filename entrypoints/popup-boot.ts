import { defineUnlistedScript } from '#imports';
import { startPopupShell } from '../components/popup/shell';
import { THEME_CACHE_KEY } from '../components/theme-cache';

/**
 * The popup's one script before its first paint (a classic script in popup.html's <head>: blocks
 * rendering, so the saved theme is set before anything is drawn; extension pages allow no inline
 * script). When parsing ends — before any module script runs — it starts the static shell, so the
 * search box is focused and takes typing and shortcuts while React still loads (main.ts).
 */
export default defineUnlistedScript(() => {
  try {
    const theme = localStorage.getItem(THEME_CACHE_KEY);
    if (theme === 'light' || theme === 'dark') document.documentElement.dataset.theme = theme;
  } catch {
    // No storage (it can be disabled): the browser's colour scheme applies until the setting loads.
  }
  const start = (): void => {
    window.paperlightShell = startPopupShell(document);
    performance.mark('paperlight:interactive');
  };
  if (document.readyState === 'loading') {
    document.addEventListener('readystatechange', start, { once: true });
  } else start();
});
