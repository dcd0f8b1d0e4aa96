// @vitest-environment jsdom
/**
 * Badges away from the viewport: attributes on every entry at once, badges near the viewport in the
 * same frame, the rest in later frames or as soon as an entry comes near. jsdom has no layout and no
 * IntersectionObserver, so both are stood in for: each title's box comes from its `data-top`, and
 * the observer is a fake the test triggers. Frames run only when the test says so.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  ATTR_ENTRY,
  ATTR_SAVED,
  Annotator,
  BADGE_TAG,
  type BadgeContext,
  type EntryContext,
} from './annotate';
import type { EntryAnnotation } from './messages';
import type { DetectedPaper } from './sites/types';

const VIEWPORT = 800;
const ENTRY_HEIGHT = 100;

class FakeIntersectionObserver {
  static last: FakeIntersectionObserver | null = null;
  readonly targets = new Set<Element>();
  constructor(readonly callback: (records: IntersectionObserverEntry[]) => void) {
    FakeIntersectionObserver.last = this;
  }
  observe(target: Element): void {
    this.targets.add(target);
  }
  unobserve(target: Element): void {
    this.targets.delete(target);
  }
  disconnect(): void {
    this.targets.clear();
  }
  /** The browser reporting that `target` came within the observer's margin of the viewport. */
  near(target: Element): void {
    if (!this.targets.has(target)) return;
    this.callback([{ target, isIntersecting: true } as unknown as IntersectionObserverEntry]);
  }
}

const realRect = Object.getOwnPropertyDescriptor(Element.prototype, 'getBoundingClientRect');
let frameQueue: (() => void)[] = [];
const runFrame = (): void => {
  const due = frameQueue;
  frameQueue = [];
  for (const callback of due) callback();
};

beforeEach(() => {
  Object.assign(window, { IntersectionObserver: FakeIntersectionObserver, innerHeight: VIEWPORT });
  Object.defineProperty(Element.prototype, 'getBoundingClientRect', {
    configurable: true,
    value(this: Element): DOMRect {
      const top = Number(this.getAttribute('data-top') ?? 0);
      return { top, bottom: top + 20, left: 0, right: 100, height: 20, width: 100 } as DOMRect;
    },
  });
  frameQueue = [];
});

afterEach(() => {
  if (realRect) Object.defineProperty(Element.prototype, 'getBoundingClientRect', realRect);
  Reflect.deleteProperty(window, 'IntersectionObserver');
  document.body.replaceChildren();
});

function listing(count: number): DetectedPaper[] {
  const list = document.createElement('ol');
  document.body.append(list);
  return Array.from({ length: count }, (_, n) => {
    const item = document.createElement('li');
    const titleElement = document.createElement('h3');
    titleElement.textContent = `Paper ${n}`;
    titleElement.setAttribute('data-top', String(n * ENTRY_HEIGHT));
    item.append(titleElement);
    list.append(item);
    return { titleElement, title: `Paper ${n}`, ids: [`arxiv:2501.${10000 + n}`], authors: [] };
  });
}

function answer(paper: DetectedPaper, ref: number, saved = false): EntryAnnotation {
  return { ref, id: paper.ids[0], matched: true, confidence: 1, saved };
}

function setup(): {
  annotator: Annotator;
  entries: EntryContext[];
  badges: BadgeContext[];
  toggles: [string, boolean][];
} {
  const entries: EntryContext[] = [];
  const badges: BadgeContext[] = [];
  const toggles: [string, boolean][] = [];
  const annotator = new Annotator({
    document,
    schedule: (callback) => frameQueue.push(callback),
    onToggleSave: (id, save) => toggles.push([id, save]),
    decorate: (context) => badges.push(context),
    decorateEntry: (context) => entries.push(context),
  });
  return { annotator, entries, badges, toggles };
}

const badged = (paper: DetectedPaper): boolean =>
  paper.titleElement.nextElementSibling?.localName === BADGE_TAG;

