import { useCallback, useEffect, useRef, useSyncExternalStore, type ReactElement } from 'react';
import type { PaperListHandle } from './popup/PaperList';
import PopupContent, { type ContentBridge } from './popup/PopupContent';
import { shownView, type PopupShell } from './popup/shell';
import { useTheme } from './use-theme';

/**
 * The popup's views under its static shell (search box, tabs, shortcuts: components/popup/shell.ts,
 * already taking typing when this mounts): the current tab's papers, the library, and search over
 * library + index. Reads live from the databases; writes by message. Loaded as one chunk after the
 * shell (entrypoints/popup/mount.tsx): no Suspense boundary, whose fallback would hold the views
 * back for React's 300 ms reveal throttle once they are loaded.
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
    return () => shell.connect(null);
  }, [shell]);

  const shown = shownView(state);
  const onCloseHelp = useCallback(() => {
    shell.setHelp(false);
    shell.focusSearch();
  }, [shell]);

  return (
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
  );
}
