/**
 * CVF open access listings: `openaccess.thecvf.com/<CONF><YEAR>?day=all` (CVPR, ICCV, WACV) and
 * workshop pages. Each paper is `dt.ptitle` followed by a `dd` of authors and a `dd` of links, which
 * often include the paper's arXiv copy. Without `?day=all` the page lists days, not papers.
 * No capture exists (../shared/fixtures/real/NOTES.md §9.6); structure from
 * peers-sites-sources.md §3.
 */
import { linkedIds, orderIds, text, titleText } from '../dom';
import type { DetectedPaper, SiteAdapter } from './types';

const TERM = 'dt.ptitle';
const TITLE = 'a'; // the paper's HTML page
const AUTHORS = 'a'; // each name is the submit link of a form.authsearch

function entries(root: ParentNode, base: URL): DetectedPaper[] {
  const papers: DetectedPaper[] = [];
  for (const term of root.querySelectorAll(TERM)) {
    const titleElement = term.querySelector(TITLE) ?? term;
    const title = titleText(titleElement);
    if (!title) continue;
    const details: Element[] = [];
    for (let node = term.nextElementSibling; node?.tagName === 'DD'; node = node.nextElementSibling)
      details.push(node);
    const [byline] = details;
    papers.push({
      titleElement,
      title,
      ids: orderIds(details.flatMap((dd) => linkedIds(dd, base))), // [arXiv] link
      authors: byline
        ? [...byline.querySelectorAll(AUTHORS)].map((a) => text(a)).filter(Boolean)
        : [],
    });
  }
  return papers;
}

export const cvf: SiteAdapter = {
  id: 'cvf',
  name: 'CVF open access',
  matches: ['https://openaccess.thecvf.com/*'],
  isListing: (url) =>
    url.hostname === 'openaccess.thecvf.com' &&
    /^\/(?:CVPR|ICCV|WACV|ACCV)\d{4}(?:_workshops\/[^/]+)?(?:\.py)?$/i.test(url.pathname),
  findPapers: entries,
  examples: {
    listing: [
      'https://openaccess.thecvf.com/CVPR2023?day=all',
      'https://openaccess.thecvf.com/ICCV2023?day=all',
      'https://openaccess.thecvf.com/WACV2024',
      'https://openaccess.thecvf.com/CVPR2023_workshops/CLVision',
    ],
  },
};
