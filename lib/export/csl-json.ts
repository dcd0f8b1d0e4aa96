/**
 * CSL-JSON export (Zotero, Pandoc, Obsidian citation plugins). CSL has no arXiv field, so the id goes
 * where Zotero looks for it: `number` ("arXiv:…") and `note` ("arXiv: …", read into Zotero's Extra).
 */
import type { CanonicalId, SavedPaper } from '../types';
import { exportFields } from './fields';

export interface CslItem {
  id: string;
  'citation-key': string;
  type: string;
  title: string;
  author?: { family: string; given?: string }[];
  issued?: { 'date-parts': number[][] };
  abstract?: string;
  'container-title'?: string;
  DOI?: string;
  URL?: string;
  number?: string;
  archive?: string;
  keyword?: string;
  note?: string;
}

export function toCslItems(
  papers: readonly SavedPaper[],
  keys: ReadonlyMap<CanonicalId, string>,
): CslItem[] {
  return papers.map((paper) => {
    const fields = exportFields(paper);
    const key = keys.get(paper.id) ?? paper.id;
    const item: CslItem = {
      id: key,
      'citation-key': key,
      type:
        fields.kind === 'conference'
          ? 'paper-conference'
          : fields.kind === 'journal'
            ? 'article-journal'
            : 'article',
      title: fields.title,
    };
    if (fields.authors.length) {
      item.author = fields.authors.map(({ family, given }) =>
        given ? { family, given } : { family },
      );
    }
    if (fields.year) {
      item.issued = {
        'date-parts': [[fields.year, fields.month, fields.day].filter(Boolean).map(Number)],
      };
    }
    if (fields.abstract) item.abstract = fields.abstract;
    if (fields.venue) item['container-title'] = fields.venue;
    if (fields.doi) item.DOI = fields.doi;
    if (fields.url) item.URL = fields.url;
    if (fields.arxiv) {
      item.number = `arXiv:${fields.arxiv}`;
      item.archive = 'arXiv';
    }
    if (fields.tags.length) item.keyword = fields.tags.join(', ');
    const notes = [fields.arxiv ? `arXiv: ${fields.arxiv}` : '', fields.note.trim()].filter(
      Boolean,
    );
    if (notes.length) item.note = notes.join('\n');
    return item;
  });
}

export function toCslJson(
  papers: readonly SavedPaper[],
  keys: ReadonlyMap<CanonicalId, string>,
): string {
  return `${JSON.stringify(toCslItems(papers, keys), null, 2)}\n`;
}
