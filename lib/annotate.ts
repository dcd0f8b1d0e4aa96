/**
 * The only code that writes to a listing page. Public contract (README "Annotation contract"):
 * on each detected entry's title element
 *   data-paperlight-entry="matched" | "unmatched"   once processed
 *   data-paperlight-id="<canonical id>"             whenever the id is known
 *   data-paperlight-saved="true"                    while the paper is in the library
 *   data-paperlight-relevance="<score 0.00–1.00>"   when relevance scored the entry
 * and a `<paperlight-badge>` host right after the title holding a closed shadow root.
 * Page-derived text is only ever set with textContent.
 *
 * Attributes go on every entry at once; badges only on the entries near the viewport in that frame,
 * the rest in batches in the frames after (and at once when one scrolls near), since drawing
 * is what costs: each badge makes the browser lay out its entry again, 2,000 of them in one frame
 * took ~0.6–0.9 s of style, layout and pre-paint on a 2,000-entry arXiv page.
 */
import type { EntryAnnotation } from './messages';
import type { DetectedPaper } from './sites/types';
import type { CanonicalId } from './types';

export const ATTR_ENTRY = 'data-paperlight-entry';
export const ATTR_ID = 'data-paperlight-id';
export const ATTR_SAVED = 'data-paperlight-saved';
/** The entry's relevance score in [0, 1] (two decimals) whenever the look-up scored it. */
export const ATTR_RELEVANCE = 'data-paperlight-relevance';
export const BADGE_TAG = 'paperlight-badge';

/**
 * Entries whose annotation is written per animation frame. Attributes cost next to nothing to draw
 * (no style rule reads them unless a user style sheet does), and every frame that writes pays a
 * rendering pass, so a whole listing goes in one frame.
 */
const PER_FRAME = 2000;

/**
 * Badges added per frame for entries away from the viewport, after the first frame: at least
 * FILL_PER_FRAME, and enough to be done in FILL_FRAMES. Each such frame also re-walks everything
 * below its first new badge (pre-paint of the shifted entries), so smaller batches cost more in all
 * (quadratic in the page's length for a fixed batch): on the 2,000-entry page (loaded machine)
 * 150 per frame took 4.5 s of main-thread time in 14 frames, 500 per frame 2.3 s in 4, all at once
 * 2.5 s in one ~1 s frame.
 */
const FILL_PER_FRAME = 500;
const FILL_FRAMES = 4;

/** Entries within this many viewport heights above or below the viewport get their badge at once. */
const NEAR_SCREENS = 1;

// Page CSS must not restyle the badge: outer rules beat `:host` unless `:host` is !important, and an
// !important `:host` rule beats even the page's !important ones (the shadow context wins for
// important declarations). The host is positioned (and stacked above the page) only while raised
// (an open hover card): a stacking context on each of 2,000 hosts was ~40% of pre-paint.
const BADGE_CSS = `
:host { all: initial !important; display: inline-flex !important; vertical-align: middle !important;
  margin: 0 0 0 0.4em !important; padding: 0 !important; border: 0 !important; float: none !important;
  width: auto !important; height: auto !important; min-width: 0 !important; max-width: none !important;
  transform: none !important; filter: none !important; clip-path: none !important;
  visibility: visible !important; opacity: 1 !important; pointer-events: auto !important;
  font-size: 11px !important; line-height: 1.6 !important; }
:host([data-raised]) { position: relative !important; z-index: 2147483647 !important; }
.pill { display: inline-flex; align-items: center; gap: 4px; font: 600 11px/1.6 system-ui, sans-serif;
  border-radius: 999px; padding: 0 2px 0 7px; border: 1px solid; white-space: nowrap; }
.pill.matched { color: #1e3a8a; background: #dbeafe; border-color: #93c5fd; }
.pill.unmatched { color: #374151; background: #f3f4f6; border-color: #d1d5db; }
.pill.saved { color: #14532d; background: #dcfce7; border-color: #86efac; }
button { all: unset; cursor: pointer; font: 600 11px/1.6 system-ui, sans-serif; border-radius: 999px;
  padding: 0 7px; color: inherit; background: rgba(255,255,255,0.7); }
button:hover { background: #fff; }
button:focus-visible { outline: 2px solid #2563eb; outline-offset: 1px; }
button[disabled] { opacity: 0.5; cursor: default; }
.extras:empty { display: none; }
@media (prefers-color-scheme: dark) {
  .pill.matched { color: #dbeafe; background: #1e3a8a; border-color: #3b82f6; }
  .pill.unmatched { color: #e5e7eb; background: #374151; border-color: #6b7280; }
  .pill.saved { color: #dcfce7; background: #14532d; border-color: #22c55e; }
  button { background: rgba(0,0,0,0.25); }
  button:hover { background: rgba(0,0,0,0.45); }
}`;

