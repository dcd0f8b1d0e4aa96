import { useEffect, useMemo, useState, type ReactElement, type RefObject } from 'react';
import { parseQuery } from '../../lib/search/query';
import { useIndexSearch } from '../hooks/use-index-search';
import { useLibrary } from '../hooks/use-library';
import { libraryHits, useLibrarySearchIndex } from '../hooks/use-library-search-index';
import { currentTab } from '../runtime';
import { SyncStatus } from '../SyncStatus';
import { HelpView } from './HelpView';
import { LibraryView } from './LibraryView';
import type { PaperListHandle } from './PaperList';
import { SearchView } from './SearchView';
import { ThisPage } from './ThisPage';
import { usePaperActions } from './use-actions';

export type View = 'page' | 'library' | 'search';

/** What the popup's shell (search box, tabs, shortcuts) needs back from its content. */
export interface ContentBridge {
  undo: () => void;
}

export interface PopupContentProps {
  shown: View;
  text: string;
  help: boolean;
  onCloseHelp: () => void;
  listRef: RefObject<PaperListHandle | null>;
  focusSearch: () => void;
  bridgeRef: RefObject<ContentBridge | null>;
  onLibraryCount: (count: number | undefined) => void;
}

/**
 * Everything below the popup's tabs: the databases (Dexie), the views, the toast and the footer.
 * Loaded with React as one chunk after the static shell (components/popup/shell.ts) has run, so
 * opening the popup waits for none of it; typing meanwhile is kept by the shell.
 */
export default function PopupContent(props: PopupContentProps): ReactElement {
  const { shown, text, help, onCloseHelp, listRef, focusSearch, bridgeRef, onLibraryCount } = props;
  const library = useLibrary();
  const index = useIndexSearch();
  const libraryIndex = useLibrarySearchIndex(library.papers);
  const [tab, setTab] = useState<{ id: number; url?: string } | null>(null);
  const { actions, toast, setToast, undo } = usePaperActions(index.db, tab?.id ?? null);

  useEffect(() => {
    performance.mark('paperlight:content-ready');
    void currentTab().then(setTab);
  }, []);
  useEffect(() => {
    bridgeRef.current = { undo };
  }, [bridgeRef, undo]);
  const count = library.papers?.length;
  useEffect(() => onLibraryCount(count), [count, onLibraryCount]);

  // Timings for scripts/bench-popup.mjs (performance marks cost nothing when nobody reads them).
  const libraryReady = library.papers !== undefined;
  useEffect(() => {
    if (libraryReady) performance.mark('paperlight:library-ready');
  }, [libraryReady]);
  useEffect(() => {
    if (!index.searcher) return;
    performance.mark('paperlight:search-ready');
    if (new URLSearchParams(location.search).has('bench')) {
      const searcher = index.searcher;
      const papers = library.papers ?? [];
      (globalThis as { paperlightBench?: unknown }).paperlightBench = {
        libraryIndexed: libraryIndex !== null,
        /** What one keystroke costs in SearchView: parse, library search, index search. */
        search(input: string): number {
          const parsed = parseQuery(input);
          return (
            libraryHits(libraryIndex, papers, parsed, 200).length +
            searcher.search(parsed, 50).length
          );
        },
        /** The same keystroke in parts, to see where its time goes. */
        searchParts(input: string): { library: number; index: number } {
          const started = performance.now();
          const parsed = parseQuery(input);
          libraryHits(libraryIndex, papers, parsed, 200);
          const between = performance.now();
          searcher.search(parsed, 50);
          return { library: between - started, index: performance.now() - between };
        },
        /** The typo-tolerant pass as SearchView runs it: total time and the longest slice. */
        async fuzzy(input: string): Promise<{ total: number; longestSlice: number }> {
          const started = performance.now();
          let sliceStart = started;
          let longestSlice = 0;
          await searcher.fuzzySliced(parseQuery(input), {
            limit: 20,
            yieldToPage: async () => {
              longestSlice = Math.max(longestSlice, performance.now() - sliceStart);
              await new Promise((resolve) => setTimeout(resolve, 0));
              sliceStart = performance.now();
            },
          });
          longestSlice = Math.max(longestSlice, performance.now() - sliceStart);
          return { total: performance.now() - started, longestSlice };
        },
        size: searcher.size,
      };
    }
  }, [index.searcher, library.papers, libraryIndex]);

  const query = useMemo(() => parseQuery(text), [text]);
  const knownTags = useMemo(() => library.tags.map((tag) => tag.name), [library.tags]);

  useEffect(() => {
    if (!toast) return;
    const timer = setTimeout(() => setToast(null), toast.undo ? 8000 : 4000);
    return () => clearTimeout(timer);
  }, [toast, setToast]);

  const common = {
    listRef,
    actions,
    knownTags,
    tagColors: library.tagColors,
    onLeave: focusSearch,
  };

  return (
    <>
      <div id="popup-panel" role="tabpanel" aria-labelledby={`tab-${shown}`} className="panel">
        {help ? (
          <HelpView onClose={onCloseHelp} />
        ) : shown === 'page' ? (
          <ThisPage tab={tab} byId={library.byId} dismissed={library.dismissed} {...common} />
        ) : shown === 'library' ? (
          <LibraryView papers={library.papers} {...common} />
        ) : (
          <SearchView
            query={query}
            papers={library.papers}
            byId={library.byId}
            dismissed={library.dismissed}
            searcher={index.searcher}
            libraryIndex={libraryIndex}
            indexed={index.indexed}
            refreshing={index.refreshing}
            {...common}
          />
        )}
      </div>
      <div className="toast-region" role="status" aria-live="polite">
        {toast && (
          <div className={`toast${toast.error ? ' error' : ''}`}>
            <span>{toast.message}</span>
            {toast.undo && (
              <button type="button" onClick={undo}>
                Undo (Ctrl+Z)
              </button>
            )}
          </div>
        )}
      </div>
      <footer className="popup-footer">
        <SyncStatus />
      </footer>
    </>
  );
}
