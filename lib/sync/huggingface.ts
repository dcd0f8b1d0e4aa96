/**
 * Hugging Face papers: `/api/daily_papers?date=|week=|month=` (array of `{paper:{…}}`, paged by `p`)
 * and `/api/papers/<arXiv id>` (one paper object). Papers are arXiv papers; the HF page is a link.
 */
import { isoDate, makePaper, safeUrl } from '../formats/paper';
import { arxivIdFromBare, idBody } from '../ids';
import type { IndexPaper } from '../types';
import { SyncError } from './errors';
import type { PoliteClient } from './http';
import { isObject, parseJson, reportedError, str } from './json';

export const HF_API = 'https://huggingface.co/api/';
export const HF_PAGE_SIZE = 100;

/** One HF paper object → an index record, or null when it is not an arXiv paper with a title. */
export function hfPaper(value: unknown): IndexPaper | null {
  if (!isObject(value)) return null;
  const id = arxivIdFromBare(str(value.id));
  if (!id) return null;
  const authors = Array.isArray(value.authors)
    ? value.authors.flatMap((author) =>
        isObject(author) && typeof author.name === 'string' ? [author.name] : [],
      )
    : [];
  const code = safeUrl(value.githubRepo);
  const links: { hf: string; code?: string } = {
    hf: `https://huggingface.co/papers/${idBody(id)}`,
  };
  if (code) links.code = code;
  return makePaper(
    {
      id,
      title: str(value.title),
      authors,
      abstract: str(value.summary),
      published: isoDate(str(value.publishedAt)),
      links,
    },
    'huggingface',
  );
}

function shapeError(what: string, parsed: unknown): SyncError {
  const reported = reportedError(parsed);
  return reported
    ? new SyncError('reported-error', `Hugging Face reported an error: ${reported}`)
    : new SyncError('unexpected-shape', `The Hugging Face ${what} has an unexpected shape.`);
}

/** Parses a daily_papers answer (date, week or month listing). */
export function parseHfDailyPapers(body: string): IndexPaper[] {
  const parsed = parseJson(body, 'Hugging Face daily papers');
  if (!Array.isArray(parsed)) throw shapeError('daily papers list', parsed);
  return parsed
    .map((item) => hfPaper(isObject(item) && isObject(item.paper) ? item.paper : item))
    .filter((paper): paper is IndexPaper => paper !== null);
}

/** Parses `/api/papers/<id>`. */
export function parseHfPaper(body: string): IndexPaper | null {
  const parsed = parseJson(body, 'Hugging Face paper');
  if (!isObject(parsed) || reportedError(parsed)) throw shapeError('paper', parsed);
  return hfPaper(parsed);
}

export type HfPeriod = { date: string } | { week: string } | { month: string };

export function dailyPapersUrl(period: HfPeriod, page: number): string {
  const params = new URLSearchParams({
    ...period,
    limit: String(HF_PAGE_SIZE),
    p: String(page),
    sort: 'publishedAt',
  });
  return `${HF_API}daily_papers?${params.toString()}`;
}

export async function fetchHfDailyPapers(
  client: PoliteClient,
  period: HfPeriod,
  page: number,
): Promise<IndexPaper[]> {
  const response = await client.request({
    url: dailyPapersUrl(period, page),
    what: 'Hugging Face daily papers',
  });
  return parseHfDailyPapers(response.text);
}

export async function fetchHfPaper(
  client: PoliteClient,
  arxivId: string,
): Promise<IndexPaper | null> {
  const response = await client.request({
    url: `${HF_API}papers/${encodeURIComponent(arxivId)}`,
    what: 'Hugging Face paper',
  });
  return parseHfPaper(response.text);
}
