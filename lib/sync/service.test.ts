import { describe, expect, it, vi } from 'vitest';
import { hasShared, readReal, SKIP_SHARED_REASON } from '../../tests/shared';
import { atomPage } from '../../tests/sync-fixtures';
import { openIndexDb } from '../db';
import { getPaper, upsertPapers } from '../index-store';
import type { KeyValueStore } from './http';
import { createSyncService, type SyncService } from './service';
import { DEFAULT_SYNC_SETTINGS, SETTINGS_KEY } from './settings';

let counter = 0;
function setup(answer: (url: string) => Response = () => new Response('', { status: 404 })) {
  counter += 1;
  const db = openIndexDb(`sync-service-${counter}`);
  const data = new Map<string, unknown>();
  const store: KeyValueStore = {
    get: async (key) => data.get(key),
    set: async (key, value) => void data.set(key, value),
  };
  const urls: string[] = [];
  const wakes: (number | null)[] = [];
  const fetch = vi.fn(async (input: string | URL) => {
    urls.push(String(input));
    return answer(String(input));
  }) as unknown as typeof globalThis.fetch;
  const clock = Date.UTC(2026, 0, 5, 12);
  const service = createSyncService({
    db,
    store,
    fetch,
    now: () => clock,
    setWake: async (at) => void wakes.push(at),
  });
  return { db, data, urls, wakes, service };
}

async function settle(service: SyncService): Promise<void> {
  await service.tick();
}

