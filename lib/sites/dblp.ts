/**
 * DBLP: person pages (`/pid/…`), venue tables of contents (`/db/conf/…`, `/db/journals/…`) and
 * search results (`/search?q=`, filled in by script after load). One `li.entry` per publication with
 * its dblp key in the `id` attribute; CoRR keys (`journals/corr/abs-1706-03762`) map to arXiv ids, and
 * the "electronic edition" links give DOIs and arXiv ids. DBLP shows no abstracts.
 * No HTML capture exists (../shared/fixtures/real/NOTES.md §9.6); structure from
 * peers-sites-sources.md §3 and zotero/translators `DBLP Computer Science Bibliography.js`.
 */
import { attr, linkedIds, orderIds, text, titleText } from '../dom';
import { idFromDblpKey } from '../ids';
import type { DetectedPaper, SiteAdapter } from './types';

const ENTRY = 'li.entry:not(.editor)'; // `.editor` rows are a volume's own proceedings record
const TITLE = 'cite span.title, span.title[itemprop="name"]';
const AUTHORS = 'cite [itemprop="author"] [itemprop="name"]'; // `span.this-person` on person pages
const ELECTRONIC_EDITIONS = 'nav.publ li.ee a[href], nav.publ .head a[href]';

function entries(root: ParentNode, base: URL): DetectedPaper[] {
  const papers: DetectedPaper[] = [];
  for (const entry of root.querySelectorAll(ENTRY)) {
    const titleElement = entry.querySelector(TITLE);
    // DBLP ends every title with a period that is not part of it ("Attention Is All You Need.").
    const title = titleText(titleElement).replace(/([^.])\.$/, '$1');
    if (!titleElement || !title) continue;
    const key = attr(entry, 'id') || attr(entry, 'data-key');
    const links = linkedIds(entry, base, ELECTRONIC_EDITIONS).filter(
      (id) => !id.startsWith('dblp:'), // the bibtex / record links repeat the key
    );
    papers.push({
      titleElement,
      title,
      ids: orderIds([...links, key ? idFromDblpKey(key) : null]),
      authors: [...entry.querySelectorAll(AUTHORS)].map((name) => text(name)).filter(Boolean),
    });
  }
  return papers;
}

const HOSTS = new Set(['dblp.org', 'dblp.uni-trier.de', 'dblp.dagstuhl.de']);

export const dblp: SiteAdapter = {
  id: 'dblp',
  name: 'DBLP',
  matches: [...HOSTS].flatMap((host) => [
    `https://${host}/pid/*`,
    `https://${host}/pers/*`,
    `https://${host}/db/*`,
    `https://${host}/search*`,
  ]),
  isListing: (url) =>
    HOSTS.has(url.hostname) &&
    (/^\/(?:pid|pers)\/./.test(url.pathname) ||
      /^\/db\/(?:conf|journals|series)\/[^/]+\/[^/]+\.html$/.test(url.pathname) ||
      /^\/search\/?$/.test(url.pathname)),
  findPapers: entries,
  examples: {
    listing: [
      'https://dblp.org/pid/43/7834.html',
      'https://dblp.uni-trier.de/pers/hd/v/Vaswani:Ashish',
      'https://dblp.org/db/conf/nips/neurips2023.html',
      'https://dblp.org/db/journals/corr/corr2301.html',
      'https://dblp.org/search?q=attention+is+all+you+need',
    ],
  },
};