describe('badges away from the viewport', () => {
  it('marks every entry in the first frame, badges the ones near the viewport, the rest later', async () => {
    // 1,200 entries 100 px apart: within one viewport height above or below the viewport
    // (top ≤ 1,600) are the first 17.
    const papers = listing(1200);
    const { annotator, entries, badges } = setup();
    const written = annotator.annotate(papers.map((paper, ref) => ({ paper, annotation: answer(paper, ref) }))); // prettier-ignore
    runFrame();
    await written;
    expect(document.querySelectorAll(`[${ATTR_ENTRY}="matched"]`)).toHaveLength(1200);
    expect(entries).toHaveLength(1200);
    expect(papers.filter(badged)).toHaveLength(17);
    expect(papers.slice(0, 17).every(badged)).toBe(true);
    expect(badges.map((context) => context.titleElement)).toEqual(papers.slice(0, 17).map((paper) => paper.titleElement)); // prettier-ignore
    // Deferred entries count as annotated: a rescan must not write them again.
    expect(papers.every((paper) => annotator.has(paper.titleElement))).toBe(true);

    let done = false;
    void annotator.badgesDone().then(() => (done = true));
    runFrame();
    expect(papers.filter(badged).length).toBeGreaterThan(17);
    expect(papers.filter(badged).length).toBeLessThan(1200);
    for (let frame = 0; frame < 20 && frameQueue.length > 0; frame += 1) runFrame();
    await Promise.resolve();
    expect(done).toBe(true);
    expect(papers.every(badged)).toBe(true);
    expect(document.querySelectorAll(BADGE_TAG)).toHaveLength(1200);
    expect(annotator.size).toBe(1200);
    // Each badge decorated once, in page order, each entry next to its own title.
    expect(badges.map((context) => context.titleElement)).toEqual(papers.map((paper) => paper.titleElement)); // prettier-ignore
  });

  it('writes a deferred badge as soon as its entry comes near, with the saved state of now', async () => {
    const papers = listing(300);
    const { annotator, badges } = setup();
    const written = annotator.annotate(papers.map((paper, ref) => ({ paper, annotation: answer(paper, ref) }))); // prettier-ignore
    runFrame();
    await written;
    const far = papers[250] as DetectedPaper;
    expect(badged(far)).toBe(false);
    const id = far.ids[0] as string;
    annotator.setSaved(id, true);
    // The entry's mark changes at once, badge or not.
    expect(far.titleElement.getAttribute(ATTR_SAVED)).toBe('true');
    FakeIntersectionObserver.last?.near(far.titleElement);
    expect(badged(far)).toBe(true);
    expect(badges.at(-1)?.titleElement).toBe(far.titleElement);
    expect(badges.at(-1)?.saved).toBe(true);
    // Written once: the fill that follows skips it.
    for (let frame = 0; frame < 20 && frameQueue.length > 0; frame += 1) runFrame();
    expect(badges.filter((context) => context.titleElement === far.titleElement)).toHaveLength(1);
    expect(document.querySelectorAll(BADGE_TAG)).toHaveLength(300);
  });

  it('drops a deferred badge whose entry left the page, and clear() leaves nothing behind', async () => {
    const papers = listing(100);
    const { annotator } = setup();
    const written = annotator.annotate(papers.map((paper, ref) => ({ paper, annotation: answer(paper, ref) }))); // prettier-ignore
    runFrame();
    await written;
    const gone = papers[80] as DetectedPaper;
    gone.titleElement.closest('li')?.remove();
    annotator.prune();
    expect(annotator.has(gone.titleElement)).toBe(false);
    for (let frame = 0; frame < 20 && frameQueue.length > 0; frame += 1) runFrame();
    expect(document.querySelectorAll(BADGE_TAG)).toHaveLength(99);
    expect(gone.titleElement.nextElementSibling).toBeNull();

    const again = listing(100);
    const next = annotator.annotate(again.map((paper, ref) => ({ paper, annotation: answer(paper, ref) }))); // prettier-ignore
    runFrame();
    await next;
    annotator.clear();
    for (let frame = 0; frame < 20 && frameQueue.length > 0; frame += 1) runFrame();
    expect(document.querySelectorAll(BADGE_TAG)).toHaveLength(0);
    expect(document.querySelectorAll(`[${ATTR_ENTRY}]`)).toHaveLength(0);
    await annotator.badgesDone();
  });

  it('a re-written entry keeps one pending badge that shows the newest annotation', async () => {
    const papers = listing(1200);
    const { annotator, badges } = setup();
    const items = papers.map((paper, ref) => ({ paper, annotation: answer(paper, ref) }));
    const first = annotator.annotate(items);
    runFrame();
    await first;
    // Far enough that the fill has not reached it when it is written again.
    const far = papers[1100] as DetectedPaper;
    const second = annotator.annotate([{ paper: far, annotation: answer(far, 1100, true) }]);
    runFrame();
    await second;
    expect(badged(far)).toBe(false);
    for (let frame = 0; frame < 20 && frameQueue.length > 0; frame += 1) runFrame();
    const forFar = badges.filter((context) => context.titleElement === far.titleElement);
    expect(forFar).toHaveLength(1);
    expect(forFar[0]?.saved).toBe(true);
    expect(far.titleElement.nextElementSibling?.nextElementSibling).toBeNull();
  });
});
