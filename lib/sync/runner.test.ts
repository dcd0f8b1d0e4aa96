import { describe, expect, it, vi } from 'vitest';
import { openIndexDb, type IndexDatabase } from '../db';
import {
  countPapers,
  dropLoadedLookup,
  getIndexStats,
  getPapers,
  matchPapers,
  upsertPapers,
} from '../index-store';
import { parseQuery } from '../search/query';
import { loadSearcher, readManifest, searchIndexIsStale } from '../search/store';
import type { SyncErrorKind } from './errors';
import { createPoliteClient, type KeyValueStore } from './http';
import { addBackfill, commitStep, enqueueWanted, runTick, type SyncEnv } from './runner';
import { atomPage, generatedId, oaiPage } from '../../tests/sync-fixtures';
import { DEFAULT_SYNC_SETTINGS, type SyncSettings } from './settings';
import type { JobSpec, SyncJobRow } from './types';

function memoryStore(): KeyValueStore {
  const data = new Map<string, unknown>();
  return {
    get: async (key) => data.get(key),
    set: async (key, value) => void data.set(key, value),
  };
}

let counter = 0;
/** One simulated browser: a database, a persisted limiter store, and a fake clock. */
function world(settings: SyncSettings = DEFAULT_SYNC_SETTINGS) {
  counter += 1;
  const db = openIndexDb(`sync-runner-${counter}`);
  const store = memoryStore();
  const clock = { now: Date.UTC(2026, 0, 5, 12) };
  let answer: (url: string) => Response | Promise<Response> = () =>
    new Response('', { status: 404 });
  const urls: string[] = [];
  const fetch = vi.fn(async (input: string | URL) => {
    urls.push(String(input));
    return answer(String(input));
  }) as unknown as typeof globalThis.fetch;
  /** A fresh service worker: new request layer (fresh memory), same storage. */
  const boot = (): SyncEnv => ({
    db,
    client: createPoliteClient({
      fetch,
      store,
      now: () => clock.now,
      sleep: async (ms) => {
        clock.now += ms;
      },
    }),
    settings: async () => settings,
    now: () => clock.now,
  });
  return {
    db,
    clock,
    urls,
    boot,
    serve(handler: (url: string) => Response | Promise<Response>) {
      answer = handler;
    },
  };
}

const noFill: SyncSettings = {
  ...DEFAULT_SYNC_SETTINGS,
  fillMissing: { arxiv: false, semanticScholar: false, s2ApiKey: '', huggingface: false },
};

async function job(db: IndexDatabase, id: string): Promise<SyncJobRow> {
  const row = await db.syncJobs.get(id);
  if (!row) throw new Error(`no job ${id}`);
  return row;
}

