import { useLiveQuery } from 'dexie-react-hooks';
import { useId, useMemo, useState, type ChangeEvent, type ReactElement } from 'react';
import { openIndexDb } from '../../lib/db';
import { countPapers } from '../../lib/index-store';
import { callBackground } from '../runtime';

type ImportState =
  | { kind: 'idle' }
  | { kind: 'busy'; fileName: string }
  | { kind: 'done'; fileName: string; added: number; updated: number }
  | {
      kind: 'failed';
      fileName: string;
      error: string;
      problems: { line: number; message: string }[];
    };

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
    setState({ kind: 'busy', fileName: file.name });
    try {
      const text = await file.text();
      const result = await callBackground('importPaperFile', { text, fileName: file.name });
      setState(
        result.ok
          ? { kind: 'done', fileName: file.name, added: result.added, updated: result.updated }
          : { kind: 'failed', fileName: file.name, error: result.error, problems: result.problems },
      );
    } catch (error) {
      setState({ kind: 'failed', fileName: file.name, error: String(error), problems: [] });
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
          {state.kind === 'busy' && <p>Importing {state.fileName}…</p>}
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
