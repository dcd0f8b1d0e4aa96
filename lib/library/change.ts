/**
 * Undo for library edits: every edit records the rows it touched as they were before, so undoing is
 * putting those rows back (or deleting rows the edit created). Changes are plain JSON, so the
 * background can keep them in storage.session across service-worker restarts.
 */
import type { LibraryDatabase } from '../db';
import type { CanonicalId, Dismissal, SavedPaper, Tag } from '../types';

/** Rows before an edit; `null` = the row did not exist. */
export interface LibraryChange {
  saved: Record<CanonicalId, SavedPaper | null>;
  tags: Record<string, Tag | null>;
  dismissed: Record<CanonicalId, Dismissal | null>;
}

export function emptyChange(): LibraryChange {
  return { saved: {}, tags: {}, dismissed: {} };
}

export function isEmptyChange(change: LibraryChange): boolean {
  return (
    Object.keys(change.saved).length === 0 &&
    Object.keys(change.tags).length === 0 &&
    Object.keys(change.dismissed).length === 0
  );
}

/** Records a row's prior state once: the first recording of a row in a change wins. */
export function recordSaved(
  change: LibraryChange,
  id: CanonicalId,
  row: SavedPaper | undefined,
): void {
  if (!Object.hasOwn(change.saved, id)) change.saved[id] = row ? structuredClone(row) : null;
}

export function recordTag(change: LibraryChange, name: string, row: Tag | undefined): void {
  if (!Object.hasOwn(change.tags, name)) change.tags[name] = row ? { ...row } : null;
}

export function recordDismissal(
  change: LibraryChange,
  id: CanonicalId,
  row: Dismissal | undefined,
): void {
  if (!Object.hasOwn(change.dismissed, id)) change.dismissed[id] = row ? { ...row } : null;
}

/** Puts every recorded row back as it was, in one transaction. */
export async function revertChange(db: LibraryDatabase, change: LibraryChange): Promise<void> {
  await db.transaction('rw', db.saved, db.tags, db.dismissed, async () => {
    for (const [id, row] of Object.entries(change.saved)) {
      if (row) await db.saved.put(row);
      else await db.saved.delete(id);
    }
    for (const [name, row] of Object.entries(change.tags)) {
      if (row) await db.tags.put(row);
      else await db.tags.delete(name);
    }
    for (const [id, row] of Object.entries(change.dismissed)) {
      if (row) await db.dismissed.put(row);
      else await db.dismissed.delete(id);
    }
  });
}

/** Where the background keeps changes until they are undone or forgotten. */
export interface UndoStore {
  put(token: string, change: LibraryChange): Promise<void>;
  take(token: string): Promise<LibraryChange | undefined>;
}

/** An in-memory store for tests and as a fallback. */
export function memoryUndoStore(limit = 20): UndoStore {
  const changes = new Map<string, LibraryChange>();
  return {
    put(token, change) {
      changes.set(token, change);
      while (changes.size > limit) changes.delete(changes.keys().next().value as string);
      return Promise.resolve();
    },
    take(token) {
      const change = changes.get(token);
      changes.delete(token);
      return Promise.resolve(change);
    },
  };
}
