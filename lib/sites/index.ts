/**
 * The site adapter registry: adding a site is one line here plus its file and fixtures.
 * Side-effect free: the content script's `matches` are read from it at build time.
 */
import { arxiv } from './arxiv';
import { huggingface } from './huggingface';
import type { SiteAdapter } from './types';

export const adapters: readonly SiteAdapter[] = [arxiv, huggingface];

/** The adapter for a URL, if any. */
export function adapterFor(url: URL): SiteAdapter | undefined {
  return adapters.find((adapter) => adapter.isListing(url));
}

/** Every manifest match pattern of every adapter. */
export function allMatches(): string[] {
  return [...new Set(adapters.flatMap((adapter) => adapter.matches))];
}
