import { useLiveQuery } from 'dexie-react-hooks';
import { useEffect, useMemo, useState, type ReactElement } from 'react';
import { openIndexDb } from '../lib/db';
import { syncSummary } from '../lib/sync/status';
import './sync.css';

/** One line of sync status for the popup, read live from the index database. */
export function SyncStatus(): ReactElement {
  const indexDb = useMemo(() => openIndexDb(), []);
  const jobs = useLiveQuery(() => indexDb.syncJobs.toArray(), [indexDb]);
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 15_000);
    return () => clearInterval(timer);
  }, []);
  if (!jobs) return <p className="sync-status muted">…</p>;
  const summary = syncSummary(jobs, now);
  return (
    <p
      className={`sync-status sync-status-${summary.tone}`}
      data-testid="sync-status"
      role="status"
    >
      {summary.text}
    </p>
  );
}
