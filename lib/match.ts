/**
 * Matching a page's entries against the index, in tiers: ids from links (and aliases), then the
 * exact normalized title, then a fuzzy fallback for what is left (lib/title-index/fuzzy.ts). Pure and
 * in memory: the caller passes loaded look-up structures (lib/index-store.ts `loadMatchSource`),
 * so a page costs no IndexedDB read per entry. A wrong match is worse than no match: ambiguous
 * titles stay unmatched.
 */
import { FuzzyMatcher } from './title-index/fuzzy';
import { kindOf } from './title-index/id-codes';
import type { FuzzyIndex, LookupView } from './title-index/lookup';
import { hashTitleKey } from './normalize';
import type { CanonicalId } from './types';

export interface MatchQuery {
  /** The caller's handle for this entry (its position on the page). */
  ref: number;
  title: string;
  ids: CanonicalId[];
}

/** `fuzzy`: a typo or a dropped/added word; `truncated`: a title cut short with "…". */
export type MatchMethod = 'id' | 'alias' | 'title' | 'fuzzy' | 'truncated';

export interface MatchResult {
  ref: number;
  /** The matched paper's id, or the page's own id when unmatched but known from a link. */
  id?: CanonicalId;
  matched: boolean;
  method?: MatchMethod;
  /** 1 for id and exact-title matches; the weighted title similarity for fuzzy ones. */
  confidence: number;
  /** Fuzzy matches: the lead in similarity over the next-best paper. */
  margin?: number;
}

/** Loaded look-up structures; `fuzzy` loads the fuzzy part on first need. */
export interface MatchSource {
  lookup: LookupView;
  fuzzy(): Promise<FuzzyIndex>;
}

/** Title keys shorter than this ("Introduction") name too many papers to match on. */
const MIN_KEY_LENGTH = 8;

function unmatched(query: MatchQuery): MatchResult {
  const result: MatchResult = { ref: query.ref, matched: false, confidence: 0 };
  if (query.ids[0]) result.id = query.ids[0];
  return result;
}

/**
 * Whether a paper may be the one an entry shows: an entry with an id of some kind (an arXiv id,
 * a DOI) is not a paper with a different id of that kind, however alike the titles.
 */
function compatibility(lookup: LookupView, query: MatchQuery): (ord: number) => boolean {
  if (query.ids.length === 0) return () => true;
  const kinds = new Set(query.ids.map(kindOf));
  return (ord) => !kinds.has(lookup.kindAt(ord));
}

/** Whether any paper of the index could be compatible with the entry at all. */
function mayHaveCompatible(lookup: LookupView, query: MatchQuery): boolean {
  return !(lookup.otherCount === 0 && query.ids.some((id) => kindOf(id) === 'arxiv'));
}

/** Matches a page's entries; results come in `ref` order. */
export async function matchEntries(
  source: MatchSource,
  queries: readonly MatchQuery[],
): Promise<{ results: MatchResult[] }> {
  const { lookup } = source;
  const results: MatchResult[] = [];
  const fuzzyQueue: MatchQuery[] = [];
  for (const query of queries) {
    const byId = query.ids.find((id) => lookup.findId(id) >= 0);
    if (byId) {
      results.push({ ref: query.ref, id: byId, matched: true, method: 'id', confidence: 1 });
      continue;
    }
    const aliasOf = query.ids.map((id) => lookup.findAlias(id)).find((ord) => ord >= 0);
    if (aliasOf !== undefined) {
      const id = lookup.idAt(aliasOf);
      results.push({ ref: query.ref, id, matched: true, method: 'alias', confidence: 1 });
      continue;
    }
    const key = hashTitleKey(query.title);
    if (key.length < MIN_KEY_LENGTH) {
      results.push(unmatched(query));
      continue;
    }
    const sameTitle = lookup.findTitle(key.hash);
    const only = sameTitle.length === 1 ? sameTitle[0] : undefined;
    if (only !== undefined && compatibility(lookup, query)(only)) {
      const id = lookup.idAt(only);
      results.push({ ref: query.ref, id, matched: true, method: 'title', confidence: 1 });
    } else if (sameTitle.length === 0 && mayHaveCompatible(lookup, query)) {
      fuzzyQueue.push(query);
    } else {
      // Two papers with the title, or one the entry's own id rules out: don't guess.
      results.push(unmatched(query));
    }
  }
  if (fuzzyQueue.length > 0) {
    const matcher = new FuzzyMatcher(await source.fuzzy());
    for (const query of fuzzyQueue) {
      const hit = matcher.match(query.title, compatibility(lookup, query));
      if (hit) {
        results.push({
          ref: query.ref,
          id: lookup.idAt(hit.ord),
          matched: true,
          method: hit.kind,
          confidence: Math.round(hit.similarity * 1000) / 1000,
          margin: Math.round(hit.margin * 1000) / 1000,
        });
      } else {
        results.push(unmatched(query));
      }
    }
  }
  results.sort((a, b) => a.ref - b.ref);
  return { results };
}
