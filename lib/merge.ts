/**
 * Merging records of the same paper from several sources (an RSS item, an API entry, an import,
 * what a page showed). Pure: the result never loses a field either side had.
 */
import type { IndexPaper } from './types';

function union<T>(a: readonly T[] | undefined, b: readonly T[] | undefined): T[] | undefined {
  if (!a?.length) return b?.length ? [...b] : undefined;
  if (!b?.length) return [...a];
  return [...new Set([...a, ...b])];
}

function longer(a: string | undefined, b: string | undefined): string | undefined {
  if (!a) return b;
  if (!b) return a;
  return b.length > a.length ? b : a;
}

/** Combines an existing index record with a new one for the same canonical id. */
export function mergePaper(existing: IndexPaper, incoming: IndexPaper): IndexPaper {
  const merged: IndexPaper = {
    ...existing,
    // A later source's title wins (arXiv replacements retitle papers), unless it is a truncated copy.
    title:
      incoming.title && !/(?:\.\.\.|…)$/.test(incoming.title) ? incoming.title : existing.title,
    titleKey:
      incoming.title && !/(?:\.\.\.|…)$/.test(incoming.title)
        ? incoming.titleKey
        : existing.titleKey,
    authors:
      incoming.authors.length >= existing.authors.length ? incoming.authors : existing.authors,
    sources: union(existing.sources, incoming.sources) ?? [],
  };
  const abstract = longer(existing.abstract, incoming.abstract);
  if (abstract) merged.abstract = abstract;
  const published = existing.published ?? incoming.published;
  if (published) merged.published = published;
  const updated = incoming.updated ?? existing.updated;
  if (updated) merged.updated = updated;
  const categories = union(existing.categories, incoming.categories);
  if (categories) merged.categories = categories;
  const venue = incoming.venue ?? existing.venue;
  if (venue) merged.venue = venue;
  const aliases = union(existing.aliases, incoming.aliases)?.filter((alias) => alias !== merged.id);
  if (aliases?.length) merged.aliases = aliases;
  else delete merged.aliases;
  if (existing.links || incoming.links) merged.links = { ...existing.links, ...incoming.links };
  return merged;
}
