import { describe, expect, it, vi } from 'vitest';
import { openIndexDb, openLibraryDb } from './db';
import { countPapers, dropLoadedLookup } from './index-store';
import { createHandlers } from './handlers';
import { classifySender, dispatch } from './messages';
import { memoryPageState } from './page-memory';

let dbCounter = 0;
function setup() {
  dbCounter += 1;
  const pageState = memoryPageState();
  const indexDb = openIndexDb(`index-${dbCounter}`);
  const libraryDb = openLibraryDb(`library-${dbCounter}`);
  return { indexDb, libraryDb, handlers: createHandlers({ indexDb, libraryDb, pageState }) };
}

const page = { kind: 'page', tabId: 7, url: 'https://arxiv.org/list/cs.LG/new' } as const;
const extension = { kind: 'extension' } as const;
const file = [
  {
    id: '2408.04000v2',
    title: 'Quantisation of Type IIB Superstring Theory',
    abstract: 'We discuss.',
    authors: ['Y. Asano'],
  },
  { id: 'https://openreview.net/forum?id=AbCdE123', title: 'A Forum Paper', authors: ['R. Vee'] },
  { id: 'doi:10.1000/XYZ', title: 'Same title, two papers' },
  { id: 'doi:10.1000/other', title: 'Same Title — Two Papers' },
]
  .map((record) => JSON.stringify(record))
  .join('\n');

describe('background handlers', () => {
  it('prepares a page look-up: a page may ask, and the worker reads the look-up structures at once', async () => {
    const { handlers, indexDb } = setup();
    await handlers.importPaperFile({ text: file, fileName: 'papers.jsonl' }, extension);
    dropLoadedLookup(indexDb);
    const read = vi.spyOn(indexDb.meta, 'get');
    const reply = await dispatch(handlers, { type: 'prepareLookup', payload: {} }, page);
    expect(reply).toEqual({ ok: true, data: { preparing: true } });
    await vi.waitFor(() => {
      expect(read.mock.calls.map(([key]) => key)).toContain('lookup:core');
    });
    const { annotations } = await handlers.lookupEntries(
      { entries: [{ ref: 0, title: 'A Forum Paper', ids: [] }] },
      page,
    );
    expect(annotations[0]).toMatchObject({ matched: true, method: 'title' });
  });

  it('imports a JSONL file and matches entries by id, then by exact title, refusing ambiguous titles', async () => {
    const { handlers } = setup();
    const imported = await handlers.importPaperFile(
      { text: file, fileName: 'papers.jsonl' },
      extension,
    );
    expect(imported).toEqual({
      ok: true,
      added: 4,
      updated: 0,
      format: 'paperlight-json',
      skipped: 0,
    });
    const { annotations } = await handlers.lookupEntries(
      {
        entries: [
          { ref: 0, title: 'whatever the page says', ids: ['arxiv:2408.04000'] },
          { ref: 1, title: 'a forum paper.', ids: [] },
          { ref: 2, title: 'Unknown paper of nobody', ids: ['arxiv:2501.00001'] },
          { ref: 3, title: 'same title two papers', ids: [] },
        ],
      },
      page,
    );
    expect(annotations).toEqual([
      { ref: 0, id: 'arxiv:2408.04000', matched: true, method: 'id', confidence: 1, saved: false },
      {
        ref: 1,
        id: 'openreview:AbCdE123',
        matched: true,
        method: 'title',
        confidence: 1,
        saved: false,
      },
      { ref: 2, id: 'arxiv:2501.00001', matched: false, confidence: 0, saved: false },
      { ref: 3, matched: false, confidence: 0, saved: false },
    ]);
  });

  it('saves from a page with the index snapshot, reports it saved, and unsaves', async () => {
    const { handlers, libraryDb } = setup();
    await handlers.importPaperFile({ text: file, fileName: 'papers.jsonl' }, extension);
    const entries = [{ ref: 0, title: 'x', ids: ['arxiv:2408.04000'] }];
    await handlers.lookupEntries({ entries }, page);
    const { saved } = await handlers.savePaper({ id: 'arxiv:2408.04000' }, page);
    expect(saved.snapshot.abstract).toBe('We discuss.');
    expect((await handlers.lookupEntries({ entries }, page)).annotations[0]?.saved).toBe(true);
    await handlers.unsavePaper({ id: 'arxiv:2408.04000' }, page);
    expect(await libraryDb.saved.count()).toBe(0);
  });

  it('saves an unmatched paper from what its page showed', async () => {
    const { handlers } = setup();
    await handlers.lookupEntries(
      {
        entries: [
          { ref: 0, title: 'Title: Only On The Page', ids: ['2501.00001'], authors: ['Z. Zed'] },
        ],
      },
      page,
    );
    const { saved } = await handlers.savePaper({ id: 'arxiv:2501.00001' }, page);
    expect(saved.snapshot).toEqual({ title: 'Only On The Page', authors: ['Z. Zed'] });
  });

  it('refuses page saves of papers that were not on that page', async () => {
    const { handlers, libraryDb } = setup();
    await handlers.importPaperFile({ text: file, fileName: 'papers.jsonl' }, extension);
    await expect(handlers.savePaper({ id: 'arxiv:2408.04000' }, page)).rejects.toThrow(
      /not on this page/,
    );
    await expect(
      handlers.savePaper({ id: 'arxiv:2408.04000' }, { ...page, tabId: 8 }),
    ).rejects.toThrow();
    expect(await libraryDb.saved.count()).toBe(0);
  });

  it('rejects a bad file whole, listing the first bad lines', async () => {
    const { handlers, indexDb } = setup();
    const bad = `${file}\n{"id": "nonsense", "title": "x"}\nnot json\n{"id": "2401.00001"}`;
    const result = await handlers.importPaperFile({ text: bad, fileName: 'bad.jsonl' }, extension);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.problems.map((problem) => problem.line)).toEqual([5, 6, 7]);
      expect(result.error).toMatch(/nothing was imported/);
    }
    expect(await countPapers(indexDb)).toBe(0);
  });
});

