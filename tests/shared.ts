/**
 * Access to the real captures in ../shared (read in place, never copied into this repository).
 * Tests that need them skip with a clear message when ../shared is absent; CI always has it.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const PROJECT_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const SHARED_DIR = process.env.PAPERLIGHT_SHARED ?? resolve(PROJECT_ROOT, '..', 'shared');
export const REAL_FIXTURES = join(SHARED_DIR, 'fixtures', 'real');
export const CORPUS_DIR = join(SHARED_DIR, 'corpus');
export const hasShared = existsSync(REAL_FIXTURES);
export const SKIP_SHARED_REASON = `skipped: ${SHARED_DIR} is absent (real captures are read in place, never copied)`;

if (!hasShared) {
  console.warn(`[paperlight tests] ${SKIP_SHARED_REASON}`);
}

/** Reads a real capture by its path under shared/fixtures/real. */
export function readReal(relativePath: string): string {
  return readFileSync(join(REAL_FIXTURES, relativePath), 'utf8');
}

/** The 292-paper corpus: title line, abstract line, after the word "Subscribe". */
export function readCorpus(): { title: string; abstract: string }[] {
  const text = readFileSync(join(CORPUS_DIR, 'hf-trending-papers.txt'), 'utf8');
  const start = text.indexOf('Subscribe');
  const body = text
    .slice(start < 0 ? 0 : start + 'Subscribe'.length)
    .split(/\r?\n/)
    .filter((line) => line.trim() !== '');
  const papers: { title: string; abstract: string }[] = [];
  for (let index = 0; index + 1 < body.length; index += 2) {
    papers.push({ title: (body[index] ?? '').trim(), abstract: (body[index + 1] ?? '').trim() });
  }
  return papers;
}
