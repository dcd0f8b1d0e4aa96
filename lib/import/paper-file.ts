/**
 * The index file format a user can import before any sync exists: a JSON array, or JSON Lines, of
 * `{ id, title, abstract?, authors?: string[], published?, url?, categories?, venue? }`, where `id`
 * may be a canonical id, an arXiv id or a URL. Parsing is all-or-nothing: one bad record rejects the
 * file with the first bad lines listed, so nothing is half-imported.
 */
import { parseId } from '../ids';
import { cleanTitle, titleKey } from '../normalize';
import type { IndexPaper, SourceName } from '../types';

export interface FileProblem {
  /** 1-based line (JSONL) or record number (JSON array). */
  line: number;
  message: string;
}

export type ParseResult =
  { ok: true; papers: IndexPaper[] } | { ok: false; error: string; problems: FileProblem[] };

/** Files larger than this are refused before parsing (JSON.parse would hold it all in memory twice). */
export const MAX_IMPORT_BYTES = 512 * 1024 * 1024;
const MAX_LISTED_PROBLEMS = 5;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function optionalString(record: Record<string, unknown>, key: string): string | undefined | Error {
  const value = record[key];
  if (value === undefined || value === null) {
    return undefined;
  }
  return typeof value === 'string' ? value : new Error(`"${key}" must be a string`);
}

function optionalStrings(
  record: Record<string, unknown>,
  key: string,
): string[] | undefined | Error {
  const value = record[key];
  if (value === undefined || value === null) {
    return undefined;
  }
  if (typeof value === 'string') {
    return [value];
  }
  if (Array.isArray(value) && value.every((item) => typeof item === 'string')) {
    return value;
  }
  return new Error(`"${key}" must be a list of strings`);
}

/** One record of the import format → an index paper, or the reason it is not one. */
export function paperFromRecord(value: unknown, source: SourceName = 'import'): IndexPaper | Error {
  if (!isRecord(value)) {
    return new Error('not an object');
  }
  const rawId = value.id ?? value.url;
  if (typeof rawId !== 'string' || rawId.trim() === '') {
    return new Error('missing "id"');
  }
  const id = parseId(rawId) ?? (typeof value.url === 'string' ? parseId(value.url) : null);
  if (!id) {
    return new Error(`"${rawId.slice(0, 80)}" is not a paper id or URL we know`);
  }
  if (typeof value.title !== 'string' || cleanTitle(value.title) === '') {
    return new Error('missing "title"');
  }
  const fields = {
    abstract: optionalString(value, 'abstract'),
    published: optionalString(value, 'published'),
    url: optionalString(value, 'url'),
    venue: optionalString(value, 'venue'),
    authors: optionalStrings(value, 'authors'),
    categories: optionalStrings(value, 'categories'),
  };
  for (const field of Object.values(fields)) {
    if (field instanceof Error) {
      return field;
    }
  }
  const { abstract, published, url, venue, authors, categories } = fields as {
    abstract?: string;
    published?: string;
    url?: string;
    venue?: string;
    authors?: string[];
    categories?: string[];
  };
  const title = cleanTitle(value.title);
  const paper: IndexPaper = {
    id,
    title,
    titleKey: titleKey(title),
    authors: (authors ?? []).map((name) => name.trim()).filter(Boolean),
    sources: [source],
  };
  if (abstract?.trim()) paper.abstract = abstract.replace(/\s+/g, ' ').trim();
  if (published) paper.published = published;
  if (venue) paper.venue = venue;
  if (categories?.length) paper.categories = categories;
  if (url && /^https?:\/\//i.test(url)) paper.links = { abs: url };
  return paper;
}

function failure(problems: FileProblem[], total: number): ParseResult {
  const listed = problems
    .slice(0, MAX_LISTED_PROBLEMS)
    .map((problem) => `line ${problem.line}: ${problem.message}`)
    .join('; ');
  const more =
    problems.length > MAX_LISTED_PROBLEMS
      ? ` (and ${problems.length - MAX_LISTED_PROBLEMS} more)`
      : '';
  return {
    ok: false,
    error: `${problems.length} of ${total} records are not valid, so nothing was imported — ${listed}${more}`,
    problems: problems.slice(0, MAX_LISTED_PROBLEMS),
  };
}

/** Parses a JSON array or JSONL file of papers. Never throws. */
export function parsePaperFile(text: string): ParseResult {
  if (text.length > MAX_IMPORT_BYTES) {
    return {
      ok: false,
      error: 'The file is larger than 512 MB; split it into smaller files.',
      problems: [],
    };
  }
  const trimmed = text.replace(/^\uFEFF/, '').trim();
  if (trimmed === '') {
    return { ok: false, error: 'The file is empty.', problems: [] };
  }
  const problems: FileProblem[] = [];
  const papers: IndexPaper[] = [];
  if (trimmed.startsWith('[')) {
    let records: unknown;
    try {
      records = JSON.parse(trimmed);
    } catch (error) {
      return { ok: false, error: `Not valid JSON: ${(error as Error).message}`, problems: [] };
    }
    if (!Array.isArray(records)) {
      return { ok: false, error: 'Expected a JSON array of papers.', problems: [] };
    }
    records.forEach((record, index) => {
      const paper = paperFromRecord(record);
      if (paper instanceof Error) problems.push({ line: index + 1, message: paper.message });
      else papers.push(paper);
    });
    return problems.length > 0 ? failure(problems, records.length) : { ok: true, papers };
  }
  const lines = trimmed.split(/\r?\n/);
  let total = 0;
  lines.forEach((line, index) => {
    if (line.trim() === '') return;
    total += 1;
    let record: unknown;
    try {
      // A record is an object: other lines fail here, without JSON.parse's exception, which made
      // picking a 100k-line non-JSON file cost the background seconds.
      record = line.trimStart().startsWith('{') ? JSON.parse(line) : undefined;
    } catch {
      record = undefined;
    }
    if (record === undefined) {
      problems.push({ line: index + 1, message: 'not valid JSON' });
      return;
    }
    const paper = paperFromRecord(record);
    if (paper instanceof Error) problems.push({ line: index + 1, message: paper.message });
    else papers.push(paper);
  });
  return problems.length > 0 ? failure(problems, total) : { ok: true, papers };
}
