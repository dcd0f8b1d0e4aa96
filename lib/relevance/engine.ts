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
  FEATURE_DIM,
} from './features';
import {
  calibrate,
  calibratedScore,
  seededRandom,
  buildScoringTable,
  scoreTable,
  scoreTableInto,
  type ScoringTable,
  topContributions,
  trainLogistic,
  weigh,
  type Calibration,
  type LinearModel,
  type SparseVector,
} from './model';
import { evaluateRule, parseRule, ruleScore, ruleSubject, type RuleNode } from './rules';
import { textFingerprint, type ChunkStorage, type StoredVector, type VectorStore } from './store';
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

/** 2: models over the 2^16 feature space (format 1 was 2^18, and is retrained). */
const FORMAT = 2;
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
  /** Named on demand (options page): naming re-reads the tag's papers, which training skips. */
  topWords?: string[];
}

interface StoredModels {
  format: number;
  librarySignature: string;
  storeSize: number;
  keys: string[];
}

/** One class's score for an entry while it is being scored. */
interface Scored {
  key: string;
  tag: string | undefined;
  color: string;
  /** The model's calibrated score, then combined with the rule's. */
  model: number;
  rule: number;
  classModel: ClassModel | undefined;
}

interface ClassItem {
  key: string;
  tag?: string;
  color: string;
  papers: SavedPaper[];
}

interface TrainingData {
  saved: Map<string, { packed: PackedVector; vector: SparseVector }>;
  dismissed: SparseVector[];
  negatives: SparseVector[];
  calibration: SparseVector[];
}

interface CompiledInterest {
  interest: Interest;
  rule: RuleNode;
  /** Literal fragments of which at least one must occur in the lower-cased text to match. */
  needles: string[];
  /** The needles as one case-insensitive pattern, tested field by field (no lower-cased copy). */
  needlePattern: RegExp;
}

/** A class an entry is scored for: a model's, or that of stated interests no model covers. */
interface ScoringClass {
  key: string;
  tag: string | undefined;
  color: string;
  classModel: ClassModel | undefined;
}

/** What scoring a page needs, built once per change of the models, interests or IDF. */
interface ScoringPlan {
  models: readonly ClassModel[];
  interests: readonly CompiledInterest[];
  idf: Float32Array;
  table: ScoringTable;
  /** The models' classes, then the interests' classes that no model covers. */
  classes: ScoringClass[];
  /** Per compiled interest, the index of its class in `classes`. */
  interestClass: Int32Array;
}

// eslint-disable-next-line no-control-regex -- ASCII check: only then is the prefilter exact
const ASCII_TEXT = /^[\x00-\x7f]*$/;
const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

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
    const needlePattern = new RegExp(
      needles.length > 0 ? needles.map(escapeRegExp).join('|') : '(?!)',
      'i',
    );
    return [{ interest, rule: parsed.rule, needles, needlePattern }];
  });
}

/** Whether any field of the text contains one of the needles (any case). */
function mentions(text: ScoreEntry['text'], pattern: RegExp): boolean {
  if (pattern.test(text.title)) return true;
  if (text.abstract !== undefined && pattern.test(text.abstract)) return true;
  for (const author of text.authors ?? []) if (pattern.test(author)) return true;
  for (const category of text.categories ?? []) if (pattern.test(category)) return true;
  return text.venue !== undefined && pattern.test(text.venue);
}

function isAsciiText(text: ScoreEntry['text']): boolean {
  if (!ASCII_TEXT.test(text.title)) return false;
  if (text.abstract !== undefined && !ASCII_TEXT.test(text.abstract)) return false;
  for (const author of text.authors ?? []) if (!ASCII_TEXT.test(author)) return false;
  for (const category of text.categories ?? []) if (!ASCII_TEXT.test(category)) return false;
  return text.venue === undefined || ASCII_TEXT.test(text.venue);
}

/**
 * A class's positives as an inverted index in flat arrays: the postings of feature f are
 * `who`/`weights` from `starts[f]` to `starts[f + 1]`, in ascending positive order. A Map of
 * per-feature lists cost a hash look-up per term of every explained entry.
 */
interface Postings {
  starts: Uint32Array;
  who: Uint16Array;
  weights: Float32Array;
}

