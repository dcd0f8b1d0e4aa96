/**
 * Semantic Scholar: search results (`/search?q=`), author pages (`/author/<name>/<id>`) and paper
 * pages (`/paper/<slug>/<40-hex id>`). A client-rendered app: rows arrive after load, on paging and
 * on tab switches, so the content script's observer rescans. No HTML capture exists
 * (../shared/fixtures/real/NOTES.md §8); structure from peers-sites-sources.md §3
 * (zotero/translators `Semantic Scholar.js`: `.cl-paper-row`, `data-test-id` attributes).
 */
import { $all, $optional, linkedIds, meta, metas, orderIds, text, titleText } from '../dom';
import { idFromUrl } from '../ids';
import type { DetectedPaper, SiteAdapter } from './types';

const ROW = [
  '.cl-paper-row', // search and author pages (2020+)
  '.serp-papers__paper-row', // search rows before the cl-* component library
] as const;
const ROW_TITLE = [
  'a[data-test-id="title-link"]', // 2021+
  'a[data-selenium-selector="title-link"]', // older rows
  '.cl-paper-title',
] as const;
const ROW_AUTHORS = '.cl-paper-authors__author-link, a[data-test-id="author-link"]';
const ROW_ABSTRACT = '.cl-paper-abstract span.full-abstract'; // only after "Expand"; TLDR otherwise
const PAPER_TITLE = ['h1[data-test-id="paper-detail-title"]', 'h1'];
const PAPER_AUTHORS = '[data-test-id="author-list"] a, .paper-meta .author-list a';
const PAPER_ABSTRACT = [
  '[data-test-id="abstract-text"] [data-test-id="text-truncator-text"]', // the expanded text
  '[data-test-id="abstract-text"]',
];
const PAPER_LINKS = '.paper-meta a[href], [data-test-id="paper-link"], a.doi__link';

function rows(root: ParentNode, base: URL): DetectedPaper[] {
  const papers: DetectedPaper[] = [];
  for (const row of $all(root, ROW)) {
    const titleElement = $optional(row, ROW_TITLE);
    const title = titleText(titleElement);
    if (!titleElement || !title) continue;
    const own = idFromUrl(titleElement.closest('a')?.getAttribute('href') ?? '', base.href);
    const paper: DetectedPaper = {
      titleElement,
      title,
      // The row links its own arXiv / DOI / publisher copies next to the S2 page.
      ids: orderIds([...linkedIds(row, base), own]),
      authors: [...row.querySelectorAll(ROW_AUTHORS)].map((a) => text(a)).filter(Boolean),
    };
    const abstract = text(row.querySelector(ROW_ABSTRACT));
    if (abstract) paper.abstract = abstract;
    papers.push(paper);
  }
  return papers;
}

function paperPage(root: ParentNode, url: URL): DetectedPaper[] {
  const titleElement = $optional(root, PAPER_TITLE);
  const title = titleText(titleElement) || meta(root, 'citation_title');
  if (!titleElement || !title) return [];
  const shown = [...root.querySelectorAll(PAPER_AUTHORS)].map((a) => text(a)).filter(Boolean);
  const paper: DetectedPaper = {
    titleElement,
    title,
    ids: orderIds([...linkedIds(root, url, PAPER_LINKS), idFromUrl(url.href)]),
    authors: shown.length > 0 ? shown : metas(root, 'citation_author'),
  };
  const abstract = text($optional(root, PAPER_ABSTRACT)) || meta(root, 'description');
  if (abstract) paper.abstract = abstract;
  return [paper];
}

const PAPER_PATH = /^\/paper\/(?:[^/]+\/)?[0-9a-f]{40}\/?$/i;

export const semanticScholar: SiteAdapter = {
  id: 'semantic-scholar',
  name: 'Semantic Scholar',
  matches: [
    'https://www.semanticscholar.org/search*',
    'https://www.semanticscholar.org/author/*',
    'https://www.semanticscholar.org/paper/*',
  ],
  isListing: (url) =>
    url.hostname === 'www.semanticscholar.org' &&
    (url.pathname === '/search' ||
      /^\/author\/[^/]+\/\d+/.test(url.pathname) ||
      PAPER_PATH.test(url.pathname)),
  findPapers(root, url) {
    return PAPER_PATH.test(url.pathname) ? paperPage(root, url) : rows(root, url);
  },
  examples: {
    listing: [
      'https://www.semanticscholar.org/search?q=attention%20is%20all%20you%20need&sort=relevance',
      'https://www.semanticscholar.org/author/Ashish-Vaswani/40348417',
      'https://www.semanticscholar.org/paper/Attention-is-All-you-Need-Vaswani-Shazeer/204e3073870fae3d05bcbc2f6a8e263d9b72e776',
    ],
  },
};
