/**
 * Storage-backed stores for the background: undo journal and tab pages in `storage.session`
 * (survive a service-worker restart, die with the browser), settings in `storage.local`. The area
 * is injected (`browser.storage.session` / `.local`), so this stays free of `browser.*`.
 */
import { SETTINGS_STORAGE_KEY } from '../page-settings';
import { parseSettings, type SettingsStore } from '../settings';
import type { CanonicalId, PaperSnapshot } from '../types';
import type { LibraryChange, UndoStore } from './change';

/** The part of `browser.storage.StorageArea` these stores use. */
export interface KeyValueArea {
  get(key: string): Promise<Record<string, unknown>>;
  set(items: Record<string, unknown>): Promise<void>;
  remove(key: string): Promise<void>;
}

const UNDO_PREFIX = 'undo:';
const UNDO_INDEX = 'undo:index';
/** Undo is offered for the last few edits only; older changes are dropped. */
const UNDO_KEEP = 20;

export function storageUndoStore(area: KeyValueArea): UndoStore {
  return {
    async put(token, change) {
      const index = ((await area.get(UNDO_INDEX))[UNDO_INDEX] as string[] | undefined) ?? [];
      const next = [...index, token];
      const dropped = next.splice(0, Math.max(0, next.length - UNDO_KEEP));
      await area.set({ [UNDO_PREFIX + token]: change, [UNDO_INDEX]: next });
      for (const old of dropped) await area.remove(UNDO_PREFIX + old);
    },
    async take(token) {
      const key = UNDO_PREFIX + token;
      const change = (await area.get(key))[key] as LibraryChange | undefined;
      if (change) await area.remove(key);
      return change;
    },
  };
}

const SETTINGS_KEY = SETTINGS_STORAGE_KEY;

export function storageSettingsStore(area: KeyValueArea): SettingsStore {
  return {
    async get() {
      return parseSettings((await area.get(SETTINGS_KEY))[SETTINGS_KEY]);
    },
    async update(patch) {
      const current = parseSettings((await area.get(SETTINGS_KEY))[SETTINGS_KEY]);
      const next = parseSettings({ ...current, ...patch });
      await area.set({ [SETTINGS_KEY]: next });
      return next;
    },
  };
}

/** Reads the per-tab page records the background keeps under `page:<tabId>`. */
export function storageTabPages(area: KeyValueArea): {
  list(tabId: number): Promise<{ id: CanonicalId; snapshot: PaperSnapshot }[]>;
} {
  return {
    async list(tabId) {
      const key = `page:${tabId}`;
      const stored = (await area.get(key))[key] as
        Record<CanonicalId, { id: CanonicalId; snapshot: PaperSnapshot }> | undefined;
      return stored ? Object.values(stored) : [];
    },
  };
}
