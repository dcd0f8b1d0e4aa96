// @vitest-environment jsdom
/**
 * Every site adapter on its committed fixtures (expected output beside each page) and on the real
 * captures in ../shared/fixtures/real (read in place).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { adapterFor, adapters, genericAdapter } from '../lib/sites';
import { hasShared, PROJECT_ROOT, readReal, SKIP_SHARED_REASON } from './shared';

const FIXTURES = join(PROJECT_ROOT, 'tests', 'fixtures', 'sites');

interface Expected {
  url: string;
  /** Our own page written from documented structure (not a capture). */
  reconstructed?: boolean;
  /** A real capture under ../shared/fixtures/real, read in place instead of a committed page. */
  real?: string;
  source?: string;
  entries: { title: string; ids: string[]; authors: string[]; abstract?: string }[];
}

function parse(html: string): Document {
  return new DOMParser().parseFromString(html, 'text/html');
}

function detect(html: string, url: string, generic = false): Expected['entries'] {
  const adapter = adapterFor(new URL(url), { generic });
  if (!adapter) throw new Error(`no adapter for ${url}`);
  return adapter.findPapers(parse(html), new URL(url)).map((paper) => {
    const entry: Expected['entries'][number] = {
      title: paper.title,
      ids: paper.ids,
      authors: paper.authors,
    };
    if (paper.abstract) entry.abstract = paper.abstract;
    return entry;
  });
}

describe('committed fixtures', () => {
  for (const adapter of [...adapters, genericAdapter]) {
    const dir = join(FIXTURES, adapter.id);
    const cases = readdirSync(dir).filter((name) => name.endsWith('.expected.json'));
    for (const name of cases) {
      const expected = JSON.parse(readFileSync(join(dir, name), 'utf8')) as Expected;
      const page = name.replace(/\.expected\.json$/, '.html');
      const skip = expected.real !== undefined && !hasShared;
      it.skipIf(skip)(`${adapter.id}/${page}${skip ? ` ${SKIP_SHARED_REASON}` : ''}`, () => {
        const html = expected.real
          ? readReal(expected.real)
          : readFileSync(join(dir, page), 'utf8');
        const generic = adapter === genericAdapter;
        expect(adapterFor(new URL(expected.url), { generic })).toBe(adapter);
        expect(detect(html, expected.url, generic)).toEqual(expected.entries);
      });
    }
  }
});

describe.skipIf(!hasShared)(`arXiv real captures ${hasShared ? '' : SKIP_SHARED_REASON}`, () => {
  const newPages = ['gr-qc', 'hep-ph', 'hep-th', 'math-ph', 'quant-ph'];
  it.each(newPages)(
    '/list/%s/new (2024-08-09): every dt/dd entry with id, title, authors, abstract',
    (category) => {
      const html = readReal(`arxiv/list-${category}-new-2024-08-09.html`);
      const entries = detect(html, `https://arxiv.org/list/${category}/new`);
      const terms = (html.match(/<dt>/g) ?? []).length;
      expect(entries.length).toBe(terms);
      expect(entries.length).toBeGreaterThan(10);
      for (const entry of entries) {
        expect(entry.ids).toHaveLength(1);
        expect(entry.ids[0]).toMatch(/^arxiv:\d{4}\.\d{5}$/);
        expect(entry.title).not.toMatch(/^Title:|\s{2}/);
        expect(entry.title.length).toBeGreaterThan(5);
        expect(entry.authors.length).toBeGreaterThan(0);
        expect(entry.abstract?.length ?? 0).toBeGreaterThan(50);
      }
      // "showing N of N entries" for each section adds up to the entries found.
      const shown = [...html.matchAll(/showing (\d+) of \d+ entries/g)].reduce(
        (sum, match) => sum + Number(match[1]),
        0,
      );
      expect(entries.length).toBe(shown);
    },
  );

  it('hep-th/new: the first entry exactly', () => {
    const [first] = detect(
      readReal('arxiv/list-hep-th-new-2024-08-09.html'),
      'https://arxiv.org/list/hep-th/new',
    );
    expect(first?.ids).toEqual(['arxiv:2408.04000']);
    expect(first?.title).toBe('Quantisation of type IIB superstring theory and the matrix model');
    expect(first?.authors).toEqual(['Yuhma Asano']);
  });

  it('astro-ph/pastweek saved DOM with MathJax rendered: TeX kept once, no glyph debris, no abstracts', () => {
    const html = readReal('arxiv/list-astro-ph-pastweek-2024-11-23-browser-saved-dom-mathjax.html');
    const entries = detect(html, 'https://arxiv.org/list/astro-ph/pastweek?show=1000');
    expect(entries.length).toBe((html.match(/<dt>/g) ?? []).length);
    const withMath = entries.filter((entry) => entry.title.includes('$'));
    expect(withMath.length).toBeGreaterThanOrEqual(20);
    for (const entry of withMath) {
      expect(entry.title.split('$').length % 2).toBe(1); // balanced $…$
      expect(entry.title).not.toMatch(/MathJax/);
    }
    expect(entries.every((entry) => entry.abstract === undefined)).toBe(true);
  });
});

