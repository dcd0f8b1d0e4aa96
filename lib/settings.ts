/**
 * User settings kept in `storage.local` (small; content scripts read the few they need directly,
 * lib/page-settings.ts).
 * Stored values are validated; anything invalid falls back to the default instead of reaching the UI.
 */
import { z } from 'zod';

export const settingsSchema = z.object({
  /** Privacy: a page's own scripts can see badges we add, so "saved"/"relevant" marks are optional. */
  showBadgesOnPages: z.boolean(),
  /** Whether relevance highlights are shown on pages (they reveal interests the same way). */
  showRelevanceOnPages: z.boolean(),
  /** j/k between relevant entries and s to save on listing pages (opt-in: pages have their own keys). */
  relevanceKeys: z.boolean(),
  theme: z.enum(['system', 'light', 'dark']),
  /** Site adapter ids the user switched off (`arxiv`, `huggingface`, …). */
  disabledSites: z.array(z.string().max(100)).max(200),
});

export type Settings = z.infer<typeof settingsSchema>;

export const DEFAULT_SETTINGS: Settings = {
  showBadgesOnPages: true,
  showRelevanceOnPages: true,
  relevanceKeys: false,
  theme: 'system',
  disabledSites: [],
};

export const settingsPatchSchema = settingsSchema.partial();
export type SettingsPatch = z.infer<typeof settingsPatchSchema>;

/** A stored value → settings: known fields that validate are kept, the rest are defaults. */
export function parseSettings(stored: unknown): Settings {
  if (typeof stored !== 'object' || stored === null) return { ...DEFAULT_SETTINGS };
  const result: Settings = { ...DEFAULT_SETTINGS };
  const record = stored as Record<string, unknown>;
  for (const key of Object.keys(DEFAULT_SETTINGS) as (keyof Settings)[]) {
    const field = settingsSchema.shape[key].safeParse(record[key]);
    if (field.success) (result as Record<keyof Settings, unknown>)[key] = field.data;
  }
  return result;
}

/** Where settings live (browser.storage.local in the extension, memory in tests). */
export interface SettingsStore {
  get(): Promise<Settings>;
  update(patch: SettingsPatch): Promise<Settings>;
}

export function memorySettingsStore(initial: unknown = undefined): SettingsStore {
  let current = parseSettings(initial);
  return {
    get() {
      return Promise.resolve({ ...current });
    },
    update(patch) {
      current = parseSettings({ ...current, ...patch });
      return Promise.resolve({ ...current });
    },
  };
}
