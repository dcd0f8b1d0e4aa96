#!/usr/bin/env node
/**
 * `npm run bench`: the matcher and the index at 10k / 100k / 1M papers, in real Chromium
 * (/usr/bin/chromium through playwright-core, the extension built into its own folder with the
 * bench page), plus the labelled accuracy set in Node at 100k and 1M. Prints a table and writes
 * docs/benchmarks.json and docs/benchmarks.md with the machine it ran on.
 *
 * Options (env): BENCH_SIZES=10000,100000,1000000  BENCH_ACCURACY_SIZES=100000,1000000
 *                BENCH_FUSE_CAP_MS=15000  PAPERLIGHT_CHROMIUM=/usr/bin/chromium
 *                BENCH_OUT_DIR=docs (partial runs during development write elsewhere, e.g. /tmp/x)
 *                BENCH_PAGE_ONLY=1 (after the imports, only the end-to-end arXiv page rows, at the
 *                largest size) BENCH_PAGE_RUNS=3 (runs of that page)
 *                BENCH_IMPORT_ONLY=1 (only the import rows: throughput and disk per paper)
 *                BENCH_ALL_MARKS=1 (logs every timeline mark of each page load, not the first of each)
 */
// Callbacks passed to page.evaluate run in the browser.
/* global window, document, requestAnimationFrame, chrome */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { tsImport } from 'tsx/esm/api';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const SHARED = process.env.PAPERLIGHT_SHARED ?? resolve(ROOT, '..', 'shared');
const SIZES = (process.env.BENCH_SIZES ?? '10000,100000,1000000').split(',').map(Number);
const ACCURACY_SIZES = (process.env.BENCH_ACCURACY_SIZES ?? '100000,1000000')
  .split(',')
  .filter(Boolean)
  .map(Number);
const FUSE_CAP_MS = Number(process.env.BENCH_FUSE_CAP_MS ?? 15_000);
const FUSE_SIZES = [10_000, 100_000];
const CHROMIUM = process.env.PAPERLIGHT_CHROMIUM ?? '/usr/bin/chromium';
const OUT_DIR = resolve(ROOT, process.env.BENCH_OUT_DIR ?? 'docs');
const PAGE_ONLY = process.env.BENCH_PAGE_ONLY === '1';
const PAGE_RUNS = Number(process.env.BENCH_PAGE_RUNS ?? 3);
const IMPORT_ONLY = process.env.BENCH_IMPORT_ONLY === '1';
const began = Date.now();

const log = (...parts) =>
  console.log(`[bench ${((Date.now() - began) / 1000).toFixed(0)}s]`, ...parts);
const sorted = (values) => [...values].sort((a, b) => a - b);
const median = (values) => sorted(values)[Math.floor(values.length / 2)] ?? NaN;
const p95 = (values) =>
  sorted(values)[Math.min(values.length - 1, Math.ceil(values.length * 0.95) - 1)] ?? NaN;
const round = (value, digits = 2) =>
  Number.isFinite(value) ? Number(value.toFixed(digits)) : null;

const rows = [];
/**
 * The service worker's heap through CDP (performance.memory does not exist in workers): a page's
 * CDP session attaches to the worker target and relays Runtime.getHeapUsage after a GC.
 */
async function workerHeap(session, page) {
  const cdp = await session.context.newCDPSession(page);
  try {
    const { targetInfos } = await cdp.send('Target.getTargets');
    const worker = targetInfos.find(
      (target) => target.type === 'service_worker' && target.url.includes(session.extensionId),
    );
    if (!worker) throw new Error('No service worker to measure.');
    const { sessionId } = await cdp.send('Target.attachToTarget', {
      targetId: worker.targetId,
      flatten: false,
    });
    const replies = new Map();
    cdp.on('Target.receivedMessageFromTarget', (event) => {
      const message = JSON.parse(event.message);
      replies.get(message.id)?.(message.result);
    });
    let next = 1;
    const call = (method) =>
      new Promise((resolve) => {
        const id = next++;
        replies.set(id, resolve);
        void cdp.send('Target.sendMessageToTarget', {
          sessionId,
          message: JSON.stringify({ id, method, params: {} }),
        });
      });
    await call('HeapProfiler.collectGarbage');
    return await call('Runtime.getHeapUsage');
  } finally {
    await cdp.detach();
  }
}

/** One result row: times in ms unless `unit` says otherwise. */
function record(scenario, size, values, extra = {}) {
  const row = {
    scenario,
    size,
    median: round(median(values), 3),
    p95: round(p95(values), 3),
    runs: values.length,
    unit: 'ms',
    ...extra,
  };
  if (row.baseline !== undefined && row.median) row.ratio = round(row.baseline / row.median, 0);
  rows.push(row);
  log(
    scenario,
    size,
    `median ${row.median} ${row.unit}`,
    row.baseline ? `baseline ${row.baseline}` : '',
  );
  return row;
}

