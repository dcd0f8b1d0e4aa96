import { defineContentScript } from '#imports';
import { startPageSession } from '../content/session';

/**
 * Sites the user turned on with "Annotate this site": not in the manifest; the background registers
 * it per origin (lib/site-access.ts) once the user granted that origin. Finds entries by their
 * paper links unless a specific adapter reads the page.
 */
export default defineContentScript({
  registration: 'runtime',
  // Informational: lib/site-access-browser.ts registers it, at document_end (see there).
  runAt: 'document_end',
  // WXT would otherwise window.postMessage our extension id to every page we run on.
  noScriptStartedPostMessage: true,
  main(ctx) {
    startPageSession(ctx, { generic: true });
  },
});
