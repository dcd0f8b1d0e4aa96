/**
 * Relevance types shared by the background, the message protocol and the page.
 */
import type { CanonicalId } from '../types';

/** A rule the user stated (lib/relevance/rules.ts syntax), optionally tied to one of their tags. */
export interface Interest {
  id: string;
  query: string;
  tag?: string;
  createdAt: number;
}

/** Why an entry scored as it did. */
export interface RelevanceReasons {
  /** The user's own interest terms that matched ("diffusion", `author:LeCun`). */
  interestTerms: string[];
  /** The words, phrases or authors (`a:` prefix) that raised the model's score most. */
  words: string[];
  /** The saved paper of the winning tag most similar to this entry. */
  nearest?: { id: CanonicalId; title: string; similarity: number };
  /** Scored without an abstract (title and authors only): weaker evidence. */
  titleOnly: boolean;
  /**
   * `words` and `nearest` were left out of a page's scores (naming them for every relevant entry
   * cost more than scoring the page): `getRelevanceExplanation` gives them for one entry.
   */
  deferred?: boolean;
}

export type RelevanceLevel = 'strong' | 'weak' | 'none';

/** One tag's (or the whole library's, or the untagged interests') score for an entry. */
export interface TagScore {
  /** Absent for the library as a whole and for interests not tied to a tag. */
  tag?: string;
  color: string;
  score: number;
}

export interface EntryRelevance {
  /** The best tag's score, in [0, 1]: above 0.5 relevant, above 0.75 strongly relevant. */
  score: number;
  level: RelevanceLevel;
  tag?: string;
  color: string;
  reasons: RelevanceReasons;
  /** Every tag's score, best first. */
  tags: TagScore[];
  /** The user dismissed this paper: never highlighted. */
  dismissed?: boolean;
}

/** What the options page shows of a trained tag model. */
export interface ModelSummary {
  key: string;
  tag?: string;
  color: string;
  positives: number;
  negatives: number;
  dismissed: number;
  trainedAt: number;
  /** The words that pull hardest towards this tag. */
  topWords: string[];
}

export const WEAK_SCORE = 0.5;
export const STRONG_SCORE = 0.75;

/** Strictly above the thresholds: a paper exactly at the index's 95th percentile is not relevant. */
export function levelOf(score: number): RelevanceLevel {
  return score > STRONG_SCORE ? 'strong' : score > WEAK_SCORE ? 'weak' : 'none';
}

/** Colours for highlights that belong to no tag (the library as a whole, untagged interests). */
export const LIBRARY_COLOR = '#7c3aed';
export const INTERESTS_COLOR = '#d97706';
