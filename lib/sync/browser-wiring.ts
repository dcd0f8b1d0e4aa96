/**
 * The sync over the WebExtension APIs: settings and limiter state in `storage.local`, wake-ups on
 * one alarm. The API objects are passed in (the background hands over `browser`), so lib/ never
 * touches `browser.*` itself. Call `startSync` synchronously in the background's main, so the alarm
 * listener is registered before the event that woke the worker is dispatched.
 */
import type { IndexDatabase, LibraryDatabase } from '../db';
import type { KeyValueStore } from './http';
import { createSyncService, type SyncService } from './service';

export const SYNC_ALARM = 'paperlight-sync';

/** The slice of `browser` the sync needs (structural, so tests can pass fakes). */
export interface SyncBrowserApi {
  storage: {
    local: {
      get(key: string): Promise<Record<string, unknown>>;
      set(items: Record<string, unknown>): Promise<void>;
    };
  };
  alarms: {
    create(name: string, info: { when: number }): Promise<void> | void;
    clear(name: string): Promise<boolean>;
    onAlarm: { addListener(callback: (alarm: { name: string }) => void): void };
  };
}

export function storageStore(area: SyncBrowserApi['storage']['local']): KeyValueStore {
  return {
    get: async (key) => (await area.get(key))[key],
    set: (key, value) => area.set({ [key]: value }),
  };
}

export function startSync(
  api: SyncBrowserApi,
  db: IndexDatabase,
  fetch: typeof globalThis.fetch,
  /** Read only: retention keeps the user's papers in the index. */
  library?: LibraryDatabase,
): SyncService {
  const service = createSyncService({
    db,
    ...(library ? { library } : {}),
    store: storageStore(api.storage.local),
    fetch,
    async setWake(at) {
      if (at === null) {
        await api.alarms.clear(SYNC_ALARM);
        return;
      }
      // Chrome fires alarms no sooner than 30 s in packed extensions; the request layer spaces
      // requests anyway, so an earlier time is only a wish.
      await api.alarms.create(SYNC_ALARM, { when: Math.max(at, Date.now() + 1000) });
    },
  });
  api.alarms.onAlarm.addListener((alarm) => {
    if (alarm.name === SYNC_ALARM)
      void service.tick().catch((error: unknown) => console.warn('Paperlight sync:', error));
  });
  // Alarms may be lost on a browser restart, and a killed tick must resume (MV3 lifecycle notes).
  void service.ensureWake().catch((error: unknown) => console.warn('Paperlight sync:', error));
  return service;
}
