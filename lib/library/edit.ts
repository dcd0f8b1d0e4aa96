/**
 * Edits of saved papers: tags, notes, reading status, deletion, dismissal. Bulk edits run in one
 * transaction and return the change that undoes them.
 */
import type { LibraryDatabase } from '../db';
import type { CanonicalId, ReadingStatus, SavedPaper } from '../types';
import { emptyChange, recordDismissal, recordSaved, type LibraryChange } from './change';
import { ensureTags } from './tags';

export const MAX_NOTE_LENGTH = 100_000;

export async function tagPapers(
  db: LibraryDatabase,
  ids: readonly CanonicalId[],
  edit: { add?: readonly string[]; remove?: readonly string[] },
  now = Date.now(),
): Promise<{ change: LibraryChange; changed: number }> {
  return db.transaction('rw', db.saved, db.tags, async () => {
    const change = emptyChange();
    const add = await ensureTags(db, edit.add ?? [], change, now);
    const remove = new Set(edit.remove ?? []);
    const rows = await db.saved.bulkGet([...ids]);
    let changed = 0;
    for (const paper of rows) {
      if (!paper) continue;
      const kept = paper.tags.filter((tag) => !remove.has(tag));
      const tags = [...kept, ...add.filter((tag) => !kept.includes(tag))];
      if (tags.length === paper.tags.length && tags.every((tag, i) => tag === paper.tags[i])) {
        continue;
      }
      recordSaved(change, paper.id, paper);
      await db.saved.put({ ...paper, tags, updatedAt: now });
      changed += 1;
    }
    return { change, changed };
  });
}

async function updateEach(
  db: LibraryDatabase,
  ids: readonly CanonicalId[],
  update: (paper: SavedPaper) => SavedPaper | null,
): Promise<{ change: LibraryChange; changed: number }> {
  return db.transaction('rw', db.saved, async () => {
    const change = emptyChange();
    let changed = 0;
    for (const paper of await db.saved.bulkGet([...ids])) {
      if (!paper) continue;
      const next = update(paper);
      if (!next) continue;
      recordSaved(change, paper.id, paper);
      await db.saved.put(next);
      changed += 1;
    }
    return { change, changed };
  });
}

export function setReadingStatus(
  db: LibraryDatabase,
  ids: readonly CanonicalId[],
  status: ReadingStatus,
  now = Date.now(),
): Promise<{ change: LibraryChange; changed: number }> {
  return updateEach(db, ids, (paper) =>
    paper.status === status ? null : { ...paper, status, updatedAt: now },
  );
}

export function setNote(
  db: LibraryDatabase,
  id: CanonicalId,
  note: string,
  now = Date.now(),
): Promise<{ change: LibraryChange; changed: number }> {
  const text = note.slice(0, MAX_NOTE_LENGTH);
  return updateEach(db, [id], (paper) =>
    paper.note === text ? null : { ...paper, note: text, updatedAt: now },
  );
}

export async function deletePapers(
  db: LibraryDatabase,
  ids: readonly CanonicalId[],
): Promise<{ change: LibraryChange; removed: number }> {
  return db.transaction('rw', db.saved, async () => {
    const change = emptyChange();
    const rows = await db.saved.bulkGet([...ids]);
    const present = rows.filter((row): row is SavedPaper => row !== undefined);
    for (const paper of present) recordSaved(change, paper.id, paper);
    await db.saved.bulkDelete(present.map((paper) => paper.id));
    return { change, removed: present.length };
  });
}

/** "Not for me": remembered so pages stop suggesting it; relevance reads it as a negative. */
export async function dismissPaper(
  db: LibraryDatabase,
  id: CanonicalId,
  dismissed: boolean,
  now = Date.now(),
): Promise<LibraryChange> {
  return db.transaction('rw', db.dismissed, async () => {
    const change = emptyChange();
    const existing = await db.dismissed.get(id);
    if (dismissed === Boolean(existing)) return change;
    recordDismissal(change, id, existing);
    if (dismissed) await db.dismissed.put({ id, at: now });
    else await db.dismissed.delete(id);
    return change;
  });
}
