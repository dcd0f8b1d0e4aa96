/**
 * Null-safe DOM reading helpers for site adapters. Adapters only read the page.
 */

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

/** An attribute's value, '' when missing. */
export function attr(element: Element | null | undefined, name: string): string {
  return element?.getAttribute(name) ?? '';
}

/**
 * Text of a title as the author wrote it: MathJax v2 leaves rendered glyphs and the TeX source
 * side by side, so drop the rendering and keep `$TeX$`; drop `.descriptor` labels ("Title:").
 */
export function titleText(element: Element | null | undefined): string {
  if (!element) return '';
  const rendered = element.querySelector(
    '.MathJax_Preview, .MathJax, mjx-container, script[type^="math/tex"], .descriptor, .mjx-chtml',
  );
  if (!rendered) return text(element);
  const clone = element.cloneNode(true) as Element;
  clone
    .querySelectorAll('.MathJax_Preview, .MathJax, .descriptor, .mjx-chtml')
    .forEach((node) => node.remove());
  clone.querySelectorAll('script[type^="math/tex"]').forEach((script) => {
    script.replaceWith(`$${script.textContent ?? ''}$`);
  });
  // MathJax 3 keeps the TeX in an assistive MathML annotation, else the glyph text stays.
  clone.querySelectorAll('mjx-container').forEach((node) => {
    const tex = node.querySelector('annotation[encoding="application/x-tex"]')?.textContent;
    node.replaceWith(tex ? `$${tex}$` : (node.textContent ?? ''));
  });
  return text(clone);
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
