/**
 * Hostile inputs shared by the fuzz, security and durability tests: strings that mix markup,
 * script URLs, TeX, entities and bidirectional controls the way a hostile page, feed or file would.
 */
import fc from 'fast-check';

/** Fragments that broke other extensions or parsers (see docs/SECURITY.md). */
export const PAYLOADS = [
  '<script>window.__pwned=1</script>',
  '<img src=x onerror="window.__pwned=2">',
  '<svg/onload=window.__pwned=3>',
  '<iframe srcdoc="<script>parent.__pwned=4</script>">',
  '"><a href="javascript:window.__pwned=5">x</a>',
  'javascript:window.__pwned=6',
  ' JaVaScRiPt:alert(1)',
  'data:text/html,<script>alert(1)</script>',
  '$\\frac{a}{b}$ \\href{javascript:alert(1)}{x} \\url{javascript:alert(1)}',
  '$\\alpha$-$\\beta$ {\\"o} \\\\ $$',
  '\u202Egnp.exe\u202C',
  '\u2066\u2067\u2068\u2069\u200F\u200E\u061C',
  '&lt;script&gt;alert(1)&lt;/script&gt; &#60;img&#62; &#x3C; &amp;amp;',
  '<!--',
  ']]>',
  '<![CDATA[',
  '</textarea>',
  '</style>',
  '</title>',
  '{{constructor.constructor("alert(1)")()}}',
  '__proto__',
  'constructor',
  'prototype',
  '\u0000',
  '\uFEFF',
  '\uD800',
  '\uDFFF',
  '\r\n',
  '\t',
] as const;

/** A random mix of payload fragments and arbitrary Unicode. */
export const hostileString = (maxLength = 40): fc.Arbitrary<string> =>
  fc
    .array(
      fc.oneof(
        { weight: 3, arbitrary: fc.constantFrom(...PAYLOADS) },
        { weight: 2, arbitrary: fc.string({ unit: 'grapheme', maxLength: 12 }) },
        { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 12 }) },
      ),
      { maxLength },
    )
    .map((parts) => parts.join(''));

/** Deep nesting of an opener/closer pair: `[[[[…]]]]`, `{"a":{"a":…}}`, `<a><a>…`. */
export function nested(open: string, close: string, depth: number): string {
  return open.repeat(depth) + close.repeat(depth);
}

/** Big inputs every parser must survive quickly: deep nesting, huge strings, entity bombs. */
export function pathologicalInputs(): { name: string; text: string }[] {
  const entities =
    '<!ENTITY a "aaaaaaaaaa">' +
    Array.from({ length: 9 }, (_, level) => {
      const previous = String.fromCharCode(97 + level);
      const name = String.fromCharCode(98 + level);
      return `<!ENTITY ${name} "${`&${previous};`.repeat(10)}">`;
    }).join('');
  return [
    { name: 'billion laughs', text: `<?xml version="1.0"?><!DOCTYPE r [${entities}]><r>&j;</r>` },
    { name: 'external entity', text: '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><r>&x;</r>' },
    { name: '100k numeric entities', text: `<feed><entry><title>${'&#65;'.repeat(100_000)}</title></entry></feed>` },
    { name: 'deep JSON arrays', text: nested('[', ']', 100_000) },
    { name: 'deep JSON objects', text: `${'{"a":'.repeat(50_000)}1${'}'.repeat(50_000)}` },
    { name: 'deep XML', text: nested('<a>', '</a>', 50_000) },
    { name: 'deep BibTeX braces', text: `@article{k, title={${nested('{', '}', 50_000)}}}` },
    { name: '2 MB string', text: 'a'.repeat(2_000_000) },
    { name: '2 MB of spaces', text: ' '.repeat(2_000_000) },
    { name: '1 MB single line JSON string', text: JSON.stringify(['x'.repeat(1_000_000)]) },
    { name: '100k lines of garbage', text: 'x\n'.repeat(100_000) },
    { name: 'prototype pollution JSON', text: '[{"id":"2401.00001","title":"t","__proto__":{"polluted":1},"constructor":{"prototype":{"polluted":1}}}]' },
    { name: 'prototype pollution XML', text: '<feed><__proto__><polluted>1</polluted></__proto__><entry><constructor>1</constructor></entry></feed>' },
    { name: 'regex backtracking bait', text: `${'10.1234/'.repeat(20_000)}${'arxiv:'.repeat(20_000)}${'\\'.repeat(50_000)}${'$'.repeat(50_000)}` },
    { name: 'lone surrogates', text: '\uD800\uDC00\uDFFF\uD800'.repeat(100_000) },
    // Long runs of one opener with no closer: the classic trigger of quadratic regex backtracking.
    ...['<', '{', '[', '(', '"', "'", '&', '&#', '$', '\\', '%', '@', '=', ' \t', '-', '.', ',', 'a '].map(
      (run) => ({ name: `50k unclosed ${JSON.stringify(run)}`, text: `x${run.repeat(50_000)}y` }),
    ),
  ]; // prettier-ignore
}
