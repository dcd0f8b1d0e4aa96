/**
 * Relevance on the page, drawn through the annotator's `decorate` hook: the title highlighted in
 * its tag's colour at two strengths, a score chip in the badge, a hover card with the abstract
 * (TeX rendered as Unicode text) and why, "Not relevant" that retrains and re-scores the page, a
 * compact page bar (only relevant / dim the rest / sort, counts per tag), opt-in j/k/s keys, and
 * the count for the toolbar badge. Page-derived text only ever goes through textContent.
 */
import type { BadgeContext, EntryContext } from '../annotate';
import type { EntryAnnotation, MessageType, PageEntry, RequestOf, ResponseMap } from '../messages';
import type { DetectedPaper } from '../sites/types';
import { texToText } from './tex';
import type { EntryRelevance } from './types';

export const ATTR_LEVEL = 'data-paperlight-level';
export const ATTR_HIDDEN = 'data-paperlight-hidden';
export const ATTR_DIMMED = 'data-paperlight-dimmed';
export const ATTR_CURRENT = 'data-paperlight-current';
export const BAR_TAG = 'paperlight-bar';
const COLOR_VAR = '--paperlight-color';
const PAGE_STYLE_ID = 'paperlight-relevance-style';

// Our own constant CSS (no page text in it). Highlights are background tints plus an inset edge
// so they survive the page's own colours; !important because page CSS may style titles hard.
const PAGE_CSS = `
[${ATTR_LEVEL}="strong"] { background: color-mix(in srgb, var(${COLOR_VAR}) 26%, transparent) !important;
  box-shadow: inset 4px 0 0 var(${COLOR_VAR}) !important; border-radius: 3px; }
[${ATTR_LEVEL}="weak"] { background: color-mix(in srgb, var(${COLOR_VAR}) 10%, transparent) !important;
  box-shadow: inset 2px 0 0 color-mix(in srgb, var(${COLOR_VAR}) 70%, transparent) !important; border-radius: 3px; }
[${ATTR_DIMMED}] { opacity: 0.4 !important; }
[${ATTR_HIDDEN}] { display: none !important; }
[${ATTR_CURRENT}] { outline: 2px solid var(${COLOR_VAR}, #7c3aed) !important; outline-offset: 2px; }`;

const CHIP_CSS = `
.chip { all: unset; cursor: pointer; display: inline-flex; align-items: center; gap: 4px; margin-inline-start: 4px;
  font: 600 11px/1.6 system-ui, sans-serif; border-radius: 999px; padding: 0 7px; border: 1px solid var(--c);
  color: #111827; background: color-mix(in srgb, var(--c) 18%, white); }
.chip.strong { background: var(--c); color: #fff; }
.chip:focus-visible { outline: 2px solid #2563eb; outline-offset: 1px; }
.card { position: absolute; top: calc(100% + 4px); left: 0; z-index: 2147483647; width: min(420px, 80vw);
  box-sizing: border-box; padding: 10px 12px; border-radius: 8px; border: 1px solid #d1d5db; background: #fff;
  color: #111827; font: 13px/1.45 system-ui, sans-serif; box-shadow: 0 8px 24px rgba(0,0,0,0.18); white-space: normal; }
.card[hidden] { display: none; }
.card h2 { all: unset; display: block; font-weight: 700; font-size: 13px; margin-bottom: 4px; }
.card ul { margin: 4px 0; padding-inline-start: 18px; }
.card .abstract { margin-top: 6px; max-height: 12em; overflow: auto; color: #374151; }
.card .muted { color: #6b7280; }
.card .actions { display: flex; gap: 6px; margin: 6px 0; }
.card button { all: unset; cursor: pointer; border: 1px solid #d1d5db; border-radius: 6px; padding: 1px 8px; font-weight: 600; }
.card button:focus-visible { outline: 2px solid #2563eb; }
@media (prefers-color-scheme: dark) {
  .chip { color: #f9fafb; background: color-mix(in srgb, var(--c) 35%, #111827); }
  .card { background: #1c1f26; color: #e5e7eb; border-color: #374151; }
  .card .abstract { color: #d1d5db; }
  .card .muted { color: #9ca3af; }
  .card button { border-color: #4b5563; }
}`;

