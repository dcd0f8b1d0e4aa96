import { useLiveQuery } from 'dexie-react-hooks';
import { useId, useMemo, useState, type ChangeEvent, type ReactElement } from 'react';
import { openIndexDb } from '../../lib/db';
import { uploadParts } from '../../lib/import-upload';
import { countPapers } from '../../lib/index-store';
import type { ImportProgress } from '../../lib/messages';
import { callBackground } from '../runtime';

/** How often the page asks how far the background is while it writes the papers. */
const PROGRESS_POLL_MS = 250;

type Progress = ImportProgress | { phase: 'sending'; done: number; total: number };

type ImportState =
  | { kind: 'idle' }
  | { kind: 'busy'; fileName: string; progress?: Progress }
  | { kind: 'done'; fileName: string; added: number; updated: number }
  | {
      kind: 'failed';
      fileName: string;
      error: string;
      problems: { line: number; message: string }[];
    };

function describeProgress(progress: Progress | undefined): string {
  if (!progress) return '';
  const count = (n: number): string => n.toLocaleString('en');
  switch (progress.phase) {
    case 'sending':
      return `sending part ${count(progress.done + 1)} of ${count(progress.total)}`;
    case 'parsing':
      return 'reading the file';
    case 'writing':
      return `${count(progress.done)} of ${count(progress.total)} papers written`;
    case 'done':
      return `${count(progress.total)} papers written`;
  }
}

/** The abstract index: size, and the "Import papers" file input (a public contract). */
export function IndexPanel(): ReactElement {
  const indexDb = useMemo(() => openIndexDb(), []);
  const indexed = useLiveQuery(() => countPapers(indexDb), [indexDb]);
  const [state, setState] = useState<ImportState>({ kind: 'idle' });
  const inputId = useId();

  const onFile = async (event: ChangeEvent<HTMLInputElement>): Promise<void> => {
    const file = event.target.files?.[0];
    event.target.value = '';
    if (!file) return;
    const fileName = file.name;
    setState({ kind: 'busy', fileName });
    try {
      // In parts, so no message grows with the file; then imported as one, all or nothing.
      const parts = uploadParts(await file.text());
      const upload = globalThis.crypto.randomUUID();
      for (const [index, text] of parts.entries()) {
        setState({
          kind: 'busy',
          fileName,
          progress: { phase: 'sending', done: index, total: parts.length },
        });
        await callBackground('uploadImportChunk', { upload, index, text });
      }
      const poll = setInterval(() => {
        void callBackground('getImportProgress', { upload })
          .then((progress) => {
            if (progress) {
              setState((state) =>
                state.kind === 'busy' ? { kind: 'busy', fileName, progress } : state,
              );
            }
          })
          .catch(() => undefined);
      }, PROGRESS_POLL_MS);
      const result = await callBackground('importPaperFile', { upload, fileName }).finally(() =>
        clearInterval(poll),
      );
      setState(
        result.ok
          ? { kind: 'done', fileName, added: result.added, updated: result.updated }
          : { kind: 'failed', fileName, error: result.error, problems: result.problems },
      );
    } catch (error) {
      setState({ kind: 'failed', fileName, error: String(error), problems: [] });
    }
  };

  return (
    <>
      <section aria-labelledby="index-heading">
        <h2 id="index-heading">Abstract index</h2>
        <p>
          Papers in the local index: <strong data-testid="index-count">{indexed ?? '…'}</strong>
        </p>
        <label htmlFor={inputId} className="file-label">
          Import papers
        </label>
        <input
          id={inputId}
          type="file"
          accept=".json,.jsonl,.ndjson,.xml,.atom,.rss,.bib,.bibtex,.ris,application/json"
          onChange={(event) => void onFile(event)}
          disabled={state.kind === 'busy'}
        />
        <p className="muted">
          A JSON array or JSON Lines file of{' '}
          <code>{'{ id, title, abstract?, authors?, published?, url?, categories?, venue? }'}</code>
          ; <code>id</code> may be an arXiv id, a DOI, a canonical id or a URL. Also reads arXiv
          Atom/RSS/OAI-PMH XML, Hugging Face daily-papers JSON, BibTeX, CSL-JSON, RIS, PaperMemory
          exports and Zotero/Better BibTeX JSON.
        </p>
        <div aria-live="polite" data-testid="import-status">
          {state.kind === 'busy' && (
            <>
              <p>
                Importing {state.fileName}… {describeProgress(state.progress)}
              </p>
              {state.progress && state.progress.phase !== 'parsing' && (
                <progress
                  aria-label="Import progress"
                  value={state.progress.done}
                  max={Math.max(1, state.progress.total)}
                />
              )}
            </>
          )}
          {state.kind === 'done' && (
            <p className="ok">
              Imported {state.fileName}: {state.added} new, {state.updated} updated.
            </p>
          )}
          {state.kind === 'failed' && (
            <div role="alert" className="error">
              <p>
                Could not import {state.fileName}: {state.error}
              </p>
              {state.problems.length > 0 && (
                <ul>
                  {state.problems.map((problem) => (
                    <li key={problem.line}>
                      Line {problem.line}: {problem.message}
                    </li>
                  ))}
                </ul>
              )}
            </div>
          )}
        </div>
      </section>
    </>
  );
}
