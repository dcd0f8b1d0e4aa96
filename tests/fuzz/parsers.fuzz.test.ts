/**
 * Every feed and file parser under lib/sync, lib/formats and lib/import, found by name (exported
 * functions called `parse…`, plus the text converters listed below), is fed hostile strings,
 * mutated real captures and pathological documents. Each must return, or throw one of our own
 * typed errors (never a TypeError/RangeError/… from a crash), leave Object.prototype alone, and
 * finish (see hang-guard.ts). A new parser is fuzzed the moment it is exported.
 */
import fc from 'fast-check';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createLedger } from '../durability/ledger';
import { hasShared, REAL_FIXTURES } from '../shared';
import { withinHangGuardAsync } from './hang-guard';
import { hostileString, pathologicalInputs, PAYLOADS } from './hostile';

const ledger = createLedger('fuzz feed and file parsers');
afterAll(() => ledger.save());

const RUNS = 40;

type Parser = (text: string, ...rest: unknown[]) => unknown;

const modules = import.meta.glob<Record<string, unknown>>(
  [
    '../../lib/sync/**/*.ts',
    '../../lib/formats/**/*.ts',
    '../../lib/import/**/*.ts',
    '!**/*.test.ts',
  ],
  { eager: true },
);

/** Text converters that are parsers in all but name. */
const ALSO_FUZZED = new Set(['latexToUnicode', 'htmlToText', 'decodeXmlText']);
/** Extra arguments for parsers that need more than the text. */
const EXTRA_ARGS: Record<string, unknown[]> = {
  parseXml: ['fuzzed body'],
};

const parsers: [string, Parser][] = Object.entries(modules)
  .flatMap(([path, exports]) =>
    Object.entries(exports)
      .filter(
        ([name, value]) =>
          typeof value === 'function' &&
          (/^parse[A-Z]/.test(name) || ALSO_FUZZED.has(name)) &&
          !/^[A-Z]/.test(name),
      )
      .map(([name, value]): [string, Parser] => [
        `${path.replace('../../lib/', '')}#${name}`,
        value as Parser,
      ]),
  )
  .sort(([a], [b]) => a.localeCompare(b));

/** Errors that mean the parser crashed rather than refused the input. */
const CRASH_NAMES = new Set([
  'Error',
  'TypeError',
  'RangeError',
  'ReferenceError',
  'SyntaxError',
  'EvalError',
  'URIError',
  'InternalError',
  'AggregateError',
]);

/** Small well-formed seeds, so mutations reach deep into each grammar even without ../shared. */
const OWN_SEEDS = [
  '[{"id":"2401.01234","title":"A $\\\\alpha$ title","authors":["A. B"],"abstract":"x"}]',
  '{"id":"arxiv:2401.01234","title":"Line one"}\n{"id":"10.1145/1.2","title":"Line two"}',
  '<?xml version="1.0" encoding="UTF-8"?><feed xmlns="http://www.w3.org/2005/Atom"><entry><id>http://arxiv.org/abs/2401.01234v1</id><title>T &amp; U</title><summary>S</summary><author><name>A</name></author><link href="http://arxiv.org/abs/2401.01234v1"/><category term="cs.LG"/></entry></feed>',
  '<?xml version="1.0"?><rss version="2.0"><channel><item><title>T</title><link>https://arxiv.org/abs/2401.01234</link><description>arXiv:2401.01234v1 Announce Type: new Abstract: x</description></item></channel></rss>',
  '<OAI-PMH><ListRecords><record><header><identifier>oai:arXiv.org:2401.01234</identifier><datestamp>2024-01-02</datestamp></header><metadata><arXiv><id>2401.01234</id><title>T</title></arXiv></metadata></record><resumptionToken cursor="0">abc</resumptionToken></ListRecords></OAI-PMH>',
  '@string{jmlr = "JMLR"}\n@article{key1, title={A {\\"o} title}, author={Last, First and Other, A.}, journal=jmlr # " x", year=2020, eprint={2401.01234}, archivePrefix={arXiv}}\n@comment{x}',
  'TY  - JOUR\nTI  - A title\nAU  - Last, First\nDO  - 10.1145/1.2\nER  - \n',
  '[{"id":"x","type":"article-journal","title":"T","author":[{"family":"L","given":"F"}],"DOI":"10.1/2"}]',
]; // prettier-ignore

