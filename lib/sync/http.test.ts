import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { SyncError } from './errors';
import { ARXIV_INTERVAL_MS, createPoliteClient, limiterKey, type KeyValueStore } from './http';

function memoryStore(): KeyValueStore & { data: Map<string, unknown> } {
  const data = new Map<string, unknown>();
  return {
    data,
    get: async (key) => structuredClone(data.get(key)),
    set: async (key, value) => void data.set(key, structuredClone(value)),
  };
}

interface Call {
  url: string;
  at: number;
  init: RequestInit | undefined;
}

/** A fake server: answers after `latency` ms and records start times and concurrency. */
function fakeServer(answer: (url: string, call: number) => Response, latency = 400) {
  const calls: Call[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const fetch = vi.fn(async (input: string | URL, init?: RequestInit) => {
    const url = String(input);
    calls.push({ url, at: Date.now(), init });
    inFlight += 1;
    maxInFlight = Math.max(maxInFlight, inFlight);
    await new Promise((resolve) => setTimeout(resolve, latency));
    inFlight -= 1;
    return answer(url, calls.length);
  });
  return {
    fetch: fetch as unknown as typeof globalThis.fetch,
    calls,
    maxInFlight: () => maxInFlight,
  };
}

const gaps = (calls: Call[]): number[] => calls.slice(1).map((call, i) => call.at - calls[i]!.at);

beforeEach(() => {
  vi.useFakeTimers({ now: Date.UTC(2026, 0, 5, 12) });
});
afterEach(() => {
  vi.useRealTimers();
});

describe('polite request layer', () => {
  it('spaces arXiv requests (API, RSS, OAI together) ≥ 3 s apart, one at a time, across two worker starts', async () => {
    const store = memoryStore();
    const server = fakeServer(() => new Response('<ok/>'));
    const first = createPoliteClient({ fetch: server.fetch, store });
    const urls = [
      'https://export.arxiv.org/api/query?id_list=1',
      'https://rss.arxiv.org/rss/cs.LG',
      'https://export.arxiv.org/oai2?verb=ListRecords',
    ];
    const done = Promise.all(urls.map((url) => first.request({ url, what: 'arXiv' })));
    await vi.advanceTimersByTimeAsync(20_000);
    await done;
    // The worker stops; a new one starts with fresh globals and the same persisted state.
    const second = createPoliteClient({ fetch: server.fetch, store });
    const later = second.request({
      url: 'https://export.arxiv.org/api/query?id_list=2',
      what: 'arXiv',
    });
    await vi.advanceTimersByTimeAsync(10_000);
    await later;

    expect(server.calls).toHaveLength(4);
    expect(server.maxInFlight()).toBe(1);
    for (const gap of gaps(server.calls)) expect(gap).toBeGreaterThanOrEqual(3000);
    // The restart did not reset the clock: the 4th request waited for the 3rd.
    expect(server.calls[3]!.at - server.calls[2]!.at).toBeGreaterThanOrEqual(ARXIV_INTERVAL_MS);
    for (const call of server.calls) expect(call.init?.credentials).toBe('omit');
  });

  it('does not hold other hosts to arXiv spacing', async () => {
    const server = fakeServer(() => new Response('[]'), 10);
    const client = createPoliteClient({ fetch: server.fetch, store: memoryStore() });
    const done = Promise.all([
      client.request({ url: 'https://rss.arxiv.org/rss/cs.LG', what: 'a' }),
      client.request({ url: 'https://huggingface.co/api/daily_papers', what: 'b' }),
    ]);
    await vi.advanceTimersByTimeAsync(1000);
    await done;
    expect(server.calls[1]!.at - server.calls[0]!.at).toBeLessThan(100);
  });

  it('honours 503 + Retry-After, then succeeds', async () => {
    const server = fakeServer(
      (_url, call) =>
        call <= 2
          ? new Response('busy', { status: 503, headers: { 'retry-after': '7' } })
          : new Response('<feed/>'),
      100,
    );
    const client = createPoliteClient({ fetch: server.fetch, store: memoryStore() });
    const result = client.request({
      url: 'https://export.arxiv.org/oai2?verb=Identify',
      what: 'OAI',
    });
    await vi.advanceTimersByTimeAsync(30_000);
    expect((await result).text).toBe('<feed/>');
    expect(server.calls).toHaveLength(3);
    for (const gap of gaps(server.calls)) expect(gap).toBeGreaterThanOrEqual(7000);
  });

  it('hands a long Retry-After back to the scheduler as rate-limited with retryAt, and remembers it after a restart', async () => {
    const store = memoryStore();
    const server = fakeServer(
      () => new Response('busy', { status: 429, headers: { 'retry-after': '600' } }),
      10,
    );
    const client = createPoliteClient({ fetch: server.fetch, store });
    const failed = client
      .request({ url: 'https://rss.arxiv.org/rss/cs.LG', what: 'arXiv RSS' })
      .catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(1000);
    const error = (await failed) as SyncError;
    expect(error).toBeInstanceOf(SyncError);
    expect(error.kind).toBe('rate-limited');
    expect(error.retryAt).toBeGreaterThanOrEqual(Date.now() + 590_000);

    const restarted = createPoliteClient({ fetch: server.fetch, store });
    const again = restarted
      .request({ url: 'https://rss.arxiv.org/rss/cs.LG', what: 'arXiv RSS' })
      .catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(1000);
    expect(((await again) as SyncError).kind).toBe('rate-limited');
    expect(server.calls).toHaveLength(1);
  });

  it("waits for OpenReview's resetTime from a 429 body", async () => {
    const reset = Date.now() + 12_000;
    const server = fakeServer(
      (_url, call) =>
        call === 1
          ? new Response(
              JSON.stringify({
                name: 'RateLimitError',
                details: { resetTime: new Date(reset).toISOString() },
              }),
              { status: 429 },
            )
          : new Response('{"notes":[]}'),
      10,
    );
    const client = createPoliteClient({ fetch: server.fetch, store: memoryStore() });
    const result = client.request({
      url: 'https://api2.openreview.net/notes?x=1',
      what: 'OpenReview',
    });
    await vi.advanceTimersByTimeAsync(20_000);
    await result;
    expect(server.calls[1]!.at).toBeGreaterThanOrEqual(reset);
  });

  it('does not retry a 400, and reports it typed', async () => {
    const server = fakeServer(() => new Response('bad', { status: 400 }), 10);
    const client = createPoliteClient({ fetch: server.fetch, store: memoryStore() });
    const failed = client
      .request({ url: 'https://huggingface.co/api/x', what: 'HF' })
      .catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(((await failed) as SyncError).kind).toBe('http');
    expect(server.calls).toHaveLength(1);
  });

  it('gives up on a request that takes longer than its deadline', async () => {
    const fetch = vi.fn(
      (_url: RequestInfo | URL, init?: RequestInit) =>
        new Promise<Response>((_resolve, reject) => {
          init?.signal?.addEventListener('abort', () =>
            reject(new DOMException('aborted', 'AbortError')),
          );
        }),
    );
    const client = createPoliteClient({
      fetch: fetch,
      store: memoryStore(),
    });
    const failed = client
      .request({ url: 'https://huggingface.co/api/x', what: 'HF' })
      .catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(19_000);
    expect(fetch).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(2_000);
    expect(((await failed) as SyncError).kind).toBe('timeout');
  });

  it('refuses bodies over the cap, by Content-Length or while reading', async () => {
    const declared = fakeServer(
      () => new Response('x', { headers: { 'content-length': String(10 ** 9) } }),
      1,
    );
    const client = createPoliteClient({ fetch: declared.fetch, store: memoryStore() });
    const first = client
      .request({ url: 'https://huggingface.co/a', what: 'HF', maxBytes: 1000 })
      .catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(100);
    expect(((await first) as SyncError).kind).toBe('too-large');

    const streamed = fakeServer(() => new Response('y'.repeat(5000)), 1);
    const other = createPoliteClient({ fetch: streamed.fetch, store: memoryStore() });
    const second = other
      .request({ url: 'https://huggingface.co/b', what: 'HF', maxBytes: 1000 })
      .catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(100);
    expect(((await second) as SyncError).kind).toBe('too-large');
  });

  it('persists the request time before the request leaves', async () => {
    const store = memoryStore();
    let seenAtFetch: unknown;
    const fetch = vi.fn(async () => {
      seenAtFetch = store.data.get(limiterKey('arxiv'));
      return new Response('ok');
    });
    const client = createPoliteClient({
      fetch: fetch,
      store,
    });
    const start = Date.now();
    const done = client.request({ url: 'https://export.arxiv.org/api/query', what: 'arXiv' });
    await vi.advanceTimersByTimeAsync(10);
    await done;
    expect(seenAtFetch).toMatchObject({ lastRequestAt: start });
  });
});
