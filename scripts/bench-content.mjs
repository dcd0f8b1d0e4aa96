#!/usr/bin/env node
/**
 * Content-script main-thread time on a 2,000-entry arXiv listing, in Debian's Chromium.
 * The content script's own modules (lib/sites, lib/page-scanner, lib/annotate) are bundled with
 * esbuild and run in a served page with the look-up answered at once, so only our DOM work is
 * timed: detection (adapter.findPapers), a full scan up to the look-up, and each animation-frame
 * batch of annotation. Forced layouts are counted from a Chromium trace: a `Layout` event inside
 * one of our animation-frame callbacks means the write path read layout.
 *
 *   node scripts/bench-content.mjs            prints a table
 *   import { benchContent } from './bench-content.mjs'   → rows {scenario, size, median, p95}
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { chromium } from 'playwright-core';

const ROOT = join(fileURLToPath(import.meta.url), '..', '..');
const CHROMIUM = process.env.PAPERLIGHT_CHROMIUM ?? '/usr/bin/chromium';

/** The arXiv /new markup of NOTES.md §1a, `size` entries with abstracts and some $TeX$. */
function arxivPage(size) {
  const entries = [];
  for (let i = 1; i <= size; i += 1) {
    const id = `2408.${String(10000 + i)}`;
    entries.push(`<dt><a name='item${i}'>[${i}]</a>
  <a href ="/abs/${id}" title="Abstract" id="${id}">arXiv:${id}</a>
  [<a href="/pdf/${id}" title="Download PDF" id="pdf-${id}">pdf</a>, <a href="/format/${id}" title="Other formats" id="oth-${id}">other</a>]</dt>
<dd><div class='meta'>
  <div class='list-title mathjax'><span class='descriptor'>Title:</span>
    Scaling ${i % 7 === 0 ? '$k$-sparse ' : ''}models of type ${i} for long-context retrieval
  </div>
  <div class='list-authors'><a href="/a/1">Ada Quill</a>, <a href="/a/2">Ben Ortega</a>, <a href="/a/3">Chen Wu</a></div>
  <div class='list-subjects'><span class='descriptor'>Subjects:</span> <span class="primary-subject">Machine Learning (cs.LG)</span></div>
  <p class='mathjax'>We study routing in sparse mixtures of experts for contexts beyond one million tokens, entry ${i}.</p>
</div></dd>`);
  }
  return `<!doctype html><html><head><title>cs.LG new</title></head><body><div id='dlpage'>
<h1>Machine Learning</h1><dl id='articles'><h3>New submissions (showing ${size} of ${size} entries)</h3>
${entries.join('\n')}</dl></div><script src="/bench.js"></script></body></html>`;
}

