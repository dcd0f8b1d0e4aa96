import { useId, useMemo, useState, type ReactElement, type RefObject } from 'react';
import {
  EMPTY_FILTER,
  filterLibrary,
  isFilterActive,
  tagCounts,
  type LibraryFilter,
  type LibrarySort,
} from '../../lib/library/filters';
import { STRONG_SCORE, WEAK_SCORE } from '../../lib/relevance/types';
import type { ReadingStatus, SavedPaper } from '../../lib/types';
import { useLibraryRelevance } from '../hooks/use-library-relevance';
import { PaperList, type PaperListHandle } from './PaperList';
import { fromSaved, STATUS_LABELS, type ListPaper, type PaperActions } from './types';

export interface LibraryViewProps {
  papers: SavedPaper[] | undefined;
  listRef: RefObject<PaperListHandle | null>;
  actions: PaperActions;
  knownTags: readonly string[];
  tagColors: ReadonlyMap<string, string>;
  onLeave: () => void;
}

const SORTS: Record<LibrarySort, string> = {
  'saved-desc': 'Newest saved',
  'saved-asc': 'Oldest saved',
  'published-desc': 'Newest published',
  'published-asc': 'Oldest published',
  title: 'Title',
  relevance: 'Relevance',
};

/** Relevance filter choices: the page badges' thresholds (lib/relevance/types.ts). */
const RELEVANCE_FILTERS: [number, string][] = [
  [0, 'Any'],
  [WEAK_SCORE, 'Relevant'],
  [STRONG_SCORE, 'Strongly relevant'],
];

/**
 * The saved list: filters (tags AND/OR, status, source/venue, dates, relevance), sort, bulk edits.
 * Relevance scores come from the background only while a relevance filter or sort is chosen.
 */
