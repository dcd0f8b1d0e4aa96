import { describe, expect, it } from 'vitest';
import { hasShared, readReal, SKIP_SHARED_REASON } from '../../tests/shared';
import { parseArxivAtom } from './arxiv-api';
import { parseOaiListRecords } from './arxiv-oai';
import { parseArxivRss } from './arxiv-rss';
import { SyncError, type SyncErrorKind } from './errors';
import { parseHfDailyPapers, parseHfPaper } from './huggingface';
import { parseOpenReviewNotes } from './openreview';
import { parseS2Batch } from './semantic-scholar';

function kindOf(run: () => unknown): SyncErrorKind | 'no error' | 'untyped' {
  try {
    run();
    return 'no error';
  } catch (error) {
    return error instanceof SyncError ? error.kind : 'untyped';
  }
}

describe.skipIf(!hasShared)(
  `sync parsers on real captures ${hasShared ? '' : SKIP_SHARED_REASON}`,
  () => {
    it('reads the new (2025+) arXiv API Atom layout', () => {
      const page = parseArxivAtom(
        readReal('arxiv-api/query-search_query-all-electron-max10-2025-11-21.xml'),
      );
      expect(page.totalResults).toBe(175141);
      expect(page.papers).toHaveLength(10);
      const first = page.papers[0]!;
      expect(first.id).toBe('arxiv:cond-mat/0011267');
      expect(first.title).toBe(
        'The electronic structure of cuprates from high energy spectroscopy',
      );
      expect(first.authors[0]).toBe('Mark S. Golden');
      expect(first.abstract).toMatch(/^We report studies of the electronic structure/);
      expect(first.abstract).toContain('(1D->2D)');
      expect(first.categories?.[0]).toBe('cond-mat.supr-con');
      expect(first.published).toBe('2000-11-15');
      expect(first.venue).toMatch(/J\. Electron Spectr/);
      expect(first.sources).toEqual(['arxiv-api']);
      expect(new Set(page.papers.map((p) => p.id)).size).toBe(10);
    });

    it('reads the new layout sorted by date (2026 capture)', () => {
      const page = parseArxivAtom(
        readReal(
          'arxiv-api/query-all-transformer-AND-cat-cs.LG-sort-submittedDate-max5-2026-06-14.xml',
        ),
      );
      expect(page.papers).toHaveLength(5);
      for (const paper of page.papers) {
        expect(paper.id).toMatch(/^arxiv:\d{4}\.\d{4,5}$/);
        expect(paper.abstract!.length).toBeGreaterThan(100);
        expect(paper.categories).toContain('cs.LG');
      }
    });

    it('reads the old (2014) layout: inline namespaces, hard-wrapped title and summary', () => {
      const page = parseArxivAtom(
        readReal('arxiv-api/query-search_query-id-1306.3879-2014-03-25.xml'),
      );
      expect(page.totalResults).toBe(1);
      const [paper] = page.papers;
      expect(paper?.id).toBe('arxiv:1306.3879');
      expect(paper?.title).toBe(
        'Chandra View of the Ultra-Steep Spectrum Radio Source in Abell 2443: Merger Shock-Induced Compression of Fossil Radio Plasma?',
      );
      expect(paper?.abstract).toMatch(
        /^We present a new Chandra X-ray observation of the intracluster medium in the galaxy cluster/,
      );
      expect(paper?.authors.slice(0, 2)).toEqual(['T. E. Clarke', 'S. W. Randall']);
    });

    it('reads the RSS 2.0 feed of rss.arxiv.org (2024 and 2026)', () => {
      for (const [file, count] of [
        ['arxiv-rss/rss2-cs.CL-2024-03-05.xml', 91],
        ['arxiv-rss/rss2-cs.CL-2026-08-20.xml', -1],
      ] as const) {
        const feed = parseArxivRss(readReal(file));
        if (count > 0) expect(feed.papers).toHaveLength(count);
        expect(feed.papers.length).toBeGreaterThan(50);
        for (const paper of feed.papers) {
          expect(paper.id).toMatch(/^arxiv:\d{4}\.\d{4,5}$/);
          expect(paper.abstract).toBeTruthy();
          expect(paper.abstract).not.toMatch(/Announce Type|^Abstract:/);
          expect(paper.authors.length).toBeGreaterThan(0);
        }
      }
      const feed = parseArxivRss(readReal('arxiv-rss/rss2-cs.CL-2026-08-20.xml'));
      const first = feed.papers[0]!;
      expect(first).toMatchObject({
        id: 'arxiv:2608.16975',
        title: 'Margin-Regularized Structured Semantic Alignment for Brain-Language Correspondence',
        authors: ['Jiaqi Wang', 'Huawen Hu', 'Shu Zhang'],
        categories: ['cs.CL', 'cs.LG'],
        published: '2026-08-19',
      });
      expect(first.abstract).toMatch(/^With the rapid advancement of large language models/);
    });

    it('reads the legacy RSS 1.0/RDF feed: id suffix removed from titles, escaped HTML unwrapped', () => {
      const feed = parseArxivRss(readReal('arxiv-rss/legacy-rss1-rdf-cs.CL-2023-11-14.xml'));
      expect(feed.papers).toHaveLength(55);
      const first = feed.papers[0]!;
      expect(first.id).toBe('arxiv:2311.05629');
      expect(first.title).toBe(
        'Experimental Evidence on Negative Impact of Generative AI on Scientific Learning Outcomes',
      );
      expect(first.authors).toEqual(['Qirui Ju']);
      expect(first.categories).toEqual(['cs.CY']);
      expect(first.abstract).toMatch(/^In this study, I explored the impact of Generative AI/);
      expect(first.abstract).not.toMatch(/<|&lt;|&quot;/);
      for (const paper of feed.papers) expect(paper.title).not.toMatch(/\(arXiv:|UPDATED\)/);
    });

    it('treats empty weekend and holiday feeds as normal, not as errors', () => {
      expect(
        parseArxivRss(readReal('arxiv-rss/rss2-cs.CL-2026-08-03-empty-weekend.xml')).papers,
      ).toEqual([]);
      expect(
        parseArxivRss(readReal('arxiv-rss/legacy-rss1-rdf-cs.LG-2023-07-05-empty-holiday.xml'))
          .papers,
      ).toEqual([]);
    });

    it('reads OAI-PMH ListRecords in arXiv and arXivRaw formats, with the resumption token', () => {
      const raw = parseOaiListRecords(
        readReal(
          'arxiv-oai/listrecords-arXivRaw-from-2014-10-01-with-resumptionToken-2015-01-06.xml',
        ),
      );
      expect(raw.resumptionToken).toBe('726959|1001');
      expect(raw.completeListSize).toBe(58011);
      expect(raw.cursor).toBe(0);
      expect(raw.papers.length).toBeGreaterThan(1);
      expect(raw.papers[0]).toMatchObject({
        id: 'arxiv:0704.0471',
        authors: ['D.V. Shetty', 'S.J. Yennello', 'G.A. Souliotis'],
        categories: ['nucl-ex', 'nucl-th'],
        published: '2007-04-03',
        aliases: ['doi:10.1103/physrevc.76.024606', 'doi:10.1103/physrevc.76.039902'],
      });
      expect(raw.papers[0]!.abstract).toContain('extremely " stiff " and " soft "');
      expect(raw.lastDatestamp).toMatch(/^2014-|^2015-/);

      const arxiv = parseOaiListRecords(
        readReal('arxiv-oai/listrecords-arXiv-set-physics-hep-th-2017-12-14.xml'),
      );
      expect(arxiv.resumptionToken).toBeUndefined();
      expect(arxiv.lastDatestamp).toBe('2017-12-14');
      expect(arxiv.papers[0]).toMatchObject({
        id: 'arxiv:1412.8323',
        authors: ['Philipp A Hoehn'],
        published: '2014-12-29',
        updated: '2017-12-13',
      });
      expect(arxiv.papers[0]!.title).toBe(
        'Toolbox for reconstructing quantum theory from rules on information acquisition',
      );
      const hepEx = parseOaiListRecords(
        readReal('arxiv-oai/listrecords-arXiv-set-physics-hep-ex-2017-12-14.xml'),
      );
      expect(hepEx.papers).toHaveLength(3);
    });

    it('reports OAI errors: badResumptionToken is typed, noRecordsMatch is an empty page', () => {
      expect(
        kindOf(() =>
          parseOaiListRecords(readReal('arxiv-oai/error-badResumptionToken-2015-06-23.xml')),
        ),
      ).toBe('bad-resumption-token');
      expect(
        parseOaiListRecords(readReal('arxiv-oai/error-noRecordsMatch-2015-06-23.xml')),
      ).toEqual({
        papers: [],
      });
    });

    it('reads HF daily papers and a single HF paper', () => {
      const papers = parseHfDailyPapers(
        readReal('huggingface/api-daily_papers-limit30-2026-06-14.json'),
      );
      expect(papers).toHaveLength(30);
      expect(papers[0]).toMatchObject({ id: 'arxiv:2606.00467', sources: ['huggingface'] });
      expect(papers[0]!.authors[0]).toBe('Etienne Casanova');
      expect(papers[0]!.links?.hf).toBe('https://huggingface.co/papers/2606.00467');
      for (const paper of papers) expect(paper.abstract!.length).toBeGreaterThan(50);

      const one = parseHfPaper(readReal('huggingface/api-papers-2605.13301-2026-05-18.json'));
      expect(one).toMatchObject({
        id: 'arxiv:2605.13301',
        title: 'Achieving Gold-Medal-Level Olympiad Reasoning via Simple and Unified Scaling',
        published: '2026-05-13',
      });
      expect(one?.links?.code).toBe('https://github.com/Simplified-Reasoning/SU-01');
    });

    it('reads an S2 batch answer aligned with the request, skipping nulls, keeping the asked id as alias', () => {
      const requested = ['s2:0000000000000000000000000000000000000001', 'doi:10.2139/ssrn.288970'];
      const papers = parseS2Batch(
        readReal('semantic-scholar/graph-v1-paper-batch-abstract-fields-2024-12-08.json'),
        requested,
      );
      expect(papers).toHaveLength(3);
      expect(papers[0]!.id).toBe('doi:10.2139/ssrn.288970');
      expect(papers[0]!.aliases).toContain('s2:c31c87c591a25c64fbaa82e8ac6a81831b6ac7ce');
      expect(papers.every((paper) => paper.sources[0] === 'semantic-scholar')).toBe(true);
    });
  },
);

