import { useId, useState, type KeyboardEvent, type ReactElement } from 'react';
import { normalizeTagName } from '../lib/library/tags';

export interface TagEditorProps {
  tags: readonly string[];
  /** Every tag of the library, for autocomplete. */
  known: readonly string[];
  colors: ReadonlyMap<string, string>;
  onAdd: (tag: string) => void;
  onRemove: (tag: string) => void;
  inputRef?: (element: HTMLInputElement | null) => void;
  label?: string;
}

/** Tag chips with an input that autocompletes from the library's tags (Enter adds, Backspace removes). */
export function TagEditor({
  tags,
  known,
  colors,
  onAdd,
  onRemove,
  inputRef,
  label = 'Add a tag',
}: TagEditorProps): ReactElement {
  const [draft, setDraft] = useState('');
  const listId = useId();
  const inputId = useId();
  const typed = normalizeTagName(draft).toLowerCase();
  const suggestions = typed
    ? known.filter((tag) => tag.toLowerCase().includes(typed) && !tags.includes(tag)).slice(0, 8)
    : [];

  const commit = (value: string): void => {
    const name = normalizeTagName(value);
    if (!name) return;
    // Reuse the library's spelling when the user typed an existing tag in another case.
    const existing = known.find((tag) => tag.toLowerCase() === name.toLowerCase());
    onAdd(existing ?? name);
    setDraft('');
  };

  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>): void => {
    if (event.key === 'Enter') {
      event.preventDefault();
      event.stopPropagation();
      commit(draft);
    } else if (event.key === 'Tab' && suggestions[0] && draft) {
      event.preventDefault();
      setDraft(suggestions[0]);
    } else if (event.key === 'Backspace' && draft === '' && tags.length) {
      onRemove(tags[tags.length - 1] ?? '');
    } else if (event.key === 'Escape' && draft) {
      event.stopPropagation();
      setDraft('');
    }
  };

  return (
    <div className="tag-editor">
      <ul className="tag-list" aria-label="Tags">
        {tags.map((tag) => (
          <li key={tag}>
            <span
              className="tag-chip"
              style={{ '--tag': colors.get(tag) ?? '#475569' } as React.CSSProperties}
            >
              {tag}
              <button
                type="button"
                className="tag-remove"
                aria-label={`Remove tag ${tag}`}
                onClick={() => onRemove(tag)}
              >
                ×
              </button>
            </span>
          </li>
        ))}
      </ul>
      <label className="visually-hidden" htmlFor={inputId}>
        {label}
      </label>
      <input
        id={inputId}
        ref={inputRef}
        className="tag-input"
        value={draft}
        placeholder="Add tag…"
        list={listId}
        autoComplete="off"
        onChange={(event) => setDraft(event.target.value)}
        onKeyDown={onKeyDown}
      />
      <datalist id={listId}>
        {suggestions.map((tag) => (
          <option key={tag} value={tag} />
        ))}
      </datalist>
    </div>
  );
}
