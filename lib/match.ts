/**
 * Matching page entries against the index: ids from links first, then the exact normalized title.
 * (Fuzzy matching at scale lives in its own module; see issue "Matching and index at scale".)
 */
import type { IndexDatabase } from './db';
import { titleKey } from './normalize';
import type { CanonicalId, IndexPaper } from './types';

export interface MatchQuery {
  /** The caller's handle for this entry (its position on the page). */
  ref: number;
  title: string;
  ids: CanonicalId[];
}

export type MatchMethod = 'id' | 'alias' | 'title';

export interface MatchResult {
  ref: number;
  /** The matched paper's id, or the page's own id when unmatched but known from a link. */
  id?: CanonicalId;
  matched: boolean;
  method?: MatchMethod;
  /** 1 for id and exact-title matches; below 1 only for fuzzy matches. */
  confidence: number;
}

/** Matches a page's entries in a few bulk reads (never one read per entry). */
export async function matchEntries(
  db: IndexDatabase,
  queries: readonly MatchQuery[],
): Promise<{ results: MatchResult[]; papers: Map<CanonicalId, IndexPaper> }> {
  const papers = new Map<CanonicalId, IndexPaper>();
  const allIds = [...new Set(queries.flatMap((query) => query.ids))];
  const byId = await db.papers.bulkGet(allIds);
  byId.forEach((paper) => paper && papers.set(paper.id, paper));
  const aliasHits = await db.papers
    .where('aliases')
    .anyOf(allIds.filter((id) => !papers.has(id)))
    .toArray();
  const aliasToPaper = new Map<CanonicalId, IndexPaper>();
  for (const paper of aliasHits) {
    papers.set(paper.id, paper);
    for (const alias of paper.aliases ?? []) aliasToPaper.set(alias, paper);
  }

  const results: MatchResult[] = [];
  const needTitle: { query: MatchQuery; key: string }[] = [];
  for (const query of queries) {
    const direct = query.ids.map((id) => papers.get(id)).find(Boolean);
    if (direct) {
      results.push({ ref: query.ref, id: direct.id, matched: true, method: 'id', confidence: 1 });
      continue;
    }
    const alias = query.ids.map((id) => aliasToPaper.get(id)).find(Boolean);
    if (alias) {
      results.push({ ref: query.ref, id: alias.id, matched: true, method: 'alias', confidence: 1 });
      continue;
    }
    const key = titleKey(query.title);
    if (key.length >= 8) needTitle.push({ query, key });
    else results.push(unmatched(query));
  }
  if (needTitle.length > 0) {
    const keys = [...new Set(needTitle.map((item) => item.key))];
    const hits = await db.papers.where('titleKey').anyOf(keys).toArray();
    const byKey = new Map<string, IndexPaper[]>();
    for (const paper of hits) {
      byKey.set(paper.titleKey, [...(byKey.get(paper.titleKey) ?? []), paper]);
    }
    for (const { query, key } of needTitle) {
      const candidates = byKey.get(key) ?? [];
      // Two different papers with the same title: a guess would be worse than no match.
      const only = candidates.length === 1 ? candidates[0] : undefined;
      if (only) {
        papers.set(only.id, only);
        results.push({
          ref: query.ref,
          id: only.id,
          matched: true,
          method: 'title',
          confidence: 1,
        });
      } else {
        results.push(unmatched(query));
      }
    }
  }
  results.sort((a, b) => a.ref - b.ref);
  return { results, papers };
}

function unmatched(query: MatchQuery): MatchResult {
  const result: MatchResult = { ref: query.ref, matched: false, confidence: 0 };
  if (query.ids[0]) result.id = query.ids[0];
  return result;
}