function realSeeds(): string[] {
  if (!hasShared) return [];
  const dirs = ['arxiv-api', 'arxiv-oai', 'arxiv-rss', 'bibtex', 'huggingface', 'papermemory', 'zotero', 'dblp', 'datacite', 'biorxiv', 'semantic-scholar']; // prettier-ignore
  const seeds: string[] = [];
  for (const dir of dirs) {
    let names: string[] = [];
    try {
      names = readdirSync(join(REAL_FIXTURES, dir));
    } catch {
      continue;
    }
    for (const name of names) {
      const path = join(REAL_FIXTURES, dir, name);
      // Big captures make each run slow without reaching new code paths.
      if (statSync(path).isFile() && statSync(path).size < 40_000) {
        seeds.push(readFileSync(path, 'utf8'));
      }
    }
  }
  return seeds;
}

const SEEDS = [...OWN_SEEDS, ...realSeeds()];

/** A seed cut, spliced with payloads, duplicated and corrupted at random places. */
const mutatedSeed: fc.Arbitrary<string> = fc
  .tuple(
    fc.integer({ min: 0, max: SEEDS.length - 1 }),
    fc.array(
      fc.tuple(
        fc.constantFrom('truncate', 'insert', 'delete', 'duplicate', 'flip'),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        hostileString(4),
      ),
      { minLength: 1, maxLength: 6 },
    ),
  )
  .map(([seedIndex, operations]) => {
    let text = SEEDS[seedIndex] ?? '';
    for (const [kind, at, span, payload] of operations) {
      const start = Math.floor(at * text.length);
      const end = Math.min(text.length, start + Math.floor(span * 200));
      if (kind === 'truncate') text = text.slice(0, start);
      else if (kind === 'insert') text = text.slice(0, start) + payload + text.slice(start);
      else if (kind === 'delete') text = text.slice(0, start) + text.slice(end);
      else if (kind === 'duplicate') text = text.slice(0, end) + text.slice(start, end) + text.slice(end);
      else text = text.slice(0, start) + String.fromCharCode(text.charCodeAt(start) ^ 0x20) + text.slice(start + 1);
    }
    return text;
  }); // prettier-ignore

const input = fc.oneof(
  { weight: 3, arbitrary: mutatedSeed },
  { weight: 1, arbitrary: hostileString(60) },
  { weight: 1, arbitrary: fc.json().map((json) => json) },
);

function isPolluted(): boolean {
  const probe = {} as Record<string, unknown>;
  return probe.polluted !== undefined || Object.keys(Object.prototype).length > 0;
}

/** Calls the parser; a thrown error must be one of ours. Returns what happened, for the ledger. */
async function call(
  name: string,
  parse: Parser,
  text: string,
  document = 'a generated document',
): Promise<'value' | 'typed error'> {
  const short = name.split('#')[1] ?? name;
  const outcome = await withinHangGuardAsync(`${name} on ${document}`, async () =>
    parse(text, ...(EXTRA_ARGS[short] ?? [])),
  );
  if (outcome instanceof Error) {
    expect(
      CRASH_NAMES.has(outcome.name),
      `${name} crashed with ${outcome.name}: ${outcome.message.slice(0, 200)} on ${JSON.stringify(text.slice(0, 120))}`,
    ).toBe(false);
    return 'typed error';
  }
  return 'value';
}

describe('feed and file parsers under hostile input', () => {
  it('finds the parsers to fuzz (a glob that matches nothing would make this suite vacuous)', () => {
    expect(parsers.map(([name]) => name)).toContain('import/paper-file.ts#parsePaperFile');
    ledger.figure('parsers fuzzed', parsers.length);
    ledger.figure('parser names', parsers.map(([name]) => name.split('#')[1]).join(', '));
    ledger.figure('seed documents mutated', SEEDS.length);
  });

  it.each(parsers)(
    '%s returns or throws a typed error on random and mutated input',
    async (name, parse) => {
      await fc.assert(
        fc.asyncProperty(input, async (text) => {
          await call(name, parse, text);
          expect(isPolluted()).toBe(false);
        }),
        // Shrinking re-runs slow parsers on big documents for minutes; the first counterexample is enough.
        { numRuns: RUNS, endOnFailure: true },
      );
      ledger.hostile('mutated and random documents', RUNS);
    },
  );

  it.each(parsers)('%s survives every pathological document', async (name, parse) => {
    for (const { name: document, text } of pathologicalInputs()) {
      await call(name, parse, text, document);
      expect(isPolluted()).toBe(false);
    }
    ledger.hostile('pathological documents', pathologicalInputs().length);
  });

  it.each(parsers)('%s survives every payload alone', async (name, parse) => {
    for (const payload of PAYLOADS) await call(name, parse, payload);
    ledger.hostile('payload strings', PAYLOADS.length);
  });
});
