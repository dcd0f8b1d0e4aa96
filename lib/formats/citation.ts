/**
 * Citation-file formats: detection by content (not by file name alone) and dispatch to a parser.
 */
import { parseBibtex } from './bibtex';
import { isRecord } from './common';
import { parseCslJson } from './csl-json';
import { looksLikePaperMemory, parsePaperMemory } from './papermemory';
import { parseRis } from './ris';
import type { CitationFormat, CitationResult } from './citation-types';
import { looksLikeZoteroJson, parseZoteroJson } from './zotero-json';

export type {
  CitationFormat,
  CitationRecord,
  CitationResult,
  FormatProblem,
} from './citation-types';

/** Files larger than this are refused before parsing. */
export const MAX_CITATION_FILE_BYTES = 64 * 1024 * 1024;

/** Which format a file is in, from its content (and its name as a tie-breaker). */
export function detectFormat(text: string, fileName = ''): CitationFormat | null {
  const head = text.replace(/^\uFEFF/, '').trimStart();
  if (head.startsWith('{') || head.startsWith('[')) {
    let data: unknown;
    try {
      data = JSON.parse(head);
    } catch {
      return null;
    }
    if (looksLikeZoteroJson(data)) return 'zotero-json';
    if (looksLikePaperMemory(data)) return 'papermemory';
    if (Array.isArray(data) || (isRecord(data) && 'title' in data)) return 'csl-json';
    return null;
  }
  if (/^TY {2}- /m.test(head.slice(0, 4000))) return 'ris';
  if (/@\s*[a-zA-Z]+\s*[{(]/.test(head) || /\.(bib|bibtex)$/i.test(fileName)) return 'bibtex';
  return null;
}

export function parseCitationFile(
  text: string,
  fileName = '',
): CitationResult & { format?: CitationFormat } {
  if (text.length > MAX_CITATION_FILE_BYTES) {
    return { ok: false, error: 'The file is larger than 64 MB.' };
  }
  const format = detectFormat(text, fileName);
  switch (format) {
    case 'bibtex':
      return { ...parseBibtex(text), format };
    case 'csl-json':
      return { ...parseCslJson(text), format };
    case 'ris':
      return { ...parseRis(text), format };
    case 'papermemory':
      return { ...parsePaperMemory(text), format };
    case 'zotero-json':
      return { ...parseZoteroJson(text), format };
    default:
      return {
        ok: false,
        error:
          'Not a file Paperlight can read: expected BibTeX, CSL-JSON, RIS, a PaperMemory export or Better BibTeX JSON.',
      };
  }
}
