/**
 * The relevance engine's view of the library database, and its stored interests.
 */
import type { LibraryDatabase } from '../db';
import type { LibraryReader } from './engine';
import { parseRule } from './rules';
import type { Interest } from './types';

/**
 * A signature that changes with every edit relevance learns from, in six small reads (no scan):
 * saves and unsaves change the count, tag edits bump `updatedAt`, dismissals change the count or
 * the latest time, and tags and interests are few enough to read whole.
 */
export function libraryReader(db: LibraryDatabase): LibraryReader {
  return {
    async signature() {
      return db.transaction('r', db.saved, db.dismissed, db.tags, db.interests, async () => {
        const [saved, latest, dismissed, lastDismissal, tags, interests] = await Promise.all([
          db.saved.count(),
          db.saved.orderBy('updatedAt').last(),
          db.dismissed.count(),
          db.dismissed.orderBy('at').last(),
          db.tags.toArray(),
          db.interests.toArray(),
        ]);
        return JSON.stringify([
          saved,
          latest?.updatedAt ?? 0,
          latest?.id ?? '',
          dismissed,
          lastDismissal?.at ?? 0,
          lastDismissal?.id ?? '',
          tags.map((tag) => [tag.name, tag.color]),
          interests.map((interest) => [interest.id, interest.query, interest.tag ?? '']),
        ]);
      });
    },
    async read() {
      return db.transaction('r', db.saved, db.dismissed, db.tags, db.interests, async () => {
        const [saved, tags, dismissed, interests] = await Promise.all([
          db.saved.toArray(),
          db.tags.toArray(),
          db.dismissed.toArray(),
          db.interests.orderBy('createdAt').toArray(),
        ]);
        return { saved, tags, dismissed, interests };
      });
    },
  };
}

export interface InterestInput {
  query: string;
  tag?: string;
}

/**
 * Replaces the stored interests with `inputs` if every rule parses; otherwise changes nothing and
 * says which rules are wrong and why. Interests that are unchanged keep their id and date.
 */
export async function replaceInterests(
  db: LibraryDatabase,
  inputs: readonly InterestInput[],
  now = Date.now(),
  newId: () => string = () => globalThis.crypto.randomUUID(),
): Promise<
  { ok: true; interests: Interest[] } | { ok: false; errors: { index: number; error: string }[] }
> {
  const errors = inputs.flatMap((input, index) => {
    const parsed = parseRule(input.query);
    return parsed.ok ? [] : [{ index, error: parsed.error }];
  });
  if (errors.length > 0) return { ok: false, errors };
  return db.transaction('rw', db.interests, async () => {
    const existing = await db.interests.toArray();
    const key = (item: InterestInput): string => `${item.query.trim()}\u0000${item.tag ?? ''}`;
    const byKey = new Map(existing.map((interest) => [key(interest), interest]));
    const next: Interest[] = inputs.map((input, index) => {
      const kept = byKey.get(key(input));
      if (kept) return kept;
      const interest: Interest = { id: newId(), query: input.query.trim(), createdAt: now + index };
      if (input.tag) interest.tag = input.tag;
      return interest;
    });
    await db.interests.clear();
    await db.interests.bulkPut(next);
    return { ok: true as const, interests: next };
  });
}