function machine() {
  const cpus = os.cpus();
  let chromium = '';
  try {
    chromium = execFileSync(CHROMIUM, ['--version'], { encoding: 'utf8' }).trim();
  } catch {
    chromium = 'unknown';
  }
  return {
    cpu: `${cpus.length} × ${cpus[0]?.model ?? 'unknown'}`,
    memoryGiB: round(os.totalmem() / 2 ** 30, 1),
    os: `${os.type()} ${os.release()}`,
    node: process.version,
    chromium,
    loadAverageAtStart: os.loadavg().map((value) => round(value, 1)),
    date: new Date().toISOString(),
  };
}

/** Real titles and abstracts from ../shared (read in place), as seeds for the generator. */
async function seeds() {
  const { titlesFromFeed } = await tsImport('./bench/corpus.ts', import.meta.url);
  const text = readFileSync(join(SHARED, 'corpus', 'hf-trending-papers.txt'), 'utf8');
  const start = text.indexOf('Subscribe');
  const lines = text
    .slice(start < 0 ? 0 : start + 'Subscribe'.length)
    .split(/\r?\n/)
    .filter((line) => line.trim() !== '');
  const titles = [];
  const abstracts = [];
  for (let index = 0; index + 1 < lines.length; index += 2) {
    titles.push(lines[index].trim());
    abstracts.push(lines[index + 1].trim());
  }
  for (const folder of ['arxiv-rss', 'arxiv-api']) {
    const dir = join(SHARED, 'fixtures', 'real', folder);
    for (const file of readdirSync(dir))
      titles.push(...titlesFromFeed(readFileSync(join(dir, file), 'utf8')));
  }
  return { titles, abstracts };
}

function accuracy(size) {
  log(`accuracy in Node at ${size} papers…`);
  const run = spawnSync(
    process.execPath,
    ['--import', 'tsx', join(ROOT, 'scripts/bench/accuracy.ts'), String(size)],
    {
      cwd: ROOT,
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
    },
  );
  if (run.status !== 0) throw new Error(`accuracy ${size} failed: ${run.stderr}`);
  const result = JSON.parse(run.stdout.trim().split('\n').pop());
  record('fuzzy fallback per title (Node, typo/truncated/dropped)', size, [result.fuzzyPerTitleMs]);
  record('absent title per title (Node, exact miss → fuzzy → none)', size, [
    result.absentPerTitleMs,
  ]);
  return result;
}

/** A 2,000-entry arXiv listing; with `abstracts`, the /new kind that shows each entry's abstract. */
function arxivPage(entries, abstracts = null) {
  const escape = (text) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;');
  const items = entries
    .map((entry, index) => {
      const id = entry.ids[0]?.replace(/^arxiv:/, '') ?? `2412.${String(index).padStart(5, '0')}`;
      return `<dt><a name="item${index + 1}">[${index + 1}]</a> <a href="/abs/${id}" title="Abstract" id="${id}">arXiv:${id}</a> [<a href="/pdf/${id}" title="Download PDF" id="pdf-${id}">pdf</a>]</dt>
<dd><div class="meta"><div class="list-title mathjax"><span class="descriptor">Title:</span> ${escape(entry.title)}</div>
<div class="list-authors"><a href="https://arxiv.org/search/cs?searchtype=author&amp;query=Doe,+J">J. Doe</a>, <a href="#">A. Roe</a></div>
<div class="list-subjects"><span class="descriptor">Subjects:</span> <span class="primary-subject">Machine Learning (cs.LG)</span></div></div>${abstracts ? `\n<p class="mathjax">${escape(abstracts[index % abstracts.length])}</p>` : ''}</dd>`;
    })
    .join('\n');
  return `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Machine Learning</title></head><body>
<div id="dlpage"><h1>Machine Learning</h1><h3>Authors and titles for recent submissions</h3>
<div class="paging">Total of ${entries.length} entries</div>
<dl id="articles">
${items}
</dl></div></body></html>`;
}

/**
 * The bench build's marks (lib/timeline.ts) of one page load, in ms after DOMContentLoaded: the
 * content script's from the page's timeline, the service worker's from its own (its origin is the
 * worker's start, shown as `worker:start`), mapped onto one clock. Zero is the start of the
 * DOMContentLoaded event.
 */
async function pageTimeline(page, worker) {
  const pageSide = await page.evaluate(() => ({
    origin: performance.timeOrigin,
    loaded: performance.getEntriesByType('navigation')[0]?.domContentLoadedEventStart ?? NaN,
    marks: performance
      .getEntriesByType('mark')
      .filter((entry) => entry.name.startsWith('paperlight:'))
      .map((entry) => [entry.name.slice('paperlight:'.length), entry.startTime]),
  }));
  const workerSide = await worker.evaluate(() => ({
    origin: performance.timeOrigin,
    marks: performance
      .getEntriesByType('mark')
      .filter((entry) => entry.name.startsWith('paperlight:'))
      .map((entry) => [entry.name.slice('paperlight:'.length), entry.startTime]),
  }));
  const zero = pageSide.origin + pageSide.loaded;
  if (process.env.BENCH_ALL_MARKS === '1') {
    console.log(
      'page marks:',
      pageSide.marks
        .map(([name, at]) => `${name} ${Math.round(pageSide.origin + at - zero)}`)
        .join(', '),
    );
    console.log(
      'worker marks:',
      workerSide.marks
        .map(([name, at]) => `${name} ${Math.round(workerSide.origin + at - zero)}`)
        .join(', '),
    );
  }
  const timeline = {};
  // The first of each name: a rescan or a second message adds more of the same.
  const add = (name, at) => {
    if (!(name in timeline)) timeline[name] = at - zero;
  };
  for (const [name, at] of pageSide.marks) add(name, pageSide.origin + at);
  add('worker:start', workerSide.origin);
  for (const [name, at] of workerSide.marks) add(name, workerSide.origin + at);
  return timeline;
}

