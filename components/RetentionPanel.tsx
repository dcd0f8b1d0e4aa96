import { useLiveQuery } from 'dexie-react-hooks';
import { useEffect, useId, useRef, useState, type FormEvent, type ReactElement } from 'react';
import type { IndexDatabase } from '../lib/db';
import { pruneProgress } from '../lib/index-store';
import type { RetentionPreview, RetentionRule } from '../lib/sync/retention-rule';
import { callBackground } from './runtime';

function splitList(text: string): string[] {
  return text
    .split(/[\s,]+/)
    .map((part) => part.trim())
    .filter(Boolean);
}

const count = (n: number): string => n.toLocaleString('en');
const papers = (n: number): string => `${count(n)} ${n === 1 ? 'paper' : 'papers'}`;

function describe(rule: RetentionRule): string {
  const parts: string[] = [];
  if (rule.keepMonths > 0) parts.push(`papers of the last ${rule.keepMonths} months`);
  if (rule.categories.length > 0) parts.push(`arXiv papers in ${rule.categories.join(', ')}`);
  return parts.length > 0 ? `Keeping ${parts.join(' and ')}.` : 'Keeping every paper.';
}

/**
 * Retention: how much of the abstract index to keep. A rule is previewed ("will remove N papers")
 * and applied only after the user confirms; it then also runs after each sync. The library is
 * never touched, and papers the user saved or dismissed stay in the index.
 */
export function RetentionPanel({ indexDb }: { indexDb: IndexDatabase }): ReactElement {
  const [rule, setRule] = useState<RetentionRule | null>(null);
  const [monthsText, setMonthsText] = useState('0');
  const [categoriesText, setCategoriesText] = useState('');
  const [preview, setPreview] = useState<{ rule: RetentionRule; result: RetentionPreview } | null>(
    null,
  );
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<string | null>(null);
  const progress = useLiveQuery(() => pruneProgress(indexDb), [indexDb]);
  const confirmRef = useRef<HTMLButtonElement>(null);
  const previewRef = useRef<HTMLButtonElement>(null);
  /** Closes the confirmation and puts focus back where the user started it. */
  const closePreview = (): void => {
    setPreview(null);
    previewRef.current?.focus();
  };
  const ids = { months: useId(), categories: useId(), preview: useId() };

  useEffect(() => {
    callBackground('getRetention', {})
      .then((status) => {
        setRule(status.rule);
        setMonthsText(String(status.rule.keepMonths));
        setCategoriesText(status.rule.categories.join(' '));
        if (status.lastRun && status.lastRun.removed > 0) {
          setMessage(
            `Last tidy-up ${new Date(status.lastRun.at).toLocaleString()}: removed ${papers(status.lastRun.removed)}.`,
          );
        }
      })
      .catch((error: unknown) => setMessage(`Could not load the retention rule: ${String(error)}`));
  }, []);

  useEffect(() => {
    if (preview) confirmRef.current?.focus();
  }, [preview]);

  const edited = (): void => {
    setPreview(null);
    setMessage(null);
  };

  const draft = (): RetentionRule | null => {
    const months = Number(monthsText.trim() || '0');
    if (!Number.isInteger(months) || months < 0 || months > 1200) return null;
    return { keepMonths: months, categories: splitList(categoriesText) };
  };

  const runPreview = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    const next = draft();
    if (!next) {
      setMessage('Months must be a whole number from 0 (keep every date) to 1200.');
      return;
    }
    setBusy(true);
    setMessage(null);
    try {
      setPreview({ rule: next, result: await callBackground('previewRetention', { rule: next }) });
    } catch (error) {
      setMessage(
        `Could not preview: ${error instanceof Error ? error.message : String(error)}. Categories look like cs.LG, or cs for a whole archive.`,
      );
    } finally {
      setBusy(false);
    }
  };

  const confirm = async (): Promise<void> => {
    if (!preview) return;
    setBusy(true);
    try {
      const result = await callBackground('setRetention', { rule: preview.rule });
      setRule(preview.rule);
      setMessage(
        result.done
          ? `Removed ${papers(result.removed)}; ${papers(result.kept)} left in the index.`
          : `Removed ${papers(result.removed)} so far; the rest continues in the background.`,
      );
      closePreview();
    } catch (error) {
      setMessage(`Not applied: ${error instanceof Error ? error.message : String(error)}`);
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="retention" data-testid="retention">
      <p className="muted">
        Keep the abstract index small. This only removes papers from the index, never from your
        library; papers you saved, tagged, annotated or dismissed always keep their abstracts. The
        rule also runs after each sync.
      </p>
      {rule && (
        <p data-testid="retention-current">
          <strong>Now:</strong> {describe(rule)}
        </p>
      )}
      <form className="sync-settings" onSubmit={(event) => void runPreview(event)}>
        <label htmlFor={ids.months}>Keep papers published in the last … months (0 keeps all)</label>
        <input
          id={ids.months}
          type="number"
          inputMode="numeric"
          min={0}
          max={1200}
          value={monthsText}
          onChange={(event) => {
            edited();
            setMonthsText(event.target.value);
          }}
        />
        <label htmlFor={ids.categories}>
          Keep only arXiv papers in these categories or archives (empty keeps all)
        </label>
        <input
          id={ids.categories}
          value={categoriesText}
          placeholder="cs.LG cs.CL stat"
          onChange={(event) => {
            edited();
            setCategoriesText(event.target.value);
          }}
        />
        <button ref={previewRef} type="submit" disabled={busy || !rule}>
          Preview
        </button>
      </form>
      {preview && (
        <div
          className="retention-confirm"
          role="region"
          aria-labelledby={ids.preview}
          data-testid="retention-preview"
          onKeyDown={(event) => {
            if (event.key === 'Escape') closePreview();
          }}
        >
          <p id={ids.preview}>
            {preview.result.remove > 0
              ? `This will remove ${papers(preview.result.remove)} of ${count(preview.result.total)} from the index.`
              : `Nothing to remove now (${papers(preview.result.total)} in the index).`}
            {preview.result.protectedKept > 0 &&
              ` ${papers(preview.result.protectedKept)} you saved or dismissed stay.`}
          </p>
          <button
            ref={confirmRef}
            type="button"
            className={preview.result.remove > 0 ? 'danger' : 'primary'}
            disabled={busy}
            onClick={() => void confirm()}
          >
            {preview.result.remove > 0
              ? `Remove ${papers(preview.result.remove)} and keep this rule`
              : 'Keep this rule'}
          </button>{' '}
          <button type="button" disabled={busy} onClick={closePreview}>
            Cancel
          </button>
        </div>
      )}
      {progress && (
        <div className="sync-progress" data-testid="retention-progress">
          <progress max={progress.total} value={progress.done} aria-label="Tidying the index" />
          <span>
            Tidying the index: {count(progress.done)} of {count(progress.total)} read,{' '}
            {papers(progress.removed)} removed
          </span>
        </div>
      )}
      {message && (
        <p role="status" data-testid="retention-status">
          {message}
        </p>
      )}
    </div>
  );
}
