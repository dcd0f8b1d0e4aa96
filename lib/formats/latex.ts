/**
 * LaTeX text → Unicode for BibTeX values: accents, special letters, escaped characters, text
 * commands and grouping braces. Math (`$…$`) is kept verbatim so the UI can render it.
 */

/** Accent commands → the Unicode combining mark they put on the next letter. */
const ACCENTS: Record<string, string> = {
  "'": '\u0301', '`': '\u0300', '^': '\u0302', '"': '\u0308', '~': '\u0303', '=': '\u0304',
  '.': '\u0307', u: '\u0306', v: '\u030C', H: '\u030B', c: '\u0327', k: '\u0328', r: '\u030A',
  d: '\u0323', b: '\u0331',
}; // prettier-ignore

const LETTERS: Record<string, string> = {
  o: 'ø', O: 'Ø', ss: 'ß', ae: 'æ', AE: 'Æ', oe: 'œ', OE: 'Œ', aa: 'å', AA: 'Å', l: 'ł', L: 'Ł',
  i: 'ı', j: 'ȷ', dh: 'ð', DH: 'Ð', th: 'þ', TH: 'Þ', ng: 'ŋ', NG: 'Ŋ', textendash: '–',
  textemdash: '—', textquoteright: '’', textquoteleft: '‘', textquotedblleft: '“',
  textquotedblright: '”', ldots: '…', dots: '…', textellipsis: '…', copyright: '©', S: '§',
  P: '¶', textregistered: '®', texttrademark: '™', textdegree: '°', euro: '€', pounds: '£',
  LaTeX: 'LaTeX', TeX: 'TeX', textasciitilde: '~', textbackslash: '\\', textunderscore: '_',
}; // prettier-ignore

/** Commands whose argument is verbatim text. */
const VERBATIM_COMMANDS = new Set(['url', 'path', 'verb', 'nolinkurl']);

/** Reads a `{…}` group starting at `start` (which must be `{`); returns its content and end. */
function readGroup(text: string, start: number): { content: string; end: number } {
  let depth = 0;
  for (let index = start; index < text.length; index += 1) {
    const char = text[index];
    if (char === '\\') {
      index += 1;
    } else if (char === '{') {
      depth += 1;
    } else if (char === '}') {
      depth -= 1;
      if (depth === 0) return { content: text.slice(start + 1, index), end: index + 1 };
    }
  }
  return { content: text.slice(start + 1), end: text.length };
}

function skipSpaces(text: string, index: number): number {
  let at = index;
  while (at < text.length && /\s/.test(text[at] ?? '')) at += 1;
  return at;
}

/** Decodes LaTeX outside math; math segments (`$…$`, `$$…$$`) pass through unchanged. */
export function latexToUnicode(input: string): string {
  let output = '';
  let index = 0;
  while (index < input.length) {
    const char = input[index] ?? '';
    if (char === '$') {
      const double = input[index + 1] === '$';
      const close = input.indexOf(double ? '$$' : '$', index + (double ? 2 : 1));
      const end = close < 0 ? input.length : close + (double ? 2 : 1);
      output += input.slice(index, end);
      index = end;
      continue;
    }
    if (char === '{' || char === '}') {
      index += 1;
      continue;
    }
    if (char === '~') {
      output += '\u00a0';
      index += 1;
      continue;
    }
    if (char === '-' && input.startsWith('---', index)) {
      output += '—';
      index += 3;
      continue;
    }
    if (char === '-' && input.startsWith('--', index)) {
      output += '–';
      index += 2;
      continue;
    }
    if (char !== '\\') {
      output += char;
      index += 1;
      continue;
    }
    const next = input[index + 1] ?? '';
    if ('&%$#_{}'.includes(next) || next === ' ') {
      output += next;
      index += 2;
      continue;
    }
    if (next === '\\') {
      output += ' ';
      index += 2;
      continue;
    }
    const name = /^[a-zA-Z]+/.exec(input.slice(index + 1))?.[0];
    const accentKey = name && name.length === 1 && ACCENTS[name] ? name : !name ? next : undefined;
    if (accentKey && ACCENTS[accentKey]) {
      let at = skipSpaces(input, index + 1 + accentKey.length);
      let base: string;
      if (input[at] === '{') {
        const group = readGroup(input, at);
        base = latexToUnicode(group.content);
        at = group.end;
      } else if (input[at] === '\\') {
        const inner = /^\\([a-zA-Z]+)/.exec(input.slice(at));
        base = inner?.[1] ? (LETTERS[inner[1]] ?? '') : '';
        at += inner ? inner[0].length : 1;
      } else {
        base = input[at] ?? '';
        at += 1;
      }
      // `\^{}` and `\~{}` are how BibTeX writes a bare caret and tilde.
      output += base
        ? `${base}${ACCENTS[accentKey]}`.normalize('NFC')
        : accentKey === '^' || accentKey === '~'
          ? accentKey
          : '';
      index = at;
      continue;
    }
    if (!name) {
      index += 2;
      continue;
    }
    let at = index + 1 + name.length;
    if (LETTERS[name] !== undefined) {
      output += LETTERS[name];
      // `\o{}` and `\ss ` end the command; drop the terminator.
      if (input.startsWith('{}', at)) at += 2;
      else if (input[at] === ' ') at += 1;
      index = at;
      continue;
    }
    if (name === 'href') {
      const first = readGroup(input, skipSpaces(input, at));
      const second = readGroup(input, skipSpaces(input, first.end));
      output += latexToUnicode(second.content || first.content);
      index = second.end;
      continue;
    }
    at = skipSpaces(input, at);
    if (input[at] === '{') {
      const group = readGroup(input, at);
      // Text commands (`\emph`, `\textbf`, unknown ones too) keep their argument's text.
      output += VERBATIM_COMMANDS.has(name) ? group.content : latexToUnicode(group.content);
      index = group.end;
      continue;
    }
    index = at;
  }
  return output;
}