/** What an entry decorator gets (title highlights, counts: see `AnnotatorOptions.decorateEntry`). */
export interface EntryContext {
  titleElement: Element;
  paper: DetectedPaper;
  annotation: EntryAnnotation;
  saved: boolean;
}

/** What a decorator gets for one badge (relevance chips, hover cards: see `AnnotatorOptions.decorate`). */
export interface BadgeContext extends EntryContext {
  /** An element inside the badge's closed shadow root, after the pill; emptied before each call. */
  extras: HTMLElement;
  /** The badge's shadow root, e.g. to add a stylesheet or a hover card. */
  shadow: ShadowRoot;
}

export interface AnnotatorOptions {
  document: Document;
  /** requestAnimationFrame in the page; a microtask-ish stand-in in tests. */
  schedule: (callback: () => void) => void;
  /** Called when the user presses Save / Saved on an entry. */
  onToggleSave: (id: CanonicalId, save: boolean) => void;
  /**
   * Adds more UI to each badge after it is (re)rendered. Writes only inside `extras` / `shadow`,
   * with page-derived text as textContent; everything it adds goes away with the badge.
   */
  decorate?: (context: BadgeContext) => void;
  /**
   * Called for every entry whenever its annotation is written or its saved state changes, whether
   * or not its badge is on the page yet (a badge away from the viewport comes a few frames later,
   * and `decorate` is called then). For what belongs to the entry, not the badge: title marks.
   */
  decorateEntry?: (context: EntryContext) => void;
}

interface PendingBadge {
  paper: DetectedPaper;
  annotation: EntryAnnotation;
}

interface BadgeParts {
  host: HTMLElement;
  shadow: ShadowRoot;
  pill: HTMLElement;
  label: HTMLElement;
  button: HTMLButtonElement;
  extras: HTMLElement;
  paper: DetectedPaper;
  annotation: EntryAnnotation;
}

/** Annotates entries in batches; remembers what it added so it never duplicates and can clean up. */
export class Annotator {
  private readonly badges = new WeakMap<Element, BadgeParts>();
  /** Every badge host added, with its title element (to find orphans and to clean up). */
  private readonly hosts = new Map<HTMLElement, Element>();
  private readonly titlesById = new Map<CanonicalId, Set<Element>>();
  private readonly idOf = new WeakMap<Element, CanonicalId>();
  /** Every title element carrying our attributes. */
  private readonly annotated = new Set<Element>();
  /** Saves and unsaves made on this page since the look-up answered. */
  private readonly savedNow = new Map<CanonicalId, boolean>();
  private queue: { paper: DetectedPaper; annotation: EntryAnnotation }[] = [];
  private scheduled = false;
  private readonly css: CSSStyleSheet | null;
  /** Annotated entries whose badge is still to come, in page order. */
  private readonly pending = new Map<Element, PendingBadge>();
  /** Puts a pending badge on the page as soon as its entry comes near the viewport. */
  private readonly nearObserver: IntersectionObserver | null;
  private filling = false;
  private readonly filled: (() => void)[] = [];

  constructor(private readonly options: AnnotatorOptions) {
    const view = options.document.defaultView;
    // One constructed stylesheet shared by every shadow root, instead of a <style> per badge.
    this.css = view && 'CSSStyleSheet' in view ? this.makeSheet(view) : null;
    // Without intersection observers (jsdom) every badge is written with its entry.
    this.nearObserver =
      view && 'IntersectionObserver' in view
        ? new view.IntersectionObserver((records) => this.onNear(records), {
            rootMargin: `${NEAR_SCREENS * 100}% 0px`,
          })
        : null;
  }

