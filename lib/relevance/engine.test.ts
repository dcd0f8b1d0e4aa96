import { describe, expect, it } from 'vitest';
import { openIndexDb, openLibraryDb } from '../db';
import { upsertPapers } from '../index-store';
import { savePaper } from '../library';
import { dismissPaper, tagPapers } from '../library/edit';
import { createTag } from '../library/tags';
import { titleKey } from '../normalize';
import type { IndexPaper } from '../types';
import { createRelevanceEngine } from '.';
import type { ScoreEntry } from './engine';
import { replaceInterests } from './library-reader';

const topics = {
  quantum: [
    'qubit',
    'entanglement',
    'quantum circuit',
    'decoherence',
    'quantum error correction',
    'superconducting qubit',
  ],
  vision: [
    'image segmentation',
    'convolutional network',
    'object detection',
    'pixel',
    'video',
    'depth estimation',
  ],
  language: [
    'language model',
    'machine translation',
    'tokenizer',
    'syntactic parsing',
    'question answering',
    'dialogue',
  ],
};

function paper(topic: keyof typeof topics, index: number): IndexPaper {
  const words = topics[topic];
  const pick = (offset: number): string => words[(index * 5 + offset) % words.length] ?? '';
  const title = `${pick(0)} meets ${pick(1)}: study ${topic} ${index}`;
  return {
    id: `arxiv:2401.${topic.length}${String(index).padStart(4, '0')}`,
    title,
    titleKey: titleKey(title),
    authors: [`Author ${topic} ${index % 3}`],
    abstract: `We investigate ${pick(2)} with ${pick(3)}. Our experiments show gains on standard benchmarks and ${pick(4)}.`,
    sources: ['import'],
  };
}

let counter = 0;
async function setup() {
  counter += 1;
  const indexDb = openIndexDb(`relevance-index-${counter}`);
  const libraryDb = openLibraryDb(`relevance-library-${counter}`);
  const papers = (['quantum', 'vision', 'language'] as const).flatMap((topic) =>
    Array.from({ length: 60 }, (_, index) => paper(topic, index)),
  );
  await upsertPapers(indexDb, papers);
  await createTag(libraryDb, 'quantum', '#0ea5e9', 1);
  const tagged = papers.slice(0, 10);
  for (const item of tagged)
    await savePaper(
      libraryDb,
      item.id,
      { title: item.title, authors: item.authors, abstract: item.abstract ?? '' },
      2,
    );
  await tagPapers(
    libraryDb,
    tagged.map((item) => item.id),
    { add: ['quantum'] },
    3,
  );
  return { indexDb, libraryDb, papers };
}

const entry = (ref: number, item: IndexPaper, withAbstract = true) => ({
  ref,
  id: item.id,
  text: {
    title: item.title,
    authors: item.authors,
    ...(withAbstract && item.abstract ? { abstract: item.abstract } : {}),
  },
});

