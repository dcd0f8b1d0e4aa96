/**
 * The only code that writes to a listing page. Public contract (README "Annotation contract"):
 * on each detected entry's title element
 *   data-paperlight-entry="matched" | "unmatched"   once processed
 *   data-paperlight-id="<canonical id>"             whenever the id is known
 *   data-paperlight-saved="true"                    while the paper is in the library
 * and a `<paperlight-badge>` host right after the title holding a closed shadow root.
 * Page-derived text is only ever set with textContent.
 */
import type { EntryAnnotation } from './messages';
import type { DetectedPaper } from './sites/types';
import type { CanonicalId } from './types';

export const ATTR_ENTRY = 'data-paperlight-entry';
export const ATTR_ID = 'data-paperlight-id';
export const ATTR_SAVED = 'data-paperlight-saved';
export const BADGE_TAG = 'paperlight-badge';

/** Entries written per animation frame: 2,000 badges in one frame measured 71 ms. */
const PER_FRAME = 400;

const BADGE_CSS = `
:host { all: initial; display: inline-flex !important; vertical-align: middle; margin-inline-start: 0.4em;
  visibility: visible !important; opacity: 1 !important; position: relative !important; z-index: 2147483000; }
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
@media (prefers-color-scheme: dark) {
  .pill.matched { color: #dbeafe; background: #1e3a8a; border-color: #3b82f6; }
  .pill.unmatched { color: #e5e7eb; background: #374151; border-color: #6b7280; }
  .pill.saved { color: #dcfce7; background: #14532d; border-color: #22c55e; }
  button { background: rgba(0,0,0,0.25); }
  button:hover { background: rgba(0,0,0,0.45); }
}`;

export interface AnnotatorOptions {
  document: Document;
  /** requestAnimationFrame in the page; a microtask-ish stand-in in tests. */
  schedule: (callback: () => void) => void;
  /** Called when the user presses Save / Saved on an entry. */
  onToggleSave: (id: CanonicalId, save: boolean) => void;
}

interface BadgeParts {
  host: HTMLElement;
  pill: HTMLElement;
  label: HTMLElement;
  button: HTMLButtonElement;
}

/** Annotates entries in batches; remembers what it added so it never duplicates and can clean up. */
export class Annotator {
  private readonly badges = new WeakMap<Element, BadgeParts>();
  private readonly hosts = new Set<HTMLElement>();
  private readonly titlesById = new Map<CanonicalId, Set<Element>>();
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

  /** Whether an element was already annotated by this annotator. */
  has(titleElement: Element): boolean {
    return this.badges.has(titleElement);
  }

  /** Reflects a save or unsave on every entry of that paper on the page. */
  setSaved(id: CanonicalId, saved: boolean): void {
    for (const titleElement of this.titlesById.get(id) ?? []) {
      const parts = this.badges.get(titleElement);
      if (parts)
        this.render(
          titleElement,
          parts,
          titleElement.getAttribute(ATTR_ENTRY) === 'matched',
          saved,
        );
    }
  }

  /** Removes everything this annotator added (the content script was invalidated). */
  clear(): void {
    for (const host of this.hosts) host.remove();
    this.hosts.clear();
    for (const elements of this.titlesById.values()) {
      for (const element of elements) {
        element.removeAttribute(ATTR_ENTRY);
        element.removeAttribute(ATTR_ID);
        element.removeAttribute(ATTR_SAVED);
      }
    }
    this.titlesById.clear();
    this.queue = [];
  }

  private write(paper: DetectedPaper, annotation: EntryAnnotation): void {
    const titleElement = paper.titleElement;
    if (!titleElement.isConnected) return;
    titleElement.setAttribute(ATTR_ENTRY, annotation.matched ? 'matched' : 'unmatched');
    if (annotation.id) {
      titleElement.setAttribute(ATTR_ID, annotation.id);
      const set = this.titlesById.get(annotation.id) ?? new Set<Element>();
      set.add(titleElement);
      this.titlesById.set(annotation.id, set);
    }
    let parts = this.badges.get(titleElement);
    if (!parts || !parts.host.isConnected) {
      parts = this.createBadge(titleElement);
      this.badges.set(titleElement, parts);
    }
    parts.button.dataset.id = annotation.id ?? '';
    this.render(titleElement, parts, annotation.matched, annotation.saved);
  }

  private render(titleElement: Element, parts: BadgeParts, matched: boolean, saved: boolean): void {
    if (saved) titleElement.setAttribute(ATTR_SAVED, 'true');
    else titleElement.removeAttribute(ATTR_SAVED);
    const id = parts.button.dataset.id ?? '';
    parts.pill.className = `pill ${saved ? 'saved' : matched ? 'matched' : 'unmatched'}`;
    parts.label.textContent = saved ? 'Saved' : matched ? 'In index' : 'Not in index';
    parts.button.textContent = saved ? 'Unsave' : 'Save';
    parts.button.disabled = id === '';
    parts.button.setAttribute('aria-pressed', String(saved));
    parts.button.title = id === '' ? 'No paper id found on this page for this entry' : '';
  }

  private createBadge(titleElement: Element): BadgeParts {
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
    button.type = 'button';
    pill.append(label, button);
    shadow.append(pill);
    // Keep clicks inside the badge from triggering the page's own handlers (e.g. a card link).
    for (const type of ['click', 'mousedown', 'mouseup', 'pointerdown', 'pointerup'] as const) {
      host.addEventListener(type, (event) => {
        event.stopPropagation();
        if (type === 'click') event.preventDefault();
      });
    }
    button.addEventListener('click', (event) => {
      if (!event.isTrusted) return; // Synthetic clicks from the page script must not save anything.
      const id = button.dataset.id;
      if (!id) return;
      const saved = titleElement.getAttribute(ATTR_SAVED) === 'true';
      this.options.onToggleSave(id, !saved);
    });
    titleElement.after(host);
    this.hosts.add(host);
    return { host, pill, label, button };
  }
}
