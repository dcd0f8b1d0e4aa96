import { useLiveQuery } from 'dexie-react-hooks';
import { useEffect, useId, useMemo, useState, type FormEvent, type ReactElement } from 'react';
import { openIndexDb } from '../lib/db';
import type { SyncSettings } from '../lib/sync/settings';
import { isLookup, viewJob, type JobView } from '../lib/sync/status';
import { RetentionPanel } from './RetentionPanel';
import { callBackground } from './runtime';
import './sync.css';

const INTERVALS: { hours: number; label: string }[] = [
  { hours: 6, label: 'every 6 hours' },
  { hours: 12, label: 'twice a day' },
  { hours: 24, label: 'daily' },
  { hours: 24 * 7, label: 'weekly' },
];

function splitList(text: string): string[] {
  return text
    .split(/[\s,]+/)
    .map((part) => part.trim())
    .filter(Boolean);
}

function useNow(intervalMs = 15_000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), intervalMs);
    return () => clearInterval(timer);
  }, [intervalMs]);
  return now;
}

function IntervalSelect(props: {
  value: number;
  onChange: (hours: number) => void;
  label: string;
}): ReactElement {
  const id = useId();
  return (
    <span className="sync-interval">
      <label htmlFor={id}>{props.label}</label>
      <select
        id={id}
        value={props.value}
        onChange={(event) => props.onChange(Number(event.target.value))}
      >
        {INTERVALS.map((interval) => (
          <option key={interval.hours} value={interval.hours}>
            {interval.label}
          </option>
        ))}
      </select>
    </span>
  );
}

function JobRow({ job }: { job: JobView }): ReactElement {
  const [busy, setBusy] = useState(false);
  const act = (action: () => Promise<unknown>): void => {
    setBusy(true);
    action()
      .catch((error: unknown) => console.warn('Paperlight:', error))
      .finally(() => setBusy(false));
  };
  return (
    <li className={`sync-job sync-job-${job.state}`} data-testid="sync-job" data-job-id={job.id}>
      <div className="sync-job-head">
        <strong>{job.label}</strong>
        <span className="sync-state" data-testid="sync-state">
          {job.stateText}
        </span>
      </div>
      {job.progress && (
        <div className="sync-progress">
          <progress
            max={job.progress.total ?? undefined}
            value={job.progress.total === undefined ? undefined : job.progress.done}
            aria-label={`${job.label} progress`}
          />
          <span data-testid="sync-progress">{job.progress.text}</span>
        </div>
      )}
      <dl className="sync-facts">
        <dt>Last run</dt>
        <dd>{job.lastRun}</dd>
        <dt>Papers added</dt>
        <dd data-testid="sync-added">{job.added}</dd>
        <dt>Next run</dt>
        <dd>{job.nextRun}</dd>
      </dl>
      {job.error && (
        <p className="sync-error" role="status" data-testid="sync-error">
          {job.error}
        </p>
      )}
      <div className="sync-actions">
        {job.state !== 'done' && (
          <button
            type="button"
            disabled={busy || job.state === 'running'}
            onClick={() => act(() => callBackground('syncNow', { jobIds: [job.id] }))}
          >
            Sync now
          </button>
        )}
        {job.isBackfill && (
          <button
            type="button"
            disabled={busy}
            onClick={() => act(() => callBackground('removeSyncJob', { jobId: job.id }))}
          >
            {job.state === 'done' ? 'Clear' : 'Cancel'}
          </button>
        )}
      </div>
    </li>
  );
}

type BackfillKind = 'arxiv-backfill' | 'arxiv-oai' | 'hf-backfill';

