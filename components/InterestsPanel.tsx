import { useCallback, useEffect, useId, useState, type FormEvent, type ReactElement } from 'react';
import type { Interest, ModelSummary } from '../lib/relevance/types';
import { useLibrary } from './hooks/use-library';
import { callBackground } from './runtime';

interface Draft {
  query: string;
  tag?: string;
}

const EXAMPLE = '"graph neural network" AND (molecule OR protein) -survey';

/**
 * Interests for relevance: rules (keywords, "phrases", AND/OR/NOT, author:, cat:, venue:), each
 * optionally tied to a tag; a first-run start from a few keywords; what each tag model learned;
 * and the opt-in page keys. Saved papers under a tag teach its model; "Not relevant" on a page
 * teaches every model.
 */
export function InterestsPanel(): ReactElement {
  const library = useLibrary();
  const [interests, setInterests] = useState<Interest[] | null>(null);
  const [models, setModels] = useState<ModelSummary[]>([]);
  const [query, setQuery] = useState('');
  const [tag, setTag] = useState('');
  const [keywords, setKeywords] = useState('');
  const [keys, setKeys] = useState<boolean | null>(null);
  const [message, setMessage] = useState<{ kind: 'ok' | 'error'; text: string } | null>(null);
  const queryId = useId();
  const tagId = useId();
  const keywordsId = useId();

  const reload = useCallback(async (): Promise<void> => {
    const answer = await callBackground('getInterests', {});
    setInterests(answer.interests);
    setModels(answer.models);
  }, []);

  useEffect(() => {
    callBackground('getInterests', {})
      .then((answer) => {
        setInterests(answer.interests);
        setModels(answer.models);
      })
      .catch((error: unknown) => setMessage({ kind: 'error', text: String(error) }));
    callBackground('getSettings', {})
      .then((settings) => setKeys(settings.relevanceKeys))
      .catch(() => setKeys(false));
  }, []);

  const save = async (next: Draft[], done: string): Promise<boolean> => {
    const result = await callBackground('setInterests', { interests: next });
    if (!result.ok) {
      setMessage({
        kind: 'error',
        text: result.errors
          .map((error) => `“${next[error.index]?.query ?? ''}”: ${error.error}`)
          .join(' '),
      });
      return false;
    }
    setMessage({ kind: 'ok', text: done });
    await reload();
    return true;
  };

  const current = (): Draft[] =>
    (interests ?? []).map((item) => ({
      query: item.query,
      ...(item.tag !== undefined ? { tag: item.tag } : {}),
    }));

  const onAdd = (event: FormEvent): void => {
    event.preventDefault();
    if (!query.trim()) return;
    const next = [...current(), { query: query.trim(), ...(tag ? { tag } : {}) }];
    void save(next, 'Interest added.').then((ok) => {
      if (ok) setQuery('');
    });
  };

  const onKeywords = (event: FormEvent): void => {
    event.preventDefault();
    const words = keywords
      .split(/[,\n]/)
      .map((word) => word.trim())
      .filter(Boolean)
      .map((word) => ({ query: /\s/.test(word) && !word.includes('"') ? `"${word}"` : word }));
    if (words.length === 0) return;
    void save([...current(), ...words], `${words.length} keywords added.`).then((ok) => {
      if (ok) setKeywords('');
    });
  };

  const remove = (index: number): void => {
    void save(
      current().filter((_, at) => at !== index),
      'Interest removed.',
    );
  };

  const toggleKeys = (enabled: boolean): void => {
    setKeys(enabled);
    callBackground('updateSettings', { patch: { relevanceKeys: enabled } }).catch(
      (error: unknown) => setMessage({ kind: 'error', text: String(error) }),
    );
  };

  const saved = library.papers?.length ?? 0;
  const coldStart = interests !== null && interests.length === 0 && saved === 0;

  return (
    <div className="interests" data-testid="interests-panel">
      <p className="muted">
        Paperlight highlights entries on listing pages that look like the papers under each of your
        tags (one model per tag, trained on this computer), or that match the interests below. Hover
        a highlighted entry's score to see why; “Not relevant” teaches every model.
      </p>
      {coldStart && (
        <form onSubmit={onKeywords} className="cold-start" aria-label="Start with keywords">
          <label htmlFor={keywordsId}>
            <strong>Start with a few keywords</strong> (comma-separated)
          </label>
          <div className="row">
            <input
              id={keywordsId}
              value={keywords}
              onChange={(event) => setKeywords(event.target.value)}
              placeholder="diffusion models, protein folding, author:Hinton"
            />
            <button type="submit" className="primary">
              Add keywords
            </button>
          </div>
          <p className="muted">
            …or import your existing library (BibTeX, Zotero, PaperMemory) under Library below: tag
            the imported papers and they become the examples each tag learns from.
          </p>
        </form>
      )}

      <h3>Interests</h3>
      {interests === null ? (
        <p className="muted">Loading…</p>
      ) : interests.length === 0 ? (
        <p className="muted">No interests stated.</p>
      ) : (
        <ul className="interest-list">
          {interests.map((interest, index) => (
            <li key={interest.id}>
              <code>{interest.query}</code>
              {interest.tag && <span className="muted"> → {interest.tag}</span>}{' '}
              <button
                type="button"
                onClick={() => remove(index)}
                aria-label={`Remove ${interest.query}`}
              >
                Remove
              </button>
            </li>
          ))}
        </ul>
      )}
      <form onSubmit={onAdd} className="row" aria-label="Add an interest">
        <label htmlFor={queryId} className="visually-hidden">
          New interest
        </label>
        <input
          id={queryId}
          value={query}
          onChange={(event) => setQuery(event.target.value)}
          placeholder={EXAMPLE}
          size={40}
        />
        <label htmlFor={tagId} className="visually-hidden">
          Tag for this interest
        </label>
        <select id={tagId} value={tag} onChange={(event) => setTag(event.target.value)}>
          <option value="">No tag</option>
          {library.tags.map((item) => (
            <option key={item.name} value={item.name}>
              {item.name}
            </option>
          ))}
        </select>
        <button type="submit">Add interest</button>
      </form>
      <p className="muted">
        Words and <code>"phrases"</code>, <code>AND</code>, <code>OR</code> (or a comma),{' '}
        <code>NOT</code> (or <code>-word</code>), parentheses, <code>transform*</code>,{' '}
        <code>author:LeCun</code>, <code>cat:cs.LG</code>, <code>venue:NeurIPS</code>,{' '}
        <code>title:word</code>.
      </p>
      <div aria-live="polite">
        {message && (
          <p
            className={message.kind === 'ok' ? 'ok' : 'error'}
            role={message.kind === 'error' ? 'alert' : undefined}
          >
            {message.text}
          </p>
        )}
      </div>

      <h3>What each tag learned</h3>
      {models.length === 0 ? (
        <p className="muted">
          Nothing yet: save papers and tag them (one tagged paper is enough to start; ten work
          well).
        </p>
      ) : (
        <ul className="model-list">
          {models.map((model) => (
            <li key={model.key}>
              <span className="swatch" style={{ background: model.color }} aria-hidden="true" />{' '}
              <strong>{model.tag ?? 'Whole library'}</strong>{' '}
              <span className="muted">
                {model.positives} papers, {model.dismissed} dismissed
              </span>
              {model.topWords.length > 0 && (
                <div className="muted">{model.topWords.join(' · ')}</div>
              )}
            </li>
          ))}
        </ul>
      )}

      <label className="check">
        <input
          type="checkbox"
          checked={keys ?? false}
          disabled={keys === null}
          onChange={(event) => toggleKeys(event.target.checked)}
        />{' '}
        Keys on listing pages: <kbd>j</kbd>/<kbd>k</kbd> move between relevant entries, <kbd>s</kbd>{' '}
        saves (off by default: some pages have their own keys)
      </label>
    </div>
  );
}
