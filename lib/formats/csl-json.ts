/**
 * CSL-JSON (Zotero, Better BibTeX, Pandoc, citation-js) → citation records. arXiv ids come from
 * `URL`, `DOI` (10.48550/arXiv.…), `number`/`note`/`archive_location` text ("arXiv:1401.2910").
 */
import {
  clean,
  displayName,
  httpUrl,
  idsFromHints,
  isoDate,
  isRecord,
  stringField,
} from './common';
import type { CitationRecord, CitationResult, FormatProblem } from './citation-types';

function cslDate(value: unknown): string | undefined {
  if (!isRecord(value)) return typeof value === 'string' ? isoDate(value) : undefined;
  const parts = value['date-parts'];
  if (Array.isArray(parts) && Array.isArray(parts[0])) {
    const [year, month, day] = (parts[0] as unknown[]).map((part) => String(part));
    if (year && /^\d{4}$/.test(year)) {
      return [year, month?.padStart(2, '0'), day?.padStart(2, '0')].filter(Boolean).join('-');
    }
  }
  return typeof value.raw === 'string' ? isoDate(value.raw) : undefined;
}

function cslName(value: unknown): string | undefined {
  if (!isRecord(value)) return undefined;
  const literal = stringField(value, 'literal');
  if (literal) return clean(literal);
  const family = stringField(value, 'family');
  const given = stringField(value, 'given');
  const particle = stringField(value, 'non-dropping-particle');
  const last = [particle, family].filter(Boolean).join(' ');
  return clean(given ? `${given} ${last}` : last);
}

/** One CSL item → a record, or why it is not one. */
export function recordFromCsl(item: unknown): CitationRecord | Error {
  if (!isRecord(item)) return new Error('not an object');
  const title = clean(stringField(item, 'title'));
  if (!title) return new Error('no title');
  const note = stringField(item, 'note');
  const url = httpUrl(stringField(item, 'URL'));
  const ids = idsFromHints({
    doi: stringField(item, 'DOI'),
    urls: [url],
    texts: [
      stringField(item, 'number'),
      note,
      stringField(item, 'archive_location'),
      stringField(item, 'container-title'),
    ],
  });
  const authors = Array.isArray(item.author)
    ? item.author.map(cslName).filter((name): name is string => Boolean(name))
    : [];
  const keyword = stringField(item, 'keyword');
  const record: CitationRecord = {
    ...ids,
    title,
    authors: authors.map(displayName),
    tags: keyword
      ? keyword
          .split(/[,;]/)
          .map((tag) => tag.trim())
          .filter(Boolean)
      : [],
  };
  const type = stringField(item, 'type');
  if (type) record.kind = type;
  const key = stringField(item, 'citation-key') ?? stringField(item, 'id');
  if (key && !/^\d+$/.test(key)) record.citationKey = key;
  const abstract = clean(stringField(item, 'abstract'));
  if (abstract) record.abstract = abstract;
  const published = cslDate(item.issued);
  if (published) record.published = published;
  const venue = clean(stringField(item, 'container-title') ?? stringField(item, 'event-title'));
  if (venue && !/^arxiv\b/i.test(venue)) record.venue = venue;
  if (url) record.url = url;
  const doi = stringField(item, 'DOI');
  if (doi) record.doi = doi;
  if (note && !/^\s*arxiv:\s*\S+\s*$/i.test(note)) record.note = note.trim();
  return record;
}

/** Parses a CSL-JSON array (or a single item, or `{ items: [...] }`). */
export function parseCslJson(text: string): CitationResult {
  let data: unknown;
  try {
    data = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (error) {
    return { ok: false, error: `Not valid JSON: ${(error as Error).message}` };
  }
  const items = Array.isArray(data)
    ? data
    : isRecord(data) && Array.isArray(data.items)
      ? data.items
      : isRecord(data)
        ? [data]
        : null;
  if (!items) return { ok: false, error: 'Expected a CSL-JSON array of items.' };
  const records: CitationRecord[] = [];
  const skipped: FormatProblem[] = [];
  items.forEach((item, index) => {
    const record = recordFromCsl(item);
    if (record instanceof Error) skipped.push({ line: index + 1, message: record.message });
    else records.push(record);
  });
  if (records.length === 0) return { ok: false, error: 'No CSL-JSON items with a title.' };
  return { ok: true, records, skipped };
}
