/**
 * TF-IDF weighting over hashed vectors and a per-tag linear model: L2-regularized logistic
 * regression trained by Pegasos-style SGD with balanced class sampling (arxiv-sanity trains a
 * `LinearSVC(class_weight='balanced')`; logistic loss gives the same ranking quality and a
 * probability we can show as a score).
 */
import {
  countOf,
  FEATURE_DIM,
  featureCounts,
  featureOf,
  hashFeature,
  type PackedVector,
  type PaperText,
} from './features';

/** A tf-idf weighted, L2-normalized sparse vector. */
export interface SparseVector {
  ids: Uint32Array;
  values: Float32Array;
}

export interface LinearModel {
  weights: Float32Array;
  bias: number;
}

/** Counts in how many vectors each feature occurs. */
export function documentFrequencies(vectors: Iterable<PackedVector>): Uint32Array {
  const df = new Uint32Array(FEATURE_DIM);
  for (const vector of vectors) {
    for (const packed of vector) df[featureOf(packed)] = (df[featureOf(packed)] ?? 0) + 1;
  }
  return df;
}

/**
 * Smoothed IDF (`ln((1+N)/(1+df)) + 1`, as sklearn). Features in more than `maxDfRatio` of the
 * documents carry no signal and get weight 0 (arxiv-sanity's `max_df`), once the index is large
 * enough for that ratio to mean something.
 */
export function inverseDocumentFrequencies(
  df: Uint32Array,
  docs: number,
  maxDfRatio = 0.5,
): Float32Array {
  const idf = new Float32Array(FEATURE_DIM);
  const ceiling = docs >= 50 ? maxDfRatio * docs : Infinity;
  for (let feature = 0; feature < FEATURE_DIM; feature += 1) {
    const count = df[feature] ?? 0;
    idf[feature] = count > ceiling ? 0 : Math.log((1 + docs) / (1 + count)) + 1;
  }
  return idf;
}

const SUBLINEAR = Float32Array.from({ length: 256 }, (_, count) =>
  count === 0 ? 0 : 1 + Math.log(count),
);

/** 1 + ln(count), from a table for the usual small counts. */
export function sublinearTf(count: number): number {
  return count < 256 ? (SUBLINEAR[count] as number) : 1 + Math.log(count);
}

/**
 * Sublinear tf × idf, L2-normalized. Hot path (every page entry): typed-array reads are asserted
 * rather than `?? 0`-guarded, which measured ~4× faster; indices are in range by construction.
 */
export function weigh(vector: PackedVector, idf: Float32Array): SparseVector {
  const length = vector.length;
  const ids = new Uint32Array(length);
  const values = new Float32Array(length);
  let norm = 0;
  let kept = 0;
  for (let index = 0; index < length; index += 1) {
    const packed = vector[index] as number;
    const feature = featureOf(packed);
    const count = countOf(packed);
    const weight =
      (count < 256 ? (SUBLINEAR[count] as number) : 1 + Math.log(count)) * (idf[feature] as number);
    if (weight === 0) continue;
    ids[kept] = feature;
    values[kept] = weight;
    norm += weight * weight;
    kept += 1;
  }
  const scale = norm > 0 ? 1 / Math.sqrt(norm) : 0;
  for (let index = 0; index < kept; index += 1) values[index] = (values[index] as number) * scale;
  return { ids: ids.subarray(0, kept), values: values.subarray(0, kept) };
}

export function dot(weights: Float32Array, vector: SparseVector): number {
  const { ids, values } = vector;
  let sum = 0;
  for (let index = 0; index < ids.length; index += 1) {
    sum += (weights[ids[index] as number] as number) * (values[index] as number);
  }
  return sum;
}

/** Cosine similarity of two normalized sparse vectors (ids sorted ascending). */
export function cosine(a: SparseVector, b: SparseVector): number {
  let sum = 0;
  let i = 0;
  let j = 0;
  const aIds = a.ids;
  const bIds = b.ids;
  while (i < aIds.length && j < bIds.length) {
    const x = aIds[i] as number;
    const y = bIds[j] as number;
    if (x === y) {
      sum += (a.values[i] as number) * (b.values[j] as number);
      i += 1;
      j += 1;
    } else if (x < y) i += 1;
    else j += 1;
  }
  return sum;
}

export function sigmoid(value: number): number {
  return 1 / (1 + Math.exp(-value));
}

/** The model's probability that the paper belongs to the tag. */
export function probability(model: LinearModel, vector: SparseVector): number {
  return sigmoid(dot(model.weights, vector) + model.bias);
}

