// @vitest-environment jsdom
/**
 * The conventions every site adapter keeps, enforced (refined-github's features.test.ts idea):
 * one file per adapter in lib/sites/, id = file name, registered in lib/sites/index.ts, at most
 * 150 lines, at least two fixture pages with expected output, own example URLs read by itself, in
 * its manifest match patterns, and claimed by no other adapter.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MatchPattern } from 'wxt/utils/match-patterns';
import { adapterFor, adapters, allMatches, genericAdapter } from '../lib/sites';
import type { SiteAdapter } from '../lib/sites/types';
import { PROJECT_ROOT } from './shared';

const NOT_ADAPTERS = new Set(['index', 'types']);
const modules = import.meta.glob<Record<string, unknown>>('../lib/sites/*.ts', { eager: true });
const files = Object.entries(modules)
  .map(([path, module]) => ({ name: /([^/]+)\.ts$/.exec(path)?.[1] ?? path, module }))
  .filter(({ name }) => !NOT_ADAPTERS.has(name) && !name.endsWith('.test'));

const registered: readonly SiteAdapter[] = [...adapters, genericAdapter];
const FIXTURES = join(PROJECT_ROOT, 'tests', 'fixtures', 'sites');

function isAdapter(value: unknown): value is SiteAdapter {
  return (
    typeof value === 'object' &&
    value !== null &&
    'findPapers' in value &&
    'isListing' in value &&
    'examples' in value
  );
}

describe('every adapter file', () => {
  it('exists for every registered adapter, and the other way round', () => {
    expect(files.map(({ name }) => name).sort()).toEqual(registered.map((a) => a.id).sort());
  });

  for (const { name, module } of files) {
    describe(name, () => {
      const exported = Object.values(module).filter(isAdapter);

      it('exports exactly one adapter whose id is the file name, and it is registered', () => {
        expect(exported).toHaveLength(1);
        expect(exported[0]?.id).toBe(name);
        expect(registered).toContain(exported[0]);
      });

      it('stays small: at most 150 lines', () => {
        const lines = readFileSync(join(PROJECT_ROOT, 'lib', 'sites', `${name}.ts`), 'utf8')
          .trimEnd()
          .split('\n').length;
        expect(lines).toBeLessThanOrEqual(150);
      });

      it('has at least two fixtures, each with a page (or a real capture) and its provenance', () => {
        const dir = join(FIXTURES, name);
        const expectedFiles = existsSync(dir)
          ? readdirSync(dir).filter((file) => file.endsWith('.expected.json'))
          : [];
        expect(expectedFiles.length).toBeGreaterThanOrEqual(2);
        for (const file of expectedFiles) {
          const expected = JSON.parse(readFileSync(join(dir, file), 'utf8')) as {
            url?: string;
            real?: string;
            reconstructed?: boolean;
          };
          expect(expected.url, file).toMatch(/^https?:\/\//);
          if (expected.real) continue;
          // A committed page is always ours: never a copied capture.
          expect(expected.reconstructed, file).toBe(true);
          const html = readFileSync(join(dir, file.replace('.expected.json', '.html')), 'utf8');
          expect(html, file).toMatch(/Reconstructed/);
        }
      });
    });
  }
});

describe('example URLs', () => {
  for (const adapter of adapters) {
    it(`${adapter.id}: read by itself, covered by its match patterns, claimed by no other`, () => {
      expect(adapter.examples.listing.length).toBeGreaterThan(0);
      const patterns = adapter.matches.map((pattern) => new MatchPattern(pattern));
      for (const example of adapter.examples.listing) {
        const url = new URL(example);
        expect(adapter.isListing(url), example).toBe(true);
        expect(adapterFor(url), example).toBe(adapter);
        expect(
          patterns.some((pattern) => pattern.includes(url)),
          example,
        ).toBe(true);
        const claimants = adapters.filter((other) => other !== adapter && other.isListing(url));
        expect(
          claimants.map((other) => other.id),
          example,
        ).toEqual([]);
      }
    });
  }

  it('the generic links adapter is not in the manifest and claims no specific site', () => {
    expect(genericAdapter.matches).toEqual([]);
    expect(allMatches().length).toBeGreaterThan(0);
    for (const example of genericAdapter.examples.listing) {
      const url = new URL(example);
      expect(genericAdapter.isListing(url), example).toBe(true);
      expect(adapterFor(url), example).toBeUndefined();
      expect(adapterFor(url, { generic: true }), example).toBe(genericAdapter);
    }
  });

  it('no adapter reads a page that is not a listing of its site', () => {
    const strangers = [
      'https://arxiv.org/',
      'https://arxiv.org/help/api',
      'https://huggingface.co/models',
      'https://openreview.net/profile?id=~Someone1',
      'https://scholar.google.com/intl/en/scholar/about.html',
      'https://www.semanticscholar.org/about',
      'https://aclanthology.org/faq/',
      'https://dblp.org/faq/',
      'https://proceedings.neurips.cc/',
      'https://proceedings.mlr.press/',
      'https://openaccess.thecvf.com/menu',
      'https://www.biorxiv.org/about-biorxiv',
    ];
    for (const stranger of strangers) {
      expect(adapterFor(new URL(stranger))?.id, stranger).toBeUndefined();
    }
  });
});
