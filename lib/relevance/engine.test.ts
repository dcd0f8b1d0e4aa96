import { describe, expect, it } from 'vitest';
import { openIndexDb, openLibraryDb } from '../db';
import { upsertPapers } from '../index-store';
import { savePaper } from '../library';
import { dismissPaper, tagPapers } from '../library/edit';
import { createTag } from '../library/tags';
import { titleKey } from '../normalize';
import type { IndexPaper } from '../types';
import { createRelevanceEngine } from '.';
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
    expect(best.reasons.words.length).toBeGreaterThan(0);
    expect(best.reasons.nearest?.id).toMatch(/^arxiv:/);
    expect(best.reasons.titleOnly).toBe(false);
    expect(best.tags.map((item) => item.tag ?? 'library')).toContain('quantum');
  });

  it('names as nearest the saved paper whose text the entry repeats, not a merely similar one', async () => {
    const { indexDb, libraryDb, papers } = await setup();
    const engine = createRelevanceEngine(indexDb, libraryDb);
    const saved = papers[3]!;
    // Another id (a version the index lacks) with the saved paper's text: the cosine is 1 only to it.
    const scores = await engine.score([{ ...entry(0, saved), id: 'arxiv:2499.00001' }]);
    const nearest = scores.get(0)?.reasons.nearest;
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
