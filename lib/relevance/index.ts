/**
 * The relevance engine wired to the extension's two databases.
 */
import type { IndexDatabase, LibraryDatabase } from '../db';
import { RelevanceEngine } from './engine';
import { indexSource, metaStorage } from './index-source';
import { libraryReader } from './library-reader';
import { VectorStore } from './store';

export function createRelevanceEngine(
  indexDb: IndexDatabase,
  libraryDb: LibraryDatabase,
  options: { yieldToEvents?: () => Promise<void> } = {},
): RelevanceEngine {
  const meta = metaStorage(indexDb);
  const store = new VectorStore(indexSource(indexDb), meta, options);
  return new RelevanceEngine(store, meta, libraryReader(libraryDb));
}