const HARNESS = `
import { adapterFor } from './lib/sites';
import { Annotator } from './lib/annotate';
import { PageScanner } from './lib/page-scanner';
window.paperlightBench = {
  detect() {
    const url = new URL(location.href);
    const adapter = adapterFor(url);
    const start = performance.now();
    const papers = adapter.findPapers(document, url);
    return { ms: performance.now() - start, entries: papers.length };
  },
  async scanAndAnnotate() {
    const frames = [];
    let scanMs = 0;
    const annotator = new Annotator({
      document,
      // Times each batch: the work a frame callback does.
      schedule: (callback) => requestAnimationFrame(() => {
        const start = performance.now();
        callback();
        frames.push(performance.now() - start);
      }),
      onToggleSave: () => {},
    });
    let lookupStarted = 0;
    const scanner = new PageScanner({
      root: document,
      url: () => new URL(location.href),
      adapterFor: (url) => adapterFor(url),
      lookup: async (entries) => {
        scanMs = performance.now() - lookupStarted;
        return entries.map((entry) => ({ ref: entry.ref, id: entry.ids[0], matched: entry.ref % 3 === 0, confidence: 1, saved: false }));
      },
      annotator,
      isValid: () => true,
      onError: (error) => { throw error; },
    });
    lookupStarted = performance.now();
    await scanner.scan();
    await annotator.badgesDone();
    const badges = document.querySelectorAll('paperlight-badge').length;
    annotator.clear();
    return { scanMs, frames, badges };
  },
};

/**
 * The content script as the extension runs it on a fresh navigation (?at=end: document_end, i.e.
 * when the parser is done; ?at=idle: document_idle, after the load event), every step stamped in
 * ms since navigation start. The look-up answers at once: the background's share is benched apart.
 */
function runLikeContentScript() {
  const stamps = {};
  const stamp = (name) => { stamps[name] = performance.now(); };
  window.paperlightE2E = new Promise((resolve) => {
    const start = async () => {
      stamp('scriptStart');
      const annotator = new Annotator({
        document,
        schedule: (callback) => requestAnimationFrame(callback),
        onToggleSave: () => {},
      });
      const scanner = new PageScanner({
        root: document,
        url: () => new URL(location.href),
        adapterFor: (url) => adapterFor(url),
        lookup: async (entries) => {
          stamp('detected');
          await Promise.resolve();
          stamp('reply');
          return entries.map((entry) => ({ ref: entry.ref, id: entry.ids[0], matched: entry.ref % 3 === 0, confidence: 1, saved: false }));
        },
        annotator,
        isValid: () => true,
        onError: (error) => { throw error; },
      });
      await scanner.scan();
      stamp('written');
      // The longest gap between frames from here until every badge is drawn (the page's jank).
      let last = performance.now();
      let longestFrame = 0;
      let watching = true;
      const watch = () => {
        const now = performance.now();
        longestFrame = Math.max(longestFrame, now - last);
        last = now;
        if (watching) requestAnimationFrame(watch);
      };
      requestAnimationFrame(watch);
      // The next frame's callbacks run once the frame holding the last batch was rendered: every
      // entry's attributes and the badges near the viewport; the others follow a batch per frame.
      requestAnimationFrame(async () => {
        stamp('drawn');
        await annotator.badgesDone();
        requestAnimationFrame(() => {
          stamp('allDrawn');
          watching = false;
          stamps.longestFrame = longestFrame;
          const navigation = performance.getEntriesByType('navigation')[0];
          stamps.domContentLoaded = navigation.domContentLoadedEventStart;
          stamps.load = navigation.loadEventStart;
          stamps.badges = document.querySelectorAll('paperlight-badge').length;
          resolve(stamps);
        });
      });
    };
    const at = new URL(location.href).searchParams.get('at');
    if (at === 'end') document.addEventListener('DOMContentLoaded', start, { once: true });
    else if (at === 'idle') window.addEventListener('load', () => setTimeout(start), { once: true });
  });
}
runLikeContentScript();
`;

function stats(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
  return { median: +at(0.5).toFixed(2), p95: +at(0.95).toFixed(2) };
}

