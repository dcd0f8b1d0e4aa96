/**
 * Keeping the rebuildable index from taking the extension down with it. IndexedDB can fail to open
 * (a corrupted backing store: Chrome's "UnknownError: Internal error opening backing store",
 * dexie/Dexie.js#543) and can be deleted from outside (devtools, a profile cleaner). The index is a
 * cache of public data, so it is recreated empty and re-filled by sync; the library is a separate
 * database and is never touched here. Each such event is recorded so the options page can say so.
 *
 * Updating to a new schema can fail the same way: the upgrade throws, a newer build's index is
 * found after the user went back to an older Paperlight, or the upgrade never finishes because the
 * browser stops the worker under it (out of memory, the idle stop) and every start would try again.
 * Each of these rebuilds the index empty too, at most once per start and after at most
 * MAX_UPGRADE_ATTEMPTS starts that began the same upgrade.
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

/** An index upgrade begun by earlier worker starts and not finished yet (Dexie version numbers). */
export interface PendingUpgrade {
  from: number;
  to: number;
  /** Starts that began it. */
  attempts: number;
}

export interface HealthLog {
  record(event: HealthEvent): Promise<void>;
  list(): Promise<HealthEvent[]>;
  clear(): Promise<void>;
  pendingUpgrade(): Promise<PendingUpgrade | undefined>;
  setPendingUpgrade(pending: PendingUpgrade | undefined): Promise<void>;
}

/** The part of `browser.storage.StorageArea` the log uses. */
export interface HealthArea {
  get(key: string): Promise<Record<string, unknown>>;
  set(items: Record<string, unknown>): Promise<void>;
}

const HEALTH_KEY = 'health:events';
const UPGRADE_KEY = 'health:upgrade';
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

function isPendingUpgrade(value: unknown): value is PendingUpgrade {
  if (typeof value !== 'object' || value === null) return false;
  const pending = value as Record<string, unknown>;
  return ['from', 'to', 'attempts'].every((key) => Number.isFinite(pending[key]));
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
    async pendingUpgrade() {
      const stored = (await area.get(UPGRADE_KEY))[UPGRADE_KEY];
      return isPendingUpgrade(stored) ? stored : undefined;
    },
    async setPendingUpgrade(pending) {
      await area.set({ [UPGRADE_KEY]: pending ?? null });
    },
  };
}

export function memoryHealthLog(): HealthLog {
  let events: HealthEvent[] = [];
  let upgrade: PendingUpgrade | undefined;
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
    pendingUpgrade: () => Promise.resolve(upgrade && { ...upgrade }),
    setPendingUpgrade(pending) {
      upgrade = pending && { ...pending };
      return Promise.resolve();
    },
  };
}

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

/** Starts that may begin the same index upgrade; the next one rebuilds the index instead. */
export const MAX_UPGRADE_ATTEMPTS = 2;

const AFTER = 'Your library is not affected; sync will fill the index again.';
const REBUILT = {
  damaged: `The abstract index could not be opened (the browser reported it damaged), so it was recreated empty. ${AFTER}`,
  upgradeFailed: `The abstract index could not be updated for this version of Paperlight, so it was rebuilt empty. ${AFTER}`,
  upgradeStalled: `Updating the abstract index for this version of Paperlight did not finish in ${MAX_UPGRADE_ATTEMPTS} tries (the browser stopped it), so it was rebuilt empty. ${AFTER}`,
  newer: `The abstract index was written by a newer version of Paperlight, so it was rebuilt empty for this one. ${AFTER}`,
} as const;

/** The installed index's Dexie version (native / 10), 0 when absent, undefined when unknowable. */
async function installedVersion(name: string): Promise<number | undefined> {
  const factory = Dexie.dependencies.indexedDB;
  // `databases()`: Chrome 71, Firefox 126. Without it no upgrade is counted.
  if (typeof factory.databases !== 'function') return undefined;
  try {
    const found = (await factory.databases()).find((info) => info.name === name);
    return (found?.version ?? 0) / 10;
  } catch {
    return undefined;
  }
}

/** How often `keepAlive` is called while the index opens: under Chrome's 30 s idle stop. */
export const KEEP_ALIVE_MS = 20_000;

