/**
 * Relevance messages, spread into the one protocol in lib/messages.ts. Pages may dismiss, explain
 * and count only papers of their own page; interests are edited from the options page.
 */
import { z } from 'zod';
import type { EntryRelevance, Interest, ModelSummary } from './types';

const id = z.string().min(3).max(300);

export const relevanceRequestSchemas = {
  /** "Not relevant" on a page entry (or undo it): a negative for every tag model. */
  dismissFromPage: z.object({ id, dismissed: z.boolean() }),
  /** The hover card: abstract and full reasons of one entry of the sender's page. */
  getRelevanceExplanation: z.object({ id }),
  /** The page's count of relevant entries, for the toolbar badge of the sender's tab. */
  setRelevantCount: z.object({ count: z.number().int().nonnegative().max(1_000_000) }),
  getInterests: z.object({}),
  setInterests: z.object({
    interests: z
      .array(
        z.object({
          query: z.string().min(1).max(1000),
          tag: z.string().min(1).max(200).optional(),
        }),
      )
      .max(500),
  }),
} as const;

export type RelevanceMessageType = keyof typeof relevanceRequestSchemas;

export interface RelevanceResponseMap {
  dismissFromPage: { dismissed: boolean };
  getRelevanceExplanation: {
    title: string;
    abstract?: string;
    relevance: EntryRelevance | null;
  };
  setRelevantCount: { shown: boolean };
  getInterests: { interests: Interest[]; models: ModelSummary[] };
  setInterests:
    { ok: true; interests: Interest[] } | { ok: false; errors: { index: number; error: string }[] };
}

export const relevanceAudience: Record<RelevanceMessageType, 'page' | 'extension'> = {
  dismissFromPage: 'page',
  getRelevanceExplanation: 'page',
  setRelevantCount: 'page',
  getInterests: 'extension',
  setInterests: 'extension',
};
