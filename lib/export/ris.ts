/**
 * RIS export as Zotero and EndNote read it: one `XX  - value` per line, `ER  - ` ends a record,
 * CRLF line ends. Values are kept on one line, except notes, whose lines are indented so no line of a
 * note can pass for a tag.
 */
import type { CanonicalId, SavedPaper } from '../types';
import { exportFields } from './fields';

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

export function toRis(
  papers: readonly SavedPaper[],
  keys: ReadonlyMap<CanonicalId, string>,
): string {
  const records = papers.map((paper) => {
    const fields = exportFields(paper);
    const lines: [string, string][] = [
      ['TY', fields.kind === 'conference' ? 'CONF' : fields.kind === 'journal' ? 'JOUR' : 'GEN'],
      ['ID', keys.get(paper.id) ?? paper.id],
      ['TI', oneLine(fields.title)],
    ];
    for (const { family, given } of fields.authors) {
      lines.push(['AU', oneLine(given ? `${family}, ${given}` : family)]);
    }
    if (fields.year) {
      lines.push(['PY', fields.year]);
      lines.push(['DA', `${fields.year}/${fields.month ?? ''}/${fields.day ?? ''}/`]);
    }
    if (fields.venue) lines.push([fields.kind === 'journal' ? 'JO' : 'T2', oneLine(fields.venue)]);
    if (fields.abstract) lines.push(['AB', oneLine(fields.abstract)]);
    if (fields.doi) lines.push(['DO', fields.doi]);
    if (fields.url) lines.push(['UR', fields.url]);
    if (fields.pdf) lines.push(['L1', fields.pdf]);
    if (fields.arxiv) lines.push(['AN', `arXiv:${fields.arxiv}`]);
    for (const tag of fields.tags) lines.push(['KW', oneLine(tag)]);
    const note = fields.note.trim();
    if (note)
      lines.push([
        'N1',
        note
          .split(/\r?\n/)
          .map((line) => line.trim())
          .join('\r\n  '),
      ]);
    lines.push(['ER', '']);
    return lines.map(([tag, value]) => `${tag}  - ${value}`).join('\r\n');
  });
  return `${records.join('\r\n\r\n')}\r\n`;
}
