/**
 * CSV export (RFC 4180, UTF-8 with BOM so spreadsheets pick the encoding). Titles and notes come from
 * web pages and users, so a cell that a spreadsheet would run as a formula (`=`, `+`, `-`, `@`, tab,
 * CR first) is prefixed with `'` and stays text (OWASP "CSV Injection").
 */
import type { CanonicalId, SavedPaper } from '../types';
import { exportFields } from './fields';

export const CSV_COLUMNS = [
  'key', 'id', 'title', 'authors', 'year', 'published', 'venue', 'arxiv', 'doi', 'url', 'pdf',
  'code', 'tags', 'status', 'note', 'saved_at', 'abstract',
] as const; // prettier-ignore

/** Neutralizes a spreadsheet formula, then quotes as RFC 4180 needs. */
export function csvCell(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export function toCsv(
  papers: readonly SavedPaper[],
  keys: ReadonlyMap<CanonicalId, string>,
): string {
  const rows = papers.map((paper) => {
    const fields = exportFields(paper);
    const row: Record<(typeof CSV_COLUMNS)[number], string> = {
      key: keys.get(paper.id) ?? '',
      id: paper.id,
      title: fields.title,
      authors: paper.snapshot.authors.join('; '),
      year: fields.year ?? '',
      published: paper.snapshot.published ?? '',
      venue: fields.venue ?? '',
      arxiv: fields.arxiv ?? '',
      doi: fields.doi ?? '',
      url: fields.url ?? '',
      pdf: fields.pdf ?? '',
      code: fields.code ?? '',
      tags: fields.tags.join('; '),
      status: fields.status,
      note: fields.note,
      saved_at: new Date(fields.savedAt).toISOString(),
      abstract: fields.abstract ?? '',
    };
    return CSV_COLUMNS.map((column) => csvCell(row[column])).join(',');
  });
  return `\uFEFF${[CSV_COLUMNS.join(','), ...rows].join('\r\n')}\r\n`;
}
