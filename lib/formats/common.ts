/**
 * Helpers the citation-format parsers share: ids from the fields files use, names, dates.
 */
import { arxivIdFromBare, arxivIdFromText, idFromDoi, idFromUrl, idKind, parseId } from '../ids';
import type { CanonicalId } from '../types';

/** Which id names a record when it has several: the index is arXiv-centred, DOIs are aliases. */
const ID_PRIORITY = ['arxiv', 'openreview', 'acl', 'doi', 'dblp', 's2'] as const;

export interface IdHints {
  eprint?: string;
  /** `archivePrefix` / `eprinttype`: only `arxiv` (any case) makes `eprint` an arXiv id for sure. */
  eprintType?: string;
  doi?: string;
  urls?: (string | undefined)[];
  /** Free text that may carry `arXiv:…` (Zotero's `extra`, a journal field like `arXiv:1305.4904 [quant-ph]`). */
  texts?: (string | undefined)[];
}

/** The canonical ids a record names, the best one first. */
export function idsFromHints(hints: IdHints): { id?: CanonicalId; aliases: CanonicalId[] } {
  const found = new Set<CanonicalId>();
  const add = (id: CanonicalId | null): void => {
    if (id) found.add(id);
  };
  if (hints.eprint) {
    const type = hints.eprintType?.toLowerCase();
    if (!type || type === 'arxiv') add(arxivIdFromBare(hints.eprint.replace(/^arxiv:/i, '')));
  }
  if (hints.doi) add(idFromDoi(hints.doi));
  for (const url of hints.urls ?? []) if (url) add(idFromUrl(url.trim()));
  for (const text of hints.texts ?? []) {
    if (!text) continue;
    add(arxivIdFromText(text));
    const doi = /\b10\.\d{4,9}\/[^\s"'<>{}]+/.exec(text)?.[0];
    if (doi) add(idFromDoi(doi));
  }
  const ordered = [...found].sort((a, b) => rank(idKind(a)) - rank(idKind(b)));
  const [id, ...aliases] = ordered;
  return id ? { id, aliases } : { aliases: [] };
}

function rank(kind: string | null): number {
  const index = ID_PRIORITY.indexOf(kind as (typeof ID_PRIORITY)[number]);
  return index < 0 ? ID_PRIORITY.length : index;
}

/** A loose id (PaperMemory's `Arxiv-1703.10593`, a URL, a DOI) to its canonical id. */
export function looseId(value: string | undefined): CanonicalId | null {
  return value ? parseId(value) : null;
}

const MONTHS: Record<string, string> = {
  jan: '01', feb: '02', mar: '03', apr: '04', may: '05', jun: '06',
  jul: '07', aug: '08', sep: '09', oct: '10', nov: '11', dec: '12',
}; // prettier-ignore

/** `2014` + `jul` → `2014-07`; ISO-ish dates (`2019/09/25`, `2/2016`) to ISO prefixes. */
export function isoDate(
  date: string | undefined,
  year?: string,
  month?: string,
): string | undefined {
  const text = date?.trim();
  if (text) {
    const iso = /^(\d{4})(?:[-/](\d{1,2})(?:[-/](\d{1,2}))?)?/.exec(text);
    if (iso?.[1]) {
      return [iso[1], iso[2]?.padStart(2, '0'), iso[3]?.padStart(2, '0')].filter(Boolean).join('-');
    }
    const monthYear = /^(\d{1,2})\/(\d{4})$/.exec(text);
    if (monthYear?.[1] && monthYear[2]) return `${monthYear[2]}-${monthYear[1].padStart(2, '0')}`;
    const anyYear = /\b(1[89]\d\d|20\d\d)\b/.exec(text)?.[1];
    if (anyYear) return anyYear;
  }
  const y = /\d{4}/.exec(year ?? '')?.[0];
  if (!y) return undefined;
  const m = month?.trim().toLowerCase();
  const mm = m
    ? (MONTHS[m.slice(0, 3)] ?? (/^\d{1,2}$/.test(m) ? m.padStart(2, '0') : undefined))
    : undefined;
  return mm ? `${y}-${mm}` : y;
}

/** "Last, First" / "Last, Jr, First" / "First Last" → "First Last". */
export function displayName(name: string): string {
  const parts = name.split(',').map((part) => part.trim());
  if (parts.length === 2 && parts[0] && parts[1]) return `${parts[1]} ${parts[0]}`;
  if (parts.length === 3 && parts[0] && parts[2]) {
    return `${parts[2]} ${parts[0]}${parts[1] ? ` ${parts[1]}` : ''}`;
  }
  return name.replace(/\s+/g, ' ').trim();
}

/** Collapses whitespace; `undefined` for empty text. */
export function clean(value: string | undefined | null): string | undefined {
  const text = value?.replace(/\s+/g, ' ').trim();
  return text ? text : undefined;
}

/**
 * A Zotero/HTML note (`<p>…</p>`) as plain text, keeping paragraph breaks. `[^<>]`, not `[^>]`:
 * a note of many unclosed `<` would make the tag pattern backtrack quadratically.
 */
export function htmlToText(html: string): string {
  return html
    .replace(/<\/(?:p|div|li|h\d)>|<br\s*\/?>/gi, '\n')
    .replace(/<[^<>]*>/g, '')
    .replace(/&nbsp;/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&')
    .split('\n')
    .map(trimLineEnd)
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

/** Drops spaces and tabs at the end of a line; a loop because `/[ \t]+\n/` is quadratic on long runs. */
function trimLineEnd(line: string): string {
  let end = line.length;
  while (end > 0 && (line[end - 1] === ' ' || line[end - 1] === '\t')) end -= 1;
  return line.slice(0, end);
}

/** Only http(s) links survive into a record (they end up as `href`s). */
export function httpUrl(value: string | undefined): string | undefined {
  const url = value?.trim();
  return url && /^https?:\/\/\S+$/i.test(url) ? url : undefined;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function stringField(record: Record<string, unknown>, key: string): string | undefined {
  const value = record[key];
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  return undefined;
}
