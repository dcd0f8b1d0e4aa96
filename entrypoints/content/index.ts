import { defineContentScript } from '#imports';
import { allMatches } from '../../lib/sites';
import { startPageSession } from './session';

/** Supported sites (lib/sites registry): runs where a site adapter's match patterns say. */
export default defineContentScript({
  matches: allMatches(),
  // Started before the page is parsed so a stopped worker wakes and reads its look-up structures
  // while the page loads; the scan waits for the parsed DOM (session.ts). document_end came only
  // after the page's own first layout of the whole listing (~0.3–0.6 s for 2,000 arXiv entries
  // here), and the worker started only then. Pages that render entries later are rescanned.
  runAt: 'document_start',
  // WXT would otherwise window.postMessage our extension id to every page we run on.
  noScriptStartedPostMessage: true,
  main(ctx) {
    startPageSession(ctx, { generic: false });
  },
});