/** The marks the page row's note shows (the log line has them all). */
const KEY_MARKS = [
  'worker:start',
  'worker:matchSourceLoaded',
  'page:firstFrameDrawn',
  'content:parsed',
  'content:scan',
  'content:lookupSent',
  'worker:received:lookupEntries',
  'worker:replied:lookupEntries',
  'content:lookupAnswered',
  'content:annotated',
];

/** Median of each mark over the runs, in time order, e.g. "content:start +12". */
function timelineSummary(timelines, only = null) {
  const names = [...new Set(timelines.flatMap((timeline) => Object.keys(timeline)))].filter(
    (name) => !only || only.includes(name),
  );
  return names
    .map((name) => [name, median(timelines.flatMap((t) => (name in t ? [t[name]] : [])))])
    .sort((a, b) => a[1] - b[1])
    .map(([name, ms]) => `${name} ${ms >= 0 ? '+' : ''}${round(ms, 0)}`)
    .join(', ');
}

async function browserBench(seed, results) {
  const outDir = mkdtempSync(join(os.tmpdir(), 'paperlight-bench-build-'));
  log('building the extension with the bench page…');
  execFileSync('npx', ['wxt', 'build'], {
    cwd: ROOT,
    env: { ...process.env, WXT_PAPERLIGHT_BENCH: '1', PAPERLIGHT_OUT_DIR: outDir },
    stdio: 'ignore',
  });
  const { launch, killServiceWorker, serve } = await tsImport(
    '../tests/e2e/harness.ts',
    import.meta.url,
  );
  const session = await launch({ extensionDir: join(outDir, 'chrome-mv3') });
  try {
    const bench = await session.context.newPage();
    await bench.goto(`chrome-extension://${session.extensionId}/bench.html`);
    await bench.waitForFunction(() => 'paperlightBench' in window);
    await bench.evaluate((input) => window.paperlightBench.setup(input), seed);
    await bench.evaluate(() => window.paperlightBench.clear());
    const emptyUsage = await bench.evaluate(() => window.paperlightBench.storage());
    const sleep = (ms) => new Promise((done) => setTimeout(done, ms));
    // Chrome stops an idle worker after 30 s (the Fuse.js baseline alone can take that long), and
    // evaluating in a stopped one never returns: wake it with a message, then use a live one.
    const worker = async () => {
      for (let attempt = 0; attempt < 100; attempt += 1) {
        await bench.evaluate(() =>
          chrome.runtime.sendMessage({ type: 'getIndexStats', payload: {} }),
        );
        const sw = session.context.serviceWorkers().at(-1);
        const ready = sw
          ? await Promise.race([
              sw.evaluate(() => '__paperlightBench' in globalThis).catch(() => false),
              sleep(2000).then(() => false),
            ])
          : false;
        if (ready) return sw;
        await sleep(100);
      }
      throw new Error('The service worker did not start.');
    };
    const inWorker = async (queries, runs, cold) => {
      const sw = await worker();
      return sw.evaluate(
        async ([list, count, drop]) => {
          if (drop) globalThis.__paperlightBench.drop();
          return globalThis.__paperlightBench.match(list, count);
        },
        [queries, runs, cold],
      );
    };

    /**
     * Loads `url` PAGE_RUNS times in a new tab with the worker stopped: when every entry has its
     * attributes and every badge is drawn (ms after navigation start and after DOMContentLoaded),
     * and the page timeline of each run.
     */
    const pageRuns = async (url) => {
      const times = [];
      const afterLoaded = [];
      const badgedAfterLoaded = [];
      const timelines = [];
      for (let run = 0; run < PAGE_RUNS; run += 1) {
        await killServiceWorker(session);
        await new Promise((done) => setTimeout(done, 300));
        const page = await session.context.newPage();
        await page.addInitScript(() => {
          // The page's own first frame after DOMContentLoaded (style and layout of the whole
          // listing): its end is the start of the next frame. A look-up reply waits for it.
          document.addEventListener('DOMContentLoaded', () =>
            requestAnimationFrame(() =>
              requestAnimationFrame(() => performance.mark('paperlight:page:firstFrameDrawn')),
            ),
          );
          // Attributes go on every entry at once; badges away from the viewport follow in batches.
          const tick = () => {
            const done = document.querySelectorAll('[data-paperlight-entry]').length;
            if (done >= 2000) window.__annotatedAt ??= performance.now();
            if (document.querySelectorAll('paperlight-badge').length >= 2000)
              window.__badgedAt = performance.now();
            else requestAnimationFrame(tick);
          };
          requestAnimationFrame(tick);
        });
        await page.goto(url);
        await page.waitForFunction(() => window.__badgedAt !== undefined, null, {
          timeout: 60_000,
        });
        const [annotatedAt, badgedAt, loadedAt] = await page.evaluate(() => [
          window.__annotatedAt,
          window.__badgedAt,
          // The event's start: the content script scans in a DOMContentLoaded listener, so
          // the event's end would leave the scan out.
          performance.getEntriesByType('navigation')[0]?.domContentLoadedEventStart ?? NaN,
        ]);
        times.push(annotatedAt);
        afterLoaded.push(annotatedAt - loadedAt);
        badgedAfterLoaded.push(badgedAt - loadedAt);
        // Wait for relevance (asked after the badges) so its marks are in, within reason.
        await page
          .waitForFunction(
            () =>
              performance
                .getEntriesByType('mark')
                .some((entry) => entry.name === 'paperlight:content:relevanceDrawn'),
            null,
            { timeout: 10_000 },
          )
          .catch(() => undefined);
        const timeline = await pageTimeline(page, await worker()).catch(() => null);
        if (timeline) {
          timeline.annotated = annotatedAt - loadedAt;
          timeline.badged = badgedAt - loadedAt;
          timelines.push(timeline);
          log('page timeline (ms after DOMContentLoaded):', timelineSummary([timeline]));
        }
        await page.close();
      }
      return { times, afterLoaded, badgedAfterLoaded, timelines };
    };

    for (const size of SIZES) {
      log(`importing up to ${size} papers in Chromium…`);
      const imported = await bench.evaluate(
        (target) => window.paperlightBench.importUpTo(target),
        size,
      );
      const writeMs = imported.upsertMs + imported.flushMs;
      record(
        'import into IndexedDB (bucketed upsert + look-up build)',
        size,
        [(imported.added / writeMs) * 1000],
        {
          unit: 'papers/s',
          note: `${imported.added} papers: writes ${round(imported.upsertMs, 0)} ms, look-up build+persist ${round(imported.flushMs, 0)} ms (generation ${round(imported.generateMs, 0)} ms not counted)`,
        },
      );
      record(
        'disk per paper (navigator.storage.estimate, with ~1.3 kB abstracts)',
        size,
        [(imported.usageBytes - emptyUsage) / imported.count],
        { unit: 'bytes' },
      );
      if (IMPORT_ONLY) continue;
      const last = size === SIZES[SIZES.length - 1];
      if (PAGE_ONLY && !last) continue;
      if (!PAGE_ONLY) {
        if (FUSE_SIZES.includes(size)) {
          log(`Fuse.js baseline at ${size} (capped at ${FUSE_CAP_MS} ms)…`);
          const titles = await bench.evaluate(
            (n) => window.paperlightBench.fuseQueries(n, 200),
            size,
          );
          const run = await bench.evaluate(
            ([n, list, cap]) => window.paperlightBench.fuse(n, list, cap),
            [size, titles, FUSE_CAP_MS],
          );
          results.fuse[size] = {
            perTitleMs: median(run.perTitleMs),
            titles: run.perTitleMs.length,
            buildMs: run.buildMs,
          };
          record('Fuse.js baseline per title (default options, limit 5)', size, run.perTitleMs, {
            note: `${run.perTitleMs.length} titles in the ${FUSE_CAP_MS} ms cap; index build ${round(run.buildMs, 0)} ms; 2,000 titles ≈ ${round((median(run.perTitleMs) * 2000) / 1000, 0)} s (extrapolated)`,
          });
        }

        const mix = await bench.evaluate(() => window.paperlightBench.queries('mix'));
        const fuzzy = await bench.evaluate(() => window.paperlightBench.queries('fuzzy'));
        const arxiv = await bench.evaluate(() => window.paperlightBench.queries('arxiv'));

        // Warm matcher inside the worker. Fuse.js is linear in N: beyond 100k it is extrapolated.
        const measured = results.fuse[size];
        const largest = results.fuse[Math.max(...FUSE_SIZES)];
        const fuse =
          measured ??
          (largest
            ? {
                perTitleMs: (largest.perTitleMs * size) / Math.max(...FUSE_SIZES),
                extrapolated: true,
              }
            : undefined);
        // The page wrote the index; the worker's loaded structures predate that (only the
        // background writes in the extension), so start from what is on disk.
        await inWorker(mix, 1, true);
        const warmMix = await inWorker(mix, 9, false);
        record(
          'match 2,000 titles, warm worker (80% present in exact renderings, 20% absent)',
          size,
          warmMix.runsMs.slice(2),
          {
            baseline: fuse ? round(fuse.perTitleMs * 2000, 0) : undefined,
            note: `${warmMix.matched} matched ${JSON.stringify(warmMix.byMethod)}`,
          },
        );
        // The row above repeats one page, so its posting lists stay in the CPU caches; a page the
        // worker has not matched before (other papers, other absent titles) pays for reading them.
        const newPages = [];
        for (let page = 1; page <= 7; page += 1) {
          const titles = await bench.evaluate(
            (n) => window.paperlightBench.queries('mix', 2000, n),
            page,
          );
          newPages.push((await inWorker(titles, 1, false)).runsMs[0]);
        }
        record(
          'match 2,000 titles of a page not matched before, warm worker (80% present, 20% absent)',
          size,
          newPages.slice(1),
          { note: 'a new set of titles per run; the first run is not counted' },
        );
        const warmArxiv = await inWorker(arxiv, 9, false);
        record('match 2,000 arXiv entries with ids, warm worker', size, warmArxiv.runsMs.slice(2), {
          note: `${warmArxiv.matched} matched ${JSON.stringify(warmArxiv.byMethod)}`,
        });
        const warmFuzzy = await inWorker(fuzzy, 5, false);
        record(
          'fuzzy fallback per title, warm worker (typo/truncated/dropped word)',
          size,
          warmFuzzy.runsMs.slice(1).map((ms) => ms / fuzzy.length),
          {
            baseline: fuse ? round(fuse.perTitleMs, 1) : undefined,
            note: `${warmFuzzy.matched} of ${fuzzy.length} matched ${JSON.stringify(warmFuzzy.byMethod)}`,
          },
        );
        // Loading the persisted structures again (what a cold start adds inside the worker).
        const loads = [];
        const fuzzyLoads = [];
        for (let run = 0; run < 3; run += 1) {
          const again = await inWorker(arxiv, 1, true);
          loads.push(again.loadMs);
          fuzzyLoads.push(again.fuzzyLoadMs);
        }
        record(
          'load look-up structures in worker: ids + exact titles (cold-start read)',
          size,
          loads,
        );
        record(
          'load fuzzy structures in worker (first fuzzy title after a cold start)',
          size,
          fuzzyLoads,
        );

        // Cold start end to end: the worker is stopped, then a page's lookupEntries message wakes it.
        const cold = [];
        for (let run = 0; run < 5; run += 1) {
          await killServiceWorker(session);
          await new Promise((done) => setTimeout(done, 300));
          cold.push(
            (await bench.evaluate((entries) => window.paperlightBench.lookup(entries), mix)).ms,
          );
        }
        record(
          'lookupEntries message, 2,000 titles, cold worker (start + load + match + saved state)',
          size,
          cold,
        );
        const warm = [];
        for (let run = 0; run < 7; run += 1) {
          warm.push(
            (await bench.evaluate((entries) => window.paperlightBench.lookup(entries), mix)).ms,
          );
        }
        record(
          'lookupEntries message, 2,000 titles, warm worker (whole handler round trip)',
          size,
          warm.slice(2),
        );

        const memory = await (await worker()).evaluate(() => globalThis.__paperlightBench.memory());
        const heap = await workerHeap(session, bench);
        record(
          'service-worker heap after matching (JS heap + typed-array buffers, after a GC)',
          size,
          [(heap.usedSize + heap.backingStorageSize) / 2 ** 20],
          {
            unit: 'MB',
            note: `JS heap ${round(heap.usedSize / 2 ** 20)} MB, array buffers ${round(heap.backingStorageSize / 2 ** 20)} MB (CDP Runtime.getHeapUsage); target ≤ 150 MB`,
          },
        );
        record(
          'look-up structures in memory (ids + exact keys + fuzzy)',
          size,
          [(memory.coreBytes + memory.fuzzyBytes) / 2 ** 20],
          {
            unit: 'MB',
            note: `core ${round(memory.coreBytes / 2 ** 20)} MB, fuzzy ${round(memory.fuzzyBytes / 2 ** 20)} MB, worker JS heap ${memory.heapBytes === null ? 'n/a' : `${round(memory.heapBytes / 2 ** 20)} MB`}`,
          },
        );
      }

      // End to end on a routed 2,000-entry arXiv listing, cold worker, real content script.
      if (last) {
        const arxiv = await bench.evaluate(() => window.paperlightBench.queries('arxiv'));
        const url = 'https://arxiv.org/list/cs.LG/pastweek?show=2000';
        await serve(session.context, url, arxivPage(arxiv));
        // The browser's own floor, in the same run: the same listing on a URL no content script
        // matches. DOMContentLoaded → its first frame drawn (the start of the frame after it, as
        // `annotated` below is the start of the frame after the one that wrote the attributes).
        const floorUrl = 'https://arxiv.org/floor/cs.LG/pastweek?show=2000';
        await serve(session.context, floorUrl, arxivPage(arxiv));
        const floor = [];
        for (let run = 0; run < PAGE_RUNS; run += 1) {
          const page = await session.context.newPage();
          await page.addInitScript(() => {
            document.addEventListener('DOMContentLoaded', () =>
              requestAnimationFrame(() =>
                requestAnimationFrame(() => (window.__drawnAt = performance.now())),
              ),
            );
          });
          await page.goto(floorUrl);
          await page.waitForFunction(() => window.__drawnAt !== undefined, null, {
            timeout: 60_000,
          });
          floor.push(
            await page.evaluate(
              () =>
                window.__drawnAt -
                (performance.getEntriesByType('navigation')[0]?.domContentLoadedEventStart ?? NaN),
            ),
          );
          await page.close();
        }
        log(
          'no extension: DOMContentLoaded → first frame drawn (ms):',
          floor.map((ms) => round(ms, 0)),
        );
        const { times, afterLoaded, badgedAfterLoaded, timelines } = await pageRuns(url);
        if (timelines.length > 0) {
          log('page timeline, medians:', timelineSummary(timelines));
          results.pageTimeline = timelineSummary(timelines);
        }
        record(
          'arXiv page, 2,000 entries: navigation start → every entry annotated (cold worker)',
          size,
          times,
          { note: 'includes the page parsing its own 2,000 entries' },
        );
        record(
          'arXiv page, 2,000 entries: page loaded (DOMContentLoaded) → every entry annotated (cold worker)',
          size,
          afterLoaded,
          {
            note: `attributes on every entry, badges within a screen of the viewport drawn${
              timelines.length > 0
                ? `; median ms after DOMContentLoaded: ${timelineSummary(timelines, KEY_MARKS)}`
                : ''
            }`,
          },
        );
        record(
          'arXiv page, 2,000 entries: page loaded (DOMContentLoaded) → every badge drawn (cold worker)',
          size,
          badgedAfterLoaded,
        );
        record(
          'arXiv page, 2,000 entries, no extension (URL not matched): DOMContentLoaded → first frame drawn',
          size,
          floor,
          {
            note: `the browser's own floor for the rows above, same run; every entry annotated ${round(median(afterLoaded) - median(floor), 0)} ms above it (medians)`,
          },
        );
        // The same listing as arXiv's /new pages show it: each entry with its abstract (~1.3 kB,
        // 2.6 MB in all). Their abstracts follow the badges, and only those the index lacks.
        const newUrl = 'https://arxiv.org/list/cs.LG/new?show=2000';
        await serve(session.context, newUrl, arxivPage(arxiv, seed.abstracts));
        const withAbstracts = await pageRuns(newUrl);
        if (withAbstracts.timelines.length > 0) {
          log('/new page timeline, medians:', timelineSummary(withAbstracts.timelines));
        }
        record(
          'arXiv /new page with abstracts, 2,000 entries: DOMContentLoaded → every entry annotated (cold worker)',
          size,
          withAbstracts.afterLoaded,
          {
            note: `every entry shows its ~1.3 kB abstract; median ms after DOMContentLoaded: ${timelineSummary(withAbstracts.timelines, KEY_MARKS)}`,
          },
        );
      }
    }
  } finally {
    await session.close({ removeProfile: true });
    rmSync(outDir, { recursive: true, force: true });
  }
}