function BackfillForm(): ReactElement {
  const [kind, setKind] = useState<BackfillKind>('arxiv-backfill');
  const [category, setCategory] = useState('cs.LG');
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [period, setPeriod] = useState('');
  const [message, setMessage] = useState<string | null>(null);
  const ids = { kind: useId(), category: useId(), from: useId(), to: useId(), period: useId() };

  const submit = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    setMessage(null);
    const spec =
      kind === 'arxiv-backfill'
        ? { kind, category, from, to }
        : kind === 'arxiv-oai'
          ? { kind, set: category, from }
          : {
              kind,
              period: period.includes('W') ? ('week' as const) : ('month' as const),
              value: period,
            };
    try {
      const { job } = await callBackground('addSyncBackfill', { spec });
      setMessage(`Added: it starts now and continues in the background (${job.id}).`);
    } catch (error) {
      setMessage(`Could not add it: ${error instanceof Error ? error.message : String(error)}`);
    }
  };

  return (
    <form className="sync-backfill" onSubmit={(event) => void submit(event)}>
      <label htmlFor={ids.kind}>Fetch older papers from</label>
      <select
        id={ids.kind}
        value={kind}
        onChange={(event) => setKind(event.target.value as BackfillKind)}
      >
        <option value="arxiv-backfill">arXiv: a category over a date range</option>
        <option value="arxiv-oai">arXiv bulk (OAI-PMH): a whole archive since a date</option>
        <option value="hf-backfill">Hugging Face: a week or month of daily papers</option>
      </select>
      {kind !== 'hf-backfill' && (
        <>
          <label htmlFor={ids.category}>
            {kind === 'arxiv-oai' ? 'Archive set (cs, math, physics:hep-th)' : 'Category'}
          </label>
          <input
            id={ids.category}
            value={category}
            onChange={(event) => setCategory(event.target.value.trim())}
          />
          <label htmlFor={ids.from}>Start date</label>
          <input
            id={ids.from}
            type="date"
            value={from}
            required
            onChange={(event) => setFrom(event.target.value)}
          />
        </>
      )}
      {kind === 'arxiv-backfill' && (
        <>
          <label htmlFor={ids.to}>End date</label>
          <input
            id={ids.to}
            type="date"
            value={to}
            required
            onChange={(event) => setTo(event.target.value)}
          />
        </>
      )}
      {kind === 'hf-backfill' && (
        <>
          <label htmlFor={ids.period}>Week (2026-W03) or month (2026-01)</label>
          <input
            id={ids.period}
            value={period}
            required
            onChange={(event) => setPeriod(event.target.value.trim())}
          />
        </>
      )}
      <button type="submit">Start</button>
      {message && (
        <p className="muted" role="status">
          {message}
        </p>
      )}
    </form>
  );
}

