import {
  useCallback,
  useEffect,
  useMemo,
  useState,
  type ReactElement,
  type RefObject,
} from 'react';
import { browser } from '#imports';
import type { TabPaper } from '../../lib/library/protocol';
import type { CanonicalId, SavedPaper } from '../../lib/types';
import { callBackground } from '../runtime';
import { PaperList, type PaperListHandle } from './PaperList';
import { shortAuthors, type ListPaper, type PaperActions } from './types';

export interface ThisPageProps {
  tab: { id: number; url?: string } | null;
  listRef: RefObject<PaperListHandle | null>;
  actions: PaperActions;
  byId: ReadonlyMap<CanonicalId, SavedPaper>;
  dismissed: ReadonlySet<CanonicalId>;
  knownTags: readonly string[];
  tagColors: ReadonlyMap<string, string>;
  onLeave: () => void;
}

/**
 * The optional host permission for a page's origin, as lib/site-access `siteOriginPattern` builds it
 * (repeated here so the popup does not load every site adapter).
 */
function originPattern(pageUrl: string | undefined): string | null {
  try {
    const url = new URL(pageUrl ?? '');
    return /^https?:$/.test(url.protocol) && url.hostname
      ? `${url.protocol}//${url.hostname}/*`
      : null;
  } catch {
    return null;
  }
}

/** The papers Paperlight found on the current tab, with their state. */
export function ThisPage(props: ThisPageProps): ReactElement {
  const { tab, listRef, actions, knownTags, tagColors, onLeave, byId, dismissed } = props;
  const [papers, setPapers] = useState<TabPaper[] | null>(null);
  const [siteMessage, setSiteMessage] = useState<string | null>(null);

  useEffect(() => {
    const request = tab
      ? callBackground('getTabPapers', { tabId: tab.id })
      : Promise.resolve({ papers: [] });
    request.then((result) => setPapers(result.papers)).catch(() => setPapers([]));
  }, [tab]);

  const items = useMemo<ListPaper[]>(
    () =>
      (papers ?? []).map((paper) => {
        const saved = byId.get(paper.id);
        const item: ListPaper = {
          key: `page:${paper.id}`,
          id: paper.id,
          title: saved?.snapshot.title ?? paper.snapshot.title,
          authors: shortAuthors(paper.snapshot.authors),
          origin: 'page',
          snapshot: paper.snapshot,
          dismissed: dismissed.has(paper.id),
        };
        if (saved) item.saved = saved;
        const year = paper.snapshot.published?.slice(0, 4);
        if (year) item.year = year;
        if (paper.snapshot.abstract) item.abstract = paper.snapshot.abstract;
        if (paper.snapshot.links) item.links = paper.snapshot.links;
        if (paper.snapshot.venue) item.venue = paper.snapshot.venue;
        return item;
      }),
    [papers, byId, dismissed],
  );

  const pattern = originPattern(tab?.url);

  // Annotate-this-site slot (sites issue): the permission prompt needs this click's user gesture,
  // so `permissions.request` is the first thing the handler does.
  const annotateSite = useCallback(() => {
    if (!pattern || !tab?.url) return;
    const url = tab.url;
    void browser.permissions
      .request({ origins: [pattern] })
      .then(async (granted) => {
        if (!granted) {
          setSiteMessage('Permission not granted; nothing changed.');
          return;
        }
        await callBackground('enableSiteAnnotation', { url, tabId: tab.id });
        setSiteMessage(`Paperlight now annotates ${new URL(url).hostname}.`);
      })
      .catch((error: unknown) => setSiteMessage(String(error)));
  }, [pattern, tab]);

  const saved = items.filter((item) => item.saved).length;
  return (
    <section className="view" aria-labelledby="this-page-heading">
      <h2 id="this-page-heading" className="view-heading">
        This page{' '}
        {papers && papers.length > 0 && (
          <span className="muted">
            ({papers.length} found, {saved} saved)
          </span>
        )}
      </h2>
      {papers === null ? (
        <p className="muted">Looking at this tab…</p>
      ) : items.length === 0 ? (
        <div className="empty">
          <p>
            <strong>No papers found on this tab.</strong> Paperlight marks papers on arXiv, Hugging
            Face, OpenReview, Google Scholar, Semantic Scholar, ACL Anthology, DBLP and proceedings
            pages.
          </p>
          <p className="muted">Search your library and the index above — start typing.</p>
        </div>
      ) : (
        <PaperList
          ref={listRef}
          label="Papers on this page"
          papers={items}
          actions={actions}
          knownTags={knownTags}
          tagColors={tagColors}
          onLeave={onLeave}
        />
      )}
      {tab && (
        <div className="site-slot" data-slot="annotate-this-site">
          <button type="button" onClick={annotateSite} disabled={!pattern}>
            Annotate this site
          </button>
          <span className="muted">
            {pattern
              ? ` Ask to mark papers on ${pattern.replace('/*', '')} too.`
              : ' Open a web page to mark papers on its site.'}
          </span>
          {siteMessage && (
            <p role="status" className="muted">
              {siteMessage}
            </p>
          )}
        </div>
      )}
    </section>
  );
}