describe('sync service', () => {
  it('stores abstracts pages showed, without overriding what an API said', async () => {
    const { db, service } = setup();
    await upsertPapers(
      db,
      [
        {
          id: 'arxiv:2401.00001',
          title: 'From the API',
          titleKey: 'fromtheapi',
          authors: ['A'],
          abstract: 'The API abstract.',
          sources: ['arxiv-api'],
        },
      ],
      { atomic: true },
    );
    await service.notePageSightings([
      {
        ids: ['arxiv:2401.00001'],
        title: 'From a page',
        abstract: 'A page abstract that is much longer than the API one.',
        matched: true,
      },
      {
        ids: ['arxiv:2401.00002', 'doi:10.1000/x'],
        title: 'Only on the page',
        authors: ['B'],
        abstract: 'Shown on the listing.',
        matched: false,
      },
      { ids: ['arxiv:2401.00003'], title: 'No abstract here', matched: true },
    ]);
    expect((await getPaper(db, 'arxiv:2401.00001'))?.abstract).toBe('The API abstract.');
    expect(await getPaper(db, 'arxiv:2401.00002')).toMatchObject({
      title: 'Only on the page',
      abstract: 'Shown on the listing.',
      authors: ['B'],
      sources: ['page'],
      aliases: ['doi:10.1000/x'],
    });
    expect(await getPaper(db, 'arxiv:2401.00003')).toBeUndefined();
  });

  it('queues unknown arXiv ids for a look-up and fetches them; S2 only when the user turned it on', async () => {
    const { db, urls, service, data } = setup((url) => {
      const ids = new URL(url).searchParams.get('id_list')?.split(',') ?? [];
      return new Response(atomPage(ids, ids.length, 0));
    });
    await service.notePageSightings([
      { ids: ['arxiv:2401.00005'], title: 'Unknown', matched: false },
      { ids: ['doi:10.1000/y'], title: 'A DOI paper', matched: false },
    ]);
    await settle(service);
    expect(urls.filter((url) => url.includes('id_list=2401.00005'))).toHaveLength(1);
    expect((await getPaper(db, 'arxiv:2401.00005'))?.abstract).toBe('Summary of 2401.00005.');
    expect(await db.syncWanted.count()).toBe(0);
    expect(urls.some((url) => url.includes('semanticscholar'))).toBe(false);

    data.set(SETTINGS_KEY, {
      ...DEFAULT_SYNC_SETTINGS,
      fillMissing: { arxiv: true, semanticScholar: true, s2ApiKey: '' },
    });
    await service.notePageSightings([
      { ids: ['doi:10.1000/y'], title: 'A DOI paper', matched: false },
    ]);
    expect(await db.syncWanted.get('doi:10.1000/y')).toMatchObject({ route: 's2', attempts: 0 });
  });

  it('turns settings into jobs, sets a watchdog wake-up before a tick and the next run after it', async () => {
    const { db, wakes, service } = setup(
      () =>
        new Response(
          '<?xml version="1.0"?><rss version="2.0"><channel><title>t</title></channel></rss>',
        ),
    );
    await service.setSettings({
      ...DEFAULT_SYNC_SETTINGS,
      arxivRss: { enabled: true, categories: ['cs.LG'], intervalHours: 24 },
      huggingface: { enabled: false, intervalHours: 24, catchUpDays: 3 },
    });
    await settle(service);
    const jobs = await db.syncJobs.toArray();
    expect(jobs.map((job) => job.id).sort()).toEqual(['arxiv-fill', 'arxiv-rss', 'hf-fill']);
    const rss = jobs.find((job) => job.id === 'arxiv-rss');
    expect(rss).toMatchObject({ state: 'idle', lastAdded: 0 });
    expect(wakes.length).toBeGreaterThanOrEqual(2);
    expect(wakes.at(-1)).toBe(Math.min(...jobs.map((job) => job.nextRunAt)));
  });

  it.skipIf(!hasShared)(
    `asks Hugging Face, one paper per request, for arXiv papers seen on its pages ${hasShared ? '' : SKIP_SHARED_REASON}`,
    async () => {
      const real = readReal('huggingface/api-papers-2605.13301-2026-05-18.json');
      const { db, urls, service } = setup((url) => {
        if (url === 'https://huggingface.co/api/papers/2605.13301') return new Response(real);
        if (url === 'https://huggingface.co/api/papers/2605.00002') {
          return new Response(
            JSON.stringify({ id: '2605.00002', title: 'A second paper', summary: 'Its summary.' }),
          );
        }
        if (url.startsWith('https://huggingface.co/api/papers/')) {
          return new Response('{"error":"Not Found"}', { status: 404 });
        }
        return new Response('', { status: 404 });
      });
      const hfPage = 'https://huggingface.co/papers/date/2026-05-18';
      await service.notePageSightings(
        [
          { ids: ['arxiv:2605.13301'], title: 'Seen on HF', matched: false },
          { ids: ['arxiv:2605.00002'], title: 'Also on HF', matched: false },
          { ids: ['arxiv:2605.09999'], title: 'Not on HF', matched: false },
        ],
        hfPage,
      );
      // Seen on an arXiv page, the same kind of id goes to arXiv.
      await service.notePageSightings(
        [{ ids: ['arxiv:2605.05555'], title: 'Seen on arXiv', matched: false }],
        'https://arxiv.org/list/cs.LG/recent',
      );
      expect((await db.syncWanted.toArray()).map((row) => [row.id, row.route]).sort()).toEqual([
        ['arxiv:2605.00002', 'hf'],
        ['arxiv:2605.05555', 'arxiv'],
        ['arxiv:2605.09999', 'hf'],
        ['arxiv:2605.13301', 'hf'],
      ]);
      await settle(service);
      const hfUrls = urls.filter((url) => url.startsWith('https://huggingface.co/'));
      expect(hfUrls.sort()).toEqual([
        'https://huggingface.co/api/papers/2605.00002',
        'https://huggingface.co/api/papers/2605.09999',
        'https://huggingface.co/api/papers/2605.13301',
      ]);
      expect(urls.filter((url) => url.includes('export.arxiv.org'))).toHaveLength(1);
      const found = await getPaper(db, 'arxiv:2605.13301');
      expect(found?.abstract?.length).toBeGreaterThan(100);
      expect(found?.links?.hf).toBe('https://huggingface.co/papers/2605.13301');
      expect((await getPaper(db, 'arxiv:2605.00002'))?.abstract).toBe('Its summary.');
      // A paper HF doesn't know is a miss (counted, retried a few times), not a job failure.
      expect(await db.syncWanted.get('arxiv:2605.09999')).toMatchObject({
        route: 'hf',
        attempts: 1,
      });
      const job = await db.syncJobs.get('hf-fill');
      expect(job?.lastError).toBeUndefined();
      expect(job?.totalAdded).toBe(2);
    },
  );

  it('leaves papers seen on Hugging Face to arXiv when Hugging Face look-ups are off', async () => {
    const { db, data, service } = setup();
    data.set(SETTINGS_KEY, {
      ...DEFAULT_SYNC_SETTINGS,
      fillMissing: { ...DEFAULT_SYNC_SETTINGS.fillMissing, huggingface: false },
    });
    await service.notePageSightings(
      [{ ids: ['arxiv:2605.13301'], title: 'Seen on HF', matched: false }],
      'https://huggingface.co/papers',
    );
    expect(await db.syncWanted.get('arxiv:2605.13301')).toMatchObject({ route: 'arxiv' });
  });
});
