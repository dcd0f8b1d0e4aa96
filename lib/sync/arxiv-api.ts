/**
 * arXiv API (export.arxiv.org/api/query): Atom feeds, old (≤2024) and new (2025+) layouts, parsed by
 * element name and never by order (see fixtures NOTES §4). Errors arrive in-band as an entry whose id
 * is under /api/errors (API manual §3.4); an empty page where more results were promised is an
 * anomaly, not the end.
 */
import { isoDate, makePaper } from '../formats/paper';
import { arxivIdFromBare, idFromDoi, idFromUrl } from '../ids';
import type { IndexPaper } from '../types';
import { SyncError } from './errors';
import type { PoliteClient } from './http';
import { attr, child, childText, children, parseXml, text, type XmlValue } from './xml';

export const ARXIV_API = 'https://export.arxiv.org/api/query';
/** Per the API manual, ≤2000 per request; smaller pages checkpoint more often. */
export const ARXIV_PAGE_SIZE = 200;
export const ARXIV_ID_BATCH = 100;

export interface ArxivAtomPage {
  papers: IndexPaper[];
  totalResults: number;
  startIndex: number;
}

function entryPaper(entry: XmlValue): IndexPaper | null {
  const rawId = childText(entry, 'id');
  const id = idFromUrl(rawId) ?? arxivIdFromBare(rawId);
  if (!id) return null;
  const primary = attr(child(entry, 'primary_category'), 'term');
  const categories = children(entry, 'category')
    .map((category) => attr(category, 'term') ?? '')
    .filter(Boolean);
  const dois = childText(entry, 'doi').split(/\s+/).filter(Boolean);
  return makePaper(
    {
      id,
      title: childText(entry, 'title'),
      authors: children(entry, 'author').map((author) => childText(author, 'name')),
      abstract: childText(entry, 'summary'),
      published: isoDate(childText(entry, 'published')),
      updated: isoDate(childText(entry, 'updated')),
      categories: primary ? [primary, ...categories] : categories,
      venue: childText(entry, 'journal_ref'),
      aliases: dois.map((doi) => idFromDoi(doi)),
    },
    'arxiv-api',
  );
}

/** Parses one API answer. Throws SyncError for errors reported in the feed and bad input. */
export function parseArxivAtom(body: string): ArxivAtomPage {
  const root = parseXml(body, 'arXiv API answer');
  const feed = child(root, 'feed');
  if (!feed) throw new SyncError('unexpected-shape', 'The arXiv API answer is not an Atom feed.');
  const entries = children(feed, 'entry');
  const error = entries.find((entry) => childText(entry, 'id').includes('/api/errors'));
  if (error) {
    throw new SyncError(
      'reported-error',
      `arXiv reported an error: ${childText(error, 'summary') || 'unknown error'}.`,
    );
  }
  const total = Number(text(child(feed, 'totalResults')));
  const start = Number(text(child(feed, 'startIndex')));
  return {
    papers: entries.map(entryPaper).filter((paper): paper is IndexPaper => paper !== null),
    totalResults: Number.isFinite(total) ? total : entries.length,
    startIndex: Number.isFinite(start) ? start : 0,
  };
}

/** `cs.LG` submitted between two days (inclusive), oldest first, `start`-paged. */
export function categoryQueryUrl(
  category: string,
  from: string,
  to: string,
  start: number,
  pageSize = ARXIV_PAGE_SIZE,
): string {
  const day = (iso: string): string => iso.replaceAll('-', '');
  const query = `cat:${category} AND submittedDate:[${day(from)}0000 TO ${day(to)}2359]`;
  const params = new URLSearchParams({
    search_query: query,
    sortBy: 'submittedDate',
    sortOrder: 'ascending',
    start: String(start),
    max_results: String(pageSize),
  });
  return `${ARXIV_API}?${params.toString()}`;
}

/** A batch look-up of ids (bare arXiv ids, no prefix). */
export function idListUrl(ids: readonly string[]): string {
  const params = new URLSearchParams({
    id_list: ids.join(','),
    max_results: String(ids.length),
  });
  return `${ARXIV_API}?${params.toString()}`;
}

export async function fetchArxivAtom(client: PoliteClient, url: string): Promise<ArxivAtomPage> {
  const response = await client.request({ url, what: 'the arXiv API', maxBytes: 16 * 1024 * 1024 });
  return parseArxivAtom(response.text);
}
