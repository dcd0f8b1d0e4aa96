/**
 * The sync's messages (spread into lib/messages.ts). All are for extension pages only: the options
 * page configures and starts syncs; the popup and options page read job status straight from the
 * index database (`syncJobs`, live).
 */
import { z } from 'zod';
import type { PruneResult } from '../index-store';
import { retentionRuleSchema, type RetentionPreview } from './retention-rule';
import type { RetentionStatus } from './service';
import { arxivCategory, syncSettingsSchema, type SyncSettings } from './settings';
import type { SyncJobRow } from './types';

const isoDay = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);

export const backfillSpecSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('arxiv-backfill'),
    category: arxivCategory,
    from: isoDay,
    to: isoDay,
  }),
  z.object({
    kind: z.literal('arxiv-oai'),
    // OAI set specs: `cs`, `math`, `physics:hep-th`.
    set: z.string().regex(/^[a-z-]+(?::[a-z-]+)?$/),
    from: isoDay,
  }),
  z.object({
    kind: z.literal('hf-backfill'),
    period: z.enum(['week', 'month']),
    value: z.string().regex(/^\d{4}-(?:W\d{2}|\d{2})$/),
  }),
]);

export const syncRequestSchemas = {
  getSyncSettings: z.object({}),
  setSyncSettings: z.object({ settings: syncSettingsSchema }),
  syncNow: z.object({ jobIds: z.array(z.string().max(300)).max(100) }),
  addSyncBackfill: z.object({ spec: backfillSpecSchema }),
  removeSyncJob: z.object({ jobId: z.string().max(300) }),
  getRetention: z.object({}),
  previewRetention: z.object({ rule: retentionRuleSchema }),
  setRetention: z.object({ rule: retentionRuleSchema }),
} as const;

export type SyncMessageType = keyof typeof syncRequestSchemas;

export interface SyncResponseMap {
  getSyncSettings: SyncSettings;
  setSyncSettings: SyncSettings;
  syncNow: { started: string[] };
  addSyncBackfill: { job: SyncJobRow };
  removeSyncJob: { removed: boolean };
  getRetention: RetentionStatus;
  previewRetention: RetentionPreview;
  setRetention: PruneResult;
}

export const syncAudience: Record<SyncMessageType, 'page' | 'extension'> = {
  getSyncSettings: 'extension',
  setSyncSettings: 'extension',
  syncNow: 'extension',
  addSyncBackfill: 'extension',
  removeSyncJob: 'extension',
  getRetention: 'extension',
  previewRetention: 'extension',
  setRetention: 'extension',
};
