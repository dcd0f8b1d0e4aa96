/**
 * Sync jobs: which exist (recurring ones follow the settings; backfills are added by the user), and
 * how each takes one bounded step: at most one request, returning the papers it got and the cursor
 * that follows them. Steps never write; the runner commits papers and cursor together.
 */
import type { IndexDatabase } from '../db';
import { idBody, idKind } from '../ids';
import type { CanonicalId, IndexPaper } from '../types';
import { ARXIV_ID_BATCH, categoryQueryUrl, fetchArxivAtom, idListUrl } from './arxiv-api';
import { fetchOaiPage, listRecordsUrl } from './arxiv-oai';
import { fetchArxivRss } from './arxiv-rss';
import { SyncError } from './errors';
import type { PoliteClient } from './http';
import { fetchHfDailyPapers, fetchHfPaper, HF_PAGE_SIZE } from './huggingface';
import { fetchVenueNotes, OPENREVIEW_PAGE_SIZE } from './openreview';
import { fetchS2Batch, S2_BATCH_SIZE } from './semantic-scholar';
import type { SyncSettings } from './settings';
import type { JobSpec, SyncJobRow, WantedRow } from './types';

const DAY_MS = 24 * 3600_000;
/** A wanted id that failed this many look-ups is left alone. */
export const MAX_WANTED_ATTEMPTS = 3;
/** An empty page where more results were promised is retried this many times before it ends the run. */
export const MAX_EMPTY_RETRIES = 3;

export function jobId(spec: JobSpec): string {
  switch (spec.kind) {
    case 'arxiv-rss':
    case 'huggingface-daily':
    case 'arxiv-fill':
    case 's2-fill':
    case 'hf-fill':
      return spec.kind;
    case 'openreview-venue':
      return `openreview:${spec.venueId}`;
    case 'arxiv-backfill':
      return `arxiv-backfill:${spec.category}:${spec.from}:${spec.to}`;
    case 'arxiv-oai':
      return `arxiv-oai:${spec.set}:${spec.from}`;
    case 'hf-backfill':
      return `hf-backfill:${spec.period}:${spec.value}`;
  }
}

export function isRecurring(spec: JobSpec): boolean {
  return (
    spec.kind === 'arxiv-rss' ||
    spec.kind === 'huggingface-daily' ||
    spec.kind === 'openreview-venue' ||
    spec.kind === 'arxiv-fill' ||
    spec.kind === 'hf-fill' ||
    spec.kind === 's2-fill'
  );
}

/** A plain-words name for a job, for the options page and the popup. */
export function jobLabel(spec: JobSpec): string {
  switch (spec.kind) {
    case 'arxiv-rss':
      return `arXiv daily (${spec.categories.join(', ')})`;
    case 'huggingface-daily':
      return 'Hugging Face daily papers';
    case 'openreview-venue':
      return `OpenReview: ${spec.venueId}`;
    case 'arxiv-fill':
      return 'arXiv look-ups for papers seen on pages';
    case 's2-fill':
      return 'Semantic Scholar look-ups for papers seen on pages';
    case 'hf-fill':
      return 'Hugging Face look-ups for papers seen on its pages';
    case 'arxiv-backfill':
      return `arXiv ${spec.category}, ${spec.from} to ${spec.to}`;
    case 'arxiv-oai':
      return `arXiv bulk (OAI-PMH) ${spec.set} since ${spec.from}`;
    case 'hf-backfill':
      return `Hugging Face papers of ${spec.period} ${spec.value}`;
  }
}

/** The recurring jobs the settings ask for, with their intervals. */
export function recurringSpecs(settings: SyncSettings): { spec: JobSpec; intervalHours: number }[] {
  const specs: { spec: JobSpec; intervalHours: number }[] = [];
  const { arxivRss, huggingface, openreview, fillMissing } = settings;
  if (arxivRss.enabled && arxivRss.categories.length > 0) {
    specs.push({
      spec: { kind: 'arxiv-rss', categories: [...new Set(arxivRss.categories)].sort() },
      intervalHours: arxivRss.intervalHours,
    });
  }
  if (huggingface.enabled) {
    specs.push({
      spec: { kind: 'huggingface-daily', catchUpDays: huggingface.catchUpDays },
      intervalHours: huggingface.intervalHours,
    });
  }
  if (openreview.enabled) {
    for (const venueId of new Set(openreview.venues)) {
      specs.push({
        spec: { kind: 'openreview-venue', venueId },
        intervalHours: openreview.intervalHours,
      });
    }
  }
  // Look-ups run when pages report missing ids (see enqueueWanted); the interval is a fallback.
  if (fillMissing.arxiv) specs.push({ spec: { kind: 'arxiv-fill' }, intervalHours: 24 });
  if (fillMissing.semanticScholar) specs.push({ spec: { kind: 's2-fill' }, intervalHours: 24 });
  if (fillMissing.huggingface) specs.push({ spec: { kind: 'hf-fill' }, intervalHours: 24 });
  return specs;
}

