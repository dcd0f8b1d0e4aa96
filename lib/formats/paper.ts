/**
 * Building index records from any source's fields, the same way everywhere: titles cleaned and
 * keyed, whitespace collapsed, links built by us from the canonical id (never taken from a feed).
 */
import { paperPageUrl, paperPdfUrl } from '../ids';
import { cleanTitle, decodeEntities, titleKey } from '../normalize';
import type { CanonicalId, IndexPaper, PaperLinks, SourceName } from '../types';

export interface PaperFields {
  id: CanonicalId;
  title: string;
  authors?: readonly string[];
  abstract?: string;
  published?: string;
  updated?: string;
  categories?: readonly string[];
  venue?: string;
  links?: PaperLinks;
  aliases?: readonly (CanonicalId | null | undefined)[];
}

/** Collapses whitespace; '' stays ''. */
export function squash(value: string | undefined | null): string {
  return (value ?? '').replace(/\s+/g, ' ').trim();
}

/** Removes HTML tags from text that a feed HTML-escaped (`<p>…</p>`, author `<a>` links). */
export function stripTags(html: string): string {
  return decodeEntities(html.replace(/<[^>]*>/g, ' '));
}

/** Only http(s) URLs survive into records (a feed could carry `javascript:`). */
export function safeUrl(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  try {
    const url = new URL(value.trim());
    return url.protocol === 'https:' || url.protocol === 'http:' ? url.href : undefined;
  } catch {
    return undefined;
  }
}

/** An ISO date prefix (YYYY-MM-DD or YYYY-MM or YYYY) from a date-like string, or undefined. */
export function isoDate(value: string | undefined | null): string | undefined {
  const trimmed = squash(value);
  if (trimmed === '') return undefined;
  const iso = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?/.exec(trimmed);
  if (iso) return iso[0];
  const parsed = Date.parse(trimmed);
  return Number.isNaN(parsed) ? undefined : new Date(parsed).toISOString().slice(0, 10);
}

/** A complete index record; `null` when the title has no letters or digits. */
export function makePaper(fields: PaperFields, source: SourceName): IndexPaper | null {
  const title = cleanTitle(fields.title);
  const key = titleKey(title);
  if (key === '') return null;
  const paper: IndexPaper = {
    id: fields.id,
    title,
    titleKey: key,
    authors: (fields.authors ?? []).map(squash).filter((name) => name !== ''),
    sources: [source],
  };
  const abstract = squash(fields.abstract);
  if (abstract) paper.abstract = abstract;
  if (fields.published) paper.published = fields.published;
  if (fields.updated) paper.updated = fields.updated;
  const categories = [...new Set((fields.categories ?? []).map(squash).filter(Boolean))];
  if (categories.length) paper.categories = categories;
  const venue = squash(fields.venue);
  if (venue) paper.venue = venue;
  const links: PaperLinks = { ...fields.links };
  const abs = paperPageUrl(fields.id);
  const pdf = paperPdfUrl(fields.id);
  if (abs && !links.abs) links.abs = abs;
  if (pdf && !links.pdf) links.pdf = pdf;
  if (Object.keys(links).length) paper.links = links;
  const aliases = [
    ...new Set(
      (fields.aliases ?? []).filter(
        (alias): alias is CanonicalId => typeof alias === 'string' && alias !== fields.id,
      ),
    ),
  ];
  if (aliases.length) paper.aliases = aliases;
  return paper;
}