const DESIGN = `## What is measured

- **Storage**: papers in IndexedDB records of 512 papers ("buckets", by insertion order), so an
  import writes ~2,000 records per million papers instead of a million (lib/index-store.ts).
- **Look-up structures** (lib/title-index/): typed arrays persisted in two \`meta\` records — ids
  (arXiv ids as 32-bit codes, an id-sorted permutation of 24-bit ordinals, alias hashes) and
  exact title keys (sorted 48-bit keys → ordinal), read on every worker cold start; and the fuzzy
  index (title tokens as varints, gap-coded postings of every token but the few dozen in more than
  2% of titles), read right after them when a look-up has titles (ids and exact titles are matched
  while it arrives; only titles left for the fuzzy fallback wait for it). Each record keeps its
  typed arrays packed in one Blob (Chrome reads those bytes ~2.3× faster than typed arrays in a
  record). Small writes go to a replayable journal instead of rewriting them.
- **Matching** (lib/match.ts): ids → aliases → exact normalized-title hash → fuzzy fallback
  (candidates share the title's rarest tokens, and have each word too heavy to drop as itself, a
  typo'd form or joined/split, narrowed on the postings; weighted token alignment allowing one typo, one
  dropped/added word, a cut title, joined/split words; accepted only above 0.8 similarity with a
  0.04 lead over the runner-up).
- **Baseline**: Fuse.js 7.5 over the same titles with default options (\`limit: 5\`), timed until a
  cap and extrapolated to 2,000 titles; at 1M it is extrapolated linearly from 100k (Fuse is
  linear in the number of records).
- **"lookupEntries message" rows** time the whole background handler as a page sees it: worker
  start (cold), matching and the saved state (an in-memory set of saved ids). Pages ask for
  relevance separately (\`relevance: 'separate'\`): a warm model scores in the reply, a cold one
  answers a second \`scoreEntries\` request after the badges are drawn (not timed here).
- **"arXiv page" rows** load a routed 2,000-entry listing in a new tab with the worker stopped.
  The content script starts at document_start and wakes the worker (\`prepareLookup\`); it scans
  once the page is parsed, after the page's own first frame of the whole listing
  (\`page:firstFrameDrawn\` in the note: style, layout and paint of 2,000 entries, before any of our
  code can run on the parsed page), then one \`lookupEntries\` round trip and one animation frame.
  The bench build marks these moments (lib/timeline.ts); release builds do not. The "/new page
  with abstracts" row is the same listing with each entry's ~1.3 kB abstract, as arXiv's /new
  pages show them: a look-up leaves them out (it only says the page shows one), and after the
  badges the index is handed just those it lacks. Back to back at 100k (load ~2), sending them
  in the look-up as before: scan 144–174 ms, round trip 555–573 ms; now 108–111 and 264–341 ms.
`;

