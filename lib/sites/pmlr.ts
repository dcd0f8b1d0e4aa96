/**
 * PMLR (Proceedings of Machine Learning Research) volume pages: `proceedings.mlr.press/v<N>/`.
 * One `div.paper` per paper: `p.title`, `p.details span.authors`, `p.links` (abs, Download PDF).
 * PMLR keys (`v202/smith23a`) are not a canonical id kind, so entries match by title.
 * No capture exists (../shared/fixtures/real/NOTES.md §9.6); structure from
 * peers-sites-sources.md §3.
 */
import { splitAuthors, text, titleText } from '../dom';
import type { DetectedPaper, SiteAdapter } from './types';

const PAPER = 'div.paper';
const TITLE = 'p.title';
const AUTHORS = ['span.authors', 'p.details'] as const; // older volumes have no span around the names

function entries(root: ParentNode): DetectedPaper[] {
  const papers: DetectedPaper[] = [];
  for (const paper of root.querySelectorAll(PAPER)) {
    const titleElement = paper.querySelector(TITLE);
    const title = titleText(titleElement);
    if (!titleElement || !title) continue;
    const byline = paper.querySelector(AUTHORS[0]) ?? paper.querySelector(AUTHORS[1]);
    // Older volumes print "Names; JMLR W&CP 28(1):1-9, 2013" in p.details.
    const names = text(byline).split(';')[0] ?? '';
    papers.push({ titleElement, title, ids: [], authors: splitAuthors(names) });
  }
  return papers;
}

export const pmlr: SiteAdapter = {
  id: 'pmlr',
  name: 'PMLR proceedings',
  matches: ['https://proceedings.mlr.press/*'],
  isListing: (url) =>
    url.hostname === 'proceedings.mlr.press' && /^\/v\d+\/?(?:index\.html)?$/.test(url.pathname),
  findPapers: entries,
  examples: {
    listing: [
      'https://proceedings.mlr.press/v202/',
      'https://proceedings.mlr.press/v28/',
      'https://proceedings.mlr.press/v235/index.html',
    ],
  },
};
