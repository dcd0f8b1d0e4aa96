import { useEffect, useMemo, useState, type ReactElement, type RefObject } from 'react';
import type { LibrarySearchIndex } from '../../lib/search/library-search';
import { isEmptyQuery, type ParsedQuery } from '../../lib/search/query';
import type { IndexSearcher, SearchHit } from '../../lib/search/searcher';
import { FIELD_ABSTRACT, FIELD_AUTHORS, FIELD_TITLE } from '../../lib/search/segment';
import type { CanonicalId, SavedPaper } from '../../lib/types';
import { libraryHits as findInLibrary } from '../hooks/use-library-search-index';
import { PaperList, type PaperListHandle } from './PaperList';
import { fromSaved, type ListPaper, type PaperActions } from './types';

export interface SearchViewProps {
  query: ParsedQuery;
  papers: SavedPaper[] | undefined;
  byId: ReadonlyMap<CanonicalId, SavedPaper>;
  dismissed: ReadonlySet<CanonicalId>;
  searcher: IndexSearcher | null;
  /** The library's search dictionary, once built (a scan answers until then). */
  libraryIndex: LibrarySearchIndex | null;
  indexed: number | undefined;
  refreshing: boolean;
  listRef: RefObject<PaperListHandle | null>;
  actions: PaperActions;
  knownTags: readonly string[];
  tagColors: ReadonlyMap<string, string>;
  onLeave: () => void;
}

/** Library hits listed (before the index's). */
const LIBRARY_RESULTS = 200;
/** How long a pause in typing lets the typo-tolerant pass run (it scans every title). */
const FUZZY_DELAY_MS = 180;

function where(fields: number): string | undefined {
  if (fields & (FIELD_TITLE | FIELD_AUTHORS)) return undefined;
  return fields & FIELD_ABSTRACT ? 'in abstract' : undefined;
}

function fromHit(hit: SearchHit, saved: SavedPaper | undefined, dismissed: boolean): ListPaper {
  if (saved) return { ...fromSaved(saved), key: `result:${hit.id}`, ordinal: hit.ordinal };
  const item: ListPaper = {
    key: `result:${hit.id}`,
    id: hit.id,
    title: hit.title,
    authors:
      hit.authors.split(', ').length > 4
        ? `${hit.authors.split(', ').slice(0, 3).join(', ')} et al.`
        : hit.authors,
    origin: 'index',
    ordinal: hit.ordinal,
    dismissed,
  };
  if (hit.year) item.year = String(hit.year);
  const matchedIn = where(hit.fields);
  if (matchedIn) item.matchedIn = matchedIn;
  return item;
}

/** One box over the library and the whole index. */
export function SearchView(props: SearchViewProps): ReactElement {
  const {
    query,
    searcher,
    libraryIndex,
    papers,
    byId,
    dismissed,
    indexed,
    refreshing,
    listRef,
    actions,
    knownTags,
    tagColors,
    onLeave,
  } = props;
  const [fuzzyFor, setFuzzyFor] = useState<{ query: ParsedQuery; hits: SearchHit[] } | null>(null);
  const fuzzy = useMemo(() => (fuzzyFor?.query === query ? fuzzyFor.hits : []), [fuzzyFor, query]);

  const libraryHits = useMemo(
    () =>
      papers && !isEmptyQuery(query)
        ? findInLibrary(libraryIndex, papers, query, LIBRARY_RESULTS)
        : [],
    [libraryIndex, papers, query],
  );
  // `t:` names library tags: with a tag in the query, only the library can answer.
  const indexHits = useMemo(
    () =>
      searcher && query.tags.length === 0 && !isEmptyQuery(query) ? searcher.search(query, 50) : [],
    [searcher, query],
  );

  useEffect(() => {
    if (!searcher || indexHits.length >= 5 || query.tags.length || query.text.length < 4) return;
    // Time-sliced and bounded (lib/search/searcher.ts): typing goes on while it runs, and the next
    // keystroke cancels it.
    const controller = new AbortController();
    const timer = setTimeout(() => {
      searcher.fuzzySliced(query, { limit: 20, signal: controller.signal }).then(
        (hits) => setFuzzyFor({ query, hits }),
        () => undefined, // cancelled by a newer query
      );
    }, FUZZY_DELAY_MS);
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
  }, [searcher, query, indexHits.length]);

  const items = useMemo<ListPaper[]>(() => {
    const seen = new Set<CanonicalId>();
    const list: ListPaper[] = [];
    for (const hit of libraryHits) {
      seen.add(hit.paper.id);
      list.push({ ...fromSaved(hit.paper), key: `result:${hit.paper.id}` });
    }
    for (const hit of [...indexHits, ...fuzzy]) {
      if (seen.has(hit.id)) continue;
      seen.add(hit.id);
      list.push(fromHit(hit, byId.get(hit.id), dismissed.has(hit.id)));
    }
    return list;
  }, [libraryHits, indexHits, fuzzy, byId, dismissed]);

  const status = searcher
    ? `${libraryHits.length} in your library, ${items.length - libraryHits.length} more in the index of ${(indexed ?? searcher.size).toLocaleString()} papers`
    : 'Loading the search index…';

  return (
    <section className="view" aria-label="Search results">
      <p className="muted search-status" role="status">
        {status}
        {refreshing ? ' (updating the search index…)' : ''}
      </p>
      {items.length === 0 ? (
        <div className="empty">
          <p>
            <strong>Nothing matches.</strong> Every word must appear in the title, the authors or
            the abstract; the last word may be unfinished.
          </p>
          <p className="muted">
            Narrow with <code>t:tag</code>, <code>a:author</code>, <code>y:2023</code> or{' '}
            <code>y:2020-2023</code>. Press <kbd>?</kbd> for every shortcut.
          </p>
        </div>
      ) : (
        <PaperList
          ref={listRef}
          label="Search results"
          papers={items}
          actions={actions}
          knownTags={knownTags}
          tagColors={tagColors}
          onLeave={onLeave}
        />
      )}
    </section>
  );
}