/**
 * Issue #4's targets, checked against this run's rows: `scenario` is the start of a row's name,
 * `at` its size; `most`/`least` bound the median. Rows not measured in a run are said so.
 */
const TARGETS = [
  { label: 'import throughput', scenario: 'import into IndexedDB', at: 1e6, least: 20_000 },
  { label: 'disk per paper', scenario: 'disk per paper', at: 1e6, most: 1024 },
  { label: 'look-up structures in memory', scenario: 'look-up structures in memory', at: 1e6, most: 50 },
  { label: 'service-worker heap', scenario: 'service-worker heap', at: 1e6, most: 150 },
  { label: '2,000 titles, warm worker', scenario: 'match 2,000 titles, warm worker', at: 1e6, most: 10 },
  { label: '2,000 titles, cold worker (whole lookupEntries)', scenario: 'lookupEntries message, 2,000 titles, cold', at: 1e6, most: 200 },
  { label: 'fuzzy fallback per title', scenario: 'fuzzy fallback per title, warm worker', at: 1e6, most: 0.5 },
  { label: 'arXiv page: loaded → every entry annotated, cold worker', scenario: 'arXiv page, 2,000 entries: page loaded (DOMContentLoaded) → every entry annotated', at: 1e6, most: 300 },
]; // prettier-ignore

