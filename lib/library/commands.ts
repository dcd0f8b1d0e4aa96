/**
 * Keyboard commands (manifest `commands`). Defaults avoid the Zotero Connector (Ctrl+Shift+S) and
 * PaperMemory (Ctrl/Cmd+Shift+E, Alt+Shift+E, Ctrl+Shift+M/P/S); Chrome refuses Ctrl+Alt and at
 * most four commands may suggest keys. Users rebind them at chrome://extensions/shortcuts.
 */
export const SAVE_PAPER_COMMAND = 'save-paper';

export const COMMANDS = {
  _execute_action: {
    suggested_key: { default: 'Alt+Shift+P', mac: 'Alt+Shift+P' },
    description: 'Open Paperlight',
  },
  [SAVE_PAPER_COMMAND]: {
    suggested_key: { default: 'Alt+Shift+S', mac: 'Alt+Shift+S' },
    description: 'Save the paper of this page to the Paperlight library',
  },
} as const;

/** Keys other research extensions suggest by default (clashes are silently unassigned). */
export const PEER_DEFAULT_KEYS = [
  'Ctrl+Shift+S', // Zotero Connector
  'Ctrl+Shift+E', // PaperMemory (open)
  'Command+Shift+E',
  'MacCtrl+Shift+E',
  'Alt+Shift+E', // PaperMemory (default action)
  'Ctrl+Shift+M', // PaperMemory (Linux)
  'Ctrl+Shift+P',
] as const;
