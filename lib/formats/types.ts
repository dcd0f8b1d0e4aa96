/**
 * What every file-format parser returns: typed records (an index paper plus what a library import
 * may want: tags, note, when it was saved), or a typed failure. Pure: text in, result out.
 */
import type { IndexPaper } from '../types';

export type FormatId =
  | 'paperlight-json'
  | 'arxiv-atom'
  | 'hf-daily-papers'
  | 'bibtex'
  | 'csl-json'
  | 'papermemory'
  | 'zotero-json';

export interface FormatRecord {
  paper: IndexPaper;
  tags?: string[];
  note?: string;
  /** Epoch ms, when the source says when the user saved it. */
  savedAt?: number;
}

export interface FormatProblem {
  /** 1-based line, or record number for formats without lines. */
  line: number;
  message: string;
}

export type FormatResult =
  | {
      ok: true;
      format: FormatId;
      records: FormatRecord[];
      /** Records that were read but can't be indexed (no id we know, no title). */
      skipped: FormatProblem[];
    }
  | { ok: false; format?: FormatId; error: string; problems: FormatProblem[] };

export function formatFailure(error: string, format?: FormatId): FormatResult {
  return format ? { ok: false, format, error, problems: [] } : { ok: false, error, problems: [] };
}

/** Size cap for text formats other than Paperlight's own JSON (BibTeX, XML, CSL, exports). */
export const MAX_FORMAT_CHARS = 64 * 1024 * 1024;
