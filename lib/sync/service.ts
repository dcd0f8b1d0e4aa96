/**
 * The sync as the background runs it: one instance per service-worker lifetime (its memory is only
 * the single-flight guard and the request queue; everything else is in storage). Wake-ups come
 * from one alarm; before a tick starts, a watchdog wake-up is set so a worker killed mid-tick is
 * woken again to resume.
 */
import type { IndexDatabase, LibraryDatabase } from '../db';
import {
  getPapers,
  pruneProgress,
  resumePrune,
  upsertPapers,
  type PruneResult,
} from '../index-store';
import { parseId } from '../ids';
import { makePaper } from '../formats/paper';
import type { CanonicalId, IndexPaper } from '../types';
import { createPoliteClient, type KeyValueStore } from './http';
import { wantedRoute } from './jobs';
import {
  addBackfill,
  enqueueWanted,
  markDue,
  runTick,
  type TickLimits,
  type TickResult,
} from './runner';
import {
  applyRetention,
  isActive,
  lastRetentionRun,
  previewRetention,
  readRetention,
  RETENTION_INTERVAL_MS,
  RETENTION_KEY,
  type RetentionPreview,
  type RetentionRule,
  type RetentionRun,
} from './retention';
import { readSettings, SETTINGS_KEY, type SyncSettings } from './settings';
import type { JobSpec, SyncJobRow, WantedRow } from './types';

/** A tick killed by the browser is resumed after this long at the latest. */
export const WATCHDOG_MS = 30_000;
/** Pruning work per wake-up; a longer prune continues at the next one (it is checkpointed). */
export const RETENTION_BUDGET_MS = 20_000;

export interface SyncServiceDeps {
  db: IndexDatabase;
  /** Persistent key/value storage (browser.storage.local): settings and limiter state. */
  store: KeyValueStore;
  fetch: typeof fetch;
  /** Sets (or clears, with null) the one sync wake-up (browser.alarms). */
  setWake: (at: number | null) => Promise<void>;
  now?: () => number;
  limits?: TickLimits;
  /** Read only, to keep the user's papers in the index; without it retention never prunes. */
  library?: LibraryDatabase;
}

export interface RetentionStatus {
  rule: RetentionRule;
  lastRun: RetentionRun | null;
  /** A prune in progress (papers read of total, removed so far). */
  progress: { done: number; total: number; removed: number; planned: number } | null;
}

/** What a page showed of one paper, as the look-up handler passes it on. */
export interface PageSighting {
  ids: CanonicalId[];
  title: string;
  authors?: string[];
  abstract?: string;
  /** Whether the look-up found the paper in the index. */
  matched: boolean;
}

export interface SyncService {
  tick(force?: readonly string[]): Promise<TickResult>;
  getSettings(): Promise<SyncSettings>;
  setSettings(settings: SyncSettings): Promise<SyncSettings>;
  syncNow(jobIds: readonly string[]): Promise<string[]>;
  addBackfill(spec: JobSpec): Promise<SyncJobRow>;
  removeJob(jobId: string): Promise<boolean>;
  /**
   * Stores abstracts pages showed and queues look-ups for papers the index lacks (`pageUrl`: the
   * page they were seen on; papers seen on Hugging Face are asked of Hugging Face).
   */
  notePageSightings(sightings: readonly PageSighting[], pageUrl?: string): Promise<void>;
  /** At worker start: make sure a wake-up exists for pending work. */
  ensureWake(): Promise<void>;
  getRetention(): Promise<RetentionStatus>;
  /** What a rule would remove now (nothing is written). */
  previewRetention(rule: RetentionRule): Promise<RetentionPreview>;
  /** Stores the rule (the user confirmed the preview) and applies it within one wake-up's budget. */
  setRetention(rule: RetentionRule): Promise<PruneResult>;
}