/** Accuracy targets per kind of rendering (share correct), and wrong matches among absent titles. */
const ACCURACY_TARGETS = { exact: 1, case: 1, punctuation: 1, whitespace: 1, latex: 1, truncated: 0.99, typo: 0.98, 'dropped-word': 0.95 }; // prettier-ignore
const ABSENT_WRONG_AT_MOST = 2;

function targetLines(accuracyRuns) {
  const lines = ['## Targets (issue #4)', '', '| target | size | goal | this run | |', '|---|---:|---:|---:|---|'];
  for (const target of TARGETS) {
    const row = rows.find((item) => item.scenario.startsWith(target.scenario) && item.size === target.at);
    const goal = target.most !== undefined ? `≤ ${target.most.toLocaleString('en')}` : `≥ ${target.least.toLocaleString('en')}`;
    const unit = row?.unit ?? '';
    if (!row) {
      lines.push(`| ${target.label} | ${target.at.toLocaleString('en')} | ${goal} | not measured | |`);
      continue;
    }
    const met = target.most !== undefined ? row.median <= target.most : row.median >= target.least;
    const bound = target.most ?? target.least;
    const verdict = met
      ? 'met'
      : target.most !== undefined
        ? `missed: ${round(row.median / bound, 1)}× the goal`
        : `missed: ${Math.round((100 * row.median) / bound)}% of the goal`;
    const value = row.median >= 1000 ? Math.round(row.median).toLocaleString('en') : row.median;
    lines.push(`| ${target.label} | ${target.at.toLocaleString('en')} | ${goal} ${unit} | ${value} ${unit} | ${verdict} |`);
  }
  for (const run of accuracyRuns) {
    for (const [kind, share] of Object.entries(ACCURACY_TARGETS)) {
      const tally = run.tallies[kind];
      if (!tally) continue;
      const rate = tally.correct / tally.total;
      lines.push(`| accuracy: ${kind} | ${run.size.toLocaleString('en')} | ≥ ${share * 100}% | ${(100 * rate).toFixed(1)}% | ${rate >= share ? 'met' : 'missed'} |`);
    }
    const absent = run.tallies.absent;
    if (absent) {
      lines.push(`| accuracy: wrong matches among ${absent.total} absent titles | ${run.size.toLocaleString('en')} | ≤ ${ABSENT_WRONG_AT_MOST} | ${absent.wrong} | ${absent.wrong <= ABSENT_WRONG_AT_MOST ? 'met' : 'missed'} |`);
    }
  }
  lines.push('', WHY_MISSED, '');
  return lines;
} // prettier-ignore

