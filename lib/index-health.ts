/**
 * Keeping the rebuildable index from taking the extension down with it. IndexedDB can fail to open
 * (a corrupted backing store: Chrome's "UnknownError: Internal error opening backing store",
 * dexie/Dexie.js#543) and can be deleted from outside (devtools, a profile cleaner). The index is a
 * cache of public data, so it is recreated empty and re-filled by sync; the library is a separate
 * database and is never touched here. Each such event is recorded so the options page can say so.
 */
import { Dexie } from 'dexie';
import type { IndexDatabase } from './db';

export type HealthEventKind = 'index-recreated' | 'index-deleted';

export interface HealthEvent {
  kind: HealthEventKind;
  /** Epoch ms. */
  at: number;
  /** Plain words for the options page. */
  message: string;
  /** The underlying error, for a bug report. */
  detail?: string;
}

export interface HealthLog {
  record(event: HealthEvent): Promise<void>;
  list(): Promise<HealthEvent[]>;
  clear(): Promise<void>;
}

/** The part of `browser.storage.StorageArea` the log uses. */
export interface HealthArea {
  get(key: string): Promise<Record<string, unknown>>;
  set(items: Record<string, unknown>): Promise<void>;
}

const HEALTH_KEY = 'health:events';
const HEALTH_KEEP = 10;

function isHealthEvent(value: unknown): value is HealthEvent {
  if (typeof value !== 'object' || value === null) return false;
  const event = value as Record<string, unknown>;
  return (
    (event.kind === 'index-recreated' || event.kind === 'index-deleted') &&
    typeof event.at === 'number' &&
    typeof event.message === 'string'
  );
}

/** A log in `browser.storage.local` (survives restarts), newest last, capped. */
export function storageHealthLog(area: HealthArea): HealthLog {
  const read = async (): Promise<HealthEvent[]> => {
    const stored = (await area.get(HEALTH_KEY))[HEALTH_KEY];
    return Array.isArray(stored) ? stored.filter(isHealthEvent) : [];
  };
  return {
    async record(event) {
      const events = [...(await read()), event].slice(-HEALTH_KEEP);
      await area.set({ [HEALTH_KEY]: events });
    },
    list: read,
    async clear() {
      await area.set({ [HEALTH_KEY]: [] });
    },
  };
}

export function memoryHealthLog(): HealthLog {
  let events: HealthEvent[] = [];
  return {
    record(event) {
      events = [...events, event].slice(-HEALTH_KEEP);
      return Promise.resolve();
    },
    list: () => Promise.resolve([...events]),
    clear() {
      events = [];
      return Promise.resolve();
    },
  };
}

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

/**
 * Opens the index, recreating it empty when it cannot be opened, and records when it is deleted
 * from outside while we run. Resolves to what happened; never rejects for an index failure.
 */
export async function openIndexSafely(
  db: IndexDatabase,
  log: HealthLog,
  now: () => number = Date.now,
): Promise<'opened' | 'recreated' | 'failed'> {
  db.on('versionchange', (event) => {
    if (event.newVersion === null) {
      void log.record({
        kind: 'index-deleted',
        at: now(),
        message:
          'The abstract index was deleted outside Paperlight. Your library is not affected; sync will fill the index again.',
      });
    }
  });
  try {
    await db.open();
    return 'opened';
  } catch (error) {
    db.close();
    try {
      await Dexie.delete(db.name);
      await db.open();
    } catch (again) {
      await log.record({
        kind: 'index-recreated',
        at: now(),
        message:
          'The abstract index cannot be opened and could not be recreated. Your library is not affected; restart the browser and try again.',
        detail: `${describe(error)}; then ${describe(again)}`,
      });
      return 'failed';
    }
    await log.record({
      kind: 'index-recreated',
      at: now(),
      message:
        'The abstract index could not be opened (the browser reported it damaged), so it was recreated empty. Your library is not affected; sync will fill the index again.',
      detail: describe(error),
    });
    return 'recreated';
  }
}
