/**
 * A client-rendered listing in real Chromium (our own page, routed on an OpenReview group URL):
 * history.pushState tab switches re-render the list the way frameworks do — rows reused with new
 * content, rows replaced, headings rewritten — plus "load more". After each of five navigations
 * every entry has exactly one badge, carrying the id of the paper it shows now.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasChromium, launch, screenshot, serve, type Session } from './harness';

const URL_BASE = 'https://openreview.net/group?id=Spa.cc/2024/Conference';

/** Five tabs of papers; some papers appear on several tabs. */
const TABS: Record<string, [string, string][]> = Object.fromEntries(
  Array.from({ length: 6 }, (_, tab) => [
    `t${tab}`,
    Array.from({ length: 4 + (tab % 3) }, (_, row): [string, string] => {
      const n = (tab * 3 + row) % 14; // overlapping windows over 14 papers
      return [`SpaPaper${String(n).padStart(2, '0')}x`, `Client-rendered paper number ${n}`];
    }),
  ]),
);

const PAGE = `<!doctype html>
<!-- Reconstructed (not a capture): a client-rendered OpenReview-like group page for the SPA test. -->
<html><head><title>Spa | OpenReview</title></head><body>
<div id="__next"><nav id="tabs"></nav><ul id="list" class="list-unstyled submissions-list"></ul>
<button id="more" type="button">Load more</button></div>
<script>
const TABS = ${JSON.stringify(TABS)};
let extra = 0;
function row([id, title]) {
  const li = document.createElement('li');
  li.className = 'note';
  const h4 = document.createElement('h4');
  const a = document.createElement('a');
  a.href = '/forum?id=' + id;
  a.textContent = title;
  h4.append(a);
  const authors = document.createElement('div');
  authors.className = 'note-authors';
  authors.textContent = 'Ada Quill';
  li.append(h4, authors);
  return li;
}
function render(tab) {
  const list = document.getElementById('list');
  const items = TABS[tab];
  items.forEach((item, index) => {
    const li = list.children[index];
    if (!li) list.append(row(item));
    else if (index % 3 === 0) {
      // Reused row, new content: the same <a> gets another href and text (keyed re-render).
      const a = li.querySelector('h4 a');
      a.href = '/forum?id=' + item[0];
      a.firstChild.textContent = item[1];
    } else if (index % 3 === 1) li.replaceWith(row(item)); // replaced row
    else li.querySelector('h4').innerHTML = '<a href="/forum?id=' + item[0] + '">' + item[1] + '</a>';
  });
  while (list.children.length > items.length) list.lastElementChild.remove();
}
window.navigate = (tab) => {
  history.pushState({ tab }, '', location.pathname + '?id=Spa.cc/2024/Conference&tab=' + tab);
  render(tab);
};
document.getElementById('more').addEventListener('click', () => {
  const list = document.getElementById('list');
  for (let i = 0; i < 3; i += 1) {
    extra += 1;
    list.append(row(['SpaMore' + String(extra).padStart(3, '0') + 'x', 'Loaded later number ' + extra]));
  }
});
setTimeout(() => render('t0'), 300); // rendered after load, like a client-side app
</script></body></html>`;

interface State {
  rows: number;
  badges: number;
  /** Titles whose next sibling isn't exactly one badge, or whose id isn't the paper shown. */
  wrong: number;
}

function state(page: Page): Promise<State> {
  return page.evaluate(() => {
    const titles = [...document.querySelectorAll('#list li h4 a')];
    const wrong = titles.filter((title) => {
      const next = title.nextElementSibling;
      const id = new URL((title as HTMLAnchorElement).href).searchParams.get('id');
      return (
        next?.tagName.toLowerCase() !== 'paperlight-badge' ||
        next.nextElementSibling?.tagName.toLowerCase() === 'paperlight-badge' ||
        title.getAttribute('data-paperlight-id') !== `openreview:${id}`
      );
    }).length;
    return {
      rows: titles.length,
      badges: document.querySelectorAll('paperlight-badge').length,
      wrong,
    };
  });
}

describe.skipIf(!hasChromium)('a single-page app listing', () => {
  let session: Session;
  beforeAll(async () => {
    session = await launch();
    await serve(session.context, /^https:\/\/openreview\.net\/group\?id=Spa\.cc/, PAGE);
  });
  afterAll(async () => {
    await session.close({ removeProfile: true });
  });

  it('five pushState navigations and a "load more": exactly one current badge per entry', async () => {
    const page = await session.context.newPage();
    await page.goto(URL_BASE);
    const settled = (rows: number): Promise<void> =>
      expect.poll(() => state(page), { timeout: 20_000 }).toEqual({ rows, badges: rows, wrong: 0 });
    await settled(TABS.t0?.length ?? 0);
    for (const tab of ['t1', 't2', 't3', 't4', 't5']) {
      await page.evaluate((name) => {
        (window as unknown as { navigate: (tab: string) => void }).navigate(name);
      }, tab);
      expect(page.url()).toContain(`tab=${tab}`);
      await settled(TABS[tab]?.length ?? 0);
    }
    await page.click('#more');
    await settled((TABS.t5?.length ?? 0) + 3);
    await screenshot(page, 'sites-spa-after-five-navigations');
    await page.close();
  });
});
