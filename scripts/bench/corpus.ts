/**
 * A labelled title set for the matcher's accuracy test and benchmark, generated (seeded) from
 * real titles: the 292-paper corpus and the arXiv RSS/API captures in ../shared (read by the
 * caller, never copied here). Synthetic titles reuse the real ones as templates and swap most
 * content words for words drawn from a Zipf-distributed vocabulary (real words first, then
 * pronounceable made-up terms), add "ACRONYM:" prefixes, Greek letters and accents, and a few
 * near-duplicate "sibling" titles, so that a million of them have the df spread and the
 * collisions of a real catalog. Pure: runs in Node and in the browser.
 */
import { titleKey } from '../../lib/normalize';
import { seededRandom } from '../../lib/relevance/model';

/** The same seeded PRNG (mulberry32) that relevance training uses, so runs are reproducible. */
export const rng = seededRandom;

const pick = <T>(random: () => number, items: readonly T[]): T =>
  items[Math.floor(random() * items.length)] as T;

/** Titles from an arXiv RSS (1.0 or 2.0) or Atom API capture, without the RSS 1.0 id suffix. */
export function titlesFromFeed(xml: string): string[] {
  const titles: string[] = [];
  const itemPattern = /<(item|entry)\b[\s\S]*?<title[^>]*>([\s\S]*?)<\/title>/g;
  for (const match of xml.matchAll(itemPattern)) {
    const title = (match[2] ?? '')
      .replace(/<!\[CDATA\[|\]\]>/g, '')
      .replace(/\s*\(arXiv:[^)]*\)\s*$/, '')
      .replace(/\s+/g, ' ')
      .replace(/&amp;/g, '&')
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&quot;/g, '"')
      .replace(/&#39;|&apos;/g, "'")
      .trim()
      .replace(/\.$/, '');
    if (title.length > 10) titles.push(title);
  }
  return titles;
}

const STOP = new Set(
  'a an the of for and or in on to with by from at as is are be its into this that we our via using towards toward how what when why do does can not'.split(
    ' ',
  ),
);
const SYLLABLES =
  'ka lo mi ne ra to vu zen tor plex ion graph net form morph lin quant sym trans neur gen flux cor dyn sta bal vec tra spec kin ter mod val lex cryp sim opt ber tal'.split(
    ' ',
  );
const GREEK_FORMS: readonly [string, string][] = [
  ['$\\alpha$', 'α'],
  ['$\\beta$', 'β'],
  ['$\\gamma$', 'γ'],
  ['$\\lambda$', 'λ'],
  ['$\\epsilon$', 'ϵ'],
  ['$\\mu$', 'μ'],
];
const ACCENTS: readonly [string, string, string][] = [
  ['o', 'ö', '{\\"o}'],
  ['e', 'é', "\\'e"],
  ['a', 'à', '\\`a'],
  ['u', 'ü', '{\\"u}'],
];

export interface TitleGenerator {
  next(): string;
}