const BAR_CSS = `
:host { all: initial; position: fixed !important; right: 12px; bottom: 12px; z-index: 2147483646; }
.bar { display: flex; flex-wrap: wrap; align-items: center; gap: 6px; max-width: min(560px, 90vw); padding: 6px 10px;
  border-radius: 10px; border: 1px solid #d1d5db; background: #fff; color: #111827;
  font: 12px/1.5 system-ui, sans-serif; box-shadow: 0 4px 16px rgba(0,0,0,0.15); }
.tag { display: inline-flex; align-items: center; gap: 4px; }
.dot { width: 9px; height: 9px; border-radius: 50%; background: var(--c); display: inline-block; }
button { all: unset; cursor: pointer; border: 1px solid #d1d5db; border-radius: 6px; padding: 0 7px; font-weight: 600; }
button[aria-pressed="true"] { background: #ede9fe; border-color: #7c3aed; }
button:focus-visible { outline: 2px solid #2563eb; }
.muted { color: #6b7280; }
@media (prefers-color-scheme: dark) {
  .bar { background: #1c1f26; color: #e5e7eb; border-color: #374151; }
  button { border-color: #4b5563; }
  button[aria-pressed="true"] { background: #4c1d95; }
  .muted { color: #9ca3af; }
}`;

/** A tag colour is user data: only plain hex colours reach a style. */
export function safeColor(color: string | undefined): string {
  return color && /^#[0-9a-f]{3,8}$/i.test(color) ? color : '#7c3aed';
}

export interface RelevanceLayerOptions {
  document: Document;
  call: <T extends MessageType>(type: T, payload: RequestOf<T>) => Promise<ResponseMap[T]>;
  /** Writes fresh annotations for entries (the annotator's `annotate`). */
  reannotate: (items: { paper: DetectedPaper; annotation: EntryAnnotation }[]) => Promise<void>;
  /** Saves a paper from the keyboard ("s"). */
  save: (id: string) => void;
  /** Delay for coalescing bar and badge updates (setTimeout in the page). */
  later: (callback: () => void, ms: number) => void;
}

interface Tracked {
  paper: DetectedPaper;
  annotation: EntryAnnotation;
}

type Mode = 'only' | 'dim' | 'sort';

export class RelevanceLayer {
  private readonly entries = new Map<Element, Tracked>();
  private readonly styledShadows = new WeakSet<ShadowRoot>();
  private chipSheet: CSSStyleSheet | null | undefined;
  private bar: {
    host: HTMLElement;
    root: ShadowRoot;
    summary: HTMLElement;
    tags: HTMLElement;
    keys: HTMLElement;
  } | null = null;
  private readonly modes = new Set<Mode>();
  private barPending = false;
  private lastCount = -1;
  private keyboard = false;
  private current: Element | null = null;
  private sorted: { parent: Element; order: ChildNode[] }[] = [];
  private readonly keyHandler = (event: KeyboardEvent): void => this.onKey(event);

  constructor(private readonly options: RelevanceLayerOptions) {}

  /**
   * The `decorateEntry` hook of the annotator: the title's highlight and the entry's place in the
   * counts, bar and modes, for every entry (its badge may come a few frames later).
   */
  decorateEntry(context: EntryContext): void {
    const { titleElement, annotation, paper } = context;
    this.entries.set(titleElement, { paper, annotation });
    const relevance = annotation.relevance;
    const element = titleElement as HTMLElement;
    if (relevance && relevance.level !== 'none' && !relevance.dismissed) {
      this.ensurePageStyle();
      element.setAttribute(ATTR_LEVEL, relevance.level);
      element.style.setProperty(COLOR_VAR, safeColor(relevance.color));
    } else {
      element.removeAttribute(ATTR_LEVEL);
      element.style.removeProperty(COLOR_VAR);
    }
    this.scheduleBar();
  }

  /** The `decorate` hook of the annotator: the entry's marks (as `decorateEntry`) and its chip. */
  decorate(context: BadgeContext): void {
    this.decorateEntry(context);
    const relevance = context.annotation.relevance;
    // A chip only where there is something to say: highlighted or dismissed entries.
    if (relevance && (relevance.level !== 'none' || relevance.dismissed))
      this.addChip(context, relevance);
  }

  /** Turns j/k/s on or off (an opt-in setting). */
  setKeyboard(enabled: boolean): void {
    if (enabled === this.keyboard) return;
    this.keyboard = enabled;
    const doc = this.options.document;
    if (enabled) doc.addEventListener('keydown', this.keyHandler, true);
    else doc.removeEventListener('keydown', this.keyHandler, true);
    this.scheduleBar();
  }

