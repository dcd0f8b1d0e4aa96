import { useState, type ReactElement } from 'react';
import { useLibrary } from '../hooks/use-library';
import { callBackground } from '../runtime';

/** Tag management: colour, rename (onto another tag = merge), delete. */
export function TagsPanel(): ReactElement {
  const library = useLibrary();
  const [names, setNames] = useState<Record<string, string>>({});
  const [message, setMessage] = useState('');
  const counts = new Map<string, number>();
  for (const paper of library.papers ?? [])
    for (const tag of paper.tags) counts.set(tag, (counts.get(tag) ?? 0) + 1);

  const run = (promise: Promise<unknown>, done: string): void => {
    promise.then(() => setMessage(done)).catch((error: unknown) => setMessage(String(error)));
  };

  if (!library.tags.length) {
    return (
      <p className="muted">No tags yet. Tag papers in the popup (press t on a saved paper).</p>
    );
  }
  return (
    <>
      <table className="tags-table">
        <thead>
          <tr>
            <th scope="col">Tag</th>
            <th scope="col">Papers</th>
            <th scope="col">Colour</th>
            <th scope="col">Rename or merge into</th>
            <th scope="col">
              <span className="visually-hidden">Delete</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {library.tags.map((tag) => (
            <tr key={tag.name}>
              <td>
                <span className="tag-chip" style={{ '--tag': tag.color } as React.CSSProperties}>
                  {tag.name}
                </span>
              </td>
              <td>{counts.get(tag.name) ?? 0}</td>
              <td>
                <input
                  type="color"
                  aria-label={`Colour of ${tag.name}`}
                  value={tag.color}
                  onChange={(event) =>
                    run(
                      callBackground('setTagColor', { name: tag.name, color: event.target.value }),
                      `Recoloured “${tag.name}”.`,
                    )
                  }
                />
              </td>
              <td>
                <form
                  onSubmit={(event) => {
                    event.preventDefault();
                    const to = names[tag.name]?.trim();
                    if (to)
                      run(
                        callBackground('renameTag', { from: tag.name, to }),
                        `Renamed “${tag.name}” to “${to}”.`,
                      );
                  }}
                >
                  <input
                    aria-label={`New name for ${tag.name}`}
                    list="tag-names"
                    value={names[tag.name] ?? ''}
                    onChange={(event) => setNames({ ...names, [tag.name]: event.target.value })}
                  />{' '}
                  <button type="submit">Rename</button>
                </form>
              </td>
              <td>
                <button
                  type="button"
                  className="danger"
                  onClick={() =>
                    run(callBackground('deleteTag', { name: tag.name }), `Deleted “${tag.name}”.`)
                  }
                >
                  Delete
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <datalist id="tag-names">
        {library.tags.map((tag) => (
          <option key={tag.name} value={tag.name} />
        ))}
      </datalist>
      <p className="muted">Renaming a tag to the name of another tag merges the two.</p>
      <p role="status">{message}</p>
    </>
  );
}