/** A seeded generator of realistic synthetic titles, templated on `seedTitles`. */
export function titleGenerator(
  seedTitles: readonly string[],
  seed: number,
  vocabularySeed = 1,
): TitleGenerator {
  // The vocabulary depends only on `vocabularySeed`, so titles drawn with another `seed` (the
  // absent ones) share the index's words: hard negatives, as real unseen titles are.
  const vocabularyRandom = rng(vocabularySeed);
  const random = rng(seed);
  const realWords = new Map<string, number>();
  for (const title of seedTitles) {
    for (const word of title.toLowerCase().match(/[a-z][a-z-]{2,}/g) ?? []) {
      if (!STOP.has(word)) realWords.set(word, (realWords.get(word) ?? 0) + 1);
    }
  }
  const vocabulary = [...realWords.entries()].sort((a, b) => b[1] - a[1]).map(([word]) => word);
  const madeUp = new Set<string>();
  while (madeUp.size < 150_000) {
    const parts = 2 + Math.floor(vocabularyRandom() * 3);
    let word = '';
    for (let index = 0; index < parts; index += 1) word += pick(vocabularyRandom, SYLLABLES);
    if (!realWords.has(word)) madeUp.add(word);
  }
  // Interleave so frequent ranks mix real and made-up words, as technical vocabulary does.
  const made = [...madeUp];
  const words: string[] = [];
  for (let index = 0; index < Math.max(vocabulary.length, made.length); index += 1) {
    if (index < vocabulary.length) words.push(vocabulary[index] ?? '');
    if (index < made.length) words.push(made[index] ?? '');
  }
  // Zipf–Mandelbrot (1/(rank + 10)): the most frequent word is ~1% of content words, as
  // "learning" is in arXiv titles. Sampled by binary search on the cumulative weights.
  const cumulative = new Float64Array(words.length);
  let total = 0;
  words.forEach((_, rank) => {
    total += 1 / (rank + 10);
    cumulative[rank] = total;
  });
  const zipfWord = (): string => {
    const target = random() * total;
    let low = 0;
    let high = cumulative.length - 1;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if ((cumulative[mid] ?? 0) < target) low = mid + 1;
      else high = mid;
    }
    return words[low] ?? 'model';
  };
  // Templates parsed once: the words a title may swap, with their punctuation and case.
  const templates = seedTitles.map((title) =>
    title.split(' ').map((word) => {
      const match = /^([^A-Za-z]*)([A-Za-z][A-Za-z-]*)([^A-Za-z]*)$/.exec(word);
      const core = match?.[2] ?? '';
      return {
        word,
        before: match?.[1] ?? '',
        after: match?.[3] ?? '',
        swappable: match !== null && !STOP.has(core.toLowerCase()),
        capital: /^[A-Z]/.test(core),
      };
    }),
  );
  const recent: string[] = [];

  const acronym = (): string => {
    const letters = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
    const length = 3 + Math.floor(random() * 4);
    let text = '';
    for (let index = 0; index < length; index += 1) text += pick(random, [...letters]);
    const style = random();
    if (style < 0.4) return text;
    const head = text.charAt(0) + text.slice(1, 3).toLowerCase();
    return style < 0.7
      ? `${head}${pick(random, ['Net', 'Former', 'GPT', 'Bench', 'LM', 'Diff'])}`
      : `${head}-${Math.floor(random() * 9) + 1}`;
  };

  const fresh = (): string => {
    const template = pick(random, templates);
    const out = template.map((part) => {
      if (!part.swappable || random() < 0.15) return part.word;
      let replacement = zipfWord();
      if (part.capital) replacement = replacement.charAt(0).toUpperCase() + replacement.slice(1);
      return `${part.before}${replacement}${part.after}`;
    });
    let title = out.join(' ');
    if (random() < 0.25 && !title.includes(':')) title = `${acronym()}: ${title}`;
    if (random() < 0.03) {
      const [latex] = pick(random, GREEK_FORMS);
      title = `${latex}-${title.charAt(0).toLowerCase()}${title.slice(1)}`;
    }
    if (random() < 0.03) {
      const [plain, accented] = pick(random, ACCENTS);
      title = title.replace(new RegExp(`(?<=[a-z])${plain}`), accented);
    }
    return title;
  };

  return {
    next(): string {
      let title: string;
      if (recent.length > 50 && random() < 0.01) {
        // A sibling: an earlier title with one content word changed ("… Part II", a new domain).
        const words = pick(random, recent).split(' ');
        const at = Math.floor(random() * words.length);
        if (/^[A-Za-z]{4,}$/.test(words[at] ?? '')) words[at] = zipfWord();
        title = words.join(' ');
      } else {
        title = fresh();
      }
      recent.push(title);
      if (recent.length > 5000) recent.splice(0, 2500);
      return title;
    },
  };
}

export type Perturbation =
  | 'exact'
  | 'case'
  | 'punctuation'
  | 'whitespace'
  | 'latex'
  | 'truncated'
  | 'typo'
  | 'dropped-word'
  | 'case+punctuation+typo'
  | 'truncated+case'
  | 'dropped-word+whitespace';

export const PERTURBATIONS: readonly Perturbation[] = [
  'exact',
  'case',
  'punctuation',
  'whitespace',
  'latex',
  'truncated',
  'typo',
  'dropped-word',
  'case+punctuation+typo',
  'truncated+case',
  'dropped-word+whitespace',
];

function changeCase(random: () => number, title: string): string {
  const style = random();
  if (style < 0.3) return title.toUpperCase();
  if (style < 0.6) return title.toLowerCase();
  return title.replace(/\b([a-z])/g, (letter) => letter.toUpperCase());
}

function changePunctuation(random: () => number, title: string): string {
  let out = title;
  if (out.includes(':')) out = out.replace(':', pick(random, [' -', ' —', '.', ' :']));
  if (out.includes('-')) out = out.replace(/-/g, pick(random, ['–', ' ', '‐', '']));
  if (random() < 0.5) out = `${out}.`;
  if (random() < 0.3) out = out.replace(/(\w+)/, '“$1”');
  return out.replace(/,/g, random() < 0.5 ? '' : ' ,');
}

function changeWhitespace(random: () => number, title: string): string {
  const spaces = ['  ', '\n   ', '\u00a0', '\t', ' \n'];
  return `${random() < 0.5 ? '  ' : '\n'}${title.replace(/ /g, () => (random() < 0.3 ? pick(random, spaces) : ' '))}${random() < 0.5 ? ' ' : '\n'}`;
}