/** Why the targets this machine misses are missed (measured with profiles; see the README). */
const WHY_MISSED = `Where a target is missed, why:

- **2,000 titles, warm worker:** the exact tiers take ~3 ms of it; the rest is the ~20% of titles
  that are not in the index, each of which must be shown to have no paper within one edit. That
  costs tokenizing and looking up its words (~10 µs a title at 10k papers, where posting lists are
  short) and, at 1M, decoding the posting lists of its two or three rarest words (thousands of
  papers each when every word of the title is common) and reading the words of the papers that
  share them (up to 4,000 when a title has one indexed word besides the commonest ones, which have
  no postings). In Node that is ~50 µs an absent title at 1M, over half of it in the slowest tenth
  of the titles; no candidate is weighed or aligned unless one may be within one edit.
- **Cold worker:** measured with worker marks on this VM (1M, quiet): Chrome starts the worker
  ~160 ms after the message is sent, and our script runs ~70 ms later. Then the two look-up rows
  are read as Blobs (lib/title-index/packing.ts; as typed arrays in a record the fuzzy row took
  ~2.3× as long): the core's bytes (~14 MB) in ~100 ms, the fuzzy ones (~35 MB) in ~160 ms more,
  while ids and exact titles are matched; then the ~400 titles left for the fuzzy fallback, in
  code the JIT has not seen yet (~130 ms; ~40 warm), and the reply.
- **arXiv page:** the content script wakes the worker at document_start, so the worker has started,
  read its structures and warmed up before DOMContentLoaded (see the timeline in the row's note).
  The row "no extension" is the browser's own floor in the same run: the same listing on a URL no
  content script matches draws its first frame ~280 ms after DOMContentLoaded, and a script's task
  after DOMContentLoaded runs only after that frame (\`content:parsed\`). Then ours: finding the
  entries (~80 ms), one look-up round trip (~120 ms), writing the attributes, and the frame that
  draws them (~160 ms: badges near the top move the listing below them). Looking entries up while
  the page is still parsed was tried (it did not beat this on this VM, and lengthened the longest
  task of a 10,000-entry page past the trust test's 3 s).`;

