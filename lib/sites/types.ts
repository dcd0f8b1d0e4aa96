import type { CanonicalId } from '../types';

/** One paper entry an adapter found on a page. */
export interface DetectedPaper {
  /** The element holding the title; annotations go on it and UI right after it. */
  titleElement: Element;
  /** Clean title text (descriptors and MathJax rendering removed, `$TeX$` kept). */
  title: string;
  /** Canonical ids from the entry's links, most specific first. */
  ids: CanonicalId[];
  authors: string[];
  /**
   * The abstract when the page shows it. It may be read from the page only when first asked
   * (`lazyAbstract`): read it only where it is needed, and ask `showsAbstract` whether there is one.
   */
  abstract?: string;
}

/** One site: which URLs it handles and how to read its paper entries. Read-only. */
export interface SiteAdapter {
  /** Equals the file name in lib/sites/. */
  id: string;
  name: string;
  /** Manifest match patterns for the content script. */
  matches: string[];
  /** Whether this URL is a page this adapter reads. */
  isListing(url: URL): boolean;
  /** Finds the paper entries under `root`. Must not modify the page. */
  findPapers(root: ParentNode, url: URL): DetectedPaper[];
  /** Example URLs this adapter handles (a contract test checks no other adapter claims them). */
  examples: { listing: string[] };
}