  private ensurePageStyle(): void {
    const doc = this.options.document;
    if (doc.getElementById(PAGE_STYLE_ID)) return;
    const style = doc.createElement('style');
    style.id = PAGE_STYLE_ID;
    style.textContent = PAGE_CSS;
    (doc.head ?? doc.documentElement).append(style);
  }

  private styleShadow(shadow: ShadowRoot): void {
    if (this.styledShadows.has(shadow)) return;
    this.styledShadows.add(shadow);
    if (this.chipSheet === undefined) {
      const view = this.options.document.defaultView;
      try {
        this.chipSheet = view ? new view.CSSStyleSheet() : null;
        this.chipSheet?.replaceSync(CHIP_CSS);
      } catch {
        this.chipSheet = null;
      }
    }
    if (this.chipSheet) shadow.adoptedStyleSheets = [...shadow.adoptedStyleSheets, this.chipSheet];
    else {
      const style = this.options.document.createElement('style');
      style.textContent = CHIP_CSS;
      shadow.append(style);
    }
  }

  private addChip(context: BadgeContext, relevance: EntryRelevance): void {
    this.ensurePageStyle();
    this.styleShadow(context.shadow);
    const doc = this.options.document;
    const chip = doc.createElement('button');
    chip.type = 'button';
    chip.className = `chip ${relevance.level}`;
    chip.style.setProperty('--c', safeColor(relevance.color));
    const percent = Math.round(relevance.score * 100);
    const label = relevance.dismissed
      ? 'Dismissed'
      : `${percent}${relevance.level !== 'none' && relevance.tag ? ` · ${relevance.tag}` : ''}`;
    chip.textContent = label;
    chip.dataset.score = relevance.score.toFixed(2);
    chip.setAttribute('aria-expanded', 'false');
    chip.setAttribute(
      'aria-label',
      relevance.dismissed
        ? 'Dismissed as not relevant; show details'
        : `Relevance ${percent} percent${relevance.tag ? ` for tag ${relevance.tag}` : ''}; show why`,
    );
    const card = doc.createElement('div');
    card.className = 'card';
    card.hidden = true;
    card.setAttribute('role', 'dialog');
    let hideTimer = 0;
    // Hover opens the card for a glance; a click (or Enter) pins it open until clicked again.
    let pinned = false;
    const open = (): void => {
      window.clearTimeout(hideTimer);
      if (!card.hidden) return;
      card.hidden = false;
      // Later badges on the page share the badge's stacking level: lift this one above them.
      // (An inline style can't beat the host's own !important rule; an attribute it styles can.)
      context.shadow.host.setAttribute('data-raised', '');
      chip.setAttribute('aria-expanded', 'true');
      this.fillCard(card, context, relevance);
    };
    const close = (): void => {
      pinned = false;
      card.hidden = true;
      context.shadow.host.removeAttribute('data-raised');
      chip.setAttribute('aria-expanded', 'false');
    };
    chip.addEventListener('click', (event) => {
      if (!event.isTrusted) return;
      if (pinned) close();
      else {
        open();
        pinned = true;
      }
    });
    chip.addEventListener('mouseenter', open);
    const leave = (): void => {
      if (!pinned) hideTimer = window.setTimeout(close, 250);
    };
    chip.addEventListener('mouseleave', leave);
    card.addEventListener('mouseenter', () => window.clearTimeout(hideTimer));
    card.addEventListener('mouseleave', leave);
    card.addEventListener('keydown', (event) => {
      if (event.key === 'Escape') {
        close();
        chip.focus();
      }
    });
    context.extras.append(chip, card);
  }

