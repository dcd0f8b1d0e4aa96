/**
 * Rows the sync keeps in the index database, next to the papers they describe, so a page of
 * papers and the cursor that follows it are committed in one transaction.
 */
import type { CanonicalId } from '../types';

/** What a job fetches. Recurring jobs come from the settings; the others are one-off backfills. */
export type JobSpec =
  | { kind: 'arxiv-rss'; categories: string[] }
  | { kind: 'huggingface-daily'; catchUpDays: number }
  | { kind: 'openreview-venue'; venueId: string }
  | { kind: 'arxiv-fill' }
  | { kind: 'hf-fill' }
  | { kind: 's2-fill'; apiKey?: string }
  | { kind: 'arxiv-backfill'; category: string; from: string; to: string }
  | { kind: 'arxiv-oai'; set: string; from: string }
  | { kind: 'hf-backfill'; period: 'week' | 'month'; value: string };

export type JobKind = JobSpec['kind'];

export type JobState =
  /** Nothing in progress; runs again at `nextRunAt`. */
  | 'idle'
  /** A run is in progress (or was, when the worker was stopped; it resumes from `cursor`). */
  | 'running'
  /** Waiting for a server's back-off or a retry after a passing failure. */
  | 'waiting'
  /** The last run failed on bad data or a refusal; see `lastError`. */
  | 'error'
  /** A one-off job that has finished. */
  | 'done';

export interface JobError {
  kind: string;
  message: string;
  at: number;
}

export interface SyncJobRow {
  id: string;
  spec: JobSpec;
  /** Hours between runs, for recurring jobs. */
  intervalHours?: number;
  state: JobState;
  /** Where the current run stands; `null` between runs. Only ever written with its page of papers. */
  cursor: unknown;
  progress?: { done: number; total?: number; unit?: string };
  nextRunAt: number;
  lastRunAt?: number;
  lastSuccessAt?: number;
  /** Papers new to the index in the last finished run (and in the current one, while running). */
  lastAdded?: number;
  runAdded?: number;
  totalAdded: number;
  lastError?: JobError;
  /** Consecutive failures, for back-off. */
  failures?: number;
  /** Per-kind memory between runs (e.g. the last day fetched from Hugging Face). */
  memo?: Record<string, string | number>;
  createdAt: number;
}

/** An id seen on a page but missing from the index, waiting for a batch look-up. */
export interface WantedRow {
  id: CanonicalId;
  /** `hf`: arXiv ids seen on Hugging Face pages, asked of Hugging Face's paper API one by one. */
  route: 'arxiv' | 's2' | 'hf';
  addedAt: number;
  attempts: number;
}
