/**
 * Any other page the user turns on with "Annotate this site" (reading lists, blog posts, GitHub
 * "awesome" lists, lab publication pages): entries are found by their links to a paper (arXiv, DOI,
 * OpenReview, ACL Anthology, Semantic Scholar, DBLP, bioRxiv). Not in the manifest: the background
 * registers it per origin at the user's request, and it never runs where a specific adapter does.
 * The title is the link text when it reads like a title ("[Title](arxiv link)"), otherwise the
 * emphasised text of the same list item or paragraph ("**Title** [[paper](…)] [[code](…)]").
 */
import { idFromLink, orderIds, text, textWithout, titleText } from '../dom';
import type { CanonicalId } from '../types';
import type { DetectedPaper, SiteAdapter } from './types';

const LINK = 'a[href]';
const SKIP = 'nav, header, footer, script, style, template, [aria-hidden="true"]';
const ENTRY = 'li, p, tr, dd, dt, blockquote, h1, h2, h3, h4, h5, h6, article';
const EMPHASIS = 'strong, b, em, i, cite, h1, h2, h3, h4, h5, h6, .title, [itemprop="name"]';
/** Link texts that name a format or a site, not a paper. */
const GENERIC_TEXT =
  /^\[?\s*(?:paper|pdf|arxiv|abs|abstract|html|doi|link|code|project|openreview|acl|s2|semantic scholar|dblp|bib|bibtex|here|this|preprint|url|website|page|slides|video|poster|\d{4}\.\d{4,5}(?:v\d+)?|10\.\S+)\s*\]?$/i;
const MAX_ENTRIES = 5000;

function readsLikeTitle(value: string): boolean {
  return (
    value.length >= 12 &&
    value.length <= 400 &&
    /\S\s+\S/.test(value) &&
    !GENERIC_TEXT.test(value) &&
    !/^https?:\/\//.test(value)
  );
}

interface Found {
  titleElement: Element;
  /** Set when the title is the item's plain text rather than the element's own text. */
  title?: string;
}

function titleFor(link: Element, container: Element | null): Found | null {
  if (readsLikeTitle(text(link))) return { titleElement: link };
  if (!container) return null;
  for (const candidate of container.querySelectorAll(EMPHASIS)) {
    if (!candidate.contains(link) && readsLikeTitle(text(candidate))) {
      return { titleElement: candidate };
    }
  }
  // "“Title.” [OpenReview] [pdf]": the item's own words, without its links, are the title; the
  // badge goes after the link. Four words at least, so "See: [2301.00042]" is not a title.
  const plain = textWithout(container, 'a, script, style');
  return readsLikeTitle(plain) && plain.split(' ').length >= 4
    ? { titleElement: link, title: plain }
    : null;
}

function cleanTitle(raw: string): string {
  return raw
    .replace(/^["“'‘\s]+|["”'’\s,;:–—-]+$/g, '')
    .replace(/([^.])\.$/, '$1')
    .replace(/["”'’]+$/, '');
}

function entries(root: ParentNode, base: URL): DetectedPaper[] {
  const found = new Map<Element, { title?: string; ids: CanonicalId[] }>();
  const byContainer = new Map<Element, Found>();
  for (const link of root.querySelectorAll(LINK)) {
    if (found.size >= MAX_ENTRIES) break;
    const id = idFromLink(link.getAttribute('href') ?? '', base);
    if (!id || link.closest(SKIP)) continue;
    const container = link.closest(ENTRY);
    // A link titled by its own text is its own entry; the item's other links ("pdf", "paper")
    // add their ids to the item's first entry.
    const own: Found | null = readsLikeTitle(text(link)) ? { titleElement: link } : null;
    const entry = own ?? (container && byContainer.get(container)) ?? titleFor(link, container);
    if (!entry) continue;
    if (container && !byContainer.has(container)) byContainer.set(container, entry);
    const known = found.get(entry.titleElement);
    if (known) known.ids.push(id);
    else found.set(entry.titleElement, { title: entry.title, ids: [id] });
  }
  const papers: DetectedPaper[] = [];
  for (const [titleElement, { title: plain, ids }] of found) {
    const title = cleanTitle(plain ?? titleText(titleElement));
    if (title) papers.push({ titleElement, title, ids: orderIds(ids), authors: [] });
  }
  return papers;
}

export const links: SiteAdapter = {
  id: 'links',
  name: 'Paper links on any page',
  matches: [], // registered at runtime for the origins the user turns on
  isListing: (url) => url.protocol === 'https:' || url.protocol === 'http:',
  findPapers: entries,
  examples: {
    listing: [
      'https://github.com/dair-ai/ML-Papers-of-the-Week',
      'https://lilianweng.github.io/posts/2023-06-23-agent/',
      'http://nlp.example.edu/publications.html',
    ],
  },
};