  private fillCard(card: HTMLElement, context: BadgeContext, relevance: EntryRelevance): void {
    const doc = this.options.document;
    const heading = doc.createElement('h2');
    heading.textContent = relevance.dismissed
      ? 'You marked this as not relevant'
      : relevance.level === 'none'
        ? `Not highlighted (score ${Math.round(relevance.score * 100)})`
        : `Relevant${relevance.tag ? ` to “${relevance.tag}”` : ' to your library'} · ${Math.round(relevance.score * 100)}`;
    const reasons = doc.createElement('ul');
    const showReasons = (shown: EntryRelevance): void => {
      reasons.replaceChildren(
        ...this.reasonItems(shown).map((text) => {
          const item = doc.createElement('li');
          item.textContent = text;
          return item;
        }),
      );
    };
    showReasons(relevance);
    const abstract = doc.createElement('div');
    abstract.className = 'abstract';
    const pageAbstract = context.paper.abstract;
    abstract.textContent = pageAbstract ? texToText(pageAbstract) : 'Loading the abstract…';
    const actions = doc.createElement('div');
    actions.className = 'actions';
    const id = context.annotation.id;
    if (id) {
      const dismiss = doc.createElement('button');
      dismiss.type = 'button';
      dismiss.textContent = relevance.dismissed ? 'Undo “not relevant”' : 'Not relevant';
      dismiss.addEventListener('click', (event) => {
        if (!event.isTrusted) return;
        dismiss.textContent = 'Learning…';
        this.dismiss(id, !relevance.dismissed).catch((error: unknown) => {
          dismiss.textContent = 'Could not save that';
          console.warn('Paperlight:', error);
        });
      });
      actions.append(dismiss);
    }
    // Actions before the abstract: the abstract scrolls, which makes it a tab stop of its own.
    card.replaceChildren(heading, reasons, actions, abstract);
    // The page's scores leave out the words and the nearest saved paper of relevant entries
    // (`deferred`): the card asks for them, with the abstract when the page shows none.
    if (id && (!pageAbstract || relevance.reasons.deferred)) {
      this.explanation(id, relevance)
        .then((answer) => {
          if (!pageAbstract)
            abstract.textContent = answer.abstract
              ? texToText(answer.abstract)
              : 'No abstract known for this paper.';
          const full = answer.relevance;
          if (
            full &&
            (relevance.reasons.deferred ||
              full.reasons.words.length > relevance.reasons.words.length)
          )
            showReasons(full);
        })
        .catch(() => {
          if (!pageAbstract) abstract.textContent = 'No abstract known for this paper.';
          if (relevance.reasons.deferred)
            showReasons({ ...relevance, reasons: { ...relevance.reasons, deferred: false } });
        });
    }
  }

  private readonly explanations = new WeakMap<
    EntryRelevance,
    Promise<ResponseMap['getRelevanceExplanation']>
  >();

  /** The background's full explanation of an entry, asked once per score shown (not per hover). */
  private explanation(
    id: string,
    relevance: EntryRelevance,
  ): Promise<ResponseMap['getRelevanceExplanation']> {
    let pending = this.explanations.get(relevance);
    if (!pending) {
      pending = this.options.call('getRelevanceExplanation', { id });
      this.explanations.set(relevance, pending);
      pending.catch(() => this.explanations.delete(relevance));
    }
    return pending;
  }

  private reasonItems(relevance: EntryRelevance): string[] {
    const items: string[] = [];
    const { reasons } = relevance;
    if (reasons.interestTerms.length > 0)
      items.push(`Matches your interests: ${reasons.interestTerms.join(', ')}`);
    if (reasons.words.length > 0) {
      const words = reasons.words.map((word) =>
        word.startsWith('a:') ? `author ${word.slice(2)}` : `“${word}”`,
      );
      items.push(`Key words: ${words.join(', ')}`);
    }
    if (reasons.nearest) items.push(`Like your saved paper: ${texToText(reasons.nearest.title)}`);
    if (reasons.deferred) items.push('Finding the key words and the closest saved paper…');
    if (reasons.titleOnly) items.push('Scored on title and authors only: no abstract known.');
    const others = relevance.tags.filter(
      (tag) => tag.tag !== relevance.tag && tag.score > 0.5 && tag.tag,
    );
    if (others.length > 0) {
      items.push(
        `Also: ${others.map((tag) => `${tag.tag ?? ''} ${Math.round(tag.score * 100)}`).join(', ')}`,
      );
    }
    if (items.length === 0) items.push('Nothing in it matches your tags or interests strongly.');
    return items;
  }

  /** Dismisses (or restores) a paper, then re-scores the whole page with the retrained models. */
  async dismiss(id: string, dismissed: boolean): Promise<void> {
    await this.options.call('dismissFromPage', { id, dismissed });
    await this.rescore();
  }

  /** Looks up every tracked entry again and rewrites them (after the models changed). */
  async rescore(): Promise<void> {
    const tracked = [...this.entries.values()].filter(
      (item) => item.paper.titleElement.isConnected,
    );
    if (tracked.length === 0) return;
    const entries: PageEntry[] = tracked.map(({ paper }, ref) => {
      const entry: PageEntry = {
        ref,
        title: paper.title.slice(0, 2000),
        ids: paper.ids.slice(0, 10),
        authors: paper.authors.slice(0, 200),
      };
      if (paper.abstract) entry.abstract = paper.abstract.slice(0, 20_000);
      return entry;
    });
    const { annotations } = await this.options.call('lookupEntries', { entries });
    await this.options.reannotate(
      annotations.flatMap((annotation) => {
        const item = tracked[annotation.ref];
        return item ? [{ paper: item.paper, annotation }] : [];
      }),
    );
  }