describe('OpenReview notes (reconstructed from the documented v2 shape; no real capture exists)', () => {
  const notes = JSON.stringify({
    count: 2,
    notes: [
      {
        id: 'AbCdE12345',
        forum: 'AbCdE12345',
        pdate: Date.UTC(2024, 0, 16),
        content: {
          title: { value: 'A  Venue Paper' },
          abstract: { value: 'We  study things.' },
          authors: { value: ['Ada L.', 'Bo Q.'] },
          venue: { value: 'ICLR 2024 poster' },
          venueid: { value: 'ICLR.cc/2024/Conference' },
        },
      },
      { id: 'noTitle123', forum: 'noTitle123', content: { abstract: { value: 'x' } } },
      { id: 'v1Style999', content: { title: 'Plain v1 title', abstract: 'Old style.' } },
    ],
  });

  it('maps v2 and v1 notes to openreview ids', () => {
    const page = parseOpenReviewNotes(notes);
    expect(page.noteCount).toBe(3);
    expect(page.count).toBe(2);
    expect(page.papers.map((paper) => paper.id)).toEqual([
      'openreview:AbCdE12345',
      'openreview:v1Style999',
    ]);
    expect(page.papers[0]).toMatchObject({
      title: 'A Venue Paper',
      abstract: 'We study things.',
      authors: ['Ada L.', 'Bo Q.'],
      venue: 'ICLR 2024 poster',
      published: '2024-01-16',
    });
  });

  it('types OpenReview errors', () => {
    expect(
      kindOf(() => parseOpenReviewNotes('{"name":"RateLimitError","message":"Too many"}')),
    ).toBe('reported-error');
  });
});
