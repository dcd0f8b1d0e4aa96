/**
 * Hugging Face papers: /papers (daily), /papers/date/…, /papers/week/…, /papers/month/…,
 * /papers/trending, a single /papers/<arXiv id> page, and collections (/collections/<owner>/<slug>).
 * No real HTML capture exists (../shared/fixtures/real/NOTES.md §7). Structure from
 * ../shared/reference/peers-sites-sources.md §3: SSR hydration JSON in `data-props` (carries
 * abstracts: `dailyPapers[].paper`, the paper page's `paper`, collection `items[]`), visible
 * `article` cards with `h3 a`. The JSON's exact nesting differs per page and is unverified, so
 * paper-shaped objects (`{id: <arXiv id>, title}`) are collected wherever they sit.
 */
import { attr, text, titleText } from '../dom';
import { arxivIdFromBare } from '../ids';
import type { CanonicalId } from '../types';
import type { DetectedPaper, SiteAdapter } from './types';

const HYDRATION = '[data-props]'; // `[data-target="DailyPapers"]` on listings; other targets elsewhere
const CARD_TITLES = [
  'article h3 a[href^="/papers/"]', // daily/week/month/trending cards: the link inside the heading
  'article a[href^="/papers/"] h3', // cards whose whole header is the link
  'article a[href^="/papers/"] h4', // collection item cards
] as const;
const PAPER_PAGE_TITLE = 'main h1, h1'; // the single paper page has one h1

interface HydratedPaper {
  title?: string;
  summary?: string;
  authors?: { name?: string }[];
}

/** Paper-shaped objects anywhere in the hydration JSON, by arXiv id. Bounded depth and size. */
function collect(value: unknown, into: Map<CanonicalId, HydratedPaper>, depth: number): void {
  if (depth > 6 || value === null || typeof value !== 'object') return;
  if (Array.isArray(value)) {
    for (const item of value.slice(0, 5000)) collect(item, into, depth + 1);
    return;
  }
  const record = value as Record<string, unknown>;
  const id = typeof record.id === 'string' ? arxivIdFromBare(record.id) : null;
  if (id && typeof record.title === 'string' && (record.type ?? 'paper') === 'paper') {
    const known = into.get(id);
    // The inner `paper` object carries the authors; keep the richest record seen.
    if (!known || (!known.authors && Array.isArray(record.authors))) {
      into.set(id, record);
    }
  }
  for (const key of Object.keys(record)) collect(record[key], into, depth + 1);
}

function hydratedPapers(root: ParentNode): Map<CanonicalId, HydratedPaper> {
  const byId = new Map<CanonicalId, HydratedPaper>();
  root.querySelectorAll(HYDRATION).forEach((element) => {
    try {
      collect(JSON.parse(attr(element, 'data-props')), byId, 0);
    } catch {
      // Broken hydration data: the visible cards still work.
    }
  });
  return byId;
}

const PAPER_PATH = /^\/papers\/([^/?#]+)\/?$/;

function idOfHref(href: string): CanonicalId | null {
  return arxivIdFromBare(
    PAPER_PATH.exec(href.replace(/^https:\/\/huggingface\.co/, ''))?.[1] ?? '',
  );
}

function cards(root: ParentNode): { titleElement: Element; id: CanonicalId | null }[] {
  const found: { titleElement: Element; id: CanonicalId | null }[] = [];
  const seen = new Set<Element>();
  CARD_TITLES.forEach((selector, index) => {
    root.querySelectorAll(selector).forEach((element) => {
      const titleElement = index === 0 ? (element.closest('h3') ?? element) : element;
      if (seen.has(titleElement)) return;
      seen.add(titleElement);
      const link = index === 0 ? element : element.closest('a');
      found.push({ titleElement, id: idOfHref(attr(link, 'href')) });
    });
  });
  return found;
}

function paperOf(
  titleElement: Element,
  id: CanonicalId | null,
  data?: HydratedPaper,
): DetectedPaper {
  const title = titleText(titleElement) || data?.title?.trim() || '';
  const paper: DetectedPaper = {
    titleElement,
    title,
    ids: id ? [id] : [],
    authors: (data?.authors ?? []).map((author) => author.name?.trim() ?? '').filter(Boolean),
  };
  const abstract = data?.summary?.replace(/\s+/g, ' ').trim();
  if (abstract) paper.abstract = abstract;
  return paper;
}

export const huggingface: SiteAdapter = {
  id: 'huggingface',
  name: 'Hugging Face papers',
  matches: ['https://huggingface.co/papers*', 'https://huggingface.co/collections/*'],
  isListing: (url) =>
    url.hostname === 'huggingface.co' &&
    (/^\/papers(?:\/?$|\/(?:date|week|month)\/|\/trending\/?$)/.test(url.pathname) ||
      PAPER_PATH.test(url.pathname) ||
      /^\/collections\/[^/]+\/[^/]+/.test(url.pathname)),
  findPapers(root, url) {
    const hydrated = hydratedPapers(root);
    const pageId = idOfHref(url.pathname);
    if (pageId) {
      const heading = root.querySelector(PAPER_PAGE_TITLE);
      return heading && text(heading) ? [paperOf(heading, pageId, hydrated.get(pageId))] : [];
    }
    return cards(root)
      .map(({ titleElement, id }) => paperOf(titleElement, id, id ? hydrated.get(id) : undefined))
      .filter((paper) => paper.title !== '');
  },
  examples: {
    listing: [
      'https://huggingface.co/papers',
      'https://huggingface.co/papers/date/2026-06-12',
      'https://huggingface.co/papers/week/2026-W24',
      'https://huggingface.co/papers/month/2026-06',
      'https://huggingface.co/papers/trending',
      'https://huggingface.co/papers/2605.15320',
      'https://huggingface.co/collections/stanfordnlp/dspy-papers-65bc2c2c2f1d4f1a9c6a6f45',
    ],
  },
};