  private relevantTitles(): Element[] {
    return [...this.entries.entries()]
      .filter(([title, item]) => title.isConnected && isRelevant(item.annotation.relevance))
      .map(([title]) => title)
      .sort((a, b) => (a.compareDocumentPosition(b) & Node.DOCUMENT_POSITION_FOLLOWING ? -1 : 1));
  }

  private scheduleBar(): void {
    if (this.barPending) return;
    this.barPending = true;
    this.options.later(() => {
      this.barPending = false;
      this.renderBar();
    }, 50);
  }

  private renderBar(): void {
    const scored = [...this.entries.entries()].filter(
      ([title, item]) => title.isConnected && item.annotation.relevance,
    );
    const relevant = scored.filter(([, item]) => isRelevant(item.annotation.relevance));
    if (relevant.length !== this.lastCount) {
      this.lastCount = relevant.length;
      this.options.call('setRelevantCount', { count: relevant.length }).catch(() => undefined);
    }
    if (scored.length === 0) {
      this.bar?.host.remove();
      this.bar = null;
      return;
    }
    const bar = this.bar ?? this.createBar();
    const byTag = new Map<string, { color: string; count: number }>();
    for (const [, item] of relevant) {
      const relevance = item.annotation.relevance;
      const name = relevance?.tag ?? 'library';
      const current = byTag.get(name) ?? { color: safeColor(relevance?.color), count: 0 };
      current.count += 1;
      byTag.set(name, current);
    }
    bar.summary.textContent = `${relevant.length} relevant of ${scored.length}`;
    const doc = this.options.document;
    bar.tags.replaceChildren(
      ...[...byTag.entries()].map(([name, { color, count }]) => {
        const tag = doc.createElement('span');
        tag.className = 'tag';
        const dot = doc.createElement('span');
        dot.className = 'dot';
        dot.style.setProperty('--c', color);
        const text = doc.createElement('span');
        text.textContent = `${name} ${count}`;
        tag.append(dot, text);
        return tag;
      }),
    );
    bar.keys.textContent = this.keyboard ? 'j/k: next/previous · s: save' : '';
    this.applyModes();
  }

  private createBar(): NonNullable<RelevanceLayer['bar']> {
    const doc = this.options.document;
    const host = doc.createElement(BAR_TAG);
    const root = host.attachShadow({ mode: 'closed' });
    const style = doc.createElement('style');
    style.textContent = BAR_CSS;
    const bar = doc.createElement('div');
    bar.className = 'bar';
    bar.setAttribute('role', 'toolbar');
    bar.setAttribute('aria-label', 'Paperlight relevance');
    const name = doc.createElement('strong');
    name.textContent = 'Paperlight';
    const summary = doc.createElement('span');
    const tags = doc.createElement('span');
    tags.className = 'tags';
    const buttons = (
      [
        ['only', 'Only relevant'],
        ['dim', 'Dim others'],
        ['sort', 'Sort by relevance'],
      ] as const
    ).map(([mode, label]) => {
      const button = doc.createElement('button');
      button.type = 'button';
      button.textContent = label;
      button.setAttribute('aria-pressed', 'false');
      button.addEventListener('click', (event) => {
        if (!event.isTrusted) return;
        if (this.modes.has(mode)) this.modes.delete(mode);
        else this.modes.add(mode);
        button.setAttribute('aria-pressed', String(this.modes.has(mode)));
        this.applyModes();
      });
      return button;
    });
    const keys = doc.createElement('span');
    keys.className = 'muted';
    bar.append(name, summary, tags, ...buttons, keys);
    root.append(style, bar);
    // Clicks in the bar are ours, not the page's.
    host.addEventListener('click', (event) => event.stopPropagation());
    doc.body.append(host);
    this.bar = { host, root, summary, tags, keys };
    return this.bar;
  }

