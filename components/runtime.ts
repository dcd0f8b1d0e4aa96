import { browser } from '#imports';
// Types only: lib/messages carries every request schema (zod), which pages never need to load.
import type { Envelope, MessageType, Reply, RequestOf, ResponseMap } from '../lib/messages';

/** Sends a typed message to the background from an extension page (as lib/messages `sendMessage`). */
export async function callBackground<T extends MessageType>(
  type: T,
  payload: RequestOf<T>,
): Promise<ResponseMap[T]> {
  const envelope: Envelope = { type, payload };
  const reply = await browser.runtime.sendMessage<Envelope, Reply<T> | undefined>(envelope);
  if (!reply) throw new Error('No answer from the Paperlight background.');
  if (!reply.ok) throw new Error(reply.error);
  return reply.data;
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