export function createSyncService(deps: SyncServiceDeps): SyncService {
  const now = deps.now ?? (() => Date.now());
  const client = createPoliteClient({ fetch: deps.fetch, store: deps.store, now });
  const env = {
    db: deps.db,
    client,
    now,
    settings: async () => readSettings(await deps.store.get(SETTINGS_KEY)),
  };
  let running: Promise<TickResult> | null = null;
  let queuedForce: string[] | null = null;

  const retentionEnv = deps.library && {
    index: deps.db,
    library: deps.library,
    store: deps.store,
    now,
  };

  const pruneBudget = (): { deadline: number; bucketsPerStep?: number } => ({
    deadline: now() + RETENTION_BUDGET_MS,
    ...(deps.limits?.pruneBucketsPerStep
      ? { bucketsPerStep: deps.limits.pruneBucketsPerStep }
      : {}),
  });

  /**
   * Runs the stored rule when due: over every paper daily (or when the last run was cut short),
   * over the papers a sync just added otherwise. Returns whether a prune is left to finish.
   */
  async function retain(afterSync: boolean): Promise<boolean> {
    if (!retentionEnv) return false;
    const rule = readRetention(await deps.store.get(RETENTION_KEY));
    const last = await lastRetentionRun(deps.store);
    const fullDue = !last?.done || now() - last.at >= RETENTION_INTERVAL_MS;
    if (!isActive(rule) || (!fullDue && !afterSync)) {
      // A prune a stopped worker left half-done still finishes (writes wait for it).
      return !(await resumePrune(deps.db, { ...pruneBudget(), now })).done;
    }
    const result = await applyRetention(retentionEnv, { ...pruneBudget(), onlyNew: !fullDue });
    return !result.done;
  }

  const retainLogged = (afterSync: boolean): Promise<boolean> =>
    retain(afterSync).catch((error: unknown) => {
      console.warn('Paperlight retention:', error);
      return false;
    });

  async function runOnce(force: readonly string[]): Promise<TickResult> {
    await deps.setWake(now() + WATCHDOG_MS);
    // Sync steps write papers, and writes wait for a prune in progress: finish that first.
    if (await retainLogged(false)) {
      await deps.setWake(now());
      return { steps: 0, nextWakeAt: now() };
    }
    const result = await runTick(env, deps.limits, force);
    // New papers may fall outside the rule (an RSS feed of categories no longer kept).
    const unfinished = await retainLogged(result.wrotePapers === true);
    await deps.setWake(unfinished ? now() : result.nextWakeAt);
    return result;
  }

  function tick(force: readonly string[] = []): Promise<TickResult> {
    if (running) {
      // One harvest at a time; a "Sync now" during a tick runs right after it. (Other work that
      // became due meanwhile is found by the wake-up the tick sets when it ends.)
      if (force.length > 0) queuedForce = [...(queuedForce ?? []), ...force];
      return running;
    }
    running = runOnce(force).finally(() => {
      running = null;
      if (queuedForce) {
        const next = queuedForce;
        queuedForce = null;
        void tick(next);
      }
    });
    return running;
  }

  async function nextWakeFromJobs(): Promise<number | null> {
    const jobs = await deps.db.syncJobs.toArray();
    // No job yet (a fresh install): one tick turns the settings into jobs.
    if (jobs.length === 0) return now();
    const times = jobs
      .filter((job) => job.state !== 'done')
      .map((job) => (job.cursor !== null && job.state === 'running' ? now() : job.nextRunAt));
    return times.length ? Math.min(...times) : null;
  }

  return {
    tick,
    getSettings: env.settings,
    async setSettings(settings) {
      await deps.store.set(SETTINGS_KEY, settings);
      void tick();
      return settings;
    },
    async syncNow(jobIds) {
      const due = await markDue(deps.db, jobIds, now());
      void tick(due);
      return due;
    },
    async addBackfill(spec) {
      const row = await addBackfill(deps.db, spec, now());
      void tick([row.id]);
      return row;
    },
    async removeJob(jobId) {
      const existing = await deps.db.syncJobs.get(jobId);
      if (!existing) return false;
      await deps.db.syncJobs.delete(jobId);
      return true;
    },
    async notePageSightings(sightings, pageUrl) {
      const settings = await env.settings();
      const withAbstract = sightings.filter(
        (sighting) => sighting.abstract && sighting.ids.length > 0,
      );
      if (withAbstract.length > 0) {
        const known = await getPapers(
          deps.db,
          withAbstract.map((sighting) => sighting.ids[0] ?? ''),
        );
        // A page only fills gaps: it never overrides what an API said about a paper.
        const papers = withAbstract
          .filter((sighting) => !known.get(sighting.ids[0] ?? '')?.abstract)
          .map((sighting) =>
            makePaper(
              {
                id: sighting.ids[0] ?? '',
                title: sighting.title,
                authors: sighting.authors ?? [],
                abstract: sighting.abstract ?? '',
                aliases: sighting.ids.slice(1),
              },
              'page',
            ),
          )
          .filter((paper): paper is IndexPaper => paper !== null);
        if (papers.length > 0) {
          await upsertPapers(deps.db, papers, { atomic: true });
        }
      }
      const fromHf = pageUrl !== undefined && isHuggingFacePage(pageUrl);
      const routeOf = (id: CanonicalId): WantedRow['route'] | null => {
        const route = wantedRoute(id);
        if (route === 'arxiv') {
          if (fromHf && settings.fillMissing.huggingface) return 'hf';
          return settings.fillMissing.arxiv ? 'arxiv' : null;
        }
        return route === 's2' && settings.fillMissing.semanticScholar ? 's2' : null;
      };
      const missing = sightings
        .filter((sighting) => !sighting.matched && !sighting.abstract)
        .flatMap((sighting) => sighting.ids.slice(0, 1));
      if (missing.length > 0 && (await enqueueWanted(deps.db, missing, now(), routeOf)) > 0) {
        void tick();
      }
    },
    async ensureWake() {
      const pruning = (await pruneProgress(deps.db)) !== null;
      await deps.setWake(pruning ? now() : await nextWakeFromJobs());
    },
    async getRetention() {
      return {
        rule: readRetention(await deps.store.get(RETENTION_KEY)),
        lastRun: await lastRetentionRun(deps.store),
        progress: await pruneProgress(deps.db),
      };
    },
    async previewRetention(rule) {
      if (!deps.library) throw new Error('Retention needs the library (to keep your papers).');
      return previewRetention(deps.db, deps.library, rule, now());
    },
    async setRetention(rule) {
      if (!retentionEnv) throw new Error('Retention needs the library (to keep your papers).');
      await deps.store.set(RETENTION_KEY, rule);
      // Not while a harvest commits pages (its writes would find the index busy).
      if (running) await running.catch(() => undefined);
      const result = await applyRetention(retentionEnv, pruneBudget());
      // A large prune continues in the background, checkpointed.
      if (!result.done) await deps.setWake(now());
      return result;
    },
  };
}

function isHuggingFacePage(url: string): boolean {
  try {
    return new URL(url).hostname === 'huggingface.co';
  } catch {
    return false;
  }
}

/** Canonical ids of a page entry's raw ids, best first. */
export function canonicalIds(raw: readonly string[]): CanonicalId[] {
  return raw.map((value) => parseId(value)).filter((id): id is CanonicalId => id !== null);
}
