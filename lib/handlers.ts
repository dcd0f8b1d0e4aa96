/**
 * The background's message handlers. Dependencies are injected so this runs in Node tests.
 */
import type { IndexDatabase, LibraryDatabase } from './db';
import { createLibraryHandlers, type LibraryHandlerDeps } from './handlers/library';
import { createImportHandlers } from './handlers/import';
import {
  createScoreHandler,
  matchQueries,
  orderedPageMemory,
  warmLookupPath,
  WARM_RELEVANCE_MS,
  type RelevanceWarmth,
} from './handlers/lookup';
import {
  addRelevance,
  createRelevanceHandlers,
  relevanceShownTo,
  type RelevanceHandlerDeps,
} from './handlers/relevance';
import { createSiteAccessHandlers } from './handlers/site-access';
import { createSyncHandlers, pageSightings } from './handlers/sync';
import { parseId } from './ids';
import type { HealthLog } from './index-health';
import { countPapers, getPaper, getPapers, loadMatchSource, matchPapers } from './index-store';
import { savePaper, snapshotOf, unsavePaper } from './library';
import type { EntryAnnotation, Handlers, PageEntry, ValidSender } from './messages';
import { cleanTitle } from './normalize';
import { savedIdCache, type SavedIds } from './saved-ids';
import type { Mark } from './timeline';
import type { SiteAccessPort } from './site-access';
import { canonicalIds, type SyncService } from './sync/service';
import type { CanonicalId, PaperSnapshot } from './types';

/** What a tab's page showed of each paper, so saves from that page use only that page's papers. */
export interface PageRecord {
  id: CanonicalId;
  snapshot: PaperSnapshot;
}

/** Per-tab memory of the papers a page showed (browser.storage.session in the extension). */
export interface PageState {
  remember(tabId: number, records: PageRecord[]): Promise<void>;
  recall(tabId: number, id: CanonicalId): Promise<PageRecord | undefined>;
}

export interface HandlerDeps extends Omit<LibraryHandlerDeps, 'indexDb' | 'libraryDb'> {
  indexDb: IndexDatabase;
  libraryDb: LibraryDatabase;
  pageState: PageState;
  /** Relevance scoring (lib/relevance); look-ups carry no relevance without it. */
  relevance?: RelevanceHandlerDeps['relevance'];
  /** The toolbar badge of a tab, for the count of relevant papers on its page. */
  badge?: RelevanceHandlerDeps['badge'];
  /** browser.permissions + browser.scripting for "Annotate this site"; absent in tests. */
  siteAccess?: SiteAccessPort;
  /** The abstract-index sync (lib/sync/service.ts); absent in tests that don't need it. */
  sync?: SyncService;
  /** Index failures the background recovered from (lib/index-health.ts), shown by the options page. */
  health?: HealthLog;
  /** Which papers are saved, kept in memory (lib/saved-ids.ts); made from `libraryDb` if absent. */
  savedIds?: SavedIds;
  /** Moments of the page look-up path, for the bench's timeline (lib/timeline.ts); bench builds only. */
  mark?: Mark;
}

function snapshotFromEntry(entry: PageEntry): PaperSnapshot {
  const snapshot: PaperSnapshot = { title: cleanTitle(entry.title), authors: entry.authors ?? [] };
  if (entry.abstract) snapshot.abstract = entry.abstract;
  return snapshot;
}

async function requirePagePaper(
  deps: HandlerDeps,
  sender: ValidSender,
  id: CanonicalId,
): Promise<PageRecord | undefined> {
  if (sender.kind === 'extension') return undefined;
  const record = await deps.pageState.recall(sender.tabId, id);
  if (!record) throw new Error('That paper is not on this page.');
  return record;
}

