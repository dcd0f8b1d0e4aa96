/**
 * Damaged answers never escape as untyped errors: every parser either returns records or throws a
 * SyncError (which the runner turns into a message, with nothing written).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hasShared, readReal, SKIP_SHARED_REASON } from '../../tests/shared';
import { parseArxivAtom } from './arxiv-api';
import { parseOaiListRecords } from './arxiv-oai';
import { parseArxivRss } from './arxiv-rss';
import { SyncError } from './errors';
import { parseHfDailyPapers } from './huggingface';
import { parseOpenReviewNotes } from './openreview';
import { parseS2Batch } from './semantic-scholar';

const parsers: [string, (body: string) => unknown, string][] = [
  ['arXiv API', parseArxivAtom, 'arxiv-api/query-search_query-id-1306.3879-2014-03-25.xml'],
  ['arXiv RSS', parseArxivRss, 'arxiv-rss/legacy-rss1-rdf-cs.LG-2023-07-05-empty-holiday.xml'],
  ['OAI-PMH', parseOaiListRecords, 'arxiv-oai/listrecords-arXiv-set-physics-hep-ex-2017-12-14.xml'],
  ['HF', parseHfDailyPapers, 'huggingface/api-papers-2605.13301-2026-05-18.json'],
  [
    'OpenReview',
    parseOpenReviewNotes,
    'semantic-scholar/graph-v1-paper-search-match-2024-12-08.json',
  ],
  [
    'S2',
    (body) => parseS2Batch(body),
    'semantic-scholar/graph-v1-paper-batch-abstract-fields-2024-12-08.json',
  ],
];

function typedOrFine(parse: (body: string) => unknown, body: string): boolean {
  try {
    parse(body);
    return true;
  } catch (error) {
    return error instanceof SyncError;
  }
}

describe.skipIf(!hasShared)(`parsers under damage ${hasShared ? '' : SKIP_SHARED_REASON}`, () => {
  it.each(parsers)(
    '%s: cut, spliced or garbled answers give records or a SyncError',
    (_name, parse, file) => {
      const real = readReal(file);
      fc.assert(
        fc.property(
          fc.nat({ max: real.length }),
          fc.nat({ max: real.length }),
          fc.string({ maxLength: 40 }),
          (cut, at, junk) => {
            const truncated = real.slice(0, cut);
            const spliced = real.slice(0, at) + junk + real.slice(at);
            return typedOrFine(parse, truncated) && typedOrFine(parse, spliced);
          },
        ),
        { numRuns: 150 },
      );
    },
  );

  it.each(parsers)('%s: arbitrary text gives records or a SyncError', (_name, parse) => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.json()), (body) => typedOrFine(parse, body)),
      { numRuns: 200 },
    );
    expect(typedOrFine(parse, '')).toBe(true);
  });
});
