#!/usr/bin/env node
/**
 * The whole test suite, as `npm test` and CI run it: static checks (tsc, eslint, prettier), unit
 * tests, a production build, and the end-to-end tests in Debian's Chromium. Ends with one plain
 * line "N passed, N failed, N skipped" counting every test, and exits non-zero on any failure.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const results = join(process.cwd(), 'test-results');
mkdirSync(results, { recursive: true });
const totals = { passed: 0, failed: 0, skipped: 0 };

function run(label, command, args, env = {}) {
  console.log(`\n▶ ${label}: ${command} ${args.join(' ')}`);
  const started = Date.now();
  const child = spawnSync(command, args, { stdio: 'inherit', env: { ...process.env, ...env } });
  console.log(
    `◀ ${label}: ${child.status === 0 ? 'ok' : `exit ${child.status}`} in ${((Date.now() - started) / 1000).toFixed(1)} s`,
  );
  return child.status === 0;
}

/** A check that is not a test runner counts as one test. */
function check(label, command, args) {
  if (run(label, command, args)) totals.passed += 1;
  else totals.failed += 1;
}

function vitest(label, args, reportName) {
  const report = join(results, `${reportName}.json`);
  rmSync(report, { force: true });
  const ok = run(label, 'npx', [
    'vitest',
    'run',
    ...args,
    '--reporter=default',
    '--reporter=json',
    `--outputFile=${report}`,
  ]);
  if (!existsSync(report)) {
    totals.failed += 1; // the runner itself crashed
    return;
  }
  const summary = JSON.parse(readFileSync(report, 'utf8'));
  totals.passed += summary.numPassedTests;
  totals.failed += summary.numFailedTests;
  totals.skipped += summary.numPendingTests + summary.numTodoTests;
  // A failing suite (import error, hook failure) has no failed test of its own: count it.
  const brokenSuites = summary.testResults.filter(
    (file) => file.status === 'failed' && file.assertionResults.every((t) => t.status !== 'failed'),
  ).length;
  totals.failed += brokenSuites;
  if (!ok && summary.numFailedTests === 0 && brokenSuites === 0) totals.failed += 1;
}

check('typecheck', 'npx', ['tsc', '--noEmit']);
check('lint', 'npx', ['eslint', '.', '--max-warnings', '0']);
check('format', 'npx', ['prettier', '--check', '.']);
vitest('unit tests', [], 'unit');
const built = run('build', 'npx', ['wxt', 'build']);
if (built) {
  totals.passed += 1;
  if (!existsSync(process.env.PAPERLIGHT_CHROMIUM ?? '/usr/bin/chromium')) {
    console.warn(
      '\n⚠ /usr/bin/chromium is missing: end-to-end tests will be skipped (apt-get install chromium).',
    );
  }
  vitest('end-to-end tests', ['--config', 'vitest.e2e.config.ts'], 'e2e');
  // Renders docs/RELIABILITY.md from what the trust tests recorded; fails if any row was lost.
  check('reliability report', 'node', ['scripts/reliability-report.mjs']);
} else {
  totals.failed += 1;
}

console.log(`\n${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
process.exit(totals.failed === 0 ? 0 : 1);
