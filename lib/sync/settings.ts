/**
 * What the user chose to sync, stored in extension storage (not in the index: deleting the index
 * must not forget the user's choices). The schema validates what the options page sends.
 */
import { z } from 'zod';

const hours = z
  .number()
  .int()
  .min(1)
  .max(24 * 30);
/** `cs.LG`, `math.AG`, `hep-th`, `q-bio.NC`; arXiv's own spelling. */
export const arxivCategory = z.string().regex(/^[a-z]+(?:-[a-z]+)?(?:\.[A-Za-z]{2,})?$/);
/** OpenReview venue ids: `ICLR.cc/2024/Conference`, `TMLR`. */
export const openReviewVenue = z.string().regex(/^[A-Za-z0-9][\w.\-/]{1,150}$/);

export const syncSettingsSchema = z.object({
  arxivRss: z.object({
    enabled: z.boolean(),
    categories: z.array(arxivCategory).max(50),
    intervalHours: hours,
  }),
  huggingface: z.object({
    enabled: z.boolean(),
    intervalHours: hours,
    /** On a first run, or after a gap, how many past days to fetch. */
    catchUpDays: z.number().int().min(1).max(31),
  }),
  openreview: z.object({
    enabled: z.boolean(),
    venues: z.array(openReviewVenue).max(30),
    intervalHours: hours,
  }),
  fillMissing: z.object({
    /** Look up arXiv ids seen on pages but missing from the index (arXiv API id_list). */
    arxiv: z.boolean(),
    /** Look up DOI/ACL/S2 ids seen on pages through Semantic Scholar (sends those ids to S2). */
    semanticScholar: z.boolean(),
    s2ApiKey: z.string().max(200),
    /**
     * Look up arXiv papers seen on Hugging Face pages through Hugging Face's paper API (the site
     * the user is on; its own rate limit, so arXiv backfills don't hold these up).
     */
    huggingface: z.boolean(),
  }),
});

export type SyncSettings = z.infer<typeof syncSettingsSchema>;

export const DEFAULT_SYNC_SETTINGS: SyncSettings = {
  arxivRss: { enabled: true, categories: [], intervalHours: 24 },
  huggingface: { enabled: false, intervalHours: 24, catchUpDays: 3 },
  openreview: { enabled: false, venues: [], intervalHours: 24 * 7 },
  fillMissing: { arxiv: true, semanticScholar: false, s2ApiKey: '', huggingface: true },
};

export const SETTINGS_KEY = 'sync-settings';

/** Stored settings (possibly from an older version, or damaged) → valid settings, defaults filled in. */
export function readSettings(stored: unknown): SyncSettings {
  if (typeof stored !== 'object' || stored === null) return structuredClone(DEFAULT_SYNC_SETTINGS);
  const merged: Record<string, unknown> = {};
  for (const [section, defaults] of Object.entries(DEFAULT_SYNC_SETTINGS)) {
    const value = (stored as Record<string, unknown>)[section];
    merged[section] =
      typeof value === 'object' && value !== null ? { ...defaults, ...value } : defaults;
  }
  const parsed = syncSettingsSchema.safeParse(merged);
  return parsed.success ? parsed.data : structuredClone(DEFAULT_SYNC_SETTINGS);
}
