/**
 * BibTeX export in the shape arXiv's own "Export BibTeX citation" uses (`eprint`, `archivePrefix`,
 * `primaryClass`), plus DOI, URL, abstract, tags as `keywords` and the note as `annote` (Zotero's
 * BibTeX import maps `annote` to a note). Values are UTF-8 with LaTeX specials escaped; math in
 * `$…$` is kept as LaTeX.
 */
import type { CanonicalId, SavedPaper } from '../types';
import { exportFields, type ExportFields } from './fields';

const LATEX_SPECIALS: Record<string, string> = {
  '\\': '\\textbackslash{}',
  '^': '\\^{}',
  '~': '\\~{}',
  '{': '\\{',
  '}': '\\}',
  '&': '\\&',
  '%': '\\%',
  '#': '\\#',
  _: '\\_',
  $: '\\$',
};

/** Escapes LaTeX specials outside `$…$`; math with balanced braces passes through. */
export function escapeBibValue(text: string): string {
  return text
    .split(/(\$[^$]+\$)/)
    .map((part, index) => {
      if (index % 2 === 1 && balanced(part)) return part;
      return part.replace(/[\\{}&%#_$^~]/g, (char) => LATEX_SPECIALS[char] ?? char);
    })
    .join('');
}

function balanced(text: string): boolean {
  let depth = 0;
  for (const char of text) {
    if (char === '{') depth += 1;
    else if (char === '}' && --depth < 0) return false;
  }
  return depth === 0;
}

/** Braces words whose capitals must survive a style's sentence-casing (BERT, ImageNet, GANs). */
export function protectCase(escapedTitle: string): string {
  return escapedTitle
    .split(/(\$[^$]+\$)/)
    .map((part, index) =>
      index % 2 === 1
        ? part
        : part.replace(
            /(^|[\s(/-])([A-Za-z0-9]*[A-Z][A-Za-z0-9]*)(?=$|[\s:,.;?!)/-])/g,
            (whole, lead: string, word: string) =>
              /^[A-Z]?[a-z0-9]*$/.test(word) ? whole : `${lead}{${word}}`,
          ),
    )
    .join('');
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

function entry(fields: ExportFields, key: string): string {
  const type =
    fields.kind === 'conference' ? 'inproceedings' : fields.kind === 'journal' ? 'article' : 'misc';
  const lines: [string, string][] = [
    ['title', protectCase(escapeBibValue(fields.title))],
    [
      'author',
      fields.authors
        .map(({ family, given }) => {
          const last = escapeBibValue(family);
          // A one-word "name" (a consortium, an organisation) must not be split into parts.
          return given ? `${last}, ${escapeBibValue(given)}` : `{${last}}`;
        })
        .join(' and '),
    ],
  ];
  if (fields.venue) {
    lines.push([type === 'inproceedings' ? 'booktitle' : 'journal', escapeBibValue(fields.venue)]);
  }
  if (fields.year) lines.push(['year', fields.year]);
  const month = fields.month ? MONTHS[Number(fields.month) - 1] : undefined;
  if (month) lines.push(['month', month]);
  if (fields.arxiv) {
    lines.push(['eprint', fields.arxiv], ['archivePrefix', 'arXiv']);
    if (fields.primaryClass) lines.push(['primaryClass', fields.primaryClass]);
  }
  if (fields.doi) lines.push(['doi', fields.doi]);
  if (fields.url) lines.push(['url', fields.url]);
  if (fields.abstract) lines.push(['abstract', escapeBibValue(fields.abstract)]);
  if (fields.tags.length) lines.push(['keywords', escapeBibValue(fields.tags.join(', '))]);
  if (fields.note.trim()) lines.push(['annote', escapeBibValue(fields.note.trim())]);
  const body = lines
    .filter(([, value]) => value !== '')
    .map(([name, value]) => `  ${name} = ${month && name === 'month' ? value : `{${value}}`}`)
    .join(',\n');
  return `@${type}{${key},\n${body}\n}`;
}

/** The papers as one `.bib` file; `keys` comes from `assignCitationKeys` over the whole library. */
export function toBibtex(
  papers: readonly SavedPaper[],
  keys: ReadonlyMap<CanonicalId, string>,
): string {
  return `${papers.map((paper) => entry(exportFields(paper), keys.get(paper.id) ?? paper.id)).join('\n\n')}\n`;
}
