/**
 * Parts of the page look-up path (`lookupEntries`, `scoreEntries`) that keep it fast: the page's
 * memory is written after the reply instead of before it, and relevance can follow the matches in
 * a second request instead of holding them up.
 */
import type { PageRecord, PageState } from '../handlers';
import { parseId } from '../ids';
import type { Handlers } from '../messages';
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
