/**
 * Handlers of the relevance messages (lib/relevance/protocol.ts), spread into `createHandlers`,
 * and the scoring step of `lookupEntries`.
 */
import type { IndexDatabase, LibraryDatabase } from '../db';
import { parseId } from '../ids';
import { getPaper } from '../index-store';
import { dismissPaper } from '../library/edit';
import type { EntryAnnotation, Handlers, PageEntry, ValidSender } from '../messages';
import { cleanTitle } from '../normalize';
import type { RelevanceEngine, ScoreEntry } from '../relevance/engine';
import type { PaperText } from '../relevance/features';
import type { EntryRelevance } from '../relevance/types';
import { replaceInterests } from '../relevance/library-reader';
import type { RelevanceMessageType } from '../relevance/protocol';
import type { Settings, SettingsStore } from '../settings';
import type { CanonicalId, PaperSnapshot } from '../types';

export interface RelevanceHandlerDeps {
  indexDb: IndexDatabase;
  libraryDb: LibraryDatabase;
  relevance?: RelevanceEngine;
  settings?: SettingsStore;
  /** The papers a tab's page showed (a page may only act on its own papers). */
  pageState: {
    recall(tabId: number, id: CanonicalId): Promise<{ snapshot: PaperSnapshot } | undefined>;
  };
  /** The toolbar badge of a tab (browser.action in the extension). */
  badge?: { show(tabId: number, count: number): Promise<void> };
  now?: () => number;
}

/** How long a look-up waits for a cold relevance model before replying without scores. */
const RELEVANCE_BUDGET_MS = 1000;

function textOf(snapshot: Pick<PaperSnapshot, 'title' | 'authors' | 'abstract'>): PaperText {
  const text: PaperText = { title: snapshot.title, authors: snapshot.authors };
  if (snapshot.abstract) text.abstract = snapshot.abstract;
  return text;
}

/**
 * Whether a look-up from this sender gets relevance at all (a page only if the user allows it).
 * `settings`: already read for this request (read here when absent).
 */
export async function relevanceShownTo(
  deps: RelevanceHandlerDeps,
  sender: ValidSender,
  settings?: Settings,
): Promise<boolean> {
  if (!deps.relevance) return false;
  if (sender.kind !== 'page' || !deps.settings) return true;
  return (settings ?? (await deps.settings.get())).showRelevanceOnPages;
}

/**
 * Relevance of page entries by `ref`, or null when there is none to give (switched off, no model
 * within `budgetMs`, a broken model). Entries with an id (matched, or from a link) use the vectors
 * computed when their papers entered the index; the others are scored from what the page shows.
 */
export async function scorePageEntries(
  deps: RelevanceHandlerDeps,
  items: readonly { entry: PageEntry; id?: CanonicalId }[],
  sender: ValidSender,
  budgetMs = RELEVANCE_BUDGET_MS,
): Promise<Map<number, EntryRelevance> | null> {
  const engine = deps.relevance;
  if (!engine || !(await relevanceShownTo(deps, sender))) return null;
  const toScore: ScoreEntry[] = items.map(({ entry, id }) => {
    const text: ScoreEntry['text'] = {
      title: cleanTitle(entry.title),
      authors: entry.authors ?? [],
    };
    if (entry.abstract) text.abstract = entry.abstract;
    return { ref: entry.ref, ...(id ? { id } : {}), text };
  });
  // A cold model (first look-up after a large import or a worker restart) may take seconds to load
  // and train; matching must not wait for it. It keeps warming up, and later look-ups get scores.
  let budget: ReturnType<typeof setTimeout> | undefined;
  const ready = await Promise.race([
    engine.prepare().then(
      () => true,
      () => false, // a broken model must not break matching: no scores this time
    ),
    new Promise<boolean>((resolve) => {
      budget = setTimeout(() => resolve(false), budgetMs);
    }),
  ]);
  clearTimeout(budget);
  if (!ready) return null;
  return engine.score(toScore);
}

/**
 * Adds `relevance` to the annotations of a look-up (see `scorePageEntries`); false when there was
 * none to add (off, or no model within `budgetMs`).
 */
export async function addRelevance(
  deps: RelevanceHandlerDeps,
  entries: readonly PageEntry[],
  annotations: EntryAnnotation[],
  sender: ValidSender,
  budgetMs = RELEVANCE_BUDGET_MS,
): Promise<boolean> {
  const byRef = new Map(entries.map((entry) => [entry.ref, entry]));
  const items = annotations.flatMap((annotation) => {
    const entry = byRef.get(annotation.ref);
    if (!entry) return [];
    return [{ entry, ...(annotation.id ? { id: annotation.id } : {}) }];
  });
  const scores = await scorePageEntries(deps, items, sender, budgetMs);
  if (!scores) return false;
  for (const annotation of annotations) {
    const relevance = scores.get(annotation.ref);
    if (relevance) annotation.relevance = relevance;
  }
  return true;
}

export function createRelevanceHandlers(
  deps: RelevanceHandlerDeps,
): Pick<Handlers, RelevanceMessageType> {
  const { libraryDb, indexDb } = deps;
  const now = deps.now ?? Date.now;

  async function pagePaper(
    sender: ValidSender,
    rawId: string,
  ): Promise<{ id: CanonicalId; text: PaperText }> {
    const id = parseId(rawId);
    if (!id) throw new Error('Not a paper id.');
    const indexed = await getPaper(indexDb, id);
    if (sender.kind === 'page') {
      const record = await deps.pageState.recall(sender.tabId, id);
      if (!record) throw new Error('That paper is not on this page.');
      return { id, text: indexed ? textOf(indexed) : textOf(record.snapshot) };
    }
    if (indexed) return { id, text: textOf(indexed) };
    const saved = await libraryDb.saved.get(id);
    if (!saved) throw new Error('Paperlight knows nothing about this paper yet.');
    return { id, text: textOf(saved.snapshot) };
  }

  return {
    async dismissFromPage({ id: rawId, dismissed }, sender) {
      const { id, text } = await pagePaper(sender, rawId);
      if (dismissed) await deps.relevance?.rememberDismissed(id, text);
      await dismissPaper(libraryDb, id, dismissed, now());
      // Retrain before answering, so the page's re-scoring already reflects the dismissal.
      await deps.relevance?.refresh();
      return { dismissed };
    },

    async getRelevanceExplanation({ id: rawId }, sender) {
      const { id, text } = await pagePaper(sender, rawId);
      const relevance = deps.relevance ? await deps.relevance.explain({ ref: 0, id, text }) : null;
      return {
        title: text.title,
        ...(text.abstract ? { abstract: text.abstract } : {}),
        relevance,
      };
    },

    async setRelevantCount({ count }, sender) {
      if (sender.kind !== 'page' || !deps.badge) return { shown: false };
      await deps.badge.show(sender.tabId, count);
      return { shown: true };
    },

    async getInterests() {
      const [interests, models] = await Promise.all([
        libraryDb.interests.orderBy('createdAt').toArray(),
        deps.relevance ? deps.relevance.summaries() : Promise.resolve([]),
      ]);
      return { interests, models };
    },

    async setInterests({ interests }) {
      const inputs = interests.map((interest) => ({
        query: interest.query,
        ...(interest.tag !== undefined ? { tag: interest.tag } : {}),
      }));
      return replaceInterests(libraryDb, inputs, now());
    },
  };
}
