/**
 * The relevance engine of the background: trains one model per tag (and one for the library as a
 * whole) from the user's saved papers, dismissals and stated interests, and scores page entries
 * with reasons. Everything here is derived: models are persisted only to spare a restarted
 * service worker the training, and are retrained whenever the library's signature changes.
 */
import type { Dismissal, SavedPaper, Tag } from '../types';
import {
  featureCounts,
  hashFeature,
  vectorize,
  type PackedVector,
  type PaperText,
  countOf,
  featureOf,
  FEATURE_DIM,
} from './features';
import {
  calibrate,
  calibratedScore,
  cosine,
  seededRandom,
  topContributions,
  trainLogistic,
  weigh,
  type Calibration,
  type LinearModel,
  type SparseVector,
} from './model';
import { evaluateRule, parseRule, ruleScore, ruleSubject, type RuleNode } from './rules';
import type { ChunkStorage, VectorStore } from './store';
import {
  INTERESTS_COLOR,
  levelOf,
  LIBRARY_COLOR,
  type EntryRelevance,
  type Interest,
  type ModelSummary,
  type TagScore,
} from './types';

/** The parts of the library relevance learns from. */
export interface LibrarySnapshot {
  saved: SavedPaper[];
  tags: Tag[];
  dismissed: Dismissal[];
  interests: Interest[];
}

export interface LibraryReader {
  /** Changes whenever anything `read` returns changes; cheap (a few small reads). */
  signature(): Promise<string>;
  read(): Promise<LibrarySnapshot>;
}

/** A page entry to score: its id when known (matched or from a link) and the page's text of it. */
export interface ScoreEntry {
  ref: number;
  id?: string;
  text: PaperText & { categories?: readonly string[]; venue?: string };
}

const FORMAT = 1;
const MODELS_KEY = 'relevance:models';
const DISMISSED_TEXT_KEY = 'relevance:dismissed-text';
const modelKey = (key: string): string => `relevance:model:${key}`;
const LIBRARY_CLASS = 'library';
const INTERESTS_CLASS = 'interests';
const NEGATIVE_SAMPLE = 4000;
const CALIBRATION_SAMPLE = 2000;
const NEAREST_CANDIDATES = 300;
/** Entries per look-up that get full reasons (words, nearest paper): the rest get a score only. */
const EXPLAINED_PER_LOOKUP = 150;
/** Retrain when the index has grown by this factor since (its IDF and negatives changed). */
const REGROWTH = 1.25;

interface Positive {
  id: string;
  title: string;
  vector: PackedVector;
}

interface ClassModel {
  key: string;
  tag?: string;
  color: string;
  model: LinearModel;
  calibration: Calibration;
  signature: string;
  positives: Positive[];
  negatives: number;
  dismissed: number;
  trainedAt: number;
  topWords: string[];
}

interface StoredModels {
  format: number;
  librarySignature: string;
  storeSize: number;
  keys: string[];
}

interface CompiledInterest {
  interest: Interest;
  rule: RuleNode;
  /** Literal fragments of which at least one must occur in the lower-cased text to match. */
  needles: string[];
}

function hashText(text: string): string {
  let hash = 0x811c9dc5;
  for (let index = 0; index < text.length; index += 1) {
    hash ^= text.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0).toString(36);
}

function snapshotText(paper: SavedPaper): PaperText {
  const text: PaperText = { title: paper.snapshot.title, authors: paper.snapshot.authors };
  if (paper.snapshot.abstract) text.abstract = paper.snapshot.abstract;
  return text;
}

function positiveTerms(node: RuleNode, negated = false): string[] {
  if (node.kind === 'term') return negated ? [] : [node.words[0] ?? ''];
  if (node.kind === 'not') return positiveTerms(node.child, !negated);
  return node.children.flatMap((child) => positiveTerms(child, negated));
}

/** Compiles stored interests; rules that no longer parse are skipped. */
export function compileInterests(interests: readonly Interest[]): CompiledInterest[] {
  return interests.flatMap((interest) => {
    const parsed = parseRule(interest.query);
    if (!parsed.ok) return [];
    // Stems and author/category words are prefixes of what the raw text contains ("network" of
    // "networks"); four letters are enough to rule most entries out before tokenizing them.
    const needles = positiveTerms(parsed.rule).map((word) => word.slice(0, 4));
    return [{ interest, rule: parsed.rule, needles }];
  });
}

