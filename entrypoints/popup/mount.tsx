import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { Popup } from '../../components/Popup';
import type { PopupShell } from '../../components/popup/shell';

/** React under the popup's static shell: it replaces the "Loading…" panel in #root. */
export function mount(shell: PopupShell): void {
  const root = document.getElementById('root');
  if (!root) return;
  createRoot(root).render(
    <StrictMode>
      <Popup shell={shell} />
    </StrictMode>,
  );
}