export function createHandlers(input: HandlerDeps): Handlers {
  // Look-ups write the page's memory after replying; everything that reads it waits for that.
  const deps: HandlerDeps = { ...input, pageState: orderedPageMemory(input.pageState) };
  const { indexDb, libraryDb } = deps;
  const savedIds = deps.savedIds ?? savedIdCache(libraryDb);
  const relevanceWarmth: RelevanceWarmth = { warm: false };
  const { mark } = deps;
  let warming: Promise<void> | null = null;
  return {
    ...createSiteAccessHandlers(deps.siteAccess),
    ...createLibraryHandlers(deps),
    ...createRelevanceHandlers(deps),
    ...createScoreHandler(deps, relevanceWarmth, mark),
    ...createImportHandlers(indexDb),
    ...createSyncHandlers(deps.sync),
    prepareLookup() {
      mark?.('worker:prepareLookup');
      // Not awaited: the page finds its entries while the look-up structures and saved ids load.
      void loadMatchSource(indexDb, true)
        .then(() => {
          mark?.('worker:matchSourceLoaded');
          // Once per worker start (see warmLookupPath); a failure only leaves the path cold.
          warming ??= warmLookupPath((queries) => matchPapers(indexDb, queries)).then(() =>
            mark?.('worker:warmed'),
          );
          return warming;
        })
        .catch(() => undefined);
      void savedIds
        .among([])
        .then(() => mark?.('worker:savedIdsLoaded'))
        .catch(() => undefined);
      return Promise.resolve({ preparing: true as const });
    },
    async lookupEntries({ entries, relevance: relevanceMode }, sender) {
      mark?.('worker:lookupEntries');
      // The saved ids load (on a cold start) while the look-up structures do, and the settings a
      // page's reply depends on are read meanwhile (one read, not one per use after matching).
      void savedIds.among([]).catch(() => undefined);
      const settingsRead = sender.kind === 'page' ? deps.settings?.get() : undefined;
      settingsRead?.catch(() => undefined);
      const queries = matchQueries(entries);
      // Entries whose abstract the page keeps back until `noteAbstracts`.
      const keptBack = new Set(
        entries.flatMap((entry) => (entry.hasAbstract && !entry.abstract ? [entry.ref] : [])),
      );
      mark?.('worker:queries');
      const results = await matchPapers(indexDb, queries);
      mark?.('worker:matched');
      // A page's own scripts can read our marks, so "saved" reaches pages only if the user allows it.
      const settings = await settingsRead;
      const hideSaved = settings !== undefined && !settings.showBadgesOnPages;
      const saved = hideSaved
        ? new Set<CanonicalId>()
        : await savedIds.among(results.flatMap((result) => (result.id ? [result.id] : [])));
      mark?.('worker:saved');
      const byRef = new Map(entries.map((entry) => [entry.ref, entry]));
      const records: PageRecord[] = [];
      const annotations: EntryAnnotation[] = results.map((result) => {
        const entry = byRef.get(result.ref);
        // What the page showed; a save prefers the index's record (read then, not per look-up).
        if (result.id && entry) records.push({ id: result.id, snapshot: snapshotFromEntry(entry) });
        return { ...result, saved: result.id ? saved.has(result.id) : false };
      });
      if (sender.kind === 'page') {
        void deps.pageState
          .remember(sender.tabId, records)
          .catch((error: unknown) => console.warn('Paperlight page memory:', error));
      }
      mark?.('worker:annotations');
      let relevancePending = false;
      if (relevanceMode !== 'separate') {
        if (await addRelevance(deps, entries, annotations, sender)) relevanceWarmth.warm = true;
      } else if (await relevanceShownTo(deps, sender, settings)) {
        // A warm model scores in the reply; a cold one (loading after a worker start) is left to
        // the page's `scoreEntries` request instead of holding up its badges. So is a paper the
        // index lacks whose abstract the page kept back: it is scored on that abstract.
        const scoredNow = annotations.filter((item) => item.matched || !keptBack.has(item.ref));
        relevancePending =
          !relevanceWarmth.warm ||
          !(await addRelevance(deps, entries, scoredNow, sender, WARM_RELEVANCE_MS)) ||
          scoredNow.length < annotations.length;
      }
      // Not awaited: abstracts the page showed, and look-ups of unknown papers, follow the reply.
      // Entries whose abstract the page keeps back are neither: `noteAbstracts` brings it.
      void deps.sync
        ?.notePageSightings(
          pageSightings(
            entries.filter((entry) => !keptBack.has(entry.ref)),
            queries,
            results,
          ),
          sender.kind === 'page' ? sender.url : undefined,
        )
        .catch((error: unknown) => console.warn('Paperlight sync:', error));
      mark?.('worker:lookupAnswered');
      return relevancePending ? { annotations, relevancePending } : { annotations };
    },

    async abstractsWanted({ entries }) {
      const firstIds = entries.flatMap(({ ref, ids }) => {
        const [id] = canonicalIds(ids);
        return id ? [{ ref, id }] : [];
      });
      // What the sync would take from the page: a paper it lacks, or the abstract a paper lacks.
      const known = await getPapers(
        indexDb,
        firstIds.map(({ id }) => id),
      );
      return {
        refs: firstIds.filter(({ id }) => !known.get(id)?.abstract).map(({ ref }) => ref),
      };
    },

    async noteAbstracts({ entries }, sender) {
      const queries = matchQueries(entries);
      const records: PageRecord[] = [];
      entries.forEach((entry, index) => {
        const id = queries[index]?.ids[0];
        if (id) records.push({ id, snapshot: snapshotFromEntry(entry) });
      });
      // A save from the page of a paper the index lacks keeps the abstract the page showed.
      if (sender.kind === 'page') await deps.pageState.remember(sender.tabId, records);
      await deps.sync?.notePageSightings(
        pageSightings(entries, queries, []),
        sender.kind === 'page' ? sender.url : undefined,
      );
      return { noted: records.length };
    },

    async savePaper({ id: rawId }, sender) {
      const id = parseId(rawId);
      if (!id) throw new Error('Not a paper id.');
      const fromPage = await requirePagePaper(deps, sender, id);
      const indexed = await getPaper(indexDb, id);
      const snapshot = indexed ? snapshotOf(indexed) : fromPage?.snapshot;
      if (!snapshot) throw new Error('Paperlight knows nothing about this paper yet.');
      return { saved: await savePaper(libraryDb, id, snapshot) };
    },

    async unsavePaper({ id: rawId }, sender) {
      const id = parseId(rawId);
      if (!id) throw new Error('Not a paper id.');
      await requirePagePaper(deps, sender, id);
      // A page can trick a click onto our badge; it may undo a bare save, never erase the user's work.
      if (sender.kind === 'page') {
        const saved = await libraryDb.saved.get(id);
        if (
          saved &&
          (saved.tags.length > 0 || saved.note.trim() !== '' || saved.status !== 'to-read')
        ) {
          throw new Error(
            'This paper has your tags, note or reading status: remove it from the Paperlight popup, where it can be undone.',
          );
        }
      }
      return { removed: (await unsavePaper(libraryDb, id)) !== undefined };
    },

    async getPaper({ id: rawId }, sender) {
      const id = parseId(rawId);
      if (!id) throw new Error('Not a paper id.');
      await requirePagePaper(deps, sender, id);
      const [paper, saved] = await Promise.all([getPaper(indexDb, id), libraryDb.saved.get(id)]);
      return { paper: paper ?? null, saved: saved ?? null };
    },

    async getHealthEvents() {
      return { events: (await deps.health?.list()) ?? [] };
    },

    async clearHealthEvents() {
      await deps.health?.clear();
      return { cleared: true };
    },

    async getIndexStats() {
      const [papers, saved] = await Promise.all([countPapers(indexDb), libraryDb.saved.count()]);
      return { papers, saved };
    },
  };
}