export function newJobRow(spec: JobSpec, now: number, intervalHours?: number): SyncJobRow {
  const row: SyncJobRow = {
    id: jobId(spec),
    spec,
    state: 'idle',
    cursor: null,
    nextRunAt: now,
    totalAdded: 0,
    createdAt: now,
  };
  if (intervalHours !== undefined) row.intervalHours = intervalHours;
  return row;
}

/**
 * Brings the recurring job rows in line with the settings: adds new ones (due now), updates changed
 * specs and intervals, removes disabled ones. Backfill rows are left alone.
 */
export async function reconcileJobs(
  db: IndexDatabase,
  settings: SyncSettings,
  now: number,
): Promise<void> {
  const wanted = new Map(recurringSpecs(settings).map((entry) => [jobId(entry.spec), entry]));
  await db.transaction('rw', db.syncJobs, async () => {
    const rows = await db.syncJobs.toArray();
    for (const row of rows) {
      if (!isRecurring(row.spec)) continue;
      const entry = wanted.get(row.id);
      if (!entry) {
        await db.syncJobs.delete(row.id);
        continue;
      }
      wanted.delete(row.id);
      const specChanged = JSON.stringify(entry.spec) !== JSON.stringify(row.spec);
      if (specChanged || entry.intervalHours !== row.intervalHours) {
        const last = row.lastSuccessAt ?? row.lastRunAt;
        await db.syncJobs.put({
          ...row,
          spec: entry.spec,
          intervalHours: entry.intervalHours,
          // New categories are fetched now; a longer interval counts from the last success.
          nextRunAt: specChanged
            ? now
            : last === undefined
              ? row.nextRunAt
              : Math.max(now, last + entry.intervalHours * 3600_000),
          ...(specChanged ? { cursor: null, state: 'idle' as const } : {}),
        });
      }
    }
    for (const { spec, intervalHours } of wanted.values()) {
      await db.syncJobs.put(newJobRow(spec, now, intervalHours));
    }
  });
}

export interface StepContext {
  client: PoliteClient;
  db: IndexDatabase;
  settings: SyncSettings;
  now: number;
}

export interface StepResult {
  papers: IndexPaper[];
  /** Where the next step starts; `null` when this run is complete. */
  cursor: unknown;
  progress?: { done: number; total?: number; unit: string };
  /** Look-up bookkeeping: ids answered (removed from the list) and ids not found (attempt counted). */
  wanted?: { remove: CanonicalId[]; bump: CanonicalId[] };
  memo?: Record<string, string | number>;
  /** A failure recorded together with this step's bookkeeping (a look-up batch arXiv refused). */
  error?: SyncError;
}

function num(value: unknown, fallback = 0): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : fallback;
}

function cursorObject(cursor: unknown): Record<string, unknown> {
  return typeof cursor === 'object' && cursor !== null ? (cursor as Record<string, unknown>) : {};
}

const isoDay = (ms: number): string => new Date(ms).toISOString().slice(0, 10);

/**
 * The next ids to look up. A run works through one attempt level (the lowest waiting), so an id
 * that was just missed is asked again in a later run, not in the next step of this one.
 */
async function wantedBatch(
  db: IndexDatabase,
  route: WantedRow['route'],
  size: number,
  level: number | undefined,
): Promise<WantedRow[]> {
  const range =
    level === undefined
      ? db.syncWanted
          .where('[route+attempts]')
          .between([route, 0], [route, MAX_WANTED_ATTEMPTS], true, false)
      : db.syncWanted.where('[route+attempts]').equals([route, level]);
  return range.limit(size).toArray();
}

function foundIds(papers: readonly IndexPaper[]): Set<CanonicalId> {
  return new Set(papers.flatMap((paper) => [paper.id, ...(paper.aliases ?? [])]));
}

