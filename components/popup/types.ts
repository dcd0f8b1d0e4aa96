import type {
  CanonicalId,
  PaperLinks,
  PaperSnapshot,
  ReadingStatus,
  SavedPaper,
} from '../../lib/types';

/** One paper in any popup list: from the library, the index, or the current page. */
export interface ListPaper {
  key: string;
  id: CanonicalId;
  title: string;
  authors: string;
  year?: string;
  venue?: string;
  abstract?: string;
  links?: PaperLinks;
  saved?: SavedPaper;
  origin: 'library' | 'index' | 'page';
  /** Index hits: where to load the abstract from. */
  ordinal?: number;
  /** Page papers: what the page showed (saved as is when the index lacks it). */
  snapshot?: PaperSnapshot;
  dismissed?: boolean;
  /** Search hits: matched only in the abstract (shown as a hint). */
  matchedIn?: string;
}

export interface PaperActions {
  save: (paper: ListPaper) => void;
  remove: (papers: ListPaper[]) => void;
  setStatus: (papers: ListPaper[], status: ReadingStatus) => void;
  addTag: (papers: ListPaper[], tag: string) => void;
  removeTag: (papers: ListPaper[], tag: string) => void;
  setNote: (paper: ListPaper, note: string) => void;
  dismiss: (paper: ListPaper, dismissed: boolean) => void;
  /** Abstract and links of an index hit. */
  details: (paper: ListPaper) => Promise<Pick<ListPaper, 'abstract' | 'links' | 'venue'>>;
}

export function shortAuthors(authors: readonly string[]): string {
  return authors.length > 4 ? `${authors.slice(0, 3).join(', ')} et al.` : authors.join(', ');
}

export function fromSaved(paper: SavedPaper, origin: ListPaper['origin'] = 'library'): ListPaper {
  const item: ListPaper = {
    key: `${origin}:${paper.id}`,
    id: paper.id,
    title: paper.snapshot.title,
    authors: shortAuthors(paper.snapshot.authors),
    saved: paper,
    origin,
  };
  const year = paper.snapshot.published?.slice(0, 4);
  if (year) item.year = year;
  if (paper.snapshot.venue) item.venue = paper.snapshot.venue;
  if (paper.snapshot.abstract) item.abstract = paper.snapshot.abstract;
  if (paper.snapshot.links) item.links = paper.snapshot.links;
  return item;
}

export const STATUS_LABELS: Record<ReadingStatus, string> = {
  'to-read': 'To read',
  reading: 'Reading',
  read: 'Read',
};

export const NEXT_STATUS: Record<ReadingStatus, ReadingStatus> = {
  'to-read': 'reading',
  reading: 'read',
  read: 'to-read',
};
