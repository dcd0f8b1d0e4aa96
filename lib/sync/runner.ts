/**
 * The sync scheduler's one wake-up ("tick"): due jobs take bounded steps, and each step's papers are
 * committed together with the job's next cursor in ONE transaction. A worker killed at any point
 * resumes from the last committed cursor: no page is lost (its cursor was not written) and none is
 * doubled (papers merge by canonical id). Bad input, refusals and quota errors write no papers and
 * leave the cursor as it was; only the job's status (last error, next run) is recorded.
 */
import type { IndexDatabase } from '../db';
import { flushLookup, IndexBusyError, resolveIds, resumePrune, upsertPapers } from '../index-store';
import { refreshSearchIndex } from '../search/store';
import type { CanonicalId } from '../types';
import type { SyncError } from './errors';
import { isTransient, toSyncError } from './errors';
import type { PoliteClient } from './http';
import {
  isRecurring,
  MAX_WANTED_ATTEMPTS,
  newJobRow,
  reconcileJobs,
  stepJob,
  wantedRoute,
  type StepResult,
} from './jobs';
import type { SyncSettings } from './settings';
import type { JobSpec, SyncJobRow, WantedRow } from './types';

export interface SyncEnv {
  db: IndexDatabase;
  client: PoliteClient;
  settings: () => Promise<SyncSettings>;
  now?: () => number;
}

export interface TickLimits {
  /** Steps (one request each) per wake-up. arXiv's 3 s spacing makes 6 steps about 18 s. */
  maxSteps?: number;
  /** Stop starting new steps after this long, so the worker is never kept alive for minutes. */
  maxMillis?: number;
  /** Index buckets a retention prune compacts per transaction (tests make it small). */
  pruneBucketsPerStep?: number;
}

export interface TickResult {
  steps: number;
  /** When the scheduler should wake next; `null` when nothing is scheduled. */
  nextWakeAt: number | null;
  /** Set when the tick stopped early for a reason that stops every job (quota). */
  stoppedBy?: SyncError;
  /** Whether any step wrote papers to the index. */
  wrotePapers?: boolean;
}

export const DEFAULT_MAX_STEPS = 6;
export const DEFAULT_MAX_MILLIS = 40_000;
const HOUR = 3600_000;

function retryDelay(failures: number): number {
  return Math.min(60_000 * 2 ** Math.max(0, failures - 1), 6 * HOUR);
}

function intervalMs(job: SyncJobRow): number {
  return (job.intervalHours ?? 24) * HOUR;
}

/** Commits one step: papers, look-up bookkeeping and the job's next cursor, all or nothing. */
export async function commitStep(
  db: IndexDatabase,
  job: SyncJobRow,
  result: StepResult,
  now: number,
): Promise<SyncJobRow> {
  if (result.papers.length > 0) {
    // Writes inside a transaction can't wait for a prune (retention) in progress: finish it here.
    await resumePrune(db);
    // index-store loads its look-up structures outside any transaction when it can.
    await resolveIds(db, []);
  }
  // Every table: index-store keeps derived tables, and they must join this transaction.
  return db.transaction('rw', db.tables, async () => {
    const { added } =
      result.papers.length > 0
        ? // The look-up structures are persisted once per tick (flushLookup), not once per page.
          await upsertPapers(db, result.papers, { atomic: true, deferLookup: true })
        : { added: 0 };
    if (result.wanted) {
      await db.syncWanted.bulkDelete(result.wanted.remove);
      const bumped = await db.syncWanted.bulkGet(result.wanted.bump);
      await db.syncWanted.bulkPut(
        bumped.flatMap((row) => (row ? [{ ...row, attempts: row.attempts + 1 }] : [])),
      );
    }
    const current = await db.syncJobs.get(job.id);
    // Removed by the user mid-step: keep the papers, don't bring the job back.
    if (!current) return { ...job, cursor: null, state: 'done' as const };
    const finished = result.cursor === null;
    const runAdded =
      (current.cursor === null && current.state !== 'running' ? 0 : (current.runAdded ?? 0)) +
      added;
    const next: SyncJobRow = {
      ...current,
      cursor: result.cursor,
      runAdded,
      totalAdded: current.totalAdded + added,
      state: finished ? (isRecurring(current.spec) ? 'idle' : 'done') : 'running',
      failures: 0,
    };
    if (result.progress) next.progress = result.progress;
    if (result.memo) next.memo = result.memo;
    if (finished) {
      next.lastSuccessAt = now;
      next.lastAdded = runAdded;
      next.nextRunAt = isRecurring(current.spec)
        ? now + intervalMs(current)
        : Number.MAX_SAFE_INTEGER;
      delete next.lastError;
    }
    if (result.error) {
      next.lastError = { kind: result.error.kind, message: result.error.message, at: now };
    }
    await db.syncJobs.put(next);
    return next;
  });
}

