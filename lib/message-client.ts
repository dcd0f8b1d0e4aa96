/**
 * The sending half of the message protocol, kept apart from lib/messages.ts so that content
 * scripts don't bundle the validation schemas (zod) they never run.
 */
import type { Envelope, MessageType, Reply, RequestOf, ResponseMap } from './messages';

/** Sends a typed message; `send` is `browser.runtime.sendMessage` (injected for tests). */
export async function sendMessage<T extends MessageType>(
  send: (message: Envelope) => Promise<unknown>,
  type: T,
  payload: RequestOf<T>,
): Promise<ResponseMap[T]> {
  const reply = (await send({ type, payload })) as Reply<T> | undefined;
  if (!reply) throw new Error('No answer from the Paperlight background.');
  if (!reply.ok) throw new Error(reply.error);
  return reply.data;
}
