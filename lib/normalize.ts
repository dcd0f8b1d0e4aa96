/**
 * Title normalization: two renderings of the same title get the same key whatever their case,
 * punctuation, whitespace, dashes, quotes, ligatures, diacritics, HTML entities, or LaTeX vs
 * Unicode math (`$\alpha$` = `α` = `alpha`). Non-Latin scripts are kept, not dropped.
 */

const GREEK: Record<string, string> = {
  α: 'alpha', β: 'beta', γ: 'gamma', δ: 'delta', ε: 'epsilon', ϵ: 'epsilon', ζ: 'zeta', η: 'eta',
  θ: 'theta', ϑ: 'theta', ι: 'iota', κ: 'kappa', λ: 'lambda', μ: 'mu', ν: 'nu', ξ: 'xi',
  ο: 'omicron', π: 'pi', ϖ: 'pi', ρ: 'rho', ϱ: 'rho', σ: 'sigma', ς: 'sigma', τ: 'tau',
  υ: 'upsilon', φ: 'phi', ϕ: 'phi', χ: 'chi', ψ: 'psi', ω: 'omega',
}; // prettier-ignore

const GREEK_NAMES = new Set(
  Object.values(GREEK).concat(['varepsilon', 'vartheta', 'varphi', 'varrho', 'varsigma', 'varpi']),
);

/** LaTeX commands that spell a letter rather than format one. */
const LATEX_LETTERS: Record<string, string> = {
  ell: 'l', i: 'i', j: 'j', o: 'o', O: 'O', ae: 'ae', AE: 'AE', oe: 'oe', OE: 'OE', ss: 'ss',
  aa: 'a', AA: 'A', l: 'l', L: 'L',
}; // prettier-ignore

const NAMED_ENTITIES: Record<string, string> = {
  amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ', ndash: '–', mdash: '—',
  hellip: '…', lsquo: '‘', rsquo: '’', ldquo: '“', rdquo: '”',
}; // prettier-ignore

/** Decodes the HTML entities that leak into titles from feeds and exports. */
export function decodeEntities(text: string): string {
  if (!text.includes('&')) {
    return text;
  }
  return text.replace(/&(#x[0-9a-f]{1,6}|#\d{1,7}|[a-z]{2,8});/gi, (whole, body: string) => {
    if (body.startsWith('#')) {
      const code =
        body[1] === 'x' || body[1] === 'X'
          ? Number.parseInt(body.slice(2), 16)
          : Number.parseInt(body.slice(1), 10);
      return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    }
    return NAMED_ENTITIES[body.toLowerCase()] ?? whole;
  });
}

