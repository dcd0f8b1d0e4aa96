/**
 * What the citation-file parsers (BibTeX, CSL-JSON, RIS, PaperMemory, Better BibTeX JSON) return:
 * format-neutral records that may lack an id (a library import keeps those with their own
 * metadata), or a typed error. Pure: text in, records out.
 */
import type { CanonicalId, ReadingStatus } from '../types';
import type { FormatProblem } from './types';

export type { FormatProblem } from './types';

/** One bibliographic record as a file described it, before it meets the index or the library. */
export interface CitationRecord {
  /** The best canonical id the record yields (arXiv first, then OpenReview, ACL, DOI, DBLP). */
  id?: CanonicalId;
  /** Every other canonical id the record names. */
  aliases: CanonicalId[];
  title: string;
  /** Display names, "First Last". */
  authors: string[];
  abstract?: string;
  /** ISO date, possibly partial (`2017`, `2017-06`, `2017-06-12`). */
  published?: string;
  venue?: string;
  categories?: string[];
  url?: string;
  pdf?: string;
  code?: string;
  doi?: string;
  tags: string[];
  note?: string;
  /** The file's own citation key (BibTeX key, Better BibTeX `citationKey`), kept so exports reuse it. */
  citationKey?: string;
  /** Entry type as the file named it (`article`, `inproceedings`, `paper-conference`, `JOUR`). */
  kind?: string;
  status?: ReadingStatus;
  /** Epoch milliseconds the source says the paper was added. */
  addedAt?: number;
}

export type CitationFormat = 'bibtex' | 'csl-json' | 'ris' | 'papermemory' | 'zotero-json';

export type CitationResult =
  { ok: true; records: CitationRecord[]; skipped: FormatProblem[] } | { ok: false; error: string };
