import { describe, expect, it } from 'vitest';
import { hasShared, readReal, SKIP_SHARED_REASON } from '../../tests/shared';
import { parseBibtex, splitNames } from './bibtex';
import { parseCslJson } from './csl-json';
import { detectFormat, parseCitationFile } from './citation';
import { latexToUnicode } from './latex';
import { idFromPaperMemory, parsePaperMemory } from './papermemory';
import { parseRis } from './ris';
import type { CitationRecord, CitationResult } from './citation-types';
import { parseZoteroJson } from './zotero-json';

function records(result: CitationResult): CitationRecord[] {
  if (!result.ok) throw new Error(result.error);
  return result.records;
}

describe('latexToUnicode', () => {
  it.each([
    ['R{\\o}nnow', 'Rønnow'],
    ['Schr{\\"o}dinger', 'Schrödinger'],
    ["Bogad\\'{o}ttir", 'Bogadóttir'],
    ['\\c{C}a\\u{g}lar', 'Çağlar'],
    ['{{BV Master Action}} for {{Heterotic}}', 'BV Master Action for Heterotic'],
    ['Fish \\& Chips 50\\%', 'Fish & Chips 50%'],
    ['\\emph{Follow-the-Ridge}', 'Follow-the-Ridge'],
    ['pages 420--424', 'pages 420–424'],
    ['The $\\alpha$-divergence {\\em is} fine', 'The $\\alpha$-divergence is fine'],
    ['\\url{http://arxiv.org/abs/1401.2910}', 'http://arxiv.org/abs/1401.2910'],
  ])('%s → %s', (input, expected) => {
    expect(latexToUnicode(input)).toBe(expected);
  });
});

describe('splitNames', () => {
  it('splits on top-level "and" only', () => {
    expect(splitNames('{Barnes and Noble} and Smith, John and others')).toEqual([
      '{Barnes and Noble}',
      'Smith, John',
    ]);
  });
});

