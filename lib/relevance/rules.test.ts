import { describe, expect, it } from 'vitest';
import { evaluateRule, parseRule, ruleScore, ruleSubject, type RuleNode } from './rules';

const paper = ruleSubject({
  title: 'Graph Neural Networks for $\\alpha$-Helix Protein Design',
  abstract: 'We train message-passing networks on molecules. Learning to rank helps.',
  authors: ['Yann LeCun', 'Ada Lovelace'],
  categories: ['cs.LG', 'q-bio.BM'],
  venue: 'NeurIPS 2024',
});

function rule(query: string): RuleNode {
  const parsed = parseRule(query);
  if (!parsed.ok) throw new Error(parsed.error);
  return parsed.rule;
}

describe('interest rules', () => {
  it.each([
    ['graph', true],
    ['"graph neural network"', true], // plural in the title, singular in the rule
    ['"neural graph"', false],
    ['graph AND survey', false],
    ['graph survey', false], // juxtaposition is AND
    ['graph OR survey', true],
    ['survey, protein', true], // comma is OR
    ['protein -molecule', false],
    ['protein NOT survey', true],
    ['(survey OR molecule) AND "learning to rank"', true], // stop words inside phrases count
    ['transform*', false],
    ['mess*', true],
    ['alpha', true], // LaTeX in the title
    ['author:lecun', true],
    ['author:"Y LeCun"', true], // an initial
    ['author:"Z LeCun"', false],
    ['cat:cs.LG', true],
    ['cat:q-bio', true], // archive prefix
    ['cat:cs.CV', false],
    ['venue:neurips', true],
    ['title:molecule', false],
    ['title:protein', true],
  ])('%s → %s', (query, expected) => {
    expect(evaluateRule(rule(query), paper).matched).toBe(expected);
  });

  it('reports the matched terms and where they matched, not negated ones', () => {
    const match = evaluateRule(rule('protein AND molecule -survey OR author:lecun'), paper);
    expect(match.terms).toEqual([
      { term: 'protein', place: 'title' },
      { term: 'molecule', place: 'abstract' },
      { term: 'author:lecun', place: 'author' },
    ]);
  });

  it('scores a title or author match above an abstract-only match', () => {
    expect(ruleScore(evaluateRule(rule('protein'), paper))).toBeGreaterThan(
      ruleScore(evaluateRule(rule('molecule'), paper)),
    );
    expect(ruleScore(evaluateRule(rule('survey'), paper))).toBe(0);
  });

  it.each([
    ['', 'The rule is empty.'],
    ['"open phrase', 'A quotation mark is not closed.'],
    ['(graph OR', 'An operator is missing a word on one side.'],
    ['graph)', 'A parenthesis is not opened.'],
    ['-survey', 'A rule needs at least one word to look for, not only NOT.'],
    ['"!!"', '"!!" has no letters to match.'],
  ])('rejects %j with a message a user can act on', (query, error) => {
    expect(parseRule(query)).toEqual({ ok: false, error });
  });
});