export class RelevanceEngine {
  private models = new Map<string, ClassModel>();
  private librarySignature: string | null = null;
  private storeSizeAtTraining = 0;
  private loaded: Promise<void> | null = null;
  private refreshing: Promise<void> | null = null;
  private interests: CompiledInterest[] = [];
  private tags = new Map<string, Tag>();
  private dismissedIds = new Set<string>();
  private dismissedText: Record<string, PaperText> = {};

  constructor(
    private readonly store: VectorStore,
    private readonly meta: ChunkStorage,
    private readonly library: LibraryReader,
    private readonly options: { now?: () => number; awaitSyncBelow?: number } = {},
  ) {}

  private now(): number {
    return this.options.now?.() ?? Date.now();
  }

  private load(): Promise<void> {
    this.loaded ??= this.readPersisted();
    return this.loaded;
  }

  private async readPersisted(): Promise<void> {
    await this.store.load();
    this.dismissedText =
      ((await this.meta.get(DISMISSED_TEXT_KEY)) as Record<string, PaperText> | undefined) ?? {};
    const stored = (await this.meta.get(MODELS_KEY)) as StoredModels | undefined;
    if (stored?.format !== FORMAT) return;
    for (const key of stored.keys) {
      const model = (await this.meta.get(modelKey(key))) as ClassModel | undefined;
      if (model) this.models.set(key, model);
    }
    this.modelsVersion += 1;
    this.storeSizeAtTraining = stored.storeSize;
    // The library signature is not trusted across restarts: refresh() compares per-class signatures.
  }

  /**
   * Brings vectors and models up to date: waits for the index sync when it is small (a first
   * import), otherwise lets it run in the background; retrains the tags whose papers changed.
   */
  async prepare(): Promise<void> {
    await this.load();
    const sync = this.store.sync();
    const awaitBelow = this.options.awaitSyncBelow ?? 20_000;
    if (this.store.size < awaitBelow) await sync;
    else sync.catch(() => undefined);
    await this.refresh();
  }

  /** Retrains what changed. Single-flight. */
  refresh(): Promise<void> {
    this.refreshing ??= this.runRefresh().finally(() => {
      this.refreshing = null;
    });
    return this.refreshing;
  }

  private async runRefresh(): Promise<void> {
    await this.load();
    const signature = await this.library.signature();
    const grown = this.store.size > Math.max(50, this.storeSizeAtTraining * REGROWTH);
    if (signature === this.librarySignature && !grown) return;
    const snapshot = await this.library.read();
    this.interests = compileInterests(snapshot.interests);
    this.tags = new Map(snapshot.tags.map((tag) => [tag.name, tag]));
    this.dismissedIds = new Set(snapshot.dismissed.map((row) => row.id));
    await this.train(snapshot, grown);
    this.librarySignature = signature;
    this.storeSizeAtTraining = this.store.size;
    await this.meta.put([
      {
        key: MODELS_KEY,
        value: {
          format: FORMAT,
          librarySignature: signature,
          storeSize: this.store.size,
          keys: [...this.models.keys()],
        } satisfies StoredModels,
      },
    ]);
  }

  private vectorOf(id: string, text: PaperText | undefined): PackedVector | undefined {
    const stored = this.store.get(id);
    if (stored && (stored.hasAbstract || !text?.abstract)) return stored.vector;
    return text ? vectorize(text) : stored?.vector;
  }

  private async train(snapshot: LibrarySnapshot, force: boolean): Promise<void> {
    const idf = this.store.inverseDocumentFrequencies();
    const dismissedVectors: SparseVector[] = [];
    for (const row of snapshot.dismissed) {
      const vector = this.vectorOf(row.id, this.dismissedText[row.id]);
      if (vector) dismissedVectors.push(weigh(vector, idf));
    }
    const dismissedKey = hashText(
      snapshot.dismissed
        .map((row) => row.id)
        .sort()
        .join('\n'),
    );
    const classes: { key: string; tag?: string; color: string; papers: SavedPaper[] }[] = [];
    if (snapshot.saved.length > 0) {
      classes.push({ key: LIBRARY_CLASS, color: LIBRARY_COLOR, papers: snapshot.saved });
    }
    for (const tag of snapshot.tags) {
      const papers = snapshot.saved.filter((paper) => paper.tags.includes(tag.name));
      if (papers.length > 0)
        classes.push({ key: `tag:${tag.name}`, tag: tag.name, color: tag.color, papers });
    }
    const wanted = new Set(classes.map((item) => item.key));
    const removed = [...this.models.keys()].filter((key) => !wanted.has(key));
    for (const key of removed) this.models.delete(key);
    if (removed.length > 0) await this.meta.delete(removed.map(modelKey));
    const updates: { key: string; value: unknown }[] = [];
    for (const item of classes) {
      const ids = item.papers.map((paper) => paper.id).sort();
      const signature = hashText(`${ids.join('\n')}|${dismissedKey}`);
      const previous = this.models.get(item.key);
      if (previous && previous.signature === signature && !force) {
        previous.color = item.color; // A colour change needs no training.
        continue;
      }
      const model = this.trainClass(item, snapshot, dismissedVectors, signature, previous);
      this.models.set(item.key, model);
      updates.push({ key: modelKey(item.key), value: model });
    }
    this.modelsVersion += 1; // colours may have changed even when no model was retrained
    if (updates.length > 0) await this.meta.put(updates);
  }

