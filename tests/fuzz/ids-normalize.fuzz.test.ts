/**
 * Fuzzing the id parser and the title normalizer with hostile strings: they return `null` or a
 * well-formed value, never throw, stay idempotent, and finish on pathological input.
 */
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import {
  arxivIdFromBare,
  arxivIdFromText,
  idFromDblpKey,
  idFromDoi,
  idFromUrl,
  isCanonicalId,
  paperPageUrl,
  paperPdfUrl,
  parseId,
} from '../../lib/ids';
import { cleanTitle, decodeEntities, stripLatex, titleKey, titleTokens } from '../../lib/normalize';
import { createLedger } from '../durability/ledger';
import { hostileString, pathologicalInputs, PAYLOADS } from './hostile';
import { withinHangGuard } from './hang-guard';

const ledger = createLedger('fuzz ids and titles');
afterAll(() => ledger.save());

const RUNS = 400;

/** Strings shaped like ids and links, so the fuzzer reaches past the first regex. */
const idLike = fc.oneof(
  hostileString(),
  fc
    .tuple(
      fc.constantFrom(
        'arxiv:', 'arXiv: ', 'doi:', 'https://doi.org/', 'https://arxiv.org/abs/', 'https://arxiv.org/pdf/',
        'http://export.arxiv.org/abs/', 'https://openreview.net/forum?id=', 'https://aclanthology.org/',
        'https://www.semanticscholar.org/paper/x/', 'https://dblp.org/rec/', 'dblp:', 's2:', 'acl:',
        'openreview:', '10.48550/arXiv.', 'https://huggingface.co/papers/', 'javascript:', 'data:', '',
      ),
      fc.oneof(
        fc.constantFrom('2401.01234', '2401.01234v3', 'hep-th/9901001', '10.1145/3292500.3330701',
          'journals/corr/abs-1706-03762', 'YicbFdNTTy', '2023.acl-long.1', 'P18-1001',
          '204e3073870fae3d05bcbc2f6a8e263d9b72e776', '%', '%E0%A4%A', '%2F..%2F', '../../',
          '10.1234/%2541', '10.1234/%252F', '10.1234/a%2Fb'),
        hostileString(6),
      ),
      hostileString(4),
    )
    .map((parts) => parts.join('')),
); // prettier-ignore

const ID_PARSERS: [string, (input: string) => string | null][] = [
  ['parseId', parseId],
  ['idFromUrl', (input) => idFromUrl(input, 'https://arxiv.org/list/cs.LG/new')],
  ['idFromDoi', idFromDoi],
  ['idFromDblpKey', idFromDblpKey],
  ['arxivIdFromText', arxivIdFromText],
  ['arxivIdFromBare', arxivIdFromBare],
];

const KNOWN_PAGE_HOSTS = new Set([
  'arxiv.org',
  'doi.org',
  'openreview.net',
  'aclanthology.org',
  'www.semanticscholar.org',
  'dblp.org',
]);

describe('id parsers under hostile input', () => {
  it.each(ID_PARSERS)('%s returns null or a canonical id, never throws', (_name, parse) => {
    fc.assert(
      fc.property(idLike, (input) => {
        const id = parse(input);
        if (id !== null) expect(id).toMatch(/^(arxiv|doi|openreview|acl|s2|dblp):\S/);
      }),
      { numRuns: RUNS },
    );
    ledger.hostile('id strings', RUNS);
  });

  it('parseId is idempotent: what it returns is itself a canonical id', () => {
    fc.assert(
      fc.property(idLike, (input) => {
        const id = parseId(input);
        if (id !== null) {
          expect(parseId(id)).toBe(id);
          expect(isCanonicalId(id)).toBe(true);
        }
      }),
      { numRuns: RUNS },
    );
    ledger.hostile('id strings', RUNS);
  });

  it('links built from any parsed id are https on the known host, never a script URL', () => {
    fc.assert(
      fc.property(idLike, (input) => {
        const id = parseId(input);
        if (id === null) return;
        for (const link of [paperPageUrl(id), paperPdfUrl(id)]) {
          if (link === null) continue;
          const url = new URL(link);
          expect(url.protocol).toBe('https:');
          expect(KNOWN_PAGE_HOSTS.has(url.hostname)).toBe(true);
        }
      }),
      { numRuns: RUNS },
    );
    ledger.hostile('id strings', RUNS);
  });

  it.each([
    'doi:10.1234/%2541',
    'https://doi.org/10.1234/%252F',
    'https://dl.acm.org/doi/10.1234/%2541',
  ])('a percent sign in a DOI is decoded once, not again on every round trip: %s', (input) => {
    const id = parseId(input);
    expect(id).not.toBeNull();
    expect(parseId(id!)).toBe(id);
  });

  it.each(pathologicalInputs())('every id parser finishes on $name', ({ text }) => {
    for (const [name, parse] of ID_PARSERS) {
      expect(withinHangGuard(name, () => parse(text))).not.toBeInstanceOf(Error);
    }
    ledger.hostile('pathological documents', 1);
  });
});

describe('title normalizer under hostile input', () => {
  const NORMALIZERS: [string, (input: string) => unknown][] = [
    ['titleKey', titleKey],
    ['titleTokens', titleTokens],
    ['cleanTitle', cleanTitle],
    ['decodeEntities', decodeEntities],
    ['stripLatex', stripLatex],
  ];

  it('titleKey is letters and digits only, lower-case, and stable under re-normalization', () => {
    fc.assert(
      fc.property(hostileString(), (input) => {
        const key = titleKey(input);
        expect(key).toMatch(/^[\p{L}\p{N}]*$/u);
        expect(titleKey(key)).toBe(titleKey(titleKey(key)));
        for (const token of titleTokens(input)) expect(token).toMatch(/^[\p{L}\p{N}]+$/u);
      }),
      { numRuns: RUNS },
    );
    ledger.hostile('titles', RUNS);
  });

  it('no payload survives into a title key as markup', () => {
    for (const payload of PAYLOADS) {
      expect(titleKey(`Robust ${payload} learning`)).not.toMatch(/[<>"'&:;=/\\]/);
    }
    ledger.hostile('titles', PAYLOADS.length);
  });

  it('cleanTitle only collapses whitespace and removes descriptors: it never invents markup', () => {
    fc.assert(
      fc.property(hostileString(), (input) => {
        const clean = cleanTitle(input);
        expect(clean).toBe(clean.trim());
        expect(clean).not.toMatch(/\s{2}/);
        // Entities decode to text, so `&lt;` may become `<`; but no '<' appears from nowhere.
        if (!input.includes('<') && !/&(?:lt|#0*60|#x0*3c);/i.test(input)) {
          expect(clean).not.toContain('<');
        }
      }),
      { numRuns: RUNS },
    );
    ledger.hostile('titles', RUNS);
  });

  it.each(pathologicalInputs())('every normalizer finishes on $name', ({ text }) => {
    for (const [name, normalize] of NORMALIZERS) {
      expect(withinHangGuard(name, () => normalize(text))).not.toBeInstanceOf(Error);
    }
    ledger.hostile('pathological documents', 1);
  });
});
