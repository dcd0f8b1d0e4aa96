import './popup.css';

// popup-boot.js (a classic script in <head>) started the static shell when parsing ended: the
// search box is focused, typed text is kept and shortcuts work. This loads React, Dexie and the
// views under it in one go; the shell shows "Loading…" in their place meanwhile.
const shell = window.paperlightShell;
if (!shell) throw new Error('popup-boot.js has not started the popup shell');
void import('./mount').then(({ mount }) => mount(shell));
