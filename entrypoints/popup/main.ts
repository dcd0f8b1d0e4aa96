import './popup.css';
import { startPopupShell } from '../../components/popup/shell';

// No React in this chunk. From here the static search box is focused, typed text is kept (it was
// already, natively, since the box was parsed) and the shortcuts are handled, while React and the
// views load. scripts/bench-popup.mjs reads the mark.
const shell = startPopupShell(document);
performance.mark('paperlight:interactive');
// React, Dexie and the views in one go: the shell already shows "Loading…" in their place.
void import('./mount').then(({ mount }) => mount(shell));
