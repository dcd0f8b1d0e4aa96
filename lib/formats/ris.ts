/**
 * RIS → citation records. Tags follow the RIS spec as Zotero and EndNote write it (`TY  - JOUR`,
 * one tag per line, `ER  -` ends a record); lines without a tag continue the previous value.
 */
import { clean, displayName, httpUrl, idsFromHints, isoDate } from './common';
import type { CitationRecord, CitationResult, FormatProblem } from './citation-types';

const TAG_LINE = /^([A-Z][A-Z0-9]) {2}-(?: (.*))?$/;

type RisFields = Map<string, string[]>;

function first(fields: RisFields, ...tags: string[]): string | undefined {
  for (const tag of tags) {
    const value = clean(fields.get(tag)?.[0]);
    if (value) return value;
  }
  return undefined;
}

function all(fields: RisFields, ...tags: string[]): string[] {
  return tags
    .flatMap((tag) => fields.get(tag) ?? [])
    .map((value) => value.trim())
    .filter(Boolean);
}

/** One RIS record's fields → a record, or why it is not one. */
export function recordFromRis(fields: RisFields): CitationRecord | Error {
  const title = first(fields, 'TI', 'T1', 'CT', 'BT');
  if (!title) return new Error('no title (TI/T1)');
  const urls = all(fields, 'UR', 'L1', 'L2');
  const notes = all(fields, 'N1');
  const ids = idsFromHints({
    doi: first(fields, 'DO'),
    urls,
    texts: [...notes, first(fields, 'JO', 'JF', 'T2'), first(fields, 'M1', 'AN')],
  });
  const record: CitationRecord = {
    ...ids,
    title,
    authors: all(fields, 'AU', 'A1').map(displayName),
    tags: all(fields, 'KW'),
  };
  const kind = first(fields, 'TY');
  if (kind) record.kind = kind;
  const key = first(fields, 'ID');
  if (key) record.citationKey = key;
  const abstract = first(fields, 'AB', 'N2');
  if (abstract) record.abstract = abstract;
  const published = isoDate(first(fields, 'DA', 'PY', 'Y1'));
  if (published) record.published = published;
  const venue = first(fields, 'T2', 'JO', 'JF', 'BT', 'J2');
  if (venue && !/^arxiv\b/i.test(venue)) record.venue = venue;
  const url = urls.map(httpUrl).find(Boolean);
  if (url) record.url = url;
  const pdf = all(fields, 'L1').map(httpUrl).find(Boolean);
  if (pdf) record.pdf = pdf;
  const doi = first(fields, 'DO');
  if (doi) record.doi = doi;
  const note = notes.join('\n\n').trim();
  if (note) record.note = note;
  return record;
}

/** Parses an RIS file. Records without a title are skipped and listed. */
export function parseRis(text: string): CitationResult {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  const records: CitationRecord[] = [];
  const skipped: FormatProblem[] = [];
  let fields: RisFields | null = null;
  let startLine = 0;
  let lastTag: string | null = null;
  const finish = (): void => {
    if (!fields) return;
    const record = recordFromRis(fields);
    if (record instanceof Error) skipped.push({ line: startLine, message: record.message });
    else records.push(record);
    fields = null;
  };
  lines.forEach((line, index) => {
    const match = TAG_LINE.exec(line.trimEnd());
    if (!match?.[1]) {
      if (fields && lastTag && line.trim() !== '') {
        const values = fields.get(lastTag);
        if (values?.length) values[values.length - 1] += `\n${line.trim()}`;
      }
      return;
    }
    const tag = match[1];
    const value = match[2] ?? '';
    if (tag === 'TY') {
      finish();
      fields = new Map();
      startLine = index + 1;
    }
    if (tag === 'ER') {
      finish();
      lastTag = null;
      return;
    }
    if (!fields) return;
    const current: RisFields = fields;
    current.set(tag, [...(current.get(tag) ?? []), value]);
    lastTag = tag;
  });
  finish();
  if (records.length === 0) {
    return { ok: false, error: 'No RIS records found (each starts with "TY  - ").' };
  }
  return { ok: true, records, skipped };
}
