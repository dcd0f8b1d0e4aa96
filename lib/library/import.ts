/**
 * Importing citation records (BibTeX, CSL-JSON, RIS, PaperMemory, Zotero) into the library. Each
 * record is matched to the index by id, alias or exact title; matched papers take the index's
 * metadata (the file fills gaps), unmatched ones keep the file's own metadata under a `local:` id.
 * A paper already saved keeps its status and gains the file's tags and note.
 */
import type { IndexDatabase, LibraryDatabase } from '../db';
import type { CitationRecord } from '../formats/citation-types';
import { snapshotOf } from '../library';
import { getPapers, loadMatchSource } from '../index-store';
import { matchEntries } from '../match';
import { titleKey } from '../normalize';
import type { CanonicalId, IndexPaper, PaperSnapshot, SavedPaper } from '../types';
import { emptyChange, recordSaved, type LibraryChange } from './change';
import { ensureTags } from './tags';

export const LOCAL_ID_PREFIX = 'local:';

/** A stable id for a paper no source names: FNV-1a (64 bit) of its title key. */
export function localIdFor(title: string): CanonicalId {
  let hash = 0xcbf29ce484222325n;
  for (const char of titleKey(title) || title) {
    hash ^= BigInt(char.codePointAt(0) ?? 0);
    hash = (hash * 0x100000001b3n) & 0xffffffffffffffffn;
  }
  return `${LOCAL_ID_PREFIX}${hash.toString(16).padStart(16, '0')}`;
}

export interface ImportSummary {
  added: number;
  updated: number;
  /** Records matched to a paper of the index. */
  matched: number;
  /** Records kept with their own metadata (not in the index). */
  unmatched: number;
  change: LibraryChange;
}

function snapshotFromRecord(record: CitationRecord): PaperSnapshot {
  const snapshot: PaperSnapshot = { title: record.title, authors: [...record.authors] };
  if (record.abstract) snapshot.abstract = record.abstract;
  if (record.published) snapshot.published = record.published;
  if (record.categories?.length) snapshot.categories = [...record.categories];
  if (record.venue) snapshot.venue = record.venue;
  const links = {
    ...(record.url ? { abs: record.url } : {}),
    ...(record.pdf ? { pdf: record.pdf } : {}),
    ...(record.code ? { code: record.code } : {}),
  };
  if (Object.keys(links).length) snapshot.links = links;
  const aliases = [record.id, ...record.aliases].filter((id): id is CanonicalId => Boolean(id));
  if (aliases.length) snapshot.aliases = aliases;
  return snapshot;
}

/** Fills what `base` lacks from `extra`; never overwrites. */
function fillSnapshot(
  base: PaperSnapshot,
  extra: PaperSnapshot,
  ownId: CanonicalId,
): PaperSnapshot {
  const merged: PaperSnapshot = { ...extra, ...base };
  if (!base.authors.length && extra.authors.length) merged.authors = extra.authors;
  if (base.links || extra.links) merged.links = { ...extra.links, ...base.links };
  const aliases = [...new Set([...(base.aliases ?? []), ...(extra.aliases ?? [])])].filter(
    (alias) => alias !== ownId,
  );
  if (aliases.length) merged.aliases = aliases;
  else delete merged.aliases;
  return merged;
}

/** Matches records the way page entries are matched (ids, aliases, exact then fuzzy title). */
async function matchToIndex(
  indexDb: IndexDatabase,
  records: readonly CitationRecord[],
): Promise<(IndexPaper | undefined)[]> {
  const { results } = await matchEntries(
    await loadMatchSource(indexDb),
    records.map((record, ref) => ({
      ref,
      title: record.title,
      ids: [record.id, ...record.aliases].filter((id): id is CanonicalId => Boolean(id)),
    })),
  );
  const byRef = new Map(results.map((result) => [result.ref, result]));
  const papers = await getPapers(
    indexDb,
    results.flatMap((result) => (result.matched && result.id ? [result.id] : [])),
  );
  return records.map((_, ref) => {
    const result = byRef.get(ref);
    return result?.matched && result.id ? papers.get(result.id) : undefined;
  });
}

export async function importCitationRecords(
  libraryDb: LibraryDatabase,
  indexDb: IndexDatabase,
  records: readonly CitationRecord[],
  now = Date.now(),
): Promise<ImportSummary> {
  const matches = await matchToIndex(indexDb, records);
  const prepared = records.map((record, index) => {
    const indexed = matches[index];
    const id = indexed?.id ?? record.id ?? localIdFor(record.title);
    const own = snapshotFromRecord(record);
    const snapshot = indexed
      ? fillSnapshot(snapshotOf(indexed), own, id)
      : fillSnapshot(own, {} as PaperSnapshot, id);
    return { record, id, snapshot, matched: Boolean(indexed) };
  });
  return libraryDb.transaction('rw', libraryDb.saved, libraryDb.tags, async () => {
    const change = emptyChange();
    const summary: ImportSummary = { added: 0, updated: 0, matched: 0, unmatched: 0, change };
    const existing = new Map<CanonicalId, SavedPaper>();
    for (const row of await libraryDb.saved.bulkGet(prepared.map((item) => item.id))) {
      if (row) existing.set(row.id, row);
    }
    for (const { record, id, snapshot, matched } of prepared) {
      const tags = await ensureTags(libraryDb, record.tags, change, now);
      const before = existing.get(id);
      recordSaved(change, id, before);
      let next: SavedPaper;
      if (before) {
        const note = record.note?.trim();
        next = {
          ...before,
          snapshot: fillSnapshot(before.snapshot, snapshot, id),
          tags: [...new Set([...before.tags, ...tags])],
          note:
            note && !before.note.includes(note)
              ? [before.note.trim(), note].filter(Boolean).join('\n\n')
              : before.note,
          updatedAt: now,
        };
        if (!before.citationKey && record.citationKey) next.citationKey = record.citationKey;
        summary.updated += 1;
      } else {
        next = {
          id,
          snapshot,
          savedAt: record.addedAt ?? now,
          updatedAt: now,
          tags,
          note: record.note?.trim() ?? '',
          status: record.status ?? 'to-read',
        };
        if (record.citationKey) next.citationKey = record.citationKey;
        summary.added += 1;
      }
      if (matched) summary.matched += 1;
      else summary.unmatched += 1;
      existing.set(id, next);
      await libraryDb.saved.put(next);
    }
    return summary;
  });
}