describe('message validation and senders', () => {
  const ownId = 'abcdefghijklmnop';
  const origin = `chrome-extension://${ownId}/`;

  it('classifies senders', () => {
    expect(
      classifySender(
        { extensionId: ownId, url: `${origin}popup.html`, tabId: undefined },
        ownId,
        origin,
      ),
    ).toEqual(extension);
    expect(
      classifySender(
        { extensionId: ownId, url: 'https://arxiv.org/list/x/new', tabId: 3 },
        ownId,
        origin,
      ),
    ).toEqual({
      kind: 'page',
      tabId: 3,
      url: 'https://arxiv.org/list/x/new',
    });
    expect(
      classifySender(
        { extensionId: 'other', url: `${origin}popup.html`, tabId: undefined },
        ownId,
        origin,
      ),
    ).toBeNull();
    expect(
      classifySender({ extensionId: ownId, url: 'file:///etc/passwd', tabId: 3 }, ownId, origin),
    ).toBeNull();
  });

  it('refuses extension-only messages from pages, unknown types and malformed payloads', async () => {
    const { handlers, indexDb } = setup();
    expect(
      await dispatch(
        handlers,
        { type: 'importPaperFile', payload: { text: file, fileName: 'x' } },
        page,
      ),
    ).toEqual({
      ok: false,
      error: '"importPaperFile" is not available to pages.',
    });
    expect(
      await dispatch(handlers, { type: 'deleteEverything', payload: {} }, extension),
    ).toMatchObject({ ok: false });
    expect(
      await dispatch(handlers, { type: 'lookupEntries', payload: { entries: 'x' } }, page),
    ).toMatchObject({ ok: false });
    expect(
      await dispatch(handlers, { type: 'lookupEntries', payload: { entries: [] } }, null),
    ).toMatchObject({ ok: false });
    expect(await dispatch(handlers, '__proto__', page)).toMatchObject({ ok: false });
    expect(await countPapers(indexDb)).toBe(0);
    expect(await dispatch(handlers, { type: 'getIndexStats', payload: {} }, extension)).toEqual({
      ok: true,
      data: { papers: 0, saved: 0 },
    });
  });
});
