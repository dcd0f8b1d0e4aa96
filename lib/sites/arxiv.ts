/**
 * arXiv listings: /list/<cat>/new, recent, pastweek, monthly (/list/<cat>/YYMM or YYYY-MM), catchup.
 * Structure: ../shared/fixtures/real/NOTES.md §1. Entries are dt/dd pairs; the current markup has
 * `dl#articles` (repeated), the pre-2024 markup a plain `dl` with `span.list-identifier`.
 */
import { $optional, text, titleText } from '../dom';
import { arxivIdFromBare, idFromUrl } from '../ids';
import type { CanonicalId } from '../types';
import type { DetectedPaper, SiteAdapter } from './types';

const ENTRY_TERM = [
  'dl#articles > dt', // 2024+ markup: id repeats once per section
  '#dlpage dl > dt', // pre-2024 markup: plain <dl> under #dlpage
] as const;
const ABSTRACT_LINK = 'a[title="Abstract"]'; // both markups
const TITLE = '.list-title'; // both markups; has a "Title:" descriptor span
const AUTHORS = '.list-authors a';
const ABSTRACT = 'p.mathjax'; // only on /new pages

function entryTerms(root: ParentNode): Element[] {
  const seen = new Set<Element>();
  for (const selector of ENTRY_TERM) {
    root.querySelectorAll(selector).forEach((dt) => seen.add(dt));
  }
  return [...seen];
}

function arxivIdOf(dt: Element, base: URL): CanonicalId | null {
  const link = dt.querySelector(ABSTRACT_LINK);
  if (!link) return null;
  return (
    arxivIdFromBare(link.getAttribute('id') ?? '') ??
    idFromUrl(link.getAttribute('href') ?? '', base.href)
  );
}

export const arxiv: SiteAdapter = {
  id: 'arxiv',
  name: 'arXiv listings',
  matches: [
    'https://arxiv.org/list/*',
    'https://www.arxiv.org/list/*',
    'https://arxiv.org/catchup/*',
  ],
  isListing: (url) =>
    /^(?:www\.)?arxiv\.org$/.test(url.hostname) && /^\/(?:list|catchup)\//.test(url.pathname),
  findPapers(root, url) {
    const papers: DetectedPaper[] = [];
    for (const dt of entryTerms(root)) {
      const dd = dt.nextElementSibling;
      if (dd?.tagName !== 'DD') continue;
      const titleElement = $optional(dd, TITLE);
      const title = titleText(titleElement);
      if (!titleElement || !title) continue;
      const id = arxivIdOf(dt, url);
      const paper: DetectedPaper = {
        titleElement,
        title,
        ids: id ? [id] : [],
        authors: [...dd.querySelectorAll(AUTHORS)].map((a) => text(a)).filter(Boolean),
      };
      const abstract = text(dd.querySelector(ABSTRACT));
      if (abstract) paper.abstract = abstract;
      papers.push(paper);
    }
    return papers;
  },
  examples: {
    listing: [
      'https://arxiv.org/list/hep-th/new',
      'https://arxiv.org/list/cs.LG/recent',
      'https://arxiv.org/list/astro-ph/pastweek?show=2000',
      'https://arxiv.org/list/cs.CL/2024-08',
      'https://arxiv.org/catchup/cs.CV/2024-08-09',
    ],
  },
};
