import { useEffect, useRef, useState, type ReactElement } from 'react';
import { browser } from '#imports';

const SHORTCUTS: [string, string][] = [
  ['/', 'Focus the search box'],
  ['↓ / ↑ (j / k)', 'Move through papers (↓ from the search box enters the list)'],
  ['Enter', 'Open or close a paper (abstract, links, tags, note)'],
  ['s', 'Save the paper, or remove it from the library (undoable)'],
  ['t', 'Tag the paper (type, Enter adds; Backspace removes the last tag)'],
  ['n', 'Write a note (Ctrl+Enter or leaving the field saves it)'],
  ['r', 'Next reading status: to read → reading → read'],
  ['x', 'Select for bulk edits (Library)'],
  ['Delete', 'Remove the paper, or the selected papers (undoable)'],
  ['d', 'Dismiss: “not for me”'],
  ['o / p', 'Open the abstract page / the PDF'],
  ['Alt+1 / 2 / 3', 'This page / Library / Search'],
  ['Ctrl+Z', 'Undo the last edit'],
  ['Esc', 'Close a paper, clear the search, then close the popup'],
  ['?', 'This help'],
];

const PREFIXES: [string, string][] = [
  ['t:tag', 'Saved papers with this tag (t:"two words")'],
  ['a:name', 'An author'],
  ['y:2023, y:2020-2023, y:>2021', 'Publication year'],
];

/** Every shortcut, plus the browser's bindings for the extension's commands. */
export function HelpView({ onClose }: { onClose: () => void }): ReactElement {
  const closeRef = useRef<HTMLButtonElement>(null);
  const [commands, setCommands] = useState<
    { name: string; description: string; shortcut: string }[]
  >([]);
  useEffect(() => {
    closeRef.current?.focus();
    browser.commands
      ?.getAll()
      .then((all) =>
        setCommands(
          all.map((command) => ({
            name: command.name ?? '',
            description:
              command.name === '_execute_action' ? 'Open Paperlight' : (command.description ?? ''),
            shortcut: command.shortcut || 'not set',
          })),
        ),
      )
      .catch(() => setCommands([]));
  }, []);
  return (
    <section className="view help" role="dialog" aria-modal="true" aria-labelledby="help-heading">
      <div className="help-head">
        <h2 id="help-heading">Keyboard shortcuts</h2>
        <button ref={closeRef} type="button" onClick={onClose}>
          Close (Esc)
        </button>
      </div>
      <table>
        <tbody>
          {SHORTCUTS.map(([key, text]) => (
            <tr key={key}>
              <th scope="row">
                <kbd>{key}</kbd>
              </th>
              <td>{text}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <h3>Search prefixes</h3>
      <table>
        <tbody>
          {PREFIXES.map(([key, text]) => (
            <tr key={key}>
              <th scope="row">
                <code>{key}</code>
              </th>
              <td>{text}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <h3>Browser shortcuts</h3>
      <ul>
        {commands.map((command) => (
          <li key={command.name}>
            {command.description}: <kbd>{command.shortcut}</kbd>
          </li>
        ))}
      </ul>
      <p className="muted">
        Change them at chrome://extensions/shortcuts (Firefox: Manage Extension Shortcuts).
      </p>
    </section>
  );
}