/** Records a failed step: status only. The cursor and the papers stay exactly as they were. */
async function recordFailure(
  db: IndexDatabase,
  job: SyncJobRow,
  error: SyncError,
  now: number,
): Promise<void> {
  const failures = (job.failures ?? 0) + 1;
  const update: Partial<SyncJobRow> = {
    failures,
    lastError: { kind: error.kind, message: error.message, at: now },
  };
  if (error.kind === 'empty-anomaly') {
    update.state = 'waiting';
    update.memo = { ...job.memo, emptyRetries: Number(job.memo?.emptyRetries ?? 0) + 1 };
    update.nextRunAt = now + 60_000;
  } else if (isTransient(error)) {
    update.state = 'waiting';
    update.nextRunAt = Math.max(error.retryAt ?? 0, now + retryDelay(failures));
  } else {
    update.state = 'error';
    update.nextRunAt = now + (error.kind === 'quota' ? HOUR : Math.min(intervalMs(job), 6 * HOUR));
  }
  try {
    await db.syncJobs.update(job.id, update);
  } catch {
    // Under quota pressure even this may fail; the job then simply retries at its old time.
  }
}

function isDue(job: SyncJobRow, now: number, force: ReadonlySet<string>): boolean {
  if (force.has(job.id)) return job.state !== 'done' || job.cursor !== null;
  if (job.state === 'done') return false;
  return job.nextRunAt <= now;
}

/** When the scheduler should next wake, from the job rows. */
export function nextWakeAt(jobs: readonly SyncJobRow[]): number | null {
  const times = jobs.filter((job) => job.state !== 'done').map((job) => job.nextRunAt);
  return times.length > 0 ? Math.min(...times) : null;
}

/**
 * One wake-up: reconciles jobs with the settings, then runs due jobs step by step within the limits.
 * `force` runs the named jobs now whatever their schedule ("Sync now").
 */
