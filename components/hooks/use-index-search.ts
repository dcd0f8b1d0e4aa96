import { useLiveQuery } from 'dexie-react-hooks';
import { useEffect, useMemo, useState } from 'react';
import { openIndexDb, type IndexDatabase } from '../../lib/db';
import { getIndexStats } from '../../lib/index-store';
import type { IndexSearcher } from '../../lib/search/searcher';
import { MANIFEST_KEY, type SearchManifest } from '../../lib/search/manifest';
import { callBackground } from '../runtime';

export interface IndexSearchState {
  db: IndexDatabase;
  searcher: IndexSearcher | null;
  /** Papers in the index (from its stats row). */
  indexed: number | undefined;
  /** The search index is being brought up to date by the background. */
  refreshing: boolean;
}

/**
 * The persisted search segments, loaded after first paint; if they are behind the index, the
 * background refreshes them and the manifest row's change reloads them here.
 */
export function useIndexSearch(): IndexSearchState {
  const db = useMemo(() => openIndexDb(), []);
  const manifest = useLiveQuery(
    async () => ((await db.meta.get(MANIFEST_KEY))?.value as SearchManifest | undefined) ?? null,
    [db],
  );
  const stats = useLiveQuery(() => getIndexStats(db), [db]);
  const [searcher, setSearcher] = useState<IndexSearcher | null>(null);
  const [refreshing, setRefreshing] = useState(false);

  useEffect(() => {
    if (manifest === undefined) return;
    let cancelled = false;
    // Let the popup paint first: loading segments is one large read.
    const timer = setTimeout(() => {
      // A separate chunk (Fuse, uFuzzy, the searcher): not on the popup's first-paint path.
      void import('../../lib/search/store')
        .then(({ loadSearcher }) => loadSearcher(db, manifest ?? undefined))
        .then((loaded) => {
          if (!cancelled) setSearcher(loaded);
        });
    }, 0);
    return () => {
      cancelled = true;
      clearTimeout(timer);
    };
  }, [db, manifest]);

  useEffect(() => {
    if (!stats || manifest === undefined) return;
    const stale = !manifest
      ? stats.count > 0
      : manifest.covered !== stats.count || stats.lookupChangedAt > manifest.lookupChangedAt;
    if (!stale) return;
    void Promise.resolve()
      .then(() => {
        setRefreshing(true);
        return callBackground('refreshSearchIndex', {});
      })
      .catch((error: unknown) => console.warn('Paperlight: search index refresh failed', error))
      .finally(() => setRefreshing(false));
  }, [stats, manifest]);

  return { db, searcher, indexed: stats?.count, refreshing };
}
