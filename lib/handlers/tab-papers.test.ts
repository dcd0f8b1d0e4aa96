import { describe, expect, it } from 'vitest';
import { openIndexDb, openLibraryDb } from '../db';
import { upsertPapers } from '../index-store';
import { titleKey } from '../normalize';
import { createLibraryHandlers } from './library';

describe('the papers of a tab', () => {
  it('carry the index abstract when the page showed none, and keep the one the page showed', async () => {
    const indexDb = openIndexDb('tab-papers-index');
    const libraryDb = openLibraryDb('tab-papers-library');
    const paper = (id: string, title: string, abstract: string) => ({
      id,
      title,
      titleKey: titleKey(title),
      authors: [],
      abstract,
      sources: ['arxiv-rss' as const],
    });
    await upsertPapers(indexDb, [
      paper('arxiv:2608.00001', 'Listed without abstract', 'From the arXiv feed.'),
      paper('arxiv:2608.00002', 'Listed with abstract', 'The index version.'),
    ]);
    const handlers = createLibraryHandlers({
      indexDb,
      libraryDb,
      tabPages: {
        list: async () => [
          { id: 'arxiv:2608.00001', snapshot: { title: 'Listed without abstract', authors: [] } },
          {
            id: 'arxiv:2608.00002',
            snapshot: {
              title: 'Listed with abstract',
              authors: [],
              abstract: 'As the page showed it.',
            },
          },
          { id: 'arxiv:2608.00003', snapshot: { title: 'Unknown to the index', authors: [] } },
        ],
      },
    });
    const { papers } = await handlers.getTabPapers({ tabId: 7 }, { kind: 'extension' });
    expect(papers.map((p) => p.snapshot.abstract)).toEqual([
      'From the arXiv feed.',
      'As the page showed it.',
      undefined,
    ]);
  });
});
