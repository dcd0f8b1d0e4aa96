/**
 * Markdown export: one list item per paper, `[Title](link) — Authors (year). Venue.` with the
 * citation key as a Pandoc citation (`[@key]`), tags as `#tags` and the note quoted below.
 */
import type { CanonicalId, SavedPaper } from '../types';
import { exportFields } from './fields';

/** Escapes what Markdown would read as markup in running text. */
export function escapeMarkdown(text: string): string {
  return text.replace(/\s+/g, ' ').replace(/([\\`*_[\]<>#|!~])/g, '\\$1');
}

function linkTarget(url: string): string {
  return url.replace(/[()\s<>]/g, (char) => encodeURIComponent(char));
}

function tagSlug(tag: string): string {
  return tag
    .trim()
    .replace(/\s+/g, '-')
    .replace(/[^\p{L}\p{N}_/-]/gu, '');
}

export function toMarkdown(
  papers: readonly SavedPaper[],
  keys: ReadonlyMap<CanonicalId, string>,
  title = 'Paperlight library',
): string {
  const items = papers.map((paper) => {
    const fields = exportFields(paper);
    const name = escapeMarkdown(fields.title);
    const head = fields.url ? `[${name}](${linkTarget(fields.url)})` : `**${name}**`;
    const authors = paper.snapshot.authors;
    const byline =
      authors.length > 3 ? `${authors.slice(0, 3).join(', ')} et al.` : authors.join(', ');
    const parts = [head];
    if (byline || fields.year) {
      parts.push(`— ${escapeMarkdown(byline)}${fields.year ? ` (${fields.year})` : ''}`.trim());
    }
    let line = `- ${parts.join(' ')}.`;
    if (fields.venue) line += ` ${escapeMarkdown(fields.venue)}.`;
    const key = keys.get(paper.id);
    if (key) line += ` [@${key}]`;
    const links = [
      fields.pdf ? `[PDF](${linkTarget(fields.pdf)})` : '',
      fields.code ? `[code](${linkTarget(fields.code)})` : '',
    ].filter(Boolean);
    if (links.length) line += ` ${links.join(' · ')}`;
    const tags = fields.tags.map(tagSlug).filter(Boolean);
    if (tags.length) line += ` ${tags.map((tag) => `#${tag}`).join(' ')}`;
    const note = fields.note.trim();
    if (note) {
      line += `\n${note
        .split(/\r?\n/)
        .map((noteLine) => `  > ${escapeMarkdown(noteLine)}`)
        .join('\n')}`;
    }
    return line;
  });
  return `# ${escapeMarkdown(title)}\n\n${items.join('\n')}\n`;
}
