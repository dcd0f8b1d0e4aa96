/**
 * The one polite request layer every source goes through. Per host group: a minimum spacing
 * between requests and one request at a time; the time of the last request (and any back-off a
 * server asked for) is persisted before each request, so a restarted service worker still waits.
 * Every request has a deadline well inside the service worker's 30 s fetch limit, sends no cookies,
 * and reads at most `maxBytes` of body. 429/503 honour Retry-After (or OpenReview's resetTime) with
 * capped exponential back-off; a wait too long for one wake-up becomes a `rate-limited` error with
 * `retryAt`, which the scheduler turns into the next run time.
 */
import { SyncError } from './errors';

/** Where the limiter keeps its state (browser.storage in the extension, a Map in tests). */
export interface KeyValueStore {
  get(key: string): Promise<unknown>;
  set(key: string, value: unknown): Promise<void>;
}

export interface HostGroup {
  name: string;
  /** Minimum time between the starts of two requests to this group. */
  minIntervalMs: number;
}

/**
 * arXiv asks for at most one request every 3 s and one connection, jointly for the API, OAI-PMH and
 * RSS (info.arxiv.org/help/api/tou.html). Half a second of margin keeps network and timer jitter
 * on the right side of 3 s as arXiv sees it.
 */
export const ARXIV_INTERVAL_MS = 3500;

export function hostGroup(url: URL): HostGroup {
  const host = url.hostname.toLowerCase();
  if (host === 'arxiv.org' || host.endsWith('.arxiv.org')) {
    return { name: 'arxiv', minIntervalMs: ARXIV_INTERVAL_MS };
  }
  if (host.endsWith('openreview.net')) {
    // Guest limits are tight and change often (openreview/openreview#254).
    return { name: 'openreview', minIntervalMs: 3000 };
  }
  if (host === 'api.semanticscholar.org') {
    // A free API key allows 1 request/s; the keyless pool is shared and 429s often.
    return { name: 'semantic-scholar', minIntervalMs: 1100 };
  }
  if (host === 'huggingface.co') return { name: 'huggingface', minIntervalMs: 1000 };
  return { name: host, minIntervalMs: 1000 };
}

export interface LimiterState {
  lastRequestAt: number;
  /** A server asked us to stay away until this time. */
  blockedUntil: number;
  /** Consecutive 429/503 answers, for exponential back-off. */
  strikes: number;
}

export const limiterKey = (group: string): string => `sync-limiter:${group}`;

function asLimiterState(value: unknown): LimiterState {
  const state = (typeof value === 'object' && value !== null ? value : {}) as Partial<
    Record<keyof LimiterState, unknown>
  >;
  const num = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) ? v : 0);
  return {
    lastRequestAt: num(state.lastRequestAt),
    blockedUntil: num(state.blockedUntil),
    strikes: num(state.strikes),
  };
}

export interface RequestEnv {
  fetch: typeof fetch;
  store: KeyValueStore;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
  /** Deadline per request, body included. Chrome kills a worker whose fetch takes over 30 s. */
  timeoutMs?: number;
  /** The longest we wait in-process for a slot; longer waits are handed back to the scheduler. */
  maxWaitMs?: number;
}

export interface PoliteRequest {
  url: string;
  method?: 'GET' | 'POST';
  body?: string;
  headers?: Record<string, string>;
  /** Bodies above this are refused unread (Content-Length) or cut off while reading. */
  maxBytes?: number;
  /** What is fetched, for messages ("arXiv RSS feed"). */
  what: string;
}

export interface PoliteResponse {
  status: number;
  text: string;
  headers: Headers;
}

export const DEFAULT_TIMEOUT_MS = 20_000;
export const DEFAULT_MAX_WAIT_MS = 20_000;
export const DEFAULT_MAX_BYTES = 32 * 1024 * 1024;
const MAX_ATTEMPTS = 4;
const BACKOFF_BASE_MS = 5_000;
/** Back-off never grows past this, and a server's Retry-After is believed up to a day. */
const BACKOFF_CAP_MS = 10 * 60_000;
const RETRY_AFTER_CAP_MS = 24 * 3600_000;

/** `Retry-After: 120` or an HTTP date → milliseconds from `now`, or undefined. */
export function parseRetryAfter(value: string | null, now: number): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Math.min(Number(trimmed) * 1000, RETRY_AFTER_CAP_MS);
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? undefined : Math.min(Math.max(0, date - now), RETRY_AFTER_CAP_MS);
}

/** OpenReview's 429 body: `{name:'RateLimitError', details:{resetTime}}` (openreview/openreview#437). */
export function parseResetTime(body: string, now: number): number | undefined {
  try {
    const parsed = JSON.parse(body) as { details?: { resetTime?: unknown } };
    const reset = parsed.details?.resetTime;
    const at =
      typeof reset === 'number'
        ? reset < 1e12
          ? reset * 1000
          : reset
        : typeof reset === 'string'
          ? Date.parse(reset)
          : NaN;
    return Number.isNaN(at) ? undefined : Math.min(Math.max(0, at - now), RETRY_AFTER_CAP_MS);
  } catch {
    return undefined;
  }
}

function backoffMs(strikes: number): number {
  return Math.min(BACKOFF_BASE_MS * 2 ** Math.max(0, strikes - 1), BACKOFF_CAP_MS);
}

