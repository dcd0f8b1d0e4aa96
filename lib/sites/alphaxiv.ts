/**
 * alphaXiv: the explore/trending feeds and a single paper page (`/abs/<arXiv id>`, also
 * `/overview/<arXiv id>`). A client-rendered app with hashed utility classes, so entries are found
 * by their links to `/abs/` or `/overview/` (stable, they carry the arXiv id) and the heading inside
 * them, never by class names. No capture exists; the link shapes follow PaperMemory's
 * `arxivIdFromURL` (peers-sites-sources.md §3) and lib/ids's alphaxiv host support.
 */
import { meta, text, titleText } from '../dom';
import { idFromUrl } from '../ids';
import type { DetectedPaper, SiteAdapter } from './types';

const PAPER_LINK = 'a[href*="/abs/"], a[href*="/overview/"]';
const HEADING = 'h1, h2, h3, h4, [role="heading"]';
const CARD = 'article, li, [role="article"], [role="listitem"]';
const PAGE_TITLE = 'main h1, h1';
const PAPER_PATH = /^\/(?:abs|overview)\/[^/]+\/?$/;

function cardTitle(link: Element): Element | null {
  const inside = link.querySelector(HEADING);
  if (inside) return inside;
  const around = link.closest(HEADING);
  if (around) return link;
  // A bare link counts only when it reads like a title, not "PDF" or "2401.01234".
  return /\s\S+\s/.test(text(link)) && !/^\[?[\w.]+\]?$/.test(text(link)) ? link : null;
}

function feed(root: ParentNode, base: URL): DetectedPaper[] {
  const papers: DetectedPaper[] = [];
  const seen = new Set<Element>();
  for (const link of root.querySelectorAll(PAPER_LINK)) {
    const id = idFromUrl(link.getAttribute('href') ?? '', base.href);
    const titleElement = id ? cardTitle(link) : null;
    if (!id || !titleElement) continue;
    // One card links its paper from the image, the title and the comment count: one entry per card.
    const card = link.closest(CARD) ?? titleElement;
    if (seen.has(card)) continue;
    seen.add(card);
    const title = titleText(titleElement);
    if (title) papers.push({ titleElement, title, ids: [id], authors: [] });
  }
  return papers;
}

function paperPage(root: ParentNode, url: URL): DetectedPaper[] {
  const titleElement = root.querySelector(PAGE_TITLE);
  const title = titleText(titleElement) || meta(root, 'citation_title');
  const id = idFromUrl(url.href);
  if (!titleElement || !title) return [];
  const paper: DetectedPaper = { titleElement, title, ids: id ? [id] : [], authors: [] };
  const abstract = meta(root, 'citation_abstract') || meta(root, 'description');
  if (abstract) paper.abstract = abstract;
  return [paper];
}

const HOSTS = new Set(['alphaxiv.org', 'www.alphaxiv.org']);

export const alphaxiv: SiteAdapter = {
  id: 'alphaxiv',
  name: 'alphaXiv',
  matches: ['https://alphaxiv.org/*', 'https://www.alphaxiv.org/*'],
  isListing: (url) => HOSTS.has(url.hostname),
  findPapers: (root, url) =>
    PAPER_PATH.test(url.pathname) ? paperPage(root, url) : feed(root, url),
  examples: {
    listing: [
      'https://www.alphaxiv.org/',
      'https://www.alphaxiv.org/explore?sort=Hot',
      'https://alphaxiv.org/abs/2401.04088',
      'https://www.alphaxiv.org/overview/2502.13923',
    ],
  },
};
