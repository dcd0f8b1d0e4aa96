/**
 * One page's detect → look up → annotate loop, with the page environment injected so it runs in
 * jsdom tests. The content script calls `scan()` at start, on DOM changes and on SPA navigation.
 * Each entry is looked up once per content (title + ids): entries that appear later (infinite
 * scroll, "load more", tab switches) are looked up when they appear, elements a framework reuses
 * for another paper are looked up again, and badges a re-render removed are put back from memory.
 */
import type { Annotator } from './annotate';
import { showsAbstract } from './dom';
import type { EntryAnnotation, PageEntry, ResponseMap } from './messages';
import { ABSTRACT_CHUNK_CHARS, NOTE_ABSTRACTS_MAX } from './page-limits';
import type { EntryRelevance } from './relevance/types';
import type { Mark } from './timeline';
import type { DetectedPaper, SiteAdapter } from './sites/types';

export interface PageScannerDeps {
  root: ParentNode;
  /** The page's current URL (it changes under SPA navigation). */
  url(): URL;
  adapterFor(url: URL): SiteAdapter | undefined;
  /**
   * One `lookupEntries` round trip to the background. With `relevancePending` in the reply, the
   * relevance of the answered entries comes later from `score` and is drawn then.
   */
  lookup(entries: PageEntry[]): Promise<EntryAnnotation[] | ResponseMap['lookupEntries']>;
  /** One `scoreEntries` round trip: relevance by `ref` for entries with the ids they were given. */
  score?(
    entries: (PageEntry & { id?: string })[],
  ): Promise<{ ref: number; relevance: EntryRelevance }[]>;
  /**
   * After the badges: which of the offered entries' abstracts the index lacks (`abstractsWanted`),
   * and then those abstracts, a chunk per call (`noteAbstracts`). Without these, abstracts stay
   * on the page.
   */
  abstractsWanted?(entries: { ref: number; ids: string[] }[]): Promise<number[]>;
  noteAbstracts?(entries: (PageEntry & { abstract: string })[]): Promise<void>;
  annotator: Pick<Annotator, 'annotate' | 'has' | 'prune'>;
  /** False once the content script was invalidated (extension reloaded or updated). */
  isValid(): boolean;
  onError(error: unknown): void;
  /** Moments of a scan, for the bench's timeline (lib/timeline.ts); bench builds only. */
  mark?: Mark;
}

/**
 * Resolves once the document is parsed (at once if it already is): the content script starts at
 * document_start, so the worker can wake and read its look-up structures while the page loads,
 * and scans only then, since an entry read mid-parse may be cut short.
 */
export function whenParsed(document: Document): Promise<void> {
  if (document.readyState !== 'loading') return Promise.resolve();
  return new Promise((resolve) => {
    document.addEventListener('DOMContentLoaded', () => resolve(), { once: true });
  });
}

/** Bounds what one entry may send (the background's schema enforces the same limits). */
const LIMITS = { title: 2000, authors: 200, abstract: 20_000, ids: 10 } as const;

function signature(paper: DetectedPaper): string {
  return `${paper.ids.join(' ')}\n${paper.title}`;
}

/** A look-up's entry: everything but the abstract, which only says it exists (see `offerAbstracts`). */
function toEntry(paper: DetectedPaper, ref: number): PageEntry {
  const entry: PageEntry = {
    ref,
    title: paper.title.slice(0, LIMITS.title),
    ids: paper.ids.slice(0, LIMITS.ids),
    authors: paper.authors.slice(0, LIMITS.authors).map((name) => name.slice(0, 500)),
  };
  if (showsAbstract(paper)) entry.hasAbstract = true;
  return entry;
}

function abstractOf(paper: DetectedPaper | undefined): string | undefined {
  return paper?.abstract ? paper.abstract.slice(0, LIMITS.abstract) : undefined;
}

export class PageScanner {
  /** Content being looked up per title element. */
  private readonly inFlight = new WeakMap<Element, string>();
  /** The answer for the content each title element showed when it was looked up. */
  private readonly answered = new WeakMap<Element, { sig: string; annotation: EntryAnnotation }>();
  private running = false;
  private again = false;
  /** Relevance requests and abstract offers in flight (see `settled`). */
  private readonly scoring = new Set<Promise<void>>();

  constructor(private readonly deps: PageScannerDeps) {}

  /** Detects and annotates whatever is new; concurrent calls coalesce into one more pass. */
  async scan(): Promise<void> {
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = true;
    try {
      do {
        this.again = false;
        await this.pass();
      } while (this.again && this.deps.isValid());
    } catch (error) {
      this.deps.onError(error);
    } finally {
      this.running = false;
    }
  }

  /**
   * Resolves once the relevance asked for by earlier scans is drawn (or given up on), and their
   * abstracts are handed over.
   */
  async settled(): Promise<void> {
    while (this.scoring.size > 0) await Promise.all([...this.scoring]);
  }

