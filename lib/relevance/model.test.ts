import { describe, expect, it } from 'vitest';
import { vectorize } from './features';
import { averagePrecision, precisionAt } from './metrics';
import {
  buildScoringTable,
  calibrate,
  calibratedScore,
  decision,
  documentFrequencies,
  inverseDocumentFrequencies,
  scoreTable,
  scoreTableInto,
  scoreTableReference,
  seededRandom,
  sigmoid,
  topContributions,
  trainLogistic,
  weigh,
} from './model';

const topics = {
  quantum: ['qubit', 'entanglement', 'quantum circuit', 'decoherence', 'quantum error correction'],
  vision: ['image segmentation', 'convolutional network', 'object detection', 'pixel', 'video'],
  language: ['language model', 'translation', 'token', 'parsing', 'question answering'],
};

/** Synthetic papers: each mixes three phrases of its topic with common filler. */
function papers(
  topic: keyof typeof topics,
  count: number,
  seed: number,
): { title: string; abstract: string }[] {
  const words = topics[topic];
  return Array.from({ length: count }, (_, index) => {
    const pick = (offset: number): string =>
      words[(index * 7 + seed + offset) % words.length] ?? '';
    return {
      title: `On ${pick(0)} and ${pick(1)}`,
      abstract: `We propose a new method for ${pick(2)}. Experiments on benchmarks show improvements in accuracy and efficiency.`,
    };
  });
}

