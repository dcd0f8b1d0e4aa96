import {
  useCallback,
  useEffect,
  useMemo,
  useRef,
  useState,
  type KeyboardEvent,
  type ReactElement,
} from 'react';
import { parseQuery } from '../lib/search/query';
import { useIndexSearch } from './hooks/use-index-search';
import { useLibrary } from './hooks/use-library';
import { libraryHits, useLibrarySearchIndex } from './hooks/use-library-search-index';
import { HelpView } from './popup/HelpView';
import { LibraryView } from './popup/LibraryView';
import type { PaperListHandle } from './popup/PaperList';
import { SearchView } from './popup/SearchView';
import { ThisPage } from './popup/ThisPage';
import { usePaperActions } from './popup/use-actions';
import { currentTab } from './runtime';
import { SyncStatus } from './SyncStatus';
import { useTheme } from './use-theme';
import './popup.css';

type View = 'page' | 'library' | 'search';

const VIEWS: { id: View; label: string; key: string }[] = [
  { id: 'page', label: 'This page', key: '1' },
  { id: 'library', label: 'Library', key: '2' },
  { id: 'search', label: 'Search', key: '3' },
];

function isTyping(target: EventTarget | null): boolean {
  return (
    target instanceof HTMLElement && target.matches('input:not([type=checkbox]), textarea, select')
  );
}

/**
 * The popup: a search box (focused on open) over three views — the current tab's papers, the
 * library, and search over library + index. Reads live from the databases; writes by message.
 */
export function Popup(): ReactElement {
  useTheme();
  const library = useLibrary();
  const index = useIndexSearch();
  const libraryIndex = useLibrarySearchIndex(library.papers);
  const [tab, setTab] = useState<{ id: number; url?: string } | null>(null);
  const [view, setView] = useState<View>('page');
  const [text, setText] = useState('');
  const [help, setHelp] = useState(false);
  const searchRef = useRef<HTMLInputElement>(null);
  const listRef = useRef<PaperListHandle | null>(null);
  const { actions, toast, setToast, undo } = usePaperActions(index.db, tab?.id ?? null);

  useEffect(() => {
    // First commit done and the search box has focus (autoFocus): the popup takes typing now.
    performance.mark('paperlight:interactive');
    void currentTab().then(setTab);
  }, []);

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

  // Open on the library when the tab has no papers to show and the library has some.
  const query = useMemo(() => parseQuery(text), [text]);
  const shown: View = text.trim() ? 'search' : view;
  const knownTags = useMemo(() => library.tags.map((tag) => tag.name), [library.tags]);

  useEffect(() => {
    if (!toast) return;
    const timer = setTimeout(() => setToast(null), toast.undo ? 8000 : 4000);
    return () => clearTimeout(timer);
  }, [toast, setToast]);

  const focusSearch = useCallback(() => searchRef.current?.focus(), []);

  const onKeyDown = (event: globalThis.KeyboardEvent): void => {
    if (help) {
      if (event.key === 'Escape' || event.key === '?') {
        event.preventDefault();
        setHelp(false);
        requestAnimationFrame(focusSearch);
      }
      return;
    }
    if (event.altKey && !event.ctrlKey && !event.metaKey) {
      const target = VIEWS.find((item) => item.key === event.key);
      if (target) {
        event.preventDefault();
        setText('');
        setView(target.id);
        return;
      }
    }
    if (
      (event.ctrlKey || event.metaKey) &&
      event.key.toLowerCase() === 'z' &&
      !isTyping(event.target)
    ) {
      event.preventDefault();
      undo();
      return;
    }
    if (isTyping(event.target)) return;
    if (event.key === '/') {
      event.preventDefault();
      focusSearch();
    } else if (event.key === '?') {
      event.preventDefault();
      setHelp(true);
    }
  };

  // On the document, not <main>: after a list empties, focus (and key events) sit on <body>.
  const keyHandler = useRef(onKeyDown);
  useEffect(() => {
    keyHandler.current = onKeyDown;
  });
  useEffect(() => {
    const listener = (event: globalThis.KeyboardEvent): void => keyHandler.current(event);
    document.addEventListener('keydown', listener);
    return () => document.removeEventListener('keydown', listener);
  }, []);

  const onSearchKey = (event: KeyboardEvent<HTMLInputElement>): void => {
    if (event.key === 'ArrowDown') {
      event.preventDefault();
      listRef.current?.focus();
    } else if (event.key === 'Enter') {
      event.preventDefault();
      listRef.current?.focus();
    } else if (event.key === 'Escape') {
      event.preventDefault();
      if (text) setText('');
      else window.close();
    } else if (event.key === '?' && !text) {
      event.preventDefault();
      setHelp(true);
    }
  };

  const common = {
    listRef,
    actions,
    knownTags,
    tagColors: library.tagColors,
    onLeave: focusSearch,
  };

  return (
    <main className="popup">
      <header className="popup-header">
        <h1>Paperlight</h1>
        <div className="search-wrap">
          <label htmlFor="popup-search" className="visually-hidden">
            Search papers
          </label>
          <input
            id="popup-search"
            ref={searchRef}
            className="search"
            type="search"
            autoFocus
            autoComplete="off"
            spellCheck={false}
            placeholder="Search titles, authors, abstracts — t:tag a:author y:2023"
            value={text}
            onChange={(event) => setText(event.target.value)}
            onKeyDown={onSearchKey}
            aria-describedby="search-hint"
          />
          <span id="search-hint" className="visually-hidden">
            Down arrow moves into the results. Press question mark for shortcuts.
          </span>
        </div>
        <nav className="header-links">
          <button
            type="button"
            className="link"
            onClick={() => setHelp(true)}
            aria-label="Keyboard shortcuts (?)"
          >
            ?
          </button>
          <a href="/options.html" target="_blank" rel="noreferrer">
            Options
          </a>
        </nav>
      </header>
      <div className="tabs" role="tablist" aria-label="Views">
        {VIEWS.map((item) => (
          <button
            key={item.id}
            type="button"
            role="tab"
            id={`tab-${item.id}`}
            aria-selected={shown === item.id}
            aria-controls="popup-panel"
            tabIndex={shown === item.id ? 0 : -1}
            onClick={() => {
              setView(item.id);
              if (item.id !== 'search') setText('');
              else focusSearch();
            }}
          >
            {item.label}
            {item.id === 'library' && library.papers ? (
              <span className="count"> {library.papers.length}</span>
            ) : null}
          </button>
        ))}
      </div>
      <div id="popup-panel" role="tabpanel" aria-labelledby={`tab-${shown}`} className="panel">
        {help ? (
          <HelpView
            onClose={() => {
              setHelp(false);
              focusSearch();
            }}
          />
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
    </main>
  );
}
