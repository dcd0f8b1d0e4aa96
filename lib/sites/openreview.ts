/**
 * OpenReview: venue group pages (`/group?id=<venue>`, tabs such as #accept-oral, #poster,
 * #all-submissions), forum pages (`/forum?id=`) and search results (`/search?term=`).
 * Client-rendered (React/Next) and paginated about 25 per page, so entries arrive after load and on
 * every tab switch or page turn; the content script's observer rescans. No real capture exists
 * (../shared/fixtures/real/NOTES.md §9.1); structure from peers-sites-sources.md §3 (Selenium
 * scrapers: `#poster-submissions > ul > li > h4 > a`, `div.note-authors > a`) and zotero/translators
 * #1188 (citation_* meta tags on forum pages).
 */
import { $optional, meta, metas, text, textWithout, titleText } from '../dom';
import { idFromUrl } from '../ids';
import type { DetectedPaper, SiteAdapter } from './types';

const TITLE_LINK = [
  'li.note h4 a[href*="/forum?id="]', // group tabs and search results (2021+)
  'div.note h4 a[href*="/forum?id="]', // older group pages: div.note per entry
] as const;
const ENTRY = '.note, li';
const AUTHORS = '.note-authors a';
const FIELD_NAME = '.note-content-field'; // "Abstract:" label; its value follows it
const FIELD_VALUE = '.note-content-value';
const FORUM_TITLE = ['.forum-title h2', 'h2.citation_title', '.forum-container h2'];
const FORUM_AUTHORS = '.forum-authors a';
const FORUM_NOTE = '.forum-container .note, .forum-note, main';

/** The value of the "Abstract" field of a note, when the page shows it (collapsed or not). */
function abstractOf(container: Element): string {
  for (const label of container.querySelectorAll(FIELD_NAME)) {
    if (!/^\s*Abstract\s*:?\s*$/i.test(label.textContent ?? '')) continue;
    const value = label.parentElement?.querySelector(FIELD_VALUE) ?? label.nextElementSibling;
    const abstract = textWithout(value, 'script');
    if (abstract) return abstract;
  }
  return '';
}

function listEntries(root: ParentNode, base: URL): DetectedPaper[] {
  const papers: DetectedPaper[] = [];
  const seen = new Set<Element>();
  for (const selector of TITLE_LINK) {
    for (const link of root.querySelectorAll(selector)) {
      const container = link.closest(ENTRY) ?? link;
      if (seen.has(container)) continue;
      seen.add(container);
      const title = titleText(link);
      if (!title) continue;
      const id = idFromUrl(link.getAttribute('href') ?? '', base.href);
      const paper: DetectedPaper = {
        titleElement: link,
        title,
        ids: id ? [id] : [],
        authors: [...container.querySelectorAll(AUTHORS)].map((a) => text(a)).filter(Boolean),
      };
      const abstract = abstractOf(container);
      if (abstract) paper.abstract = abstract;
      papers.push(paper);
    }
  }
  return papers;
}

function forumEntry(root: ParentNode, url: URL): DetectedPaper[] {
  const titleElement = $optional(root, FORUM_TITLE);
  const title = titleText(titleElement) || meta(root, 'citation_title');
  if (!titleElement || !title) return [];
  const id = idFromUrl(url.href);
  const shown = [...root.querySelectorAll(FORUM_AUTHORS)].map((a) => text(a)).filter(Boolean);
  const paper: DetectedPaper = {
    titleElement,
    title,
    ids: id ? [id] : [],
    authors: shown.length > 0 ? shown : metas(root, 'citation_author'),
  };
  const note = root.querySelector(FORUM_NOTE);
  const abstract = meta(root, 'citation_abstract') || (note ? abstractOf(note) : '');
  if (abstract) paper.abstract = abstract;
  return [paper];
}

function pageKind(url: URL): 'list' | 'forum' | null {
  if (url.hostname !== 'openreview.net' && url.hostname !== 'www.openreview.net') return null;
  if (url.pathname === '/group' || url.pathname === '/search') return 'list';
  if (url.pathname === '/forum' && url.searchParams.has('id')) return 'forum';
  return null;
}

export const openreview: SiteAdapter = {
  id: 'openreview',
  name: 'OpenReview',
  matches: [
    'https://openreview.net/group*',
    'https://openreview.net/forum*',
    'https://openreview.net/search*',
  ],
  isListing: (url) => pageKind(url) !== null,
  findPapers(root, url) {
    const kind = pageKind(url);
    if (kind === 'forum') return forumEntry(root, url);
    return kind === 'list' ? listEntries(root, url) : [];
  },
  examples: {
    listing: [
      'https://openreview.net/group?id=ICLR.cc/2024/Conference',
      'https://openreview.net/group?id=ICLR.cc/2024/Conference#tab-accept-oral',
      'https://openreview.net/group?id=NeurIPS.cc/2023/Conference#tab-accept-poster',
      'https://openreview.net/forum?id=EZNOb_uNpJk',
      'https://openreview.net/search?term=diffusion&content=all&group=all&source=all',
    ],
  },
};
