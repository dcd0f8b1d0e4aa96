/**
 * The library's messages, spread into the one protocol in lib/messages.ts. All are for extension
 * pages (popup, options); content scripts read the few settings they need from storage.local
 * (lib/page-settings.ts).
 */
import { z } from 'zod';
import type { CitationFormat, FormatProblem } from '../formats/citation-types';
import { settingsPatchSchema, type Settings } from '../settings';
import type { CanonicalId, PaperSnapshot, SavedPaper, Tag } from '../types';
import type { RestoreCounts } from './backup';

const id = z.string().min(3).max(300);
const ids = z.array(id).min(1).max(20_000);
const tagName = z.string().min(1).max(200);
const undoToken = z.string().min(1).max(100);

export const libraryRequestSchemas = {
  getTabPapers: z.object({ tabId: z.number().int().nonnegative() }),
  savePaperFromTab: z.object({ tabId: z.number().int().nonnegative(), id }),
  tagPapers: z.object({
    ids,
    add: z.array(tagName).max(100).optional(),
    remove: z.array(tagName).max(100).optional(),
  }),
  setPaperNote: z.object({ id, note: z.string().max(100_000) }),
  setReadingStatus: z.object({ ids, status: z.enum(['to-read', 'reading', 'read']) }),
  deletePapers: z.object({ ids }),
  dismissPaper: z.object({ id, dismissed: z.boolean() }),
  undoLibraryChange: z.object({ undo: undoToken }),
  createTag: z.object({ name: tagName, color: z.string().max(20).optional() }),
  renameTag: z.object({ from: tagName, to: tagName }),
  mergeTags: z.object({ sources: z.array(tagName).min(1).max(1000), target: tagName }),
  deleteTag: z.object({ name: tagName }),
  setTagColor: z.object({ name: tagName, color: z.string().max(20) }),
  importLibraryFile: z.object({ text: z.string(), fileName: z.string().max(500) }),
  restoreLibrary: z.object({ text: z.string(), mode: z.enum(['replace', 'merge']) }),
  getSettings: z.object({}),
  updateSettings: z.object({ patch: settingsPatchSchema }),
  refreshSearchIndex: z.object({}),
} as const;

export type LibraryMessageType = keyof typeof libraryRequestSchemas;

/** A paper the current tab shows, as the popup's "This page" lists it. */
export interface TabPaper {
  id: CanonicalId;
  snapshot: PaperSnapshot;
  saved: boolean;
  dismissed: boolean;
}

/** Edits answer with a token for `undoLibraryChange` (absent when nothing changed). */
interface Undoable {
  undo?: string;
}

export interface LibraryResponseMap {
  getTabPapers: { papers: TabPaper[] };
  savePaperFromTab: { saved: SavedPaper };
  tagPapers: Undoable & { changed: number };
  setPaperNote: Undoable & { changed: number };
  setReadingStatus: Undoable & { changed: number };
  deletePapers: Undoable & { removed: number };
  dismissPaper: Undoable;
  undoLibraryChange: { undone: boolean };
  createTag: Undoable & { tag: Tag };
  renameTag: Undoable & { target: string; papers: number };
  mergeTags: Undoable & { target: string; papers: number };
  deleteTag: Undoable & { papers: number };
  setTagColor: Undoable;
  importLibraryFile:
    | (Undoable & {
        ok: true;
        format: CitationFormat;
        added: number;
        updated: number;
        matched: number;
        unmatched: number;
        skipped: FormatProblem[];
      })
    | { ok: false; error: string };
  restoreLibrary: ({ ok: true } & RestoreCounts) | { ok: false; error: string };
  getSettings: Settings;
  updateSettings: Settings;
  refreshSearchIndex: { papers: number; appended: number; rebuilt: boolean };
}

export const libraryAudience: Record<LibraryMessageType, 'page' | 'extension'> = {
  getTabPapers: 'extension',
  savePaperFromTab: 'extension',
  tagPapers: 'extension',
  setPaperNote: 'extension',
  setReadingStatus: 'extension',
  deletePapers: 'extension',
  dismissPaper: 'extension',
  undoLibraryChange: 'extension',
  createTag: 'extension',
  renameTag: 'extension',
  mergeTags: 'extension',
  deleteTag: 'extension',
  setTagColor: 'extension',
  importLibraryFile: 'extension',
  restoreLibrary: 'extension',
  getSettings: 'extension',
  updateSettings: 'extension',
  refreshSearchIndex: 'extension',
};