  private makeSheet(view: Window & typeof globalThis): CSSStyleSheet | null {
    try {
      const sheet = new view.CSSStyleSheet();
      sheet.replaceSync(BADGE_CSS);
      return sheet;
    } catch {
      return null;
    }
  }

  /**
   * Queues entries to annotate; writes happen in animation-frame batches. Resolves once every
   * entry's attributes are written and the badges near the viewport with them (`badgesDone` for
   * the rest).
   */
  annotate(items: readonly { paper: DetectedPaper; annotation: EntryAnnotation }[]): Promise<void> {
    this.queue.push(...items);
    return new Promise((resolve) => {
      const tick = (): void => {
        const batch = this.queue.splice(0, PER_FRAME);
        const near = this.nearViewport(batch.map((item) => item.paper.titleElement));
        for (const item of batch) {
          const element = item.paper.titleElement;
          this.write(item.paper, item.annotation, near === null || near.has(element));
        }
        this.startFill();
        if (this.queue.length > 0) this.options.schedule(tick);
        else {
          this.scheduled = false;
          resolve();
        }
      };
      if (!this.scheduled) {
        this.scheduled = true;
        this.options.schedule(tick);
      } else {
        // A batch is already running; resolve when the queue drains.
        const wait = (): void =>
          this.queue.length === 0 ? resolve() : this.options.schedule(wait);
        this.options.schedule(wait);
      }
    });
  }

  /** Resolves once every annotated entry has its badge on the page. */
  badgesDone(): Promise<void> {
    if (this.pending.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.filled.push(resolve));
  }

  /**
   * Whether an element carries this annotator's badge, still in place right after it (or has one
   * coming: annotated, its badge not written yet).
   */
  has(titleElement: Element): boolean {
    if (this.pending.has(titleElement)) return titleElement.isConnected;
    const parts = this.badges.get(titleElement);
    return (
      parts !== undefined &&
      parts.host.isConnected &&
      titleElement.isConnected &&
      titleElement.nextElementSibling === parts.host
    );
  }

  /** How many badges are on the page. */
  get size(): number {
    return this.hosts.size;
  }

  /**
   * Drops badges the page made stale: their title left the page, or a re-render removed or moved
   * the badge. Frameworks that reuse elements can leave our badge behind next to the wrong title.
   */
  prune(): void {
    for (const titleElement of this.pending.keys()) {
      if (titleElement.isConnected) continue;
      this.dropPending(titleElement);
      this.forget(titleElement);
    }
    for (const [host, titleElement] of this.hosts) {
      if (
        host.isConnected &&
        titleElement.isConnected &&
        titleElement.nextElementSibling === host
      ) {
        continue;
      }
      host.remove();
      this.hosts.delete(host);
      if (this.badges.get(titleElement)?.host === host) this.badges.delete(titleElement);
      if (!titleElement.isConnected) this.forget(titleElement);
    }
  }

  /** Reflects a save or unsave on every entry of that paper on the page. */
  setSaved(id: CanonicalId, saved: boolean): void {
    this.savedNow.set(id, saved);
    for (const titleElement of this.titlesById.get(id) ?? []) {
      const pending = this.pending.get(titleElement);
      const parts = this.badges.get(titleElement);
      if (pending) this.writeEntry(titleElement, pending.paper, pending.annotation);
      else if (parts) {
        this.writeEntry(titleElement, parts.paper, parts.annotation);
        this.render(titleElement, parts);
      }
    }
  }

  /** Removes everything this annotator added (the content script was invalidated). */
  clear(): void {
    for (const host of this.hosts.keys()) host.remove();
    this.hosts.clear();
    for (const element of this.annotated) this.removeAttributes(element);
    this.annotated.clear();
    this.titlesById.clear();
    this.savedNow.clear();
    this.queue = [];
    this.nearObserver?.disconnect();
    this.pending.clear();
    this.settleFill();
  }

  private removeAttributes(element: Element): void {
    element.removeAttribute(ATTR_ENTRY);
    element.removeAttribute(ATTR_ID);
    element.removeAttribute(ATTR_SAVED);
    element.removeAttribute(ATTR_RELEVANCE);
  }

