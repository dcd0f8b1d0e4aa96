/**
 * Handlers of the sync messages (lib/sync/protocol.ts), spread into `createHandlers`.
 */
import type { Handlers } from '../messages';
import type { SyncMessageType } from '../sync/protocol';
import type { PageSighting, SyncService } from '../sync/service';
import type { CanonicalId } from '../types';

export function createSyncHandlers(
  service: SyncService | undefined,
): Pick<Handlers, SyncMessageType> {
  const need = (): SyncService => {
    if (!service) throw new Error('Sync is not available here.');
    return service;
  };
  return {
    getSyncSettings: async () => need().getSettings(),
    setSyncSettings: async ({ settings }) => need().setSettings(settings),
    syncNow: async ({ jobIds }) => ({ started: await need().syncNow(jobIds) }),
    addSyncBackfill: async ({ spec }) => ({ job: await need().addBackfill(spec) }),
    removeSyncJob: async ({ jobId }) => ({ removed: await need().removeJob(jobId) }),
    getRetention: async () => need().getRetention(),
    previewRetention: async ({ rule }) => need().previewRetention(rule),
    setRetention: async ({ rule }) => need().setRetention(rule),
  };
}

/** What the look-up handler hands to the sync after replying: per entry, its ids and what it showed. */
export function pageSightings(
  entries: readonly { ref: number; title: string; authors?: string[]; abstract?: string }[],
  queries: readonly { ref: number; ids: CanonicalId[] }[],
  results: readonly { ref: number; matched: boolean }[],
): PageSighting[] {
  const idsByRef = new Map(queries.map((query) => [query.ref, query.ids]));
  const matchedByRef = new Map(results.map((result) => [result.ref, result.matched]));
  return entries.flatMap((entry) => {
    const ids = idsByRef.get(entry.ref) ?? [];
    if (ids.length === 0) return [];
    const sighting: PageSighting = {
      ids,
      title: entry.title,
      matched: matchedByRef.get(entry.ref) ?? false,
    };
    if (entry.authors) sighting.authors = entry.authors;
    if (entry.abstract) sighting.abstract = entry.abstract;
    return [sighting];
  });
}
