import { browser } from '#imports';
import {
  sendMessage as send,
  type Envelope,
  type MessageType,
  type RequestOf,
  type ResponseMap,
} from '../lib/messages';

/** Sends a typed message to the background from an extension page. */
export function callBackground<T extends MessageType>(
  type: T,
  payload: RequestOf<T>,
): Promise<ResponseMap[T]> {
  return send((message: Envelope) => browser.runtime.sendMessage(message), type, payload);
}

/**
 * The tab the popup is about: the active tab of its window, or `?tab=<id>` when the popup is open
 * in a tab of its own (end-to-end tests, "open in tab").
 */
export async function currentTab(): Promise<{ id: number; url?: string } | null> {
  const fromQuery = Number(new URLSearchParams(location.search).get('tab'));
  if (Number.isInteger(fromQuery) && fromQuery > 0) {
    const tab = await browser.tabs.get(fromQuery).catch(() => undefined);
    return tab?.id !== undefined ? { id: tab.id, url: tab.url } : { id: fromQuery };
  }
  const [tab] = await browser.tabs.query({ active: true, currentWindow: true });
  return tab?.id !== undefined ? { id: tab.id, url: tab.url } : null;
}