function changeLatex(random: () => number, title: string): string | null {
  for (const [latex, unicode] of GREEK_FORMS) {
    if (title.includes(latex)) return title.replace(latex, unicode);
    if (title.includes(unicode)) return title.replace(unicode, latex);
  }
  for (const [plain, accented, latex] of ACCENTS) {
    if (title.includes(accented)) return title.replace(accented, random() < 0.5 ? latex : plain);
  }
  // No math or accents: render one word bold in LaTeX, or accent a letter.
  // Titles with other markup: editing around it would test the perturbation, not the matcher.
  if (/[\\$]/.test(title)) return null;
  if (random() < 0.5) {
    return title.replace(/\b([A-Za-z]{4,})\b/, '\\textbf{$1}');
  }
  const [plain, accented, latex] = pick(random, ACCENTS);
  return title.replace(new RegExp(`(?<=[a-z])${plain}`), random() < 0.5 ? accented : latex);
}

function truncate(random: () => number, title: string): string | null {
  const clean = title.trim();
  if (clean.length < 50) return null;
  const low = Math.max(40, Math.floor(clean.length * 0.5));
  const high = clean.length - 8;
  const cut = low + Math.floor(random() * (high - low + 1));
  // Sites put a space before the ellipsis only when they cut between words.
  const betweenWords = clean[cut] === ' ' || clean[cut - 1] === ' ';
  const marks = betweenWords ? ['…', '...', ' ...', ' …'] : ['…', '...'];
  return `${clean.slice(0, cut).trimEnd()}${pick(random, marks)}`;
}

function typo(random: () => number, title: string): string | null {
  const words = title.split(' ');
  const candidates = words
    .map((word, index) => ({ word, index }))
    .filter(({ word }) => /^[A-Za-z]{4,}[,:.]?$/.test(word));
  if (candidates.length === 0) return null;
  const { word, index } = pick(random, candidates);
  const core = word.replace(/[,:.]$/, '');
  const tail = word.slice(core.length);
  const at = 1 + Math.floor(random() * (core.length - 1));
  const letter = pick(random, [...'abcdefghijklmnopqrstuvwxyz']);
  const kind = random();
  let changed: string;
  if (kind < 0.3)
    changed = core.slice(0, at) + (letter === core[at] ? 'x' : letter) + core.slice(at + 1);
  else if (kind < 0.55) changed = core.slice(0, at) + core.slice(at + 1);
  else if (kind < 0.8) changed = core.slice(0, at) + letter + core.slice(at);
  else if (at < core.length - 1)
    changed = core.slice(0, at) + (core[at + 1] ?? '') + (core[at] ?? '') + core.slice(at + 2);
  else changed = core.slice(0, at) + letter;
  if (changed.toLowerCase() === core.toLowerCase()) changed = `${core}s`;
  words[index] = changed + tail;
  return words.join(' ');
}

function dropWord(random: () => number, title: string): string | null {
  const words = title.split(' ');
  if (words.length < 5) return null;
  words.splice(Math.floor(random() * words.length), 1);
  return words.join(' ');
}

/** A perturbed rendering of `title`, or null when the perturbation does not apply to it. */
export function perturb(random: () => number, title: string, kind: Perturbation): string | null {
  switch (kind) {
    case 'exact':
      return title;
    case 'case':
      return changeCase(random, title);
    case 'punctuation':
      return changePunctuation(random, title);
    case 'whitespace':
      return changeWhitespace(random, title);
    case 'latex':
      return changeLatex(random, title);
    case 'truncated':
      return truncate(random, title);
    case 'typo':
      return typo(random, title);
    case 'dropped-word':
      return dropWord(random, title);
    case 'case+punctuation+typo': {
      const typed = typo(random, title);
      return typed && changePunctuation(random, changeCase(random, typed));
    }
    case 'truncated+case': {
      const cut = truncate(random, title);
      return cut && changeCase(random, cut);
    }
    case 'dropped-word+whitespace': {
      const dropped = dropWord(random, title);
      return dropped && changeWhitespace(random, dropped);
    }
  }
}

export interface LabelledPaper {
  id: string;
  title: string;
}

export interface LabelledQuery {
  kind: Perturbation | 'absent';
  title: string;
  /** The paper the title names, or null for a title that is not in the index. */
  expected: string | null;
  /** A cut title that begins several indexed titles: nothing can tell which one it is. */
  ambiguous?: boolean;
}

