/**
 * The popup's query language: free words (all must match; the last one as a prefix while typing),
 * plus `t:tag` (library tag), `a:name` (author), `y:2023`, `y:2020-2023`, `y:>2021`, `y:<2019`.
 * Quoted prefix values keep spaces: `t:"to read"`.
 */
import { queryTokens } from './tokens';

export interface ParsedQuery {
  /** Normalized free words, in order. */
  words: string[];
  /** Whether the last free word may still be growing (no trailing space). */
  lastIsPrefix: boolean;
  /** The free text as typed (for fuzzy title scoring). */
  text: string;
  tags: string[];
  /** Normalized author words. */
  authors: string[];
  yearFrom?: number;
  yearTo?: number;
}

const PREFIXED = /(?:^|\s)([tay]):(?:"([^"]*)"?|(\S*))/gi;

export function parseQuery(input: string): ParsedQuery {
  const tags: string[] = [];
  const authors: string[] = [];
  let yearFrom: number | undefined;
  let yearTo: number | undefined;
  const free = input.replace(PREFIXED, (_whole, kind: string, quoted?: string, bare?: string) => {
    const value = (quoted ?? bare ?? '').trim();
    if (!value) return ' ';
    switch (kind.toLowerCase()) {
      case 't':
        tags.push(value);
        break;
      case 'a':
        authors.push(...queryTokens(value));
        break;
      case 'y': {
        const range = /^(\d{4})?\s*(-|\.\.)\s*(\d{4})?$/.exec(value);
        const compare = /^([<>]=?)(\d{4})$/.exec(value);
        if (/^\d{4}$/.test(value)) {
          yearFrom = Number(value);
          yearTo = Number(value);
        } else if (range && (range[1] || range[3])) {
          if (range[1]) yearFrom = Number(range[1]);
          if (range[3]) yearTo = Number(range[3]);
        } else if (compare?.[1] && compare[2]) {
          const year = Number(compare[2]);
          if (compare[1] === '>') yearFrom = year + 1;
          if (compare[1] === '>=') yearFrom = year;
          if (compare[1] === '<') yearTo = year - 1;
          if (compare[1] === '<=') yearTo = year;
        }
        break;
      }
    }
    return ' ';
  });
  const words = queryTokens(free);
  const query: ParsedQuery = {
    words,
    lastIsPrefix: words.length > 0 && !/\s$/.test(input),
    text: free.replace(/\s+/g, ' ').trim(),
    tags,
    authors,
  };
  if (yearFrom !== undefined) query.yearFrom = yearFrom;
  if (yearTo !== undefined) query.yearTo = yearTo;
  return query;
}

export function isEmptyQuery(query: ParsedQuery): boolean {
  return (
    query.words.length === 0 &&
    query.tags.length === 0 &&
    query.authors.length === 0 &&
    query.yearFrom === undefined &&
    query.yearTo === undefined
  );
}