export async function runTick(
  env: SyncEnv,
  limits: TickLimits = {},
  force: readonly string[] = [],
): Promise<TickResult> {
  const now = env.now ?? (() => Date.now());
  const maxSteps = limits.maxSteps ?? DEFAULT_MAX_STEPS;
  const deadline = now() + (limits.maxMillis ?? DEFAULT_MAX_MILLIS);
  const settings = await env.settings();
  const { db } = env;
  await reconcileJobs(db, settings, now());
  const forced = new Set(force);
  let steps = 0;
  let stoppedBy: SyncError | undefined;
  let wrotePapers = false;
  const jobs = (await db.syncJobs.toArray())
    .filter((job) => isDue(job, now(), forced))
    // Interrupted runs first, then the most overdue.
    .sort(
      (a, b) => Number(b.cursor !== null) - Number(a.cursor !== null) || a.nextRunAt - b.nextRunAt,
    );
  for (const initial of jobs) {
    let job = initial;
    if (job.cursor === null) {
      job = { ...job, state: 'running', lastRunAt: now(), runAdded: 0 };
      delete job.progress;
      const started = job;
      const stillThere = await db.transaction('rw', db.syncJobs, async () => {
        if (!(await db.syncJobs.get(started.id))) return false;
        await db.syncJobs.put(started);
        return true;
      });
      if (!stillThere) continue;
    }
    while (steps < maxSteps && now() < deadline) {
      steps += 1;
      let result: StepResult;
      try {
        result = await stepJob(job, { client: env.client, db, settings, now: now() });
        job = await commitStep(db, job, result, now());
        if (result.papers.length > 0) wrotePapers = true;
      } catch (caught) {
        // A prune started meanwhile: nothing was written and the cursor stands; resume next wake.
        if (caught instanceof IndexBusyError) break;
        const error = toSyncError(caught);
        await recordFailure(db, job, error, now());
        if (error.kind === 'quota') stoppedBy = error;
        break;
      }
      if (job.cursor === null) break;
    }
    if (stoppedBy || steps >= maxSteps || now() >= deadline) break;
  }
  if (wrotePapers) {
    // New papers become findable by fuzzy title (the look-ups) and in the popup's search now, not
    // when the popup next opens. A failure only costs a rebuild later.
    await flushLookup(db).catch(() => undefined);
    await refreshSearchIndex(db, now()).catch(() => undefined);
  }
  const after = await db.syncJobs.toArray();
  // Unfinished runs continue soon; the request layer still spaces the requests.
  const pending = after.filter((job) => job.cursor !== null && job.state === 'running');
  const wake = pending.length > 0 ? now() : nextWakeAt(after);
  const result: TickResult = { steps, nextWakeAt: wake };
  if (stoppedBy) result.stoppedBy = stoppedBy;
  if (wrotePapers) result.wrotePapers = true;
  return result;
}

/** Adds a one-off backfill (or returns the existing one with the same parameters). */
export async function addBackfill(
  db: IndexDatabase,
  spec: JobSpec,
  now: number,
): Promise<SyncJobRow> {
  return db.transaction('rw', db.syncJobs, async () => {
    const row = newJobRow(spec, now);
    const existing = await db.syncJobs.get(row.id);
    if (existing && existing.state !== 'done') return existing;
    await db.syncJobs.put(row);
    return row;
  });
}

/** Makes jobs due now ("Sync now"); all non-finished jobs when `ids` is empty. */
export async function markDue(
  db: IndexDatabase,
  ids: readonly string[],
  now: number,
): Promise<string[]> {
  return db.transaction('rw', db.syncJobs, async () => {
    const rows = await db.syncJobs.toArray();
    const chosen = rows.filter((row) =>
      ids.length === 0 ? row.state !== 'done' : ids.includes(row.id),
    );
    for (const row of chosen) await db.syncJobs.update(row.id, { nextRunAt: now });
    return chosen.map((row) => row.id);
  });
}

/**
 * Queues ids a page showed that the index lacks, for a batch look-up, and makes the look-up jobs
 * due. Returns how many ids were new to the queue.
 */
export async function enqueueWanted(
  db: IndexDatabase,
  ids: readonly CanonicalId[],
  now: number,
  routeOf: (id: CanonicalId) => WantedRow['route'] | null = wantedRoute,
): Promise<number> {
  const candidates = [...new Set(ids)].filter((id) => routeOf(id) !== null);
  if (candidates.length === 0) return 0;
  const known = await resolveIds(db, candidates);
  return db.transaction('rw', db.syncWanted, db.syncJobs, async () => {
    const queued = await db.syncWanted.bulkGet(candidates);
    const fresh = candidates.filter((id, index) => !known.has(id) && !queued[index]);
    if (fresh.length === 0) return 0;
    await db.syncWanted.bulkPut(
      fresh.map((id) => ({ id, route: routeOf(id) ?? 'arxiv', addedAt: now, attempts: 0 })),
    );
    const routes = new Set(fresh.map((id) => routeOf(id)));
    const jobOf = { arxiv: 'arxiv-fill', s2: 's2-fill', hf: 'hf-fill' } as const;
    for (const route of routes) {
      if (!route) continue;
      const jobName = jobOf[route];
      const job = await db.syncJobs.get(jobName);
      if (job && job.cursor === null && job.nextRunAt > now) {
        await db.syncJobs.update(jobName, { nextRunAt: now });
      }
    }
    return fresh.length;
  });
}

export { MAX_WANTED_ATTEMPTS };
