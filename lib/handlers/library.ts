/**
 * Handlers of the library's messages (lib/library/protocol.ts), spread into `createHandlers`.
 */
import type { IndexDatabase, LibraryDatabase } from '../db';
import { parseCitationFile } from '../formats/citation';
import { savedAmong, savePaper } from '../library';
import { parseBackup, restoreBackup } from '../library/backup';
import {
  isEmptyChange,
  memoryUndoStore,
  revertChange,
  type LibraryChange,
  type UndoStore,
} from '../library/change';
import { deletePapers, dismissPaper, setNote, setReadingStatus, tagPapers } from '../library/edit';
import { importCitationRecords } from '../library/import';
import type { LibraryMessageType } from '../library/protocol';
import { createTag, deleteTag, mergeTags, renameTag, setTagColor } from '../library/tags';
import type { Handlers } from '../messages';
import { getPapers } from '../index-store';
import { refreshSearchIndex } from '../search/store';
import { memorySettingsStore, type SettingsStore } from '../settings';
import type { CanonicalId, PaperSnapshot } from '../types';

/** What a tab's page showed (the background keeps it per tab in storage.session). */
export interface TabPages {
  list(tabId: number): Promise<{ id: CanonicalId; snapshot: PaperSnapshot }[]>;
}

export interface LibraryHandlerDeps {
  indexDb: IndexDatabase;
  libraryDb: LibraryDatabase;
  undo?: UndoStore;
  settings?: SettingsStore;
  tabPages?: TabPages;
  /** Called after the library's papers change in bulk (imports, restores). */
  now?: () => number;
}

function withIndexAbstract(snapshot: PaperSnapshot, abstract: string | undefined): PaperSnapshot {
  return abstract && !snapshot.abstract ? { ...snapshot, abstract } : snapshot;
}

function newToken(): string {
  return globalThis.crypto.randomUUID();
}

export function createLibraryHandlers(
  deps: LibraryHandlerDeps,
): Pick<Handlers, LibraryMessageType> {
  const { libraryDb, indexDb } = deps;
  const undo = deps.undo ?? memoryUndoStore();
  const settings = deps.settings ?? memorySettingsStore();
  const now = deps.now ?? Date.now;

  async function remember(change: LibraryChange): Promise<{ undo?: string }> {
    if (isEmptyChange(change)) return {};
    const token = newToken();
    await undo.put(token, change);
    return { undo: token };
  }

  async function tabRecords(
    tabId: number,
  ): Promise<{ id: CanonicalId; snapshot: PaperSnapshot }[]> {
    return deps.tabPages ? deps.tabPages.list(tabId) : [];
  }

  return {
    async getTabPapers({ tabId }) {
      const records = await tabRecords(tabId);
      const ids = records.map((record) => record.id);
      const [saved, dismissed, indexed] = await Promise.all([
        savedAmong(libraryDb, ids),
        libraryDb.dismissed.bulkGet(ids),
        // Listings such as arXiv /recent and Google Scholar show no abstracts: the index has them.
        getPapers(
          indexDb,
          records.filter((record) => !record.snapshot.abstract).map((record) => record.id),
        ),
      ]);
      return {
        papers: records.map((record, index) => ({
          id: record.id,
          snapshot: withIndexAbstract(record.snapshot, indexed.get(record.id)?.abstract),
          saved: saved.has(record.id),
          dismissed: dismissed[index] !== undefined,
        })),
      };
    },

    async savePaperFromTab({ tabId, id }) {
      const record = (await tabRecords(tabId)).find((item) => item.id === id);
      if (!record) throw new Error('That paper is not on this tab.');
      return { saved: await savePaper(libraryDb, id, record.snapshot, now()) };
    },

    async tagPapers({ ids, add, remove }) {
      const { change, changed } = await tagPapers(libraryDb, ids, { add, remove }, now());
      return { changed, ...(await remember(change)) };
    },

    async setPaperNote({ id, note }) {
      const { change, changed } = await setNote(libraryDb, id, note, now());
      return { changed, ...(await remember(change)) };
    },

    async setReadingStatus({ ids, status }) {
      const { change, changed } = await setReadingStatus(libraryDb, ids, status, now());
      return { changed, ...(await remember(change)) };
    },

    async deletePapers({ ids }) {
      const { change, removed } = await deletePapers(libraryDb, ids);
      return { removed, ...(await remember(change)) };
    },

    async dismissPaper({ id, dismissed }) {
      return remember(await dismissPaper(libraryDb, id, dismissed, now()));
    },

    async undoLibraryChange({ undo: token }) {
      const change = await undo.take(token);
      if (!change) return { undone: false };
      await revertChange(libraryDb, change);
      return { undone: true };
    },

    async createTag({ name, color }) {
      const { tag, change } = await createTag(libraryDb, name, color, now());
      return { tag, ...(await remember(change)) };
    },

    async renameTag({ from, to }) {
      const { change, papers, target } = await renameTag(libraryDb, from, to, now());
      return { papers, target, ...(await remember(change)) };
    },

    async mergeTags({ sources, target }) {
      const result = await mergeTags(libraryDb, sources, target, now());
      return { papers: result.papers, target: result.target, ...(await remember(result.change)) };
    },

    async deleteTag({ name }) {
      const { change, papers } = await deleteTag(libraryDb, name, now());
      return { papers, ...(await remember(change)) };
    },

    async setTagColor({ name, color }) {
      return remember(await setTagColor(libraryDb, name, color));
    },

    async importLibraryFile({ text, fileName }) {
      const parsed = parseCitationFile(text, fileName);
      if (!parsed.ok) return { ok: false, error: parsed.error };
      if (!parsed.format) return { ok: false, error: 'Unknown file format.' };
      const summary = await importCitationRecords(libraryDb, indexDb, parsed.records, now());
      return {
        ok: true,
        format: parsed.format,
        added: summary.added,
        updated: summary.updated,
        matched: summary.matched,
        unmatched: summary.unmatched,
        skipped: parsed.skipped.slice(0, 20),
        ...(await remember(summary.change)),
      };
    },

    async restoreLibrary({ text, mode }) {
      const parsed = parseBackup(text);
      if (!parsed.ok) return parsed;
      const counts = await restoreBackup(libraryDb, parsed.backup, mode);
      if (parsed.backup.settings) await settings.update(parsed.backup.settings);
      return { ok: true, ...counts };
    },

    async getSettings() {
      return settings.get();
    },

    async updateSettings({ patch }) {
      return settings.update(patch);
    },

    async refreshSearchIndex() {
      return refreshSearchIndex(indexDb, now());
    },
  };
}

/**
 * The "save this paper" keyboard command: saves the paper of a single-paper page (an abstract
 * page). Listing pages show many papers, so the command does nothing there.
 */
export async function saveOnlyPaperOfTab(
  deps: Pick<LibraryHandlerDeps, 'libraryDb' | 'tabPages'>,
  tabId: number,
  now = Date.now(),
): Promise<{ saved: CanonicalId } | { skipped: 'no paper' | 'several papers' }> {
  const records = deps.tabPages ? await deps.tabPages.list(tabId) : [];
  const [only] = records;
  if (!only) return { skipped: 'no paper' };
  if (records.length > 1) return { skipped: 'several papers' };
  await savePaper(deps.libraryDb, only.id, only.snapshot, now);
  return { saved: only.id };
}
