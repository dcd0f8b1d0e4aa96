import { describe, expect, it } from 'vitest';
import { hasShared, readReal, SKIP_SHARED_REASON } from '../../tests/shared';
import { parseIndexFile } from './file-import';

function ok(result: ReturnType<typeof parseIndexFile>) {
  if (!result.ok) throw new Error(`expected ok, got: ${result.error}`);
  return result;
}

describe.skipIf(!hasShared)(
  `index file import on real files ${hasShared ? '' : SKIP_SHARED_REASON}`,
  () => {
    it('reads an arXiv API Atom answer saved to a file', () => {
      const result = ok(
        parseIndexFile(
          readReal('arxiv-api/query-search_query-all-electron-max10-2025-11-21.xml'),
          'q.xml',
        ),
      );
      expect(result.format).toBe('arxiv-atom');
      expect(result.papers).toHaveLength(10);
    });

    it('reads arXiv RSS and OAI-PMH files', () => {
      expect(
        ok(parseIndexFile(readReal('arxiv-rss/rss2-cs.CL-2024-03-05.xml'))).papers,
      ).toHaveLength(91);
      expect(
        ok(
          parseIndexFile(readReal('arxiv-oai/listrecords-arXiv-set-physics-hep-ex-2017-12-14.xml')),
        ).format,
      ).toBe('arxiv-oai');
    });

    it('reads Hugging Face daily-papers JSON', () => {
      const result = ok(
        parseIndexFile(readReal('huggingface/api-daily_papers-limit30-2026-06-14.json')),
      );
      expect(result.format).toBe('hf-daily-papers');
      expect(result.papers).toHaveLength(30);
    });

    it('reads Better BibTeX BibTeX and JSON, keeping arXiv ids from eprint fields', () => {
      const bib = ok(
        parseIndexFile(readReal('bibtex/bbt-bibtex-export-arxiv-items-issue460.bib'), 'x.bib'),
      );
      expect(bib.format).toBe('bibtex');
      expect(bib.papers.some((paper) => paper.id.startsWith('arxiv:'))).toBe(true);
      for (const paper of bib.papers) expect(paper.sources).toEqual(['import']);
      const zotero = ok(
        parseIndexFile(readReal('zotero/bbt-json-export-arxiv-preprints-issue2163.json')),
      );
      expect(zotero.format).toBe('zotero-json');
      expect(zotero.papers.length).toBeGreaterThan(0);
    });

    it('reads a PaperMemory export', () => {
      const result = ok(
        parseIndexFile(readReal('papermemory/memory-export-3-papers-2022-08.json')),
      );
      expect(result.format).toBe('papermemory');
      expect(result.papers.map((paper) => paper.id)).toContain('arxiv:1703.10593');
    });

    it('skips and counts records that name no id, without failing the file', () => {
      const result = ok(
        parseIndexFile(readReal('zotero/bbt-json-export-arxiv-preprints-issue2163.json')),
      );
      expect(result.papers).toHaveLength(10);
      expect(result.skipped).toHaveLength(2);
      expect(result.skipped[0]?.message).toMatch(/names no arXiv id, DOI/);
    });

    it('refuses a file in which no record has an id, with a message', () => {
      const result = parseIndexFile(readReal('bibtex/jabref-5.1-library-issue1641.bib'), 'lib.bib');
      expect(result).toMatchObject({
        ok: false,
        error: expect.stringMatching(/nothing was imported/),
      });
    });
  },
);

describe('index file import', () => {
  it("keeps Paperlight's own JSON and JSONL", () => {
    const line = JSON.stringify({ id: '2401.00001', title: 'A paper' });
    expect(ok(parseIndexFile(line)).format).toBe('paperlight-json');
    expect(
      ok(parseIndexFile(`${line}\n${JSON.stringify({ id: '2401.00002', title: 'B' })}`)).papers,
    ).toHaveLength(2);
    expect(ok(parseIndexFile(`[${line}]`)).format).toBe('paperlight-json');
  });

  it('reads CSL-JSON (reconstructed from the CSL spec; no real export exists in the captures)', () => {
    const csl = JSON.stringify([
      {
        id: 'vaswani2017',
        type: 'article',
        title: 'Attention Is All You Need',
        author: [{ family: 'Vaswani', given: 'Ashish' }],
        issued: { 'date-parts': [[2017, 6, 12]] },
        DOI: '10.48550/arXiv.1706.03762',
        abstract: 'The dominant sequence transduction models…',
      },
    ]);
    const result = ok(parseIndexFile(csl, 'refs.json'));
    expect(result.format).toBe('csl-json');
    expect(result.papers[0]?.id).toBe('arxiv:1706.03762');
  });

  it.each([
    [
      'truncated XML',
      '<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><entry><id>http://arxiv.org/abs/2401.00001v1',
    ],
    ['an HTML page', '<!DOCTYPE html><html><body>Sign in</body></html>'],
    [
      'an entity bomb',
      '<?xml version="1.0"?><!DOCTYPE feed [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;">]><feed>&b;</feed>',
    ],
    ['broken JSON', '[{"id": "2401.00001", "title": "x"'],
    ['an empty file', '   '],
    ['unknown text', 'hello world'],
  ])('refuses %s with a message', (_name, text) => {
    const result = parseIndexFile(text, 'file');
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.length).toBeGreaterThan(5);
  });

  it('refuses oversized XML before parsing', () => {
    const result = parseIndexFile(`<feed>${' '.repeat(64 * 1024 * 1024)}</feed>`);
    expect(result).toMatchObject({ ok: false, error: expect.stringMatching(/64 MB/) });
  });
});
