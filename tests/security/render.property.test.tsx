// @vitest-environment jsdom
/**
 * Random strings mixing <script>, <img onerror>, javascript: URLs, TeX and bidi controls, thrown
 * through the display components and the page badges: no element, attribute or URL of theirs may
 * come out. Each render is compared with what the component renders for plain text, so only nodes
 * the component itself makes are allowed.
 */
import fc from 'fast-check';
import { act, type ReactElement } from 'react';
import { createRoot } from 'react-dom/client';
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { MathText } from '../../components/MathText';
import { PaperCard } from '../../components/PaperCard';
import { PaperRow } from '../../components/popup/PaperRow';
import { fromSaved, type PaperActions } from '../../components/popup/types';
import { TagEditor } from '../../components/TagEditor';
import { Annotator } from '../../lib/annotate';
import type { EntryAnnotation } from '../../lib/messages';
import type { SavedPaper } from '../../lib/types';
import { createLedger } from '../durability/ledger';
import { hostileString } from '../fuzz/hostile';
import { PROJECT_ROOT } from '../shared';

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

const ledger = createLedger('security display components');
afterAll(() => ledger.save());

const RUNS = 60;
const DANGEROUS_TAGS = ['script', 'iframe', 'object', 'embed', 'img', 'svg', 'math', 'style', 'link', 'meta', 'base', 'form', 'frame', 'video', 'audio', 'template']; // prettier-ignore

function render(element: ReactElement): { container: HTMLElement; unmount: () => void } {
  const container = document.createElement('div');
  document.body.append(container);
  const root = createRoot(container);
  act(() => root.render(element));
  return {
    container,
    unmount: () => {
      act(() => root.unmount());
      container.remove();
    },
  };
}

function tagSet(root: ParentNode): Set<string> {
  return new Set([...root.querySelectorAll('*')].map((element) => element.localName));
}