describe.skipIf(!hasShared)(`real files ${hasShared ? '' : SKIP_SHARED_REASON}`, () => {
  it('reads Better BibTeX BibTeX with arXiv eprints', () => {
    const result = records(
      parseBibtex(readReal('bibtex/bbt-bibtex-export-arxiv-items-issue460.bib')),
    );
    expect(result).toHaveLength(3);
    const [ronnow, sen, smolin] = result;
    expect(ronnow).toMatchObject({
      id: 'arxiv:1401.2910',
      aliases: ['doi:10.1126/science.1252319'],
      title: 'Defining and Detecting Quantum Speedup',
      published: '2014-07',
      venue: 'Science',
      categories: ['quant-ph'],
      citationKey: 'Ronnow.2014.Defining',
    });
    expect(ronnow?.authors[0]).toBe('Troels F. Rønnow');
    expect(ronnow?.authors).toHaveLength(9);
    expect(ronnow?.note).toBeUndefined();
    expect(sen).toMatchObject({
      id: 'arxiv:1508.05387',
      title: 'BV Master Action for Heterotic and Type II String Field Theories',
    });
    expect(sen?.tags).toContain('covariant string field theory');
    expect(smolin).toMatchObject({ id: 'arxiv:1305.4904', categories: ['quant-ph'] });
    expect(smolin?.venue).toBeUndefined();
  });

  it('reads Better BibTeX BibLaTeX (eprinttype/eprintclass, date, multi-line note)', () => {
    const result = records(
      parseBibtex(readReal('bibtex/bbt-biblatex-export-arxiv-items-issue460.bib')),
    );
    expect(result.map((record) => record.id)).toEqual([
      'arxiv:1401.2910',
      'arxiv:1508.05387',
      'arxiv:1305.4904',
    ]);
    expect(result[0]).toMatchObject({ published: '2014-07-25', categories: ['quant-ph'] });
    expect(result[1]?.note).toContain('studying the papers of Ashoke');
  });

  it('reads a JabRef 5 library with @comment blocks, accents and entries without ids', () => {
    const result = parseBibtex(readReal('bibtex/jabref-5.1-library-issue1641.bib'));
    const list = records(result);
    expect(list.length).toBe(20);
    const bogadottir = list.find((record) => record.citationKey === 'Bogadottir2012');
    expect(bogadottir?.authors[0]).toMatch(/^Ragnhei.*ur Bogadóttir$/);
    // `\-` is LaTeX's discretionary hyphen: it prints nothing unless the line breaks there.
    expect(bogadottir?.title).toBe('Fleece: Imperial metabolism in the preColumbian Andes');
    expect(bogadottir?.venue).toMatch(/^Ecology and Power: Struggles/);
    expect(bogadottir?.id).toBeUndefined();
  });

  it('reads a JabRef library with a DOI url and a file field', () => {
    const list = records(
      parseBibtex(readReal('bibtex/jabref-library-filedirectory-issue1058.bib')),
    );
    expect(list).toHaveLength(2);
    expect(list[0]).toMatchObject({ id: 'doi:10.1007/s10344-009-0327-7', published: '2010' });
    expect(list[0]?.title).toBe(
      'Assessment of methods for estimating wild rabbit population abundance in agricultural landscapes',
    );
    expect(list[1]?.authors).toEqual(['Anabela Afonso', 'Russell Alpizar-Jara']);
  });

  it('reads Better BibTeX JSON, dropping automatic tags and keeping notes as text', () => {
    const list = records(
      parseZoteroJson(readReal('zotero/bbt-json-export-arxiv-items-issue460.json')),
    );
    expect(list.map((record) => record.id)).toEqual([
      'arxiv:1305.4904',
      'arxiv:1508.05387',
      'arxiv:1401.2910',
    ]);
    const sen = list[1];
    expect(sen?.aliases).toEqual(['doi:10.1007/jhep02(2016)087']);
    expect(sen?.tags).toContain('_tablet');
    expect(sen?.note).toMatch(/^27\/03\/16 - overview/);
    expect(sen?.note).not.toContain('<p>');
    expect(list[2]?.authors[0]).toBe('Troels F. Rønnow');
  });

  it('reads Better BibTeX JSON of arXiv, OpenReview and PMLR items', () => {
    const list = records(
      parseZoteroJson(readReal('zotero/bbt-json-export-arxiv-preprints-issue2163.json')),
    );
    expect(list).toHaveLength(12);
    expect(list[0]).toMatchObject({ id: 'arxiv:1910.07512', tags: [] });
    expect(list[1]).toMatchObject({
      id: 'openreview:Hkx7_1rKwS',
      venue: 'International Conference on Learning Representations',
      published: '2019-09-25',
    });
    expect(list[1]?.authors[0]).toBe('Yuanhao Wang');
    expect(list[3]?.id).toBeUndefined();
    expect(list[3]?.tags).toEqual(['Residual Network', 'Supervised Learning']);
  });

  it('reads PaperMemory exports (new and old), with ids from PaperMemory ids and BibTeX', () => {
    const list = records(
      parsePaperMemory(readReal('papermemory/memory-export-3-papers-2022-08.json')),
    );
    expect(list).toHaveLength(3);
    const [acl, arxiv, jmlr] = list;
    expect(acl).toMatchObject({ id: 'acl:2020.acl-main.405', venue: 'ACL', published: '2020' });
    expect(acl?.abstract).toMatch(/^Social biases are encoded/);
    expect(acl?.note).toBe('Accepted @ ACL (2020)');
    expect(arxiv?.id).toBe('arxiv:1703.10593');
    expect(arxiv?.authors).toEqual([
      'Jun-Yan Zhu',
      'Taesung Park',
      'Phillip Isola',
      'Alexei A. Efros',
    ]);
    expect(jmlr?.title).toBeTruthy();
    const old = records(parsePaperMemory(readReal('papermemory/memory-export-2021-11.json')));
    expect(old.map((record) => record.id)).toEqual(['arxiv:1703.10593', 'openreview:EZNOb_uNpJk']);
    expect(old[0]?.title).toBe(
      'Unpaired Image-to-Image Translation using Cycle-Consistent Adversarial Networks',
    );
    expect(old[1]).toMatchObject({ venue: 'ICLR', note: 'Under review @ ICLR  2022 (25/11/2021)' });
  });

  it.each([
    ['bibtex/bbt-bibtex-export-arxiv-items-issue460.bib', 'bibtex'],
    ['bibtex/jabref-5.1-library-issue1641.bib', 'bibtex'],
    ['zotero/bbt-json-export-arxiv-items-issue460.json', 'zotero-json'],
    ['papermemory/memory-export-2021-11.json', 'papermemory'],
    ['papermemory/memory-export-3-papers-2022-08.json', 'papermemory'],
  ])('detects %s as %s', (path, format) => {
    expect(detectFormat(readReal(path), path)).toBe(format);
    expect(parseCitationFile(readReal(path), path).ok).toBe(true);
  });
});