function buildPostings(positives: readonly Positive[], idf: Float32Array): Postings {
  const weighted = positives.map((positive) => weigh(positive.vector, idf));
  const starts = new Uint32Array(FEATURE_DIM + 1);
  for (const vector of weighted)
    for (const feature of vector.ids) starts[feature + 1] = (starts[feature + 1] as number) + 1;
  for (let feature = 0; feature < FEATURE_DIM; feature += 1)
    starts[feature + 1] = (starts[feature + 1] as number) + (starts[feature] as number);
  const total = starts[FEATURE_DIM] as number;
  const who = new Uint16Array(total);
  const weights = new Float32Array(total);
  const next = starts.slice(0, FEATURE_DIM);
  weighted.forEach((vector, owner) => {
    vector.ids.forEach((feature, index) => {
      const at = next[feature] as number;
      who[at] = owner;
      weights[at] = vector.values[index] as number;
      next[feature] = at + 1;
    });
  });
  return { starts, who, weights };
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
    if (stored?.format !== FORMAT) {
      // An older build's models (another feature space): dropped, and retrained on refresh.
      if (stored && Array.isArray(stored.keys)) await this.meta.delete(stored.keys.map(modelKey));
      return;
    }
    const models = await this.meta.getMany(stored.keys.map(modelKey));
    stored.keys.forEach((key, index) => {
      const model = models[index] as ClassModel | undefined;
      if (model?.model.weights.length === FEATURE_DIM) this.models.set(key, model);
    });
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
    this.savedTexts = new Map(snapshot.saved.map((paper) => [paper.id, snapshotText(paper)]));
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

  /** The saved papers' text (for naming a model's top words). */
  private savedTexts = new Map<string, PaperText>();

  private textsOf(model: ClassModel): PaperText[] {
    return model.positives.map(
      (positive) => this.savedTexts.get(positive.id) ?? { title: positive.title },
    );
  }

  private readonly textVectors = new Map<string, { fingerprint: number; vector: PackedVector }>();

  /**
   * Vectors of papers by id: the stored one if the index holds the paper (and it was computed
   * with an abstract, or `text` has none either), else one from `text`, kept for the next training.
   */
  private async vectorsOf(
    papers: readonly { id: string; text: PaperText | undefined }[],
  ): Promise<Map<string, PackedVector>> {
    const stored = await this.store.vectors(papers.map((paper) => paper.id));
    const vectors = new Map<string, PackedVector>();
    for (const { id, text } of papers) {
      const row = stored.get(id);
      if (row && (row.hasAbstract || !text?.abstract)) {
        vectors.set(id, row.vector);
        continue;
      }
      if (!text) {
        if (row) vectors.set(id, row.vector);
        continue;
      }
      const fingerprint = textFingerprint(text);
      const cached = this.textVectors.get(id);
      if (cached?.fingerprint === fingerprint) {
        vectors.set(id, cached.vector);
        continue;
      }
      const vector = vectorize(text);
      this.textVectors.set(id, { fingerprint, vector });
      vectors.set(id, vector);
    }
    return vectors;
  }

  private async train(snapshot: LibrarySnapshot, force: boolean): Promise<void> {
    const dismissedKey = hashText(
      snapshot.dismissed
        .map((row) => row.id)
        .sort()
        .join('\n'),
    );
    const classes: ClassItem[] = [];
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
    const stale: { item: ClassItem; signature: string }[] = [];
    for (const item of classes) {
      const ids = item.papers.map((paper) => paper.id).sort();
      const signature = hashText(`${ids.join('\n')}|${dismissedKey}`);
      const previous = this.models.get(item.key);
      if (previous && previous.signature === signature && !force) {
        previous.color = item.color; // A colour change needs no training.
        continue;
      }
      stale.push({ item, signature });
    }
    this.modelsVersion += 1; // colours may have changed even when no model was retrained
    if (stale.length === 0) return;
    const shared = await this.trainingData(snapshot, dismissedKey);
    const updates: { key: string; value: unknown }[] = [];
    for (const { item, signature } of stale) {
      const model = this.trainClass(item, shared, signature, this.models.get(item.key));
      this.models.set(item.key, model);
      updates.push({ key: modelKey(item.key), value: model });
    }
    this.modelsVersion += 1;
    await this.meta.put(updates);
  }

  /**
   * What every class's training shares, read once per refresh: the weighted vectors of saved and
   * dismissed papers, and one random sample of the index (negatives and calibration papers).
   */
  private async trainingData(snapshot: LibrarySnapshot, seed: string): Promise<TrainingData> {
    const idf = this.store.inverseDocumentFrequencies();
    const saved = await this.vectorsOf(
      snapshot.saved.map((paper) => ({ id: paper.id, text: snapshotText(paper) })),
    );
    const dismissedPacked = await this.vectorsOf(
      snapshot.dismissed.map((row) => ({ id: row.id, text: this.dismissedText[row.id] })),
    );
    const exclude = new Set([...saved.keys(), ...this.dismissedIds]);
    const random = seededRandom(Number.parseInt(seed, 36) >>> 0);
    const sample = await this.store.sample(NEGATIVE_SAMPLE + CALIBRATION_SAMPLE, random, exclude);
    // Calibration papers are kept out of training, so their scores are honest.
    const calibrationSize =
      sample.length >= 400 ? Math.min(CALIBRATION_SAMPLE, Math.floor(sample.length / 3)) : 0;
    const weighedSaved = new Map<string, { packed: PackedVector; vector: SparseVector }>();
    for (const [id, packed] of saved) weighedSaved.set(id, { packed, vector: weigh(packed, idf) });
    return {
      saved: weighedSaved,
      dismissed: [...dismissedPacked.values()].map((vector) => weigh(vector, idf)),
      negatives: sample.slice(calibrationSize).map((row) => weigh(row.vector, idf)),
      calibration: sample.slice(0, calibrationSize).map((row) => weigh(row.vector, idf)),
    };
  }

  private trainClass(
    item: ClassItem,
    data: TrainingData,
    signature: string,
    previous: ClassModel | undefined,
  ): ClassModel {
    const positiveIds = new Set(item.papers.map((paper) => paper.id));
    const positives: Positive[] = [];
    const positiveVectors: SparseVector[] = [];
    for (const paper of item.papers) {
      const row = data.saved.get(paper.id);
      if (!row) continue;
      positives.push({ id: paper.id, title: paper.snapshot.title, vector: row.packed });
      positiveVectors.push(row.vector);
    }
    // Saved papers outside this tag are negatives too (arxiv-sanity: every other paper is).
    const negatives = [...data.negatives];
    for (const [id, row] of data.saved) if (!positiveIds.has(id)) negatives.push(row.vector);
    const model = trainLogistic(
      { positives: positiveVectors, negatives, dismissed: data.dismissed },
      {
        seed: Number.parseInt(signature, 36) >>> 0,
        ...(previous ? { warmStart: previous.model, steps: 5000 } : {}),
      },
    );
    return {
      key: item.key,
      ...(item.tag !== undefined ? { tag: item.tag } : {}),
      color: item.color,
      model,
      calibration: calibrate(model, data.calibration.length > 0 ? data.calibration : negatives),
      signature,
      positives: positives.slice(0, NEAREST_CANDIDATES),
      negatives: negatives.length,
      dismissed: data.dismissed.length,
      trainedAt: this.now(),
    };
  }

  private topWords(model: LinearModel, papers: readonly PaperText[]): string[] {
    const names = new Map<number, string>();
    for (const paper of papers.slice(0, 300)) {
      for (const feature of featureCounts(paper).keys()) {
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

  /**
   * Scores entries; entries with no signal at all (no models, no interests) get no relevance.
   * The hot path of every page: one pass over each entry's terms for every model at once, and
   * no per-class objects. A relevant entry with an id gets its words and nearest saved paper
   * later, when its hover card asks (`explain`, `reasons.deferred`); only entries without an id,
   * which nothing could ask about later, are explained here (at most EXPLAINED_PER_LOOKUP).
   */
  async score(entries: readonly ScoreEntry[]): Promise<Map<number, EntryRelevance>> {
    await this.prepare();
    const results = new Map<number, EntryRelevance>();
    if (this.models.size === 0 && this.interests.length === 0) return results;
    const plan = this.plan();
    const { models, classes, table, idf } = plan;
    const modelCount = models.length;
    const classCount = classes.length;
    const stored = await this.store.vectors(
      entries.flatMap((entry) => (entry.id ? [entry.id] : [])),
    );
    const decisions = new Float64Array(modelCount);
    // Per class: the model's calibrated score, then combined with the rule's.
    const scores = new Float64Array(classCount);
    const rules = new Float64Array(classCount);
    // The classes an entry is scored for (every model's, then interests' classes it matched) in
    // the order scores tie in, then sorted best first.
    const order = new Int32Array(classCount);
    let explained = 0;
    for (const entry of entries) {
      const row = entry.id !== undefined ? stored.get(entry.id) : undefined;
      const useStored = row !== undefined && (row.hasAbstract || !entry.text.abstract);
      const packed = useStored ? row.vector : vectorize(entry.text);
      const titleOnly = useStored ? !row.hasAbstract : !entry.text.abstract;
      scoreTableInto(table, packed, decisions, 0);
      for (let model = 0; model < modelCount; model += 1) {
        scores[model] = calibratedScore(
          decisions[model] as number,
          (models[model] as ClassModel).calibration,
        );
        order[model] = model;
      }
      let included = modelCount;
      let interestTerms: string[];
      if (plan.interests.length > 0) {
        rules.fill(0);
        for (let slot = modelCount; slot < classCount; slot += 1) scores[slot] = 0;
        const matched = this.matchInterests(entry, plan, rules, order, included);
        interestTerms = matched.terms;
        included = matched.included;
        for (let at = 0; at < included; at += 1) {
          const slot = order[at] as number;
          scores[slot] = 1 - (1 - (scores[slot] as number)) * (1 - (rules[slot] as number));
        }
      } else interestTerms = [];
      // Best first; an insertion sort is stable, so ties keep the order above.
      for (let at = 1; at < included; at += 1) {
        const slot = order[at] as number;
        const value = scores[slot] as number;
        let to = at;
        while (to > 0 && (scores[order[to - 1] as number] as number) < value) {
          order[to] = order[to - 1] as number;
          to -= 1;
        }
        order[to] = slot;
      }
      // A relevant tag beats the library as a whole: its colour says which interest it serves.
      let best = included > 0 ? (order[0] as number) : -1;
      for (let at = 0; at < included; at += 1) {
        const slot = order[at] as number;
        if (classes[slot]?.tag !== undefined && levelOf(scores[slot] as number) !== 'none') {
          best = slot;
          break;
        }
      }
      const bestClass = best >= 0 ? classes[best] : undefined;
      const dismissed = entry.id !== undefined && this.dismissedIds.has(entry.id);
      const score = dismissed || best < 0 ? 0 : (scores[best] as number);
      const tags: TagScore[] = [];
      for (let at = 0; at < included; at += 1) {
        const slot = order[at] as number;
        const item = classes[slot] as ScoringClass;
        tags.push(
          item.tag !== undefined
            ? { tag: item.tag, color: item.color, score: scores[slot] as number }
            : { color: item.color, score: scores[slot] as number },
        );
      }
      const level = levelOf(score);
      const relevance: EntryRelevance = {
        score,
        level,
        color: bestClass?.color ?? LIBRARY_COLOR,
        reasons: { interestTerms, words: [], titleOnly },
        tags,
      };
      if (bestClass?.tag !== undefined) relevance.tag = bestClass.tag;
      if (dismissed) relevance.dismissed = true;
      if (bestClass && level !== 'none') {
        if (entry.id !== undefined) relevance.reasons.deferred = true;
        else if (explained < EXPLAINED_PER_LOOKUP) {
          explained += 1;
          // The model that explains best: the winning class's, or else the strongest model.
          let model = bestClass.classModel;
          for (let at = 0; !model && at < included; at += 1)
            model = classes[order[at] as number]?.classModel;
          if (model) this.addReasons(relevance, entry, packed, model, idf, 4);
        }
      }
      results.set(entry.ref, relevance);
    }
    return results;
  }

  /**
   * Applies the stated interests to one entry: the rule score of each matched interest's class
   * goes into `rules`, a class no model covers is appended to `order` (from `included`) when
   * first matched; returns the matched terms and the new count of classes in `order`.
   */
  private matchInterests(
    entry: ScoreEntry,
    plan: ScoringPlan,
    rules: Float64Array,
    order: Int32Array,
    included: number,
  ): { terms: string[]; included: number } {
    const terms: string[] = [];
    const text = entry.text;
    let ascii: boolean | undefined;
    let subject: ReturnType<typeof ruleSubject> | null = null;
    plan.interests.forEach((compiled, index) => {
      if (!mentions(text, compiled.needlePattern)) {
        ascii ??= isAsciiText(text);
        if (ascii) return;
      }
      subject ??= ruleSubject(text);
      const match = evaluateRule(compiled.rule, subject);
      if (!match.matched) return;
      for (const term of match.terms) if (!terms.includes(term.term)) terms.push(term.term);
      const slot = plan.interestClass[index] as number;
      if (slot >= plan.models.length && rules[slot] === 0) {
        order[included] = slot;
        included += 1;
      }
      rules[slot] = Math.max(rules[slot] as number, ruleScore(match));
    });
    return { terms, included };
  }

  private scoringPlan: ScoringPlan | null = null;

  /** The scoring table and the classes of the current models and interests (cached). */
  private plan(): ScoringPlan {
    const models = this.modelList();
    const idf = this.store.inverseDocumentFrequencies();
    const current = this.scoringPlan;
    if (current?.models === models && current.idf === idf && current.interests === this.interests)
      return current;
    const table =
      current?.models === models && current.idf === idf
        ? current.table
        : buildScoringTable(
            models.map((model) => model.model),
            idf,
          );
    const classes: ScoringClass[] = models.map((model) => ({
      key: model.key,
      tag: model.tag,
      color: model.color,
      classModel: model,
    }));
    const interestClass = new Int32Array(this.interests.length);
    this.interests.forEach((compiled, index) => {
      const tag =
        compiled.interest.tag !== undefined ? this.tags.get(compiled.interest.tag) : undefined;
      const key = tag ? `tag:${tag.name}` : INTERESTS_CLASS;
      let slot = classes.findIndex((item) => item.key === key);
      if (slot < 0) {
        slot = classes.length;
        classes.push({
          key,
          tag: tag?.name,
          color: tag?.color ?? INTERESTS_COLOR,
          classModel: undefined,
        });
      }
      interestClass[index] = slot;
    });
    this.scoringPlan = { models, interests: this.interests, idf, table, classes, interestClass };
    return this.scoringPlan;
  }

  /**
   * One entry with full reasons (for the hover card). Entry by entry, with an object per class:
   * the plain form of what `score` computes for a whole page (tests hold the two to the same
   * results).
   */
  async explain(entry: ScoreEntry): Promise<EntryRelevance | null> {
    await this.prepare();
    if (this.models.size === 0 && this.interests.length === 0) return null;
    const row =
      entry.id !== undefined ? (await this.store.vectors([entry.id])).get(entry.id) : undefined;
    const idf = this.store.inverseDocumentFrequencies();
    return this.scoreOne(entry, row, this.modelList(), idf, true, 8);
  }

  private scoreOne(
    entry: ScoreEntry,
    stored: StoredVector | undefined,
    models: readonly ClassModel[],
    idf: Float32Array,
    explain: boolean,
    wordLimit = 4,
  ): EntryRelevance {
    const useStored = stored && (stored.hasAbstract || !entry.text.abstract);
    const packed = useStored ? stored.vector : vectorize(entry.text);
    const titleOnly = useStored ? !stored.hasAbstract : !entry.text.abstract;
    const decisions = this.decisions(packed);
    const scored: Scored[] = [];
    for (let index = 0; index < models.length; index += 1) {
      const model = models[index] as ClassModel;
      scored.push({
        key: model.key,
        tag: model.tag,
        color: model.color,
        model: calibratedScore(decisions[index] as number, model.calibration),
        rule: 0,
        classModel: model,
      });
    }
    const interestTerms =
      this.interests.length > 0 ? this.applyInterests(entry, scored) : ([] as string[]);
    for (const item of scored) item.model = 1 - (1 - item.model) * (1 - item.rule);
    scored.sort((a, b) => b.model - a.model);
    // A relevant tag beats the library as a whole: its colour says which interest it serves.
    const best =
      scored.find((item) => item.tag !== undefined && levelOf(item.model) !== 'none') ?? scored[0];
    const dismissed = entry.id !== undefined && this.dismissedIds.has(entry.id);
    const score = dismissed ? 0 : (best?.model ?? 0);
    const relevance: EntryRelevance = {
      score,
      level: levelOf(score),
      color: best?.color ?? LIBRARY_COLOR,
      reasons: { interestTerms, words: [], titleOnly },
      tags: scored.map((item): TagScore =>
        item.tag !== undefined
          ? { tag: item.tag, color: item.color, score: item.model }
          : { color: item.color, score: item.model },
      ),
    };
    if (best?.tag !== undefined) relevance.tag = best.tag;
    if (dismissed) relevance.dismissed = true;
    if (explain && best && levelOf(score) !== 'none') {
      // The model that explains best: the winning class's, or else the strongest model.
      const model = best.classModel ?? scored.find((item) => item.classModel)?.classModel;
      if (model) this.addReasons(relevance, entry, packed, model, idf, wordLimit);
    }
    return relevance;
  }

  /** Adds the matched interests' scores to `scored`; returns the matched terms. */
  private applyInterests(entry: ScoreEntry, scored: Scored[]): string[] {
    const interestTerms: string[] = [];
    const text = entry.text;
    const haystack =
      `${text.title} ${text.abstract ?? ''} ${(text.authors ?? []).join(' ')} ${(text.categories ?? []).join(' ')} ${text.venue ?? ''}`.toLowerCase();
    // eslint-disable-next-line no-control-regex -- ASCII check: only then is the prefilter exact
    const ascii = /^[\x00-\x7f]*$/.test(haystack);
    let subject: ReturnType<typeof ruleSubject> | null = null;
    for (const compiled of this.interests) {
      if (ascii && !compiled.needles.some((needle) => haystack.includes(needle))) continue;
      subject ??= ruleSubject(text);
      const match = evaluateRule(compiled.rule, subject);
      if (!match.matched) continue;
      for (const term of match.terms)
        if (!interestTerms.includes(term.term)) interestTerms.push(term.term);
      const tag =
        compiled.interest.tag !== undefined ? this.tags.get(compiled.interest.tag) : undefined;
      const key = tag ? `tag:${tag.name}` : INTERESTS_CLASS;
      let current = scored.find((item) => item.key === key);
      if (!current) {
        current = {
          key,
          tag: tag?.name,
          color: tag?.color ?? INTERESTS_COLOR,
          model: 0,
          rule: 0,
          classModel: undefined,
        };
        scored.push(current);
      }
      current.rule = Math.max(current.rule, ruleScore(match));
    }
    return interestTerms;
  }

  /**
   * The words that raised the score most and the most similar saved paper of the class. A look-up
   * names words from title and authors first, and reads the abstract only if they name none:
   * tokenizing the abstract of every relevant entry of a long page would cost more than scoring
   * the page. A full explanation (the hover card, `wordLimit` > 4) reads everything.
   */
  private addReasons(
    relevance: EntryRelevance,
    entry: ScoreEntry,
    packed: PackedVector,
    model: ClassModel,
    idf: Float32Array,
    wordLimit: number,
  ): void {
    const name = (text: PaperText): string[] =>
      topContributions(model.model, text, idf, wordLimit).map((item) => item.feature);
    const full = entry.text;
    let words =
      wordLimit > 4 || !full.abstract
        ? []
        : name({ title: full.title, authors: full.authors ?? [] });
    if (words.length === 0) words = name(full);
    relevance.reasons.words = words;
    const nearest = this.nearestPositive(model, weigh(packed, idf), idf, entry.id);
    if (nearest && nearest.similarity > 0.05) relevance.reasons.nearest = nearest;
  }

  private readonly postings = new WeakMap<ClassModel, { idf: Float32Array; postings: Postings }>();

  /**
   * The class's saved paper most similar (cosine) to `vector`, through an inverted index of the
   * class's positives: the cost is the postings of the entry's own terms, not positives × terms.
   */
  private nearestPositive(
    model: ClassModel,
    vector: SparseVector,
    idf: Float32Array,
    exceptId: string | undefined,
  ): { id: string; title: string; similarity: number } | undefined {
    let cached = this.postings.get(model);
    if (cached?.idf !== idf) {
      cached = { idf, postings: buildPostings(model.positives, idf) };
      this.postings.set(model, cached);
    }
    const { starts, who: owners, weights } = cached.postings;
    const similarity = new Float64Array(model.positives.length);
    for (let index = 0; index < vector.ids.length; index += 1) {
      const feature = vector.ids[index] as number;
      const end = starts[feature + 1] as number;
      const value = vector.values[index] as number;
      for (let at = starts[feature] as number; at < end; at += 1) {
        const who = owners[at] as number;
        similarity[who] = (similarity[who] as number) + value * (weights[at] as number);
      }
    }
    let best = -1;
    for (let who = 0; who < similarity.length; who += 1) {
      if (model.positives[who]?.id === exceptId) continue;
      if (best < 0 || (similarity[who] as number) > (similarity[best] as number)) best = who;
    }
    const positive = model.positives[best];
    return positive
      ? { id: positive.id, title: positive.title, similarity: similarity[best] as number }
      : undefined;
  }

  /** Every model's decision for one packed vector (see `ScoringTable`). */
  private decisions(packed: PackedVector): Float64Array {
    return scoreTable(this.plan().table, packed);
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
      topWords: (model.topWords ??= this.topWords(model.model, this.textsOf(model))),
    }));
  }
}
