/**
 * A listing that arrives in pieces: a loopback HTTPS server (Chromium maps arxiv.org to it) sends
 * a 300-entry arXiv listing in chunks cut inside titles, tags, entities and author lists, with a
 * pause after each, so the content script starts while the parser is mid-way through it
 * (entrypoints/content/session.ts starts at document_start). Every entry must be looked up exactly
 * once, with its whole title and author list, and annotated with its id: none read cut short.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { hasChromium, importPapers, launch, type Session } from './harness';

const COUNT = 300;
const URL_PATH = '/list/cs.LG/pastweek?show=300';

interface Paper {
  id: string;
  title: string;
  authors: string[];
}

const papers: Paper[] = Array.from({ length: COUNT }, (_, n) => ({
  id: `2503.${String(n).padStart(5, '0')}`,
  // Entities and markup-like text, so some cuts fall inside `&amp;` or `&lt;`.
  title: `Streaming study ${n}: parsers & <partial> titles across chunk number ${n} of the listing`,
  authors: [`Ada Quill ${n}`, `Ben Ortega ${n}`, `Chen Wu ${n}`],
}));

const escape = (text: string): string =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** The listing's HTML as pieces, each entry cut somewhere different (title, tag, entity, authors). */
function pieces(): string[] {
  const head = `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>cs.LG</title></head><body>
<div id="dlpage"><h1>Machine Learning</h1><dl id="articles">\n`;
  const entries = papers.map(
    (
      { id, title, authors },
      n,
    ) => `<dt><a name="item${n + 1}">[${n + 1}]</a> <a href="/abs/${id}" title="Abstract" id="${id}">arXiv:${id}</a></dt>
<dd><div class="meta"><div class="list-title mathjax"><span class="descriptor">Title:</span> ${escape(title)}</div>
<div class="list-authors">${authors.map((name, k) => `<a href="/a/${n}-${k}">${name}</a>`).join(', ')}</div></div></dd>\n`,
  );
  const out: string[] = [head];
  let carry = '';
  entries.forEach((html, n) => {
    // Cut points cycle through the title's words, its entity, the middle of a tag and the authors.
    const marks = ['parsers', '&amp;', 'chunk num', 'class="list-au', 'Ben Ort', '</d'];
    const mark = marks[n % marks.length] ?? '';
    const at = html.indexOf(mark) + Math.ceil(mark.length / 2);
    out.push(carry + html.slice(0, at));
    carry = html.slice(at);
  });
  out.push(`${carry}</dl></div></body></html>`);
  return out;
}

let session: Session | undefined;
let server: Server | undefined;
let certDir: string | undefined;
afterEach(async () => {
  await session?.close({ removeProfile: true });
  session = undefined;
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = undefined;
  if (certDir) rmSync(certDir, { recursive: true, force: true });
  certDir = undefined;
});

/** A loopback HTTPS server that sends the listing's pieces `pauseMs` apart. */
async function streamingServer(pauseMs: number): Promise<number> {
  certDir = mkdtempSync(join(tmpdir(), 'paperlight-stream-'));
  const key = join(certDir, 'key.pem');
  const cert = join(certDir, 'cert.pem');
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '1', '-subj', '/CN=arxiv.org'], { stdio: 'ignore' }); // prettier-ignore
  const body = pieces();
  server = createServer({ key: readFileSync(key), cert: readFileSync(cert) }, (request, response) => {
    if (request.url !== URL_PATH) {
      response.writeHead(404).end();
      return;
    }
    response.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
    let next = 0;
    const send = (): void => {
      const piece = body[next];
      next += 1;
      if (piece === undefined) {
        response.end();
        return;
      }
      response.write(piece);
      setTimeout(send, pauseMs);
    };
    send();
  }); // prettier-ignore
  const listening = server;
  await new Promise<void>((resolve) => listening.listen(0, '127.0.0.1', () => resolve()));
  return (listening.address() as AddressInfo).port;
}

describe.skipIf(!hasChromium)('a listing streamed in pieces', () => {
  it('annotates every entry exactly once, with its id and whole title', async () => {
    const port = await streamingServer(25);
    session = await launch({
      args: [
        `--host-resolver-rules=MAP arxiv.org 127.0.0.1:${port}`,
        '--ignore-certificate-errors',
      ],
    });
    // Every other paper is in the index (matched); the rest are looked up and shown as not in it.
    const index = papers
      .filter((_, n) => n % 2 === 0)
      .map(({ id, title, authors }) => JSON.stringify({ id, title, authors }))
      .join('\n');
    const options = await importPapers(session, 'papers.jsonl', index);
    await options.close();
    // The harness refuses unrouted requests; this one goes to the loopback server.
    await session.context.route(`https://arxiv.org${URL_PATH}`, (route) => route.continue());
    // Every look-up the worker receives, as sent.
    const worker = await session.serviceWorker();
    await worker.evaluate(() => {
      interface Runtime {
        onMessage: { addListener(listener: (message: { type?: string; payload?: unknown }) => boolean): void }; // prettier-ignore
      }
      const scope = globalThis as unknown as { chrome: { runtime: Runtime }; __lookups: unknown[] };
      const seen: unknown[] = [];
      scope.__lookups = seen;
      scope.chrome.runtime.onMessage.addListener((message) => {
        if (message.type === 'lookupEntries') seen.push({ at: Date.now(), payload: message.payload }); // prettier-ignore
        return false;
      });
    });
    const page = await session.context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(`https://arxiv.org${URL_PATH}`, { waitUntil: 'commit' });
    // Parsed in full (the content script scans once the parser is done; a scan mid-parse would
    // have to take only entries the parser has moved past for good).
    await page.evaluate(() => new Promise<void>((resolve) => {
      const done = (): void => resolve();
      if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', done, { once: true });
      else done();
    })); // prettier-ignore
    expect(await page.locator('dl#articles > dt').count()).toBe(COUNT);
    await expect.poll(() => page.locator('paperlight-badge').count(), { timeout: 60_000 }).toBe(COUNT); // prettier-ignore

    const titles = page.locator('dl#articles .list-title');
    const marks = await titles.evaluateAll((elements) =>
      elements.map((element) => ({
        id: element.getAttribute('data-paperlight-id'),
        entry: element.getAttribute('data-paperlight-entry'),
        badges: element.parentElement?.querySelectorAll(':scope > paperlight-badge').length,
        next: element.nextElementSibling?.tagName.toLowerCase(),
      })),
    );
    expect(marks).toEqual(
      papers.map(({ id }, n) => ({
        id: `arxiv:${id}`,
        entry: n % 2 === 0 ? 'matched' : 'unmatched',
        badges: 1,
        next: 'paperlight-badge',
      })),
    );

    const lookups = await worker.evaluate(
      () => (globalThis as unknown as { __lookups: unknown[] }).__lookups,
    );
    const sent = (lookups as { at: number; payload: { entries: { title: string; ids: string[]; authors: string[] }[] } }[]); // prettier-ignore
    const entries = sent.flatMap(({ payload }) => payload.entries);
    // Exactly once each, whole: the same ids, titles and authors as the page's.
    expect(entries.map(({ ids }) => ids[0]).sort()).toEqual(papers.map(({ id }) => `arxiv:${id}`).sort()); // prettier-ignore
    const byId = new Map(entries.map((entry) => [entry.ids[0], entry]));
    for (const { id, title, authors } of papers) {
      expect(byId.get(`arxiv:${id}`)).toMatchObject({ title, authors });
    }
    expect(errors).toEqual([]);
  });
});
