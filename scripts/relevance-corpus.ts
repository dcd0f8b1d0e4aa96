/**
 * The labelled corpus for the offline relevance evaluation, read in place from ../shared:
 * arXiv /new listings (physics, with cross-list subjects), arXiv RSS 2.0 feeds (cs.CL with every
 * cross-list category), arXiv API results, and the Hugging Face trending corpus (label
 * `hf-trending`). Papers are deduplicated by arXiv id, then by title key.
 * The pre-2024 RSS 1.0 feed names only the primary category, so its papers join the index
 * (for IDF) but not the labelled pool: their missing cross-lists would count as wrong answers.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import { JSDOM } from 'jsdom';
import { titleKey } from '../lib/normalize';
import { CORPUS_DIR, REAL_FIXTURES } from '../tests/shared';

export interface LabelledPaper {
  id: string;
  title: string;
  abstract?: string;
  authors: string[];
  labels: string[];
  source: string;
}

const CATEGORY = /\(([a-z-]+(?:\.[A-Za-z-]+)?)\)/g;

function clean(text: string | null | undefined): string {
  return (text ?? '').replace(/\s+/g, ' ').trim();
}

/** The entries of a saved arXiv listing page (id, title, authors, abstract, subjects as labels). */
export function fromListing(file: string): LabelledPaper[] {
  const document = new JSDOM(readFileSync(join(REAL_FIXTURES, 'arxiv', file), 'utf8')).window
    .document;
  const papers: LabelledPaper[] = [];
  for (const dt of document.querySelectorAll('dl#articles > dt')) {
    const dd = dt.nextElementSibling;
    const link = dt.querySelector('a[title="Abstract"]');
    const id = link?.getAttribute('id') ?? /abs\/(.+)$/.exec(link?.getAttribute('href') ?? '')?.[1];
    const titleNode = dd?.querySelector('.list-title')?.cloneNode(true) as Element | undefined;
    if (!dd || !id || !titleNode) continue;
    titleNode
      .querySelectorAll('.descriptor, .MathJax_Preview, .MathJax')
      .forEach((node) => node.remove());
    titleNode.querySelectorAll('script[type^="math/tex"]').forEach((node) => {
      node.replaceWith(`$${node.textContent ?? ''}$`);
    });
    const subjects = clean(dd.querySelector('.list-subjects')?.textContent);
    const paper: LabelledPaper = {
      id: `arxiv:${id}`,
      title: clean(titleNode.textContent),
      authors: [...dd.querySelectorAll('.list-authors a')].map((a) => clean(a.textContent)),
      labels: [...subjects.matchAll(CATEGORY)].map((match) => match[1] ?? ''),
      source: `arxiv/${file}`,
    };
    const abstract = clean(dd.querySelector('p.mathjax')?.textContent);
    if (abstract) paper.abstract = abstract;
    papers.push(paper);
  }
  return papers;
}

const xml = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '' });

function asArray<T>(value: T | T[] | undefined): T[] {
  return value === undefined ? [] : Array.isArray(value) ? value : [value];
}

interface RssItem {
  title: string;
  link: string;
  description: string;
  category?: string | string[];
  'dc:creator'?: string;
}

function fromRss2(file: string): LabelledPaper[] {
  const parsed = xml.parse(readFileSync(join(REAL_FIXTURES, 'arxiv-rss', file), 'utf8')) as {
    rss: { channel: { item?: RssItem | RssItem[] } };
  };
  return asArray(parsed.rss.channel.item).map((item) => ({
    id: `arxiv:${/abs\/(.+)$/.exec(item.link)?.[1] ?? item.link}`,
    title: clean(item.title),
    abstract: clean(item.description.replace(/^[\s\S]*?Abstract:/, '')),
    authors: clean(item['dc:creator']).split(/,\s*/).filter(Boolean),
    labels: asArray(item.category),
    source: `arxiv-rss/${file}`,
  }));
}

interface Rss1Item {
  title: string;
  link: string;
  description: string | { '#text': string };
}

function fromRss1(file: string): LabelledPaper[] {
  const parsed = xml.parse(readFileSync(join(REAL_FIXTURES, 'arxiv-rss', file), 'utf8')) as {
    'rdf:RDF': { item?: Rss1Item | Rss1Item[] };
  };
  return asArray(parsed['rdf:RDF'].item).map((item) => {
    const description =
      typeof item.description === 'string' ? item.description : item.description['#text'];
    return {
      id: `arxiv:${/abs\/(.+)$/.exec(item.link)?.[1] ?? item.link}`,
      title: clean(item.title.replace(/\s*\(arXiv:[^)]*\)\s*$/, '')),
      abstract: clean(description.replace(/<[^>]*>/g, ' ')),
      authors: [],
      labels: [],
      source: `arxiv-rss/${file}`,
    };
  });
}