export interface OpenIndexOptions {
  /** Epoch ms, for the events. */
  now?: () => number;
  /**
   * Called every KEEP_ALIVE_MS while the index opens. An upgrade of a large index outlasts the
   * worker's 30 s idle stop (measured: 55-75 s for 200,000 0.1.0 papers in Chromium), and
   * IndexedDB work does not reset that timer; an extension API call does
   * (developer.chrome.com/blog/longer-esw-lifetimes). The background passes
   * `browser.runtime.getPlatformInfo`.
   */
  keepAlive?: () => Promise<unknown>;
}

/**
 * Closes `db` and restates its latest declaration: an upgrade that stopped part-way, or a newer
 * index opened as it is, leaves Dexie's idea of the schema at what it found, and a database
 * created from that would miss our stores. `version()` refuses while an open is under way (Dexie
 * opens on first use, so one may have begun meanwhile): close() cancels it, and it is waited for.
 */
async function closeAndRestate(db: IndexDatabase): Promise<void> {
  for (let tries = 1; ; tries += 1) {
    db.close();
    try {
      db.version(db.verno).stores({});
      return;
    } catch (error) {
      if (tries === 3) throw error;
      // Joins the cancelled open (it is still under way, so this starts none) until it settles.
      await db.open().catch(() => undefined);
    }
  }
}

/**
 * Opens the index, rebuilding it empty when it cannot be opened as it is (damaged, its upgrade
 * failed or never finishes, or a newer build wrote it), and records when it is deleted from
 * outside while we run. Deletes at most once per call; never touches the library. Resolves to
 * what happened; never rejects for an index failure.
 */
export async function openIndexSafely(
  db: IndexDatabase,
  log: HealthLog,
  { now = Date.now, keepAlive }: OpenIndexOptions = {},
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
  const rebuild = async (message: string, error?: unknown): Promise<'recreated' | 'failed'> => {
    try {
      await closeAndRestate(db);
      await Dexie.delete(db.name);
      await db.open();
    } catch (again) {
      await log.record({
        kind: 'index-recreated',
        at: now(),
        message:
          'The abstract index cannot be opened and could not be recreated. Your library is not affected; restart the browser and try again.',
        detail: [error, again]
          .filter((e) => e !== undefined)
          .map(describe)
          .join('; then '),
      });
      return 'failed';
    }
    await log.record({
      kind: 'index-recreated',
      at: now(),
      message,
      ...(error === undefined ? {} : { detail: describe(error) }),
    });
    return 'recreated';
  };

  const ours = db.verno;
  const installed = await installedVersion(db.name);
  const upgrading = installed !== undefined && installed > 0 && installed < ours;
  // The count is best effort: storage failing must not keep the index from opening.
  const setPending = (pending: PendingUpgrade | undefined): Promise<void> =>
    log.setPendingUpgrade(pending).catch(() => undefined);
  if (upgrading) {
    // Counted before the upgrade starts: a worker stopped under it never gets to say so.
    const pending = await log.pendingUpgrade().catch(() => undefined);
    const attempts = pending?.from === installed && pending.to === ours ? pending.attempts : 0;
    if (attempts >= MAX_UPGRADE_ATTEMPTS) {
      await setPending(undefined);
      return rebuild(REBUILT.upgradeStalled);
    }
    await setPending({ from: installed, to: ours, attempts: attempts + 1 });
  }
  let outcome: 'opened' | 'recreated' | 'failed';
  const alive = keepAlive
    ? setInterval(() => void keepAlive().catch(() => undefined), KEEP_ALIVE_MS)
    : undefined;
  try {
    await db.open().finally(() => clearInterval(alive));
    // Dexie 4 opens a newer version as it is (no VersionError), patching in our missing stores.
    outcome =
      Math.floor(db.backendDB().version / 10) > ours ? await rebuild(REBUILT.newer) : 'opened';
  } catch (error) {
    outcome = await rebuild(upgrading ? REBUILT.upgradeFailed : REBUILT.damaged, error);
  }
  if (upgrading) await setPending(undefined);
  return outcome;
}