describe('PaperMemory ids', () => {
  it.each([
    ['Arxiv-1703.10593', 'arxiv:1703.10593'],
    ['OR-ICLR-2022_EZNOb_uNpJk', 'openreview:EZNOb_uNpJk'],
    ['ACL-ACL-2020_2020.acl-main.405', 'acl:2020.acl-main.405'],
    ['JMLR-2012_bergstra12a', null],
  ])('%s → %s', (pm, id) => {
    expect(idFromPaperMemory(pm)).toBe(id);
  });
});

describe('CSL-JSON and RIS (documented structure; no real capture in shared/)', () => {
  it('reads CSL-JSON with date-parts, literal names and arXiv numbers', () => {
    const list = records(
      parseCslJson(
        JSON.stringify([
          {
            id: 'vaswani2017attention',
            type: 'article',
            title: 'Attention Is All You Need',
            author: [{ family: 'Vaswani', given: 'Ashish' }, { literal: 'Google Brain' }],
            issued: { 'date-parts': [[2017, 6, 12]] },
            number: 'arXiv:1706.03762',
            DOI: '10.48550/arXiv.1706.03762',
            URL: 'https://arxiv.org/abs/1706.03762',
          },
          { type: 'article' },
        ]),
      ),
    );
    expect(list).toEqual([
      expect.objectContaining({
        id: 'arxiv:1706.03762',
        authors: ['Ashish Vaswani', 'Google Brain'],
        published: '2017-06-12',
        citationKey: 'vaswani2017attention',
      }),
    ]);
  });

  it('reads RIS with continuation lines and several records', () => {
    const ris = [
      'TY  - JOUR',
      'TI  - Attention Is All',
      '  You Need',
      'AU  - Vaswani, Ashish',
      'AU  - Shazeer, Noam',
      'PY  - 2017',
      'UR  - https://arxiv.org/abs/1706.03762',
      'KW  - transformers',
      'ER  - ',
      'TY  - CONF',
      'T1  - A second one',
      'DO  - 10.1000/xyz',
      'ER  - ',
    ].join('\r\n');
    expect(detectFormat(ris)).toBe('ris');
    const list = records(parseRis(ris));
    expect(list[0]).toMatchObject({
      id: 'arxiv:1706.03762',
      title: 'Attention Is All You Need',
      authors: ['Ashish Vaswani', 'Noam Shazeer'],
      tags: ['transformers'],
      published: '2017',
    });
    expect(list[1]).toMatchObject({ id: 'doi:10.1000/xyz', kind: 'CONF' });
  });

  it('rejects what it cannot read with a reason', () => {
    expect(parseCitationFile('hello world')).toMatchObject({ ok: false });
    expect(parseBibtex('@article{x, author = {A}}')).toMatchObject({ ok: false });
    expect(parseRis('nothing')).toMatchObject({ ok: false });
    expect(parseCslJson('{')).toMatchObject({ ok: false });
  });
});
