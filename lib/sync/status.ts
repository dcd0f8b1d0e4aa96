/**
 * Plain-words status of sync jobs for the options page and the popup. Pure: rows and a clock in,
 * strings out.
 */
import { jobLabel } from './jobs';
import type { SyncJobRow } from './types';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** "just now", "5 min ago", "in 3 h", "2 days ago". */
export function relativeTime(at: number, now: number): string {
  const delta = at - now;
  const abs = Math.abs(delta);
  if (abs < MINUTE) return delta > 0 ? 'in a moment' : 'just now';
  const amount =
    abs < HOUR
      ? `${Math.round(abs / MINUTE)} min`
      : abs < DAY
        ? `${Math.round(abs / HOUR)} h`
        : `${Math.round(abs / DAY)} day${Math.round(abs / DAY) === 1 ? '' : 's'}`;
  return delta > 0 ? `in ${amount}` : `${amount} ago`;
}

/** Look-up jobs run when pages show unknown papers; they don't count as "sync is on". */
export function isLookup(job: SyncJobRow): boolean {
  return (
    job.spec.kind === 'arxiv-fill' || job.spec.kind === 's2-fill' || job.spec.kind === 'hf-fill'
  );
}

export interface JobView {
  id: string;
  label: string;
  state: SyncJobRow['state'];
  stateText: string;
  lastRun: string;
  added: string;
  nextRun: string;
  error?: string;
  progress?: { done: number; total?: number; text: string };
  isBackfill: boolean;
}

const STATE_TEXT: Record<SyncJobRow['state'], string> = {
  idle: 'Up to date',
  running: 'Syncing',
  waiting: 'Waiting to retry',
  error: 'Failed',
  done: 'Finished',
};

export function viewJob(job: SyncJobRow, now: number): JobView {
  const view: JobView = {
    id: job.id,
    label: jobLabel(job.spec),
    state: job.state,
    stateText:
      job.state === 'idle' && job.lastRunAt === undefined ? 'Not run yet' : STATE_TEXT[job.state],
    // The page's clock ticks every few seconds; a run that started since is "just now", not future.
    lastRun:
      job.lastRunAt === undefined ? 'never' : relativeTime(Math.min(job.lastRunAt, now), now),
    added:
      job.state === 'running'
        ? `${job.runAdded ?? 0} new so far`
        : `${job.lastAdded ?? 0} new last run, ${job.totalAdded} in all`,
    nextRun:
      job.state === 'done'
        ? '—'
        : job.state === 'running'
          ? 'now'
          : job.nextRunAt <= now
            ? 'due now'
            : relativeTime(job.nextRunAt, now),
    isBackfill: job.intervalHours === undefined,
  };
  if (job.lastError) view.error = job.lastError.message;
  if (job.progress && (job.state === 'running' || job.state === 'waiting' || job.progress.total)) {
    const { done, total } = job.progress;
    const unit = job.progress.unit ?? 'papers';
    view.progress = {
      done,
      ...(total === undefined ? {} : { total }),
      text:
        total === undefined
          ? `${done.toLocaleString('en')} ${unit}`
          : `${done.toLocaleString('en')} / ${total.toLocaleString('en')} ${unit}`,
    };
  }
  return view;
}

/** One line for the popup. */
export function syncSummary(
  jobs: readonly SyncJobRow[],
  now: number,
): {
  tone: 'off' | 'ok' | 'busy' | 'problem';
  text: string;
} {
  if (jobs.every(isLookup) && !jobs.some((job) => job.lastAdded)) {
    return { tone: 'off', text: 'Sync is off: choose sources in Options.' };
  }
  const running = jobs.find((job) => job.state === 'running');
  if (running) {
    const view = viewJob(running, now);
    return {
      tone: 'busy',
      text: `Syncing ${view.label}${view.progress ? ` — ${view.progress.text}` : '…'}`,
    };
  }
  const failing = jobs.find((job) => job.state === 'error' || job.state === 'waiting');
  if (failing?.lastError) {
    return { tone: 'problem', text: `${jobLabel(failing.spec)}: ${failing.lastError.message}` };
  }
  const last = Math.max(...jobs.map((job) => job.lastSuccessAt ?? 0));
  const upcoming = jobs.filter((job) => job.state !== 'done').map((job) => job.nextRunAt);
  const next = upcoming.length ? Math.min(...upcoming) : undefined;
  const parts = [last > 0 ? `Synced ${relativeTime(last, now)}` : 'Not synced yet'];
  if (next !== undefined) parts.push(`next ${next <= now ? 'due now' : relativeTime(next, now)}`);
  return { tone: 'ok', text: parts.join(' · ') };
}