/** A small seeded generator (mulberry32) so training is reproducible in tests and evaluation. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface TrainingSet {
  positives: readonly SparseVector[];
  negatives: readonly SparseVector[];
  /** Papers the user dismissed: drawn more often than ordinary negatives. */
  dismissed?: readonly SparseVector[];
}

export interface TrainOptions {
  /** L2 strength; arxiv-sanity's C = 0.01–0.1 over thousands of papers is λ ≈ 1e-3–1e-4. */
  lambda?: number;
  /**
   * SGD steps; each draws a positive or a negative with equal probability (balanced classes).
   * 5k and 20k steps rank the evaluation corpus equally well (AP 0.602 vs 0.606).
   */
  steps?: number;
  seed?: number;
  /** Share of negative draws taken from dismissals, when there are any. */
  dismissedShare?: number;
  /** Start from an earlier model of the same tag (incremental update). */
  warmStart?: LinearModel;
}

/**
 * Trains a logistic-regression tag model. Balanced sampling makes 10 positives count as much as
 * 5,000 negatives, as `class_weight='balanced'` does. Cost: steps × ~2 × nonzeros per vector.
 */
export function trainLogistic(set: TrainingSet, options: TrainOptions = {}): LinearModel {
  const lambda = options.lambda ?? 1e-4;
  const steps = options.steps ?? 8000;
  const random = seededRandom(options.seed ?? 1);
  const dismissed = set.dismissed ?? [];
  const dismissedShare = dismissed.length > 0 ? (options.dismissedShare ?? 0.25) : 0;
  const weights = options.warmStart
    ? Float32Array.from(options.warmStart.weights)
    : new Float32Array(FEATURE_DIM);
  let bias = options.warmStart?.bias ?? 0;
  if (set.positives.length === 0 || set.negatives.length + dismissed.length === 0) {
    return { weights, bias: -4 };
  }
  // w = scale · weights, so the L2 shrink of every step costs O(1) instead of O(dimension).
  let scale = 1;
  // η = 1/(λ(t + 1/λ)) starts at 1: Pegasos' plain 1/λt would make the first steps enormous.
  const offset = 1 / lambda;
  const negatives = set.negatives;
  const positives = set.positives;
  for (let step = 1; step <= steps; step += 1) {
    const positive = random() < 0.5;
    const pool = positive
      ? positives
      : dismissed.length > 0 && (negatives.length === 0 || random() < dismissedShare)
        ? dismissed
        : negatives;
    const example = pool[Math.floor(random() * pool.length)] as SparseVector;
    const ids = example.ids;
    const values = example.values;
    const label = positive ? 1 : -1;
    const eta = 1 / (lambda * (step + offset));
    let margin = 0;
    for (let index = 0; index < ids.length; index += 1) {
      margin += (weights[ids[index] as number] as number) * (values[index] as number);
    }
    margin = scale * margin + bias;
    // d(log-loss)/d(margin) for label ±1.
    const gradient = -label * sigmoid(-label * margin);
    scale *= 1 - eta * lambda;
    if (scale < 1e-6) {
      for (let index = 0; index < weights.length; index += 1) {
        weights[index] = (weights[index] as number) * scale;
      }
      scale = 1;
    }
    const update = (eta * gradient) / scale;
    for (let index = 0; index < ids.length; index += 1) {
      const feature = ids[index] as number;
      weights[feature] = (weights[feature] as number) - update * (values[index] as number);
    }
    bias -= eta * gradient * 0.1;
  }
  for (let index = 0; index < weights.length; index += 1) {
    weights[index] = (weights[index] ?? 0) * scale;
  }
  return { weights, bias };
}

/** One feature's pull on a score. */
export interface Contribution {
  /** A word, a two-word phrase, or an author (`a:` prefix). */
  feature: string;
  weight: number;
}

/**
 * The features of a paper that raised its score most. Hashing forgets feature names, so the
 * paper's own text is re-read to name them (cheap: only done for entries shown as relevant).
 */
export function topContributions(
  model: LinearModel,
  paper: PaperText,
  idf: Float32Array,
  limit = 5,
): Contribution[] {
  const counts = featureCounts(paper);
  const byId = new Map<number, { feature: string; count: number }>();
  let norm = 0;
  const perId = new Map<number, number>();
  for (const [feature, count] of counts) {
    const id = hashFeature(feature);
    perId.set(id, (perId.get(id) ?? 0) + count);
    const seen = byId.get(id);
    // When two features collide, name the bucket after the more frequent one.
    if (!seen || count > seen.count) byId.set(id, { feature, count });
  }
  for (const [id, count] of perId) {
    const value = (1 + Math.log(count)) * (idf[id] ?? 0);
    norm += value * value;
  }
  const scale = norm > 0 ? 1 / Math.sqrt(norm) : 0;
  const contributions: Contribution[] = [];
  for (const [id, count] of perId) {
    const value = (1 + Math.log(count)) * (idf[id] ?? 0) * scale;
    const weight = value * (model.weights[id] ?? 0);
    const name = byId.get(id)?.feature;
    if (weight > 0 && name) contributions.push({ feature: name, weight });
  }
  contributions.sort((a, b) => b.weight - a.weight);
  // A phrase and its own words say the same thing: keep the phrase, skip words it already shows.
  const shown: Contribution[] = [];
  for (const contribution of contributions) {
    const redundant = shown.some((other) =>
      other.feature.split(' ').includes(contribution.feature),
    );
    if (!redundant) shown.push(contribution);
    if (shown.length >= limit) break;
  }
  return shown;
}