/** What must never come out of rendering text. */
function expectInert(root: ParentNode, baseline: Set<string>, what: string): void {
  for (const element of root.querySelectorAll('*')) {
    const name = element.localName;
    expect(baseline.has(name) || !DANGEROUS_TAGS.includes(name), `${what}: <${name}>`).toBe(true);
    expect(baseline.has(name), `${what}: unexpected <${name}>`).toBe(true);
    for (const attribute of element.attributes) {
      expect(attribute.name.startsWith('on'), `${what}: ${attribute.name}=`).toBe(false);
      if (
        ['href', 'src', 'action', 'formaction', 'xlink:href', 'srcdoc'].includes(attribute.name)
      ) {
        expect(attribute.value, `${what}: ${attribute.name}`).toMatch(
          /^(https:\/\/|http:\/\/|#|\/[^/])/,
        );
      }
    }
    if (element.getAttribute('style')) {
      expect(element.getAttribute('style'), what).not.toMatch(/url\(|expression\(/i);
    }
  }
  expect((window as { __pwned?: unknown }).__pwned).toBeUndefined();
}

const saved = (title: string, authors: string[], note: string, tags: string[], link: string): SavedPaper => ({
  id: 'arxiv:2401.00001',
  snapshot: { title, authors, abstract: `${title} abstract`, venue: note, links: { abs: link, code: link, pdf: link } },
  savedAt: 1,
  updatedAt: 1,
  tags,
  note,
  status: 'reading',
}); // prettier-ignore

const noActions: PaperActions = {
  save: () => undefined,
  remove: () => undefined,
  setStatus: () => undefined,
  addTag: () => undefined,
  removeTag: () => undefined,
  setNote: () => undefined,
  dismiss: () => undefined,
  details: () => Promise.resolve({}),
};

const hostileLink = fc.oneof(
  hostileString(3),
  fc.constantFrom('javascript:alert(1)', ' JAVASCRIPT:alert(1)', 'data:text/html,<script>1</script>', 'chrome-extension://x/popup.html', 'vbscript:x', '//evil.example'), // prettier-ignore
);

type Strings = { title: string; text: string; tags: string[]; link: string };

/**
 * Each display component, rendered from hostile strings and from plain ones (the baseline), with
 * the string it must show verbatim as text. Tag colours are always #rrggbb: every write path
 * validates them (tests/security/backup-restore.test.ts).
 */
const CASES: Record<
  string,
  { render: (s: Strings) => ReactElement; shows: (s: Strings) => string | null }
> = {
  'PaperCard.tsx': { shows: (s) => s.title, render: (s) => <PaperCard id={`doi:10.1/${s.text}`} paper={{ title: s.title, authors: [s.text, s.title], abstract: s.text }} /> }, // prettier-ignore
  'MathText.tsx': {
    shows: () => null,
    render: (s) => (
      <MathText text={`${s.title} $${s.text}^{${s.title}}_${s.text}$ \\href{${s.link}}{x}`} />
    ),
  },
  'TagEditor.tsx': { shows: (s) => s.tags[0] ?? null, render: (s) => <TagEditor tags={s.tags} known={[...s.tags, s.title]} colors={new Map(s.tags.map((tag) => [tag, '#123456']))} onAdd={() => undefined} onRemove={() => undefined} /> }, // prettier-ignore
  'popup/PaperRow.tsx': {
    shows: (s) => s.text,
    render: (s) => (
      <PaperRow
        paper={{
          ...fromSaved(saved(s.title, [s.text], s.text, s.tags, s.link)),
          matchedIn: s.text,
        }}
        index={0}
        active
        expanded
        selectable
        selected={false}
        knownTags={s.tags}
        tagColors={new Map(s.tags.map((tag) => [tag, '#123456']))}
        actions={noActions}
        onFocusRow={() => undefined}
        onToggle={() => undefined}
      />
    ),
  },
};

/**
 * Components whose hostile-data rendering is proven elsewhere (they compose the ones above, or
 * show only our own strings). A new component file fails the coverage test until it is listed.
 */
const COVERED_ELSEWHERE: Record<string, string> = {
  'Popup.tsx': 'hostile titles in the library: tests/e2e/foundation.e2e.test.ts (real popup)',
  'Options.tsx': 'composes the panels below',
  'HealthNotice.tsx': 'our own messages only (lib/index-health.ts)',
  'SyncStatus.tsx': 'our own status words; error text rendered as text',
  'SyncPanel.tsx': 'source settings typed by the user, rendered as text',
  'RetentionPanel.tsx': 'counts, months and categories typed by the user, rendered as text',
  'InterestsPanel.tsx': 'the user’s own queries, rendered as text',
  'popup/PopupContent.tsx':
    'the views and toast split out of Popup.tsx (loaded with React after the static shell); same real-popup coverage as Popup.tsx',
  'popup/HelpView.tsx': 'our own strings and the browser’s shortcut names',
  'popup/LibraryView.tsx': 'lists PaperRow (above)',
  'popup/PaperList.tsx': 'lists PaperRow (above)',
  'popup/SearchView.tsx': 'lists PaperRow (above)',
  'popup/ThisPage.tsx': 'lists PaperRow (above) for page papers',
  'options/IndexPanel.tsx': 'import errors rendered as text (file names, line messages)',
  'options/LibraryPanel.tsx': 'import/restore messages rendered as text',
  'options/SettingsPanels.tsx': 'settings and site patterns rendered as text',
  'options/TagsPanel.tsx':
    'tag names as text; colours are #rrggbb (tests/security/backup-restore.test.ts)',
};

describe('display components under hostile strings', () => {
  it('every component file is fuzzed here or says where its hostile-data rendering is tested', () => {
    const dir = join(PROJECT_ROOT, 'components');
    const files: string[] = [];
    const walk = (current: string): void => {
      for (const name of readdirSync(current)) {
        const path = join(current, name);
        if (statSync(path).isDirectory()) walk(path);
        else if (name.endsWith('.tsx') && !name.endsWith('.test.tsx'))
          files.push(relative(dir, path));
      }
    };
    walk(dir);
    const unlisted = files.filter((file) => !(file in CASES) && !(file in COVERED_ELSEWHERE));
    expect(unlisted).toEqual([]);
  });

  for (const [file, { render: make, shows }] of Object.entries(CASES)) {
    it(`${file} renders hostile strings as inert text`, () => {
      // The baseline includes TeX, so the <sup>/<sub> the math renderer legitimately makes are known.
      const plain = render(make({ title: 'Plain $x^2_i$ title', text: 'plain $y_j^3$ text', tags: ['ml', 'graphs'], link: 'https://arxiv.org/abs/2401.00001' })); // prettier-ignore
      const baseline = tagSet(plain.container);
      plain.unmount();
      const tag = hostileString(3).filter((name) => name.trim() !== '');
      fc.assert(
        fc.property(hostileString(12), hostileString(12), fc.uniqueArray(tag, { maxLength: 3 }), hostileLink, (title, text, tags, link) => {
          const strings = { title, text, tags, link };
          const view = render(make(strings));
          try {
            expectInert(view.container, baseline, file);
            const shown = shows(strings)?.trim();
            // Shown as the same text: whitespace may be collapsed by the component, nothing else.
            const flat = (value: string): string => value.replace(/\s+/g, ' ').trim();
            if (shown) expect(flat(view.container.textContent ?? '')).toContain(flat(shown));
          } finally {
            view.unmount();
          }
        }),
        { numRuns: RUNS },
      ); // prettier-ignore
      ledger.hostile('strings rendered through display components', RUNS * 3);
    });
  }
});

describe('page badges under hostile entries', () => {
  it('titles and ids from the page never become markup inside or around our badges', async () => {
    const shadows: ShadowRoot[] = [];
    const attach = Object.getOwnPropertyDescriptor(Element.prototype, 'attachShadow')?.value as (
      this: Element,
      init: ShadowRootInit,
    ) => ShadowRoot;
    Element.prototype.attachShadow = function (this: Element, init: ShadowRootInit) {
      const root = attach.call(this, init);
      shadows.push(root);
      return root;
    };
    try {
      await fc.assert(
        fc.asyncProperty(fc.array(fc.tuple(hostileString(10), hostileString(3), fc.boolean(), fc.boolean()), { minLength: 1, maxLength: 8 }), async (rows) => {
          document.body.replaceChildren();
          shadows.length = 0;
          const list = document.createElement('ul');
          document.body.append(list);
          const items = rows.map(([title, id, matched, isSaved], ref) => {
            const titleElement = document.createElement('li');
            titleElement.textContent = title;
            list.append(titleElement);
            const annotation: EntryAnnotation = { ref, id, matched, confidence: matched ? 1 : 0, saved: isSaved };
            return { paper: { titleElement, title, ids: [id], authors: [title] }, annotation };
          });
          const before = [...list.querySelectorAll('*')].length;
          const annotator = new Annotator({ document, schedule: (callback) => queueMicrotask(callback), onToggleSave: () => undefined });
          await annotator.annotate(items);
          // Outside: only our badge hosts were added, each right after its title, with text titles intact.
          expect([...list.querySelectorAll('*')].filter((element) => element.localName !== 'paperlight-badge')).toHaveLength(before);
          rows.forEach(([title], index) => expect(list.children[index * 2]?.textContent).toBe(title));
          expect(list.querySelectorAll('paperlight-badge')).toHaveLength(rows.length);
          // Inside: only our own elements, and no page string at all.
          for (const shadow of shadows) {
            expectInert(shadow, new Set(['span', 'button', 'style', 'div', 'a', 'mark', 'strong', 'em', 'small', 'b', 'i', 'abbr', 'p', 'ul', 'li', 'dl', 'dt', 'dd', 'h3', 'h4', 'sup', 'sub', 'time']), 'badge'); // prettier-ignore
            for (const [title] of rows) {
              if (title.trim().length > 3) expect(shadow.textContent ?? '').not.toContain(title);
            }
          }
          annotator.clear();
          expect(list.querySelectorAll('paperlight-badge')).toHaveLength(0);
        }),
        { numRuns: 40 },
      ); // prettier-ignore
      ledger.hostile('hostile page entries through the badge annotator', 40 * 4);
    } finally {
      Element.prototype.attachShadow = attach;
    }
  });
});