async function fillStep(
  job: SyncJobRow,
  context: StepContext,
  route: WantedRow['route'],
  size: number,
  fetchBatch: (ids: CanonicalId[]) => Promise<IndexPaper[]>,
): Promise<StepResult> {
  const cursorLevel = cursorObject(job.cursor).level;
  const batch = await wantedBatch(
    context.db,
    route,
    size,
    typeof cursorLevel === 'number' ? cursorLevel : undefined,
  );
  if (batch.length === 0) return { papers: [], cursor: null };
  const level = typeof cursorLevel === 'number' ? cursorLevel : (batch[0]?.attempts ?? 0);
  const ids = batch.map((row) => row.id);
  let papers: IndexPaper[];
  try {
    papers = await fetchBatch(ids);
  } catch (error) {
    if (
      error instanceof SyncError &&
      !['rate-limited', 'network', 'timeout', 'quota'].includes(error.kind)
    ) {
      // The batch itself is refused (a malformed id, say): count the attempt so it can't loop forever.
      return { papers: [], cursor: null, wanted: { remove: [], bump: ids }, error };
    }
    throw error;
  }
  const found = foundIds(papers);
  const more = batch.length === size;
  return {
    papers,
    cursor: more ? { batch: true, level } : null,
    wanted: {
      remove: ids.filter((id) => found.has(id)),
      bump: ids.filter((id) => !found.has(id)),
    },
    progress: { done: batch.length, unit: 'ids' },
  };
}

async function rssStep(
  spec: Extract<JobSpec, { kind: 'arxiv-rss' }>,
  { client }: StepContext,
): Promise<StepResult> {
  const feed = await fetchArxivRss(client, spec.categories);
  return {
    papers: feed.papers,
    cursor: null,
    progress: { done: feed.papers.length, total: feed.papers.length, unit: 'papers' },
  };
}

async function hfDailyStep(
  job: SyncJobRow,
  spec: Extract<JobSpec, { kind: 'huggingface-daily' }>,
  { client, now }: StepContext,
): Promise<StepResult> {
  const today = isoDay(now);
  const earliest = isoDay(now - (spec.catchUpDays - 1) * DAY_MS);
  const cursor = cursorObject(job.cursor);
  const lastDate = typeof job.memo?.lastDate === 'string' ? job.memo.lastDate : undefined;
  // The last day fetched is fetched again: HF adds papers to a day throughout that day.
  const startDate =
    typeof cursor.date === 'string'
      ? cursor.date
      : lastDate && lastDate > earliest
        ? lastDate
        : earliest;
  const date = startDate > today ? today : startDate;
  const page = num(cursor.page);
  const papers = await fetchHfDailyPapers(client, { date }, page);
  const nextDay = isoDay(Date.parse(`${date}T00:00:00Z`) + DAY_MS);
  const totalDays = Math.round((Date.parse(today) - Date.parse(earliest)) / DAY_MS) + 1;
  const doneDays = Math.round((Date.parse(date) - Date.parse(earliest)) / DAY_MS) + 1;
  const progress = { done: Math.min(doneDays, totalDays), total: totalDays, unit: 'days' };
  if (papers.length >= HF_PAGE_SIZE) {
    return { papers, cursor: { date, page: page + 1 }, progress };
  }
  if (nextDay > today) {
    return { papers, cursor: null, progress, memo: { ...job.memo, lastDate: today } };
  }
  return { papers, cursor: { date: nextDay, page: 0 }, progress };
}

async function openReviewStep(
  job: SyncJobRow,
  spec: Extract<JobSpec, { kind: 'openreview-venue' }>,
  { client }: StepContext,
): Promise<StepResult> {
  const offset = num(cursorObject(job.cursor).offset);
  const page = await fetchVenueNotes(client, spec.venueId, offset);
  const done = offset + page.noteCount;
  const progress = { done, total: page.count ?? done, unit: 'papers' };
  return {
    papers: page.papers,
    cursor: page.noteCount < OPENREVIEW_PAGE_SIZE ? null : { offset: done },
    progress,
  };
}

async function arxivBackfillStep(
  job: SyncJobRow,
  spec: Extract<JobSpec, { kind: 'arxiv-backfill' }>,
  { client }: StepContext,
): Promise<StepResult> {
  const cursor = cursorObject(job.cursor);
  const start = num(cursor.start);
  const promised = typeof cursor.total === 'number' ? cursor.total : undefined;
  const page = await fetchArxivAtom(
    client,
    categoryQueryUrl(spec.category, spec.from, spec.to, start),
  );
  // arXiv sometimes answers a valid, empty feed for a query that has results (B4.4).
  const expected = promised ?? (start > 0 ? start + 1 : 0);
  if (page.papers.length === 0 && start < Math.max(expected, page.totalResults)) {
    if (num(job.memo?.emptyRetries) < MAX_EMPTY_RETRIES) {
      throw new SyncError(
        'empty-anomaly',
        `arXiv answered an empty page at ${start} of ${Math.max(expected, page.totalResults)}; trying again shortly.`,
      );
    }
    return { papers: [], cursor: null, progress: { done: start, total: start, unit: 'papers' } };
  }
  const total = Math.max(page.totalResults, promised ?? 0);
  const next = start + page.papers.length;
  return {
    papers: page.papers,
    cursor: next >= total || page.papers.length === 0 ? null : { start: next, total },
    progress: { done: next, total, unit: 'papers' },
    memo: { ...job.memo, emptyRetries: 0 },
  };
}

