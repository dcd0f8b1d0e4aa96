import { useEffect, useState } from 'react';
import type { PageEntry } from '../../lib/messages';
import { LIBRARY_COLOR, type EntryRelevance } from '../../lib/relevance/types';
import type { CanonicalId, SavedPaper } from '../../lib/types';
import { callBackground } from '../runtime';

/** Papers per `scoreEntries` request: one request and its reply stay small. */
const CHUNK = 500;
const COLD_RETRIES = 2;
const COLD_RETRY_MS = 1000;

export interface LibraryRelevance {
  /** Relevance score (0–1) per saved paper; absent while scoring or without any signal. */
  scores: ReadonlyMap<CanonicalId, number>;
  /** Scoring is under way (the first time, or after the library changed). */
  scoring: boolean;
  /** Scored, but relevance had nothing to go on (no tagged papers, no stated interests). */
  unavailable: boolean;
}

/**
 * A saved paper's relevance: its best score from a tag's model or a stated interest. The model of
 * the library as a whole is left out: it is trained on the saved papers themselves, so it rates
 * every one of them close to 1 and would only add noise to the order.
 */
function libraryScore(relevance: EntryRelevance): number {
  let best = 0;
  for (const score of relevance.tags) {
    const wholeLibrary = score.tag === undefined && score.color === LIBRARY_COLOR;
    if (!wholeLibrary && score.score > best) best = score.score;
  }
  return best;
}

function entryOf(paper: SavedPaper, ref: number): PageEntry & { id: string } {
  const entry: PageEntry & { id: string } = {
    ref,
    id: paper.id,
    title: paper.snapshot.title.slice(0, 2000),
    ids: [],
    authors: paper.snapshot.authors.slice(0, 200).map((author) => author.slice(0, 500)),
  };
  if (paper.snapshot.abstract) entry.abstract = paper.snapshot.abstract.slice(0, 20_000);
  return entry;
}

/**
 * Relevance scores of the saved papers, from the background's relevance engine through the same
 * `scoreEntries` message pages use (no matching, no page sightings; it waits for a cold model),
 * asked for only while a relevance sort or filter is chosen.
 */
export function useLibraryRelevance(
  papers: readonly SavedPaper[] | undefined,
  enabled: boolean,
): LibraryRelevance {
  const [state, setState] = useState<{
    for: readonly SavedPaper[] | null;
    scores: ReadonlyMap<CanonicalId, number>;
    unavailable: boolean;
  }>({ for: null, scores: new Map(), unavailable: false });
  useEffect(() => {
    if (!enabled || !papers) return;
    let cancelled = false;
    const scoreAll = async (): Promise<Map<CanonicalId, number>> => {
      const scores = new Map<CanonicalId, number>();
      for (let start = 0; start < papers.length && !cancelled; start += CHUNK) {
        const chunk = papers.slice(start, start + CHUNK);
        const reply = await callBackground('scoreEntries', {
          entries: chunk.map((paper, index) => entryOf(paper, index)),
        });
        for (const { ref, relevance } of reply.scores) {
          const paper = chunk[ref];
          if (paper) scores.set(paper.id, libraryScore(relevance));
        }
      }
      return scores;
    };
    void (async () => {
      // No scores can also mean a model still loading past the request's budget: ask again a few
      // times before saying relevance has nothing to go on.
      let scores = await scoreAll();
      for (
        let attempt = 0;
        attempt < COLD_RETRIES && scores.size === 0 && !cancelled;
        attempt += 1
      ) {
        await new Promise((resolve) => setTimeout(resolve, COLD_RETRY_MS));
        if (!cancelled) scores = await scoreAll();
      }
      if (!cancelled) setState({ for: papers, scores, unavailable: scores.size === 0 });
    })().catch((error: unknown) => {
      console.warn('Paperlight: relevance scores failed', error);
      if (!cancelled) setState({ for: papers, scores: new Map(), unavailable: true });
    });
    return () => {
      cancelled = true;
    };
  }, [papers, enabled]);
  // Until the current list is scored, the previous list's scores stand in.
  return {
    scores: state.scores,
    scoring: enabled && papers !== undefined && state.for !== papers,
    unavailable: state.unavailable,
  };
}
