/**
 * Interest rules the user states: keywords and "quoted phrases" combined with AND / OR / NOT
 * (also `-word` for NOT, juxtaposition for AND, a comma for a low-precedence OR), parentheses,
 * a trailing `*` for a prefix, and fields `author:`, `cat:` (or `category:`), `venue:`, `title:`.
 *
 *   "graph neural network" AND (molecule OR protein) -survey, author:"Yann LeCun", cat:cs.LG
 *
 * Matching works on the same normalized, stemmed words as the model, so "Networks" matches
 * `network` and `$\alpha$` matches `alpha`. Rules never see HTML: only text.
 */
import { normalizeText, words, type PaperText } from './features';

export type RuleField = 'text' | 'title' | 'author' | 'category' | 'venue';

export type RuleNode =
  | { kind: 'term'; field: RuleField; words: string[]; prefix: boolean; raw: string }
  | { kind: 'and' | 'or'; children: RuleNode[] }
  | { kind: 'not'; child: RuleNode };

export type ParsedRule = { ok: true; rule: RuleNode } | { ok: false; error: string };

const FIELDS: Record<string, RuleField> = {
  author: 'author',
  au: 'author',
  a: 'author',
  cat: 'category',
  category: 'category',
  venue: 'venue',
  title: 'title',
  ti: 'title',
};

type Token =
  | { kind: '(' | ')' | ',' | 'AND' | 'OR' | 'NOT' }
  | { kind: 'term'; field: RuleField; value: string; quoted: boolean };

