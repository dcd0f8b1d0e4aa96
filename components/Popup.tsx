import { useLiveQuery } from 'dexie-react-hooks';
import { useMemo, useState, type ReactElement } from 'react';
import { openLibraryDb } from '../lib/db';
import { PaperCard } from './PaperCard';
import { callBackground } from './runtime';
import './popup.css';

/** The popup: the saved list, newest first. Reads the library live; writes go through the background. */
export function Popup(): ReactElement {
  const db = useMemo(() => openLibraryDb(), []);
  const saved = useLiveQuery(() => db.saved.orderBy('savedAt').reverse().toArray(), [db]);
  const [error, setError] = useState<string | null>(null);

  const unsave = (id: string): void => {
    setError(null);
    callBackground('unsavePaper', { id }).catch((reason: unknown) => setError(String(reason)));
  };

  return (
    <main className="popup">
      <header className="popup-header">
        <h1>Paperlight</h1>
        <a href="/options.html" target="_blank" rel="noreferrer">
          Options
        </a>
      </header>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      <section aria-labelledby="library-heading">
        <h2 id="library-heading">
          Library <span className="muted">{saved ? `(${saved.length})` : ''}</span>
        </h2>
        {saved === undefined ? (
          <p className="muted">Loading…</p>
        ) : saved.length === 0 ? (
          <p className="empty muted">
            No saved papers yet. Press <strong>Save</strong> next to a paper on arXiv or Hugging
            Face to keep it here.
          </p>
        ) : (
          <ul className="paper-list" aria-label="Saved papers">
            {saved.map((paper) => (
              <li key={paper.id}>
                <PaperCard
                  id={paper.id}
                  paper={paper.snapshot}
                  actions={
                    <button
                      type="button"
                      onClick={() => unsave(paper.id)}
                      aria-label={`Remove ${paper.snapshot.title}`}
                    >
                      Remove
                    </button>
                  }
                />
              </li>
            ))}
          </ul>
        )}
      </section>
    </main>
  );
}
