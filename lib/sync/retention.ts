/**
 * Retention: which papers the abstract index keeps (the last N months, and/or chosen arXiv
 * categories). It prunes only the index; the library is never written. A paper the user saved,
 * tagged, annotated or dismissed stays in the index whatever the rule, because its abstract is
 * shown for it. The rule is stored apart from the sync settings (deleting the index must not forget
 * it, and saving the sources must not overwrite a rule confirmed meanwhile).
 */
import type { IndexDatabase, LibraryDatabase } from '../db';
import { idKind } from '../ids';
import { countPapers, planPrune, prunePapers, type PruneResult } from '../index-store';
import { refreshSearchIndex } from '../search/store';
import type { CanonicalId, IndexPaper } from '../types';
import type { KeyValueStore } from './http';
import {
  DEFAULT_RETENTION,
  retentionRuleSchema,
  type RetentionPreview,
  type RetentionRule,
} from './retention-rule';

export {
  DEFAULT_RETENTION,
  retentionRuleSchema,
  type RetentionPreview,
  type RetentionRule,
} from './retention-rule';
export const RETENTION_KEY = 'index-retention';
const LAST_RUN_KEY = 'index-retention:last';

export interface RetentionRun {
  at: number;
  removed: number;
  /** Papers in the index after the run: later ones are the new papers of an incremental run. */
  kept: number;
  done: boolean;
  /** The rule the run applied (a changed rule needs a full run). */
  rule?: string;
}

export function readRetention(stored: unknown): RetentionRule {
  const parsed = retentionRuleSchema.safeParse(stored);
  return parsed.success ? parsed.data : { ...DEFAULT_RETENTION };
}

/** Whether the rule removes anything at all (the default keeps everything). */
export function isActive(rule: RetentionRule): boolean {
  return rule.keepMonths > 0 || rule.categories.length > 0;
}

/** The first day (YYYY-MM-DD, UTC) a paper must be published on or after to be kept. */
export function cutoffDay(keepMonths: number, now: number): string {
  const date = new Date(now);
  date.setUTCMonth(date.getUTCMonth() - keepMonths);
  return date.toISOString().slice(0, 10);
}

/**
 * The predicate a prune runs: old papers and arXiv papers outside the chosen categories go, unless
 * protected. Papers without a (readable) date or without categories are kept: the rule can't tell.
 */
export function retentionPredicate(
  rule: RetentionRule,
  protectedIds: ReadonlySet<CanonicalId>,
  now: number,
): (paper: IndexPaper) => boolean {
  const cutoff = rule.keepMonths > 0 ? cutoffDay(rule.keepMonths, now) : null;
  const chosen = rule.categories;
  const inChosen = (category: string): boolean =>
    chosen.some((wanted) => category === wanted || category.startsWith(`${wanted}.`));
  return (paper) => {
    if (protectedIds.has(paper.id) || paper.aliases?.some((alias) => protectedIds.has(alias))) {
      return false;
    }
    if (cutoff) {
      const day = /^\d{4}-\d{2}-\d{2}/.exec(paper.published ?? paper.updated ?? '')?.[0];
      if (day && day < cutoff) return true;
    }
    if (chosen.length > 0 && idKind(paper.id) === 'arxiv' && paper.categories?.length) {
      if (!paper.categories.some(inChosen)) return true;
    }
    return false;
  };
}

/**
 * Ids the user has touched: saved papers (with their tags and notes) and their snapshot aliases,
 * and dismissals. Read-only on the library.
 */
export async function protectedIds(library: LibraryDatabase): Promise<Set<CanonicalId>> {
  const ids = new Set<CanonicalId>();
  await library.saved.each((saved) => {
    ids.add(saved.id);
    for (const alias of saved.snapshot.aliases ?? []) ids.add(alias);
  });
  for (const id of await library.dismissed.toCollection().primaryKeys()) ids.add(id);
  return ids;
}

/** What the rule would do now, without writing anything. */
export async function previewRetention(
  index: IndexDatabase,
  library: LibraryDatabase,
  rule: RetentionRule,
  now: number,
): Promise<RetentionPreview> {
  if (!isActive(rule)) {
    const plan = await planPrune(index, () => false);
    return { total: plan.total, remove: 0, protectedKept: 0 };
  }
  const keep = await protectedIds(library);
  const strict = retentionPredicate(rule, keep, now);
  const loose = retentionPredicate(rule, new Set(), now);
  let protectedKept = 0;
  const plan = await planPrune(index, (paper) => {
    const removed = strict(paper);
    if (!removed && loose(paper)) protectedKept += 1;
    return removed;
  });
  return { total: plan.total, remove: plan.remove, protectedKept };
}

export interface RetentionEnv {
  index: IndexDatabase;
  library: LibraryDatabase;
  store: KeyValueStore;
  now: () => number;
}

/**
 * Applies the stored rule: prunes the index (up to `deadline`; the rest resumes on the next call),
 * then brings the popup's search index up to date. The look-up structures are rebuilt by the prune.
 */
export async function applyRetention(
  env: RetentionEnv,
  options: { deadline?: number; bucketsPerStep?: number; onlyNew?: boolean } = {},
): Promise<PruneResult> {
  const rule = readRetention(await env.store.get(RETENTION_KEY));
  const now = env.now();
  const { onlyNew, ...limits } = options;
  const last = onlyNew ? await lastRetentionRun(env.store) : null;
  // After a sync, only the papers appended since the last complete run are judged (a full scan
  // of a large index per sync would be wasteful); the daily run judges them all.
  const count = await countPapers(env.index);
  const from =
    last?.done && last.rule === JSON.stringify(rule) && last.kept <= count ? last.kept : 0;
  const prune = { now: env.now, ...limits, from };
  const result = isActive(rule)
    ? await prunePapers(
        env.index,
        retentionPredicate(rule, await protectedIds(env.library), now),
        prune,
      )
    : // A rule switched off mid-prune: the prune already under way still finishes.
      await prunePapers(env.index, () => false, prune);
  // Cheap when nothing changed; after a prune (this one or one it resumed) a rebuild.
  if (result.done) await refreshSearchIndex(env.index, env.now());
  const run: RetentionRun = { at: now, ...result, rule: JSON.stringify(rule) };
  await env.store.set(LAST_RUN_KEY, run);
  return result;
}

export async function lastRetentionRun(store: KeyValueStore): Promise<RetentionRun | null> {
  const stored = (await store.get(LAST_RUN_KEY)) as RetentionRun | undefined;
  return typeof stored?.at === 'number' ? stored : null;
}

/** Retention runs after syncs that added papers, and at least this often otherwise. */
export const RETENTION_INTERVAL_MS = 24 * 3600_000;