  private trainClass(
    item: { key: string; tag?: string; color: string; papers: SavedPaper[] },
    snapshot: LibrarySnapshot,
    dismissed: SparseVector[],
    signature: string,
    previous: ClassModel | undefined,
  ): ClassModel {
    const idf = this.store.inverseDocumentFrequencies();
    const random = seededRandom(Number.parseInt(signature, 36) >>> 0);
    const positiveIds = new Set(item.papers.map((paper) => paper.id));
    const positives: Positive[] = item.papers.flatMap((paper) => {
      const vector = this.vectorOf(paper.id, snapshotText(paper));
      return vector ? [{ id: paper.id, title: paper.snapshot.title, vector }] : [];
    });
    const exclude = new Set([...positiveIds, ...this.dismissedIds]);
    // Calibration papers are kept out of training, so their scores are honest.
    const sample = this.store.sample(NEGATIVE_SAMPLE + CALIBRATION_SAMPLE, random, exclude);
    const calibrationSize =
      sample.length >= 400 ? Math.min(CALIBRATION_SAMPLE, Math.floor(sample.length / 3)) : 0;
    const calibrationSet = sample.slice(0, calibrationSize);
    const negatives = sample.slice(calibrationSize).map((row) => weigh(row.vector, idf));
    // Saved papers outside this tag are negatives too (arxiv-sanity: every other paper is).
    for (const paper of snapshot.saved) {
      if (positiveIds.has(paper.id)) continue;
      const vector = this.vectorOf(paper.id, snapshotText(paper));
      if (vector) negatives.push(weigh(vector, idf));
    }
    const positiveVectors = positives.map((positive) => weigh(positive.vector, idf));
    const model = trainLogistic(
      { positives: positiveVectors, negatives, dismissed },
      {
        seed: Number.parseInt(signature, 36) >>> 0,
        ...(previous ? { warmStart: previous.model, steps: 5000 } : {}),
      },
    );
    const others =
      calibrationSet.length > 0 ? calibrationSet.map((row) => weigh(row.vector, idf)) : negatives;
    return {
      key: item.key,
      ...(item.tag !== undefined ? { tag: item.tag } : {}),
      color: item.color,
      model,
      calibration: calibrate(model, others),
      signature,
      positives: positives.slice(0, NEAREST_CANDIDATES),
      negatives: negatives.length,
      dismissed: dismissed.length,
      trainedAt: this.now(),
      topWords: this.topWords(model, item.papers),
    };
  }

  private topWords(model: LinearModel, papers: readonly SavedPaper[]): string[] {
    const names = new Map<number, string>();
    for (const paper of papers.slice(0, 300)) {
      for (const feature of featureCounts(snapshotText(paper)).keys()) {
        names.set(hashFeature(feature), feature);
      }
    }
    return [...names.entries()]
      .map(([id, feature]) => ({ feature, weight: model.weights[id] ?? 0 }))
      .filter((item) => item.weight > 0)
      .sort((a, b) => b.weight - a.weight)
      .slice(0, 8)
      .map((item) => item.feature);
  }

  /** Remembers a dismissed page paper's text, so it can be a negative even if not indexed. */
  async rememberDismissed(id: string, text: PaperText): Promise<void> {
    await this.load();
    this.dismissedText = { ...this.dismissedText, [id]: text };
    await this.meta.put([{ key: DISMISSED_TEXT_KEY, value: this.dismissedText }]);
  }

