import { useLiveQuery } from 'dexie-react-hooks';
import { useEffect, useMemo, useRef, useState } from 'react';
import { openIndexDb, type IndexDatabase } from '../../lib/db';
import { getIndexStats } from '../../lib/index-store';
import type { IndexSearcher } from '../../lib/search/searcher';
import { isBehind, MANIFEST_KEY, type SearchManifest } from '../../lib/search/manifest';
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
 * background refreshes them and the manifest row's change reloads them here (only the segments
 * that are new: a refresh after sync appends one).
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
  // The last searcher loaded: a manifest change (a refresh after sync) reuses its segments.
  const loadedRef = useRef<IndexSearcher | null>(null);

  useEffect(() => {
    if (manifest === undefined) return;
    let cancelled = false;
    // Let the popup paint first: loading segments is one large read.
    const timer = setTimeout(() => {
      // A separate chunk (Fuse, uFuzzy, the searcher): not on the popup's first-paint path.
      void import('../../lib/search/store')
        .then(({ loadSearcher }) => loadSearcher(db, manifest ?? undefined, loadedRef.current))
        .then((loaded) => {
          loadedRef.current = loaded;
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
    if (!isBehind(manifest ?? undefined, stats)) return;
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
