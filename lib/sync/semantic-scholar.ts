/**
 * Semantic Scholar Graph API batch look-up (POST /graph/v1/paper/batch) for ids seen on S2, Scholar
 * and DBLP pages. The answer is aligned with the request, `null` for unknown ids; abstracts may be
 * null for licensing reasons. Works keyless (shared pool); a key gets a dedicated 1 request/s.
 */
import { isoDate, makePaper } from '../formats/paper';
import { arxivIdFromBare, idBody, idFromDoi, idKind } from '../ids';
import type { CanonicalId, IndexPaper } from '../types';
import { SyncError } from './errors';
import type { PoliteClient } from './http';
import { isObject, parseJson, reportedError, str } from './json';

export const S2_BATCH = 'https://api.semanticscholar.org/graph/v1/paper/batch';
export const S2_BATCH_SIZE = 100;
const FIELDS = 'title,abstract,authors,year,venue,externalIds,publicationDate';

/** Our canonical id → the id syntax S2 accepts, or null for kinds it can't look up. */
export function s2IdFor(id: CanonicalId): string | null {
  const body = idBody(id);
  switch (idKind(id)) {
    case 'arxiv':
      return `ARXIV:${body}`;
    case 'doi':
      return `DOI:${body}`;
    case 'acl':
      return `ACL:${body}`;
    case 's2':
      return body;
    default:
      return null;
  }
}

function s2Paper(value: unknown, requested: CanonicalId | undefined): IndexPaper | null {
  if (!isObject(value)) return null;
  const external = isObject(value.externalIds) ? value.externalIds : {};
  const arxiv = arxivIdFromBare(str(external.ArXiv));
  const doi = str(external.DOI) ? idFromDoi(str(external.DOI)) : null;
  const acl = str(external.ACL) ? `acl:${str(external.ACL)}` : null;
  const paperId = /^[0-9a-f]{40}$/i.test(str(value.paperId))
    ? `s2:${str(value.paperId).toLowerCase()}`
    : null;
  const id = arxiv ?? doi ?? acl ?? paperId;
  if (!id) return null;
  const authors = Array.isArray(value.authors)
    ? value.authors.flatMap((author) =>
        isObject(author) && typeof author.name === 'string' ? [author.name] : [],
      )
    : [];
  const year = typeof value.year === 'number' ? String(value.year) : undefined;
  return makePaper(
    {
      id,
      title: str(value.title),
      authors,
      abstract: str(value.abstract),
      published: isoDate(str(value.publicationDate)) ?? year,
      venue: str(value.venue),
      aliases: [doi, acl, paperId, requested],
    },
    'semantic-scholar',
  );
}

/** Parses a batch answer; `requested[i]` is the canonical id asked for at position i. */
export function parseS2Batch(body: string, requested: readonly CanonicalId[] = []): IndexPaper[] {
  const parsed = parseJson(body, 'Semantic Scholar answer');
  if (!Array.isArray(parsed)) {
    const reported = reportedError(parsed);
    throw reported
      ? new SyncError('reported-error', `Semantic Scholar reported an error: ${reported}`)
      : new SyncError('unexpected-shape', 'The Semantic Scholar answer is not a list.');
  }
  return parsed
    .map((item, index) => s2Paper(item, requested[index]))
    .filter((paper): paper is IndexPaper => paper !== null);
}

export async function fetchS2Batch(
  client: PoliteClient,
  ids: readonly CanonicalId[],
  apiKey?: string,
): Promise<IndexPaper[]> {
  const askable = ids.filter((id) => s2IdFor(id) !== null);
  if (askable.length === 0) return [];
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (apiKey) headers['x-api-key'] = apiKey;
  const response = await client.request({
    url: `${S2_BATCH}?fields=${FIELDS}`,
    method: 'POST',
    headers,
    body: JSON.stringify({ ids: askable.map((id) => s2IdFor(id)) }),
    what: 'Semantic Scholar',
  });
  return parseS2Batch(response.text, askable);
}
