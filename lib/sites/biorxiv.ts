/**
 * bioRxiv and medRxiv listings (one platform, HighWire markup): subject collections
 * (`/collection/<subject>`), recent and "new" lists (`/content/early/recent`), search results
 * (`/search/…`) and the home page's latest articles. Each entry is a `.highwire-cite` block with
 * `span.highwire-cite-title`, `span.highwire-citation-author` names and a `/content/10.1101/…v<N>`
 * link (the DOI without its version). No HTML capture exists (../shared/fixtures/real/NOTES.md §8);
 * structure from bioRxiv scrapers in the code corpus (`highwire-cite-title`,
 * `highwire-citation-author`, `highwire-cite-metadata-doi`, `li.search-result`).
 */
import { idFromLink, linkedIds, orderIds, text, titleText } from '../dom';
import { idFromDoi } from '../ids';
import type { DetectedPaper, SiteAdapter } from './types';

const ENTRY = [
  '.highwire-article-citation', // collections, recent lists and search results (li.search-result)
  '.highwire-cite', // blocks without the outer citation wrapper
] as const;
const TITLE = 'span.highwire-cite-title';
const LINK = 'a.highwire-cite-linked-title, a[href*="/content/10.1101/"]';
const AUTHORS = 'span.highwire-citation-author';
const DOI_TEXT = '.highwire-cite-metadata-doi'; // "doi: https://doi.org/10.1101/2021.11.08.467690"

function entries(root: ParentNode, base: URL): DetectedPaper[] {
  const papers: DetectedPaper[] = [];
  const seen = new Set<Element>();
  for (const selector of ENTRY) {
    for (const entry of root.querySelectorAll(selector)) {
      // `.highwire-cite` also sits inside `.highwire-article-citation`: take the outer one once.
      if (seen.has(entry) || entry.parentElement?.closest(ENTRY[0])) continue;
      seen.add(entry);
      entry.querySelectorAll(ENTRY[1]).forEach((inner) => seen.add(inner));
      // Some templates print the title twice (linked and plain); the first is the visible link.
      const titleElement = entry.querySelector(TITLE);
      const title = titleText(titleElement);
      if (!titleElement || !title) continue;
      const doiText = /10\.1101\/\S+/.exec(text(entry.querySelector(DOI_TEXT)))?.[0] ?? '';
      const link = entry.querySelector(LINK);
      papers.push({
        titleElement,
        title,
        ids: orderIds([
          link ? idFromLink(link.getAttribute('href') ?? '', base) : null,
          doiText ? idFromDoi(doiText) : null,
          ...linkedIds(entry, base, 'a[href*="arxiv.org"]'),
        ]),
        authors: [...entry.querySelectorAll(AUTHORS)].map((name) => text(name)).filter(Boolean),
      });
    }
  }
  return papers;
}

const HOSTS = /^(?:www\.|connect\.)?(?:biorxiv|medrxiv)\.org$/;

export const biorxiv: SiteAdapter = {
  id: 'biorxiv',
  name: 'bioRxiv and medRxiv',
  matches: ['biorxiv', 'medrxiv'].flatMap((site) => [
    `https://www.${site}.org/*`,
    `https://${site}.org/*`,
  ]),
  isListing: (url) =>
    HOSTS.test(url.hostname) &&
    (url.pathname === '/' || /^\/(?:collection|search|content\/early)(?:\/|$)/.test(url.pathname)),
  findPapers: entries,
  examples: {
    listing: [
      'https://www.biorxiv.org/collection/neuroscience',
      'https://www.biorxiv.org/content/early/recent',
      'https://www.biorxiv.org/search/transformer%20numresults%3A10',
      'https://www.medrxiv.org/collection/epidemiology',
      'https://www.medrxiv.org/',
    ],
  },
};
