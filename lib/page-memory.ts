/**
 * What a tab's page showed, kept in storage.session so saves from that tab use only its papers.
 * storage.session has one small quota (10 MB in Chrome) for every tab, so each tab keeps only its
 * most recent papers: a long-lived listing or a hostile page can't starve the other tabs.
 */
import type { PageRecord, PageState } from './handlers';

/** Papers remembered per tab: a 2,000-entry arXiv page plus as many again from scrolling. */
export const MAX_PAGE_RECORDS = 5000;

/** Adds `records` to a tab's memory, newest last, dropping the oldest beyond `max`. */
export function mergePageRecords(
  stored: Record<string, PageRecord> | undefined,
  records: readonly PageRecord[],
  max = MAX_PAGE_RECORDS,
): Record<string, PageRecord> {
  const next = new Map(Object.entries(stored ?? {}));
  for (const record of records) {
    next.delete(record.id); // re-inserting moves it to the newest end
    next.set(record.id, record);
  }
  const overflow = next.size - max;
  if (overflow > 0) {
    for (const id of [...next.keys()].slice(0, overflow)) next.delete(id);
  }
  return Object.fromEntries(next);
}

/** An in-memory PageState (tests and tools; the extension keeps it in storage.session). */
export function memoryPageState(): PageState {
  const pages = new Map<number, Map<string, PageRecord>>();
  return {
    remember: (tabId, records) => {
      const page = pages.get(tabId) ?? new Map<string, PageRecord>();
      for (const record of records) page.set(record.id, record);
      pages.set(tabId, page);
      return Promise.resolve();
    },
    recall: (tabId, id) => Promise.resolve(pages.get(tabId)?.get(id)),
  };
}
