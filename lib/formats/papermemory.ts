/**
 * PaperMemory's "Export memory" JSON → citation records: an object keyed by PaperMemory id
 * (`Arxiv-1703.10593`, `OR-ICLR-2022_EZNOb_uNpJk`, `ACL-ACL-2020_2020.acl-main.405`) plus
 * `__dataVersion`. Each paper carries its own BibTeX, which fills in what the record lacks.
 */
import { parseBibEntries, recordFromBibEntry } from './bibtex';
import { clean, httpUrl, idsFromHints, isRecord, isoDate, stringField } from './common';
import { arxivIdFromBare } from '../ids';
import type { CanonicalId } from '../types';
import type { CitationRecord, CitationResult, FormatProblem } from './citation-types';

/** PaperMemory's own id scheme → a canonical id where the scheme maps to one. */
export function idFromPaperMemory(pmId: string): CanonicalId | null {
  const arxiv = /^Arxiv-(.+)$/i.exec(pmId)?.[1];
  if (arxiv) return arxivIdFromBare(arxiv);
  const openreview = /^OR-[^_]+_(.+)$/.exec(pmId)?.[1];
  if (openreview && /^[A-Za-z0-9_-]{5,}$/.test(openreview)) return `openreview:${openreview}`;
  const acl = /^ACL-[^_]+_(.+)$/.exec(pmId)?.[1];
  if (acl) return `acl:${acl}`;
  return null;
}

/** One PaperMemory paper → a record, or why it is not one. */
export function recordFromPaperMemory(pmId: string, paper: unknown): CitationRecord | Error {
  if (!isRecord(paper)) return new Error('not an object');
  const bibtex = stringField(paper, 'bibtex');
  const fromBib = bibtex
    ? parseBibEntries(bibtex)
        .entries.map(recordFromBibEntry)
        .find((r) => !(r instanceof Error))
    : undefined;
  const bib = fromBib instanceof Error ? undefined : fromBib;
  const title = clean(stringField(paper, 'title')) ?? bib?.title;
  if (!title) return new Error(`"${pmId}" has no title`);
  const pdfLink = httpUrl(stringField(paper, 'pdfLink'));
  const own = idFromPaperMemory(stringField(paper, 'id') ?? pmId);
  const ids = idsFromHints({
    doi: bib?.doi,
    urls: [pdfLink, bib?.url],
    texts: [],
  });
  const all = [...new Set([own, ids.id, ...ids.aliases, bib?.id, ...(bib?.aliases ?? [])])].filter(
    (id): id is CanonicalId => Boolean(id),
  );
  const [id, ...aliases] = all;
  const author = stringField(paper, 'author');
  const tags = Array.isArray(paper.tags)
    ? paper.tags.filter((tag): tag is string => typeof tag === 'string' && tag.trim() !== '')
    : [];
  if (paper.favorite === true) tags.push('favorite');
  const record: CitationRecord = {
    ...(id ? { id } : {}),
    aliases,
    title,
    authors: author
      ? author
          .split(/\s+and\s+/)
          .map((name) => name.trim())
          .filter(Boolean)
      : (bib?.authors ?? []),
    tags,
  };
  const key = stringField(paper, 'key') ?? bib?.citationKey;
  if (key) record.citationKey = key;
  if (bib?.abstract) record.abstract = bib.abstract;
  const published = isoDate(stringField(paper, 'year')) ?? bib?.published;
  if (published) record.published = published;
  const venue = clean(stringField(paper, 'venue') ?? stringField(paper, 'conf')) ?? bib?.venue;
  if (venue && !/^arxiv\b/i.test(venue)) record.venue = venue;
  if (pdfLink) record.pdf = pdfLink;
  const code = httpUrl(stringField(paper, 'codeLink'));
  if (code) record.code = code;
  if (bib?.url) record.url = bib.url;
  if (bib?.doi) record.doi = bib.doi;
  const note = stringField(paper, 'note')?.trim();
  if (note) record.note = note;
  const added = Date.parse(stringField(paper, 'addDate') ?? '');
  if (Number.isFinite(added)) record.addedAt = added;
  return record;
}

/** Parses a PaperMemory memory export. */
export function parsePaperMemory(text: string): CitationResult {
  let data: unknown;
  try {
    data = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (error) {
    return { ok: false, error: `Not valid JSON: ${(error as Error).message}` };
  }
  if (!isRecord(data)) return { ok: false, error: 'Expected a PaperMemory export object.' };
  const records: CitationRecord[] = [];
  const skipped: FormatProblem[] = [];
  Object.entries(data).forEach(([pmId, paper], index) => {
    if (pmId.startsWith('__')) return;
    const record = recordFromPaperMemory(pmId, paper);
    if (record instanceof Error) skipped.push({ line: index + 1, message: record.message });
    else records.push(record);
  });
  if (records.length === 0) return { ok: false, error: 'No PaperMemory papers in this file.' };
  return { ok: true, records, skipped };
}

/** Whether parsed JSON looks like a PaperMemory export (keyed papers, maybe `__dataVersion`). */
export function looksLikePaperMemory(data: unknown): boolean {
  if (!isRecord(data)) return false;
  if ('__dataVersion' in data) return true;
  const first = Object.values(data)[0];
  return isRecord(first) && 'title' in first && ('addDate' in first || 'pdfLink' in first);
}
