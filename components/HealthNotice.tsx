import { useEffect, useState, type ReactElement } from 'react';
import type { HealthEvent } from '../lib/index-health';
import { callBackground } from './runtime';

/**
 * What the background had to repair (a damaged or deleted index), in plain words, until the user
 * dismisses it. Renders nothing when all is well.
 */
export function HealthNotice(): ReactElement | null {
  const [events, setEvents] = useState<HealthEvent[]>([]);

  useEffect(() => {
    callBackground('getHealthEvents', {})
      .then((answer) => setEvents(answer.events))
      .catch(() => setEvents([]));
  }, []);

  if (events.length === 0) return null;
  const dismiss = (): void => {
    void callBackground('clearHealthEvents', {}).then(() => setEvents([]));
  };
  return (
    <section role="status" className="error health-notice" data-testid="health-notice">
      <ul>
        {events.map((event) => (
          <li key={`${event.at}-${event.kind}`}>
            <time dateTime={new Date(event.at).toISOString()}>
              {new Date(event.at).toLocaleString()}
            </time>
            : {event.message}
          </li>
        ))}
      </ul>
      <button type="button" onClick={dismiss}>
        Dismiss
      </button>
    </section>
  );
}
