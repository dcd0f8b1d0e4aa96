import { useCallback, useMemo, useState } from 'react';
import type { IndexDatabase } from '../../lib/db';
import { papersAtOrdinals } from '../../lib/search/manifest';
import { callBackground } from '../runtime';
import type { ListPaper, PaperActions } from './types';

export interface Toast {
  message: string;
  undo?: string;
  error?: boolean;
}

/** The popup's writes, all through the background; edits that can be undone raise a toast. */
export function usePaperActions(
  indexDb: IndexDatabase,
  tabId: number | null,
): {
  actions: PaperActions;
  toast: Toast | null;
  setToast: (toast: Toast | null) => void;
  undo: () => void;
} {
  const [toast, setToast] = useState<Toast | null>(null);

  const report = useCallback((error: unknown) => {
    setToast({ message: error instanceof Error ? error.message : String(error), error: true });
  }, []);

  const undoable = useCallback(
    (message: string) =>
      (result: { undo?: string }): void => {
        setToast(result.undo ? { message, undo: result.undo } : { message });
      },
    [],
  );

  const undo = useCallback(() => {
    if (!toast?.undo) return;
    const token = toast.undo;
    callBackground('undoLibraryChange', { undo: token })
      .then(({ undone }) => setToast({ message: undone ? 'Undone.' : 'Nothing to undo.' }))
      .catch(report);
  }, [toast, report]);

  const actions = useMemo<PaperActions>(() => {
    const ids = (papers: ListPaper[]): string[] => papers.map((paper) => paper.id);
    const plural = (papers: ListPaper[]): string =>
      papers.length === 1 ? `“${papers[0]?.title.slice(0, 60) ?? ''}”` : `${papers.length} papers`;
    return {
      save(paper) {
        const request =
          paper.origin === 'page' && tabId !== null
            ? callBackground('savePaperFromTab', { tabId, id: paper.id })
            : callBackground('savePaper', { id: paper.id });
        request.then(() => setToast({ message: `Saved ${plural([paper])}.` })).catch(report);
      },
      remove(papers) {
        const saved = papers.filter((paper) => paper.saved);
        if (!saved.length) return;
        callBackground('deletePapers', { ids: ids(saved) })
          .then(undoable(`Removed ${plural(saved)} from the library.`))
          .catch(report);
      },
      setStatus(papers, status) {
        callBackground('setReadingStatus', { ids: ids(papers), status })
          .then(undoable(`Marked ${plural(papers)} as ${status.replace('-', ' ')}.`))
          .catch(report);
      },
      addTag(papers, tag) {
        callBackground('tagPapers', { ids: ids(papers), add: [tag] })
          .then(undoable(`Tagged ${plural(papers)} “${tag}”.`))
          .catch(report);
      },
      removeTag(papers, tag) {
        callBackground('tagPapers', { ids: ids(papers), remove: [tag] })
          .then(undoable(`Removed “${tag}” from ${plural(papers)}.`))
          .catch(report);
      },
      setNote(paper, note) {
        callBackground('setPaperNote', { id: paper.id, note })
          .then(undoable('Note saved.'))
          .catch(report);
      },
      dismiss(paper, dismissed) {
        callBackground('dismissPaper', { id: paper.id, dismissed })
          .then(undoable(dismissed ? `Dismissed ${plural([paper])}.` : 'Dismissal removed.'))
          .catch(report);
      },
      async details(paper) {
        if (paper.ordinal === undefined) return {};
        const found = (await papersAtOrdinals(indexDb, [paper.ordinal])).get(paper.ordinal);
        if (!found || found.id !== paper.id) return {};
        const details: Pick<ListPaper, 'abstract' | 'links' | 'venue'> = {};
        if (found.abstract) details.abstract = found.abstract;
        if (found.links) details.links = found.links;
        if (found.venue) details.venue = found.venue;
        return details;
      },
    };
  }, [indexDb, tabId, report, undoable]);

  return { actions, toast, setToast, undo };
}