  /** Scores entries; entries with no signal at all (no models, no interests) get no relevance. */
  async score(entries: readonly ScoreEntry[]): Promise<Map<number, EntryRelevance>> {
    await this.prepare();
    const results = new Map<number, EntryRelevance>();
    if (this.models.size === 0 && this.interests.length === 0) return results;
    const idf = this.store.inverseDocumentFrequencies();
    const models = this.modelList();
    let explained = 0;
    for (const entry of entries) {
      const relevance = this.scoreOne(entry, models, idf, explained < EXPLAINED_PER_LOOKUP);
      if (relevance.level !== 'none') explained += 1;
      results.set(entry.ref, relevance);
    }
    return results;
  }

  /** One entry with full reasons (for the hover card). */
  async explain(entry: ScoreEntry): Promise<EntryRelevance | null> {
    await this.prepare();
    if (this.models.size === 0 && this.interests.length === 0) return null;
    return this.scoreOne(entry, this.modelList(), this.store.inverseDocumentFrequencies(), true, 8);
  }

  private scoreOne(
    entry: ScoreEntry,
    models: readonly ClassModel[],
    idf: Float32Array,
    explain: boolean,
    wordLimit = 4,
  ): EntryRelevance {
    const stored = entry.id ? this.store.get(entry.id) : undefined;
    const useStored = stored && (stored.hasAbstract || !entry.text.abstract);
    const packed = useStored ? stored.vector : vectorize(entry.text);
    const titleOnly = useStored ? !stored.hasAbstract : !entry.text.abstract;
    const decisions = this.decisions(packed, models, idf);
    const scores = new Map<
      string,
      { tag?: string; color: string; model: number; rule: number; model_?: ClassModel }
    >();
    models.forEach((model, index) => {
      const score = calibratedScore(decisions[index] ?? 0, model.calibration);
      scores.set(model.key, {
        ...(model.tag !== undefined ? { tag: model.tag } : {}),
        color: model.color,
        model: score,
        rule: 0,
        model_: model,
      });
    });
    const interestTerms: string[] = [];
    if (this.interests.length > 0) {
      const haystack =
        `${entry.text.title} ${entry.text.abstract ?? ''} ${(entry.text.authors ?? []).join(' ')} ${(entry.text.categories ?? []).join(' ')} ${entry.text.venue ?? ''}`.toLowerCase();
      // eslint-disable-next-line no-control-regex -- ASCII check: only then is the prefilter exact
      const ascii = /^[\x00-\x7f]*$/.test(haystack);
      let subject: ReturnType<typeof ruleSubject> | null = null;
      for (const compiled of this.interests) {
        if (ascii && !compiled.needles.some((needle) => haystack.includes(needle))) continue;
        subject ??= ruleSubject(entry.text);
        const match = evaluateRule(compiled.rule, subject);
        if (!match.matched) continue;
        for (const term of match.terms)
          if (!interestTerms.includes(term.term)) interestTerms.push(term.term);
        const tag =
          compiled.interest.tag !== undefined ? this.tags.get(compiled.interest.tag) : undefined;
        const key = tag ? `tag:${tag.name}` : INTERESTS_CLASS;
        const current = scores.get(key) ?? {
          ...(tag ? { tag: tag.name } : {}),
          color: tag?.color ?? INTERESTS_COLOR,
          model: 0,
          rule: 0,
        };
        current.rule = Math.max(current.rule, ruleScore(match));
        scores.set(key, current);
      }
    }
    const tags: (TagScore & { model_?: ClassModel })[] = [...scores.values()].map((item) => ({
      ...(item.tag !== undefined ? { tag: item.tag } : {}),
      color: item.color,
      score: 1 - (1 - item.model) * (1 - item.rule),
      ...(item.model_ ? { model_: item.model_ } : {}),
    }));
    tags.sort((a, b) => b.score - a.score);
    // A relevant tag beats the library as a whole: its colour says which interest it serves.
    const best =
      tags.find((item) => item.tag !== undefined && levelOf(item.score) !== 'none') ?? tags[0];
    const dismissed = entry.id !== undefined && this.dismissedIds.has(entry.id);
    const score = dismissed ? 0 : (best?.score ?? 0);
    const relevance: EntryRelevance = {
      score,
      level: levelOf(score),
      ...(best?.tag !== undefined ? { tag: best.tag } : {}),
      color: best?.color ?? LIBRARY_COLOR,
      reasons: { interestTerms, words: [], titleOnly },
      tags: tags.map(({ model_: _model, ...rest }) => rest),
    };
    if (dismissed) relevance.dismissed = true;
    if (explain && best && levelOf(score) !== 'none') {
      // The model that explains best: the winning class's, or else the strongest model.
      const model = best.model_ ?? tags.find((item) => item.model_)?.model_;
      if (model) {
        const vector = weigh(packed, idf);
        relevance.reasons.words = topContributions(model.model, entry.text, idf, wordLimit).map(
          (contribution) => contribution.feature,
        );
        let nearest: { id: string; title: string; similarity: number } | undefined;
        const weighted = this.weightedPositives(model, idf);
        for (const [index, positive] of model.positives.entries()) {
          const other = weighted[index];
          if (positive.id === entry.id || !other) continue;
          const similarity = cosine(vector, other);
          if (!nearest || similarity > nearest.similarity)
            nearest = { id: positive.id, title: positive.title, similarity };
        }
        if (nearest && nearest.similarity > 0.05) relevance.reasons.nearest = nearest;
      }
    }
    return relevance;
  }