/** Turns LaTeX markup into the plain letters it renders as. */
export function stripLatex(text: string): string {
  if (!text.includes('\\') && !text.includes('$')) {
    return text;
  }
  return (
    text
      // Accents (`{\"o}`, `\'e`, `\c{c}`): keep the letter, drop the accent.
      .replace(/\\(["'`^~=.]|[uvHckrbd](?![a-zA-Z]))\s*\{?\s*([a-zA-Z])\}?/g, '$2')
      .replace(/\\([a-zA-Z]+)/g, (_whole, name: string) => {
        if (GREEK_NAMES.has(name.toLowerCase())) {
          return ` ${name.toLowerCase().replace(/^var/, '')} `;
        }
        return LATEX_LETTERS[name] ?? ' ';
      })
      .replace(/\\./g, ' ')
      .replace(/[${}]/g, '')
  );
}

const COMBINING_MARKS = /\p{M}+/gu;
const NOT_LETTER_OR_DIGIT = /[^\p{L}\p{N}]+/gu;
const GREEK_LETTER = /[\u0370-\u03ff]/g;
const DESCRIPTOR = /^\s*(?:title\s*:|\[(?:pdf|html|citation|book|b|c)\])\s*/i;

/** Removes page descriptors ("Title:", Scholar's "[PDF]") and collapses whitespace; keeps display text. */
export function cleanTitle(raw: string): string {
  let title = decodeEntities(raw).replace(/\s+/g, ' ').trim();
  while (DESCRIPTOR.test(title)) {
    title = title.replace(DESCRIPTOR, '');
  }
  return title;
}

/** Whether a page shows the title cut short ("A Study of…", "A Study of ..."). */
export function isTruncatedTitle(raw: string): boolean {
  return /(?:\.\.\.|…)\s*$/.test(raw.trim());
}

/**
 * The normalized title key: equal keys mean the same title. Spaces are removed too, so
 * "pre-training" and "pretraining" agree. Returns `''` for titles with no letters or digits.
 */
export function titleKey(raw: string): string {
  const text = cleanTitle(stripLatex(decodeEntities(raw)))
    .replace(/(?:\.\.\.|…)\s*$/, '')
    .normalize('NFKD')
    .replace(COMBINING_MARKS, '')
    .toLowerCase()
    .replace(GREEK_LETTER, (letter) => ` ${GREEK[letter] ?? letter} `);
  return text.replace(NOT_LETTER_OR_DIGIT, '');
}

/** Normalized words of a title, for token-based fuzzy matching and search. */
export function titleTokens(raw: string): string[] {
  return cleanTitle(stripLatex(decodeEntities(raw)))
    .normalize('NFKD')
    .replace(COMBINING_MARKS, '')
    .toLowerCase()
    .replace(GREEK_LETTER, (letter) => ` ${GREEK[letter] ?? letter} `)
    .split(NOT_LETTER_OR_DIGIT)
    .filter((token) => token.length > 0);
}

/**
 * cyrb53 (bryc, public domain): a fast 53-bit string hash. 53 bits keep accidental collisions
 * negligible at a million titles (~1e-4 expected pairs) and fit a double exactly.
 */
export function hash53(text: string, seed = 0): number {
  let h1 = 0xdeadbeef ^ seed;
  let h2 = 0x41c6ce57 ^ seed;
  for (let index = 0; index < text.length; index += 1) {
    const code = text.charCodeAt(index);
    h1 = Math.imul(h1 ^ code, 2654435761);
    h2 = Math.imul(h2 ^ code, 1597334677);
  }
  return finishHash53(h1, h2);
}

function finishHash53(a: number, b: number): number {
  let h1 = Math.imul(a ^ (a >>> 16), 2246822507);
  h1 ^= Math.imul(b ^ (b >>> 13), 3266489909);
  let h2 = Math.imul(b ^ (b >>> 16), 2246822507);
  h2 ^= Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return 4294967296 * (2097151 & h2) + (h1 >>> 0);
}

const MAY_HAVE_DESCRIPTOR = /^\s*(?:t|\[)/i;

/**
 * Whether `raw` can take the one-pass ASCII path: no markup to decode (`&`, `\`, `$`), no
 * non-ASCII letters to fold, no "Title:"/"[PDF]" descriptor in front. About 93% of real titles.
 */
export function isPlainAscii(raw: string): boolean {
  for (let index = 0; index < raw.length; index += 1) {
    const code = raw.charCodeAt(index);
    if (code >= 128 || code === 38 || code === 92 || code === 36) return false;
  }
  return !asciiHasDescriptor(raw);
}

/**
 * `MAY_HAVE_DESCRIPTOR.test(raw) && DESCRIPTOR.test(raw)` for an all-ASCII `raw`, whose only
 * whitespace `\s` can match is tab, line ends, vertical tab, form feed and space: most titles
 * are told apart by their first characters, without a regular expression.
 */
function asciiHasDescriptor(raw: string): boolean {
  let index = 0;
  let code = raw.charCodeAt(0);
  while (code === 32 || (code >= 9 && code <= 13)) {
    index += 1;
    code = raw.charCodeAt(index);
  }
  return (code === 116 || code === 84 || code === 91) && DESCRIPTOR.test(raw);
}

function isAsciiAlnum(code: number): boolean {
  return (code >= 97 && code <= 122) || (code >= 48 && code <= 57) || (code >= 65 && code <= 90);
}

/** FNV-1a of `text[start, end)`, ASCII upper case folded when `lower` (the builder's word hash). */
export function wordHash(text: string, start: number, end: number, lower: boolean): number {
  let hash = 0x811c9dc5;
  for (let at = start; at < end; at += 1) {
    let code = text.charCodeAt(at);
    if (lower && code <= 90 && code >= 65) code += 32;
    hash = Math.imul(hash ^ code, 16777619);
  }
  return hash >>> 0;
}

/**
 * The words of a plain ASCII title read in one pass, for the look-up builder: where each is, its
 * `wordHash` lower-cased, and the title's `titleKeyHash` (the words joined), without a string per
 * word. An import reads a million titles; in separate passes (`isPlainAscii`, the words, their
 * hashes, `hashTitleKey`) each character was read five times.
 */
export class AsciiWords {
  /** Per word: start, end (exclusive), `wordHash(raw, start, end, true)`. */
  spans = new Uint32Array(3 * 64);
  count = 0;
  /** `titleKeyHash(raw)`, when `count` > 0. */
  keyHash = 0;

  /** Reads `raw` when `isPlainAscii(raw)` and returns true; returns false otherwise. */
  read(raw: string): boolean {
    let h1 = 0xdeadbeef;
    let h2 = 0x41c6ce57;
    let count = 0;
    const length = raw.length;
    for (let index = 0; index < length;) {
      let code = raw.charCodeAt(index);
      if (!isAsciiAlnum(code)) {
        if (code >= 128 || code === 38 || code === 92 || code === 36) return false;
        index += 1;
        continue;
      }
      const start = index;
      let hash = 0x811c9dc5;
      for (;;) {
        if (code <= 90 && code >= 65) code += 32;
        hash = Math.imul(hash ^ code, 16777619);
        h1 = Math.imul(h1 ^ code, 2654435761);
        h2 = Math.imul(h2 ^ code, 1597334677);
        index += 1;
        if (index === length) break;
        code = raw.charCodeAt(index);
        if (!isAsciiAlnum(code)) break;
      }
      if (count * 3 + 3 > this.spans.length) {
        const spans = new Uint32Array(this.spans.length * 2);
        spans.set(this.spans);
        this.spans = spans;
      }
      this.spans[count * 3] = start;
      this.spans[count * 3 + 1] = index;
      this.spans[count * 3 + 2] = hash >>> 0;
      count += 1;
    }
    if (asciiHasDescriptor(raw)) return false;
    this.count = count;
    this.keyHash = count > 0 ? finishHash53(h1, h2) : 0;
    return true;
  }
}

/** What a non-ASCII character adds to a title key (ASCII letters and digits), or null. */
const keyFragments = new Map<number, string | null>();

/**
 * The key of one character on its own, which is what it adds to any title's key: decomposition,
 * mark removal, case folding and Greek names all act per character, and markup (`&`, `\`, `$`)
 * never reaches here. Null when the key keeps non-ASCII letters (other scripts) or the
 * character is half of a surrogate pair: those titles take the full path.
 */
function keyFragment(code: number): string | null {
  let fragment = keyFragments.get(code);
  if (fragment === undefined) {
    const key = code >= 0xd800 && code <= 0xdfff ? null : titleKey(String.fromCharCode(code));
    fragment = key !== null && /^[a-z0-9]*$/.test(key) ? key : null;
    keyFragments.set(code, fragment);
  }
  return fragment;
}

/**
 * `hash53(titleKey(raw))` and the key's length, in one pass without building the key (~0.3 µs
 * instead of ~2–30 µs), also for titles with accents, Greek letters, typographic quotes and
 * dashes or non-breaking spaces. The exact-title tier hashes every page title with this.
 */
export function hashTitleKey(raw: string): { hash: number; length: number } {
  if (MAY_HAVE_DESCRIPTOR.test(raw) && DESCRIPTOR.test(raw)) return hashOfFullKey(raw);
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  let length = 0;
  for (let index = 0; index < raw.length; index += 1) {
    let code = raw.charCodeAt(index);
    if (code < 128) {
      if (!isAsciiAlnum(code)) {
        if (code === 38 || code === 92 || code === 36) return hashOfFullKey(raw);
        continue;
      }
      if (code <= 90 && code >= 65) code += 32;
      h1 = Math.imul(h1 ^ code, 2654435761);
      h2 = Math.imul(h2 ^ code, 1597334677);
      length += 1;
      continue;
    }
    const fragment = keyFragment(code);
    if (fragment === null) return hashOfFullKey(raw);
    for (let at = 0; at < fragment.length; at += 1) {
      const letter = fragment.charCodeAt(at);
      h1 = Math.imul(h1 ^ letter, 2654435761);
      h2 = Math.imul(h2 ^ letter, 1597334677);
    }
    length += fragment.length;
  }
  return { hash: finishHash53(h1, h2), length };
}

function hashOfFullKey(raw: string): { hash: number; length: number } {
  const key = titleKey(raw);
  return { hash: hash53(key), length: key.length };
}

/** `hash53(titleKey(raw))`: equal for two renderings of the same title. */
export function titleKeyHash(raw: string): number {
  return hashTitleKey(raw).hash;
}

/** `titleTokens(raw)`, with a one-pass path for plain ASCII titles. `tokens.join('')` is the key. */
export function titleTokensFast(raw: string): string[] {
  if (!isPlainAscii(raw)) return titleTokens(raw);
  const tokens: string[] = [];
  let start = -1;
  for (let index = 0; index <= raw.length; index += 1) {
    const alnum = index < raw.length && isAsciiAlnum(raw.charCodeAt(index));
    if (alnum && start < 0) start = index;
    else if (!alnum && start >= 0) {
      tokens.push(raw.slice(start, index).toLowerCase());
      start = -1;
    }
  }
  return tokens;
}
