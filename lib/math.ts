/**
 * TeX in titles and abstracts (`$\alpha$-divergence`, `$O(n^2)$`) → a small tree of text,
 * superscripts and subscripts with Unicode symbols, for rendering as plain text nodes. Nothing is
 * ever parsed as HTML, so hostile input can only produce odd-looking text.
 */

export type MathNode = string | { sup: MathNode[] } | { sub: MathNode[] } | { math: MathNode[] };

/** Named TeX commands → Unicode; shared by every TeX renderer (also lib/relevance/tex.ts). */
export const TEX_SYMBOLS: Readonly<Record<string, string>> = {
  alpha: 'α', beta: 'β', gamma: 'γ', delta: 'δ', epsilon: 'ε', varepsilon: 'ε', zeta: 'ζ', eta: 'η',
  theta: 'θ', vartheta: 'ϑ', iota: 'ι', kappa: 'κ', lambda: 'λ', mu: 'μ', nu: 'ν', xi: 'ξ', pi: 'π',
  rho: 'ρ', sigma: 'σ', tau: 'τ', upsilon: 'υ', phi: 'φ', varphi: 'φ', chi: 'χ', psi: 'ψ', omega: 'ω',
  Gamma: 'Γ', Delta: 'Δ', Theta: 'Θ', Lambda: 'Λ', Xi: 'Ξ', Pi: 'Π', Sigma: 'Σ', Phi: 'Φ', Psi: 'Ψ',
  Omega: 'Ω', infty: '∞', leq: '≤', le: '≤', geq: '≥', ge: '≥', neq: '≠', ne: '≠', approx: '≈',
  sim: '∼', simeq: '≃', equiv: '≡', times: '×', cdot: '·', div: '÷', pm: '±', mp: '∓', to: '→',
  rightarrow: '→', leftarrow: '←', Rightarrow: '⇒', leftrightarrow: '↔', mapsto: '↦', in: '∈',
  notin: '∉', subset: '⊂', subseteq: '⊆', cup: '∪', cap: '∩', sum: '∑', prod: '∏', int: '∫',
  oint: '∮', sqrt: '√', partial: '∂', nabla: '∇', forall: '∀', exists: '∃', emptyset: '∅', ell: 'ℓ',
  hbar: 'ℏ', log: 'log', exp: 'exp', sin: 'sin', cos: 'cos', tan: 'tan', max: 'max', min: 'min',
  lim: 'lim', det: 'det', ln: 'ln', ldots: '…', cdots: '⋯', dots: '…', langle: '⟨', rangle: '⟩',
  lvert: '|', rvert: '|', mid: '∣', propto: '∝', circ: '∘', star: '⋆', dagger: '†', top: '⊤', perp: '⊥',
}; // prettier-ignore
const SYMBOLS = TEX_SYMBOLS;

/** `\mathbb` letters, shared with lib/relevance/tex.ts. */
export const TEX_BLACKBOARD: Readonly<Record<string, string>> = {
  R: 'ℝ', N: 'ℕ', Z: 'ℤ', Q: 'ℚ', C: 'ℂ', E: '𝔼', P: 'ℙ', F: '𝔽',
}; // prettier-ignore
const BLACKBOARD = TEX_BLACKBOARD;
const CALLIGRAPHIC: Record<string, string> = {
  A: '𝒜', B: 'ℬ', C: '𝒞', D: '𝒟', E: 'ℰ', F: 'ℱ', G: '𝒢', H: 'ℋ', L: 'ℒ', M: 'ℳ', N: '𝒩', O: '𝒪',
  P: '𝒫', R: 'ℛ', S: '𝒮', T: '𝒯', X: '𝒳', Y: '𝒴', Z: '𝒵',
}; // prettier-ignore

/** Guards against pathological input (a 1 MB abstract of braces). */
const MAX_MATH_LENGTH = 2000;

function readGroup(tex: string, start: number): { body: string; end: number } {
  if (tex[start] !== '{') return { body: tex[start] ?? '', end: start + 1 };
  let depth = 0;
  for (let index = start; index < tex.length; index += 1) {
    if (tex[index] === '{') depth += 1;
    else if (tex[index] === '}' && --depth === 0)
      return { body: tex.slice(start + 1, index), end: index + 1 };
  }
  return { body: tex.slice(start + 1), end: tex.length };
}

function push(nodes: MathNode[], text: string): void {
  const last = nodes[nodes.length - 1];
  if (typeof last === 'string') nodes[nodes.length - 1] = last + text;
  else if (text) nodes.push(text);
}

function pushAll(nodes: MathNode[], more: MathNode[]): void {
  for (const node of more) {
    if (typeof node === 'string') push(nodes, node);
    else nodes.push(node);
  }
}

/** TeX math (without the `$`) → nodes. */
export function parseMath(tex: string, depth = 0): MathNode[] {
  const nodes: MathNode[] = [];
  if (depth > 8) return [tex];
  let index = 0;
  while (index < tex.length) {
    const char = tex[index] ?? '';
    if (char === '^' || char === '_') {
      const group = readGroup(tex, index + 1);
      const inner = parseMath(group.body, depth + 1);
      nodes.push(char === '^' ? { sup: inner } : { sub: inner });
      index = group.end;
    } else if (char === '\\') {
      const name = /^[a-zA-Z]+/.exec(tex.slice(index + 1))?.[0];
      if (!name) {
        push(nodes, tex[index + 1] === ' ' ? ' ' : (tex[index + 1] ?? ''));
        index += 2;
        continue;
      }
      index += 1 + name.length;
      if (name === 'mathbb' || name === 'mathcal' || name === 'mathscr') {
        const group = readGroup(tex, index);
        const table = name === 'mathbb' ? BLACKBOARD : CALLIGRAPHIC;
        push(nodes, [...group.body].map((letter) => table[letter] ?? letter).join(''));
        index = group.end;
      } else if (name === 'frac') {
        const top = readGroup(tex, index);
        const bottom = readGroup(tex, top.end);
        pushAll(nodes, parseMath(top.body, depth + 1));
        push(nodes, '/');
        pushAll(nodes, parseMath(bottom.body, depth + 1));
        index = bottom.end;
      } else if (name === 'sqrt') {
        const group = readGroup(tex, index);
        push(nodes, '√(');
        pushAll(nodes, parseMath(group.body, depth + 1));
        push(nodes, ')');
        index = group.end;
      } else if (SYMBOLS[name] !== undefined) {
        push(nodes, SYMBOLS[name]);
      } else if (tex[index] === '{') {
        // \mathrm{x}, \text{x}, \boldsymbol{x}, \hat{x}: keep the argument.
        const group = readGroup(tex, index);
        pushAll(nodes, parseMath(group.body, depth + 1));
        index = group.end;
      }
    } else if (char === '{' || char === '}') {
      index += 1;
    } else {
      push(nodes, char);
      index += 1;
    }
  }
  return nodes;
}

/** Running text with `$…$` math → nodes; text outside math is kept as is. */
export function parseTextWithMath(text: string): MathNode[] {
  const nodes: MathNode[] = [];
  const parts = text.split(/(\$\$?[^$]+\$\$?)/);
  parts.forEach((part, index) => {
    if (index % 2 === 1 && part.length <= MAX_MATH_LENGTH) {
      nodes.push({ math: parseMath(part.replace(/^\$+|\$+$/g, '')) });
    } else if (part) {
      nodes.push(part);
    }
  });
  return nodes;
}
