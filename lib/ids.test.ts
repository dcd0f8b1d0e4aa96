import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  arxivIdFromText,
  idFromDblpKey,
  idFromDoi,
  idFromUrl,
  isCanonicalId,
  paperPageUrl,
  parseId,
} from './ids';

describe('parseId', () => {
  it.each([
    ['2401.01234', 'arxiv:2401.01234'],
    ['2401.01234v3', 'arxiv:2401.01234'],
    ['0704.0001', 'arxiv:0704.0001'],
    ['hep-th/9901001', 'arxiv:hep-th/9901001'],
    ['hep-th/9901001v2', 'arxiv:hep-th/9901001'],
    ['math.GT/0309136', 'arxiv:math.GT/0309136'],
    ['cs/0112017', 'arxiv:cs/0112017'],
    ['arXiv:2408.04000v1', 'arxiv:2408.04000'],
    ['arxiv: 1706.03762', 'arxiv:1706.03762'],
    ['arxiv:2401.01234', 'arxiv:2401.01234'],
    ['https://arxiv.org/abs/2408.04000', 'arxiv:2408.04000'],
    ['https://arxiv.org/abs/2408.04000v2', 'arxiv:2408.04000'],
    ['https://arxiv.org/pdf/2408.04000v1.pdf', 'arxiv:2408.04000'],
    ['https://arxiv.org/pdf/2408.04000', 'arxiv:2408.04000'],
    ['https://arxiv.org/html/2408.04000v1', 'arxiv:2408.04000'],
    ['http://export.arxiv.org/abs/hep-th/9901001v1', 'arxiv:hep-th/9901001'],
    ['https://huggingface.co/papers/2605.13301', 'arxiv:2605.13301'],
    ['https://www.alphaxiv.org/abs/2401.01234', 'arxiv:2401.01234'],
    ['10.48550/arXiv.2401.01234', 'arxiv:2401.01234'],
    ['https://doi.org/10.48550/arXiv.1902.02534', 'arxiv:1902.02534'],
    ['10.1145/3292500.3330701', 'doi:10.1145/3292500.3330701'],
    ['doi:10.1038/NATURE14539', 'doi:10.1038/nature14539'],
    ['https://doi.org/10.1038/Nature14539.', 'doi:10.1038/nature14539'],
    ['https://dx.doi.org/10.1000%2Fabc', 'doi:10.1000/abc'],
    ['10.18653/v1/2023.acl-long.1', 'acl:2023.acl-long.1'],
    ['https://openreview.net/forum?id=YicbFdNTTy', 'openreview:YicbFdNTTy'],
    ['https://openreview.net/pdf?id=YicbFdNTTy', 'openreview:YicbFdNTTy'],
    ['https://aclanthology.org/2023.acl-long.1/', 'acl:2023.acl-long.1'],
    ['https://aclanthology.org/P18-1001.pdf', 'acl:P18-1001'],
    [
      'https://www.semanticscholar.org/paper/Attention-is-All-you-Need-Vaswani/204e3073870fae3d05bcbc2f6a8e263d9b72e776',
      's2:204e3073870fae3d05bcbc2f6a8e263d9b72e776',
    ],
    ['https://dblp.org/rec/journals/corr/abs-1706-03762.html', 'arxiv:1706.03762'],
    ['https://dblp.org/rec/conf/nips/VaswaniSPUJGKP17.html', 'dblp:conf/nips/VaswaniSPUJGKP17'],
    ['dblp:journals/corr/abs-2401-01234', 'arxiv:2401.01234'],
    ['https://dl.acm.org/doi/10.1145/3292500.3330701', 'doi:10.1145/3292500.3330701'],
    [
      'https://www.biorxiv.org/content/10.1101/2020.12.01.406702v2',
      'doi:10.1101/2020.12.01.406702',
    ],
    [
      'https://www.medrxiv.org/content/10.1101/2021.03.04.21252876v1.full.pdf',
      'doi:10.1101/2021.03.04.21252876',
    ],
    ['10.1101/097196', 'doi:10.1101/097196'],
    [
      'https://www.biorxiv.org/content/10.1101/2021.01.01.467690v2.abstract',
      'doi:10.1101/2021.01.01.467690',
    ],
  ])('%s → %s', (input, expected) => {
    expect(parseId(input)).toBe(expected);
  });

  it.each([
    '',
    'hello',
    '2413.01234',
    '1234.5678',
    'javascript:alert(1)',
    'https://example.com/',
    'arxiv:',
    'doi:11.1/x',
    'https://openreview.net/group?id=ICLR.cc',
  ])('rejects %j', (input) => {
    expect(parseId(input)).toBeNull();
  });

  it('finds arXiv ids in running text', () => {
    expect(arxivIdFromText('see arXiv:2106.09608v2 [cs.LG]')).toBe('arxiv:2106.09608');
  });

  it('maps CoRR keys to arXiv and keeps other DBLP keys', () => {
    expect(idFromDblpKey('journals/corr/abs-2106-09608')).toBe('arxiv:2106.09608');
    expect(idFromDblpKey('conf/iclr/SmithJ24')).toBe('dblp:conf/iclr/SmithJ24');
  });

  it('resolves relative links against the page', () => {
    expect(idFromUrl('/abs/2408.04000', 'https://arxiv.org/list/hep-th/new')).toBe(
      'arxiv:2408.04000',
    );
  });

  it('only builds https page URLs', () => {
    expect(paperPageUrl('arxiv:2408.04000')).toBe('https://arxiv.org/abs/2408.04000');
    expect(paperPageUrl('openreview:a b')).toBe('https://openreview.net/forum?id=a%20b');
  });
});

describe('canonical id properties', () => {
  const newStyle = fc
    .tuple(
      fc.integer({ min: 7, max: 30 }),
      fc.integer({ min: 1, max: 12 }),
      fc.integer({ min: 1, max: 99999 }),
      fc.integer({ min: 1, max: 20 }),
    )
    .map(([yy, mm, n, v]) => ({
      bare: `${String(yy).padStart(2, '0')}${String(mm).padStart(2, '0')}.${String(n).padStart(5, '0')}`,
      version: v,
    }));

  it('every spelling of a new-style arXiv id gives the same canonical id', () => {
    fc.assert(
      fc.property(newStyle, ({ bare, version }) => {
        const canonical = `arxiv:${bare}`;
        const spellings = [
          bare,
          `${bare}v${version}`,
          `arXiv:${bare}v${version}`,
          `https://arxiv.org/abs/${bare}v${version}`,
          `https://arxiv.org/pdf/${bare}v${version}.pdf`,
          `https://arxiv.org/html/${bare}v${version}`,
          `10.48550/arXiv.${bare}`,
          `https://doi.org/10.48550/ARXIV.${bare}`,
        ];
        for (const spelling of spellings) expect(parseId(spelling)).toBe(canonical);
      }),
    );
  });

  it('parseId is idempotent and never throws on any string', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), (input) => {
        const id = parseId(input);
        if (id !== null) {
          expect(parseId(id)).toBe(id);
          expect(isCanonicalId(id)).toBe(true);
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('DOIs are case-insensitive', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[a-z0-9./-]{1,30}$/), (suffix) => {
        const doi = `10.1234/${suffix}x`;
        expect(idFromDoi(doi.toUpperCase())).toBe(idFromDoi(doi));
      }),
    );
  });
});