async function readCapped(response: Response, maxBytes: number, what: string): Promise<string> {
  const declared = Number(response.headers.get('content-length') ?? NaN);
  if (Number.isFinite(declared) && declared > maxBytes) {
    throw new SyncError('too-large', `The ${what} is larger than we accept; it was not read.`);
  }
  if (!response.body) return response.text();
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let received = 0;
  let text = '';
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    received += value.byteLength;
    if (received > maxBytes) {
      await reader.cancel();
      throw new SyncError('too-large', `The ${what} is larger than we accept; it was not read.`);
    }
    text += decoder.decode(value, { stream: true });
  }
  return text + decoder.decode();
}

export interface PoliteClient {
  request(request: PoliteRequest): Promise<PoliteResponse>;
}

/**
 * Creates the request layer for one service-worker lifetime. The in-memory queue gives "one
 * connection per group" within this worker; the persisted state carries the spacing across restarts
 * (a killed worker's connections die with it).
 */
export function createPoliteClient(env: RequestEnv): PoliteClient {
  const now = env.now ?? (() => Date.now());
  const sleep =
    env.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const timeoutMs = env.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const maxWaitMs = env.maxWaitMs ?? DEFAULT_MAX_WAIT_MS;
  const queues = new Map<string, Promise<unknown>>();

  async function waitForSlot(group: HostGroup, what: string): Promise<LimiterState> {
    const key = limiterKey(group.name);
    const state = asLimiterState(await env.store.get(key));
    const earliest = Math.max(state.lastRequestAt + group.minIntervalMs, state.blockedUntil);
    const wait = earliest - now();
    if (wait > maxWaitMs) {
      throw new SyncError(
        'rate-limited',
        `Waiting for ${what}: the service asked us to slow down.`,
        { retryAt: earliest },
      );
    }
    if (wait > 0) await sleep(wait);
    const next = { ...state, lastRequestAt: now() };
    // Persisted before the request leaves, so a worker killed mid-request still counts it.
    await env.store.set(key, next);
    return next;
  }

  function timeoutError(request: PoliteRequest): SyncError {
    return new SyncError('timeout', `No answer from ${request.what} within ${timeoutMs / 1000} s.`);
  }

  async function send(request: PoliteRequest, signal: AbortSignal): Promise<Response> {
    const init: RequestInit = {
      method: request.method ?? 'GET',
      credentials: 'omit',
      referrerPolicy: 'no-referrer',
      signal,
    };
    if (request.headers) init.headers = request.headers;
    if (request.body !== undefined) init.body = request.body;
    try {
      return await env.fetch(request.url, init);
    } catch (error) {
      if (signal.aborted) throw timeoutError(request);
      throw new SyncError('network', `Could not reach ${request.what} (offline?).`, {
        cause: error,
      });
    }
  }

  async function attempt(
    request: PoliteRequest,
    group: HostGroup,
    number: number,
  ): Promise<PoliteResponse | 'again'> {
    const key = limiterKey(group.name);
    const state = await waitForSlot(group, request.what);
    // One deadline for the whole exchange: headers and body.
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), timeoutMs);
    try {
      const response = await send(request, controller.signal);
      const { status } = response;
      if (status === 429 || status >= 500) {
        const body = await readCapped(response, 64 * 1024, request.what).catch(() => '');
        const strikes = state.strikes + 1;
        const delay =
          parseRetryAfter(response.headers.get('retry-after'), now()) ??
          parseResetTime(body, now()) ??
          backoffMs(strikes);
        const blockedUntil = now() + delay;
        await env.store.set(key, { ...state, blockedUntil, strikes });
        if (number < MAX_ATTEMPTS && delay <= maxWaitMs) return 'again';
        const limited = status === 429 || status === 503;
        throw new SyncError(
          limited ? 'rate-limited' : 'http',
          limited
            ? `${request.what} is busy or rate-limiting us (HTTP ${status}); will retry later.`
            : `${request.what} had a server error (HTTP ${status}); will retry later.`,
          { retryAt: blockedUntil, status },
        );
      }
      if (state.strikes > 0) await env.store.set(key, { ...state, strikes: 0 });
      if (status < 200 || status >= 300) {
        throw new SyncError('http', `${request.what} answered HTTP ${status}.`, { status });
      }
      const text = await readCapped(response, request.maxBytes ?? DEFAULT_MAX_BYTES, request.what);
      return { status, text, headers: response.headers };
    } catch (error) {
      if (error instanceof SyncError) throw error;
      if (controller.signal.aborted) throw timeoutError(request);
      throw new SyncError('network', `The answer from ${request.what} was cut off.`, {
        cause: error,
      });
    } finally {
      clearTimeout(timer);
    }
  }

  async function run(request: PoliteRequest, group: HostGroup): Promise<PoliteResponse> {
    for (let number = 1; ; number += 1) {
      const result = await attempt(request, group, number);
      if (result !== 'again') return result;
    }
  }

  return {
    request(request) {
      const group = hostGroup(new URL(request.url));
      const previous = queues.get(group.name) ?? Promise.resolve();
      const result = previous.then(
        () => run(request, group),
        () => run(request, group),
      );
      queues.set(
        group.name,
        result.catch(() => undefined),
      );
      return result;
    },
  };
}
