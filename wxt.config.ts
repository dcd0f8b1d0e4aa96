import { defineConfig } from 'wxt';
import { COMMANDS } from './lib/library/commands';
import { dropEmptyChunks, inlineEntryCss } from './scripts/vite-inline-css';

export default defineConfig({
  modules: ['@wxt-dev/module-react'],
  imports: false,
  hooks: {
    // The benchmark page (entrypoints/bench) ships only in `npm run bench` builds.
    'entrypoints:resolved': (_wxt, entrypoints) => {
      if (process.env.WXT_PAPERLIGHT_BENCH === '1') return;
      for (const entrypoint of entrypoints) {
        if (entrypoint.name === 'bench') entrypoint.skipped = true;
      }
    },
  },
  // Parallel workers (and E2E runs) can build into their own folder without racing each other.
  outDir: process.env.PAPERLIGHT_OUT_DIR ?? '.output',
  vite: () => ({
    build: {
      // Chrome and Firefox 115+ have modulepreload: the polyfill was one more file to fetch before
      // the popup's first paint.
      modulePreload: { polyfill: false },
      // Readable function names in CPU profiles of the benchmarks.
      ...(process.env.PAPERLIGHT_NO_MINIFY === '1' ? { minify: false } : {}),
    },
    // The popup paints without waiting for stylesheet files or empty chunks to be fetched.
    plugins: [dropEmptyChunks(), inlineEntryCss(['entrypoints/popup/index.html'])],
  }),
  manifest: ({ browser }) => ({
    name: 'Paperlight',
    description:
      'Highlights the research papers that matter to you on every listing page, from a local abstract index.',
    permissions: ['storage', 'unlimitedStorage', 'alarms', 'activeTab', 'scripting'],
    // The sync APIs (lib/sync/): fetched by the background without cookies. Never Google Scholar.
    host_permissions: [
      'https://export.arxiv.org/*',
      'https://rss.arxiv.org/*',
      'https://huggingface.co/api/*',
      'https://api2.openreview.net/*',
      'https://api.semanticscholar.org/*',
    ],
    // "Annotate this site": asked per origin at the user's request (lib/site-access.ts).
    optional_host_permissions: ['https://*/*', 'http://*/*'],
    // Open the popup, and save the paper of the current page (lib/library/commands.ts).
    commands: COMMANDS,
    // img/media/font/frame closed too: page- and file-derived text that ever reached CSS (`url(…)`)
    // or markup could not make our pages load anything from elsewhere (docs/SECURITY.md).
    content_security_policy: {
      extension_pages:
        "script-src 'self'; object-src 'self'; base-uri 'none'; frame-ancestors 'none'; img-src 'self' data:; media-src 'none'; font-src 'self'; frame-src 'none'",
    },
    ...(browser === 'firefox'
      ? {
          browser_specific_settings: {
            gecko: {
              id: 'paperlight@paperlight.dev',
              strict_min_version: '128.0',
              data_collection_permissions: { required: ['none'] },
            },
          },
        }
      : {}),
  }),
});