  private async pass(): Promise<void> {
    const { deps } = this;
    if (!deps.isValid()) return;
    deps.annotator.prune();
    const url = deps.url();
    const adapter = deps.adapterFor(url);
    if (!adapter) return;
    deps.mark?.('content:scan');
    const fresh: { paper: DetectedPaper; sig: string }[] = [];
    const restore: { paper: DetectedPaper; annotation: EntryAnnotation }[] = [];
    for (const paper of adapter.findPapers(deps.root, url)) {
      const element = paper.titleElement;
      const sig = signature(paper);
      if (this.inFlight.get(element) === sig) continue;
      const known = this.answered.get(element);
      if (known?.sig === sig) {
        if (!deps.annotator.has(element)) restore.push({ paper, annotation: known.annotation });
        continue;
      }
      this.inFlight.set(element, sig);
      fresh.push({ paper, sig });
    }
    const restored = restore.length > 0 ? deps.annotator.annotate(restore) : Promise.resolve();
    if (fresh.length === 0) return restored;
    const entries = fresh.map(({ paper }, ref) => toEntry(paper, ref));
    deps.mark?.('content:lookupSent');
    let annotations: EntryAnnotation[];
    let relevancePending = false;
    try {
      const reply = await deps.lookup(entries);
      annotations = Array.isArray(reply) ? reply : reply.annotations;
      relevancePending = !Array.isArray(reply) && reply.relevancePending === true;
      deps.mark?.('content:lookupAnswered');
    } catch (error) {
      // The background may be restarting: let the next scan ask again.
      for (const { paper } of fresh) this.inFlight.delete(paper.titleElement);
      throw error;
    }
    if (!deps.isValid()) return;
    // The page changed while we waited (a rescan was asked for): re-read it so an answer is never
    // written onto an element that now shows another paper; that content gets its own look-up.
    const now = this.again
      ? new Map(adapter.findPapers(deps.root, url).map((p) => [p.titleElement, signature(p)]))
      : null;
    const ready: { paper: DetectedPaper; annotation: EntryAnnotation; sig: string }[] = [];
    for (const annotation of annotations) {
      const item = fresh[annotation.ref];
      if (!item) continue;
      const element = item.paper.titleElement;
      if (this.inFlight.get(element) !== item.sig) continue;
      if (now && now.get(element) !== item.sig) continue;
      this.inFlight.delete(element);
      this.answered.set(element, { sig: item.sig, annotation });
      ready.push({ paper: item.paper, annotation, sig: item.sig });
    }
    // Entries the background did not answer may be retried by a later scan.
    for (const { paper, sig } of fresh) {
      if (this.inFlight.get(paper.titleElement) === sig) this.inFlight.delete(paper.titleElement);
    }
    await Promise.all([restored, deps.annotator.annotate(ready)]);
    deps.mark?.('content:annotated');
    if (relevancePending && deps.score && ready.length > 0) {
      // Not awaited: later scans need not wait for a model that may still be loading.
      this.track(this.drawRelevance(ready, entries));
    }
    this.track(this.offerAbstracts(entries, fresh));
  }

  private track(work: Promise<void>): void {
    const tracked = work.catch((error: unknown) => this.deps.onError(error));
    this.scoring.add(tracked);
    void tracked.finally(() => this.scoring.delete(tracked));
  }

  /**
   * Hands the index the abstracts it lacks of those the page shows (papers it does not have, or
   * has without one), once the badges are drawn: asked for by ref, sent in chunks.
   */
  private async offerAbstracts(
    entries: readonly PageEntry[],
    fresh: readonly { paper: DetectedPaper }[],
  ): Promise<void> {
    const { deps } = this;
    if (!deps.abstractsWanted || !deps.noteAbstracts) return;
    const offered = entries
      .filter((entry) => entry.hasAbstract === true && entry.ids.length > 0)
      .map(({ ref, ids }) => ({ ref, ids }));
    if (offered.length === 0 || !deps.isValid()) return;
    const wanted = await deps.abstractsWanted(offered);
    let chunk: (PageEntry & { abstract: string })[] = [];
    let chars = 0;
    for (const ref of wanted) {
      const entry = entries[ref];
      const abstract = abstractOf(fresh[ref]?.paper);
      if (!entry?.hasAbstract || !abstract) continue;
      const { hasAbstract: _kept, ...rest } = entry;
      chunk.push({ ...rest, abstract });
      chars += abstract.length + entry.title.length;
      if (chars >= ABSTRACT_CHUNK_CHARS || chunk.length >= NOTE_ABSTRACTS_MAX) {
        if (!deps.isValid()) return;
        await deps.noteAbstracts(chunk);
        chunk = [];
        chars = 0;
      }
    }
    if (chunk.length > 0 && deps.isValid()) await deps.noteAbstracts(chunk);
  }

  /** Asks for the relevance of answered entries and redraws those that still show that paper. */
  private async drawRelevance(
    items: readonly { paper: DetectedPaper; annotation: EntryAnnotation; sig: string }[],
    entries: readonly PageEntry[],
  ): Promise<void> {
    const { deps } = this;
    if (!deps.score) return;
    const request = items.flatMap(({ annotation, paper }) => {
      const entry = entries[annotation.ref];
      // Scored in the look-up's reply already (a warm model).
      if (!entry || annotation.relevance) return [];
      // A paper the index lacks is scored on what the page shows of it; an indexed one on its
      // stored words, which need no abstract from the page.
      const abstract = annotation.matched ? undefined : abstractOf(paper);
      return [
        {
          ...entry,
          ...(annotation.id ? { id: annotation.id } : {}),
          ...(abstract ? { abstract } : {}),
        },
      ];
    });
    if (request.length === 0) return;
    deps.mark?.('content:scoreSent');
    const scores = await deps.score(request);
    deps.mark?.('content:scoreAnswered');
    if (!deps.isValid()) return;
    const byRef = new Map(scores.map(({ ref, relevance }) => [ref, relevance]));
    const redraw: { paper: DetectedPaper; annotation: EntryAnnotation }[] = [];
    for (const item of items) {
      const relevance = byRef.get(item.annotation.ref);
      const element = item.paper.titleElement;
      // The element was reused for another paper, or looked up again, in the meantime.
      if (!relevance || this.answered.get(element)?.annotation !== item.annotation) continue;
      const annotation = { ...item.annotation, relevance };
      this.answered.set(element, { sig: item.sig, annotation });
      redraw.push({ paper: item.paper, annotation });
    }
    await deps.annotator.annotate(redraw);
    deps.mark?.('content:relevanceDrawn');
  }
}
