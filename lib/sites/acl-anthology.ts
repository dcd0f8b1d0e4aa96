/**
 * ACL Anthology: event (`/events/<e>/`), volume (`/volumes/<v>/`) and author (`/people/…/`) pages,
 * plus the single paper page (`/<anthology id>/`).
 * Real captures: ../shared/fixtures/real/acl-anthology (author pages 2023 Bootstrap 4 and 2026
 * Bootstrap 5, paper pages 2021.naacl-main.208 and N04-1001), NOTES.md §8. Event and volume pages use
 * the same per-paper row (peers-sites-sources.md §3, zotero/translators `ACLWeb.js`).
 * Minified markup with unquoted attributes: selectors never depend on attribute quoting.
 */
import { $optional, attr, meta, metas, text, titleText } from '../dom';
import { idFromUrl } from '../ids';
import type { DetectedPaper, SiteAdapter } from './types';

const ROW = '.d-sm-flex'; // every list page since 2019: div (author pages) or p (event/volume)
const ROW_TITLE = 'span.d-block strong a[href], strong > a.align-middle[href]';
const ROW_AUTHORS = 'a[href^="/people/"]';
const ROW_ABSTRACT = '.card-body'; // in the row's next sibling, div.abstract-collapse (collapsed)
const PAPER_TITLE = 'h2#title';
const PAPER_AUTHORS = 'p.lead a[href^="/people/"]';
const PAPER_ABSTRACT = '.acl-abstract span'; // absent on old papers (N04-1001)

/** Volume front matter ("Proceedings of …") is listed like a paper but isn't one. */
function isFrontMatter(id: string, title: string): boolean {
  return /\.0$/.test(id) || (/^acl:[A-Z]\d{2}-\d{4}$/.test(id) && /^Proceedings\b/i.test(title));
}

function rows(root: ParentNode, base: URL): DetectedPaper[] {
  const papers: DetectedPaper[] = [];
  for (const row of root.querySelectorAll(ROW)) {
    const titleElement = row.querySelector(ROW_TITLE);
    const title = titleText(titleElement);
    if (!titleElement || !title) continue;
    const id = idFromUrl(attr(titleElement, 'href'), base.href);
    if (id && isFrontMatter(id, title)) continue;
    const paper: DetectedPaper = {
      titleElement,
      title,
      ids: id ? [id] : [],
      authors: [...row.querySelectorAll(ROW_AUTHORS)].map((a) => text(a)).filter(Boolean),
    };
    const next = row.nextElementSibling;
    const abstract = next?.matches('.abstract-collapse') ? text($optional(next, ROW_ABSTRACT)) : '';
    if (abstract) paper.abstract = abstract;
    papers.push(paper);
  }
  return papers;
}

function paperPage(root: ParentNode, url: URL): DetectedPaper[] {
  const heading = root.querySelector(PAPER_TITLE);
  // The title is a link to the PDF inside the heading; annotate the heading's link when present.
  const titleElement = heading?.querySelector('a') ?? heading;
  const title = titleText(heading) || meta(root, 'citation_title');
  if (!titleElement || !title) return [];
  const id = idFromUrl(url.href);
  const shown = [...root.querySelectorAll(PAPER_AUTHORS)].map((a) => text(a)).filter(Boolean);
  const paper: DetectedPaper = {
    titleElement,
    title,
    ids: id ? [id] : [],
    authors: shown.length > 0 ? shown : metas(root, 'citation_author'),
  };
  const abstract = text(root.querySelector(PAPER_ABSTRACT));
  if (abstract) paper.abstract = abstract;
  return [paper];
}

function pageKind(url: URL): 'list' | 'paper' | null {
  if (url.hostname !== 'aclanthology.org') return null;
  if (/^\/(?:events|volumes|people)\/./.test(url.pathname)) return 'list';
  return idFromUrl(url.href) ? 'paper' : null;
}

export const aclAnthology: SiteAdapter = {
  id: 'acl-anthology',
  name: 'ACL Anthology',
  matches: ['https://aclanthology.org/*'],
  isListing: (url) => pageKind(url) !== null,
  findPapers(root, url) {
    const kind = pageKind(url);
    if (kind === 'paper') return paperPage(root, url);
    return kind === 'list' ? rows(root, url) : [];
  },
  examples: {
    listing: [
      'https://aclanthology.org/events/acl-2023/',
      'https://aclanthology.org/volumes/2023.acl-long/',
      'https://aclanthology.org/volumes/P18-1/',
      'https://aclanthology.org/people/andreas-madsack/',
      'https://aclanthology.org/people/a/andreas-madsack/',
      'https://aclanthology.org/2021.naacl-main.208/',
      'https://aclanthology.org/N04-1001/',
    ],
  },
};
