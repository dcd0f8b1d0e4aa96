/**
 * The site adapter registry: adding a site is one line here plus its file and fixtures
 * (tests/sites.contract.test.ts enforces it). Side-effect free: the content script's `matches` are
 * read from it at build time.
 */
import { aclAnthology } from './acl-anthology';
import { alphaxiv } from './alphaxiv';
import { arxiv } from './arxiv';
import { biorxiv } from './biorxiv';
import { cvf } from './cvf';
import { dblp } from './dblp';
import { googleScholar } from './google-scholar';
import { huggingface } from './huggingface';
import { links } from './links';
import { neurips } from './neurips';
import { openreview } from './openreview';
import { pmlr } from './pmlr';
import { semanticScholar } from './semantic-scholar';
import type { SiteAdapter } from './types';

/** Adapters for specific sites, chosen by URL. */
export const adapters: readonly SiteAdapter[] = [
  arxiv,
  huggingface,
  openreview,
  googleScholar,
  semanticScholar,
  aclAnthology,
  dblp,
  neurips,
  pmlr,
  cvf,
  alphaxiv,
  biorxiv,
];

/** Finds entries by their paper links on pages the user turned on ("Annotate this site"). */
export const genericAdapter: SiteAdapter = links;

/**
 * The adapter for a URL. `generic` (a page the user turned on) falls back to the links adapter when
 * no specific adapter reads the URL.
 */
export function adapterFor(url: URL, { generic = false } = {}): SiteAdapter | undefined {
  return (
    adapters.find((adapter) => adapter.isListing(url)) ??
    (generic && genericAdapter.isListing(url) ? genericAdapter : undefined)
  );
}

/** Every manifest match pattern of every specific adapter. */
export function allMatches(): string[] {
  return [...new Set(adapters.flatMap((adapter) => adapter.matches))];
}
