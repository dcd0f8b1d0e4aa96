import { useId, useState, type ReactElement } from 'react';
import { paperPageUrl } from '../lib/ids';
import type { CanonicalId, PaperSnapshot } from '../lib/types';

export interface PaperCardProps {
  id: CanonicalId;
  paper: PaperSnapshot;
  actions?: ReactElement;
}

/** One paper: title, authors, and the abstract on expand. Every string is rendered as text. */
export function PaperCard({ id, paper, actions }: PaperCardProps): ReactElement {
  const [open, setOpen] = useState(false);
  const abstractId = useId();
  const page = paperPageUrl(id);
  const authors =
    paper.authors.length > 6
      ? `${paper.authors.slice(0, 6).join(', ')}, et al.`
      : paper.authors.join(', ');
  return (
    <article className="paper-card" data-paper-id={id}>
      <h3 className="paper-title">
        {page ? (
          <a href={page} target="_blank" rel="noreferrer noopener">
            {paper.title}
          </a>
        ) : (
          paper.title
        )}
      </h3>
      {authors && <p className="paper-authors muted">{authors}</p>}
      <div className="paper-actions">
        <span className="paper-id muted">{id}</span>
        {paper.abstract && (
          <button
            type="button"
            aria-expanded={open}
            aria-controls={abstractId}
            onClick={() => setOpen(!open)}
          >
            {open ? 'Hide abstract' : 'Abstract'}
          </button>
        )}
        {actions}
      </div>
      {open && paper.abstract && (
        <p id={abstractId} className="paper-abstract">
          {paper.abstract}
        </p>
      )}
    </article>
  );
}
