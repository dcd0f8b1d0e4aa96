/** JSON bodies: size-capped, HTML pages recognized, failures typed. */
import { SyncError } from './errors';
import { looksLikeHtml } from './xml';

export const MAX_JSON_CHARS = 32 * 1024 * 1024;

export function parseJson(body: string, what: string, maxChars = MAX_JSON_CHARS): unknown {
  if (body.length > maxChars) {
    throw new SyncError(
      'too-large',
      `The ${what} is larger than ${Math.round(maxChars / 1_048_576)} MB, so it was not read.`,
    );
  }
  const trimmed = body.replace(/^\uFEFF/, '').trim();
  if (trimmed === '') throw new SyncError('malformed', `The ${what} was empty.`);
  if (looksLikeHtml(trimmed)) {
    throw new SyncError(
      'html-instead',
      `Got a web page instead of the ${what} (the service may be down or asking for a login).`,
    );
  }
  try {
    return JSON.parse(trimmed) as unknown;
  } catch {
    throw new SyncError('malformed', `The ${what} is not valid JSON; it may have been cut off.`);
  }
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function str(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

/** A service's own `{error: "..."}` / `{message: "..."}` answer, if that's what this is. */
export function reportedError(value: unknown): string | undefined {
  if (!isObject(value)) return undefined;
  const message = value.error ?? value.message;
  if (typeof message === 'string') return message;
  if (isObject(message) && typeof message.message === 'string') return message.message;
  return undefined;
}