/** Counts indexed titles whose normalized key starts with a given key. */
function prefixCounter(titles: readonly string[]): (key: string) => number {
  const keys = titles.map((title) => titleKey(title)).sort();
  const lowerBound = (key: string): number => {
    let low = 0;
    let high = keys.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if ((keys[mid] ?? '') < key) low = mid + 1;
      else high = mid;
    }
    return low;
  };
  return (key) => {
    let count = 0;
    for (let at = lowerBound(key); at < keys.length && keys[at]?.startsWith(key); at += 1) {
      count += 1;
      if (count > 1) break;
    }
    return count;
  };
}

/** `count` indexed papers: the real titles (minus those held out) then synthetic ones. */
export function makeIndex(
  realTitles: readonly string[],
  count: number,
  seed = 1,
): { papers: LabelledPaper[]; heldOut: string[] } {
  const random = rng(seed);
  const heldOut: string[] = [];
  const titles: string[] = [];
  const seen = new Set<string>();
  for (const title of realTitles) {
    const key = title.toLowerCase().replace(/[^a-z0-9]/g, '');
    if (seen.has(key)) continue;
    seen.add(key);
    if (random() < 0.2) heldOut.push(title);
    else titles.push(title);
  }
  const generator = titleGenerator(realTitles, seed);
  // Distinct titles only: two papers with one title can't be told apart, by design unmatched.
  while (titles.length < count) {
    const title = generator.next();
    const key = title.toLowerCase().replace(/[^a-z0-9]/g, '');
    if (!seen.has(key)) {
      seen.add(key);
      titles.push(title);
    }
  }
  const papers = titles.slice(0, count).map((title, index) => ({
    id: `arxiv:${String(2001 + Math.floor(index / 99_999)).padStart(4, '0')}.${String((index % 99_999) + 1).padStart(5, '0')}`,
    title,
  }));
  return { papers, heldOut };
}

/** `perKind` queries of every perturbation, plus `absent` titles that are not in the index. */
export function makeQueries(
  index: { papers: readonly LabelledPaper[]; heldOut: readonly string[] },
  realTitles: readonly string[],
  options: { perKind: number; absent: number; seed?: number },
): LabelledQuery[] {
  const random = rng(options.seed ?? 7);
  const queries: LabelledQuery[] = [];
  const countPrefixed = prefixCounter(index.papers.map((paper) => paper.title));
  for (const kind of PERTURBATIONS) {
    let made = 0;
    for (let tries = 0; made < options.perKind && tries < options.perKind * 50; tries += 1) {
      const paper = pick(random, index.papers);
      const title = perturb(random, paper.title, kind);
      if (title === null) continue;
      const query: LabelledQuery = { kind, title, expected: paper.id };
      if (kind.startsWith('truncated') && countPrefixed(titleKey(title)) > 1)
        query.ambiguous = true;
      queries.push(query);
      made += 1;
    }
  }
  // Absent: real titles held out of the index, then fresh titles from another generator seed.
  const indexed = new Set(index.papers.map((paper) => paper.title.toLowerCase()));
  const absent = index.heldOut.filter((title) => !indexed.has(title.toLowerCase()));
  const generator = titleGenerator(realTitles, (options.seed ?? 7) + 1000);
  while (absent.length < options.absent) {
    const title = generator.next();
    if (!indexed.has(title.toLowerCase())) absent.push(title);
  }
  for (const title of absent.slice(0, options.absent))
    queries.push({ kind: 'absent', title, expected: null });
  return queries;
}

export interface Tally {
  total: number;
  correct: number;
  wrong: number;
  unmatched: number;
  /** Cut titles that begin several indexed titles (not counted in `total`). */
  ambiguous: number;
  misses: string[];
}

/** Scores match results (by query position) against the labels, per perturbation kind. */
export function tallyResults(
  queries: readonly LabelledQuery[],
  results: readonly ({ matched: boolean; id?: string } | undefined)[],
): Map<string, Tally> {
  const tallies = new Map<string, Tally>();
  queries.forEach((query, ref) => {
    const result = results[ref];
    let tally = tallies.get(query.kind);
    if (!tally) {
      tally = { total: 0, correct: 0, wrong: 0, unmatched: 0, ambiguous: 0, misses: [] };
      tallies.set(query.kind, tally);
    }
    const right = result?.matched === true && result.id === query.expected;
    if (query.ambiguous && !right) {
      tally.ambiguous += 1;
      if (result?.matched) tally.wrong += 1;
      return;
    }
    tally.total += 1;
    if (right) tally.correct += 1;
    else if (result?.matched) tally.wrong += 1;
    else tally.unmatched += 1;
    if (!right && (query.expected !== null || result?.matched)) tally.misses.push(query.title);
  });
  return tallies;
}
