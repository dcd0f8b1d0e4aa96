/**
 * Hugging Face papers: /papers (daily), /papers/date/…, /papers/week/…, /papers/month/…,
 * /papers/trending. No real HTML capture exists (../shared/fixtures/real/NOTES.md §7); the structure
 * follows ../shared/reference/peers-sites-sources.md: SSR hydration JSON in `data-props` of
 * `[data-target="DailyPapers"]` (carries abstracts), and visible `article` cards with `h3 a`.
 */
import { attr, text } from '../dom';
import { arxivIdFromBare } from '../ids';
import type { CanonicalId } from '../types';
import type { DetectedPaper, SiteAdapter } from './types';

const HYDRATION = '[data-target="DailyPapers"][data-props]';
const CARD_TITLE_LINKS = [
  'article h3 a[href^="/papers/"]', // daily/week/month/trending cards
  'article a[href^="/papers/"] h3', // cards whose whole header is the link
] as const;

interface HydratedPaper {
  id: string;
  title?: string;
  summary?: string;
  authors?: { name?: string }[];
}

function hydratedPapers(root: ParentNode): Map<CanonicalId, HydratedPaper> {
  const byId = new Map<CanonicalId, HydratedPaper>();
  root.querySelectorAll(HYDRATION).forEach((element) => {
    let props: unknown;
    try {
      props = JSON.parse(attr(element, 'data-props'));
    } catch {
      return; // Broken hydration data: the visible cards still work.
    }
    const list = (props as { dailyPapers?: unknown }).dailyPapers;
    if (!Array.isArray(list)) return;
    for (const item of list as { paper?: HydratedPaper }[]) {
      const id = typeof item.paper?.id === 'string' ? arxivIdFromBare(item.paper.id) : null;
      if (id && item.paper) byId.set(id, item.paper);
    }
  });
  return byId;
}

function cardTitles(root: ParentNode): { titleElement: Element; href: string }[] {
  const cards: { titleElement: Element; href: string }[] = [];
  const seen = new Set<Element>();
  root.querySelectorAll(CARD_TITLE_LINKS[0]).forEach((link) => {
    const heading = link.closest('h3') ?? link;
    if (!seen.has(heading)) cards.push({ titleElement: heading, href: attr(link, 'href') });
    seen.add(heading);
  });
  root.querySelectorAll(CARD_TITLE_LINKS[1]).forEach((heading) => {
    if (!seen.has(heading))
      cards.push({ titleElement: heading, href: attr(heading.closest('a'), 'href') });
    seen.add(heading);
  });
  return cards;
}

export const huggingface: SiteAdapter = {
  id: 'huggingface',
  name: 'Hugging Face papers',
  matches: ['https://huggingface.co/papers*'],
  isListing: (url) =>
    url.hostname === 'huggingface.co' &&
    /^\/papers(?:\/?$|\/(?:date|week|month)\/|\/trending\/?$)/.test(url.pathname),
  findPapers(root) {
    const hydrated = hydratedPapers(root);
    const papers: DetectedPaper[] = [];
    for (const { titleElement, href } of cardTitles(root)) {
      const id = arxivIdFromBare(/^\/papers\/([^/?#]+)/.exec(href)?.[1] ?? '');
      const data = id ? hydrated.get(id) : undefined;
      const title = text(titleElement) || data?.title?.trim() || '';
      if (!title) continue;
      const paper: DetectedPaper = {
        titleElement,
        title,
        ids: id ? [id] : [],
        authors: (data?.authors ?? []).map((author) => author.name?.trim() ?? '').filter(Boolean),
      };
      const abstract = data?.summary?.replace(/\s+/g, ' ').trim();
      if (abstract) paper.abstract = abstract;
      papers.push(paper);
    }
    return papers;
  },
  examples: {
    listing: [
      'https://huggingface.co/papers',
      'https://huggingface.co/papers/date/2026-06-12',
      'https://huggingface.co/papers/week/2026-W24',
      'https://huggingface.co/papers/month/2026-06',
      'https://huggingface.co/papers/trending',
    ],
  },
};
