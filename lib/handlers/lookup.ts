/**
 * Parts of the page look-up path (`lookupEntries`, `scoreEntries`) that keep it fast: the page's
 * memory is written after the reply instead of before it, and relevance can follow the matches in
 * a second request instead of holding them up.
 */
import type { PageRecord, PageState } from '../handlers';
import { parseId } from '../ids';
import type { MatchQuery } from '../match';
import { requestSchemas, type Handlers } from '../messages';
import type { Mark } from '../timeline';
import type { CanonicalId } from '../types';
import { scorePageEntries, type RelevanceHandlerDeps } from './relevance';

/**
 * How long a `lookupEntries` asking for `separate` relevance waits for the model before leaving the
 * scores to `scoreEntries`: long enough for a warm model's freshness check (a few small reads), far
 * shorter than a cold model's load.
 */
export const WARM_RELEVANCE_MS = 40;

/**
 * How long a `scoreEntries` request waits for a cold relevance model. The page already shows its
 * matches; this only bounds how long it waits for the scores before giving up on them.
 */
export const SCORE_BUDGET_MS = 20_000;

/**
 * Page memory whose writes may be left running: writes for a tab apply in order, and reading a
 * tab's memory waits for its writes in flight, so "Save" right after the badges appear still finds
 * the paper. (Writing 2,000 records to storage.session costs tens of ms a page need not wait for.)
 */
export function orderedPageMemory(state: PageState): PageState {
  const writing = new Map<number, Promise<void>>();
  return {
    remember(tabId, records: PageRecord[]) {
      const previous = writing.get(tabId) ?? Promise.resolve();
      const next = previous.catch(() => undefined).then(() => state.remember(tabId, records));
      const tracked = next.finally(() => {
        if (writing.get(tabId) === tracked) writing.delete(tabId);
      });
      writing.set(tabId, tracked);
      return next;
    },
    async recall(tabId, id: CanonicalId) {
      await writing.get(tabId)?.catch(() => undefined);
      return state.recall(tabId, id);
    },
  };
}

/** A page's entries as matcher queries: ids the page gave that do not parse are left out. */
export function matchQueries(
  entries: readonly { ref: number; title: string; ids: readonly string[] }[],
): MatchQuery[] {
  return entries.map(({ ref, title, ids }) => ({
    ref,
    title,
    ids: ids.map((raw) => parseId(raw)).filter((value): value is CanonicalId => value !== null),
  }));
}

/** The made-up page that warms the look-up path: entries, and validations / matches of it. */
const WARM_ENTRIES = 64;
const WARM_VALIDATIONS = 16;
const WARM_MATCHES = 8;

/**
 * Validates and matches a small made-up page a few times, so that a worker that just started
 * has run that code before the page's look-up arrives: code V8 has not seen run is interpreted,
 * and a cold worker's first 2,000-entry look-up spent 25–150 ms validating and 30–110 ms matching
 * its ids (2 ms warm). `prepareLookup` calls it once the look-up structures are in, while the page
 * is still loading. The entries' titles are too short to be matched by title, so this stays cheap
 * (no fuzzy matching) whatever the index holds.
 */
export async function warmLookupPath(
  match: (queries: MatchQuery[]) => Promise<unknown>,
): Promise<void> {
  const entries = Array.from({ length: WARM_ENTRIES }, (_, ref) => ({
    ref,
    title: `Entry ${ref}`,
    ids: [`arXiv:0704.${String(ref + 1).padStart(4, '0')}`],
    authors: ['A. Author', 'B. Author'],
  }));
  for (let run = 0; run < WARM_VALIDATIONS; run += 1) {
    requestSchemas.lookupEntries.safeParse({ entries, relevance: 'separate' });
  }
  const queries = matchQueries(entries);
  for (let run = 0; run < WARM_MATCHES; run += 1) await match(queries);
}

/**
 * Whether this worker's relevance model has answered once. Until then a look-up does not even
 * start it: loading a model runs on the worker's only thread, so a budget timer would fire only
 * after the load's first long slice, and the page's badges would wait for it after all.
 */
export interface RelevanceWarmth {
  warm: boolean;
}

/** `scoreEntries`: relevance for entries a `lookupEntries` answered with `relevancePending`. */
export function createScoreHandler(
  deps: RelevanceHandlerDeps,
  warmth: RelevanceWarmth,
  mark?: Mark,
): Pick<Handlers, 'scoreEntries'> {
  return {
    async scoreEntries({ entries }, sender) {
      mark?.('worker:scoreEntries');
      const items = entries.map(({ id: rawId, ...entry }) => {
        // The ids come from the page; scoring by an id reveals no more than looking it up does.
        const id = rawId === undefined ? null : parseId(rawId);
        return id ? { entry, id } : { entry };
      });
      const scores = await scorePageEntries(deps, items, sender, SCORE_BUDGET_MS);
      if (scores) warmth.warm = true;
      mark?.('worker:scored');
      return {
        scores: scores ? [...scores].map(([ref, relevance]) => ({ ref, relevance })) : [],
      };
    },
  };
}
