/**
 * Writes to the abstract index. Records of one paper merge by canonical id.
 */
import type { IndexDatabase } from './db';
import { mergePaper } from './merge';
import type { CanonicalId, IndexPaper } from './types';

/** Rows per transaction: large enough to amortize transaction cost, small enough to show progress. */
export const WRITE_CHUNK = 2000;

export interface UpsertProgress {
  done: number;
  total: number;
}

/** Collapses duplicates inside one batch so each id is written once. */
export function dedupeById(papers: readonly IndexPaper[]): IndexPaper[] {
  const byId = new Map<CanonicalId, IndexPaper>();
  for (const paper of papers) {
    const seen = byId.get(paper.id);
    byId.set(paper.id, seen ? mergePaper(seen, paper) : paper);
  }
  return [...byId.values()];
}

/**
 * Merges papers into the index, one transaction per chunk. Returns how many ids were new.
 * `all-or-nothing` mode writes every chunk in one transaction (file imports must not half-apply).
 */
export async function upsertPapers(
  db: IndexDatabase,
  incoming: readonly IndexPaper[],
  options: { onProgress?: (progress: UpsertProgress) => void; atomic?: boolean } = {},
): Promise<{ added: number; updated: number }> {
  const papers = dedupeById(incoming);
  let added = 0;
  let updated = 0;
  const writeChunk = async (chunk: IndexPaper[]): Promise<void> => {
    const existing = await db.papers.bulkGet(chunk.map((paper) => paper.id));
    const rows = chunk.map((paper, index) => {
      const old = existing[index];
      if (old) {
        updated += 1;
        return mergePaper(old, paper);
      }
      added += 1;
      return paper;
    });
    await db.papers.bulkPut(rows);
  };
  const chunks: IndexPaper[][] = [];
  for (let start = 0; start < papers.length; start += WRITE_CHUNK) {
    chunks.push(papers.slice(start, start + WRITE_CHUNK));
  }
  if (options.atomic) {
    await db.transaction('rw', db.papers, async () => {
      for (const chunk of chunks) {
        await writeChunk(chunk);
      }
    });
    options.onProgress?.({ done: papers.length, total: papers.length });
  } else {
    let done = 0;
    for (const chunk of chunks) {
      await db.transaction('rw', db.papers, () => writeChunk(chunk));
      done += chunk.length;
      options.onProgress?.({ done, total: papers.length });
    }
  }
  return { added, updated };
}