/** The options page's sync section: sources, jobs with live status, and backfills. */
export function SyncPanel(): ReactElement {
  const indexDb = useMemo(() => openIndexDb(), []);
  const rows = useLiveQuery(() => indexDb.syncJobs.toArray(), [indexDb]);
  const now = useNow();
  const [settings, setSettings] = useState<SyncSettings | null>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const [categoriesText, setCategoriesText] = useState('');
  const [venuesText, setVenuesText] = useState('');
  const ids = {
    arxiv: useId(),
    categories: useId(),
    hf: useId(),
    openreview: useId(),
    venues: useId(),
    fillArxiv: useId(),
    fillS2: useId(),
    fillHf: useId(),
    s2Key: useId(),
  };

  useEffect(() => {
    callBackground('getSyncSettings', {})
      .then((loaded) => {
        setSettings(loaded);
        setCategoriesText(loaded.arxivRss.categories.join(' '));
        setVenuesText(loaded.openreview.venues.join('\n'));
      })
      .catch((error: unknown) => setSaved(`Could not load the sync settings: ${String(error)}`));
  }, []);

  const jobs = useMemo(
    () =>
      (rows ?? [])
        .slice()
        .sort((a, b) => a.createdAt - b.createdAt)
        .map((row) => viewJob(row, now)),
    [rows, now],
  );

  const save = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    if (!settings) return;
    const next: SyncSettings = {
      ...settings,
      arxivRss: { ...settings.arxivRss, categories: splitList(categoriesText) },
      openreview: { ...settings.openreview, venues: splitList(venuesText) },
    };
    try {
      setSettings(await callBackground('setSyncSettings', { settings: next }));
      setSaved('Saved. Sources that are due start syncing now.');
    } catch (error) {
      setSaved(
        `Not saved: ${error instanceof Error ? error.message : String(error)}. Categories look like cs.LG or math.AG; venues like ICLR.cc/2025/Conference.`,
      );
    }
  };

  const update = (change: (current: SyncSettings) => SyncSettings): void => {
    setSaved(null);
    setSettings((current) => (current ? change(current) : current));
  };

  return (
    <div className="sync-panel">
      {settings ? (
        <form onSubmit={(event) => void save(event)} className="sync-settings">
          <fieldset>
            <legend>
              <input
                id={ids.arxiv}
                type="checkbox"
                checked={settings.arxivRss.enabled}
                onChange={(event) =>
                  update((s) => ({
                    ...s,
                    arxivRss: { ...s.arxivRss, enabled: event.target.checked },
                  }))
                }
              />
              <label htmlFor={ids.arxiv}>arXiv daily announcements</label>
            </legend>
            <label htmlFor={ids.categories}>Categories to follow</label>
            <input
              id={ids.categories}
              value={categoriesText}
              placeholder="cs.LG cs.CL stat.ML"
              onChange={(event) => {
                setSaved(null);
                setCategoriesText(event.target.value);
              }}
            />
            <IntervalSelect
              label="Check"
              value={settings.arxivRss.intervalHours}
              onChange={(hours) =>
                update((s) => ({ ...s, arxivRss: { ...s.arxivRss, intervalHours: hours } }))
              }
            />
          </fieldset>
          <fieldset>
            <legend>
              <input
                id={ids.hf}
                type="checkbox"
                checked={settings.huggingface.enabled}
                onChange={(event) =>
                  update((s) => ({
                    ...s,
                    huggingface: { ...s.huggingface, enabled: event.target.checked },
                  }))
                }
              />
              <label htmlFor={ids.hf}>Hugging Face daily papers</label>
            </legend>
            <IntervalSelect
              label="Check"
              value={settings.huggingface.intervalHours}
              onChange={(hours) =>
                update((s) => ({ ...s, huggingface: { ...s.huggingface, intervalHours: hours } }))
              }
            />
          </fieldset>
          <fieldset>
            <legend>
              <input
                id={ids.openreview}
                type="checkbox"
                checked={settings.openreview.enabled}
                onChange={(event) =>
                  update((s) => ({
                    ...s,
                    openreview: { ...s.openreview, enabled: event.target.checked },
                  }))
                }
              />
              <label htmlFor={ids.openreview}>OpenReview venues</label>
            </legend>
            <label htmlFor={ids.venues}>Venue ids, one per line</label>
            <textarea
              id={ids.venues}
              rows={2}
              value={venuesText}
              placeholder="ICLR.cc/2025/Conference"
              onChange={(event) => {
                setSaved(null);
                setVenuesText(event.target.value);
              }}
            />
            <IntervalSelect
              label="Check"
              value={settings.openreview.intervalHours}
              onChange={(hours) =>
                update((s) => ({ ...s, openreview: { ...s.openreview, intervalHours: hours } }))
              }
            />
          </fieldset>
          <fieldset>
            <legend>Papers seen on pages but missing from the index</legend>
            <div>
              <input
                id={ids.fillArxiv}
                type="checkbox"
                checked={settings.fillMissing.arxiv}
                onChange={(event) =>
                  update((s) => ({
                    ...s,
                    fillMissing: { ...s.fillMissing, arxiv: event.target.checked },
                  }))
                }
              />
              <label htmlFor={ids.fillArxiv}>
                Look up arXiv papers (sends their arXiv ids to arXiv)
              </label>
            </div>
            <div>
              <input
                id={ids.fillHf}
                type="checkbox"
                checked={settings.fillMissing.huggingface}
                onChange={(event) =>
                  update((s) => ({
                    ...s,
                    fillMissing: { ...s.fillMissing, huggingface: event.target.checked },
                  }))
                }
              />
              <label htmlFor={ids.fillHf}>
                Look up papers seen on Hugging Face pages through Hugging Face (sends their arXiv
                ids to Hugging Face)
              </label>
            </div>
            <div>
              <input
                id={ids.fillS2}
                type="checkbox"
                checked={settings.fillMissing.semanticScholar}
                onChange={(event) =>
                  update((s) => ({
                    ...s,
                    fillMissing: { ...s.fillMissing, semanticScholar: event.target.checked },
                  }))
                }
              />
              <label htmlFor={ids.fillS2}>
                Look up other papers through Semantic Scholar (sends their DOIs and ids to Semantic
                Scholar)
              </label>
            </div>
            <label htmlFor={ids.s2Key}>Semantic Scholar API key (optional)</label>
            <input
              id={ids.s2Key}
              type="password"
              autoComplete="off"
              value={settings.fillMissing.s2ApiKey}
              onChange={(event) =>
                update((s) => ({
                  ...s,
                  fillMissing: { ...s.fillMissing, s2ApiKey: event.target.value.trim() },
                }))
              }
            />
          </fieldset>
          <button type="submit" className="primary">
            Save sync settings
          </button>
          {saved && (
            <p role="status" data-testid="sync-settings-status">
              {saved}
            </p>
          )}
        </form>
      ) : (
        <p className="muted">{saved ?? 'Loading sync settings…'}</p>
      )}

      <h3>Status</h3>
      {(rows ?? []).every(isLookup) && (
        <p className="muted" data-testid="sync-empty">
          Nothing is synced yet. Follow some arXiv categories or turn on Hugging Face daily papers
          above.
        </p>
      )}
      {jobs.length > 0 && (
        <>
          <button type="button" onClick={() => void callBackground('syncNow', { jobIds: [] })}>
            Sync everything now
          </button>
          <ul className="sync-jobs" aria-label="Sync jobs">
            {jobs.map((job) => (
              <JobRow key={job.id} job={job} />
            ))}
          </ul>
        </>
      )}

      <h3>Older papers</h3>
      <BackfillForm />

      <h3>How much to keep</h3>
      <RetentionPanel indexDb={indexDb} />
    </div>
  );
}
