import { useId, useMemo, useState, type ChangeEvent, type ReactElement } from 'react';
import { EXPORT_FORMATS, exportPapers, type ExportFormat } from '../../lib/export';
import { backupToText, createBackup } from '../../lib/library/backup';
import type { LibraryResponseMap } from '../../lib/library/protocol';
import type { SavedPaper } from '../../lib/types';
import { useLibrary } from '../hooks/use-library';
import { callBackground } from '../runtime';
import { dated, downloadText } from './download';

type Status =
  | { kind: 'idle' }
  | { kind: 'busy'; text: string }
  | { kind: 'ok'; text: string }
  | { kind: 'error'; text: string };

function StatusLine({ status, testId }: { status: Status; testId: string }): ReactElement {
  return (
    <div aria-live="polite" data-testid={testId}>
      {status.kind === 'busy' && <p>{status.text}</p>}
      {status.kind === 'ok' && <p className="ok">{status.text}</p>}
      {status.kind === 'error' && (
        <p role="alert" className="error">
          {status.text}
        </p>
      )}
    </div>
  );
}

/** Library import, export, backup and restore. File pickers live here, not in the popup. */
export function LibraryPanel(): ReactElement {
  const library = useLibrary();
  const ids = {
    importInput: useId(),
    restoreInput: useId(),
    format: useId(),
    tag: useId(),
    mode: useId(),
  };
  const [importStatus, setImportStatus] = useState<Status>({ kind: 'idle' });
  const [restoreStatus, setRestoreStatus] = useState<Status>({ kind: 'idle' });
  const [format, setFormat] = useState<ExportFormat>('bibtex');
  const [exportTag, setExportTag] = useState('');
  const [mode, setMode] = useState<'replace' | 'merge'>('merge');
  const papers = library.papers;

  const subset = useMemo<SavedPaper[]>(
    () =>
      (papers ?? [])
        .filter((paper) => !exportTag || paper.tags.includes(exportTag))
        .sort((a, b) => a.savedAt - b.savedAt),
    [papers, exportTag],
  );

  const onImport = async (event: ChangeEvent<HTMLInputElement>): Promise<void> => {
    const file = event.target.files?.[0];
    event.target.value = '';
    if (!file) return;
    setImportStatus({ kind: 'busy', text: `Importing ${file.name}…` });
    try {
      const result: LibraryResponseMap['importLibraryFile'] = await callBackground(
        'importLibraryFile',
        {
          text: await file.text(),
          fileName: file.name,
        },
      );
      if (!result.ok) {
        setImportStatus({ kind: 'error', text: `Could not import ${file.name}: ${result.error}` });
        return;
      }
      const skipped = result.skipped.length
        ? ` ${result.skipped.length} entries skipped (first: line ${result.skipped[0]?.line}: ${result.skipped[0]?.message}).`
        : '';
      setImportStatus({
        kind: 'ok',
        text: `Imported ${file.name} (${result.format}): ${result.added} new, ${result.updated} updated; ${result.matched} matched to the index, ${result.unmatched} kept with their own details.${skipped}`,
      });
    } catch (error) {
      setImportStatus({ kind: 'error', text: String(error) });
    }
  };

  const onRestore = async (event: ChangeEvent<HTMLInputElement>): Promise<void> => {
    const file = event.target.files?.[0];
    event.target.value = '';
    if (!file) return;
    if (
      mode === 'replace' &&
      !window.confirm(
        `Replace the whole library (${papers?.length ?? 0} papers) with ${file.name}? Download a backup first if unsure.`,
      )
    ) {
      return;
    }
    setRestoreStatus({ kind: 'busy', text: `Restoring ${file.name}…` });
    try {
      const result = await callBackground('restoreLibrary', { text: await file.text(), mode });
      setRestoreStatus(
        result.ok
          ? {
              kind: 'ok',
              text: `Restored ${file.name}: ${result.saved} papers, ${result.tags} tags, ${result.dismissed} dismissals, ${result.interests} interests.`,
            }
          : { kind: 'error', text: `Nothing was restored: ${result.error}` },
      );
    } catch (error) {
      setRestoreStatus({ kind: 'error', text: String(error) });
    }
  };

  const onBackup = async (): Promise<void> => {
    const settings = await callBackground('getSettings', {});
    downloadText(
      dated('paperlight-library', 'json'),
      backupToText(await createBackup(library.db, settings)),
      'application/json',
    );
  };

  const onExport = (): void => {
    const { extension, mime } = EXPORT_FORMATS[format];
    downloadText(
      dated(exportTag ? `paperlight-${exportTag}` : 'paperlight-library', extension),
      exportPapers(format, subset, papers ?? []),
      mime,
    );
  };

  return (
    <section aria-labelledby="library-heading" id="library">
      <h2 id="library-heading">Library</h2>
      <p>
        Saved papers: <strong data-testid="library-count">{papers?.length ?? '…'}</strong>
        {library.tags.length ? `, ${library.tags.length} tags` : ''}.
      </p>

      <h3>Import into the library</h3>
      <label htmlFor={ids.importInput} className="file-label">
        Import into library
      </label>
      <input
        id={ids.importInput}
        type="file"
        accept=".bib,.bibtex,.ris,.json,.txt"
        onChange={(event) => void onImport(event)}
      />
      <p className="muted">
        BibTeX or BibLaTeX, RIS, CSL-JSON, a PaperMemory export or Better BibTeX JSON. Papers are
        matched to the index where possible and keep the file’s own details otherwise; tags, notes
        and citation keys come along.
      </p>
      <StatusLine status={importStatus} testId="library-import-status" />

      <h3>Export</h3>
      <div className="row">
        <label htmlFor={ids.format}>Format</label>
        <select
          id={ids.format}
          value={format}
          onChange={(event) => setFormat(event.target.value as ExportFormat)}
        >
          {(Object.keys(EXPORT_FORMATS) as ExportFormat[]).map((key) => (
            <option key={key} value={key}>
              {EXPORT_FORMATS[key].label}
            </option>
          ))}
        </select>
        <label htmlFor={ids.tag}>Papers</label>
        <select
          id={ids.tag}
          value={exportTag}
          onChange={(event) => setExportTag(event.target.value)}
        >
          <option value="">All</option>
          {library.tags.map((tag) => (
            <option key={tag.name} value={tag.name}>
              Tagged “{tag.name}”
            </option>
          ))}
        </select>
        <button type="button" disabled={!subset.length} onClick={onExport}>
          Export {subset.length} papers
        </button>
      </div>

      <h3>Backup and restore</h3>
      <p className="muted">
        A backup holds everything that is yours: papers, tags and colours, notes, reading status,
        dismissals and settings. Browsers can clear extension storage; keep a copy.
      </p>
      <div className="row">
        <button type="button" className="primary" onClick={() => void onBackup()}>
          Download backup
        </button>
      </div>
      <fieldset className="row">
        <legend>When restoring</legend>
        <label>
          <input
            type="radio"
            name={ids.mode}
            checked={mode === 'merge'}
            onChange={() => setMode('merge')}
          />{' '}
          Merge into the library
        </label>
        <label>
          <input
            type="radio"
            name={ids.mode}
            checked={mode === 'replace'}
            onChange={() => setMode('replace')}
          />{' '}
          Replace the library
        </label>
      </fieldset>
      <label htmlFor={ids.restoreInput} className="file-label">
        Restore from backup
      </label>
      <input
        id={ids.restoreInput}
        type="file"
        accept=".json,application/json"
        onChange={(event) => void onRestore(event)}
      />
      <StatusLine status={restoreStatus} testId="restore-status" />
    </section>
  );
}
