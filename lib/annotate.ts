/**
 * The only code that writes to a listing page. Public contract (README "Annotation contract"):
 * on each detected entry's title element
 *   data-paperlight-entry="matched" | "unmatched"   once processed
 *   data-paperlight-id="<canonical id>"             whenever the id is known
 *   data-paperlight-saved="true"                    while the paper is in the library
 *   data-paperlight-relevance="<score 0.00–1.00>"   when relevance scored the entry
 * and a `<paperlight-badge>` host right after the title holding a closed shadow root.
 * Page-derived text is only ever set with textContent.
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
 * Entries written per animation frame. Every frame that adds badges pays a rendering pass over the
 * listing besides the writes, so fewer frames finish sooner: on a 2,000-entry arXiv page (content
 * bench, loaded machine) 400 per frame took 1.4–1.6 s from the look-up reply to the last batch
 * written, 2,000 in one frame 0.1–0.16 s (a 70 ms frame) and ~0.6 s until drawn.
 */
const PER_FRAME = 2000;

// Page CSS must not restyle the badge: outer rules beat `:host` unless `:host` is !important, and an
// !important `:host` rule beats even the page's !important ones (the shadow context wins for
// important declarations).
const BADGE_CSS = `
:host { all: initial !important; display: inline-flex !important; vertical-align: middle !important;
  margin: 0 0 0 0.4em !important; padding: 0 !important; border: 0 !important; float: none !important;
  width: auto !important; height: auto !important; min-width: 0 !important; max-width: none !important;
  transform: none !important; filter: none !important; clip-path: none !important;
  visibility: visible !important; opacity: 1 !important; position: relative !important;
  inset: auto !important; z-index: 2147483000 !important; pointer-events: auto !important;
  font-size: 11px !important; line-height: 1.6 !important; }
:host([data-raised]) { z-index: 2147483647 !important; }
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

/** What a decorator gets for one entry (relevance chips, hover cards: see `AnnotatorOptions.decorate`). */
export interface BadgeContext {
  titleElement: Element;
  paper: DetectedPaper;
  annotation: EntryAnnotation;
  saved: boolean;
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

  constructor(private readonly options: AnnotatorOptions) {
    const view = options.document.defaultView;
    // One constructed stylesheet shared by every shadow root, instead of a <style> per badge.
    this.css = view && 'CSSStyleSheet' in view ? this.makeSheet(view) : null;
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

  /** Queues entries to annotate; writes happen in animation-frame batches. */
  annotate(items: readonly { paper: DetectedPaper; annotation: EntryAnnotation }[]): Promise<void> {
    this.queue.push(...items);
    return new Promise((resolve) => {
      const tick = (): void => {
        const batch = this.queue.splice(0, PER_FRAME);
        for (const item of batch) this.write(item.paper, item.annotation);
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

  /** Whether an element carries this annotator's badge, still in place right after it. */
  has(titleElement: Element): boolean {
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
      const parts = this.badges.get(titleElement);
      if (parts) this.render(titleElement, parts);
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

  private write(paper: DetectedPaper, annotation: EntryAnnotation): void {
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
    const saved = (id ? this.savedNow.get(id) : undefined) ?? annotation.saved;
    const matched = annotation.matched;
    if (saved) titleElement.setAttribute(ATTR_SAVED, 'true');
    else titleElement.removeAttribute(ATTR_SAVED);
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