/** Rows {scenario, size, median, p95} (milliseconds, except the layout count). */
export async function benchContent({ size = 2000, runs = 15 } = {}) {
  const bundle = await build({
    stdin: { contents: HARNESS, resolveDir: ROOT, loader: 'ts' },
    bundle: true,
    write: false,
    format: 'iife',
    target: 'chrome120',
    logLevel: 'silent',
  });
  const js = bundle.outputFiles[0].text;
  const html = arxivPage(size);
  const profile = mkdtempSync(join(tmpdir(), 'paperlight-bench-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
  });
  try {
    await context.route('https://arxiv.org/**', (route) =>
      route.request().url().endsWith('/bench.js')
        ? route.fulfill({ body: js, contentType: 'text/javascript' })
        : route.fulfill({ body: html, contentType: 'text/html; charset=utf-8' }),
    );
    const page = await context.newPage();
    const detect = [];
    const scan = [];
    const frameMax = [];
    const frameTotal = [];
    let forcedLayouts = 0;
    const cdp = await context.newCDPSession(page);
    for (let run = 0; run < runs; run += 1) {
      await page.goto('https://arxiv.org/list/cs.LG/new');
      const found = await page.evaluate(() => globalThis.paperlightBench.detect());
      if (found.entries !== size) throw new Error(`detected ${found.entries} of ${size}`);
      detect.push(found.ms);
      const traced = run === runs - 1;
      const events = [];
      if (traced) {
        cdp.on('Tracing.dataCollected', ({ value }) => events.push(...value));
        await cdp.send('Tracing.start', {
          categories: 'devtools.timeline',
          transferMode: 'ReportEvents',
        });
      }
      const result = await page.evaluate(() => globalThis.paperlightBench.scanAndAnnotate());
      if (result.badges !== size) throw new Error(`annotated ${result.badges} of ${size}`);
      scan.push(result.scanMs);
      frameMax.push(Math.max(...result.frames));
      frameTotal.push(result.frames.reduce((sum, ms) => sum + ms, 0));
      if (traced) {
        const done = new Promise((resolve) => cdp.once('Tracing.tracingComplete', resolve));
        await cdp.send('Tracing.end');
        await done;
        const frames = events.filter((event) => event.name === 'FireAnimationFrame' && event.dur);
        forcedLayouts = events.filter(
          (event) =>
            event.name === 'Layout' &&
            frames.some((frame) => event.ts >= frame.ts && event.ts <= frame.ts + frame.dur),
        ).length;
      }
    }
    const endToEnd = [];
    for (const at of ['idle', 'end']) {
      const fromNavigation = [];
      const fromLoaded = [];
      const allFromLoaded = [];
      const longestFrame = [];
      const steps = {};
      for (let run = 0; run < Math.ceil(runs / 2); run += 1) {
        // A fresh page each run: navigation start → badges is the figure the issue names.
        const fresh = await context.newPage();
        await fresh.goto(`https://arxiv.org/list/cs.LG/new?at=${at}`, {
          waitUntil: 'domcontentloaded',
        });
        const stamps = await fresh.evaluate(() => globalThis.paperlightE2E);
        await fresh.close();
        if (stamps.badges !== size) throw new Error(`annotated ${stamps.badges} of ${size}`);
        fromNavigation.push(stamps.drawn);
        fromLoaded.push(stamps.drawn - stamps.domContentLoaded);
        allFromLoaded.push(stamps.allDrawn - stamps.domContentLoaded);
        longestFrame.push(stamps.longestFrame);
        for (const [name, ms] of Object.entries(stamps)) (steps[name] ??= []).push(ms);
      }
      const label = at === 'end' ? 'document_end' : 'document_idle';
      endToEnd.push(
        {
          scenario: `content e2e (${label}): navigation start → every entry annotated, badges near the viewport drawn`,
          size,
          ...stats(fromNavigation),
        },
        {
          scenario: `content e2e (${label}): page loaded (DOMContentLoaded) → every entry annotated, badges near the viewport drawn`,
          size,
          ...stats(fromLoaded),
        },
        {
          scenario: `content e2e (${label}): page loaded (DOMContentLoaded) → every badge drawn`,
          size,
          ...stats(allFromLoaded),
        },
        {
          scenario: `content e2e (${label}): longest frame from the look-up reply to every badge drawn`,
          size,
          ...stats(longestFrame),
        },
      );
      if (process.env.PAPERLIGHT_BENCH_STEPS === '1') {
        const medians = Object.fromEntries(
          Object.entries(steps).map(([name, values]) => [name, stats(values).median]),
        );
        console.log(label, 'median ms since navigation start:', medians);
      }
    }
    return [
      ...endToEnd,
      { scenario: 'content: detect arXiv /new (findPapers)', size, ...stats(detect) },
      { scenario: 'content: scan until look-up (detect + entries)', size, ...stats(scan) },
      { scenario: 'content: annotation, longest rAF batch', size, ...stats(frameMax) },
      { scenario: 'content: annotation, all rAF batches', size, ...stats(frameTotal) },
      {
        scenario: 'content: forced layouts in annotation (count)',
        size,
        median: forcedLayouts,
        p95: forcedLayouts,
        unit: 'count',
      },
    ];
  } finally {
    await context.close();
    rmSync(profile, { recursive: true, force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const rows = await benchContent();
  console.table(rows);
}
