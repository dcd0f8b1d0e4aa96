/**
 * Canonical paper ids. One paper has one canonical id whatever page or source names it:
 * `arxiv:<id without version>`, `doi:<lower-cased DOI>`, `openreview:<forum id>`,
 * `acl:<anthology id>`, `s2:<40-hex paper id>`, `dblp:<key>` (CoRR keys become arXiv ids).
 * Pure functions; every parser returns `null` rather than throwing on bad input.
 */
import type { CanonicalId } from './types';

export type IdKind = 'arxiv' | 'doi' | 'openreview' | 'acl' | 's2' | 'dblp';

/** Guards every parser against pathological inputs (a 10 MB href, say). */
const MAX_INPUT_LENGTH = 4096;

// New style (2007+): YYMM.NNNN (until 2014) or YYMM.NNNNN, optional version.
const NEW_ARXIV = String.raw`(\d{2}(?:0[1-9]|1[0-2])\.\d{4,5})(?:v\d+)?`;
// Old style: archive(.SUBJ)/YYMMNNN, e.g. hep-th/9901001, math.GT/0309136, cs/0112017.
const OLD_ARXIV = String.raw`([a-z]+(?:-[a-z]+)?(?:\.[A-Z]{2})?/\d{2}(?:0[1-9]|1[0-2])\d{3})(?:v\d+)?`;

