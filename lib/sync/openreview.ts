/**
 * OpenReview API v2: the notes of one venue (`content.venueid=ICLR.cc/2024/Conference`), paged by
 * offset. v2 wraps every content field as `{value}`; v1 notes (old venues) hold plain values, which
 * are accepted too. 429 answers carry `details.resetTime`, honoured by the request layer.
 */
import { isoDate, makePaper } from '../formats/paper';
import type { IndexPaper } from '../types';
import { SyncError } from './errors';
import type { PoliteClient } from './http';
import { isObject, parseJson, reportedError, str } from './json';

export const OPENREVIEW_API = 'https://api2.openreview.net/notes';
export const OPENREVIEW_PAGE_SIZE = 1000;
const FORUM_ID = /^[A-Za-z0-9_-]{5,}$/;

function field(content: Record<string, unknown>, name: string): unknown {
  const value = content[name];
  return isObject(value) && 'value' in value ? value.value : value;
}

function notePaper(note: unknown): IndexPaper | null {
  if (!isObject(note) || !isObject(note.content)) return null;
  const forum = str(note.forum) || str(note.id);
  if (!FORUM_ID.test(forum)) return null;
  const content = note.content;
  const authors = field(content, 'authors');
  const keywords = field(content, 'keywords');
  const date = typeof note.pdate === 'number' ? note.pdate : note.cdate;
  return makePaper(
    {
      id: `openreview:${forum}`,
      title: str(field(content, 'title')),
      authors: Array.isArray(authors)
        ? authors.filter((a): a is string => typeof a === 'string')
        : [],
      abstract: str(field(content, 'abstract')),
      published: typeof date === 'number' ? isoDate(new Date(date).toISOString()) : undefined,
      venue: str(field(content, 'venue')),
      categories: Array.isArray(keywords)
        ? keywords.filter((k): k is string => typeof k === 'string').slice(0, 20)
        : [],
    },
    'openreview',
  );
}

export interface OpenReviewPage {
  papers: IndexPaper[];
  /** Notes in the answer (papers may be fewer: notes without a title are skipped). */
  noteCount: number;
  count?: number;
}

export function parseOpenReviewNotes(body: string): OpenReviewPage {
  const parsed = parseJson(body, 'OpenReview answer');
  if (!isObject(parsed) || !Array.isArray(parsed.notes)) {
    const reported = reportedError(parsed);
    throw reported
      ? new SyncError('reported-error', `OpenReview reported an error: ${reported}`)
      : new SyncError('unexpected-shape', 'The OpenReview answer has no notes.');
  }
  const page: OpenReviewPage = {
    papers: parsed.notes.map(notePaper).filter((paper): paper is IndexPaper => paper !== null),
    noteCount: parsed.notes.length,
  };
  if (typeof parsed.count === 'number') page.count = parsed.count;
  return page;
}

export function venueNotesUrl(venueId: string, offset: number): string {
  const params = new URLSearchParams({
    'content.venueid': venueId,
    limit: String(OPENREVIEW_PAGE_SIZE),
    offset: String(offset),
    count: 'true',
  });
  return `${OPENREVIEW_API}?${params.toString()}`;
}

export async function fetchVenueNotes(
  client: PoliteClient,
  venueId: string,
  offset: number,
): Promise<OpenReviewPage> {
  const response = await client.request({
    url: venueNotesUrl(venueId, offset),
    what: 'OpenReview',
  });
  return parseOpenReviewNotes(response.text);
}
