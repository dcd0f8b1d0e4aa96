import { describe, expect, it } from 'vitest';
import { openIndexDb } from '../db';
import { uploadParts } from '../import-upload';
import { countPapers, getPaper, upsertPapers, WRITE_CHUNK } from '../index-store';
import type { ImportProgress } from '../messages';
import { createImportHandlers } from './import';

let counter = 0;
function setup() {
  counter += 1;
  const indexDb = openIndexDb(`import-handlers-${counter}`);
  return { indexDb, handlers: createImportHandlers(indexDb) };
}

const extension = { kind: 'extension' } as const;
const lines = (count: number): string =>
  Array.from({ length: count }, (_, n) =>
    JSON.stringify({
      id: `2401.${String(n).padStart(5, '0')}`,
      title: `Paper ${n} on uploads in parts`,
      authors: ['A. Author'],
    }),
  ).join('\n');

/** Sends a file as the options page does: in parts, cut anywhere (here mid-line). */
async function upload(
  handlers: ReturnType<typeof createImportHandlers>,
  id: string,
  text: string,
  partSize: number,
): Promise<void> {
  for (const [index, part] of uploadParts(text, partSize).entries()) {
    await handlers.uploadImportChunk({ upload: id, index, text: part }, extension);
  }
}

describe('uploadParts', () => {
  it('cuts a text into parts of at most the given size that join back to it', () => {
    const text = lines(50);
    const parts = uploadParts(text, 333);
    expect(parts.join('')).toBe(text);
    expect(parts.every((part) => part.length <= 333)).toBe(true);
    expect(parts.length).toBe(Math.ceil(text.length / 333));
    expect(uploadParts('')).toEqual(['']);
  });
});

describe('file import in parts', () => {
  it('imports a file uploaded in parts as if sent whole, and reports where it is', async () => {
    const { indexDb, handlers } = setup();
    await upload(handlers, 'upload-0001', lines(300), 2000);
    const result = await handlers.importPaperFile(
      { upload: 'upload-0001', fileName: 'papers.jsonl' },
      extension,
    );
    expect(result).toEqual({
      ok: true,
      added: 300,
      updated: 0,
      format: 'paperlight-json',
      skipped: 0,
    });
    expect(await countPapers(indexDb)).toBe(300);
    expect((await getPaper(indexDb, 'arxiv:2401.00299'))?.title).toBe(
      'Paper 299 on uploads in parts',
    );
    expect(
      await handlers.getImportProgress({ upload: 'upload-0001' }, extension),
    ).toEqual<ImportProgress>({ phase: 'done', done: 300, total: 300 });
    // The upload is gone once imported.
    await expect(
      handlers.importPaperFile({ upload: 'upload-0001', fileName: 'papers.jsonl' }, extension),
    ).rejects.toThrow(/try again/i);
  });

  it('refuses a part out of order and an upload it does not have (a restarted worker), importing nothing', async () => {
    const { indexDb, handlers } = setup();
    await handlers.uploadImportChunk({ upload: 'upload-0002', index: 0, text: '{' }, extension);
    await expect(
      handlers.uploadImportChunk({ upload: 'upload-0002', index: 2, text: '}' }, extension),
    ).rejects.toThrow(/went missing/);
    await expect(
      handlers.importPaperFile({ upload: 'upload-0002', fileName: 'papers.jsonl' }, extension),
    ).rejects.toThrow(/restarted/);
    expect(await countPapers(indexDb)).toBe(0);
  });

  it('still takes a whole file in one message', async () => {
    const { indexDb, handlers } = setup();
    const result = await handlers.importPaperFile(
      { text: lines(3), fileName: 'papers.jsonl' },
      extension,
    );
    expect(result.ok).toBe(true);
    expect(await countPapers(indexDb)).toBe(3);
  });
});

describe('an all-or-nothing import', () => {
  it('reports progress after every chunk it writes, not only at the end', async () => {
    const { indexDb } = setup();
    const total = WRITE_CHUNK * 2 + 10;
    const papers = Array.from({ length: total }, (_, n) => ({
      id: `arxiv:2402.${String(n).padStart(5, '0')}`,
      title: `Progress paper ${n}`,
      titleKey: '',
      authors: [],
      sources: ['import' as const],
    }));
    const seen: number[] = [];
    await upsertPapers(indexDb, papers, {
      atomic: true,
      onProgress: ({ done }) => seen.push(done),
    });
    expect(seen).toEqual([WRITE_CHUNK, WRITE_CHUNK * 2, total]);
  });
});
