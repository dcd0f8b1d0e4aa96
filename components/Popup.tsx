import {
  lazy,
  Suspense,
  useCallback,
  useEffect,
  useRef,
  useSyncExternalStore,
  type ReactElement,
} from 'react';
import type { PaperListHandle } from './popup/PaperList';
import type { ContentBridge } from './popup/PopupContent';
import { shownView, type PopupShell } from './popup/shell';
import { useTheme } from './use-theme';
import './popup.css';

// The views and the databases load after React has mounted (see PopupContent).
const PopupContent = lazy(() => import('./popup/PopupContent'));

/**
 * The popup's views under its static shell (search box, tabs, shortcuts: components/popup/shell.ts,
 * already taking typing when this mounts): the current tab's papers, the library, and search over
 * library + index. Reads live from the databases; writes by message.
 */
export function Popup({ shell }: { shell: PopupShell }): ReactElement {
  useTheme();
  const state = useSyncExternalStore(shell.subscribe, shell.getState);
  const listRef = useRef<PaperListHandle | null>(null);
  const bridgeRef = useRef<ContentBridge | null>(null);

  useEffect(() => {
    shell.connect({
      focusList: () => listRef.current?.focus(),
      undo: () => bridgeRef.current?.undo(),
    });
    performance.mark('paperlight:react-mounted');
    return () => shell.connect(null);
  }, [shell]);

  const shown = shownView(state);
  const onCloseHelp = useCallback(() => {
    shell.setHelp(false);
    shell.focusSearch();
  }, [shell]);

  return (
    <Suspense
      fallback={
        <div id="popup-panel" role="tabpanel" aria-labelledby={`tab-${shown}`} className="panel">
          <p className="muted view">Loading…</p>
        </div>
      }
    >
      <PopupContent
        shown={shown}
        text={state.text}
        help={state.help}
        onCloseHelp={onCloseHelp}
        listRef={listRef}
        focusSearch={shell.focusSearch}
        bridgeRef={bridgeRef}
        onLibraryCount={shell.setLibraryCount}
      />
    </Suspense>
  );
}
