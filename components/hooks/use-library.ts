import { useLiveQuery } from 'dexie-react-hooks';
import { useMemo } from 'react';
import { openLibraryDb, type LibraryDatabase } from '../../lib/db';
import type { CanonicalId, SavedPaper, Tag } from '../../lib/types';

export interface LibraryState {
  db: LibraryDatabase;
  /** `undefined` while loading. */
  papers: SavedPaper[] | undefined;
  byId: Map<CanonicalId, SavedPaper>;
  tags: Tag[];
  tagColors: Map<string, string>;
  dismissed: Set<CanonicalId>;
}

/** The library, read live (background writes show up at once). */
export function useLibrary(): LibraryState {
  const db = useMemo(() => openLibraryDb(), []);
  const papers = useLiveQuery(() => db.saved.toArray(), [db]);
  const tagRows = useLiveQuery(() => db.tags.orderBy('name').toArray(), [db]);
  const tags = useMemo(() => tagRows ?? [], [tagRows]);
  const dismissedRows = useLiveQuery(() => db.dismissed.toCollection().primaryKeys(), [db]);
  const byId = useMemo(() => new Map((papers ?? []).map((paper) => [paper.id, paper])), [papers]);
  const tagColors = useMemo(() => new Map(tags.map((tag) => [tag.name, tag.color])), [tags]);
  const dismissed = useMemo(() => new Set(dismissedRows ?? []), [dismissedRows]);
  return { db, papers, byId, tags, tagColors, dismissed };
}
