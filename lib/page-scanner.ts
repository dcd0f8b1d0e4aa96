/**
 * One page's detect → look up → annotate loop, with the page environment injected so it runs in
 * jsdom tests. The content script calls `scan()` at start, on DOM changes and on SPA navigation.
 * Each entry is looked up once per content (title + ids): entries that appear later (infinite
 * scroll, "load more", tab switches) are looked up when they appear, elements a framework reuses
 * for another paper are looked up again, and badges a re-render removed are put back from memory.
 */
import type { Annotator } from './annotate';
import type { EntryAnnotation, PageEntry } from './messages';
import type { DetectedPaper, SiteAdapter } from './sites/types';

export interface PageScannerDeps {
  root: ParentNode;
  /** The page's current URL (it changes under SPA navigation). */
  url(): URL;
  adapterFor(url: URL): SiteAdapter | undefined;
  /** One `lookupEntries` round trip to the background. */
  lookup(entries: PageEntry[]): Promise<EntryAnnotation[]>;
  annotator: Pick<Annotator, 'annotate' | 'has' | 'prune'>;
  /** False once the content script was invalidated (extension reloaded or updated). */
  isValid(): boolean;
  onError(error: unknown): void;
}

/** Bounds what one entry may send (the background's schema enforces the same limits). */
const LIMITS = { title: 2000, authors: 200, abstract: 20_000, ids: 10 } as const;

function signature(paper: DetectedPaper): string {
  return `${paper.ids.join(' ')}\n${paper.title}`;
}

function toEntry(paper: DetectedPaper, ref: number): PageEntry {
  const entry: PageEntry = {
    ref,
    title: paper.title.slice(0, LIMITS.title),
    ids: paper.ids.slice(0, LIMITS.ids),
    authors: paper.authors.slice(0, LIMITS.authors).map((name) => name.slice(0, 500)),
  };
  if (paper.abstract) entry.abstract = paper.abstract.slice(0, LIMITS.abstract);
  return entry;
}

export class PageScanner {
  /** Content being looked up per title element. */
  private readonly inFlight = new WeakMap<Element, string>();
  /** The answer for the content each title element showed when it was looked up. */
  private readonly answered = new WeakMap<Element, { sig: string; annotation: EntryAnnotation }>();
  private running = false;
  private again = false;

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

  private async pass(): Promise<void> {
    const { deps } = this;
    if (!deps.isValid()) return;
    deps.annotator.prune();
    const url = deps.url();
    const adapter = deps.adapterFor(url);
    if (!adapter) return;
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
    let annotations: EntryAnnotation[];
    try {
      annotations = await deps.lookup(fresh.map(({ paper }, ref) => toEntry(paper, ref)));
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
    const ready: { paper: DetectedPaper; annotation: EntryAnnotation }[] = [];
    for (const annotation of annotations) {
      const item = fresh[annotation.ref];
      if (!item) continue;
      const element = item.paper.titleElement;
      if (this.inFlight.get(element) !== item.sig) continue;
      if (now && now.get(element) !== item.sig) continue;
      this.inFlight.delete(element);
      this.answered.set(element, { sig: item.sig, annotation });
      ready.push({ paper: item.paper, annotation });
    }
    // Entries the background did not answer may be retried by a later scan.
    for (const { paper, sig } of fresh) {
      if (this.inFlight.get(paper.titleElement) === sig) this.inFlight.delete(paper.titleElement);
    }
    await Promise.all([restored, deps.annotator.annotate(ready)]);
  }
}