describe('sync runner', () => {
  it('harvests a multi-page OAI set across wake-ups and a killed worker: exactly the expected rows', async () => {
    const w = world(noFill);
    const PAGES = 5;
    const PER_PAGE = 7;
    const total = PAGES * PER_PAGE;
    w.serve((url) => {
      const token = new URL(url).searchParams.get('resumptionToken');
      const page = token ? Number(token.replace('t', '')) : 0;
      const next = page + 1 < PAGES ? `t${page + 1}` : null;
      return new Response(oaiPage(page * PER_PAGE, PER_PAGE, total, next));
    });
    const spec: JobSpec = { kind: 'arxiv-oai', set: 'cs', from: '2024-01-01' };
    await addBackfill(w.db, spec, w.clock.now);

    const first = await runTick(w.boot(), { maxSteps: 2 });
    expect(first.nextWakeAt).toBe(w.clock.now);
    expect(await countPapers(w.db)).toBe(2 * PER_PAGE);
    expect((await job(w.db, 'arxiv-oai:cs:2024-01-01')).progress).toEqual({
      done: 2 * PER_PAGE,
      total,
      unit: 'papers',
    });

    // The worker is killed while page 3 is in flight: its answer never arrives.
    const served = w.urls.length;
    w.serve(() => new Promise<Response>(() => undefined));
    void runTick(w.boot(), { maxSteps: 6 });
    await vi.waitFor(() => expect(w.urls.length).toBe(served + 1));
    const interrupted = await job(w.db, 'arxiv-oai:cs:2024-01-01');
    expect(interrupted.state).toBe('running');
    expect(interrupted.cursor).toMatchObject({ token: 't2' });

    w.serve((url) => {
      const token = new URL(url).searchParams.get('resumptionToken');
      const page = token ? Number(token.replace('t', '')) : 0;
      const next = page + 1 < PAGES ? `t${page + 1}` : null;
      return new Response(oaiPage(page * PER_PAGE, PER_PAGE, total, next));
    });
    const resumed = await runTick(w.boot(), { maxSteps: 6 });
    expect(resumed.steps).toBe(3);
    expect(await countPapers(w.db)).toBe(total);
    const ids = Array.from({ length: total }, (_, n) => `arxiv:${generatedId(n)}`);
    expect((await getPapers(w.db, ids)).size).toBe(total);
    const finished = await job(w.db, 'arxiv-oai:cs:2024-01-01');
    expect(finished).toMatchObject({ state: 'done', cursor: null, totalAdded: total });
    expect(finished.lastError).toBeUndefined();
    // Page 3 was asked twice (lost, then resumed); no page was skipped.
    const tokens = w.urls.map((url) => new URL(url).searchParams.get('resumptionToken'));
    expect(tokens).toEqual([null, 't1', 't2', 't2', 't3', 't4']);
  });

  it('restarts from the last committed datestamp after badResumptionToken, without duplicates', async () => {
    const w = world(noFill);
    let refused = false;
    w.serve((url) => {
      const params = new URL(url).searchParams;
      const token = params.get('resumptionToken');
      if (token === 't1' && !refused) {
        refused = true;
        return new Response(
          '<?xml version="1.0"?><OAI-PMH xmlns="http://www.openarchives.org/OAI/2.0/"><error code="badResumptionToken">expired</error></OAI-PMH>',
        );
      }
      if (!token && !refused) return new Response(oaiPage(0, 10, 20, 't1'));
      // The restart from the last datestamp (2024-01-01) overlaps the first page and continues.
      if (!token) return new Response(oaiPage(0, 20, 20, null));
      return new Response(oaiPage(10, 10, 20, null));
    });
    await addBackfill(w.db, { kind: 'arxiv-oai', set: 'cs', from: '2024-01-01' }, w.clock.now);
    await runTick(w.boot(), { maxSteps: 10 });
    expect(await countPapers(w.db)).toBe(20);
    expect(await job(w.db, 'arxiv-oai:cs:2024-01-01')).toMatchObject({ state: 'done' });
    expect(w.urls.length).toBe(3);
  });

  describe('bad input: typed error, zero paper writes, cursor unchanged', () => {
    const cases: [string, () => Response, SyncErrorKind][] = [
      ['malformed XML', () => new Response('<feed><entry><id>x</entry></feed>'), 'malformed'],
      [
        'truncated XML',
        () => new Response(atomPage(['2401.00003', '2401.00004'], 10, 2).slice(0, 400)),
        'malformed',
      ],
      [
        'an HTML error page served with 200',
        () =>
          new Response('<!DOCTYPE html><html><body><h1>We are down</h1></body></html>', {
            headers: { 'content-type': 'text/html' },
          }),
        'html-instead',
      ],
      [
        'an error reported inside the Atom feed',
        () =>
          new Response(
            `<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><entry><id>http://arxiv.org/api/errors#incorrect_id_format_for_1234</id><title>Error</title><summary>incorrect id format for 1234</summary></entry></feed>`,
          ),
        'reported-error',
      ],
      [
        'an entity-expansion bomb',
        () =>
          new Response(
            '<?xml version="1.0"?><!DOCTYPE feed [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]><feed>&b;</feed>',
          ),
        'entity-declaration',
      ],
      [
        'an oversized body',
        () => new Response('<feed/>', { headers: { 'content-length': String(2 ** 31) } }),
        'too-large',
      ],
      ['an anomalously empty page', () => new Response(atomPage([], 10, 2)), 'empty-anomaly'],
      ['a refusal (HTTP 403)', () => new Response('no', { status: 403 }), 'http'],
    ];

    it.each(cases)('%s', async (_name, respond, kind) => {
      const w = world(noFill);
      const spec: JobSpec = {
        kind: 'arxiv-backfill',
        category: 'cs.LG',
        from: '2024-01-01',
        to: '2024-01-31',
      };
      await addBackfill(w.db, spec, w.clock.now);
      w.serve(() => new Response(atomPage(['2401.00001', '2401.00002'], 10, 0)));
      await runTick(w.boot(), { maxSteps: 1 });
      const before = await job(w.db, 'arxiv-backfill:cs.LG:2024-01-01:2024-01-31');
      expect(before.cursor).toEqual({ start: 2, total: 10 });
      expect(await countPapers(w.db)).toBe(2);

      w.serve(respond);
      await runTick(w.boot(), { maxSteps: 1 });
      const after = await job(w.db, before.id);
      expect(after.cursor).toEqual(before.cursor);
      expect(await countPapers(w.db)).toBe(2);
      expect(after.lastError?.kind).toBe(kind);
      expect(after.lastError?.message.length).toBeGreaterThan(10);
      expect(after.state).not.toBe('done');
    });

    it('an empty page is retried a few times, then ends the run', async () => {
      const w = world(noFill);
      const spec: JobSpec = {
        kind: 'arxiv-backfill',
        category: 'cs.LG',
        from: '2024-01-01',
        to: '2024-01-31',
      };
      await addBackfill(w.db, spec, w.clock.now);
      w.serve((url) =>
        new URL(url).searchParams.get('start') === '0'
          ? new Response(atomPage(['2401.00001'], 5, 0))
          : new Response(atomPage([], 5, 1)),
      );
      for (let tick = 0; tick < 6; tick += 1) {
        await runTick(w.boot(), { maxSteps: 1 });
        w.clock.now += 120_000;
      }
      const finished = await job(w.db, 'arxiv-backfill:cs.LG:2024-01-01:2024-01-31');
      expect(finished.state).toBe('done');
      expect(w.urls.filter((url) => url.includes('start=1')).length).toBe(4);
    });

    it.each([
      ['QuotaExceededError', () => new DOMException('Quota exceeded', 'QuotaExceededError')],
      [
        'AbortError wrapping QuotaExceededError',
        () =>
          Object.assign(new Error('Transaction aborted'), {
            name: 'AbortError',
            inner: new DOMException('Quota exceeded', 'QuotaExceededError'),
          }),
      ],
    ])('a quota error (%s) stops the sync with a message', async (_name, makeError) => {
      const w = world(noFill);
      const spec: JobSpec = {
        kind: 'arxiv-backfill',
        category: 'cs.LG',
        from: '2024-01-01',
        to: '2024-01-31',
      };
      await addBackfill(w.db, spec, w.clock.now);
      w.serve(() => new Response(atomPage(['2401.00001', '2401.00002'], 10, 0)));
      await runTick(w.boot(), { maxSteps: 1 });
      const before = await job(w.db, 'arxiv-backfill:cs.LG:2024-01-01:2024-01-31');

      w.serve(() => new Response(atomPage(['2401.00003', '2401.00004'], 10, 2)));
      const spy = vi.spyOn(w.db.paperBuckets, 'bulkPut').mockRejectedValue(makeError());
      const tick = await runTick(w.boot(), { maxSteps: 3 });
      spy.mockRestore();
      expect(tick.stoppedBy?.kind).toBe('quota');
      const after = await job(w.db, before.id);
      expect(after.cursor).toEqual(before.cursor);
      expect(after.lastError?.kind).toBe('quota');
      expect(after.lastError?.message).toMatch(/library is not affected/);
      expect(await countPapers(w.db)).toBe(2);
      expect((await getPapers(w.db, ['arxiv:2401.00003'])).size).toBe(0);
    });
  });

  it('commits a page and its cursor in one transaction: a failing cursor write keeps the papers out', async () => {
    const w = world(noFill);
    const row = await addBackfill(
      w.db,
      { kind: 'arxiv-backfill', category: 'cs.LG', from: '2024-01-01', to: '2024-01-31' },
      w.clock.now,
    );
    const paper = {
      id: 'arxiv:2401.00009',
      title: 'Nine',
      titleKey: 'nine',
      authors: [],
      sources: ['arxiv-api' as const],
    };
    const spy = vi.spyOn(w.db.syncJobs, 'put').mockRejectedValue(new Error('disk on fire'));
    await expect(
      commitStep(w.db, row, { papers: [paper], cursor: { start: 1 } }, w.clock.now),
    ).rejects.toThrow('disk on fire');
    spy.mockRestore();
    expect(await countPapers(w.db)).toBe(0);
  });

  it('follows the settings: daily RSS job, run now, then at the interval; Retry-After stays within the tick', async () => {
    const settings: SyncSettings = {
      ...noFill,
      arxivRss: { enabled: true, categories: ['cs.LG', 'stat.ML'], intervalHours: 12 },
    };
    const w = world(settings);
    let calls = 0;
    w.serve(() => {
      calls += 1;
      if (calls === 1)
        return new Response('busy', { status: 503, headers: { 'retry-after': '5' } });
      return new Response(
        `<?xml version="1.0"?><rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/"><channel><title>t</title><pubDate>Mon, 05 Jan 2026 00:00:00 -0500</pubDate><item><title>One</title><link>https://arxiv.org/abs/2601.00001</link><description>arXiv:2601.00001v1 Announce Type: new 
Abstract: First.</description><dc:creator>A, B</dc:creator></item></channel></rss>`,
      );
    });
    const start = w.clock.now;
    const tick = await runTick(w.boot());
    expect(w.urls[0]).toBe('https://rss.arxiv.org/rss/cs.LG+stat.ML');
    expect(w.urls).toHaveLength(2);
    const row = await job(w.db, 'arxiv-rss');
    expect(row).toMatchObject({ state: 'idle', lastAdded: 1, totalAdded: 1, cursor: null });
    expect(row.nextRunAt).toBe(row.lastSuccessAt! + 12 * 3600_000);
    expect(row.lastSuccessAt! - start).toBeGreaterThanOrEqual(5000);
    expect(tick.nextWakeAt).toBe(row.nextRunAt);

    // Nothing is due until the interval has passed.
    const idle = await runTick(w.boot());
    expect(idle.steps).toBe(0);
  });

  it('queues ids seen on pages and looks them up in arXiv id_list batches', async () => {
    const w = world(DEFAULT_SYNC_SETTINGS);
    await runTick(w.boot());
    await upsertPapers(w.db, [
      {
        id: 'arxiv:2401.00001',
        title: 'Known',
        titleKey: 'known',
        authors: [],
        sources: ['import'],
      },
    ]);
    await runTick(w.boot());
    expect(
      await enqueueWanted(
        w.db,
        ['arxiv:2401.00001', 'arxiv:2401.00002', 'arxiv:2401.00003', 'openreview:abcdef'],
        w.clock.now,
      ),
    ).toBe(2);
    w.serve(() => new Response(atomPage(['2401.00002'], 1, 0)));
    await runTick(w.boot());
    expect(new URL(w.urls[0]!).searchParams.get('id_list')).toBe('2401.00002,2401.00003');
    expect(await countPapers(w.db)).toBe(2);
    expect(await w.db.syncWanted.toArray()).toEqual([
      expect.objectContaining({ id: 'arxiv:2401.00003', attempts: 1 }),
    ]);
  });

  it('Hugging Face daily: catches up the last days, pages a full day, then refetches only from the last day', async () => {
    const settings: SyncSettings = {
      ...noFill,
      huggingface: { enabled: true, intervalHours: 24, catchUpDays: 3 },
    };
    const w = world(settings);
    const item = (id: string) => ({
      paper: { id, title: `Paper ${id}`, summary: 'S.', authors: [{ name: 'A' }] },
    });
    w.serve((url) => {
      const params = new URL(url).searchParams;
      const date = params.get('date') ?? '';
      const page = Number(params.get('p'));
      const day = date.slice(-2);
      const count = date === '2026-01-04' && page === 0 ? 100 : 2;
      const items = Array.from({ length: count }, (_, i) =>
        item(`2601.${day}${page}${String(i).padStart(2, '0')}`),
      );
      return new Response(JSON.stringify(items));
    });
    await runTick(w.boot(), { maxSteps: 10 });
    const asked = w.urls.map((url) => {
      const params = new URL(url).searchParams;
      return `${params.get('date')}#${params.get('p')}`;
    });
    expect(asked).toEqual(['2026-01-03#0', '2026-01-04#0', '2026-01-04#1', '2026-01-05#0']);
    expect(await countPapers(w.db)).toBe(2 + 100 + 2 + 2);
    expect(await job(w.db, 'huggingface-daily')).toMatchObject({
      state: 'idle',
      memo: { lastDate: '2026-01-05' },
    });

    w.clock.now += 25 * 3600_000;
    w.urls.length = 0;
    await runTick(w.boot(), { maxSteps: 10 });
    expect(w.urls.map((url) => new URL(url).searchParams.get('date'))).toEqual([
      '2026-01-05',
      '2026-01-06',
    ]);
  });

  it('OpenReview: pages a venue by offset and waits out a 429 resetTime', async () => {
    const settings: SyncSettings = {
      ...noFill,
      openreview: { enabled: true, venues: ['ICLR.cc/2024/Conference'], intervalHours: 168 },
    };
    const w = world(settings);
    const note = (n: number) => ({
      id: `forum${String(n).padStart(5, '0')}`,
      forum: `forum${String(n).padStart(5, '0')}`,
      content: { title: { value: `Venue paper ${n}` }, abstract: { value: 'A.' } },
    });
    let limited = false;
    let resetAt = 0;
    w.serve((url) => {
      const offset = Number(new URL(url).searchParams.get('offset'));
      if (offset === 1000 && !limited) {
        limited = true;
        resetAt = w.clock.now + 15_000;
        return new Response(
          JSON.stringify({
            name: 'RateLimitError',
            details: { resetTime: new Date(resetAt).toISOString() },
          }),
          { status: 429 },
        );
      }
      const count = offset === 0 ? 1000 : 3;
      return new Response(
        JSON.stringify({
          count: 1003,
          notes: Array.from({ length: count }, (_, i) => note(offset + i)),
        }),
      );
    });
    const started = w.clock.now;
    await runTick(w.boot(), { maxSteps: 10 });
    expect(await countPapers(w.db)).toBe(1003);
    expect(await job(w.db, 'openreview:ICLR.cc/2024/Conference')).toMatchObject({
      state: 'idle',
      progress: { done: 1003, total: 1003, unit: 'papers' },
    });
    expect(w.clock.now).toBeGreaterThanOrEqual(resetAt);
    expect(resetAt).toBeGreaterThan(started);
    expect(w.urls.map((url) => new URL(url).searchParams.get('offset'))).toEqual([
      '0',
      '1000',
      '1000',
    ]);
  });

  it('after a tick that added papers, the look-ups are merged and the popup search covers them', async () => {
    const w = world(noFill);
    const spec: JobSpec = {
      kind: 'arxiv-backfill',
      category: 'cs.LG',
      from: '2024-01-01',
      to: '2024-01-31',
    };
    await addBackfill(w.db, spec, w.clock.now);
    w.serve(() => new Response(atomPage(['2401.00001', '2401.00002', '2401.00003'], 3, 0)));
    const result = await runTick(w.boot());
    expect(result.wrotePapers).toBe(true);
    // Merged into the persisted structures, current with the index: a restart loads, not rebuilds.
    const core = (await w.db.meta.get('lookup:core'))?.value as { revision: number } | undefined;
    expect(core?.revision).toBe((await getIndexStats(w.db)).revision);
    expect(await searchIndexIsStale(w.db)).toBe(false);
    expect((await readManifest(w.db))?.covered).toBe(3);
    const hits = (await loadSearcher(w.db)).search(parseQuery('backfilled 2401.00002'), 10);
    expect(hits.map((hit) => hit.id)).toContain('arxiv:2401.00002');
    // A restarted worker matches a retyped title (fuzzy) from the persisted structures.
    dropLoadedLookup(w.db);
    const [match] = await matchPapers(w.db, [{ ref: 0, ids: [], title: 'Backfiled 2401.00003' }]);
    expect(match).toMatchObject({ matched: true, id: 'arxiv:2401.00003' });

    // A tick that adds nothing leaves the search index alone.
    const builtAt = (await readManifest(w.db))?.builtAt;
    w.clock.now += 3600_000;
    expect((await runTick(w.boot())).wrotePapers).toBeUndefined();
    expect((await readManifest(w.db))?.builtAt).toBe(builtAt);
  });
});