  private forget(titleElement: Element): void {
    this.annotated.delete(titleElement);
    const id = this.idOf.get(titleElement);
    if (id === undefined) return;
    this.idOf.delete(titleElement);
    const elements = this.titlesById.get(id);
    if (elements?.delete(titleElement) && elements.size === 0) this.titlesById.delete(id);
  }

  /**
   * The title elements among `titles` within NEAR_SCREENS of the viewport, or null when everything
   * should get its badge at once (no intersection observer, no viewport). Reads every rect before
   * anything is written, so at most one layout (of what the page itself changed) is forced.
   */
  private nearViewport(titles: readonly Element[]): Set<Element> | null {
    const height = this.options.document.defaultView?.innerHeight ?? 0;
    if (!this.nearObserver || height <= 0) return null;
    const near = new Set<Element>();
    for (const title of titles) {
      const box = title.getBoundingClientRect();
      if (box.bottom >= -NEAR_SCREENS * height && box.top <= (1 + NEAR_SCREENS) * height)
        near.add(title);
    }
    return near;
  }

  private onNear(records: IntersectionObserverEntry[]): void {
    for (const record of records) {
      if (record.isIntersecting) this.writePending(record.target);
    }
    if (this.pending.size === 0) this.settleFill();
  }

  /** Adds the pending badges a frame at a time, in page order, until none is left. */
  private startFill(): void {
    if (this.filling || this.pending.size === 0) {
      if (this.pending.size === 0) this.settleFill();
      return;
    }
    this.filling = true;
    const perFrame = Math.max(FILL_PER_FRAME, Math.ceil(this.pending.size / FILL_FRAMES));
    const step = (): void => {
      let written = 0;
      for (const titleElement of this.pending.keys()) {
        if (written >= perFrame) break;
        this.writePending(titleElement);
        written += 1;
      }
      if (this.pending.size > 0) this.options.schedule(step);
      else {
        this.filling = false;
        this.settleFill();
      }
    };
    this.options.schedule(step);
  }

  private settleFill(): void {
    if (this.pending.size > 0) return;
    for (const resolve of this.filled.splice(0)) resolve();
  }

  private dropPending(titleElement: Element): void {
    if (!this.pending.delete(titleElement)) return;
    this.nearObserver?.unobserve(titleElement);
  }

  private writePending(titleElement: Element): void {
    const item = this.pending.get(titleElement);
    if (!item) return;
    this.dropPending(titleElement);
    if (!titleElement.isConnected) {
      this.forget(titleElement);
      return;
    }
    this.writeBadge(titleElement, item.paper, item.annotation);
  }

  private write(paper: DetectedPaper, annotation: EntryAnnotation, badgeNow: boolean): void {
    const titleElement = paper.titleElement;
    if (!titleElement.isConnected) return;
    // An element the page reused for another paper keeps nothing of the previous one.
    this.forget(titleElement);
    titleElement.setAttribute(ATTR_ENTRY, annotation.matched ? 'matched' : 'unmatched');
    if (annotation.id) {
      titleElement.setAttribute(ATTR_ID, annotation.id);
      const set = this.titlesById.get(annotation.id) ?? new Set<Element>();
      set.add(titleElement);
      this.titlesById.set(annotation.id, set);
      this.idOf.set(titleElement, annotation.id);
    } else {
      titleElement.removeAttribute(ATTR_ID);
    }
    if (annotation.relevance) {
      titleElement.setAttribute(ATTR_RELEVANCE, annotation.relevance.score.toFixed(2));
    } else {
      titleElement.removeAttribute(ATTR_RELEVANCE);
    }
    this.annotated.add(titleElement);
    this.writeEntry(titleElement, paper, annotation);
    const badged = !this.pending.has(titleElement) && this.has(titleElement);
    if (!badged && !badgeNow) {
      if (!this.pending.has(titleElement)) this.nearObserver?.observe(titleElement);
      this.pending.set(titleElement, { paper, annotation });
      return;
    }
    this.dropPending(titleElement);
    this.writeBadge(titleElement, paper, annotation);
  }

  private savedState(annotation: EntryAnnotation): boolean {
    const id = annotation.id ?? '';
    return (id ? this.savedNow.get(id) : undefined) ?? annotation.saved;
  }

