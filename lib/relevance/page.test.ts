// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import type { BadgeContext } from '../annotate';
import type { EntryAnnotation, MessageType, RequestOf, ResponseMap } from '../messages';
import { RelevanceLayer, type RelevanceLayerOptions } from './page';
import type { EntryRelevance } from './types';

function relevance(overrides: Partial<EntryRelevance['reasons']> = {}): EntryRelevance {
  return {
    score: 0.82,
    level: 'strong',
    tag: 'quantum',
    color: '#0e7490',
    reasons: { interestTerms: [], words: [], titleOnly: false, ...overrides },
    tags: [{ tag: 'quantum', color: '#0e7490', score: 0.82 }],
  };
}

/** One badge with a relevance chip; `answer` is what the background explains. */
function setup(
  shown: EntryRelevance,
  answer: () => Promise<ResponseMap['getRelevanceExplanation']>,
  pageAbstract?: string,
) {
  const asked: string[] = [];
  const layer = new RelevanceLayer({
    document,
    call: (<T extends MessageType>(type: T, payload: RequestOf<T>) => {
      asked.push(`${type} ${JSON.stringify(payload)}`);
      if (type === 'getRelevanceExplanation') return answer();
      return Promise.resolve({ shown: true });
    }) as RelevanceLayerOptions['call'],
    reannotate: async () => undefined,
    save: () => undefined,
    later: () => undefined,
  });
  const title = document.createElement('a');
  document.body.append(title);
  const host = document.createElement('span');
  document.body.append(host);
  const shadow = host.attachShadow({ mode: 'open' });
  // jsdom has constructable style sheets but no adoptedStyleSheets.
  Object.defineProperty(shadow, 'adoptedStyleSheets', { value: [], writable: true });
  const extras = document.createElement('span');
  shadow.append(extras);
  const annotation: EntryAnnotation = {
    ref: 0,
    id: 'arxiv:2408.00001',
    matched: true,
    confidence: 1,
    saved: false,
    relevance: shown,
  };
  const context: BadgeContext = {
    titleElement: title,
    paper: {
      titleElement: title,
      title: 'Qubits',
      ids: ['arxiv:2408.00001'],
      authors: [],
      ...(pageAbstract ? { abstract: pageAbstract } : {}),
    },
    annotation,
    saved: false,
    extras,
    shadow,
  };
  layer.decorate(context);
  const chip = extras.querySelector('button.chip') as HTMLButtonElement;
  const card = extras.querySelector('.card') as HTMLElement;
  const hover = async (): Promise<void> => {
    chip.dispatchEvent(new Event('mouseenter'));
    await new Promise((resolve) => setTimeout(resolve, 0));
  };
  const leave = (): void => {
    card.hidden = true; // what the hide timer does
  };
  const reasons = (): string[] =>
    [...card.querySelectorAll('li')].map((item) => item.textContent ?? '');
  return { asked, card, hover, leave, reasons };
}

describe('relevance hover card', () => {
  it('asks the background for reasons a page score left out, once however often it opens', async () => {
    let resolve: (value: ResponseMap['getRelevanceExplanation']) => void = () => undefined;
    const answer = new Promise<ResponseMap['getRelevanceExplanation']>((done) => {
      resolve = done;
    });
    const { asked, card, hover, leave, reasons } = setup(
      relevance({ deferred: true }),
      () => answer,
      'We entangle $\\alpha$ qubits.',
    );
    await hover();
    expect(card.hidden).toBe(false);
    expect(reasons()).toEqual(['Finding the key words and the closest saved paper…']);
    resolve({
      title: 'Qubits',
      relevance: relevance({
        words: ['qubit', 'a:smith j'],
        nearest: { id: 'arxiv:2401.00002', title: 'Earlier qubits', similarity: 0.6 },
      }),
    });
    await new Promise((done) => setTimeout(done, 0));
    expect(reasons()).toEqual([
      'Key words: “qubit”, author smith j',
      'Like your saved paper: Earlier qubits',
    ]);
    // The page's own abstract stays (the answer has none to replace it with).
    expect(card.querySelector('.abstract')?.textContent).toBe('We entangle α qubits.');
    leave();
    await hover();
    expect(reasons()[0]).toBe('Key words: “qubit”, author smith j');
    expect(asked.filter((call) => call.startsWith('getRelevanceExplanation'))).toEqual([
      'getRelevanceExplanation {"id":"arxiv:2408.00001"}',
    ]);
  });

  it('drops the placeholder when the background cannot explain, and asks again next time', async () => {
    const { asked, hover, leave, reasons } = setup(
      relevance({ deferred: true, interestTerms: ['qubit'] }),
      () => Promise.reject(new Error('worker gone')),
      'An abstract.',
    );
    await hover();
    expect(reasons()).toEqual(['Matches your interests: qubit']);
    leave();
    await hover();
    expect(asked.filter((call) => call.startsWith('getRelevanceExplanation'))).toHaveLength(2);
  });

  it('shows reasons a page score carried without asking, when the page shows the abstract', async () => {
    const { asked, hover, reasons } = setup(
      relevance({ words: ['qubit'] }),
      () => Promise.reject(new Error('not asked')),
      'An abstract.',
    );
    await hover();
    expect(reasons()).toEqual(['Key words: “qubit”']);
    expect(asked.filter((call) => call.startsWith('getRelevanceExplanation'))).toEqual([]);
  });
});
