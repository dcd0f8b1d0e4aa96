import { defineWebExtConfig } from 'wxt';

// Without a display `wxt` dev would crash trying to open a browser; with one it opens Debian's Chromium.
export default defineWebExtConfig({
  disabled: !process.env.DISPLAY,
  binaries: { chrome: process.env.PAPERLIGHT_CHROMIUM ?? '/usr/bin/chromium' },
  chromiumArgs: [
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    // Chromium refuses to start as root with its sandbox (containers, CI machines).
    ...(process.getuid?.() === 0 ? ['--no-sandbox'] : []),
  ],
});
