/* global localStorage, document -- a page script, outside the TypeScript project */
// The saved light/dark override, set before the first paint so a page never flashes the other
// theme. Plain JS and not a module on purpose: a classic script in <head> blocks rendering until it
// has run (the extension CSP allows no inline script). components/use-theme.ts keeps the copy.
try {
  const theme = localStorage.getItem('paperlight:theme');
  if (theme === 'light' || theme === 'dark') document.documentElement.dataset.theme = theme;
} catch {
  // No storage (it can be disabled): the browser's colour scheme applies until the setting loads.
}