/** Decision values that map to the two highlight strengths (see `calibratedScore`). */
export interface Calibration {
  weak: number;
  strong: number;
}

/** Share of the index above which a paper is highlighted weakly / strongly. */
export const WEAK_QUANTILE = 0.95;
export const STRONG_QUANTILE = 0.99;
/** Least decision margin (log-odds) between "no evidence", weak and strong. */
const MIN_EVIDENCE = 0.25;

function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return 0;
  const position = q * (sorted.length - 1);
  const below = Math.floor(position);
  const low = sorted[below] ?? 0;
  const high = sorted[Math.min(sorted.length - 1, below + 1)] ?? low;
  return low + (high - low) * (position - below);
}

/**
 * Calibrates a model against papers of the index it was not trained on: a paper scoring above
 * 95% of them is "relevant" (score 0.5), above 99% "strongly relevant" (0.75). A raw logistic
 * probability does not transfer between tags: with ten tagged papers the held-out positives all
 * sit below 0.2, with a hundred most sit above 0.5 (docs/relevance.md).
 */
export function calibrate(model: LinearModel, others: readonly SparseVector[]): Calibration {
  const decisions = others.map((vector) => dot(model.weights, vector) + model.bias);
  decisions.sort((a, b) => a - b);
  // Papers sharing no feature with the model all score exactly the bias; in a small or unrelated
  // index they can fill the top 5%, and must still not count as relevant.
  const weak = Math.max(quantile(decisions, WEAK_QUANTILE), model.bias + MIN_EVIDENCE);
  const strong = Math.max(quantile(decisions, STRONG_QUANTILE), weak + MIN_EVIDENCE);
  return { weak, strong };
}

/**
 * A score in [0, 1]: the larger of the model's own probability and the index-relative score
 * (0.5 at the weak threshold, 0.75 at the strong one). The probability alone is precise but
 * timid with few tagged papers; the index-relative score alone caps a tag that covers a large
 * share of the index at its top 5%. Together they keep most of the precision of the first and
 * the recall of the second (docs/relevance.md).
 */
export function calibratedScore(decision: number, calibration: Calibration): number {
  const width = (calibration.strong - calibration.weak) / Math.log(3);
  // The sigmoid of the larger argument, not the larger of two sigmoids: the same value (the
  // sigmoid is monotonic) for one `exp` instead of two, on every model of every page entry.
  return sigmoid(Math.max(decision, (decision - calibration.weak) / width));
}

export function decision(model: LinearModel, vector: SparseVector): number {
  return dot(model.weights, vector) + model.bias;
}

/**
 * Models and IDF laid out for scoring many entries. Scoring a page is bound by memory, not
 * arithmetic: each term of an entry reads the table at a random place. So all a term needs sits in
 * one row of bytes, [IDF, model 1 weight, model 2 weight, …], 8-bit quantized: 7 B per feature for
 * six models, 450 KB in all, which stays in a core's L2 cache (Float32 weights plus a separate
 * IDF array were 1.8 MB and measured three times slower per page).
 */
export interface ScoringTable {
  rows: Int8Array;
  stride: number;
  /** Per model: the weight one quantization step stands for. */
  scales: Float64Array;
  biases: Float64Array;
}

/**
 * Models a pass over an entry's terms scores at once, each summed in a local variable: V8 keeps
 * locals in registers, where a typed-array accumulator costs a load and a store per term and
 * model (the kernel ran ~2× slower that way). A table of more models takes one pass per block.
 */
const LANES = 8;
const laneSums = new Float64Array(LANES);

