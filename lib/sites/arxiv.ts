/**
 * arXiv: every /list/ view (new, recent, pastweek, monthly /YYMM or /YYYY-MM), per-day catchup,
 * /search/ results and the single /abs/ page.
 * Listings: ../shared/fixtures/real/NOTES.md §1 — dt/dd pairs; the 2024+ markup has `dl#articles`
 * (repeated per section), the pre-2024 markup a plain `dl` with `span.list-identifier`.
 * Search: peers-sites-sources.md §3 (`li.arxiv-result`, no capture: NOTES.md §3).
 * Abs: NOTES.md §2 (three real captures, 2014/2021/2026 markup).
 */
import {
  $all,
  $optional,
  attr,
  lazyAbstract,
  linkTexts,
  meta,
  metas,
  text,
  textWithout,
  titleText,
} from '../dom';
import { arxivIdFromBare, arxivIdFromText, idFromUrl } from '../ids';
import type { CanonicalId } from '../types';
import type { DetectedPaper, SiteAdapter } from './types';

// Every <dt> whose <dd> has a list title: 2024+ markup (and per-day catchup) has `dl#articles`,
// repeated per section; pre-2024 a plain <dl> under #dlpage. Not `dl > dt`: an unescaped `<table>`
// or `</dl>` in one title re-parents every entry after it, up to the <body>.
const ENTRY_TERM = 'dt';
const ABSTRACT_LINK = 'a[title="Abstract"]'; // both markups
const LIST_TITLE = '.list-title'; // both markups; has a "Title:" descriptor span
const LIST_AUTHORS = '.list-authors'; // then its links: a scoped `.list-authors a` costs 6× more
const LIST_ABSTRACT = 'p.mathjax'; // only on /new and catchup pages

const SEARCH_RESULT = 'li.arxiv-result';
const SEARCH_ID_LINK = 'p.list-title a[href*="/abs/"]';
const SEARCH_TITLE = 'p.title';
const SEARCH_AUTHORS = 'p.authors a';
const SEARCH_ABSTRACT = 'span.abstract-full'; // hidden until "More"; ends in a "△ Less" link

const ABS_TITLE = ['h1.title', '#abs h1']; // every abs markup since 2014
const ABS_AUTHORS = ['#abs .authors a', '.authors a']; // #abs wrapper in every markup since 2014
const ABS_ABSTRACT = 'blockquote.abstract'; // older pages lack citation_abstract

function listEntries(root: ParentNode, base: URL): DetectedPaper[] {
  const papers: DetectedPaper[] = [];
  for (const dt of root.querySelectorAll(ENTRY_TERM)) {
    const dd = dt.nextElementSibling;
    if (dd?.tagName !== 'DD') continue;
    const titleElement = $optional(dd, LIST_TITLE);
    const title = titleText(titleElement);
    if (!titleElement || !title) continue;
    const link = dt.querySelector(ABSTRACT_LINK);
    const id =
      arxivIdFromBare(attr(link, 'id')) ?? idFromUrl(attr(link, 'href'), base.href) ?? null;
    const paper: DetectedPaper = {
      titleElement,
      title,
      ids: id ? [id] : [],
      authors: linkTexts(dd.querySelector(LIST_AUTHORS)),
    };
    papers.push(lazyAbstract(paper, dd.querySelector(LIST_ABSTRACT)));
  }
  return papers;
}

function searchEntries(root: ParentNode, base: URL): DetectedPaper[] {
  const papers: DetectedPaper[] = [];
  for (const item of root.querySelectorAll(SEARCH_RESULT)) {
    const titleElement = item.querySelector(SEARCH_TITLE);
    const title = titleText(titleElement);
    if (!titleElement || !title) continue;
    const link = item.querySelector(SEARCH_ID_LINK);
    const id = idFromUrl(attr(link, 'href'), base.href) ?? arxivIdFromText(text(link));
    const paper: DetectedPaper = {
      titleElement,
      title,
      ids: id ? [id] : [],
      authors: [...item.querySelectorAll(SEARCH_AUTHORS)].map((a) => text(a)).filter(Boolean),
    };
    const abstract = textWithout(item.querySelector(SEARCH_ABSTRACT), 'a');
    if (abstract) paper.abstract = abstract;
    papers.push(paper);
  }
  return papers;
}

function absEntry(root: ParentNode, url: URL): DetectedPaper[] {
  const titleElement = $optional(root, ABS_TITLE);
  const title = titleText(titleElement) || meta(root, 'citation_title');
  if (!titleElement || !title) return [];
  const id: CanonicalId | null =
    idFromUrl(url.href) ?? arxivIdFromBare(meta(root, 'citation_arxiv_id'));
  const linked = $all(root, ABS_AUTHORS)
    .map((a) => text(a))
    .filter(Boolean);
  const paper: DetectedPaper = {
    titleElement,
    title,
    ids: id ? [id] : [],
    authors: linked.length > 0 ? linked : metas(root, 'citation_author'),
  };
  const abstract =
    meta(root, 'citation_abstract') || textWithout(root.querySelector(ABS_ABSTRACT), '.descriptor');
  if (abstract) paper.abstract = abstract;
  return [paper];
}

const READERS = { list: listEntries, search: searchEntries, abs: absEntry } as const;

function pageKind(url: URL): keyof typeof READERS | null {
  if (!/^(?:www\.)?arxiv\.org$/.test(url.hostname)) return null;
  return (/^\/(list|catchup|search|abs)\/./.exec(url.pathname)?.[1]?.replace('catchup', 'list') ??
    (url.pathname === '/search/' ? 'search' : null)) as keyof typeof READERS | null;
}

export const arxiv: SiteAdapter = {
  id: 'arxiv',
  name: 'arXiv',
  matches: ['list', 'catchup', 'search', 'abs'].flatMap((path) => [
    `https://arxiv.org/${path}/*`,
    `https://www.arxiv.org/${path}/*`,
  ]),
  isListing: (url) => pageKind(url) !== null,
  findPapers(root, url) {
    const kind = pageKind(url);
    return kind ? READERS[kind](root, url) : [];
  },
  examples: {
    listing: [
      'https://arxiv.org/list/hep-th/new',
      'https://arxiv.org/list/cs.LG/recent',
      'https://arxiv.org/list/astro-ph/pastweek?show=2000',
      'https://arxiv.org/list/cs.CL/2024-08',
      'https://arxiv.org/list/math.AG/2312',
      'https://arxiv.org/catchup/cs.CV/2024-08-09',
      'https://arxiv.org/search/?query=diffusion&searchtype=all',
      'https://arxiv.org/search/cs?query=transformer&searchtype=title&abstracts=show',
      'https://arxiv.org/abs/1902.02534',
      'https://www.arxiv.org/abs/hep-th/9901001v2',
    ],
  },
};
