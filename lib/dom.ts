/**
 * Null-safe DOM reading helpers for site adapters. Adapters only read the page.
 */
import { idFromUrl, idKind } from './ids';
import type { CanonicalId } from './types';

/** The first element matching any of `selectors` (tried in order), or null. */
export function $optional<E extends Element = Element>(
  root: ParentNode,
  selectors: string | readonly string[],
): E | null {
  for (const selector of typeof selectors === 'string' ? [selectors] : selectors) {
    const found = root.querySelector<E>(selector);
    if (found) return found;
  }
  return null;
}

/** All elements matching the first of `selectors` that matches anything. */
export function $all<E extends Element = Element>(
  root: ParentNode,
  selectors: string | readonly string[],
): E[] {
  for (const selector of typeof selectors === 'string' ? [selectors] : selectors) {
    const found = root.querySelectorAll<E>(selector);
    if (found.length > 0) return [...found];
  }
  return [];
}

/** Collapsed text of an element, '' when missing. */
export function text(element: Element | null | undefined): string {
  return (element?.textContent ?? '').replace(/\s+/g, ' ').trim();
}

/** Texts of the links inside `container` (author lists), without empty ones. */
export function linkTexts(container: Element | null | undefined): string[] {
  if (!container) return [];
  const names: string[] = [];
  for (const link of container.getElementsByTagName('a')) {
    const name = text(link);
    if (name) names.push(name);
  }
  return names;
}

/**
 * Gives `paper` an `abstract` that reads `element`'s text when first asked, when there is an
 * element: a listing's abstracts are seldom all needed (the index has most of them), and reading
 * the 2,000 of an arXiv /new page costs ~50 ms of the scan.
 */
export function lazyAbstract<T extends { abstract?: string }>(
  paper: T,
  element: Element | null,
): T {
  if (!element) return paper;
  let read: string | undefined;
  Object.defineProperty(paper, 'abstract', {
    configurable: true,
    enumerable: true,
    get: () => (read ??= text(element)),
  });
  return paper;
}

/** Whether the page shows the paper's abstract, without reading a lazy one (`lazyAbstract`). */
export function showsAbstract(paper: { abstract?: string }): boolean {
  const property = Object.getOwnPropertyDescriptor(paper, 'abstract');
  return property?.get !== undefined || Boolean(property?.value);
}

/** An attribute's value, '' when missing. */
export function attr(element: Element | null | undefined, name: string): string {
  return element?.getAttribute(name) ?? '';
}

/** Rendered math next to its source: MathJax 2 glyphs, KaTeX's visible HTML, descriptor labels. */
const RENDERED_NOISE =
  '.MathJax_Preview, .MathJax:not(mjx-container), .descriptor, .mjx-chtml, .katex-html';

/** Labels pages print before a title: "Title:", Scholar's [PDF]/[HTML]/[CITATION]/[BOOK] tags. */
const TITLE_PREFIX = /^(?:\s*(?:\[(?:PDF|HTML|CITATION|C|BOOK|B|DOC|PS)\]|Title:))+\s*/i;

/** A title string without the labels pages put in front of it. */
export function cleanPageTitle(raw: string): string {
  return raw.replace(/\s+/g, ' ').trim().replace(TITLE_PREFIX, '').trim();
}

/**
 * Text of a title as the author wrote it: MathJax v2 leaves rendered glyphs and the TeX source
 * side by side, so drop the rendering and keep `$TeX$`; MathJax 3 and KaTeX keep the TeX in an
 * annotation; drop `.descriptor` labels ("Title:") and any `drop` selectors the site adds (badges,
 * Scholar's [PDF] tags). Search-hit highlighting spans are plain text and need nothing.
 * Walks the nodes instead of cloning: a listing calls this for every one of thousands of entries.
 */
