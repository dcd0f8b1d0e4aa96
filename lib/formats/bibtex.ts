/**
 * BibTeX / BibLaTeX → citation records. Handles `@string` macros and `#` concatenation, month
 * macros, `@comment`/`@preamble`, text between entries (JabRef's `% Encoding` lines), LaTeX accents,
 * "Last, First" names, and arXiv ids from `eprint`+`archivePrefix`/`eprinttype`, `url`, `doi`,
 * `note = {\url{…}}` and `journal = {arXiv:… [cat]}`.
 */
import { clean, displayName, httpUrl, idsFromHints, isoDate } from './common';
import { latexToUnicode } from './latex';
import type { CitationRecord, CitationResult, FormatProblem } from './citation-types';

export interface BibEntry {
  type: string;
  key: string;
  /** Field names lower-cased; values raw (LaTeX, braces kept). */
  fields: Record<string, string>;
  line: number;
}

const MONTH_MACROS = [
  'jan',
  'feb',
  'mar',
  'apr',
  'may',
  'jun',
  'jul',
  'aug',
  'sep',
  'oct',
  'nov',
  'dec',
];

class BibSyntaxError extends Error {}

/** Splits a BibTeX file into entries; entries that fail to parse are reported, not fatal. */
export function parseBibEntries(text: string): { entries: BibEntry[]; problems: FormatProblem[] } {
  const source = text.replace(/^\uFEFF/, '');
  const entries: BibEntry[] = [];
  const problems: FormatProblem[] = [];
  const macros = new Map<string, string>(MONTH_MACROS.map((month) => [month, month]));
  const lineStarts: number[] = [0];
  for (let index = 0; index < source.length; index += 1) {
    if (source[index] === '\n') lineStarts.push(index + 1);
  }
  const lineOf = (offset: number): number => {
    let low = 0;
    let high = lineStarts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if ((lineStarts[mid] ?? 0) <= offset) low = mid;
      else high = mid - 1;
    }
    return low + 1;
  };

  let at = 0;
  while (at < source.length) {
    const start = source.indexOf('@', at);
    if (start < 0) break;
    const header = /^@\s*([a-zA-Z]+)\s*([{(])/.exec(source.slice(start, start + 80));
    if (!header?.[1] || !header[2]) {
      at = start + 1;
      continue;
    }
    const type = header[1].toLowerCase();
    const open = header[2];
    const close = open === '{' ? '}' : ')';
    let index = start + header[0].length;
    try {
      if (type === 'comment' || type === 'preamble') {
        index = skipBalanced(source, index, open, close);
      } else if (type === 'string') {
        const parsed = parseFields(source, index, close, macros);
        for (const [name, value] of Object.entries(parsed.fields)) macros.set(name, value);
        index = parsed.end;
      } else {
        const keyMatch = /^\s*([^,\s{}()]*)\s*,?/.exec(source.slice(index));
        const key = keyMatch?.[1] ?? '';
        index += keyMatch?.[0].length ?? 0;
        const parsed = parseFields(source, index, close, macros);
        entries.push({ type, key, fields: parsed.fields, line: lineOf(start) });
        index = parsed.end;
      }
    } catch (error) {
      problems.push({ line: lineOf(start), message: (error as Error).message });
      // Resynchronize at the next line that starts an entry.
      const next = source.slice(start + 1).search(/\n\s*@/);
      index = next < 0 ? source.length : start + 1 + next + 1;
    }
    at = index;
  }
  return { entries, problems };
}

function skipBalanced(source: string, from: number, open: string, close: string): number {
  let depth = 1;
  for (let index = from; index < source.length; index += 1) {
    const char = source[index];
    if (char === '\\') index += 1;
    else if (char === open || (open === '(' && char === '{')) depth += 1;
    else if (char === close || (open === '(' && char === '}')) {
      depth -= 1;
      if (depth === 0) return index + 1;
    }
  }
  throw new BibSyntaxError('unbalanced braces');
}

function parseFields(
  source: string,
  from: number,
  close: string,
  macros: Map<string, string>,
): { fields: Record<string, string>; end: number } {
  const fields: Record<string, string> = {};
  let index = from;
  for (;;) {
    index = skipSpace(source, index);
    const char = source[index];
    if (char === undefined) throw new BibSyntaxError('entry not closed');
    if (char === close) return { fields, end: index + 1 };
    if (char === ',') {
      index += 1;
      continue;
    }
    const name = /^[^\s=,{}()"#]+/.exec(source.slice(index, index + 200))?.[0];
    if (!name) throw new BibSyntaxError(`unexpected "${char}"`);
    index = skipSpace(source, index + name.length);
    if (source[index] !== '=') throw new BibSyntaxError(`field "${name}" has no "="`);
    index += 1;
    let value = '';
    for (;;) {
      index = skipSpace(source, index);
      const piece = source[index];
      if (piece === '{') {
        const end = skipBalanced(source, index + 1, '{', '}');
        value += source.slice(index + 1, end - 1);
        index = end;
      } else if (piece === '"') {
        const end = readQuoted(source, index + 1);
        value += source.slice(index + 1, end);
        index = end + 1;
      } else {
        const word = /^[^\s,#{}()"=]+/.exec(source.slice(index, index + 200))?.[0];
        if (!word) throw new BibSyntaxError(`field "${name}" has no value`);
        value += /^\d+$/.test(word) ? word : (macros.get(word.toLowerCase()) ?? word);
        index += word.length;
      }
      index = skipSpace(source, index);
      if (source[index] !== '#') break;
      index += 1;
    }
    fields[name.toLowerCase()] = value;
  }
}

function readQuoted(source: string, from: number): number {
  let depth = 0;
  for (let index = from; index < source.length; index += 1) {
    const char = source[index];
    if (char === '\\') index += 1;
    else if (char === '{') depth += 1;
    else if (char === '}') depth -= 1;
    else if (char === '"' && depth === 0) return index;
  }
  throw new BibSyntaxError('unterminated quoted value');
}

function skipSpace(source: string, from: number): number {
  let index = from;
  while (index < source.length && /\s/.test(source[index] ?? '')) index += 1;
  return index;
}

/** Splits a raw `author` value on top-level " and ". */
export function splitNames(raw: string): string[] {
  const names: string[] = [];
  let depth = 0;
  let current = '';
  const words = raw.split(/(\s+)/);
  for (const word of words) {
    for (const char of word) {
      if (char === '{') depth += 1;
      else if (char === '}') depth -= 1;
    }
    if (depth === 0 && word.toLowerCase() === 'and') {
      names.push(current);
      current = '';
    } else {
      current += word;
    }
  }
  names.push(current);
  return names
    .map((name) => name.trim())
    .filter((name) => name !== '' && name.toLowerCase() !== 'others');
}

function text(fields: Record<string, string>, name: string): string | undefined {
  const value = fields[name];
  return value === undefined ? undefined : clean(latexToUnicode(value));
}

/** One parsed entry → a record, or why it is not one. */
export function recordFromBibEntry(entry: BibEntry): CitationRecord | Error {
  const { fields } = entry;
  const title = text(fields, 'title');
  if (!title) return new Error(`entry "${entry.key}" has no title`);
  const journal = text(fields, 'journal') ?? text(fields, 'journaltitle');
  const urls = [fields.url, ...(fields.note?.match(/https?:\/\/[^\s{}]+/g) ?? [])];
  const ids = idsFromHints({
    eprint: text(fields, 'eprint'),
    eprintType: text(fields, 'archiveprefix') ?? text(fields, 'eprinttype'),
    doi: text(fields, 'doi'),
    urls,
    texts: [journal, fields.note],
  });
  const record: CitationRecord = {
    ...ids,
    title,
    authors: splitNames(fields.author ?? fields.editor ?? '').map((name) =>
      displayName(latexToUnicode(name)),
    ),
    tags: (text(fields, 'keywords') ?? text(fields, 'keyword') ?? '')
      .split(/[,;]/)
      .map((tag) => tag.trim())
      .filter(Boolean),
    kind: entry.type,
  };
  if (entry.key) record.citationKey = entry.key;
  const abstract = text(fields, 'abstract');
  if (abstract) record.abstract = abstract;
  const published = isoDate(text(fields, 'date'), text(fields, 'year'), fields.month);
  if (published) record.published = published;
  const venue = text(fields, 'booktitle') ?? journal;
  if (venue && !/^arxiv\b/i.test(venue)) record.venue = venue;
  const category =
    text(fields, 'primaryclass') ??
    text(fields, 'eprintclass') ??
    (journal ? /^arxiv:\S+\s+\[([^\]]+)\]/i.exec(journal)?.[1] : undefined);
  if (category) record.categories = category.split(/[,\s]+/).filter(Boolean);
  const url = httpUrl(text(fields, 'url'));
  if (url) record.url = url;
  const doi = text(fields, 'doi');
  if (doi) record.doi = doi;
  // Better BibTeX parks the URL in `note = {\url{…}}` when there is no url field: not a user note.
  if (fields.note && !/^\s*\\url\{[^}]*\}\s*$/.test(fields.note)) {
    const note = latexToUnicode(fields.note)
      .replace(/[ \t]+/g, ' ')
      .trim();
    if (note) record.note = note;
  }
  return record;
}

/** Parses a BibTeX/BibLaTeX file. Entries without a title are skipped and listed. */
export function parseBibtex(text: string): CitationResult {
  if (!/@\s*[a-zA-Z]+\s*[{(]/.test(text)) {
    return { ok: false, error: 'No BibTeX entries found in this file.' };
  }
  const { entries, problems } = parseBibEntries(text);
  const records: CitationRecord[] = [];
  const skipped = [...problems];
  for (const entry of entries) {
    const record = recordFromBibEntry(entry);
    if (record instanceof Error) skipped.push({ line: entry.line, message: record.message });
    else records.push(record);
  }
  if (records.length === 0) {
    return { ok: false, error: `No usable entries (${skipped.length} skipped).` };
  }
  return { ok: true, records, skipped };
}
