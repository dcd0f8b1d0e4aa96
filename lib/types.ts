/**
 * Entity types shared by the databases, the message protocol and the UI.
 * Migrations import only this module (see docs/ARCHITECTURE.md).
 */

/** `arxiv:2401.01234`, `doi:10.1000/x`, `openreview:AbC`, `acl:2023.acl-long.1`, `s2:<hex>`, `dblp:<key>`. */
export type CanonicalId = string;

export type SourceName =
  | 'import'
  | 'page'
  | 'arxiv-rss'
  | 'arxiv-api'
  | 'arxiv-oai'
  | 'huggingface'
  | 'openreview'
  | 'semantic-scholar'
  | 'library';

export interface PaperLinks {
  abs?: string;
  pdf?: string;
  html?: string;
  code?: string;
  hf?: string;
}

/** One paper of the rebuildable abstract index. */
export interface IndexPaper {
  id: CanonicalId;
  title: string;
  /** Normalized title key (see lib/normalize.ts); equal keys mean the same title. */
  titleKey: string;
  authors: string[];
  abstract?: string;
  /** ISO date (YYYY-MM-DD or full ISO timestamp). */
  published?: string;
  updated?: string;
  categories?: string[];
  venue?: string;
  sources: SourceName[];
  links?: PaperLinks;
  /** Other canonical ids of the same paper (a DOI of an arXiv paper, its OpenReview forum, ...). */
  aliases?: CanonicalId[];
}

/** An index paper as stored: its title key is derived on read, so it follows the normalizer. */
export type StoredIndexPaper = Omit<IndexPaper, 'titleKey'>;

/** One storage record of the index: up to 512 papers by insertion order (lib/index-store.ts). */
export interface IndexBucket {
  b: number;
  papers: StoredIndexPaper[];
}

/** What the library keeps of a paper, so it never depends on the index. */
export interface PaperSnapshot {
  title: string;
  authors: string[];
  abstract?: string;
  published?: string;
  categories?: string[];
  venue?: string;
  links?: PaperLinks;
  aliases?: CanonicalId[];
}

export type ReadingStatus = 'to-read' | 'reading' | 'read';

export interface SavedPaper {
  id: CanonicalId;
  snapshot: PaperSnapshot;
  /** Epoch milliseconds. */
  savedAt: number;
  updatedAt: number;
  tags: string[];
  note: string;
  status: ReadingStatus;
  /** A citation key the user brought (imported BibTeX key, Better BibTeX `citationKey`); exports keep it. */
  citationKey?: string;
}

export interface Tag {
  name: string;
  /** CSS colour, e.g. `#3b82f6`. */
  color: string;
  createdAt: number;
}

export interface Dismissal {
  id: CanonicalId;
  at: number;
}