  /** The elements that make up each entry (for hiding, dimming and sorting). */
  private units(): Map<Element, Element[]> {
    const titles = [...this.entries.keys()].filter((title) => title.isConnected);
    const counts = new Map<Element, number>();
    const body = this.options.document.body;
    for (const title of titles) {
      for (let node = title.parentElement; node && node !== body; node = node.parentElement) {
        counts.set(node, (counts.get(node) ?? 0) + 1);
      }
    }
    const units = new Map<Element, Element[]>();
    for (const title of titles) {
      let unit: Element = title;
      for (
        let node = title.parentElement;
        node && node !== body && counts.get(node) === 1;
        node = node.parentElement
      ) {
        unit = node;
      }
      // arXiv listings: an entry is a <dt> (id, links) and the <dd> after it (title, authors).
      const previous = unit.previousElementSibling;
      units.set(
        title,
        unit.tagName === 'DD' && previous?.tagName === 'DT' ? [previous, unit] : [unit],
      );
    }
    return units;
  }

  private applyModes(): void {
    const units = this.units();
    for (const [title, elements] of units) {
      const relevant = isRelevant(this.entries.get(title)?.annotation.relevance);
      for (const element of elements) {
        element.toggleAttribute(ATTR_HIDDEN, this.modes.has('only') && !relevant);
        element.toggleAttribute(ATTR_DIMMED, this.modes.has('dim') && !relevant);
      }
    }
    if (this.modes.has('sort')) this.sort(units);
    else this.unsort();
  }

  private sort(units: Map<Element, Element[]>): void {
    this.unsort();
    const byParent = new Map<Element, { elements: Element[]; score: number; index: number }[]>();
    let index = 0;
    for (const [title, elements] of units) {
      const parent = elements[0]?.parentElement;
      if (!parent) continue;
      const relevance = this.entries.get(title)?.annotation.relevance;
      const score = relevance && !relevance.dismissed ? relevance.score : 0;
      byParent.set(parent, [
        ...(byParent.get(parent) ?? []),
        { elements, score, index: (index += 1) },
      ]);
    }
    const doc = this.options.document;
    for (const [parent, items] of byParent) {
      if (items.length < 2) continue;
      this.sorted.push({ parent, order: [...parent.childNodes] });
      // Each entry keeps a slot where an entry was, so headings between sections stay put.
      const slots = items.map((item) => {
        const marker = doc.createComment('');
        parent.insertBefore(marker, item.elements[0] ?? null);
        return marker;
      });
      const ranked = [...items].sort((a, b) => b.score - a.score || a.index - b.index);
      ranked.forEach((item, slot) => {
        const marker = slots[slot];
        if (marker) for (const element of item.elements) parent.insertBefore(element, marker);
      });
      for (const marker of slots) marker.remove();
    }
  }

  private unsort(): void {
    for (const { parent, order } of this.sorted.reverse()) {
      for (const node of order) if (node.parentNode === parent) parent.append(node);
    }
    this.sorted = [];
  }

  private onKey(event: KeyboardEvent): void {
    if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey) return;
    const target = event.target as HTMLElement | null;
    if (target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName)))
      return;
    if (event.key !== 'j' && event.key !== 'k' && event.key !== 's') return;
    const titles = this.relevantTitles();
    if (titles.length === 0) return;
    if (event.key === 's') {
      const id = this.current ? this.entries.get(this.current)?.annotation.id : undefined;
      if (!id) return;
      this.options.save(id);
    } else {
      const at = this.current ? titles.indexOf(this.current) : -1;
      const next = event.key === 'j' ? Math.min(titles.length - 1, at + 1) : Math.max(0, at - 1);
      this.current?.removeAttribute(ATTR_CURRENT);
      this.current = titles[next] ?? null;
      this.current?.setAttribute(ATTR_CURRENT, '');
      this.current?.scrollIntoView({ block: 'center' });
    }
    event.preventDefault();
    event.stopPropagation();
  }

  /** Removes everything this layer added (the content script was invalidated). */
  clear(): void {
    this.modes.clear();
    this.unsort();
    this.setKeyboard(false);
    for (const [title] of this.units()) title.removeAttribute(ATTR_CURRENT);
    for (const title of this.entries.keys()) {
      title.removeAttribute(ATTR_LEVEL);
      (title as HTMLElement).style.removeProperty(COLOR_VAR);
    }
    for (const element of this.options.document.querySelectorAll(
      `[${ATTR_HIDDEN}], [${ATTR_DIMMED}]`,
    )) {
      element.removeAttribute(ATTR_HIDDEN);
      element.removeAttribute(ATTR_DIMMED);
    }
    this.options.document.getElementById(PAGE_STYLE_ID)?.remove();
    this.bar?.host.remove();
    this.bar = null;
    this.entries.clear();
  }
}

function isRelevant(relevance: EntryRelevance | undefined): boolean {
  return relevance !== undefined && relevance.level !== 'none' && !relevance.dismissed;
}
