/**
 * Files a user imports into the abstract index, whatever their format: Paperlight's JSON/JSONL,
 * arXiv API Atom (and arXiv RSS or OAI-PMH XML), Hugging Face daily-papers JSON, and the citation
 * formats of lib/formats (BibTeX, CSL-JSON, RIS, PaperMemory, Zotero/Better BibTeX JSON). Pure; the
 * result is all-or-nothing for malformed files, while records that name no paper id we know are
 * skipped and counted (the index is keyed by id).
 */
import { parseCitationFile, type CitationRecord } from '../formats/citation';
import { makePaper, safeUrl } from '../formats/paper';
import type { FormatProblem } from '../formats/types';
import { parsePaperFile } from '../import/paper-file';
import type { IndexPaper } from '../types';
import { parseArxivAtom } from './arxiv-api';
import { parseOaiListRecords } from './arxiv-oai';
import { parseArxivRss } from './arxiv-rss';
import { SyncError } from './errors';
import { parseHfDailyPapers } from './huggingface';

export type IndexFileFormat =
  | 'paperlight-json'
  | 'arxiv-atom'
  | 'arxiv-rss'
  | 'arxiv-oai'
  | 'hf-daily-papers'
  | 'bibtex'
  | 'csl-json'
  | 'ris'
  | 'papermemory'
  | 'zotero-json';

export type IndexFileResult =
  | { ok: true; format: IndexFileFormat; papers: IndexPaper[]; skipped: FormatProblem[] }
  | { ok: false; error: string; problems: FormatProblem[] };

/** XML and the citation formats are refused above this (Paperlight's own JSON has its own cap). */
export const MAX_INDEX_FILE_CHARS = 64 * 1024 * 1024;

function failure(error: string, problems: FormatProblem[] = []): IndexFileResult {
  return { ok: false, error, problems };
}

function fromSync(format: IndexFileFormat, read: () => IndexPaper[]): IndexFileResult {
  try {
    return { ok: true, format, papers: read(), skipped: [] };
  } catch (error) {
    if (error instanceof SyncError) return failure(error.message);
    throw error;
  }
}

function paperFromCitation(record: CitationRecord): IndexPaper | null {
  if (!record.id) return null;
  const code = safeUrl(record.code);
  return makePaper(
    {
      id: record.id,
      title: record.title,
      authors: record.authors,
      abstract: record.abstract ?? '',
      published: record.published,
      venue: record.venue ?? '',
      categories: record.categories ?? [],
      aliases: record.aliases,
      ...(code ? { links: { code } } : {}),
    },
    'import',
  );
}

function looksLikeHfDaily(data: unknown): boolean {
  if (!Array.isArray(data) || data.length === 0) return false;
  const first: unknown = data[0];
  return typeof first === 'object' && first !== null && 'paper' in first;
}

/** CSL items carry a `type` and CSL-shaped authors or dates; Paperlight records don't. */
function looksLikeCsl(data: unknown): boolean {
  const items = Array.isArray(data) ? data : [data];
  const first: unknown = items[0];
  if (typeof first !== 'object' || first === null) return false;
  return 'type' in first && ('issued' in first || 'container-title' in first || 'author' in first);
}

function parseJsonish(text: string, fileName: string): IndexFileResult {
  const trimmed = text.replace(/^\uFEFF/, '').trim();
  let data: unknown;
  try {
    data = JSON.parse(trimmed);
  } catch {
    // Not one JSON value: JSON Lines in Paperlight's format (which reports its own bad lines).
    return fromPaperlight(text);
  }
  if (looksLikeHfDaily(data)) return fromSync('hf-daily-papers', () => parseHfDailyPapers(trimmed));
  const ownRecord = typeof data === 'object' && data !== null && 'id' in data && 'title' in data;
  if ((Array.isArray(data) || ownRecord) && !looksLikeCsl(data)) return fromPaperlight(text);
  return fromCitation(text, fileName);
}

function fromPaperlight(text: string): IndexFileResult {
  const parsed = parsePaperFile(text);
  return parsed.ok
    ? { ok: true, format: 'paperlight-json', papers: parsed.papers, skipped: [] }
    : failure(parsed.error, parsed.problems);
}

function fromCitation(text: string, fileName: string): IndexFileResult {
  const parsed = parseCitationFile(text, fileName);
  if (!parsed.ok) return failure(parsed.error);
  const skipped = [...parsed.skipped];
  const papers: IndexPaper[] = [];
  parsed.records.forEach((record, index) => {
    const paper = paperFromCitation(record);
    if (paper) papers.push(paper);
    else {
      skipped.push({
        line: index + 1,
        message: `"${record.title.slice(0, 60)}" names no arXiv id, DOI or other id Paperlight knows`,
      });
    }
  });
  if (papers.length === 0) {
    return failure(
      'No paper in this file has an id Paperlight knows (arXiv id, DOI, OpenReview, ACL), so nothing was imported.',
      skipped.slice(0, 5),
    );
  }
  return { ok: true, format: parsed.format ?? 'bibtex', papers, skipped };
}

/** Parses an index import file of any supported format. Never throws on bad input. */
export function parseIndexFile(text: string, fileName = ''): IndexFileResult {
  const head = text.replace(/^\uFEFF/, '').trimStart();
  if (head === '') return failure('The file is empty.');
  if (head.startsWith('{') || head.startsWith('[')) return parseJsonish(text, fileName);
  if (text.length > MAX_INDEX_FILE_CHARS) {
    return failure('The file is larger than 64 MB; split it into smaller files.');
  }
  if (head.startsWith('<')) {
    if (/<feed[\s>]/.test(head.slice(0, 4000))) {
      return fromSync('arxiv-atom', () => parseArxivAtom(text).papers);
    }
    if (/<OAI-PMH[\s>]/.test(head.slice(0, 4000))) {
      return fromSync('arxiv-oai', () => parseOaiListRecords(text).papers);
    }
    return fromSync('arxiv-rss', () => parseArxivRss(text).papers);
  }
  return fromCitation(text, fileName);
}