const ARXIV_BARE = new RegExp(String.raw`^(?:${NEW_ARXIV}|${OLD_ARXIV})$`);
const ARXIV_TEXT = new RegExp(String.raw`\barxiv\s*:\s*(?:${NEW_ARXIV}|${OLD_ARXIV})`, 'i');
const ARXIV_DOI = new RegExp(String.raw`^10\.48550/arxiv\.(?:${NEW_ARXIV}|${OLD_ARXIV})$`, 'i');
const ARXIV_PATH = new RegExp(
  String.raw`^/(?:abs|pdf|html|format|papers|paper|overview)/(?:${NEW_ARXIV}|${OLD_ARXIV})(?:\.pdf)?/?$`,
);
const DOI_BODY = /^10\.\d{4,9}\/\S+$/;
const DOI_IN_TEXT = /\b(10\.\d{4,9}\/[^\s"'<>]+)/;
const ACL_NEW = /^\d{4}\.[a-z0-9]+(?:-[a-z0-9]+)*\.\d+$/i;
const ACL_OLD = /^[A-Z]\d{2}-\d{4}$/;
const S2_HEX = /^[0-9a-f]{40}$/i;
const OPENREVIEW_ID = /^[A-Za-z0-9_-]{5,}$/;
const DBLP_KEY = /^[a-z]+\/[\w.-]+(?:\/[\w.-]+)+$/i;
const CORR_KEY = /^journals\/corr\/abs-(\d{4})-(\d{4,5})$/i;

const ARXIV_HOSTS = new Set([
  'arxiv.org',
  'www.arxiv.org',
  'export.arxiv.org',
  'ar5iv.org',
  'ar5iv.labs.arxiv.org',
  'alphaxiv.org',
  'www.alphaxiv.org',
  'huggingface.co',
  'scirate.com',
]);

function clip(input: string): string {
  return input.length > MAX_INPUT_LENGTH ? input.slice(0, MAX_INPUT_LENGTH) : input;
}

function arxivFromMatch(match: RegExpMatchArray | null): CanonicalId | null {
  const id = match?.[1] ?? match?.[2];
  return id ? `arxiv:${id}` : null;
}

/** A bare arXiv id (`2401.01234v2`, `hep-th/9901001`) → `arxiv:…`. */
export function arxivIdFromBare(value: string): CanonicalId | null {
  return arxivFromMatch(clip(value.trim()).match(ARXIV_BARE));
}

/** `arXiv:2401.01234v1` anywhere in running text → `arxiv:2401.01234`. */
export function arxivIdFromText(text: string): CanonicalId | null {
  return arxivFromMatch(clip(text).match(ARXIV_TEXT));
}

/** Trailing punctuation that text around a DOI often leaves attached to it. */
function trimDoi(doi: string): string {
  let result = doi.replace(/[.,;:)\]}>'"]+$/, '');
  // Common file suffixes that links append to DOI paths (`…/10.1145/123.pdf`).
  result = result
    .replace(/\/(?:full|abstract|pdf|html|epdf)$/i, '')
    .replace(/\.(?:pdf|html)$/i, '');
  // bioRxiv/medRxiv page URLs append the version (`…/2020.12.01.406702v2`); the DOI has none.
  result = result.replace(/^(10\.1101\/(?:\d{4}\.\d{2}\.\d{2}\.)?\d+)v\d+(?:[./].*)?$/i, '$1');
  return result;
}

/** A DOI (`10.x/y`, `doi:10.x/y`, `https://doi.org/10.x/y`) → its canonical id, mapping arXiv and ACL DOIs. */
export function idFromDoi(value: string): CanonicalId | null {
  let doi = clip(value.trim());
  const fromUrl = /^https?:\/\//i.test(doi);
  doi = doi.replace(/^(?:doi:\s*|https?:\/\/(?:dx\.)?doi\.org\/)/i, '');
  // Only links are percent-encoded. Decoding a canonical id again would turn `doi:10.1/%41` into
  // `doi:10.1/a`, a different paper, so a saved paper could no longer be found or removed.
  if (fromUrl) {
    try {
      doi = decodeURIComponent(doi);
    } catch {
      return null;
    }
  }
  doi = trimDoi(doi);
  if (!DOI_BODY.test(doi)) {
    return null;
  }
  const arxiv = arxivFromMatch(doi.match(ARXIV_DOI));
  if (arxiv) {
    return arxiv;
  }
  const acl = /^10\.18653\/v1\/(.+)$/i.exec(doi)?.[1];
  if (acl && (ACL_NEW.test(acl) || ACL_OLD.test(acl))) {
    return `acl:${acl}`;
  }
  return `doi:${doi.toLowerCase()}`;
}

/** A DBLP key → `dblp:<key>`, or the arXiv id for CoRR keys (`journals/corr/abs-1706-03762`). */
export function idFromDblpKey(key: string): CanonicalId | null {
  const trimmed = clip(key.trim()).replace(/^dblp:/i, '');
  const corr = CORR_KEY.exec(trimmed);
  if (corr?.[1] && corr[2]) {
    return arxivIdFromBare(`${corr[1]}.${corr[2]}`);
  }
  return DBLP_KEY.test(trimmed) ? `dblp:${trimmed}` : null;
}

function parseUrl(value: string, base?: string): URL | null {
  try {
    return new URL(value, base);
  } catch {
    return null;
  }
}

/** The canonical id a link points to, or `null`. Relative links need `base`. */
export function idFromUrl(href: string, base?: string): CanonicalId | null {
  const url = parseUrl(clip(href.trim()), base);
  if (!url || (url.protocol !== 'https:' && url.protocol !== 'http:')) {
    return null;
  }
  const host = url.hostname.toLowerCase();
  const path = url.pathname;
  if (ARXIV_HOSTS.has(host)) {
    const arxiv = arxivFromMatch(path.match(ARXIV_PATH));
    if (arxiv) {
      return arxiv;
    }
  }
  if (host === 'doi.org' || host === 'dx.doi.org') {
    return idFromDoi(`https://doi.org${path}`);
  }
  if (host.endsWith('openreview.net')) {
    const forum = url.searchParams.get('id');
    if ((path === '/forum' || path === '/pdf') && forum && OPENREVIEW_ID.test(forum)) {
      return `openreview:${forum}`;
    }
    return null;
  }
  if (host === 'aclanthology.org' || host === 'www.aclweb.org') {
    const segment = path
      .replace(/^\/anthology\//, '/')
      .split('/')
      .find((part) => part.length > 0)
      ?.replace(/\.(?:pdf|bib|xml)$/, '');
    if (segment && (ACL_NEW.test(segment) || ACL_OLD.test(segment))) {
      return `acl:${segment}`;
    }
    return null;
  }
  if (host.endsWith('semanticscholar.org')) {
    const hex = /^\/paper\/(?:[^/]+\/)?([0-9a-f]{40})\/?$/i.exec(path)?.[1];
    return hex ? `s2:${hex.toLowerCase()}` : null;
  }
  if (host.endsWith('dblp.org') || host.endsWith('dblp.uni-trier.de')) {
    const key = /^\/rec\/(?:bibtex\/|xml\/)?(.+?)(?:\.html|\.bib|\.xml|\.ris)?$/.exec(path)?.[1];
    return key ? idFromDblpKey(key) : null;
  }
  // Publisher links often carry the DOI in the path (ACM, Wiley, Springer, IEEE Xplore's doi links).
  const doiInPath = DOI_IN_TEXT.exec(decodeSafely(path))?.[1];
  return doiInPath ? idFromDoi(doiInPath) : null;
}

function decodeSafely(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

const CANONICAL = /^(arxiv|doi|openreview|acl|s2|dblp):(.+)$/;

/** Whether `value` is already a well-formed canonical id. */
export function isCanonicalId(value: string): value is CanonicalId {
  return parseId(value) === value;
}

/**
 * Anything that names a paper — a canonical id, an arXiv id, `arXiv:` text, a DOI, a URL,
 * a DBLP key — to its canonical id, or `null`.
 */
export function parseId(input: string): CanonicalId | null {
  const value = clip(input.trim());
  if (value.length === 0) {
    return null;
  }
  const canonical = CANONICAL.exec(value);
  if (canonical?.[1] && canonical[2]) {
    const body = canonical[2];
    switch (canonical[1]) {
      case 'arxiv':
        return arxivIdFromBare(body);
      case 'doi':
        return idFromDoi(body);
      case 'openreview':
        return OPENREVIEW_ID.test(body) ? `openreview:${body}` : null;
      case 'acl':
        return ACL_NEW.test(body) || ACL_OLD.test(body) ? `acl:${body}` : null;
      case 's2':
        return S2_HEX.test(body) ? `s2:${body.toLowerCase()}` : null;
      case 'dblp':
        return idFromDblpKey(body);
    }
  }
  if (/^https?:\/\//i.test(value)) {
    return idFromUrl(value);
  }
  if (/^arxiv\s*:/i.test(value)) {
    return arxivIdFromText(value);
  }
  if (/^(?:doi:\s*)?10\./i.test(value)) {
    return idFromDoi(value);
  }
  return arxivIdFromBare(value) ?? (S2_HEX.test(value) ? `s2:${value.toLowerCase()}` : null);
}

/** The kind of a canonical id (`arxiv`, `doi`, …). */
export function idKind(id: CanonicalId): IdKind | null {
  const kind = CANONICAL.exec(id)?.[1];
  return (kind as IdKind | undefined) ?? null;
}

/** The part after the prefix: `arxiv:2401.01234` → `2401.01234`. */
export function idBody(id: CanonicalId): string {
  const colon = id.indexOf(':');
  return colon < 0 ? id : id.slice(colon + 1);
}

/** The public page of a paper, for links in the UI. Only https URLs we build ourselves. */
export function paperPageUrl(id: CanonicalId): string | null {
  const body = idBody(id);
  switch (idKind(id)) {
    case 'arxiv':
      return `https://arxiv.org/abs/${body}`;
    case 'doi':
      return `https://doi.org/${body}`;
    case 'openreview':
      return `https://openreview.net/forum?id=${encodeURIComponent(body)}`;
    case 'acl':
      return `https://aclanthology.org/${body}/`;
    case 's2':
      return `https://www.semanticscholar.org/paper/${body}`;
    case 'dblp':
      return `https://dblp.org/rec/${body}.html`;
    default:
      return null;
  }
}

/** PDF link for kinds whose PDF URL is derivable. */
export function paperPdfUrl(id: CanonicalId): string | null {
  const body = idBody(id);
  switch (idKind(id)) {
    case 'arxiv':
      return `https://arxiv.org/pdf/${body}`;
    case 'openreview':
      return `https://openreview.net/pdf?id=${encodeURIComponent(body)}`;
    case 'acl':
      return `https://aclanthology.org/${body}.pdf`;
    default:
      return null;
  }
}
