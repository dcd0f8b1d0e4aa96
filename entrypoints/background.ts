import { browser, defineBackground } from '#imports';
import { openIndexDb, openLibraryDb } from '../lib/db';
import { createHandlers, type PageRecord, type PageState } from '../lib/handlers';
import { openIndexSafely, storageHealthLog } from '../lib/index-health';
import { saveOnlyPaperOfTab } from '../lib/handlers/library';
import { SAVE_PAPER_COMMAND } from '../lib/library/commands';
import { storageSettingsStore, storageTabPages, storageUndoStore } from '../lib/library/stores';
import { exposeIndexBench } from '../lib/index-bench';
import { classifySender, dispatch } from '../lib/messages';
import { mergePageRecords } from '../lib/page-memory';
import { createRelevanceEngine } from '../lib/relevance';
import { forgetSites, SITE_SCRIPT_FILE } from '../lib/site-access';
import { browserSiteAccess } from '../lib/site-access-browser';
import { startSync } from '../lib/sync/browser-wiring';
import { performanceMark } from '../lib/timeline';

/** Per-tab page memory in storage.session: survives service-worker restarts, dies with the browser. */
const sessionPageState: PageState = {
  async remember(tabId, records) {
    const key = `page:${tabId}`;
    const stored = (await browser.storage.session.get(key))[key] as
      Record<string, PageRecord> | undefined;
    try {
      await browser.storage.session.set({ [key]: mergePageRecords(stored, records) });
    } catch {
      // storage.session is full (all tabs share it): keep at least this page's latest papers.
      await browser.storage.session.set({ [key]: mergePageRecords(undefined, records) });
    }
  },
  async recall(tabId, id) {
    const key = `page:${tabId}`;
    const stored = (await browser.storage.session.get(key))[key] as
      Record<string, PageRecord> | undefined;
    return stored?.[id];
  },
};

export default defineBackground(() => {
  // The bench's page timeline (lib/timeline.ts); release builds mark nothing.
  const mark = import.meta.env.WXT_PAPERLIGHT_BENCH === '1' ? performanceMark : undefined;
  mark?.('worker:main');
  const libraryStores = {
    undo: storageUndoStore(browser.storage.session),
    settings: storageSettingsStore(browser.storage.local),
    tabPages: storageTabPages(browser.storage.session),
  };
  // The one file ever injected; typed by WXT's generated public paths.
  const siteAccess = browserSiteAccess(browser, (tabId) =>
    browser.scripting.executeScript({ target: { tabId }, files: [SITE_SCRIPT_FILE] }),
  );
  // One instance: index-store caches its look-up structures per database object.
  const indexDb = openIndexDb();
  // A damaged index, or one that can't be upgraded, is rebuilt empty and the options page says so.
  const health = storageHealthLog(browser.storage.local);
  // An extension API call now and then keeps the worker alive through a long upgrade.
  const keepAlive = (): Promise<unknown> => browser.runtime.getPlatformInfo();
  void openIndexSafely(indexDb, health, { keepAlive }).then(() => mark?.('worker:indexOpen'));
  // `npm run bench` builds with this set to time the matcher in the worker; release builds never do.
  if (import.meta.env.WXT_PAPERLIGHT_BENCH === '1') exposeIndexBench(indexDb);
  // The library is read (never written) so that retention keeps the user's papers in the index.
  const sync = startSync(browser, indexDb, (input, init) => fetch(input, init), openLibraryDb());
  const relevance = createRelevanceEngine(indexDb, openLibraryDb(), {
    // Vectorizing a large import yields between slices so page look-ups are answered meanwhile.
    yieldToEvents: () => new Promise((resolve) => setTimeout(resolve, 0)),
  });
  const badge = {
    async show(tabId: number, count: number): Promise<void> {
      await browser.action.setBadgeBackgroundColor({ tabId, color: '#7c3aed' });
      await browser.action.setBadgeText({ tabId, text: count > 0 ? String(count) : '' });
    },
  };
  const handlers = createHandlers({
    indexDb,
    relevance,
    badge,
    sync,
    libraryDb: openLibraryDb(),
    pageState: sessionPageState,
    health,
    siteAccess,
    ...libraryStores,
    mark,
  });
  mark?.('worker:handlers');
  const ownOrigin = browser.runtime.getURL('/');

  browser.runtime.onMessage.addListener((message, sender, sendResponse) => {
    const validSender = classifySender(
      { extensionId: sender.id, url: sender.url, tabId: sender.tab?.id },
      browser.runtime.id,
      ownOrigin,
    );
    const type = mark ? String((message as { type?: unknown } | null)?.type) : '';
    mark?.(`worker:received:${type}`);
    void dispatch(handlers, message, validSender).then((reply) => {
      sendResponse(reply);
      mark?.(`worker:replied:${type}`);
    });
    return true; // Keeps the channel open for the async reply.
  });

  // The "save this paper" shortcut (wxt.config.ts `commands`).
  browser.commands.onCommand.addListener((command, tab) => {
    if (command !== SAVE_PAPER_COMMAND || tab?.id === undefined) return;
    void saveOnlyPaperOfTab({ libraryDb: openLibraryDb(), ...libraryStores }, tab.id);
  });

  // The user revoked a site in the browser's settings: stop registering our script there.
  browser.permissions.onRemoved.addListener(({ origins }) => {
    void forgetSites(siteAccess, origins ?? []);
  });

  browser.tabs.onRemoved.addListener((tabId) => {
    void browser.storage.session.remove(`page:${tabId}`);
  });
});