export function titleText(element: Element | null | undefined, drop = ''): string {
  if (!element) return '';
  if (element.firstElementChild === null) return cleanPageTitle(element.textContent ?? '');
  const skip = drop ? `${RENDERED_NOISE}, ${drop}` : RENDERED_NOISE;
  const parts: string[] = [];
  const walk = (node: Node): void => {
    for (let child = node.firstChild; child; child = child.nextSibling) {
      if (child.nodeType === 3) {
        parts.push(child.nodeValue ?? '');
        continue;
      }
      if (child.nodeType !== 1) continue;
      const el = child as Element;
      if (el.matches(skip)) continue;
      if (el.matches('script[type^="math/tex"]')) parts.push(`$${el.textContent ?? ''}$`);
      else if (el.matches('mjx-container, .katex')) {
        const tex = el.querySelector('annotation[encoding="application/x-tex"]')?.textContent;
        parts.push(tex ? `$${tex.trim()}$` : (el.textContent ?? ''));
      } else if (el.tagName !== 'SCRIPT' && el.tagName !== 'STYLE') walk(el);
    }
  };
  walk(element);
  return cleanPageTitle(parts.join(''));
}

/** Collapsed text of an element without the parts matching `drop` (a "Less" link, a label). */
export function textWithout(element: Element | null | undefined, drop: string): string {
  if (!element) return '';
  if (!element.querySelector(drop)) return text(element);
  const clone = element.cloneNode(true) as Element;
  clone.querySelectorAll(drop).forEach((node) => node.remove());
  return text(clone);
}

/** The canonical id a link names, relative links resolved against the page. */
export function idFromLink(href: string, base: URL): CanonicalId | null {
  return idFromUrl(href, base.href);
}

const KIND_ORDER = ['arxiv', 'doi', 'openreview', 'acl', 's2', 'dblp'];

/** Distinct ids, most specific first (arXiv, DOI, OpenReview, ACL, S2, DBLP). */
export function orderIds(ids: readonly (CanonicalId | null | undefined)[]): CanonicalId[] {
  const distinct = [...new Set(ids.filter((id): id is CanonicalId => Boolean(id)))];
  const rank = (id: CanonicalId): number => KIND_ORDER.indexOf(idKind(id) ?? '');
  return distinct.sort((a, b) => rank(a) - rank(b));
}

/** Ids named by the links under `root` matching `selector`. */
export function linkedIds(root: ParentNode, base: URL, selector = 'a[href]'): CanonicalId[] {
  const ids: CanonicalId[] = [];
  root.querySelectorAll(selector).forEach((anchor) => {
    const id = idFromLink(anchor.getAttribute('href') ?? '', base);
    if (id) ids.push(id);
  });
  return orderIds(ids);
}

/** Content of `<meta name=…>` (HighWire `citation_*` tags and the like), '' when missing. */
export function meta(root: ParentNode, name: string): string {
  return attr(root.querySelector(`meta[name="${name}"]`), 'content')
    .replace(/\s+/g, ' ')
    .trim();
}

/** Every `<meta name=…>` value, in page order. */
export function metas(root: ParentNode, name: string): string[] {
  return [...root.querySelectorAll(`meta[name="${name}"]`)]
    .map((element) => attr(element, 'content').trim())
    .filter(Boolean);
}

/** Names from a byline string: "A, B and C" / "A · B" / "A | B"; drops "…" and "et al.". */
export function splitAuthors(byline: string): string[] {
  return byline
    .split(/\s*(?:,|;|\||·|\band\b|&)\s*/)
    .map((name) =>
      name
        .replace(/\s+/g, ' ')
        .replace(/\s*(?:…|\.\.\.)$/, '')
        .trim(),
    )
    .filter((name) => name && !/^(?:…|\.\.\.|et al\.?)$/i.test(name));
}

/** Absolute hrefs of the links under `root` (relative ones resolved against `base`). */
export function hrefs(root: ParentNode, base: URL, selector = 'a[href]'): string[] {
  const result: string[] = [];
  root.querySelectorAll(selector).forEach((anchor) => {
    const href = anchor.getAttribute('href');
    if (!href) return;
    try {
      result.push(new URL(href, base).href);
    } catch {
      // A malformed href is the page's problem, not a reason to drop the entry.
    }
  });
  return result;
}
