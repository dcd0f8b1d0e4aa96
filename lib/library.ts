/**
 * Operations on the user's library. Every change is one transaction; nothing here touches the index.
 */
import type { LibraryDatabase } from './db';
import type { CanonicalId, IndexPaper, PaperSnapshot, SavedPaper } from './types';

/** What the library keeps of an index record. */
export function snapshotOf(
  paper: Pick<IndexPaper, 'title' | 'authors'> & Partial<IndexPaper>,
): PaperSnapshot {
  const snapshot: PaperSnapshot = { title: paper.title, authors: [...paper.authors] };
  if (paper.abstract) snapshot.abstract = paper.abstract;
  if (paper.published) snapshot.published = paper.published;
  if (paper.categories?.length) snapshot.categories = [...paper.categories];
  if (paper.venue) snapshot.venue = paper.venue;
  if (paper.links) snapshot.links = { ...paper.links };
  if (paper.aliases?.length) snapshot.aliases = [...paper.aliases];
  return snapshot;
}

/** Saves a paper, or refreshes the snapshot of one already saved (keeping tags, note and status). */
export async function savePaper(
  db: LibraryDatabase,
  id: CanonicalId,
  snapshot: PaperSnapshot,
  now = Date.now(),
): Promise<SavedPaper> {
  return db.transaction('rw', db.saved, db.dismissed, async () => {
    const existing = await db.saved.get(id);
    const saved: SavedPaper = existing
      ? { ...existing, snapshot: { ...existing.snapshot, ...snapshot }, updatedAt: now }
      : { id, snapshot, savedAt: now, updatedAt: now, tags: [], note: '', status: 'to-read' };
    await db.saved.put(saved);
    await db.dismissed.delete(id);
    return saved;
  });
}

/** Removes a paper from the library and returns what was removed (for undo). */
export async function unsavePaper(
  db: LibraryDatabase,
  id: CanonicalId,
): Promise<SavedPaper | undefined> {
  return db.transaction('rw', db.saved, async () => {
    const existing = await db.saved.get(id);
    if (existing) await db.saved.delete(id);
    return existing;
  });
}

/** Which of `ids` are saved. One bulk read. */
export async function savedAmong(
  db: LibraryDatabase,
  ids: readonly CanonicalId[],
): Promise<Set<CanonicalId>> {
  const unique = [...new Set(ids)];
  const rows = await db.saved.bulkGet(unique);
  return new Set(rows.filter((row): row is SavedPaper => row !== undefined).map((row) => row.id));
}