  /** The entry's saved mark, and what decorators put on the entry itself. */
  private writeEntry(
    titleElement: Element,
    paper: DetectedPaper,
    annotation: EntryAnnotation,
  ): void {
    const saved = this.savedState(annotation);
    if (saved) titleElement.setAttribute(ATTR_SAVED, 'true');
    else titleElement.removeAttribute(ATTR_SAVED);
    this.options.decorateEntry?.({ titleElement, paper, annotation, saved });
  }

  private writeBadge(
    titleElement: Element,
    paper: DetectedPaper,
    annotation: EntryAnnotation,
  ): void {
    let parts = this.badges.get(titleElement);
    if (!parts || !this.has(titleElement)) {
      if (parts) {
        parts.host.remove();
        this.hosts.delete(parts.host);
      }
      parts = this.createBadge(titleElement, paper, annotation);
      this.badges.set(titleElement, parts);
    }
    parts.paper = paper;
    parts.annotation = annotation;
    this.render(titleElement, parts);
  }

  private render(titleElement: Element, parts: BadgeParts): void {
    const { annotation } = parts;
    const id = annotation.id ?? '';
    const saved = this.savedState(annotation);
    const matched = annotation.matched;
    parts.button.dataset.id = id;
    parts.pill.className = `pill ${saved ? 'saved' : matched ? 'matched' : 'unmatched'}`;
    parts.label.textContent = saved ? 'Saved' : matched ? 'In index' : 'Not in index';
    parts.button.textContent = saved ? 'Unsave' : 'Save';
    parts.button.disabled = id === '';
    parts.button.setAttribute('aria-pressed', String(saved));
    parts.button.title = id === '' ? 'No paper id found on this page for this entry' : '';
    if (this.options.decorate) {
      parts.extras.replaceChildren();
      this.options.decorate({
        titleElement,
        paper: parts.paper,
        annotation,
        saved,
        extras: parts.extras,
        shadow: parts.shadow,
      });
    }
  }

  private createBadge(
    titleElement: Element,
    paper: DetectedPaper,
    annotation: EntryAnnotation,
  ): BadgeParts {
    const doc = this.options.document;
    const host = doc.createElement(BADGE_TAG);
    const shadow = host.attachShadow({ mode: 'closed' });
    if (this.css) shadow.adoptedStyleSheets = [this.css];
    else {
      const style = doc.createElement('style');
      style.textContent = BADGE_CSS;
      shadow.append(style);
    }
    const pill = doc.createElement('span');
    const label = doc.createElement('span');
    const button = doc.createElement('button');
    const extras = doc.createElement('span');
    extras.className = 'extras';
    button.type = 'button';
    pill.append(label, button);
    shadow.append(pill, extras);
    // Keep clicks inside the badge from triggering the page's own handlers (e.g. a card link).
    for (const type of ['click', 'mousedown', 'mouseup', 'pointerdown', 'pointerup'] as const) {
      host.addEventListener(type, (event) => {
        event.stopPropagation();
        if (type === 'click') event.preventDefault();
      });
    }
    button.addEventListener('click', (event) => {
      if (!event.isTrusted) return; // Synthetic clicks from the page script must not save anything.
      // A page can make our badge nearly invisible and lure a click onto it (DOM clickjacking).
      if (!isPlainlyVisible(host)) return;
      const id = button.dataset.id;
      if (!id) return;
      const saved = titleElement.getAttribute(ATTR_SAVED) === 'true';
      this.options.onToggleSave(id, !saved);
    });
    titleElement.after(host);
    this.hosts.set(host, titleElement);
    return { host, shadow, pill, label, button, extras, paper, annotation };
  }
}

/** Below this combined opacity a badge is treated as hidden (keepassxc-browser uses 0.7 too). */
const MIN_CLICK_OPACITY = 0.7;

/** Whether the page left the badge visible: no hidden ancestor, combined opacity ≥ 0.7. */
function isPlainlyVisible(host: HTMLElement): boolean {
  const view = host.ownerDocument.defaultView;
  if (!view) return false;
  let opacity = 1;
  for (let element: Element | null = host; element; element = element.parentElement) {
    const style = view.getComputedStyle(element);
    const own = Number.parseFloat(style.opacity);
    opacity *= Number.isNaN(own) ? 1 : own;
    if (style.visibility === 'hidden' || style.display === 'none') return false;
  }
  return opacity >= MIN_CLICK_OPACITY;
}
