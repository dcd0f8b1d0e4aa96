import { useEffect, useId, useState, type ReactElement } from 'react';
import { paperPageUrl, paperPdfUrl } from '../../lib/ids';
import type { ReadingStatus } from '../../lib/types';
import { MathText } from '../MathText';
import { TagEditor } from '../TagEditor';
import { STATUS_LABELS, type ListPaper, type PaperActions } from './types';

export interface PaperRowProps {
  paper: ListPaper;
  index: number;
  active: boolean;
  expanded: boolean;
  selected?: boolean;
  selectable: boolean;
  knownTags: readonly string[];
  tagColors: ReadonlyMap<string, string>;
  actions: PaperActions;
  onFocusRow: () => void;
  onToggle: () => void;
  onSelect?: (selected: boolean) => void;
  /** Which field to focus when the row opens from a shortcut (`t` tags, `n` note). */
  focusField?: 'tags' | 'note' | null;
}

function safeHttp(url: string | undefined): string | undefined {
  return url && /^https?:\/\//i.test(url) ? url : undefined;
}

/** One paper: a compact line that opens to the abstract, links, status, tags and note. */
export function PaperRow(props: PaperRowProps): ReactElement {
  const { paper, active, expanded, actions } = props;
  const [details, setDetails] = useState<Pick<ListPaper, 'abstract' | 'links' | 'venue'>>({});
  const detailsId = useId();
  const noteId = useId();
  const statusId = useId();
  const saved = paper.saved;
  // A draft follows the stored note until the user types; a new stored note resets it.
  const [draft, setDraft] = useState<{ base: string; text: string } | null>(null);
  const storedNote = saved?.note ?? '';
  const note = draft && draft.base === storedNote ? draft.text : storedNote;
  const setNote = (text: string): void => setDraft({ base: storedNote, text });

  useEffect(() => {
    if (!expanded || paper.abstract || paper.ordinal === undefined) return;
    let cancelled = false;
    void actions.details(paper).then((loaded) => {
      if (!cancelled) setDetails(loaded);
    });
    return () => {
      cancelled = true;
    };
  }, [expanded, paper, actions]);

  const abstract = paper.abstract ?? details.abstract;
  const links = { ...details.links, ...paper.links };
  const page = safeHttp(links.abs) ?? paperPageUrl(paper.id) ?? undefined;
  const pdf = safeHttp(links.pdf) ?? paperPdfUrl(paper.id) ?? undefined;
  const hf =
    safeHttp(links.hf) ??
    (paper.id.startsWith('arxiv:')
      ? `https://huggingface.co/papers/${paper.id.slice(6)}`
      : undefined);
  const code = safeHttp(links.code);
  const venue = paper.venue ?? details.venue;
  const meta = [paper.year, venue].filter(Boolean).join(' · ');

  return (
    <article
      className={`paper-row${active ? ' active' : ''}${expanded ? ' expanded' : ''}${paper.dismissed ? ' dismissed' : ''}`}
      tabIndex={active ? 0 : -1}
      data-paper-id={paper.id}
      data-index={props.index}
      aria-expanded={expanded}
      aria-controls={expanded ? detailsId : undefined}
      aria-label={paper.title}
      onFocus={(event) => {
        if (event.target === event.currentTarget) props.onFocusRow();
      }}
      onClick={(event) => {
        if ((event.target as HTMLElement).closest('button, a, input, select, textarea, label'))
          return;
        props.onFocusRow();
        props.onToggle();
      }}
    >
      <div className="row-line">
        {props.selectable && (
          <input
            type="checkbox"
            className="row-select"
            checked={Boolean(props.selected)}
            aria-label={`Select ${paper.title}`}
            tabIndex={-1}
            onChange={(event) => props.onSelect?.(event.target.checked)}
          />
        )}
        <div className="row-main">
          <h3 className="row-title">
            <MathText text={paper.title} />
          </h3>
          <p className="row-meta muted">
            {paper.authors}
            {paper.authors && meta ? ' · ' : ''}
            {meta}
            {paper.matchedIn ? <span className="match-hint"> · {paper.matchedIn}</span> : null}
          </p>
        </div>
        <div className="row-badges">
          {saved ? (
            <span className={`status status-${saved.status}`}>{STATUS_LABELS[saved.status]}</span>
          ) : paper.dismissed ? (
            <span className="badge-muted">Dismissed</span>
          ) : null}
          {saved?.tags.slice(0, 3).map((tag) => (
            <span
              key={tag}
              className="tag-chip small"
              style={{ '--tag': props.tagColors.get(tag) ?? '#475569' } as React.CSSProperties}
            >
              {tag}
            </span>
          ))}
        </div>
      </div>
      {expanded && (
        <div className="row-details" id={detailsId}>
          {abstract ? (
            <p className="row-abstract">
              <MathText text={abstract} />
            </p>
          ) : (
            <p className="row-abstract muted">
              {paper.ordinal !== undefined ? 'Loading abstract…' : 'No abstract known.'}
            </p>
          )}
          <p className="row-links">
            {page && (
              <a href={page} target="_blank" rel="noreferrer noopener">
                Abstract page
              </a>
            )}
            {pdf && (
              <a href={pdf} target="_blank" rel="noreferrer noopener">
                PDF
              </a>
            )}
            {hf && (
              <a href={hf} target="_blank" rel="noreferrer noopener">
                Hugging Face
              </a>
            )}
            {code && (
              <a href={code} target="_blank" rel="noreferrer noopener">
                Code
              </a>
            )}
            <span className="muted paper-id">{paper.id}</span>
          </p>
          <div className="row-actions">
            {saved ? (
              <button type="button" onClick={() => actions.remove([paper])}>
                Remove from library
              </button>
            ) : (
              <button type="button" className="primary" onClick={() => actions.save(paper)}>
                Save to library
              </button>
            )}
            {saved && (
              <>
                <label htmlFor={statusId} className="visually-hidden">
                  Reading status
                </label>
                <select
                  id={statusId}
                  value={saved.status}
                  onChange={(event) =>
                    actions.setStatus([paper], event.target.value as ReadingStatus)
                  }
                >
                  {(Object.keys(STATUS_LABELS) as ReadingStatus[]).map((status) => (
                    <option key={status} value={status}>
                      {STATUS_LABELS[status]}
                    </option>
                  ))}
                </select>
              </>
            )}
            {!saved && (
              <button type="button" onClick={() => actions.dismiss(paper, !paper.dismissed)}>
                {paper.dismissed ? 'Undismiss' : 'Not for me'}
              </button>
            )}
          </div>
          {saved && (
            <>
              <TagEditor
                tags={saved.tags}
                known={props.knownTags}
                colors={props.tagColors}
                onAdd={(tag) => actions.addTag([paper], tag)}
                onRemove={(tag) => actions.removeTag([paper], tag)}
                label={`Add a tag to ${paper.title}`}
                inputRef={(element) => {
                  if (element && props.focusField === 'tags') element.focus();
                }}
              />
              <label htmlFor={noteId} className="note-label">
                Note
              </label>
              <textarea
                id={noteId}
                className="note"
                value={note}
                rows={3}
                placeholder="Your note (saved when you leave the field, or Ctrl+Enter)"
                ref={(element) => {
                  if (element && props.focusField === 'note') element.focus();
                }}
                onChange={(event) => setNote(event.target.value)}
                onBlur={() => note !== saved.note && actions.setNote(paper, note)}
                onKeyDown={(event) => {
                  if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
                    event.preventDefault();
                    actions.setNote(paper, note);
                  }
                }}
              />
            </>
          )}
        </div>
      )}
    </article>
  );
}