function lex(query: string): Token[] | string {
  const tokens: Token[] = [];
  let index = 0;
  while (index < query.length) {
    const char = query[index] ?? '';
    if (/\s/.test(char)) {
      index += 1;
      continue;
    }
    if (char === '(' || char === ')' || char === ',') {
      tokens.push({ kind: char });
      index += 1;
      continue;
    }
    if (char === '-' && /[^\s-]/.test(query[index + 1] ?? ' ')) {
      tokens.push({ kind: 'NOT' });
      index += 1;
      continue;
    }
    let field: RuleField = 'text';
    const fieldMatch = /^([a-z]+):(?=\S)/i.exec(query.slice(index));
    if (fieldMatch && FIELDS[(fieldMatch[1] ?? '').toLowerCase()]) {
      field = FIELDS[(fieldMatch[1] ?? '').toLowerCase()] ?? 'text';
      index += fieldMatch[0].length;
    }
    if (query[index] === '"') {
      const end = query.indexOf('"', index + 1);
      if (end < 0) return 'A quotation mark is not closed.';
      tokens.push({ kind: 'term', field, value: query.slice(index + 1, end), quoted: true });
      index = end + 1;
      continue;
    }
    const word = /^[^\s(),"]+/.exec(query.slice(index))?.[0] ?? '';
    index += word.length;
    if (field === 'text' && (word === 'AND' || word === 'OR' || word === 'NOT')) {
      tokens.push({ kind: word });
    } else if (field === 'text' && (word === '&&' || word === '|' || word === '||')) {
      tokens.push({ kind: word === '|' || word === '||' ? 'OR' : 'AND' });
    } else if (word) {
      tokens.push({ kind: 'term', field, value: word, quoted: false });
    }
  }
  return tokens;
}

const FIELD_NAMES: Record<RuleField, string> = {
  text: '',
  title: 'title:',
  author: 'author:',
  category: 'cat:',
  venue: 'venue:',
};

function termNode(token: Extract<Token, { kind: 'term' }>): RuleNode | string {
  const prefix = !token.quoted && token.value.endsWith('*');
  const raw = prefix ? token.value.slice(0, -1) : token.value;
  const shown = `${FIELD_NAMES[token.field]}${token.quoted ? `"${token.value}"` : token.value}`;
  if (token.field === 'category' || token.field === 'venue') {
    const value = normalizeText(raw).trim();
    if (!value) return `Empty ${token.field}.`;
    return { kind: 'term', field: token.field, words: [value], prefix, raw: shown };
  }
  // A prefix keeps its last word unstemmed: `transform*` must still match "transformer".
  const parts = prefix ? (normalizeText(raw).match(/[a-z0-9]+/g) ?? []) : words(raw);
  const all = token.field === 'author' ? (normalizeText(raw).match(/[a-z]+/g) ?? []) : parts;
  if (all.length === 0) return `"${token.value}" has no letters to match.`;
  return { kind: 'term', field: token.field, words: all, prefix, raw: shown };
}

/** Parses a rule. Errors name the problem in words a user can act on. */
export function parseRule(query: string): ParsedRule {
  const tokens = lex(query);
  if (typeof tokens === 'string') return { ok: false, error: tokens };
  let position = 0;
  const peek = (): Token | undefined => tokens[position];

  const parseList = (): RuleNode | string => {
    const children: RuleNode[] = [];
    for (;;) {
      const child = parseOr();
      if (typeof child === 'string') return child;
      children.push(child);
      if (peek()?.kind !== ',') break;
      position += 1;
      if (peek() === undefined || peek()?.kind === ')') break; // a trailing comma is harmless
    }
    return children.length === 1 ? (children[0] as RuleNode) : { kind: 'or', children };
  };
  const parseOr = (): RuleNode | string => {
    const children: RuleNode[] = [];
    for (;;) {
      const child = parseAnd();
      if (typeof child === 'string') return child;
      children.push(child);
      if (peek()?.kind !== 'OR') break;
      position += 1;
    }
    return children.length === 1 ? (children[0] as RuleNode) : { kind: 'or', children };
  };
  const parseAnd = (): RuleNode | string => {
    const children: RuleNode[] = [];
    for (;;) {
      if (peek()?.kind === 'AND') position += 1;
      const next = peek();
      if (!next || next.kind === ')' || next.kind === ',' || next.kind === 'OR') break;
      const child = parseUnary();
      if (typeof child === 'string') return child;
      children.push(child);
    }
    if (children.length === 0) return 'An operator is missing a word on one side.';
    return children.length === 1 ? (children[0] as RuleNode) : { kind: 'and', children };
  };
  const parseUnary = (): RuleNode | string => {
    const token = peek();
    position += 1;
    if (!token) return 'The rule ends too early.';
    if (token.kind === 'NOT') {
      const child = parseUnary();
      return typeof child === 'string' ? child : { kind: 'not', child };
    }
    if (token.kind === '(') {
      const inner = parseList();
      if (typeof inner === 'string') return inner;
      if (peek()?.kind !== ')') return 'A parenthesis is not closed.';
      position += 1;
      return inner;
    }
    if (token.kind === 'term') return termNode(token);
    return `Unexpected "${token.kind}".`;
  };

  if (tokens.length === 0) return { ok: false, error: 'The rule is empty.' };
  const rule = parseList();
  if (typeof rule === 'string') return { ok: false, error: rule };
  if (position < tokens.length) return { ok: false, error: 'A parenthesis is not opened.' };
  if (!hasPositiveTerm(rule)) {
    return { ok: false, error: 'A rule needs at least one word to look for, not only NOT.' };
  }
  return { ok: true, rule };
}

function hasPositiveTerm(node: RuleNode): boolean {
  if (node.kind === 'term') return true;
  if (node.kind === 'not') return false;
  return node.children.some(hasPositiveTerm);
}

/** What rules look at, precomputed once per paper. */
export interface RuleSubject {
  title: string[];
  abstract: string[];
  authors: string[][];
  categories: string[];
  venue: string;
}

export function ruleSubject(
  paper: PaperText & { categories?: readonly string[]; venue?: string },
): RuleSubject {
  return {
    title: words(paper.title),
    abstract: paper.abstract ? words(paper.abstract) : [],
    authors: (paper.authors ?? []).map((name) => normalizeText(name).match(/[a-z]+/g) ?? []),
    categories: (paper.categories ?? []).map((category) => normalizeText(category).trim()),
    venue: paper.venue ? normalizeText(paper.venue) : '',
  };
}

function containsSequence(
  haystack: readonly string[],
  needle: readonly string[],
  prefix: boolean,
): boolean {
  const last = needle.length - 1;
  outer: for (let start = 0; start + last < haystack.length; start += 1) {
    for (let offset = 0; offset <= last; offset += 1) {
      const word = haystack[start + offset] ?? '';
      const wanted = needle[offset] ?? '';
      const ok = prefix && offset === last ? word.startsWith(wanted) : word === wanted;
      if (!ok) continue outer;
    }
    return true;
  }
  return false;
}

function authorMatches(name: readonly string[], wanted: readonly string[]): boolean {
  // Every word of the rule must be one of the name's words; a one-letter word is an initial.
  return wanted.every((part) =>
    part.length === 1 ? name.some((word) => word.startsWith(part)) : name.includes(part),
  );
}

/** Where a term matched: title matches weigh more in the score. */
export type MatchPlace = 'title' | 'abstract' | 'author' | 'category' | 'venue';

export interface RuleMatch {
  matched: boolean;
  /** The rule's own words that matched (for "why"), with where they matched. */
  terms: { term: string; place: MatchPlace }[];
}

function matchTerm(
  node: Extract<RuleNode, { kind: 'term' }>,
  subject: RuleSubject,
): MatchPlace | null {
  switch (node.field) {
    case 'author':
      return subject.authors.some((name) => authorMatches(name, node.words)) ? 'author' : null;
    case 'category': {
      const wanted = node.words[0] ?? '';
      return subject.categories.some(
        (category) =>
          category === wanted ||
          category.startsWith(`${wanted}.`) ||
          (node.prefix && category.startsWith(wanted)),
      )
        ? 'category'
        : null;
    }
    case 'venue':
      return subject.venue.includes(node.words[0] ?? '\u0000') ? 'venue' : null;
    case 'title':
      return containsSequence(subject.title, node.words, node.prefix) ? 'title' : null;
    case 'text':
      if (containsSequence(subject.title, node.words, node.prefix)) return 'title';
      return containsSequence(subject.abstract, node.words, node.prefix) ? 'abstract' : null;
  }
}

/** Evaluates a rule; `terms` lists the positive terms that matched when the rule matches. */
export function evaluateRule(rule: RuleNode, subject: RuleSubject): RuleMatch {
  const terms: RuleMatch['terms'] = [];
  const visit = (node: RuleNode, negated: boolean): boolean => {
    switch (node.kind) {
      case 'term': {
        const place = matchTerm(node, subject);
        if (place && !negated) terms.push({ term: node.raw, place });
        return place !== null;
      }
      case 'not':
        return !visit(node.child, !negated);
      case 'and':
        // Visit every child (no short-circuit) so every matched term is reported.
        return node.children.map((child) => visit(child, negated)).every(Boolean);
      case 'or':
        return node.children.map((child) => visit(child, negated)).some(Boolean);
    }
  };
  const matched = visit(rule, false);
  return { matched, terms: matched ? terms : [] };
}

/**
 * A rule match as a score: a stated interest is a strong signal, stronger when it shows in the
 * title or names an author, category or venue than when it only shows in the abstract.
 */
export function ruleScore(match: RuleMatch): number {
  if (!match.matched) return 0;
  const strong = match.terms.some((term) => term.place !== 'abstract');
  return strong ? 0.9 : 0.75;
}