describe('tag model', () => {
  const quantum = papers('quantum', 40, 1);
  const others = [...papers('vision', 40, 2), ...papers('language', 40, 3)];
  const all = [...quantum, ...others].map((paper) => vectorize(paper));
  const idf = inverseDocumentFrequencies(documentFrequencies(all), all.length);
  const vectors = all.map((vector) => weigh(vector, idf));

  it('weighs vectors to unit length', () => {
    const norm = Math.hypot(...(vectors[0]?.values ?? []));
    expect(norm).toBeCloseTo(1, 5);
  });

  it('ranks the held-out papers of a tag first from ten tagged ones', () => {
    const train = {
      positives: vectors.slice(0, 10),
      negatives: vectors.slice(40, 60).concat(vectors.slice(80, 100)),
    };
    const model = trainLogistic(train, { seed: 3 });
    const test = [...vectors.slice(10, 40), ...vectors.slice(60, 80), ...vectors.slice(100, 120)];
    const relevant = test.map((_, index) => index < 30);
    const scores = test.map((vector) => decision(model, vector));
    expect(precisionAt(10, scores, relevant)).toBe(1);
    expect(averagePrecision(scores, relevant)).toBeGreaterThan(0.95);
  });

  it('calibrates so that tag papers are relevant and unrelated ones are not', () => {
    const model = trainLogistic(
      { positives: vectors.slice(0, 10), negatives: vectors.slice(40, 80) },
      { seed: 3 },
    );
    const calibration = calibrate(model, vectors.slice(80));
    const tagScores = vectors
      .slice(10, 40)
      .map((vector) => calibratedScore(decision(model, vector), calibration));
    const otherScores = vectors
      .slice(80)
      .map((vector) => calibratedScore(decision(model, vector), calibration));
    expect(Math.min(...tagScores)).toBeGreaterThan(0.75);
    expect(otherScores.filter((score) => score > 0.5).length).toBeLessThanOrEqual(
      otherScores.length * 0.1,
    );
  });

  it('learns from dismissals: a dismissed paper and its look-alikes drop', () => {
    const positives = vectors.slice(0, 10);
    const negatives = vectors.slice(40, 60);
    // A language paper the tag would otherwise like (it shares the tag's wording).
    const lookalike = weigh(
      vectorize({ title: 'On qubit and token parsing', abstract: 'Language model translation.' }),
      idf,
    );
    const before = trainLogistic({ positives, negatives }, { seed: 5 });
    const after = trainLogistic({ positives, negatives, dismissed: [lookalike] }, { seed: 5 });
    expect(decision(after, lookalike)).toBeLessThan(decision(before, lookalike));
  });

  it('scores from the quantized table as the exact model does, ranking alike', () => {
    const models = [
      trainLogistic({ positives: vectors.slice(0, 10), negatives: vectors.slice(40) }, { seed: 3 }),
      trainLogistic({ positives: vectors.slice(40, 50), negatives: vectors.slice(0, 40) }),
    ];
    const table = buildScoringTable(models, idf);
    models.forEach((model, index) => {
      const exact = vectors.map((vector) => decision(model, vector));
      const quantized = all.map((packed) => scoreTable(table, packed)[index]!);
      const spread = Math.max(...exact) - Math.min(...exact);
      quantized.forEach((value, at) =>
        expect(Math.abs(value - exact[at]!)).toBeLessThan(0.03 * spread),
      );
      const relevant = exact.map((value) => value > exact.slice().sort((a, b) => b - a)[30]!);
      expect(averagePrecision(quantized, relevant)).toBeGreaterThan(0.97);
    });
  });

  it('scores a page in one pass per eight models exactly as the plain per-model loop does', () => {
    const random = seededRandom(9);
    // Random weights over the papers' features, plus models that weigh nothing at all.
    const randomModel = (zero: boolean) => {
      const weights = new Float32Array(1 << 16);
      if (!zero)
        for (const vector of vectors) for (const id of vector.ids) weights[id] = random() * 2 - 1;
      return { weights, bias: random() - 0.5 };
    };
    for (const count of [1, 6, 8, 9, 17]) {
      const models = Array.from({ length: count }, (_, index) => randomModel(index === 2));
      const table = buildScoringTable(models, idf);
      const page = new Float64Array(all.length * count);
      all.forEach((packed, entry) => scoreTableInto(table, packed, page, entry * count));
      all.forEach((packed, entry) => {
        const plain = scoreTableReference(table, packed);
        expect(page.subarray(entry * count, (entry + 1) * count)).toEqual(plain);
        expect(scoreTable(table, packed)).toEqual(plain);
      });
      // The last feature's row: its block of lanes reaches into the table's padding.
      const lastRowIdf = Float32Array.from(idf);
      lastRowIdf[(1 << 16) - 1] = 2;
      const edge = buildScoringTable(models, lastRowIdf);
      const last = Uint32Array.of((((1 << 16) - 1) << 16) | 3);
      expect(scoreTable(edge, last)).toEqual(scoreTableReference(edge, last));
    }
  });

  it('calibrates with one exponential what the larger of the two sigmoids gives', () => {
    const calibration = { weak: -1.2, strong: -0.3 };
    const width = (calibration.strong - calibration.weak) / Math.log(3);
    for (let decision = -8; decision <= 8; decision += 0.37) {
      expect(calibratedScore(decision, calibration)).toBe(
        Math.max(sigmoid(decision), sigmoid((decision - calibration.weak) / width)),
      );
    }
  });

  it('names the words that raised a score', () => {
    const model = trainLogistic(
      { positives: vectors.slice(0, 10), negatives: vectors.slice(40) },
      { seed: 3 },
    );
    const words = topContributions(model, quantum[15]!, idf, 3).map((item) => item.feature);
    expect(words.length).toBeGreaterThan(0);
    expect(
      words.every((word) =>
        topics.quantum.some(
          (phrase) => phrase.includes(word) || word.includes(phrase.split(' ')[0]!),
        ),
      ),
    ).toBe(true);
  });
});

describe('ranking metrics', () => {
  it('computes average precision and precision@k', () => {
    expect(averagePrecision([3, 2, 1], [true, false, true])).toBeCloseTo((1 + 2 / 3) / 2);
    expect(precisionAt(2, [3, 2, 1], [true, false, true])).toBe(0.5);
  });
});
