import { useVirtualizer } from '@tanstack/react-virtual';
import {
  forwardRef,
  useCallback,
  useEffect,
  useImperativeHandle,
  useRef,
  useState,
  type KeyboardEvent,
  type ReactElement,
} from 'react';
import { paperPageUrl, paperPdfUrl } from '../../lib/ids';
import { PaperRow } from './PaperRow';
import { NEXT_STATUS, type ListPaper, type PaperActions } from './types';

export interface PaperListHandle {
  /** Moves keyboard focus to the first (or the active) row. */
  focus: () => void;
}

export interface PaperListProps {
  label: string;
  papers: ListPaper[];
  actions: PaperActions;
  knownTags: readonly string[];
  tagColors: ReadonlyMap<string, string>;
  selectable?: boolean;
  selected?: ReadonlySet<string>;
  onSelect?: (keys: string[], selected: boolean) => void;
  /** Focus goes back to the search box (Esc on a closed row, ↑ on the first row). */
  onLeave: () => void;
}

function isTyping(target: EventTarget): boolean {
  const element = target as HTMLElement;
  return element.matches('input:not([type=checkbox]), textarea, select, [contenteditable]');
}

function open(url: string | null | undefined): void {
  if (url && /^https?:\/\//.test(url)) window.open(url, '_blank', 'noopener,noreferrer');
}

/**
 * A virtualized, keyboard-driven paper list: ↑/↓ (or j/k) move, Enter opens, s saves, t tags,
 * n note, r status, x selects, d dismisses, Delete removes, o/p open the page/PDF, Esc goes back.
 */
export const PaperList = forwardRef<PaperListHandle, PaperListProps>(
  function PaperList(props, ref): ReactElement {
    const { papers, actions } = props;
    const scrollRef = useRef<HTMLDivElement>(null);
    const [active, setActive] = useState(0);
    const [expanded, setExpanded] = useState<string | null>(null);
    const [focusField, setFocusField] = useState<'tags' | 'note' | null>(null);
    const wantFocus = useRef(false);

    // A row that re-renders under a new position keeps the keyboard in the list: if focus fell to
    // the page while it was in the list, it goes back to the active row.
    const hadFocus = useRef(false);
    useEffect(() => {
      if (
        hadFocus.current &&
        (document.activeElement === document.body || !document.activeElement)
      ) {
        requestAnimationFrame(() => {
          scrollRef.current?.querySelector<HTMLElement>('article[tabindex="0"]')?.focus();
        });
      }
    }, [papers]);

    const virtualizer = useVirtualizer({
      count: papers.length,
      getScrollElement: () => scrollRef.current,
      estimateSize: () => 58,
      overscan: 8,
      getItemKey: (index) => papers[index]?.key ?? index,
    });

    const activeIndex = Math.min(active, Math.max(0, papers.length - 1));

    const focusActive = useCallback(() => {
      const element = scrollRef.current?.querySelector<HTMLElement>(
        `article[data-index="${activeIndex}"]`,
      );
      element?.focus({ preventScroll: false });
    }, [activeIndex]);

    useEffect(() => {
      if (!wantFocus.current) return;
      wantFocus.current = false;
      virtualizer.scrollToIndex(activeIndex, { align: 'auto' });
      requestAnimationFrame(() => focusActive());
    }, [activeIndex, virtualizer, focusActive]);

    useImperativeHandle(ref, () => ({
      focus() {
        if (!papers.length) return;
        const rendered = scrollRef.current?.querySelector<HTMLElement>(
          `article[data-index="${activeIndex}"]`,
        );
        if (rendered) {
          rendered.focus();
          return;
        }
        wantFocus.current = true;
        setActive((current) => Math.min(current, papers.length - 1));
        virtualizer.scrollToIndex(activeIndex, { align: 'auto' });
        requestAnimationFrame(() => focusActive());
      },
    }));

    const move = (index: number): void => {
      wantFocus.current = true;
      setActive(Math.max(0, Math.min(papers.length - 1, index)));
      setFocusField(null);
    };

    const onKeyDown = (event: KeyboardEvent<HTMLDivElement>): void => {
      const paper = papers[activeIndex];
      if (!paper) return;
      if (isTyping(event.target)) {
        if (event.key === 'Escape') {
          event.stopPropagation();
          event.preventDefault();
          setFocusField(null);
          focusActive();
        }
        return;
      }
      if (event.altKey || event.ctrlKey || event.metaKey) return;
      const key = event.key;
      const handled = (): void => {
        event.preventDefault();
        event.stopPropagation();
      };
      switch (key) {
        case 'ArrowDown':
        case 'j':
          handled();
          move(activeIndex + 1);
          return;
        case 'ArrowUp':
        case 'k':
          handled();
          if (activeIndex === 0) props.onLeave();
          else move(activeIndex - 1);
          return;
        case 'Home':
          handled();
          move(0);
          return;
        case 'End':
          handled();
          move(papers.length - 1);
          return;
        case 'PageDown':
          handled();
          move(activeIndex + 8);
          return;
        case 'PageUp':
          handled();
          move(activeIndex - 8);
          return;
        case 'Enter':
          handled();
          setFocusField(null);
          setExpanded(expanded === paper.key ? null : paper.key);
          return;
        case 'Escape':
          handled();
          if (expanded) setExpanded(null);
          else props.onLeave();
          return;
        case 's':
          handled();
          if (paper.saved) actions.remove([paper]);
          else actions.save(paper);
          return;
        case 't':
        case 'n':
          handled();
          if (!paper.saved) return;
          setExpanded(paper.key);
          setFocusField(key === 't' ? 'tags' : 'note');
          return;
        case 'r':
          handled();
          if (paper.saved) actions.setStatus([paper], NEXT_STATUS[paper.saved.status]);
          return;
        case 'x':
          handled();
          if (props.selectable) props.onSelect?.([paper.key], !props.selected?.has(paper.key));
          return;
        case 'd':
          handled();
          if (!paper.saved) actions.dismiss(paper, !paper.dismissed);
          return;
        case 'Delete':
          handled();
          if (props.selectable && props.selected?.size) {
            actions.remove(papers.filter((item) => props.selected?.has(item.key)));
          } else if (paper.saved) {
            actions.remove([paper]);
          }
          return;
        case 'o':
          handled();
          open(paper.links?.abs ?? paperPageUrl(paper.id));
          return;
        case 'p':
          handled();
          open(paper.links?.pdf ?? paperPdfUrl(paper.id));
          return;
      }
    };

    return (
      <div
        ref={scrollRef}
        className="paper-scroll"
        onKeyDown={onKeyDown}
        onFocus={() => {
          hadFocus.current = true;
        }}
        onBlur={(event) => {
          // Focus lost to a row that re-rendered elsewhere (no relatedTarget) still counts as in the list.
          hadFocus.current =
            event.relatedTarget === null ||
            (scrollRef.current?.contains(event.relatedTarget) ?? false);
        }}
        role="region"
        aria-label={props.label}
      >
        <div
          role="list"
          aria-label={props.label}
          style={{ height: virtualizer.getTotalSize(), position: 'relative' }}
        >
          {virtualizer.getVirtualItems().map((item) => {
            const paper = papers[item.index];
            if (!paper) return null;
            return (
              <div
                key={item.key}
                role="listitem"
                data-index={item.index}
                ref={virtualizer.measureElement}
                className="row-slot"
                style={{ transform: `translateY(${item.start}px)` }}
              >
                <PaperRow
                  paper={paper}
                  index={item.index}
                  active={item.index === activeIndex}
                  expanded={expanded === paper.key}
                  selected={props.selected?.has(paper.key)}
                  selectable={Boolean(props.selectable)}
                  knownTags={props.knownTags}
                  tagColors={props.tagColors}
                  actions={actions}
                  focusField={expanded === paper.key ? focusField : null}
                  onFocusRow={() => setActive(item.index)}
                  onToggle={() => setExpanded(expanded === paper.key ? null : paper.key)}
                  onSelect={(value) => props.onSelect?.([paper.key], value)}
                />
              </div>
            );
          })}
        </div>
      </div>
    );
  },
);
