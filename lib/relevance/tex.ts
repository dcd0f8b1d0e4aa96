/**
 * TeX in titles and abstracts → readable Unicode text ("$\alpha^2 \leq \mathbb{R}$" → "α² ≤ ℝ").
 * Output is plain text for textContent; nothing here produces markup. Unknown commands keep
 * their name, so nothing silently disappears.
 */
import { TEX_BLACKBOARD, TEX_SYMBOLS } from '../math';

const SYMBOLS: Record<string, string> = {
  ...TEX_SYMBOLS,
  // Spacing and escaped characters: this renderer emits flat text, so they become plain text.
  quad: ' ', qquad: '  ', ',': ' ', ';': ' ', '!': '', '%': '%', '&': '&', '#': '#', _: '_',
  '{': '{', '}': '}', '$': '$',
}; // prettier-ignore

const BLACKBOARD = TEX_BLACKBOARD;

const SUPERSCRIPT: Record<string, string> = {
  '0': '⁰', '1': '¹', '2': '²', '3': '³', '4': '⁴', '5': '⁵', '6': '⁶', '7': '⁷', '8': '⁸', '9': '⁹',
  '+': '⁺', '-': '⁻', '=': '⁼', '(': '⁽', ')': '⁾', n: 'ⁿ', i: 'ⁱ', T: 'ᵀ', '*': '*', "'": '′',
}; // prettier-ignore

const SUBSCRIPT: Record<string, string> = {
  '0': '₀', '1': '₁', '2': '₂', '3': '₃', '4': '₄', '5': '₅', '6': '₆', '7': '₇', '8': '₈', '9': '₉',
  '+': '₊', '-': '₋', '=': '₌', '(': '₍', ')': '₎', a: 'ₐ', e: 'ₑ', i: 'ᵢ', j: 'ⱼ', k: 'ₖ', n: 'ₙ',
  o: 'ₒ', t: 'ₜ', x: 'ₓ',
}; // prettier-ignore

/** Reads a `{group}` or a single character at `index`; returns its text and the next index. */
function readArgument(text: string, index: number): { value: string; next: number } {
  let position = index;
  while (text[position] === ' ') position += 1;
  if (text[position] !== '{') {
    if (text[position] === '\\') {
      const name = /^\\([a-zA-Z]+|.)/.exec(text.slice(position))?.[0] ?? '\\';
      return { value: name, next: position + name.length };
    }
    return { value: text[position] ?? '', next: position + 1 };
  }
  let depth = 0;
  for (let end = position; end < text.length; end += 1) {
    if (text[end] === '{') depth += 1;
    else if (text[end] === '}') {
      depth -= 1;
      if (depth === 0) return { value: text.slice(position + 1, end), next: end + 1 };
    }
  }
  return { value: text.slice(position + 1), next: text.length };
}

function script(value: string, table: Record<string, string>, marker: string): string {
  const converted = [...value].map((char) => table[char]);
  if (converted.every((char) => char !== undefined)) return converted.join('');
  return value.length === 1 ? `${marker}${value}` : `${marker}(${value})`;
}

function renderMath(math: string): string {
  let out = '';
  let index = 0;
  while (index < math.length) {
    const char = math[index] ?? '';
    if (char === '\\') {
      const name = /^\\([a-zA-Z]+|.)/.exec(math.slice(index))?.[1] ?? '';
      index += name.length + 1;
      if (name === 'frac' || name === 'dfrac' || name === 'tfrac') {
        const top = readArgument(math, index);
        const bottom = readArgument(math, top.next);
        index = bottom.next;
        const wrap = (part: string): string => (part.length > 1 ? `(${part})` : part);
        out += `${wrap(renderMath(top.value))}/${wrap(renderMath(bottom.value))}`;
      } else if (name === 'mathbb') {
        const argument = readArgument(math, index);
        index = argument.next;
        out += [...argument.value].map((letter) => BLACKBOARD[letter] ?? letter).join('');
      } else if (
        /^(?:math[a-z]+|text[a-z]*|operatorname|boldsymbol|bm|hat|bar|tilde|vec|dot|overline|underline|left|right|big|Big)$/.test(
          name,
        )
      ) {
        if (/^(?:left|right|big|Big)$/.test(name)) continue;
        const argument = readArgument(math, index);
        index = argument.next;
        out += renderMath(argument.value);
      } else {
        out += SYMBOLS[name] ?? name;
        if (/^[a-zA-Z]/.test(name) && /^[a-zA-Z]/.test(math[index] ?? '') && !SYMBOLS[name])
          out += ' ';
      }
    } else if (char === '^' || char === '_') {
      const argument = readArgument(math, index + 1);
      index = argument.next;
      const inner = renderMath(argument.value);
      out += char === '^' ? script(inner, SUPERSCRIPT, '^') : script(inner, SUBSCRIPT, '_');
    } else if (char === '{' || char === '}') {
      index += 1;
    } else {
      out += char;
      index += 1;
    }
  }
  return out;
}

/** Renders the `$…$` / `$$…$$` / `\(…\)` parts of a text as Unicode; the rest is kept as it is. */
export function texToText(text: string): string {
  return text
    .replace(
      /\$\$([\s\S]+?)\$\$|\$([^$]+?)\$|\\\(([\s\S]+?)\\\)/g,
      (_whole, display?: string, inline?: string, paren?: string) =>
        renderMath(display ?? inline ?? paren ?? ''),
    )
    .replace(/\s+/g, ' ')
    .trim();
}
