import { describe, expect, it } from 'vitest';
import { memoryUndoStore } from './change';
import { COMMANDS, PEER_DEFAULT_KEYS } from './commands';
import {
  storageSettingsStore,
  storageTabPages,
  storageUndoStore,
  type KeyValueArea,
} from './stores';

function memoryArea(): KeyValueArea & { data: Map<string, unknown> } {
  const data = new Map<string, unknown>();
  return {
    data,
    get: async (key) => (data.has(key) ? { [key]: structuredClone(data.get(key)) } : {}),
    set: async (items) => {
      for (const [key, value] of Object.entries(items)) data.set(key, structuredClone(value));
    },
    remove: async (key) => {
      data.delete(key);
    },
  };
}

describe('keyboard commands', () => {
  const keys = Object.values(COMMANDS).flatMap((command) => Object.values(command.suggested_key));

  it('suggest at most four keys, none with Ctrl+Alt, none a peer extension already uses', () => {
    expect(Object.keys(COMMANDS).length).toBeLessThanOrEqual(4);
    for (const key of keys) {
      expect(key).toMatch(/^(Ctrl|Alt|Command|MacCtrl)\+/);
      expect(key).not.toMatch(/Ctrl\+Alt|Alt\+Ctrl/);
      expect(PEER_DEFAULT_KEYS as readonly string[]).not.toContain(key);
    }
    expect(
      new Set(Object.values(COMMANDS).map((command) => command.suggested_key.default)).size,
    ).toBe(Object.keys(COMMANDS).length);
  });
});

describe('storage-backed stores', () => {
  it('undo entries survive in the area, are taken once, and only the last 20 are kept', async () => {
    const area = memoryArea();
    const store = storageUndoStore(area);
    for (let index = 0; index < 25; index += 1) {
      await store.put(`t${index}`, { saved: {}, tags: { [`tag${index}`]: null }, dismissed: {} });
    }
    expect(await store.take('t0')).toBeUndefined();
    expect(await storageUndoStore(area).take('t24')).toEqual({
      saved: {},
      tags: { tag24: null },
      dismissed: {},
    });
    expect(await store.take('t24')).toBeUndefined();
    expect([...area.data.keys()].filter((key) => key.startsWith('undo:t'))).toHaveLength(19);
    expect(await memoryUndoStore().take('nothing')).toBeUndefined();
  });

  it('settings fall back to defaults for bad stored values and persist updates', async () => {
    const area = memoryArea();
    area.data.set('settings', { showBadgesOnPages: 'yes', theme: 'dark' });
    const store = storageSettingsStore(area);
    expect(await store.get()).toMatchObject({ showBadgesOnPages: true, theme: 'dark' });
    await store.update({ showBadgesOnPages: false });
    expect(await storageSettingsStore(area).get()).toMatchObject({
      showBadgesOnPages: false,
      theme: 'dark',
    });
  });

  it('tab pages read what the background remembered for the tab', async () => {
    const area = memoryArea();
    area.data.set('page:3', {
      'arxiv:1706.03762': { id: 'arxiv:1706.03762', snapshot: { title: 'A', authors: [] } },
    });
    expect(await storageTabPages(area).list(3)).toHaveLength(1);
    expect(await storageTabPages(area).list(4)).toEqual([]);
  });
});
