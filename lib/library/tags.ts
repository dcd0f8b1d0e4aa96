/**
 * Tags: names are trimmed, single-spaced, without commas (BibTeX `keywords` and CSV cells split on
 * them), and unique case-insensitively (the first spelling wins). Every edit returns the change
 * that undoes it.
 */
import type { LibraryDatabase } from '../db';
import type { CanonicalId, SavedPaper, Tag } from '../types';
import { emptyChange, recordSaved, recordTag, type LibraryChange } from './change';

export const MAX_TAG_LENGTH = 64;

/** Colour-blind-safe-ish hues that keep 4.5:1 contrast with white text. */
export const TAG_PALETTE = [
  '#2563eb', '#0f766e', '#b45309', '#be185d', '#7c3aed', '#15803d', '#b91c1c', '#475569',
] as const; // prettier-ignore

export function normalizeTagName(raw: string): string {
  return raw.replace(/[,;]/g, ' ').replace(/\s+/g, ' ').trim().slice(0, MAX_TAG_LENGTH).trim();
}

export function defaultTagColor(name: string): string {
  let hash = 0;
  for (const char of name.toLowerCase()) hash = (hash * 31 + (char.codePointAt(0) ?? 0)) >>> 0;
  return TAG_PALETTE[hash % TAG_PALETTE.length] ?? TAG_PALETTE[0];
}

export function isTagColor(value: string): boolean {
  return /^#[0-9a-f]{6}$/i.test(value);
}

/** The stored spelling of `name` if a tag exists case-insensitively, else `undefined`. */
async function findTag(db: LibraryDatabase, name: string): Promise<Tag | undefined> {
  const exact = await db.tags.get(name);
  if (exact) return exact;
  const lower = name.toLowerCase();
  return (await db.tags.toArray()).find((tag) => tag.name.toLowerCase() === lower);
}

/**
 * Resolves names to existing tags (case-insensitively) or creates them. Must run inside a
 * transaction over `db.tags`.
 */
export async function ensureTags(
  db: LibraryDatabase,
  names: readonly string[],
  change: LibraryChange,
  now = Date.now(),
): Promise<string[]> {
  const all = await db.tags.toArray();
  const byLower = new Map(all.map((tag) => [tag.name.toLowerCase(), tag]));
  const resolved: string[] = [];
  for (const raw of names) {
    const name = normalizeTagName(raw);
    if (!name) continue;
    const existing = byLower.get(name.toLowerCase());
    if (existing) {
      resolved.push(existing.name);
      continue;
    }
    const tag: Tag = { name, color: defaultTagColor(name), createdAt: now };
    recordTag(change, name, undefined);
    await db.tags.put(tag);
    byLower.set(name.toLowerCase(), tag);
    resolved.push(name);
  }
  return [...new Set(resolved)];
}

export async function createTag(
  db: LibraryDatabase,
  rawName: string,
  color?: string,
  now = Date.now(),
): Promise<{ tag: Tag; change: LibraryChange }> {
  const name = normalizeTagName(rawName);
  if (!name) throw new Error('A tag needs a name.');
  if (color && !isTagColor(color)) throw new Error('Tag colours are #rrggbb.');
  return db.transaction('rw', db.tags, async () => {
    const change = emptyChange();
    const existing = await findTag(db, name);
    if (existing) {
      if (!color || color === existing.color) return { tag: existing, change };
      recordTag(change, existing.name, existing);
      const tag = { ...existing, color };
      await db.tags.put(tag);
      return { tag, change };
    }
    recordTag(change, name, undefined);
    const tag: Tag = { name, color: color ?? defaultTagColor(name), createdAt: now };
    await db.tags.put(tag);
    return { tag, change };
  });
}

export async function setTagColor(
  db: LibraryDatabase,
  name: string,
  color: string,
): Promise<LibraryChange> {
  if (!isTagColor(color)) throw new Error('Tag colours are #rrggbb.');
  return db.transaction('rw', db.tags, async () => {
    const change = emptyChange();
    const tag = await db.tags.get(name);
    if (!tag) throw new Error(`No tag "${name}".`);
    recordTag(change, name, tag);
    await db.tags.put({ ...tag, color });
    return change;
  });
}

/** Replaces `sources` by `target` on every paper; rows are re-read inside the transaction. */
async function retagPapers(
  db: LibraryDatabase,
  sources: readonly string[],
  target: string | null,
  change: LibraryChange,
  now: number,
): Promise<number> {
  const papers = await db.saved
    .where('tags')
    .anyOf([...sources])
    .toArray();
  const unique = new Map<CanonicalId, SavedPaper>(papers.map((paper) => [paper.id, paper]));
  const drop = new Set(sources);
  for (const paper of unique.values()) {
    recordSaved(change, paper.id, paper);
    const kept = paper.tags.filter((tag) => !drop.has(tag));
    const tags = target && !kept.includes(target) ? [...kept, target] : kept;
    await db.saved.put({ ...paper, tags, updatedAt: now });
  }
  return unique.size;
}

/** Renames a tag; renaming onto an existing tag (case-insensitively) merges into it. */
export async function renameTag(
  db: LibraryDatabase,
  from: string,
  rawTo: string,
  now = Date.now(),
): Promise<{ change: LibraryChange; papers: number; target: string }> {
  const to = normalizeTagName(rawTo);
  if (!to) throw new Error('A tag needs a name.');
  return db.transaction('rw', db.tags, db.saved, async () => {
    const change = emptyChange();
    const source = await db.tags.get(from);
    if (!source) throw new Error(`No tag "${from}".`);
    if (to === from) return { change, papers: 0, target: from };
    const existing = await findTag(db, to);
    // Only the spelling changes ("ml" → "ML"): keep the tag's colour and date.
    const target = existing && existing.name !== from ? existing.name : to;
    recordTag(change, from, source);
    await db.tags.delete(from);
    if (!existing || existing.name === from) {
      recordTag(change, target, undefined);
      await db.tags.put({ ...source, name: target });
    }
    const papers = await retagPapers(db, [from], target, change, now);
    return { change, papers, target };
  });
}

export async function mergeTags(
  db: LibraryDatabase,
  sources: readonly string[],
  rawTarget: string,
  now = Date.now(),
): Promise<{ change: LibraryChange; papers: number; target: string }> {
  const targetName = normalizeTagName(rawTarget);
  if (!targetName) throw new Error('A tag needs a name.');
  return db.transaction('rw', db.tags, db.saved, async () => {
    const change = emptyChange();
    const [target] = await ensureTags(db, [targetName], change, now);
    if (!target) throw new Error('A tag needs a name.');
    const merging = sources.filter((name) => name !== target);
    for (const name of merging) {
      recordTag(change, name, await db.tags.get(name));
      await db.tags.delete(name);
    }
    const papers = await retagPapers(db, merging, target, change, now);
    return { change, papers, target };
  });
}

export async function deleteTag(
  db: LibraryDatabase,
  name: string,
  now = Date.now(),
): Promise<{ change: LibraryChange; papers: number }> {
  return db.transaction('rw', db.tags, db.saved, async () => {
    const change = emptyChange();
    recordTag(change, name, await db.tags.get(name));
    await db.tags.delete(name);
    const papers = await retagPapers(db, [name], null, change, now);
    return { change, papers };
  });
}
