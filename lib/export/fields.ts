/**
 * What every export format reads from a saved paper: ids split by kind, names split into parts,
 * the year, links. One place, so the formats agree with each other.
 */
import { idBody, idKind, paperPageUrl, paperPdfUrl } from '../ids';
import type { CanonicalId, SavedPaper } from '../types';

export interface ExportFields {
  id: CanonicalId;
  title: string;
  authors: { family: string; given: string }[];
  year?: string;
  month?: string;
  day?: string;
  abstract?: string;
  venue?: string;
  /** arXiv id without version, when the paper is on arXiv (id or alias). */
  arxiv?: string;
  primaryClass?: string;
  /** The publisher DOI when there is one, else the arXiv DOI (10.48550/arXiv.…). */
  doi?: string;
  url?: string;
  pdf?: string;
  code?: string;
  tags: string[];
  note: string;
  status: SavedPaper['status'];
  savedAt: number;
  kind: 'preprint' | 'conference' | 'journal' | 'other';
}

/** Lower-case words that belong to the family name ("Ludwig van Beethoven" → "van Beethoven"). */
const PARTICLES = new Set([
  'van',
  'von',
  'der',
  'den',
  'de',
  'del',
  'della',
  'di',
  'da',
  'du',
  'la',
  'le',
  'dos',
  'das',
  'ter',
  'ten',
  'zu',
  'bin',
  'al',
]);

const CONFERENCE =
  /\b(conference|proceedings|workshop|symposium|meeting|neurips|nips|icml|iclr|cvpr|iccv|eccv|acl|emnlp|naacl|aaai|ijcai|kdd|sigir|www|colt|aistats|uai|corl|rss|icra|iros|interspeech|icassp)\b/i;

/** "First Middle Last" → { given, family }; "Last, First" is taken as written. */
export function splitName(name: string): { family: string; given: string } {
  const trimmed = name.replace(/\s+/g, ' ').trim();
  const comma = trimmed.indexOf(',');
  if (comma > 0) {
    return { family: trimmed.slice(0, comma).trim(), given: trimmed.slice(comma + 1).trim() };
  }
  const words = trimmed.split(' ');
  if (words.length === 1) return { family: trimmed, given: '' };
  let start = words.length - 1;
  while (start > 1 && PARTICLES.has((words[start - 1] ?? '').toLowerCase())) start -= 1;
  return { family: words.slice(start).join(' '), given: words.slice(0, start).join(' ') };
}

export function exportFields(paper: SavedPaper): ExportFields {
  const { snapshot } = paper;
  const ids = [paper.id, ...(snapshot.aliases ?? [])];
  const arxivId = ids.find((id) => idKind(id) === 'arxiv');
  const publisherDoi = ids.find((id) => idKind(id) === 'doi');
  const date = /^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?/.exec(snapshot.published ?? '');
  const arxiv = arxivId ? idBody(arxivId) : undefined;
  const fields: ExportFields = {
    id: paper.id,
    title: snapshot.title,
    authors: snapshot.authors.map(splitName),
    tags: [...paper.tags],
    note: paper.note,
    status: paper.status,
    savedAt: paper.savedAt,
    kind: snapshot.venue
      ? CONFERENCE.test(snapshot.venue)
        ? 'conference'
        : 'journal'
      : arxiv
        ? 'preprint'
        : 'other',
  };
  if (date?.[1]) fields.year = date[1];
  if (date?.[2]) fields.month = date[2];
  if (date?.[3]) fields.day = date[3];
  if (snapshot.abstract) fields.abstract = snapshot.abstract;
  if (snapshot.venue) fields.venue = snapshot.venue;
  if (arxiv) fields.arxiv = arxiv;
  const primary = snapshot.categories?.[0];
  if (primary) fields.primaryClass = primary;
  if (publisherDoi) fields.doi = idBody(publisherDoi);
  else if (arxiv) fields.doi = `10.48550/arXiv.${arxiv}`;
  const url = snapshot.links?.abs ?? paperPageUrl(paper.id) ?? undefined;
  if (url) fields.url = url;
  const pdf = snapshot.links?.pdf ?? paperPdfUrl(paper.id) ?? undefined;
  if (pdf) fields.pdf = pdf;
  if (snapshot.links?.code) fields.code = snapshot.links.code;
  return fields;
}