async function oaiStep(
  job: SyncJobRow,
  spec: Extract<JobSpec, { kind: 'arxiv-oai' }>,
  { client }: StepContext,
): Promise<StepResult> {
  const cursor = cursorObject(job.cursor);
  const token = typeof cursor.token === 'string' && cursor.token !== '' ? cursor.token : undefined;
  const from = typeof cursor.from === 'string' ? cursor.from : spec.from;
  const done = num(cursor.done);
  const total = typeof cursor.total === 'number' ? cursor.total : undefined;
  try {
    const page = await fetchOaiPage(
      client,
      listRecordsUrl(token ? { resumptionToken: token } : { set: spec.set, from }),
    );
    const lastDatestamp =
      page.lastDatestamp ??
      (typeof cursor.lastDatestamp === 'string' ? cursor.lastDatestamp : from);
    const nextDone = (page.cursor ?? done) + page.papers.length;
    const nextTotal = page.completeListSize ?? total;
    const progress = { done: nextDone, total: nextTotal ?? nextDone, unit: 'papers' };
    if (!page.resumptionToken) return { papers: page.papers, cursor: null, progress };
    return {
      papers: page.papers,
      cursor: {
        token: page.resumptionToken,
        from,
        lastDatestamp,
        done: nextDone,
        total: nextTotal,
      },
      progress,
    };
  } catch (error) {
    if (error instanceof SyncError && error.kind === 'bad-resumption-token' && token) {
      // Tokens expire; restarting from the last committed datestamp re-reads an overlap that
      // upsert-by-id absorbs, and leaves no gap.
      const restartFrom = typeof cursor.lastDatestamp === 'string' ? cursor.lastDatestamp : from;
      return {
        papers: [],
        cursor: { from: restartFrom, lastDatestamp: restartFrom, done, total },
        progress: { done, total: total ?? done, unit: 'papers' },
      };
    }
    throw error;
  }
}

async function hfBackfillStep(
  job: SyncJobRow,
  spec: Extract<JobSpec, { kind: 'hf-backfill' }>,
  { client }: StepContext,
): Promise<StepResult> {
  const page = num(cursorObject(job.cursor).page);
  const period = spec.period === 'week' ? { week: spec.value } : { month: spec.value };
  const papers = await fetchHfDailyPapers(client, period, page);
  const done = page * HF_PAGE_SIZE + papers.length;
  return {
    papers,
    cursor: papers.length >= HF_PAGE_SIZE ? { page: page + 1 } : null,
    progress: { done, unit: 'papers' },
  };
}

/** Takes one step of a job: at most one request. Throws SyncError; never writes. */
export async function stepJob(job: SyncJobRow, context: StepContext): Promise<StepResult> {
  const { spec } = job;
  switch (spec.kind) {
    case 'arxiv-rss':
      return rssStep(spec, context);
    case 'huggingface-daily':
      return hfDailyStep(job, spec, context);
    case 'openreview-venue':
      return openReviewStep(job, spec, context);
    case 'arxiv-backfill':
      return arxivBackfillStep(job, spec, context);
    case 'arxiv-oai':
      return oaiStep(job, spec, context);
    case 'hf-backfill':
      return hfBackfillStep(job, spec, context);
    case 'arxiv-fill':
      return fillStep(job, context, 'arxiv', ARXIV_ID_BATCH, async (ids) => {
        const page = await fetchArxivAtom(context.client, idListUrl(ids.map(idBody)));
        return page.papers;
      });
    case 'hf-fill':
      // No batch endpoint: one paper per step (one request), HF's own spacing between them.
      return fillStep(job, context, 'hf', 1, async (ids) => {
        const papers: IndexPaper[] = [];
        for (const id of ids) {
          try {
            const paper = await fetchHfPaper(context.client, idBody(id));
            if (paper) papers.push(paper);
          } catch (error) {
            // Not on Hugging Face: counted as a miss, not a failure of the job.
            if (!(error instanceof SyncError && error.kind === 'http' && error.status === 404)) {
              throw error;
            }
          }
        }
        return papers;
      });
    case 's2-fill':
      return fillStep(job, context, 's2', S2_BATCH_SIZE, (ids) =>
        fetchS2Batch(context.client, ids, context.settings.fillMissing.s2ApiKey || undefined),
      );
  }
}

/** Where a look-up for an id goes: arXiv for arXiv ids, Semantic Scholar for the kinds it knows. */
export function wantedRoute(id: CanonicalId): WantedRow['route'] | null {
  const kind = idKind(id);
  if (kind === 'arxiv') return 'arxiv';
  if (kind === 'doi' || kind === 'acl' || kind === 's2') return 's2';
  return null;
}
