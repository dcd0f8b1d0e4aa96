import { useEffect, useState } from 'react';
import {
  buildLibrarySearchIndex,
  searchLibrary,
  type LibraryHit,
  type LibrarySearchIndex,
} from '../../lib/search/library-search';
import type { ParsedQuery } from '../../lib/search/query';
import type { SavedPaper } from '../../lib/types';

/**
 * The library's word dictionary for search, built in slices after the popup has painted and again
 * (from cached per-paper words) whenever the list changes. `null` until built for this list.
 */
export function useLibrarySearchIndex(
  papers: readonly SavedPaper[] | undefined,
): LibrarySearchIndex | null {
  const [index, setIndex] = useState<LibrarySearchIndex | null>(null);
  useEffect(() => {
    if (!papers) return;
    const controller = new AbortController();
    buildLibrarySearchIndex(papers, { signal: controller.signal }).then(
      (built) => {
        setIndex(built);
        performance.mark('paperlight:library-indexed');
      },
      () => undefined, // aborted: a newer list is being indexed
    );
    return () => controller.abort();
  }, [papers]);
  return index && index.papers === papers ? index : null;
}

/** Library hits from the index when it covers `papers`, else from a scan (same answers, slower). */
export function libraryHits(
  index: LibrarySearchIndex | null,
  papers: readonly SavedPaper[],
  query: ParsedQuery,
  limit = Infinity,
): LibraryHit[] {
  return index && index.papers === papers
    ? index.search(query, limit)
    : searchLibrary(papers, query).slice(0, limit);
}