export function LibraryView(props: LibraryViewProps): ReactElement {
  const { papers, listRef, actions, knownTags, tagColors, onLeave } = props;
  const [filter, setFilter] = useState<LibraryFilter>(EMPTY_FILTER);
  const [sort, setSort] = useState<LibrarySort>('saved-desc');
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [bulkTag, setBulkTag] = useState('');
  const ids = {
    status: useId(),
    source: useId(),
    from: useId(),
    to: useId(),
    sort: useId(),
    relevance: useId(),
    bulk: useId(),
  };
  const wantsRelevance = sort === 'relevance' || filter.minRelevance > 0;
  const relevance = useLibraryRelevance(papers, wantsRelevance);

  const filtered = useMemo(
    () => (papers ? filterLibrary(papers, filter, sort, relevance.scores) : []),
    [papers, filter, sort, relevance.scores],
  );
  const items = useMemo<ListPaper[]>(() => filtered.map((paper) => fromSaved(paper)), [filtered]);
  const counts = useMemo(() => tagCounts(papers ?? []), [papers]);
  const chosen = items.filter((item) => selected.has(item.key));
  const update = (patch: Partial<LibraryFilter>): void =>
    setFilter((current) => ({ ...current, ...patch }));
  const toggleTag = (tag: string): void =>
    update({
      tags: filter.tags.includes(tag)
        ? filter.tags.filter((t) => t !== tag)
        : [...filter.tags, tag],
    });

  if (papers === undefined) return <p className="muted view">Loading the library…</p>;
  if (papers.length === 0) {
    return (
      <section className="view empty" aria-label="Library">
        <p>
          <strong>Your library is empty.</strong> Save papers with <kbd>s</kbd> in a list here, the{' '}
          <strong>Save</strong> mark next to papers on arXiv and other sites, or <kbd>Alt</kbd>+
          <kbd>Shift</kbd>+<kbd>S</kbd> on a paper’s page.
        </p>
        <p className="muted">
          Coming from Zotero, PaperMemory or a .bib file? Import it on the{' '}
          <a href="/options.html#library" target="_blank" rel="noreferrer">
            options page
          </a>
          .
        </p>
      </section>
    );
  }

  return (
    <section className="view" aria-label="Library">
      <div className="filters" role="group" aria-label="Filters">
        {counts.size > 0 && (
          <div className="filter-tags" role="group" aria-label="Filter by tag">
            <button
              type="button"
              className="mode"
              title="Whether a paper needs all the chosen tags or any of them"
              onClick={() => update({ tagMode: filter.tagMode === 'and' ? 'or' : 'and' })}
            >
              {filter.tagMode === 'and' ? 'Match all tags' : 'Match any tag'}
            </button>
            {[...counts.entries()]
              .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
              .slice(0, 24)
              .map(([tag, count]) => (
                <button
                  key={tag}
                  type="button"
                  className="tag-chip filter-chip"
                  aria-pressed={filter.tags.includes(tag)}
                  style={{ '--tag': tagColors.get(tag) ?? '#475569' } as React.CSSProperties}
                  onClick={() => toggleTag(tag)}
                >
                  {tag} <span className="count">{count}</span>
                </button>
              ))}
          </div>
        )}
        <div className="filter-row">
          <label htmlFor={ids.status}>Status</label>
          <select
            id={ids.status}
            value={filter.statuses[0] ?? ''}
            onChange={(event) =>
              update({ statuses: event.target.value ? [event.target.value as ReadingStatus] : [] })
            }
          >
            <option value="">Any</option>
            {(Object.keys(STATUS_LABELS) as ReadingStatus[]).map((status) => (
              <option key={status} value={status}>
                {STATUS_LABELS[status]}
              </option>
            ))}
          </select>
          <label htmlFor={ids.source}>Source</label>
          <input
            id={ids.source}
            className="short"
            placeholder="arxiv, ICLR…"
            value={filter.source}
            onChange={(event) => update({ source: event.target.value })}
          />
          <label htmlFor={ids.from}>From</label>
          <input
            id={ids.from}
            className="year"
            placeholder="2020"
            inputMode="numeric"
            value={filter.from}
            onChange={(event) => update({ from: event.target.value.trim() })}
          />
          <label htmlFor={ids.to}>To</label>
          <input
            id={ids.to}
            className="year"
            placeholder="2024"
            inputMode="numeric"
            value={filter.to}
            onChange={(event) => update({ to: event.target.value.trim() })}
          />
          <label htmlFor={ids.relevance}>Relevance</label>
          <select
            id={ids.relevance}
            value={String(filter.minRelevance)}
            onChange={(event) => update({ minRelevance: Number(event.target.value) })}
          >
            {RELEVANCE_FILTERS.map(([value, label]) => (
              <option key={value} value={String(value)}>
                {label}
              </option>
            ))}
          </select>
          <label htmlFor={ids.sort}>Sort</label>
          <select
            id={ids.sort}
            value={sort}
            onChange={(event) => setSort(event.target.value as LibrarySort)}
          >
            {(Object.keys(SORTS) as LibrarySort[]).map((key) => (
              <option key={key} value={key}>
                {SORTS[key]}
              </option>
            ))}
          </select>
          {isFilterActive(filter) && (
            <button type="button" onClick={() => setFilter(EMPTY_FILTER)}>
              Clear filters
            </button>
          )}
        </div>
        <div className="bulk-row" role="group" aria-label="Selection">
          <label>
            <input
              type="checkbox"
              checked={items.length > 0 && chosen.length === items.length}
              onChange={(event) =>
                setSelected(
                  event.target.checked ? new Set(items.map((item) => item.key)) : new Set(),
                )
              }
            />{' '}
            {chosen.length ? `${chosen.length} selected` : `Select all ${items.length}`}
          </label>
          {chosen.length > 0 && (
            <>
              <label htmlFor={ids.bulk} className="visually-hidden">
                Tag for the selected papers
              </label>
              <input
                id={ids.bulk}
                className="short"
                placeholder="tag"
                list={`${ids.bulk}-tags`}
                value={bulkTag}
                onChange={(event) => setBulkTag(event.target.value)}
              />
              <datalist id={`${ids.bulk}-tags`}>
                {knownTags.map((tag) => (
                  <option key={tag} value={tag} />
                ))}
              </datalist>
              <button
                type="button"
                disabled={!bulkTag.trim()}
                onClick={() => actions.addTag(chosen, bulkTag.trim())}
              >
                Tag
              </button>
              <button
                type="button"
                disabled={!bulkTag.trim()}
                onClick={() => actions.removeTag(chosen, bulkTag.trim())}
              >
                Untag
              </button>
              <button type="button" onClick={() => actions.setStatus(chosen, 'read')}>
                Mark read
              </button>
              <button
                type="button"
                className="danger"
                onClick={() => {
                  actions.remove(chosen);
                  setSelected(new Set());
                }}
              >
                Delete
              </button>
            </>
          )}
          <span className="muted count-line" role="status">
            {wantsRelevance && relevance.scoring
              ? 'Scoring relevance… '
              : wantsRelevance && relevance.unavailable
                ? 'No relevance yet: tag saved papers or state interests (options). '
                : ''}
            {filtered.length} of {papers.length}
          </span>
        </div>
      </div>
      {items.length === 0 ? (
        <div className="empty">
          <p>No saved paper matches these filters.</p>
          <button type="button" onClick={() => setFilter(EMPTY_FILTER)}>
            Clear filters
          </button>
        </div>
      ) : (
        <PaperList
          ref={listRef}
          label="Saved papers"
          papers={items}
          actions={actions}
          knownTags={knownTags}
          tagColors={tagColors}
          selectable
          selected={selected}
          onSelect={(keys, value) =>
            setSelected((current) => {
              const next = new Set(current);
              for (const key of keys) {
                if (value) next.add(key);
                else next.delete(key);
              }
              return next;
            })
          }
          onLeave={onLeave}
        />
      )}
    </section>
  );
}
