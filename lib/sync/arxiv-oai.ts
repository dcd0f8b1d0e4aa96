/**
 * arXiv OAI-PMH (opt-in bulk backfill of a whole set). ListRecords with metadataPrefix=arXiv, paged
 * by resumptionToken; datestamps are record-modification times (fixtures NOTES §6, OAI-PMH 2.0 §3.5).
 * An expired token (`badResumptionToken`) restarts from the last committed datestamp; upsert by id
 * makes the overlap harmless.
 */
import { isoDate, makePaper, squash } from '../formats/paper';
import { arxivIdFromBare, idFromDoi } from '../ids';
import type { IndexPaper } from '../types';
import { SyncError } from './errors';
import type { PoliteClient } from './http';
import { attr, child, childText, children, parseXml, rawText, text, type XmlValue } from './xml';

export const ARXIV_OAI = 'https://export.arxiv.org/oai2';

export interface OaiPage {
  papers: IndexPaper[];
  /** Absent or '' on the last page. */
  resumptionToken?: string;
  completeListSize?: number;
  /** Position of this page's first record in the complete list. */
  cursor?: number;
  /** Newest datestamp on this page: where a restart after a bad token begins. */
  lastDatestamp?: string;
}

function authorsOfArxivFormat(metadata: XmlValue): string[] {
  return children(child(metadata, 'authors'), 'author').map((author) =>
    squash(
      `${childText(author, 'forenames')} ${childText(author, 'keyname')} ${childText(author, 'suffix')}`,
    ),
  );
}

function authorsOfRawFormat(metadata: XmlValue): string[] {
  return childText(metadata, 'authors')
    .split(/,|\band\b/)
    .map((name) => name.trim())
    .filter(Boolean);
}

function recordPaper(record: XmlValue): IndexPaper | null {
  const header = child(record, 'header');
  if (attr(header, 'status') === 'deleted') return null;
  const metadataRoot = child(record, 'metadata');
  const arxiv = child(metadataRoot, 'arXiv');
  const raw = child(metadataRoot, 'arXivRaw');
  const metadata = arxiv ?? raw;
  if (!metadata) return null;
  const id =
    arxivIdFromBare(childText(metadata, 'id')) ??
    arxivIdFromBare(childText(header, 'identifier').replace(/^oai:arXiv\.org:/i, ''));
  if (!id) return null;
  const versions = children(metadata, 'version');
  const firstVersionDate = isoDate(childText(versions[0], 'date'));
  const lastVersionDate = isoDate(childText(versions[versions.length - 1], 'date'));
  return makePaper(
    {
      id,
      title: childText(metadata, 'title'),
      authors: arxiv ? authorsOfArxivFormat(metadata) : authorsOfRawFormat(metadata),
      abstract: childText(metadata, 'abstract'),
      published: isoDate(childText(metadata, 'created')) ?? firstVersionDate,
      updated: isoDate(childText(metadata, 'updated')) ?? lastVersionDate,
      categories: childText(metadata, 'categories').split(/\s+/),
      venue: childText(metadata, 'journal-ref'),
      aliases: childText(metadata, 'doi')
        .split(/\s+/)
        .filter(Boolean)
        .map((doi) => idFromDoi(doi)),
    },
    'arxiv-oai',
  );
}

/** Parses one ListRecords page. Throws SyncError for OAI errors (except noRecordsMatch = empty). */
export function parseOaiListRecords(body: string): OaiPage {
  const root = parseXml(body, 'arXiv OAI-PMH answer');
  const oai = child(root, 'OAI-PMH');
  if (!oai) throw new SyncError('unexpected-shape', 'The answer is not an OAI-PMH response.');
  const error = child(oai, 'error');
  if (error) {
    const code = attr(error, 'code') ?? '';
    if (code === 'noRecordsMatch') return { papers: [] };
    if (code === 'badResumptionToken') {
      throw new SyncError(
        'bad-resumption-token',
        'arXiv no longer accepts our place in the harvest; restarting from the last date stored.',
      );
    }
    throw new SyncError('reported-error', `arXiv OAI-PMH reported ${code}: ${text(error)}`);
  }
  const list = child(oai, 'ListRecords');
  if (!list) throw new SyncError('unexpected-shape', 'The OAI-PMH answer has no ListRecords.');
  const records = children(list, 'record');
  const papers = records.map(recordPaper).filter((paper): paper is IndexPaper => paper !== null);
  const datestamps = records
    .map((record) => childText(child(record, 'header'), 'datestamp'))
    .filter(Boolean)
    .sort();
  const page: OaiPage = { papers };
  const lastDatestamp = datestamps[datestamps.length - 1];
  if (lastDatestamp) page.lastDatestamp = lastDatestamp;
  const token = child(list, 'resumptionToken');
  if (token !== undefined) {
    page.resumptionToken = rawText(token).trim();
    const size = Number(attr(token, 'completeListSize'));
    if (Number.isFinite(size) && size > 0) page.completeListSize = size;
    const cursor = Number(attr(token, 'cursor'));
    if (Number.isFinite(cursor)) page.cursor = cursor;
  }
  return page;
}

export function listRecordsUrl(
  position: { resumptionToken: string } | { set: string; from?: string },
): string {
  const params = new URLSearchParams({ verb: 'ListRecords' });
  if ('resumptionToken' in position) {
    params.set('resumptionToken', position.resumptionToken);
  } else {
    params.set('metadataPrefix', 'arXiv');
    params.set('set', position.set);
    if (position.from) params.set('from', position.from);
  }
  return `${ARXIV_OAI}?${params.toString()}`;
}

export async function fetchOaiPage(client: PoliteClient, url: string): Promise<OaiPage> {
  const response = await client.request({ url, what: 'arXiv OAI-PMH' });
  return parseOaiListRecords(response.text);
}
