/**
 * arXiv RSS: the daily announcement, one request per followed category set. Reads the RSS 2.0 feed
 * of rss.arxiv.org (Feb 2024+) and the legacy RSS 1.0/RDF feed (fixtures NOTES §5). A feed with no
 * items is normal at weekends and on holidays.
 */
import { isoDate, makePaper, stripTags } from '../formats/paper';
import { arxivIdFromText, idFromUrl } from '../ids';
import { decodeEntities } from '../normalize';
import type { IndexPaper } from '../types';
import { SyncError } from './errors';
import type { PoliteClient } from './http';
import { attr, child, childText, children, parseXml, rawText, text, type XmlValue } from './xml';

export const ARXIV_RSS = 'https://rss.arxiv.org/rss/';

export interface RssFeed {
  papers: IndexPaper[];
  /** The channel date, when the feed gives one. */
  date?: string;
}

function authorsFromList(list: string): string[] {
  return list
    .split(/,|\band\b/)
    .map((name) => name.trim())
    .filter(Boolean);
}

function rss2Paper(item: XmlValue, channelDate: string | undefined): IndexPaper | null {
  const id =
    idFromUrl(childText(item, 'link')) ??
    arxivIdFromText(childText(item, 'guid').replace(/^oai:/i, ''));
  if (!id) return null;
  const description = childText(item, 'description');
  const abstractAt = description.search(/Abstract:/i);
  return makePaper(
    {
      id,
      title: childText(item, 'title'),
      authors: authorsFromList(childText(item, 'creator')),
      abstract: abstractAt >= 0 ? description.slice(abstractAt + 'Abstract:'.length) : '',
      published: isoDate(childText(item, 'pubDate')) ?? channelDate,
      categories: children(item, 'category').map((category) => text(category)),
    },
    'arxiv-rss',
  );
}

// "Title. (arXiv:2311.05629v1 [cs.CY])" or "… [q-bio.NC] UPDATED)" in the legacy feed.
const LEGACY_TITLE_SUFFIX = /\s*\(arXiv:[^()]*\[([^\]]+)\][^()]*\)\s*$/;

function rss1Paper(item: XmlValue, channelDate: string | undefined): IndexPaper | null {
  const id = idFromUrl(attr(item, 'about') ?? '') ?? idFromUrl(childText(item, 'link'));
  if (!id) return null;
  const rawTitle = childText(item, 'title');
  const primary = LEGACY_TITLE_SUFFIX.exec(rawTitle)?.[1];
  const title = rawTitle.replace(LEGACY_TITLE_SUFFIX, '').replace(/\.$/, '');
  return makePaper(
    {
      id,
      title,
      // Both fields hold HTML that the feed escaped once: decode, then drop the tags.
      authors: authorsFromList(stripTags(decodeEntities(rawText(child(item, 'creator'))))),
      abstract: stripTags(decodeEntities(rawText(child(item, 'description')))),
      published: channelDate,
      categories: primary ? [primary] : [],
    },
    'arxiv-rss',
  );
}

/** Parses either RSS flavour. Throws SyncError on anything that is not an arXiv feed. */
export function parseArxivRss(body: string): RssFeed {
  const root = parseXml(body, 'arXiv RSS feed');
  const rss = child(root, 'rss');
  if (rss) {
    const channel = child(rss, 'channel');
    if (!channel) throw new SyncError('unexpected-shape', 'The arXiv RSS feed has no channel.');
    const date = isoDate(childText(channel, 'pubDate'));
    const papers = children(channel, 'item')
      .map((item) => rss2Paper(item, date))
      .filter((paper): paper is IndexPaper => paper !== null);
    return date ? { papers, date } : { papers };
  }
  const rdf = child(root, 'RDF');
  if (rdf) {
    const date = isoDate(childText(child(rdf, 'channel'), 'date'));
    const papers = children(rdf, 'item')
      .map((item) => rss1Paper(item, date))
      .filter((paper): paper is IndexPaper => paper !== null);
    return date ? { papers, date } : { papers };
  }
  throw new SyncError('unexpected-shape', 'The arXiv RSS answer is not an RSS feed.');
}

/** `cs.LG+stat.ML`: arXiv combines categories with '+' (limit 2000 items). */
export function rssUrl(categories: readonly string[]): string {
  return `${ARXIV_RSS}${categories.map((category) => encodeURIComponent(category)).join('+')}`;
}

export async function fetchArxivRss(
  client: PoliteClient,
  categories: readonly string[],
): Promise<RssFeed> {
  const response = await client.request({ url: rssUrl(categories), what: 'the arXiv RSS feed' });
  return parseArxivRss(response.text);
}
