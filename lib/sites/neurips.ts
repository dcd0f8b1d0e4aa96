/**
 * NeurIPS proceedings: the per-year listing on proceedings.neurips.cc / papers.nips.cc
 * (`/paper_files/paper/<year>`, before 2022 `/paper/<year>`). One `li` per paper whose link ends in
 * `-Abstract(-Conference|-Datasets_and_Benchmarks).html`; no DOI or arXiv link on the listing, so
 * entries match by title. No capture exists (../shared/fixtures/real/NOTES.md §9.6); structure from
 * peers-sites-sources.md §3 (zotero/translators `Neural Information Processing Systems.js`).
 */
import { splitAuthors, text, titleText } from '../dom';
import type { DetectedPaper, SiteAdapter } from './types';

const TITLE_LINK = [
  'li a[title="paper title"]', // 2023+: li.conference > div.paper-content > a
  'li a[href*="-Abstract"]', // 2020–2022: li > a + i (authors)
] as const;
const AUTHORS = ['.paper-authors', 'i'] as const; // 2023+ span.paper-authors, older <i>

function entries(root: ParentNode): DetectedPaper[] {
  const papers: DetectedPaper[] = [];
  const seen = new Set<Element>();
  for (const selector of TITLE_LINK) {
    for (const link of root.querySelectorAll(selector)) {
      const item = link.closest('li');
      if (!item || seen.has(item)) continue;
      seen.add(item);
      const title = titleText(link);
      if (!title) continue;
      const byline = item.querySelector(AUTHORS[0]) ?? item.querySelector(AUTHORS[1]);
      papers.push({ titleElement: link, title, ids: [], authors: splitAuthors(text(byline)) });
    }
  }
  return papers;
}

const HOSTS = new Set(['proceedings.neurips.cc', 'papers.nips.cc', 'papers.neurips.cc']);

export const neurips: SiteAdapter = {
  id: 'neurips',
  name: 'NeurIPS proceedings',
  matches: [...HOSTS].flatMap((host) => [
    `https://${host}/paper_files/paper/*`,
    `https://${host}/paper/*`,
  ]),
  isListing: (url) =>
    HOSTS.has(url.hostname) && /^\/(?:paper_files\/)?paper\/\d{4}\/?$/.test(url.pathname),
  findPapers: entries,
  examples: {
    listing: [
      'https://proceedings.neurips.cc/paper_files/paper/2023',
      'https://papers.nips.cc/paper_files/paper/2022',
      'https://papers.nips.cc/paper/2019',
      'https://proceedings.neurips.cc/paper/2020/',
    ],
  },
};
