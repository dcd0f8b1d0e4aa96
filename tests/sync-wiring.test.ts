/**
 * The sync's wiring to the WebExtension APIs, against WXT's fake browser: the alarm listener exists
 * as soon as the worker starts, a fresh install schedules a first tick, and the alarm runs one.
 */
import { describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { openIndexDb } from '../lib/db';
import { startSync, SYNC_ALARM, type SyncBrowserApi } from '../lib/sync/browser-wiring';

let counter = 0;

describe('sync wiring over the browser APIs (fake browser)', () => {
  it('registers the alarm listener at once and runs a tick when the alarm fires', async () => {
    counter += 1;
    const db = openIndexDb(`sync-wiring-${counter}`);
    const fetch = vi.fn(
      async () => new Response('', { status: 404 }),
    ) as unknown as typeof globalThis.fetch;
    const api = fakeBrowser as unknown as SyncBrowserApi;
    startSync(api, db, fetch);
    await vi.waitFor(async () => expect(await fakeBrowser.alarms.get(SYNC_ALARM)).toBeDefined());
    const alarm = await fakeBrowser.alarms.get(SYNC_ALARM);
    await fakeBrowser.alarms.onAlarm.trigger(alarm!);
    await vi.waitFor(async () => expect(await db.syncJobs.count()).toBeGreaterThan(0));
  });
});
