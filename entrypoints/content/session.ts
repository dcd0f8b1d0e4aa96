/**
 * Wiring shared by both content scripts (the manifest one for supported sites, and the one the
 * background registers for sites the user turned on): messages, the annotator, the page scanner,
 * and the triggers for rescans. Everything it adds is removed when the context is invalidated.
 */
import { browser, type ContentScriptContext } from '#imports';
import { Annotator, BADGE_TAG } from '../../lib/annotate';
import { sendMessage } from '../../lib/message-client';
import type { Envelope } from '../../lib/messages';
import { PageScanner, whenParsed } from '../../lib/page-scanner';
import { pageSettingsOf, SETTINGS_STORAGE_KEY } from '../../lib/page-settings';
import { BAR_TAG, RelevanceLayer } from '../../lib/relevance/page';
import { adapterFor } from '../../lib/sites';
import { performanceMark } from '../../lib/timeline';

/** Quiet time after DOM changes before rescanning: coalesces bursts of rendering. */
const RESCAN_DELAY_MS = 150;

function onlyOurs(records: MutationRecord[]): boolean {
  const ours = (node: Node): boolean =>
    node.nodeName.toLowerCase() === BADGE_TAG || node.nodeName.toLowerCase() === BAR_TAG;
  return records.every(
    (record) =>
      record.type === 'childList' &&
      [...record.addedNodes].every(ours) &&
      [...record.removedNodes].every(ours),
  );
}

export function startPageSession(
  ctx: ContentScriptContext,
  { generic }: { generic: boolean },
): void {
  // The bench's page timeline (lib/timeline.ts); release builds mark nothing.
  const mark = import.meta.env.WXT_PAPERLIGHT_BENCH === '1' ? performanceMark : undefined;
  mark?.('content:start');
  const send = (message: Envelope): Promise<unknown> => browser.runtime.sendMessage(message);
  const warn = (error: unknown): void => console.warn('Paperlight:', error);
  const toggleSave = (id: string, save: boolean): void => {
    void sendMessage(send, save ? 'savePaper' : 'unsavePaper', { id })
      .then(() => annotator.setSaved(id, save))
      .catch(warn);
  };
  const relevance = new RelevanceLayer({
    document,
    call: (type, payload) => sendMessage(send, type, payload),
    reannotate: (items) => annotator.annotate(items),
    save: (id) => toggleSave(id, true),
    later: (callback, ms) => ctx.setTimeout(callback, ms),
  });
  const annotator = new Annotator({
    document,
    schedule: (callback) => ctx.requestAnimationFrame(callback),
    onToggleSave: toggleSave,
    decorate: (context) => relevance.decorate(context),
    decorateEntry: (context) => relevance.decorateEntry(context),
  });
  ctx.onInvalidated(() => annotator.clear());
  ctx.onInvalidated(() => relevance.clear());

  // Sites the user switched off in the options page get no marks; a change applies to open tabs.
  let disabledSites: ReadonlySet<string> = new Set<string>();
  let keyboard = false;
  const siteEnabled = (): boolean => {
    const adapter = adapterFor(new URL(location.href), { generic });
    return adapter !== undefined && !disabledSites.has(adapter.id);
  };
  // Straight from storage: asking the worker would make the scan wait for it to start.
  const readSettings = (): Promise<void> =>
    browser.storage.local.get(SETTINGS_STORAGE_KEY).then((stored) => {
      const settings = pageSettingsOf(stored[SETTINGS_STORAGE_KEY]);
      disabledSites = settings.disabledSites;
      keyboard = settings.relevanceKeys;
      relevance.setKeyboard(keyboard && siteEnabled());
    });
  const onSettingsChanged = (changes: Record<string, unknown>, area: string): void => {
    if (area !== 'local' || !('settings' in changes)) return;
    const wasEnabled = siteEnabled();
    void readSettings()
      .then(() => {
        if (wasEnabled === siteEnabled()) return;
        annotator.clear();
        relevance.clear();
        relevance.setKeyboard(keyboard && siteEnabled());
        return scan();
      })
      .catch(warn);
  };
  browser.storage.onChanged.addListener(onSettingsChanged);
  ctx.onInvalidated(() => browser.storage.onChanged.removeListener(onSettingsChanged));

  const scanner = new PageScanner({
    root: document,
    url: () => new URL(location.href),
    adapterFor: (url) => {
      const adapter = adapterFor(url, { generic });
      return adapter && !disabledSites.has(adapter.id) ? adapter : undefined;
    },
    // Badges first; relevance follows in a second request when the model needs time to load.
    lookup: (entries) => sendMessage(send, 'lookupEntries', { entries, relevance: 'separate' }),
    score: async (entries) => (await sendMessage(send, 'scoreEntries', { entries })).scores,
    // Abstracts the page shows follow the badges, and only those the index lacks.
    abstractsWanted: async (entries) =>
      (await sendMessage(send, 'abstractsWanted', { entries })).refs,
    noteAbstracts: async (entries) => {
      await sendMessage(send, 'noteAbstracts', { entries });
    },
    annotator,
    isValid: () => ctx.isValid,
    onError: warn,
    mark,
  });
  // Started at document_start, the session scans only once the parser is done: an entry read
  // mid-parse may be cut short. Until then rescans (settings changes, SPA navigation) wait too.
  let parsed = false;
  const scan = (): Promise<void> => (parsed ? scanner.scan() : Promise.resolve());
  const settingsRead = readSettings()
    .catch(warn)
    .then(() => {
      mark?.('content:settingsRead');
      // The worker (often stopped) starts and reads its look-up structures while the page loads.
      if (siteEnabled()) void sendMessage(send, 'prepareLookup', {}).catch(warn);
    });
  void Promise.all([settingsRead, whenParsed(document)])
    // A task of its own: inside the DOMContentLoaded task the scan would lengthen the page's
    // longest task (parsing's end, and on a 10,000-entry listing its first layout), and delay
    // its first paint of the whole listing.
    .then(() => new Promise<void>((resolve) => ctx.setTimeout(() => resolve(), 0)))
    .then(() => {
      if (!ctx.isValid) return;
      parsed = true;
      mark?.('content:parsed');
      observeLaterEntries();
      return scan();
    });

  /** Entries that appear later: infinite scroll, "load more", client rendering, tab switches. */
  const observeLaterEntries = (): void => {
    let pending: number | undefined;
    const observer = new MutationObserver((records) => {
      if (pending !== undefined || onlyOurs(records)) return;
      pending = ctx.setTimeout(() => {
        pending = undefined;
        void scan();
      }, RESCAN_DELAY_MS);
    });
    observer.observe(document.body ?? document.documentElement, {
      childList: true,
      subtree: true,
      characterData: true,
    });
    ctx.onInvalidated(() => observer.disconnect());
  };
  // SPA navigation that keeps the DOM (only the URL changes what an adapter reads).
  ctx.addEventListener(window, 'wxt:locationchange', () => void scan());
}
