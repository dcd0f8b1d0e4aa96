import { defineContentScript } from '#imports';
import { allMatches } from '../../lib/sites';
import { startPageSession } from './session';

/** Supported sites (lib/sites registry): runs where a site adapter's match patterns say. */
export default defineContentScript({
  matches: allMatches(),
  runAt: 'document_idle',
  // WXT would otherwise window.postMessage our extension id to every page we run on.
  noScriptStartedPostMessage: true,
  main(ctx) {
    startPageSession(ctx, { generic: false });
  },
});