interface AtomEntry {
  id: string;
  title: string;
  summary: string;
  author?: { name: string } | { name: string }[];
  category?: { term: string } | { term: string }[];
}

function fromApi(file: string): LabelledPaper[] {
  const parsed = xml.parse(readFileSync(join(REAL_FIXTURES, 'arxiv-api', file), 'utf8')) as {
    feed: { entry?: AtomEntry | AtomEntry[] };
  };
  return asArray(parsed.feed.entry).map((entry) => ({
    id: `arxiv:${(/abs\/(.+?)(?:v\d+)?$/.exec(entry.id)?.[1] ?? entry.id).trim()}`,
    title: clean(entry.title),
    abstract: clean(entry.summary),
    authors: asArray(entry.author).map((author) => clean(author.name)),
    labels: asArray(entry.category).map((category) => category.term),
    source: `arxiv-api/${file}`,
  }));
}

/** The Hugging Face trending corpus (no ids: `hf:<n>`), labelled `hf-trending`. */
export function fromHfCorpus(): LabelledPaper[] {
  const text = readFileSync(join(CORPUS_DIR, 'hf-trending-papers.txt'), 'utf8');
  const start = text.indexOf('Subscribe');
  const lines = text
    .slice(start < 0 ? 0 : start + 'Subscribe'.length)
    .split(/\r?\n/)
    .filter((line) => line.trim() !== '');
  const papers: LabelledPaper[] = [];
  for (let index = 0; index + 1 < lines.length; index += 2) {
    papers.push({
      id: `hf:${index / 2}`,
      title: clean(lines[index]),
      abstract: clean(lines[index + 1]),
      authors: [],
      labels: ['hf-trending'],
      source: 'corpus/hf-trending-papers.txt',
    });
  }
  return papers;
}

function dedupe(papers: LabelledPaper[]): LabelledPaper[] {
  const byId = new Map<string, LabelledPaper>();
  const byTitle = new Map<string, LabelledPaper>();
  for (const paper of papers) {
    const key = titleKey(paper.title);
    const seen = byId.get(paper.id.replace(/v\d+$/, '')) ?? byTitle.get(key);
    if (seen) {
      seen.labels = [...new Set([...seen.labels, ...paper.labels])];
      seen.abstract ??= paper.abstract;
      continue;
    }
    byId.set(paper.id.replace(/v\d+$/, ''), paper);
    byTitle.set(key, paper);
  }
  return [...byId.values()];
}

export interface RelevanceCorpus {
  /** Papers with an abstract and complete labels: the pool that is split into train and test. */
  labelled: LabelledPaper[];
  /** Papers that only join the index (incomplete labels). */
  background: LabelledPaper[];
  /** arXiv astro-ph pastweek: titles and authors only, labelled by subject. */
  titlesOnly: LabelledPaper[];
}

export function loadRelevanceCorpus(): RelevanceCorpus {
  const listings = readdirSync(join(REAL_FIXTURES, 'arxiv')).filter((file) =>
    /^list-.*-new-/.test(file),
  );
  const rss2 = readdirSync(join(REAL_FIXTURES, 'arxiv-rss')).filter((file) =>
    file.startsWith('rss2-'),
  );
  const rss1 = readdirSync(join(REAL_FIXTURES, 'arxiv-rss')).filter((file) =>
    file.startsWith('legacy-'),
  );
  const api = readdirSync(join(REAL_FIXTURES, 'arxiv-api'));
  const labelled = dedupe([
    ...listings.flatMap(fromListing),
    ...rss2.flatMap(fromRss2),
    ...api.flatMap(fromApi),
    ...fromHfCorpus(),
  ]).filter((paper) => paper.abstract);
  const known = new Set(labelled.map((paper) => titleKey(paper.title)));
  const background = rss1
    .flatMap(fromRss1)
    .filter((paper) => paper.abstract && !known.has(titleKey(paper.title)));
  const titlesOnly = dedupe(
    fromListing('list-astro-ph-pastweek-2024-11-23-browser-saved-dom-mathjax.html'),
  );
  return { labelled, background, titlesOnly };
}