export function buildScoringTable(models: readonly LinearModel[], idf: Float32Array): ScoringTable {
  const count = models.length;
  const stride = count + 1;
  // LANES − 1 bytes past the last row: the kernel reads a whole block of lanes at every term.
  const rows = new Int8Array(FEATURE_DIM * stride + LANES - 1);
  const scales = new Float64Array(count);
  // IDF × 16 as an unsigned byte (stored signed, read back with `& 0xff`): a uniform scale,
  // which the L2 normalization cancels.
  for (let feature = 0; feature < FEATURE_DIM; feature += 1) {
    rows[feature * stride] = (Math.min(255, Math.round((idf[feature] as number) * 16)) << 24) >> 24;
  }
  // Model by model over plain typed-array loops: this runs on every cold start and retraining.
  for (let index = 0; index < count; index += 1) {
    const weights = (models[index] as LinearModel).weights;
    let largest = 0;
    for (let feature = 0; feature < FEATURE_DIM; feature += 1) {
      const magnitude = Math.abs(weights[feature] as number);
      if (magnitude > largest) largest = magnitude;
    }
    const scale = largest / 127;
    scales[index] = scale;
    if (scale === 0) continue;
    for (let feature = 0, at = 1 + index; feature < FEATURE_DIM; feature += 1, at += stride) {
      rows[at] = Math.round((weights[feature] as number) / scale);
    }
  }
  return { rows, stride, scales, biases: Float64Array.from(models, (model) => model.bias) };
}

/** Every model's decision (log-odds) for one packed vector, in one pass over its terms. */
export function scoreTable(table: ScoringTable, packed: PackedVector): Float64Array {
  const result = new Float64Array(table.scales.length);
  scoreTableInto(table, packed, result, 0);
  return result;
}

/**
 * `scoreTable` written into `out` from `offset` (a page's decisions in one array, no allocation
 * per entry). Each model's sum runs over the terms in order with the same operations as a plain
 * per-model loop, so the decisions are bit for bit those of `scoreTableReference`.
 */
export function scoreTableInto(
  table: ScoringTable,
  packed: PackedVector,
  out: Float64Array,
  offset: number,
): void {
  const { rows, stride, scales, biases } = table;
  const count = scales.length;
  const length = packed.length;
  let norm = 0;
  for (let block = 0; block < count; block += LANES) {
    const first = block === 0;
    const lane = 1 + block;
    let t0 = 0;
    let t1 = 0;
    let t2 = 0;
    let t3 = 0;
    let t4 = 0;
    let t5 = 0;
    let t6 = 0;
    let t7 = 0;
    for (let index = 0; index < length; index += 1) {
      const item = packed[index] as number;
      const base = featureOf(item) * stride;
      const value = sublinearTf(countOf(item)) * ((rows[base] as number) & 0xff);
      if (value === 0) continue;
      if (first) norm += value * value;
      // Lanes past the last model read the next row's bytes (or the padding): summed, never used.
      const at = base + lane;
      t0 += (rows[at] as number) * value;
      t1 += (rows[at + 1] as number) * value;
      t2 += (rows[at + 2] as number) * value;
      t3 += (rows[at + 3] as number) * value;
      t4 += (rows[at + 4] as number) * value;
      t5 += (rows[at + 5] as number) * value;
      t6 += (rows[at + 6] as number) * value;
      t7 += (rows[at + 7] as number) * value;
    }
    const inverse = norm > 0 ? 1 / Math.sqrt(norm) : 0;
    laneSums[0] = t0;
    laneSums[1] = t1;
    laneSums[2] = t2;
    laneSums[3] = t3;
    laneSums[4] = t4;
    laneSums[5] = t5;
    laneSums[6] = t6;
    laneSums[7] = t7;
    const end = Math.min(count, block + LANES);
    for (let model = block; model < end; model += 1) {
      out[offset + model] =
        (laneSums[model - block] as number) * (scales[model] as number) * inverse +
        (biases[model] as number);
    }
  }
}

const sums = new Float64Array(64);

/**
 * The plain form of `scoreTable` (an accumulator array, one model at a time per term): what the
 * fast kernel is tested against.
 */
export function scoreTableReference(table: ScoringTable, packed: PackedVector): Float64Array {
  const { rows, stride, scales, biases } = table;
  const count = scales.length;
  const totals = count <= sums.length ? sums.fill(0, 0, count) : new Float64Array(count);
  let norm = 0;
  for (let index = 0; index < packed.length; index += 1) {
    const item = packed[index] as number;
    const base = featureOf(item) * stride;
    const value = sublinearTf(countOf(item)) * ((rows[base] as number) & 0xff);
    if (value === 0) continue;
    norm += value * value;
    for (let model = 0; model < count; model += 1) {
      totals[model] = (totals[model] as number) + (rows[base + 1 + model] as number) * value;
    }
  }
  const inverse = norm > 0 ? 1 / Math.sqrt(norm) : 0;
  const result = new Float64Array(count);
  for (let model = 0; model < count; model += 1) {
    result[model] =
      (totals[model] as number) * (scales[model] as number) * inverse + (biases[model] as number);
  }
  return result;
}