describe.skipIf(!hasShared)(`Hugging Face real data ${hasShared ? '' : SKIP_SHARED_REASON}`, () => {
  it('paper page: the real SSR data-props shape yields the title, authors and abstract', () => {
    const props = readReal(
      'huggingface/paper-page-2605.15320-ssr-data-props-extract-2026-05-18.json',
    );
    const data = JSON.parse(props) as {
      paper: { title: string; summary: string; authors: { name: string }[] };
    };
    const page = `<main><div data-target="PaperPage" data-props="${props
      .replace(/&/g, '&amp;')
      .replace(/"/g, '&quot;')}"><h1>${data.paper.title}</h1></div></main>`;
    const [entry] = detect(page, 'https://huggingface.co/papers/2605.15320');
    expect(entry?.ids).toEqual(['arxiv:2605.15320']);
    expect(entry?.title).toBe(data.paper.title);
    expect(entry?.authors).toEqual(data.paper.authors.map((author) => author.name));
    expect(entry?.abstract).toBe(data.paper.summary.replace(/\s+/g, ' ').trim());
  });

  it('daily listing: real /api/daily_papers items in the hydration JSON give every card its abstract', () => {
    const items = JSON.parse(readReal('huggingface/api-daily_papers-limit30-2026-06-14.json')) as {
      paper: { id: string; title: string; summary: string };
    }[];
    const props = JSON.stringify({ dailyPapers: items })
      .replace(/&/g, '&amp;')
      .replace(/"/g, '&quot;');
    const cards = items
      .map(
        (item) =>
          `<article><h3><a href="/papers/${item.paper.id}">${item.paper.title.replace(/</g, '&lt;')}</a></h3></article>`,
      )
      .join('');
    const entries = detect(
      `<div data-target="DailyPapers" data-props="${props}">${cards}</div>`,
      'https://huggingface.co/papers',
    );
    expect(entries).toHaveLength(items.length);
    entries.forEach((entry, index) => {
      expect(entry.ids).toEqual([`arxiv:${items[index]?.paper.id}`]);
      expect(entry.abstract?.length ?? 0).toBeGreaterThan(50);
    });
  });
});

describe('arXiv listing with stray markup in a title', () => {
  const entry = (n: number, title: string) =>
    `<dt><a title="Abstract" id="2401.0000${n}" href="/abs/2401.0000${n}">arXiv:2401.0000${n}</a></dt>` +
    `<dd><div class="meta"><div class="list-title mathjax"><span class="descriptor">Title:</span> ${title}</div>` +
    `<div class="list-authors"><a href="/a/x">A. Author</a></div></div></dd>`;
  // An unescaped tag in one title re-parents the entries after it (a browser parses the same
  // way); those entries must still be found, not silently dropped.
  it.each(['A <b>bold claim', 'An <i>italic', 'x <table> y', 'x </dl> y', 'x <a href="#">y'])(
    '%s: every entry after it is still detected',
    (stray) => {
      const html = `<div id="dlpage"><dl id="articles">${entry(1, 'First')}${entry(2, stray)}${entry(3, 'Third')}${entry(4, 'Fourth')}</dl></div>`;
      const entries = detect(html, 'https://arxiv.org/list/cs.LG/new');
      expect(entries.map((found) => found.ids[0])).toEqual([
        'arxiv:2401.00001',
        'arxiv:2401.00002',
        'arxiv:2401.00003',
        'arxiv:2401.00004',
      ]);
      expect(entries.at(-1)?.title).toBe('Fourth');
    },
  );
});