/** Writes docs/benchmarks.md in the repository's Prettier style (`npm run check` covers docs/). */
function writeMarkdown(text) {
  mkdirSync(OUT_DIR, { recursive: true });
  const path = join(OUT_DIR, 'benchmarks.md');
  writeFileSync(path, text);
  execFileSync('npx', ['prettier', '--write', path], { cwd: ROOT, stdio: 'ignore' });
}

function markdown(info, accuracyRuns) {
  const lines = [
    '# Benchmarks',
    '',
    'Written by `npm run bench` (scripts/bench.mjs); numbers from the last run. Absolute times on',
    'this shared 2-vCPU VM are noisy (see the load average); the ratios and orders of magnitude matter.',
    '',
    DESIGN,
    '## Machine',
    '',
    ...Object.entries(info).map(
      ([key, value]) => `- ${key}: ${Array.isArray(value) ? value.join(' / ') : value}`,
    ),
    '',
    ...targetLines(accuracyRuns),
    '## Speed',
    '',
    '| scenario | size | median | p95 | unit | baseline | ratio | note |',
    '|---|---:|---:|---:|---|---:|---:|---|',
    ...rows.map(
      (row) =>
        `| ${row.scenario} | ${row.size.toLocaleString('en')} | ${row.median} | ${row.p95} | ${row.unit} | ${row.baseline ?? ''} | ${row.ratio ? `${row.ratio}×` : ''} | ${row.note ?? ''} |`,
    ),
    '',
    'Baselines: Fuse.js 7.5 over the same titles (default options, `limit: 5`), run until a time cap',
    'and extrapolated to 2,000 titles; at 1M it is not run (linear in N: ≈ 10× the 100k figure).',
    '',
    '## Accuracy (labelled set, Node)',
    '',
  ];
  for (const run of accuracyRuns) {
    lines.push(
      `### ${run.size.toLocaleString('en')} papers`,
      '',
      '| kind | total | correct | wrong | unmatched | ambiguous cut | rate |',
      '|---|---:|---:|---:|---:|---:|---:|',
    );
    for (const [kind, tally] of Object.entries(run.tallies)) {
      const rate =
        kind === 'absent'
          ? `${tally.wrong} wrong of ${tally.total}`
          : `${((100 * tally.correct) / tally.total).toFixed(1)}%`;
      lines.push(
        `| ${kind} | ${tally.total} | ${tally.correct} | ${tally.wrong} | ${tally.unmatched} | ${tally.ambiguous} | ${rate} |`,
      );
    }
    lines.push('');
  }
  return `${lines.join('\n')}\n`;
}

if (process.argv.includes('--markdown')) {
  // Rewrites docs/benchmarks.md from the last docs/benchmarks.json (no measuring).
  const last = JSON.parse(readFileSync(join(OUT_DIR, 'benchmarks.json'), 'utf8'));
  rows.push(...last.rows);
  writeMarkdown(markdown(last.machine, last.accuracy));
  process.exit(0);
}

const info = machine();
log('machine', JSON.stringify(info));
const seed = await seeds();
const results = { fuse: {} };
await browserBench(seed, results);
// The other hot paths, each measured by its own module: content script on a 2,000-entry page,
// popup open and search, relevance scoring and training. BENCH_EXTRA=0 skips them.
if (process.env.BENCH_EXTRA !== '0') {
  const extras = [
    ['content script', async () => (await import('./bench-content.mjs')).benchContent()],
    ['popup', async () => (await import('./bench-popup.mjs')).benchPopup()],
    ['relevance', async () => (await import('./bench-relevance.mjs')).benchRelevance()],
  ];
  for (const [name, measure] of extras) {
    try {
      for (const row of await measure()) rows.push({ unit: 'ms', ...row });
    } catch (error) {
      log(name, `failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
}
const accuracyRuns = ACCURACY_SIZES.map((size) => accuracy(size));
info.loadAverageAtEnd = os.loadavg().map((value) => round(value, 1));
info.durationSeconds = round((Date.now() - began) / 1000, 0);

console.log('');
console.table(
  rows.map(({ scenario, size, median: mid, p95: high, unit, baseline, ratio }) => ({
    scenario,
    size,
    median: mid,
    p95: high,
    unit,
    baseline: baseline ?? '',
    ratio: ratio ? `${ratio}×` : '',
  })),
);
mkdirSync(OUT_DIR, { recursive: true });
writeFileSync(
  join(OUT_DIR, 'benchmarks.json'),
  `${JSON.stringify({ machine: info, rows, accuracy: accuracyRuns }, null, 2)}\n`,
);
writeMarkdown(markdown(info, accuracyRuns));
log(`wrote benchmarks.md and benchmarks.json in ${OUT_DIR}`);
