/**
 * Better BibTeX JSON (Zotero's "Better BibTeX JSON" export) → citation records. arXiv ids come from
 * `extra` ("arXiv: 1305.4904"), `url`, `DOI` and `publicationTitle` ("arXiv:1910.07512 [cs]").
 * Zotero's automatic tags (`type: 1`, subject headings arXiv adds) are not the user's and are dropped.
 */
import {
  clean,
  displayName,
  htmlToText,
  httpUrl,
  idsFromHints,
  isRecord,
  isoDate,
  stringField,
} from './common';
import type { CitationRecord, CitationResult, FormatProblem } from './citation-types';

const NOT_PAPERS = new Set(['attachment', 'note', 'annotation']);

function extraLines(value: unknown): string[] {
  if (typeof value === 'string') return value.split(/\r?\n/);
  if (Array.isArray(value)) return value.filter((line): line is string => typeof line === 'string');
  return [];
}

function creatorName(value: unknown): string | undefined {
  if (!isRecord(value)) return undefined;
  const name = stringField(value, 'name');
  if (name) return clean(name);
  return clean(
    [stringField(value, 'firstName'), stringField(value, 'lastName')].filter(Boolean).join(' '),
  );
}

/** One Zotero item → a record, or why it is not one. */
export function recordFromZoteroItem(item: unknown): CitationRecord | Error | null {
  if (!isRecord(item)) return new Error('not an object');
  const itemType = stringField(item, 'itemType');
  if (itemType && NOT_PAPERS.has(itemType)) return null;
  const title = clean(stringField(item, 'title'));
  if (!title) return new Error('no title');
  const extra = extraLines(item.extra);
  const url = httpUrl(stringField(item, 'url'));
  const publication = clean(stringField(item, 'publicationTitle'));
  const ids = idsFromHints({
    doi: stringField(item, 'DOI'),
    urls: [url],
    texts: [...extra, publication, stringField(item, 'archiveID')],
  });
  const creators = Array.isArray(item.creators) ? item.creators : [];
  const authors = creators
    .filter(
      (creator) =>
        !isRecord(creator) || (stringField(creator, 'creatorType') ?? 'author') === 'author',
    )
    .map(creatorName)
    .filter((name): name is string => Boolean(name))
    .map((name) => displayName(name.replace(/\*$/, '')));
  const tags = (Array.isArray(item.tags) ? item.tags : [])
    .map((tag) => (typeof tag === 'string' ? { tag } : isRecord(tag) ? tag : {}))
    .filter((tag) => tag.type !== 1)
    .map((tag) => (typeof tag.tag === 'string' ? tag.tag.trim() : ''))
    .filter(Boolean);
  const record: CitationRecord = { ...ids, title, authors, tags };
  if (itemType) record.kind = itemType;
  const key =
    stringField(item, 'citationKey') ??
    extra.map((line) => /^citation key:\s*(\S+)/i.exec(line)?.[1]).find(Boolean);
  if (key) record.citationKey = key;
  const abstract = clean(stringField(item, 'abstractNote'));
  if (abstract) record.abstract = abstract;
  const published = isoDate(stringField(item, 'date'));
  if (published) record.published = published;
  const venue = clean(
    stringField(item, 'conferenceName') ?? stringField(item, 'proceedingsTitle') ?? publication,
  );
  if (venue && !/^arxiv\b/i.test(venue)) record.venue = venue;
  if (url) record.url = url;
  const doi = stringField(item, 'DOI');
  if (doi) record.doi = doi;
  const notes = (Array.isArray(item.notes) ? item.notes : [])
    .map((note) =>
      typeof note === 'string' ? note : isRecord(note) ? stringField(note, 'note') : undefined,
    )
    .filter((note): note is string => Boolean(note))
    .map(htmlToText)
    .filter(Boolean);
  if (notes.length) record.note = notes.join('\n\n');
  const added = Date.parse(stringField(item, 'dateAdded') ?? '');
  if (Number.isFinite(added)) record.addedAt = added;
  return record;
}

/** Parses a Better BibTeX JSON export (`{ config, items }`, or a bare item array). */
export function parseZoteroJson(text: string): CitationResult {
  let data: unknown;
  try {
    data = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (error) {
    return { ok: false, error: `Not valid JSON: ${(error as Error).message}` };
  }
  const items =
    isRecord(data) && Array.isArray(data.items) ? data.items : Array.isArray(data) ? data : null;
  if (!items) return { ok: false, error: 'Expected a Better BibTeX JSON export with "items".' };
  const records: CitationRecord[] = [];
  const skipped: FormatProblem[] = [];
  items.forEach((item, index) => {
    const record = recordFromZoteroItem(item);
    if (record instanceof Error) skipped.push({ line: index + 1, message: record.message });
    else if (record) records.push(record);
  });
  if (records.length === 0) return { ok: false, error: 'No Zotero items with a title.' };
  return { ok: true, records, skipped };
}

/** Whether parsed JSON looks like a Better BibTeX / Zotero JSON export. */
export function looksLikeZoteroJson(data: unknown): boolean {
  if (!isRecord(data) || !Array.isArray(data.items)) return false;
  const first: unknown = data.items[0];
  return isRecord(first) && ('itemType' in first || 'creators' in first);
}
