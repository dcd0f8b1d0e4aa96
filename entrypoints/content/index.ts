import { browser, defineContentScript } from '#imports';
import { Annotator } from '../../lib/annotate';
import { sendMessage, type Envelope, type PageEntry } from '../../lib/messages';
import { adapterFor, allMatches } from '../../lib/sites';
import type { DetectedPaper } from '../../lib/sites/types';

export default defineContentScript({
  matches: allMatches(),
  runAt: 'document_idle',
  main(ctx) {
    const send = (message: Envelope): Promise<unknown> => browser.runtime.sendMessage(message);
    const annotator = new Annotator({
      document,
      schedule: (callback) => ctx.requestAnimationFrame(callback),
      onToggleSave: (id, save) => {
        void sendMessage(send, save ? 'savePaper' : 'unsavePaper', { id })
          .then(() => annotator.setSaved(id, save))
          .catch((error: unknown) => console.warn('Paperlight:', error));
      },
    });
    ctx.onInvalidated(() => annotator.clear());

    // Entries already sent for look-up: a rescan mid-annotation must not send them twice.
    const sent = new WeakSet<Element>();
    let scanning = false;
    let rescan = false;

    async function scan(): Promise<void> {
      if (scanning) {
        rescan = true;
        return;
      }
      scanning = true;
      try {
        const url = new URL(location.href);
        const adapter = adapterFor(url);
        if (!adapter) return;
        const fresh = adapter
          .findPapers(document, url)
          .filter((paper) => !sent.has(paper.titleElement) && !annotator.has(paper.titleElement));
        if (fresh.length === 0) return;
        for (const paper of fresh) sent.add(paper.titleElement);
        const entries: PageEntry[] = fresh.map((paper: DetectedPaper, ref) => {
          const entry: PageEntry = {
            ref,
            title: paper.title.slice(0, 2000),
            ids: paper.ids,
            authors: paper.authors.slice(0, 200),
          };
          if (paper.abstract) entry.abstract = paper.abstract.slice(0, 20_000);
          return entry;
        });
        const { annotations } = await sendMessage(send, 'lookupEntries', { entries });
        if (!ctx.isValid) return;
        await annotator.annotate(
          annotations.flatMap((annotation) => {
            const paper = fresh[annotation.ref];
            return paper ? [{ paper, annotation }] : [];
          }),
        );
      } catch (error) {
        console.warn('Paperlight:', error);
      } finally {
        scanning = false;
        if (rescan && ctx.isValid) {
          rescan = false;
          void scan();
        }
      }
    }

    void scan();
    // Entries that appear later (infinite scroll, client-side rendering) and SPA navigation.
    let pending: number | undefined;
    const observer = new MutationObserver(() => {
      if (pending !== undefined) return;
      pending = ctx.setTimeout(() => {
        pending = undefined;
        void scan();
      }, 150);
    });
    observer.observe(document.body, { childList: true, subtree: true });
    ctx.onInvalidated(() => observer.disconnect());
    ctx.addEventListener(window, 'wxt:locationchange', () => void scan());
  },
});