  private matrix: { models: readonly ClassModel[]; weights: Float32Array } | null = null;
  private readonly scratchIds = new Uint32Array(4096);
  private readonly scratchValues = new Float32Array(4096);
  private readonly sums = new Float64Array(64);

  /**
   * Every model's decision for one packed vector, in one pass. The models' weights are laid out
   * feature-major (all models' weights of a feature side by side), so each feature of the entry
   * costs one cache line rather than one per model: with dense 1 MB weight vectors, scoring a page
   * is bound by memory, not arithmetic.
   */
  private decisions(
    packed: PackedVector,
    models: readonly ClassModel[],
    idf: Float32Array,
  ): Float64Array {
    const count = models.length;
    if (this.matrix?.models !== models || this.matrix.weights.length !== FEATURE_DIM * count) {
      const weights = new Float32Array(FEATURE_DIM * count);
      models.forEach((model, index) => {
        const source = model.model.weights;
        for (let feature = 0; feature < FEATURE_DIM; feature += 1) {
          weights[feature * count + index] = source[feature] as number;
        }
      });
      this.matrix = { models, weights };
    }
    const weights = this.matrix.weights;
    const length = Math.min(packed.length, this.scratchIds.length);
    const ids = this.scratchIds;
    const values = this.scratchValues;
    let kept = 0;
    let norm = 0;
    for (let index = 0; index < length; index += 1) {
      const item = packed[index] as number;
      const feature = featureOf(item);
      const value = (1 + Math.log(countOf(item))) * (idf[feature] as number);
      if (value === 0) continue;
      ids[kept] = feature;
      values[kept] = value;
      norm += value * value;
      kept += 1;
    }
    const sums = count <= this.sums.length ? this.sums.fill(0, 0, count) : new Float64Array(count);
    const scale = norm > 0 ? 1 / Math.sqrt(norm) : 0;
    for (let index = 0; index < kept; index += 1) {
      const base = (ids[index] as number) * count;
      const value = (values[index] as number) * scale;
      for (let model = 0; model < count; model += 1) {
        sums[model] = (sums[model] as number) + (weights[base + model] as number) * value;
      }
    }
    const result = new Float64Array(count);
    for (let model = 0; model < count; model += 1) {
      result[model] = (sums[model] as number) + (models[model]?.model.bias ?? 0);
    }
    return result;
  }

  private readonly weighted = new WeakMap<
    ClassModel,
    { idf: Float32Array; vectors: SparseVector[] }
  >();

  private weightedPositives(model: ClassModel, idf: Float32Array): SparseVector[] {
    const cached = this.weighted.get(model);
    if (cached?.idf === idf) return cached.vectors;
    const vectors = model.positives.map((positive) => weigh(positive.vector, idf));
    this.weighted.set(model, { idf, vectors });
    return vectors;
  }

  private listed: { source: Map<string, ClassModel>; version: number; list: ClassModel[] } | null =
    null;
  private modelsVersion = 0;

  /** The models as one array that keeps its identity until they change (the matrix cache key). */
  private modelList(): ClassModel[] {
    if (this.listed?.version !== this.modelsVersion) {
      this.listed = {
        source: this.models,
        version: this.modelsVersion,
        list: [...this.models.values()],
      };
    }
    return this.listed.list;
  }

  /** What the options page shows of the trained models. */
  async summaries(): Promise<ModelSummary[]> {
    await this.prepare();
    return [...this.models.values()].map((model) => ({
      key: model.key,
      ...(model.tag !== undefined ? { tag: model.tag } : {}),
      color: model.color,
      positives: model.positives.length,
      negatives: model.negatives,
      dismissed: model.dismissed,
      trainedAt: model.trainedAt,
      topWords: model.topWords,
    }));
  }
}
