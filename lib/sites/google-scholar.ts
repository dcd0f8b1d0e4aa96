/**
 * Google Scholar: result pages (`/scholar?q=`), "cited by" lists (`/scholar?cites=`), cluster
 * pages, and profile publication lists (`/citations?user=`, rows appended by "Show more").
 * Read the page only: never request anything from Scholar (aggressive bot detection).
 * Results: real 2016 captures (../shared/fixtures/real/google-scholar, NOTES.md §8) and
 * zotero/translators `Google Scholar.js`; the current `div.gs_r.gs_or[data-cid]` wrapper and the
 * profile table (`tr.gsc_a_tr`, `a.gsc_a_at`) follow peers-sites-sources.md §3.
 */
import { $all, text, titleText, linkedIds, orderIds, splitAuthors } from '../dom';
import { arxivIdFromBare, arxivIdFromText } from '../ids';
import type { CanonicalId } from '../types';
import type { DetectedPaper, SiteAdapter } from './types';

const RESULT = [
  '.gs_r.gs_or[data-cid]', // 2019+ markup
  '#gs_res_ccl_mid > .gs_r, #gs_ccl > .gs_r', // 2016 markup: no data-cid
] as const;
const RESULT_TITLE = 'h3.gs_rt';
const TITLE_TAGS = '.gs_ctu, .gs_ctc, .gs_ctg, .gs_ctg2'; // "[PDF]", "[HTML]", "[CITATION][C]"
const RESULT_LINKS = 'h3.gs_rt a[href], .gs_ggs a[href], .gs_or_ggsm a[href]'; // title + side PDF
const BYLINE = '.gs_a';
const PROFILE_ROW = 'tr.gsc_a_tr';
const PROFILE_TITLE = 'a.gsc_a_at';
const PROFILE_GRAY = '.gs_gray'; // first: authors, second: venue (may name an arXiv id)

/** arXiv ids Scholar prints in bylines and venues: "arXiv preprint arXiv:2301.00001", "CoRR, abs/1206.5538". */
function arxivInByline(byline: string): CanonicalId | null {
  return (
    arxivIdFromText(byline) ??
    arxivIdFromBare(/\b(?:CoRR|arXiv),?\s+abs\/(\S+?)[,\s]/i.exec(`${byline} `)?.[1] ?? '')
  );
}

function results(root: ParentNode, base: URL): DetectedPaper[] {
  const papers: DetectedPaper[] = [];
  for (const result of $all(root, RESULT)) {
    const titleElement = result.querySelector(RESULT_TITLE);
    const title = titleText(titleElement, TITLE_TAGS);
    if (!titleElement || !title) continue;
    const byline = text(result.querySelector(BYLINE));
    const authorPart = byline.split(/\s+-\s+/)[0] ?? '';
    papers.push({
      titleElement,
      title,
      ids: orderIds([...linkedIds(result, base, RESULT_LINKS), arxivInByline(byline)]),
      authors: splitAuthors(authorPart),
    });
  }
  return papers;
}

function profileRows(root: ParentNode): DetectedPaper[] {
  const papers: DetectedPaper[] = [];
  for (const row of root.querySelectorAll(PROFILE_ROW)) {
    const titleElement = row.querySelector(PROFILE_TITLE);
    const title = titleText(titleElement);
    if (!titleElement || !title) continue;
    const [authors, venue] = [...row.querySelectorAll(PROFILE_GRAY)].map((cell) => text(cell));
    const id = arxivInByline(venue ?? '');
    papers.push({ titleElement, title, ids: id ? [id] : [], authors: splitAuthors(authors ?? '') });
  }
  return papers;
}

function isScholarHost(hostname: string): boolean {
  return /^scholar\.google\.(?:[a-z]{2,3}|com?\.[a-z]{2})$/.test(hostname);
}

// Manifest patterns can't wildcard a TLD; these are Scholar's most used country hosts.
const HOSTS = ['com', 'co.uk', 'de', 'fr', 'co.jp', 'ca', 'com.au', 'es', 'it', 'nl', 'ch',
  'com.br', 'co.in', 'cn', 'com.hk', 'com.tw', 'co.kr', 'ru', 'se', 'pl', 'at', 'be', 'dk',
  'fi', 'no', 'pt', 'cz', 'co.il', 'com.sg', 'com.mx', 'com.tr', 'gr', 'ie', 'co.za']; // prettier-ignore

export const googleScholar: SiteAdapter = {
  id: 'google-scholar',
  name: 'Google Scholar',
  matches: HOSTS.flatMap((tld) => [
    `https://scholar.google.${tld}/scholar*`,
    `https://scholar.google.${tld}/citations*`,
  ]),
  isListing: (url) =>
    isScholarHost(url.hostname) &&
    (url.pathname === '/scholar' ||
      (url.pathname === '/citations' && url.searchParams.has('user'))),
  findPapers(root, url) {
    return url.pathname === '/citations' ? profileRows(root) : results(root, url);
  },
  examples: {
    listing: [
      'https://scholar.google.com/scholar?q=attention+is+all+you+need',
      'https://scholar.google.co.jp/scholar?hl=en&q=%22Learning+deep+architectures+for+AI%22',
      'https://scholar.google.com/scholar?cites=5331804836605365413&as_sdt=2005&sciodt=0,5',
      'https://scholar.google.de/scholar?cluster=5362332738201102290&hl=en',
      'https://scholar.google.com/citations?user=kukA0LcAAAAJ&hl=en',
    ],
  },
};
