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
