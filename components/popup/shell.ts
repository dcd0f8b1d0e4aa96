import type { View } from './PopupContent';

/**
 * The popup's shell without React: the search box, the tab bar and the keyboard shortcuts are static
 * HTML (entrypoints/popup/index.html) driven from here, so the popup is painted with the box focused
 * and takes typing before React (~190 kB) has been evaluated. The input stays outside React's root
 * and is never re-rendered: every character and the caret stay where the user put them. React reads
 * the state through `subscribe`/`getState` (useSyncExternalStore) and hands back what only the views
 * can do (`connect`).
 */

export interface ShellState {
  /** What is in the search box. */
  text: string;
  /** The chosen tab; the search view shows instead while the box has text (see `shownView`). */
  view: View;
  help: boolean;
}

/** What the views give the shell once they are loaded. */
export interface ShellContent {
  /** Enter or ↓ in the search box: into the list of results. */
  focusList(): void;
  /** Ctrl+Z outside a text field. */
  undo(): void;
}

/** Plain functions (no `this`): React passes them around as callbacks. */
export interface PopupShell {
  getState: () => ShellState;
  subscribe: (listener: () => void) => () => void;
  setHelp: (open: boolean) => void;
  setLibraryCount: (count: number | undefined) => void;
  focusSearch: () => void;
  /** The views are up (or gone, with null); keys that need them do nothing before. */
  connect: (content: ShellContent | null) => void;
}

declare global {
  interface Window {
    /** Started by entrypoints/popup-boot.ts before any module script; React picks it up. */
    paperlightShell?: PopupShell;
  }
}

export const VIEW_KEYS: Record<string, View> = { '1': 'page', '2': 'library', '3': 'search' };

export function shownView(state: ShellState): View {
  return state.text.trim() ? 'search' : state.view;
}

function isTyping(target: EventTarget | null): boolean {
  return (
    target instanceof HTMLElement && target.matches('input:not([type=checkbox]), textarea, select')
  );
}

function isView(value: string | undefined): value is View {
  return value === 'page' || value === 'library' || value === 'search';
}

/** Wires the static shell in `doc`; throws if the markup is not there (a build error, not a state). */
export function startPopupShell(doc: Document): PopupShell {
  const input = doc.getElementById('popup-search');
  if (!(input instanceof HTMLInputElement)) throw new Error('popup.html has no #popup-search');
  const tabs = [...doc.querySelectorAll<HTMLButtonElement>('[role="tab"][data-view]')];
  const count = doc.querySelector<HTMLElement>('#tab-library .count');
  const listeners = new Set<() => void>();
  let content: ShellContent | null = null;
  // Whatever was typed between the box's parse (autofocus) and this script counts.
  let state: ShellState = { text: input.value, view: 'page', help: false };

  const render = (): void => {
    const shown = shownView(state);
    for (const tab of tabs) {
      const selected = tab.dataset.view === shown;
      tab.setAttribute('aria-selected', String(selected));
      tab.tabIndex = selected ? 0 : -1;
    }
    // Until React replaces it, the "Loading…" panel is labelled by the tab it stands for.
    if (!content)
      doc.getElementById('popup-panel')?.setAttribute('aria-labelledby', `tab-${shown}`);
  };
  const update = (next: Partial<ShellState>): void => {
    state = { ...state, ...next };
    render();
    for (const listener of listeners) listener();
  };
  const setText = (text: string): void => {
    if (input.value !== text) input.value = text;
    if (state.text !== text) update({ text });
  };
  const focusSearch = (): void => input.focus();

  const onSearchKey = (event: KeyboardEvent): void => {
    if (event.key === 'ArrowDown' || event.key === 'Enter') {
      event.preventDefault();
      content?.focusList();
    } else if (event.key === 'Escape') {
      event.preventDefault();
      if (state.text) setText('');
      else window.close();
    } else if (event.key === '?' && !state.text) {
      event.preventDefault();
      update({ help: true });
    }
  };

  // On the document: after a list empties, focus (and key events) sit on <body>. The views' own
  // handlers sit on React's root, inside, so they run first and may stop an event from coming here.
  doc.addEventListener('keydown', (event) => {
    if (state.help) {
      if (event.key === 'Escape' || event.key === '?') {
        event.preventDefault();
        update({ help: false });
        requestAnimationFrame(focusSearch);
      }
      return;
    }
    if (event.altKey && !event.ctrlKey && !event.metaKey) {
      const view = VIEW_KEYS[event.key];
      if (view) {
        event.preventDefault();
        setText('');
        update({ view });
        return;
      }
    }
    if (
      (event.ctrlKey || event.metaKey) &&
      event.key.toLowerCase() === 'z' &&
      !isTyping(event.target)
    ) {
      event.preventDefault();
      content?.undo();
      return;
    }
    if (event.target === input) {
      onSearchKey(event);
      return;
    }
    if (isTyping(event.target)) return;
    if (event.key === '/') {
      event.preventDefault();
      focusSearch();
    } else if (event.key === '?') {
      event.preventDefault();
      update({ help: true });
    }
  });
  input.addEventListener('input', () => setText(input.value));
  for (const tab of tabs) {
    tab.addEventListener('click', () => {
      const view = tab.dataset.view;
      if (!isView(view)) return;
      if (view !== 'search') setText('');
      update({ view });
      if (view === 'search') focusSearch();
    });
  }
  doc.getElementById('help-button')?.addEventListener('click', () => update({ help: true }));

  render();
  // `autofocus` is applied at the next rendering step; focusing now also covers a popup whose
  // window does not take it (nothing else can have focus yet, unless the user moved it).
  if (doc.activeElement === null || doc.activeElement === doc.body) focusSearch();

  return {
    getState: () => state,
    subscribe: (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    setHelp: (open) => {
      if (state.help !== open) update({ help: open });
    },
    setLibraryCount: (value) => {
      if (!count) return;
      count.hidden = value === undefined;
      count.textContent = value === undefined ? '' : ` ${value}`;
    },
    focusSearch,
    connect: (next) => {
      content = next;
    },
  };
}
