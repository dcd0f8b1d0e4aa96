/**
 * Typed sync failures. Every fetcher and parser turns what went wrong into one of these, with a
 * message a user can read in the options page; nothing is written when one is thrown.
 */

export type SyncErrorKind =
  /** Network down, DNS, connection reset: try again later. */
  | 'network'
  /** No answer before our deadline (the service worker would be killed at 30 s). */
  | 'timeout'
  /** 429/503 or a rate-limit body: wait until `retryAt`. */
  | 'rate-limited'
  /** Any other non-2xx status. */
  | 'http'
  /** An HTML page where a feed or JSON was expected (captive portal, error page served with 200). */
  | 'html-instead'
  /** Not well-formed XML/JSON, or truncated. */
  | 'malformed'
  /** Well-formed but not the shape we expect. */
  | 'unexpected-shape'
  /** The service reported an error inside a well-formed answer (Atom error entry, OAI `<error>`). */
  | 'reported-error'
  /** Zero results where the previous page promised more. */
  | 'empty-anomaly'
  /** The body declares its own XML entities (entity-expansion bombs). */
  | 'entity-declaration'
  /** The body is larger than we accept for this source. */
  | 'too-large'
  /** OAI-PMH resumption token expired or refused. */
  | 'bad-resumption-token'
  /** The browser refused to store more (QuotaExceededError, possibly wrapped). */
  | 'quota';

export class SyncError extends Error {
  override readonly name = 'SyncError';
  readonly kind: SyncErrorKind;
  /** Epoch ms before which the same source should not be asked again. */
  readonly retryAt: number | undefined;
  readonly status: number | undefined;

  constructor(
    kind: SyncErrorKind,
    message: string,
    options: { retryAt?: number; status?: number; cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.kind = kind;
    this.retryAt = options.retryAt;
    this.status = options.status;
  }
}

/** Whether retrying the same request later can help (as opposed to a bug or bad data). */
export function isTransient(error: SyncError): boolean {
  return (
    error.kind === 'network' ||
    error.kind === 'timeout' ||
    error.kind === 'rate-limited' ||
    error.kind === 'empty-anomaly' ||
    (error.kind === 'http' && (error.status ?? 0) >= 500)
  );
}

function errorName(error: unknown): string | undefined {
  if (typeof error === 'object' && error !== null && 'name' in error) {
    const { name } = error;
    return typeof name === 'string' ? name : undefined;
  }
  return undefined;
}

/**
 * Whether an IndexedDB failure is the quota. Dexie reports it as `QuotaExceededError`, or as an
 * `AbortError` whose `inner` (or `cause`) is one (dexie.org/docs/DexieErrors/Dexie.QuotaExceededError).
 */
export function isQuotaError(error: unknown, depth = 0): boolean {
  if (depth > 4 || typeof error !== 'object' || error === null) return false;
  if (errorName(error) === 'QuotaExceededError') return true;
  const { inner, cause } = error as { inner?: unknown; cause?: unknown };
  return isQuotaError(inner, depth + 1) || isQuotaError(cause, depth + 1);
}

/** Any thrown value → a SyncError (quota errors recognized, the rest reported as they are). */
export function toSyncError(error: unknown): SyncError {
  if (error instanceof SyncError) return error;
  if (isQuotaError(error)) {
    return new SyncError(
      'quota',
      'The browser has no room left for the abstract index. Free disk space or lower the retention setting; your library is not affected.',
      { cause: error },
    );
  }
  const message = error instanceof Error ? error.message : String(error);
  return new SyncError('unexpected-shape', `Unexpected failure: ${message}`, { cause: error });
}
