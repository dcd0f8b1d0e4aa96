import { Fragment, useMemo, type ReactElement, type ReactNode } from 'react';
import { parseTextWithMath, type MathNode } from '../lib/math';

function render(nodes: MathNode[], key = ''): ReactNode[] {
  return nodes.map((node, index) => {
    const id = `${key}${index}`;
    if (typeof node === 'string') return <Fragment key={id}>{node}</Fragment>;
    if ('sup' in node) return <sup key={id}>{render(node.sup, `${id}.`)}</sup>;
    if ('sub' in node) return <sub key={id}>{render(node.sub, `${id}.`)}</sub>;
    return (
      <span key={id} className="math">
        {render(node.math, `${id}.`)}
      </span>
    );
  });
}

/** Text with `$…$` math shown as symbols and scripts; every piece is a text node. */
export function MathText({ text }: { text: string }): ReactElement {
  const nodes = useMemo(() => parseTextWithMath(text), [text]);
  return <>{render(nodes)}</>;
}
