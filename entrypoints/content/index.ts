import { defineContentScript } from '#imports';
import { allMatches } from '../../lib/sites';
import { startPageSession } from './session';

/** Supported sites (lib/sites registry): runs where a site adapter's match patterns say. */
export default defineContentScript({
  matches: allMatches(),
  // Adapters read the parsed DOM, which is complete at document_end; document_idle waited for the
  // load event (images, scripts) first. Pages that render entries later are rescanned on mutations.
  runAt: 'document_end',
  // WXT would otherwise window.postMessage our extension id to every page we run on.
  noScriptStartedPostMessage: true,
  main(ctx) {
    startPageSession(ctx, { generic: false });
  },
});