describe('relevance engine', () => {
  it('highlights papers like the ten tagged ones, in the tag colour, with reasons', async () => {
    const { indexDb, libraryDb, papers } = await setup();
    const engine = createRelevanceEngine(indexDb, libraryDb);
    const quantum = papers.slice(20, 30);
    const vision = papers.slice(80, 90);
    const scores = await engine.score([...quantum, ...vision].map((item, ref) => entry(ref, item)));
    const quantumScores = quantum.map((_, ref) => scores.get(ref)!);
    const visionScores = vision.map((_, ref) => scores.get(ref + 10)!);
    expect(quantumScores.filter((item) => item.level !== 'none').length).toBeGreaterThanOrEqual(8);
    expect(visionScores.filter((item) => item.level !== 'none')).toEqual([]);
    const best = quantumScores.sort((a, b) => b.score - a.score)[0]!;
    expect(best).toMatchObject({ tag: 'quantum', color: '#0ea5e9' });
    expect(best.reasons.titleOnly).toBe(false);
    expect(best.tags.map((item) => item.tag ?? 'library')).toContain('quantum');
    // Words and the nearest saved paper come when the hover card asks for them.
    expect(best.reasons).toMatchObject({ deferred: true, words: [] });
    const ref = [...scores].find(([, value]) => value === best)![0];
    const why = await engine.explain(entry(ref, quantum[ref]!));
    expect(why?.score).toBe(best.score);
    expect(why?.reasons.words.length).toBeGreaterThan(0);
    expect(why?.reasons.nearest?.id).toMatch(/^arxiv:/);
    expect(why?.reasons.deferred).toBeUndefined();
  });

  it('explains relevant entries without an id at once (nothing could ask about them later)', async () => {
    const { indexDb, libraryDb, papers } = await setup();
    const engine = createRelevanceEngine(indexDb, libraryDb);
    const scores = await engine.score(
      papers.slice(20, 30).map((item, ref) => ({ ...entry(ref, item), id: undefined })),
    );
    const relevant = [...scores.values()].filter((item) => item.level !== 'none');
    expect(relevant.length).toBeGreaterThan(0);
    for (const item of relevant) {
      expect(item.reasons.deferred).toBeUndefined();
      expect(item.reasons.words.length).toBeGreaterThan(0);
      expect(item.reasons.nearest?.id).toMatch(/^arxiv:/);
    }
  });

  it('scores a page as the entry-by-entry path does (tags, interests, dismissals, no abstract)', async () => {
    const { indexDb, libraryDb, papers } = await setup();
    // An interest tied to a tag with a model, one to a tag without papers (no model), untagged
    // ones, and one whose needle only shows after accents are folded (the prefilter's fallback).
    await createTag(libraryDb, 'vision', '#16a34a', 4);
    await replaceInterests(
      libraryDb,
      [
        { query: 'entanglement', tag: 'quantum' },
        { query: '"object detection" OR pixel', tag: 'vision' },
        { query: 'dialogue OR author:"author language"' },
        { query: 'tokenizer AND NOT video' },
        { query: 'café' },
      ],
      5,
    );
    await dismissPaper(libraryDb, papers[26]!.id, true, 6);
    const engine = createRelevanceEngine(indexDb, libraryDb);
    const entries: ScoreEntry[] = [
      ...papers.slice(15, 35).map((item, ref) => entry(ref, item)),
      ...papers.slice(70, 90).map((item, ref) => entry(20 + ref, item, false)),
      ...papers.slice(140, 160).map((item, ref) => ({ ...entry(40 + ref, item), id: undefined })),
      { ref: 60, text: { title: 'Qubit entanglement at the CAFÉ', authors: ['Zoë Ünal'] } },
      { ref: 61, text: { title: 'Cafe\u0301 society of qubits', authors: [] } },
      { ref: 62, id: 'arxiv:2499.00002', text: { title: 'Pixel video dialogue', authors: [] } },
    ];
    const page = await engine.score(entries);
    const levels = new Set<string>();
    for (const item of entries) {
      const fast = page.get(item.ref)!;
      const plain = (await engine.explain(item))!;
      levels.add(fast.level);
      const { words: _fastWords, nearest: _fastNearest, deferred, ...fastReasons } = fast.reasons;
      const { words: _words, nearest: _nearest, ...plainReasons } = plain.reasons;
      expect({ ...fast, reasons: fastReasons }).toEqual({ ...plain, reasons: plainReasons });
      expect(deferred).toBe(fast.level !== 'none' && item.id !== undefined ? true : undefined);
    }
    expect([...levels].sort()).toEqual(['none', 'strong', 'weak']);
    expect([...page.values()].some((item) => item.dismissed)).toBe(true);
    expect([...page.values()].some((item) => item.tag === 'vision')).toBe(true);
    expect([...page.values()].some((item) => item.reasons.interestTerms.length > 1)).toBe(true);
    expect(page.get(60)!.reasons.interestTerms).toContain('café');
    expect(page.get(61)!.reasons.interestTerms).toContain('café');
  });

  it('names as nearest the saved paper whose text the entry repeats, not a merely similar one', async () => {
    const { indexDb, libraryDb, papers } = await setup();
    const engine = createRelevanceEngine(indexDb, libraryDb);
    const saved = papers[3]!;
    // Another id (a version the index lacks) with the saved paper's text: the cosine is 1 only to it.
    const why = await engine.explain({ ...entry(0, saved), id: 'arxiv:2499.00001' });
    const nearest = why?.reasons.nearest;
    expect(nearest?.id).toBe(saved.id);
    expect(nearest?.similarity).toBeCloseTo(1, 3);
  });

  it('learns from a dismissal: the paper drops to 0 and its look-alikes drop too', async () => {
    const { indexDb, libraryDb, papers } = await setup();
    const engine = createRelevanceEngine(indexDb, libraryDb);
    const target = papers[25]!;
    const lookalike = papers.find(
      (item, index) =>
        index > 30 &&
        index < 60 &&
        item.title.split(' meets ')[0] === target.title.split(' meets ')[0],
    )!;
    const before = await engine.score([entry(0, target), entry(1, lookalike)]);
    await engine.rememberDismissed(target.id, { title: target.title });
    await dismissPaper(libraryDb, target.id, true, 10);
    await engine.refresh();
    const after = await engine.score([entry(0, target), entry(1, lookalike)]);
    expect(after.get(0)).toMatchObject({ score: 0, level: 'none', dismissed: true });
    expect(after.get(1)!.score).toBeLessThan(before.get(1)!.score);
  });

  it('scores entries without an abstract on title and authors, and says so', async () => {
    const { indexDb, libraryDb } = await setup();
    const engine = createRelevanceEngine(indexDb, libraryDb);
    const unknown = { ...paper('quantum', 200), id: 'arxiv:2402.99999' };
    const scores = await engine.score([entry(0, unknown, false)]);
    expect(scores.get(0)?.reasons.titleOnly).toBe(true);
  });

  it('combines stated interests, with the matched terms as the reason', async () => {
    const { indexDb, libraryDb, papers } = await setup();
    await replaceInterests(libraryDb, [{ query: '"machine translation" OR dialogue' }], 20);
    const engine = createRelevanceEngine(indexDb, libraryDb);
    const language = papers
      .slice(120, 180)
      .find((item) => item.title.includes('machine translation'))!;
    const result = (await engine.score([entry(0, language)])).get(0)!;
    expect(result.level).not.toBe('none');
    expect(result.reasons.interestTerms).toEqual(['"machine translation"']);
    expect(result.tag).toBeUndefined();
  });

  it('keeps vectors and models across a service-worker restart', async () => {
    const { indexDb, libraryDb, papers } = await setup();
    const first = createRelevanceEngine(indexDb, libraryDb);
    const before = await first.score([entry(0, papers[22]!)]);
    const second = createRelevanceEngine(indexDb, libraryDb);
    const after = await second.score([entry(0, papers[22]!)]);
    expect(after.get(0)!.score).toBeCloseTo(before.get(0)!.score, 6);
    expect((await second.summaries()).map((model) => model.tag ?? 'library').sort()).toEqual([
      'library',
      'quantum',
    ]);
  });

  it('drops an older build’s models (format 1, 2^18 weights) and retrains instead of misreading them', async () => {
    const { indexDb, libraryDb, papers } = await setup();
    await indexDb.meta.bulkPut([
      {
        key: 'relevance:models',
        value: {
          format: 1,
          librarySignature: 'x',
          storeSize: 180,
          keys: ['tag:quantum', 'tag:gone'],
        },
      },
      { key: 'relevance:model:tag:gone', value: { weights: new Float32Array(1 << 18) } },
      {
        key: 'relevance:model:tag:quantum',
        value: { model: { weights: new Float32Array(1 << 18).fill(9), bias: 50 } },
      },
    ]);
    const engine = createRelevanceEngine(indexDb, libraryDb);
    const scores = await engine.score([entry(0, papers[150]!), entry(1, papers[25]!)]);
    expect(scores.get(0)!.level).toBe('none'); // a language paper: the old all-9 weights said yes
    expect(scores.get(1)!.level).not.toBe('none');
    expect(await indexDb.meta.get('relevance:model:tag:gone')).toBeUndefined();
    const stored = (await indexDb.meta.get('relevance:model:tag:quantum'))?.value as {
      model: { weights: Float32Array };
    };
    expect(stored.model.weights).toHaveLength(1 << 16);
  });

  it('rejects interests that do not parse and keeps the old ones', async () => {
    const { libraryDb } = await setup();
    await replaceInterests(libraryDb, [{ query: 'qubit' }], 1);
    const result = await replaceInterests(libraryDb, [{ query: 'fine' }, { query: '(broken' }], 2);
    expect(result).toEqual({
      ok: false,
      errors: [{ index: 1, error: 'A parenthesis is not closed.' }],
    });
    expect((await libraryDb.interests.toArray()).map((row) => row.query)).toEqual(['qubit']);
  });
});
