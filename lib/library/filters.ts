/**
 * Library view filters and sorting, pure so the popup and tests share them.
 */
import { idKind } from '../ids';
import type { CanonicalId, ReadingStatus, SavedPaper } from '../types';

export type TagMode = 'and' | 'or';
export type LibrarySort =
  'saved-desc' | 'saved-asc' | 'published-desc' | 'published-asc' | 'title' | 'relevance';

export interface LibraryFilter {
  tags: string[];
  tagMode: TagMode;
  /** Empty = any status. */
  statuses: ReadingStatus[];
  /** Matches the venue or the source kind (`arxiv`, `openreview`, `doi`, `local`, …), case-insensitively. */
  source: string;
  /** Inclusive ISO date bounds on the publication date (`2023`, `2023-06`, `2023-06-01`). */
  from: string;
  to: string;
  /** Minimum relevance score (0–1); 0 = no filter. */
  minRelevance: number;
}

export const EMPTY_FILTER: LibraryFilter = {
  tags: [],
  tagMode: 'and',
  statuses: [],
  source: '',
  from: '',
  to: '',
  minRelevance: 0,
};

export function isFilterActive(filter: LibraryFilter): boolean {
  return (
    filter.tags.length > 0 ||
    filter.statuses.length > 0 ||
    filter.source.trim() !== '' ||
    filter.from !== '' ||
    filter.to !== '' ||
    filter.minRelevance > 0
  );
}

/** The source kind of a saved paper: its id's kind, or `local` for papers only a file named. */
export function sourceKind(id: CanonicalId): string {
  return idKind(id) ?? (id.startsWith('local:') ? 'local' : 'other');
}

/** `to` bounds are inclusive of their whole period: `to = 2023` keeps `2023-12-31`. */
function withinDates(published: string | undefined, from: string, to: string): boolean {
  if (!from && !to) return true;
  if (!published) return false;
  if (from && published.slice(0, from.length) < from) return false;
  if (to && published.slice(0, to.length) > to) return false;
  return true;
}

export function matchesFilter(
  paper: SavedPaper,
  filter: LibraryFilter,
  relevance?: ReadonlyMap<CanonicalId, number>,
): boolean {
  if (filter.tags.length) {
    const has = (tag: string): boolean => paper.tags.includes(tag);
    if (filter.tagMode === 'and' ? !filter.tags.every(has) : !filter.tags.some(has)) return false;
  }
  if (filter.statuses.length && !filter.statuses.includes(paper.status)) return false;
  const source = filter.source.trim().toLowerCase();
  if (source) {
    const venue = paper.snapshot.venue?.toLowerCase() ?? '';
    const categories = (paper.snapshot.categories ?? []).map((category) => category.toLowerCase());
    if (
      sourceKind(paper.id) !== source &&
      !venue.includes(source) &&
      !categories.includes(source)
    ) {
      return false;
    }
  }
  if (!withinDates(paper.snapshot.published, filter.from, filter.to)) return false;
  if (filter.minRelevance > 0 && (relevance?.get(paper.id) ?? 0) < filter.minRelevance)
    return false;
  return true;
}

function compareText(a: string, b: string): number {
  return a.localeCompare(b, undefined, { sensitivity: 'base' });
}

export function sortPapers(
  papers: SavedPaper[],
  sort: LibrarySort,
  relevance?: ReadonlyMap<CanonicalId, number>,
): SavedPaper[] {
  const byId = (a: SavedPaper, b: SavedPaper): number => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
  const published = (paper: SavedPaper): string => paper.snapshot.published ?? '';
  const compare: Record<LibrarySort, (a: SavedPaper, b: SavedPaper) => number> = {
    'saved-desc': (a, b) => b.savedAt - a.savedAt || byId(a, b),
    'saved-asc': (a, b) => a.savedAt - b.savedAt || byId(a, b),
    'published-desc': (a, b) => compareText(published(b), published(a)) || b.savedAt - a.savedAt,
    'published-asc': (a, b) => compareText(published(a), published(b)) || a.savedAt - b.savedAt,
    title: (a, b) => compareText(a.snapshot.title, b.snapshot.title) || byId(a, b),
    relevance: (a, b) =>
      (relevance?.get(b.id) ?? 0) - (relevance?.get(a.id) ?? 0) || b.savedAt - a.savedAt,
  };
  return papers.sort(compare[sort]);
}

export function filterLibrary(
  papers: readonly SavedPaper[],
  filter: LibraryFilter,
  sort: LibrarySort,
  relevance?: ReadonlyMap<CanonicalId, number>,
): SavedPaper[] {
  return sortPapers(
    papers.filter((paper) => matchesFilter(paper, filter, relevance)),
    sort,
    relevance,
  );
}

/** Counts of each tag over a set of papers (for the filter chips). */
export function tagCounts(papers: readonly SavedPaper[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const paper of papers)
    for (const tag of paper.tags) counts.set(tag, (counts.get(tag) ?? 0) + 1);
  return counts;
}
