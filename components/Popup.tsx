import {
  lazy,
  Suspense,
  useCallback,
  useEffect,
  useRef,
  useState,
  type KeyboardEvent,
  type ReactElement,
} from 'react';
import type { PaperListHandle } from './popup/PaperList';
import type { ContentBridge, View } from './popup/PopupContent';
import { useTheme } from './use-theme';
import './popup.css';

// The views and the databases load after the shell's first paint (see PopupContent).
const PopupContent = lazy(() => import('./popup/PopupContent'));

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
  const [view, setView] = useState<View>('page');
  const [text, setText] = useState('');
  const [help, setHelp] = useState(false);
  const [libraryCount, setLibraryCount] = useState<number | undefined>(undefined);
  const searchRef = useRef<HTMLInputElement>(null);
  const listRef = useRef<PaperListHandle | null>(null);
  const bridgeRef = useRef<ContentBridge | null>(null);
  const undo = useCallback(() => bridgeRef.current?.undo(), []);

  useEffect(() => {
    // First commit done and the search box has focus (autoFocus): the popup takes typing now.
    performance.mark('paperlight:interactive');
  }, []);

  const shown: View = text.trim() ? 'search' : view;

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
            {item.id === 'library' && libraryCount !== undefined ? (
              <span className="count"> {libraryCount}</span>
            ) : null}
          </button>
        ))}
      </div>
      <Suspense
        fallback={
          <div id="popup-panel" role="tabpanel" className="panel">
            <p className="muted view">Loading…</p>
          </div>
        }
      >
        <PopupContent
          shown={shown}
          text={text}
          help={help}
          onCloseHelp={() => {
            setHelp(false);
            focusSearch();
          }}
          listRef={listRef}
          focusSearch={focusSearch}
          bridgeRef={bridgeRef}
          onLibraryCount={setLibraryCount}
        />
      </Suspense>
    </main>
  );
}
