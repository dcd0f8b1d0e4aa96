/**
 * The retention rule's shape (lib/sync/retention.ts applies it), apart so the message protocol can
 * validate it without pulling the index and search code into every bundle.
 */
import { z } from 'zod';
import { arxivCategory } from './settings';

/** `cs` (a whole archive) or `cs.LG` (one category). */
const categoryOrArchive = arxivCategory;

export const retentionRuleSchema = z.object({
  /** Keep papers published in the last this many months; 0 keeps every date. */
  keepMonths: z.number().int().min(0).max(1200),
  /** Keep arXiv papers of these categories or archives only; empty keeps every category. */
  categories: z.array(categoryOrArchive).max(100),
});

export type RetentionRule = z.infer<typeof retentionRuleSchema>;

export const DEFAULT_RETENTION: RetentionRule = { keepMonths: 0, categories: [] };

export interface RetentionPreview {
  /** Papers in the index. */
  total: number;
  /** Papers the rule would remove. */
  remove: number;
  /** Papers the rule would remove but that are kept because the user saved or dismissed them. */
  protectedKept: number;
}
