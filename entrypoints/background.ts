import { browser, defineBackground } from '#imports';
import { openIndexDb, openLibraryDb } from '../lib/db';
import { createHandlers, type PageRecord, type PageState } from '../lib/handlers';
import { classifySender, dispatch } from '../lib/messages';

/** Per-tab page memory in storage.session: survives service-worker restarts, dies with the browser. */
const sessionPageState: PageState = {
  async remember(tabId, records) {
    const key = `page:${tabId}`;
    const stored = (await browser.storage.session.get(key))[key] as
      Record<string, PageRecord> | undefined;
    const next = { ...stored };
    for (const record of records) next[record.id] = record;
    await browser.storage.session.set({ [key]: next });
  },
  async recall(tabId, id) {
    const key = `page:${tabId}`;
    const stored = (await browser.storage.session.get(key))[key] as
      Record<string, PageRecord> | undefined;
    return stored?.[id];
  },
};

export default defineBackground(() => {
  const handlers = createHandlers({
    indexDb: openIndexDb(),
    libraryDb: openLibraryDb(),
    pageState: sessionPageState,
  });
  const ownOrigin = browser.runtime.getURL('/');

  browser.runtime.onMessage.addListener((message, sender, sendResponse) => {
    const validSender = classifySender(
      { extensionId: sender.id, url: sender.url, tabId: sender.tab?.id },
      browser.runtime.id,
      ownOrigin,
    );
    void dispatch(handlers, message, validSender).then(sendResponse);
    return true; // Keeps the channel open for the async reply.
  });

  browser.tabs.onRemoved.addListener((tabId) => {
    void browser.storage.session.remove(`page:${tabId}`);
  });
});
