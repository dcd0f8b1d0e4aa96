/**
 * Library export in every format a researcher moves papers with. Keys are computed over the whole
 * library so a subset exports with the same keys as the full library.
 */
import type { SavedPaper } from '../types';
import { toBibtex } from './bibtex';
import { toCslJson } from './csl-json';
import { toCsv } from './csv';
import { assignCitationKeys } from './keys';
import { toMarkdown } from './markdown';
import { toRis } from './ris';

export type ExportFormat = 'bibtex' | 'csl-json' | 'ris' | 'csv' | 'markdown';

export const EXPORT_FORMATS: Record<
  ExportFormat,
  { label: string; extension: string; mime: string }
> = {
  bibtex: { label: 'BibTeX', extension: 'bib', mime: 'application/x-bibtex' },
  'csl-json': {
    label: 'CSL-JSON',
    extension: 'json',
    mime: 'application/vnd.citationstyles.csl+json',
  },
  ris: { label: 'RIS', extension: 'ris', mime: 'application/x-research-info-systems' },
  csv: { label: 'CSV', extension: 'csv', mime: 'text/csv' },
  markdown: { label: 'Markdown', extension: 'md', mime: 'text/markdown' },
};

/** Exports `papers` (a subset of `library`, or all of it) in `format`. */
export function exportPapers(
  format: ExportFormat,
  papers: readonly SavedPaper[],
  library: readonly SavedPaper[] = papers,
): string {
  const keys = assignCitationKeys(library);
  switch (format) {
    case 'bibtex':
      return toBibtex(papers, keys);
    case 'csl-json':
      return toCslJson(papers, keys);
    case 'ris':
      return toRis(papers, keys);
    case 'csv':
      return toCsv(papers, keys);
    case 'markdown':
      return toMarkdown(papers, keys);
  }
}
