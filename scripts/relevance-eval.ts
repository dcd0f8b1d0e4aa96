/**
 * Offline evaluation of relevance ranking (run by `npm run eval:relevance`).
 *
 * Stand-in tags are arXiv categories (primary and cross-lists) and "hf-trending". For each tag
 * and each of several random half/half splits of the labelled pool, the tag's training-half
 * papers are its positives (all of them, or only 10 — "a user who tagged ten papers"), the rest
 * of the training half are negatives, and the test half is ranked. Every paper (both halves and
 * the unlabelled background) is in the index the IDF comes from, as in the extension.
 *
 * Methods compared: the model (TF-IDF + logistic regression, as shipped), keyword-only rules
 * (five keywords per tag picked from the training positives as a well-informed user would, scored
 * by the shipped rule engine: 2 per keyword in the title, 1 in the abstract), the model combined
 * with those rules, and random order.
 */
import {
  contentWords,
  vectorize,
  type PackedVector,
  type PaperText,
} from '../lib/relevance/features';
import { averagePrecision, mean, precisionAt } from '../lib/relevance/metrics';
import {
  documentFrequencies,
  inverseDocumentFrequencies,
  calibrate,
  calibratedScore,
  decision,
  probability,
  seededRandom,
  trainLogistic,
  weigh,
  type SparseVector,
} from '../lib/relevance/model';
import {
  evaluateRule,
  parseRule,
  ruleScore,
  ruleSubject,
  type RuleSubject,
} from '../lib/relevance/rules';
import { loadRelevanceCorpus, type LabelledPaper } from './relevance-corpus';

const SPLITS = 5;
const MIN_POSITIVES = 12;
const KEYWORDS = 5;

export interface MethodResult {
  ap: number;
  p10: number;
}

export interface TagResult {
  tag: string;
  positives: number;
  pool: number;
  methods: Record<string, MethodResult>;
}

export interface EvaluationReport {
  experiment: string;
  papers: number;
  indexSize: number;
  splits: number;
  tags: TagResult[];
  average: Record<string, MethodResult>;
  /** At the shipped thresholds (calibrated score), over every test paper of every tag and split. */
  thresholds: { threshold: number; precision: number; recall: number; flagged: number }[];
}

function shuffle<T>(items: readonly T[], random: () => number): T[] {
  const copy = [...items];
  for (let index = copy.length - 1; index > 0; index -= 1) {
    const other = Math.floor(random() * (index + 1));
    [copy[index], copy[other]] = [copy[other] as T, copy[index] as T];
  }
  return copy;
}

/** The keywords a user who knows the field would write: frequent in the tag, rare outside it. */
function pickKeywords(positives: readonly PaperText[], negatives: readonly PaperText[]): string[] {
  const docFreq = (papers: readonly PaperText[]): Map<string, number> => {
    const counts = new Map<string, number>();
    for (const paper of papers) {
      const tokens = contentWords(`${paper.title} ${paper.abstract ?? ''}`);
      const features = new Set<string>(tokens);
      tokens.forEach((token, index) => {
        const next = tokens[index + 1];
        if (next) features.add(`${token} ${next}`);
      });
      for (const feature of features) counts.set(feature, (counts.get(feature) ?? 0) + 1);
    }
    return counts;
  };
  const pos = docFreq(positives);
  const neg = docFreq(negatives);
  return [...pos.entries()]
    .filter(([, count]) => count >= 2)
    .map(([feature, count]) => ({
      feature,
      score: count / positives.length - (neg.get(feature) ?? 0) / Math.max(1, negatives.length),
    }))
    .sort((a, b) => b.score - a.score || a.feature.localeCompare(b.feature))
    .slice(0, KEYWORDS)
    .map((item) => item.feature);
}

function keywordScores(keywords: readonly string[], subjects: readonly RuleSubject[]): number[] {
  const rules = keywords.flatMap((keyword) => {
    const parsed = parseRule(`"${keyword}"`);
    return parsed.ok ? [parsed.rule] : [];
  });
  return subjects.map((subject) =>
    rules.reduce((sum, rule) => {
      const match = evaluateRule(rule, subject);
      if (!match.matched) return sum;
      return sum + (match.terms.some((term) => term.place === 'title') ? 2 : 1);
    }, 0),
  );
}

function keywordRuleScores(
  keywords: readonly string[],
  subjects: readonly RuleSubject[],
): number[] {
  const parsed = parseRule(keywords.map((keyword) => `"${keyword}"`).join(', '));
  if (!parsed.ok) return subjects.map(() => 0);
  return subjects.map((subject) => ruleScore(evaluateRule(parsed.rule, subject)));
}

interface Prepared {
  paper: LabelledPaper;
  packed: PackedVector;
  vector: SparseVector;
  /** Title and authors only: how an entry whose abstract is unknown is scored. */
  titleVector: SparseVector;
  subject: RuleSubject;
  titleSubject: RuleSubject;
}

function evaluate(
  experiment: string,
  pool: readonly LabelledPaper[],
  background: readonly LabelledPaper[],
  options: { testTitleOnly?: boolean; tags?: readonly string[] } = {},
): EvaluationReport {
  const backgroundPacked = background.map((paper) => vectorize(paper));
  const packed = pool.map((paper) => vectorize(paper));
  const df = documentFrequencies([...packed, ...backgroundPacked]);
  const idf = inverseDocumentFrequencies(df, packed.length + backgroundPacked.length);
  const backgroundVectors = backgroundPacked.map((vector) => weigh(vector, idf));
  const prepared: Prepared[] = pool.map((paper, index) => {
    const titleOnly = { title: paper.title, authors: paper.authors };
    return {
      paper,
      packed: packed[index] as PackedVector,
      vector: weigh(packed[index] as PackedVector, idf),
      titleVector: weigh(vectorize(titleOnly), idf),
      subject: ruleSubject(paper),
      titleSubject: ruleSubject(titleOnly),
    };
  });
  const counts = new Map<string, number>();
  for (const paper of pool)
    for (const label of paper.labels) counts.set(label, (counts.get(label) ?? 0) + 1);
  const tags =
    options.tags ??
    [...counts.entries()]
      .filter(([, count]) => count >= MIN_POSITIVES && count <= pool.length * 0.6)
      .sort((a, b) => b[1] - a[1])
      .map(([tag]) => tag);

  const tagResults: TagResult[] = [];
  const thresholdHits = [0.5, 0.75].map((threshold) => ({ threshold, tp: 0, fp: 0, positives: 0 }));
  for (const tag of tags) {
    const perMethod: Record<string, { ap: number[]; p10: number[] }> = {};
    const record = (method: string, scores: number[], relevant: boolean[]): void => {
      perMethod[method] ??= { ap: [], p10: [] };
      perMethod[method].ap.push(averagePrecision(scores, relevant));
      perMethod[method].p10.push(precisionAt(10, scores, relevant));
    };
    for (let split = 0; split < SPLITS; split += 1) {
      const random = seededRandom(1000 * split + tag.length);
      const order = shuffle(prepared, random);
      const half = Math.floor(order.length / 2);
      const train = order.slice(0, half);
      const test = order.slice(half);
      const relevant = test.map((item) => item.paper.labels.includes(tag));
      if (!relevant.some(Boolean)) continue;
      const trainPositives = train.filter((item) => item.paper.labels.includes(tag));
      const trainNegatives = train.filter((item) => !item.paper.labels.includes(tag));
      const testVectors = test.map((item) =>
        options.testTitleOnly ? item.titleVector : item.vector,
      );
      const testSubjects = test.map((item) =>
        options.testTitleOnly ? item.titleSubject : item.subject,
      );

      const fullModel = trainLogistic(
        {
          positives: trainPositives.map((item) => item.vector),
          negatives: trainNegatives.map((item) => item.vector),
        },
        { seed: split + 1 },
      );
      const modelScores = testVectors.map((vector) => probability(fullModel, vector));
      record('model', modelScores, relevant);
      // As in the extension: calibrated on index papers that are not the tag's training positives.
      const positiveSet = new Set(trainPositives);
      const calibration = calibrate(fullModel, [
        ...prepared.filter((item) => !positiveSet.has(item)).map((item) => item.vector),
        ...backgroundVectors,
      ]);
      const calibrated = testVectors.map((vector) =>
        calibratedScore(decision(fullModel, vector), calibration),
      );
      test.forEach((_, index) => {
        for (const hit of thresholdHits) {
          const flagged = (calibrated[index] ?? 0) > hit.threshold;
          if (relevant[index]) hit.positives += 1;
          if (flagged && relevant[index]) hit.tp += 1;
          if (flagged && !relevant[index]) hit.fp += 1;
        }
      });

      const tenPositives = shuffle(trainPositives, random).slice(0, 10);
      const tenModel = trainLogistic(
        {
          positives: tenPositives.map((item) => item.vector),
          negatives: trainNegatives.map((item) => item.vector),
        },
        { seed: split + 1 },
      );
      record(
        'model, 10 tagged',
        testVectors.map((vector) => probability(tenModel, vector)),
        relevant,
      );

      const keywords = pickKeywords(
        trainPositives.map((item) => item.paper),
        trainNegatives.map((item) => item.paper),
      );
      const keywordRanked = keywordScores(keywords, testSubjects);
      record('keyword rules', keywordRanked, relevant);
      const tenKeywords = pickKeywords(
        tenPositives.map((item) => item.paper),
        trainNegatives.map((item) => item.paper),
      );
      record('keyword rules, from 10 tagged', keywordScores(tenKeywords, testSubjects), relevant);
      const ruleScores = keywordRuleScores(keywords, testSubjects);
      record(
        'model + keyword rules',
        calibrated.map((score, index) => 1 - (1 - score) * (1 - (ruleScores[index] ?? 0))),
        relevant,
      );

      const randomAp: number[] = [];
      const randomP10: number[] = [];
      for (let trial = 0; trial < 20; trial += 1) {
        const scores = test.map(() => random());
        randomAp.push(averagePrecision(scores, relevant));
        randomP10.push(precisionAt(10, scores, relevant));
      }
      perMethod.random ??= { ap: [], p10: [] };
      perMethod.random.ap.push(mean(randomAp));
      perMethod.random.p10.push(mean(randomP10));
    }
    const methods: Record<string, MethodResult> = {};
    for (const [method, values] of Object.entries(perMethod)) {
      methods[method] = { ap: mean(values.ap), p10: mean(values.p10) };
    }
    tagResults.push({ tag, positives: counts.get(tag) ?? 0, pool: pool.length, methods });
  }
  const average: Record<string, MethodResult> = {};
  for (const method of Object.keys(tagResults[0]?.methods ?? {})) {
    average[method] = {
      ap: mean(tagResults.map((result) => result.methods[method]?.ap ?? 0)),
      p10: mean(tagResults.map((result) => result.methods[method]?.p10 ?? 0)),
    };
  }
  return {
    experiment,
    papers: pool.length,
    indexSize: pool.length + background.length,
    splits: SPLITS,
    tags: tagResults,
    average,
    thresholds: thresholdHits.map((hit) => ({
      threshold: hit.threshold,
      precision: hit.tp / Math.max(1, hit.tp + hit.fp),
      recall: hit.tp / Math.max(1, hit.positives),
      flagged: hit.tp + hit.fp,
    })),
  };
}

/** Runs every experiment on the corpus in ../shared. */
export function runRelevanceEvaluation(): EvaluationReport[] {
  const corpus = loadRelevanceCorpus();
  return [
    evaluate('abstracts (arXiv feeds + HF trending)', corpus.labelled, corpus.background),
    evaluate(
      'trained with abstracts, test entries title + authors only',
      corpus.labelled,
      corpus.background,
      {
        testTitleOnly: true,
      },
    ),
    evaluate('titles + authors only (astro-ph pastweek)', corpus.titlesOnly, []),
  ];
}

function pct(value: number): string {
  return (100 * value).toFixed(1);
}

/** A Markdown table of a report (pasted into docs/relevance.md). */
export function formatReport(report: EvaluationReport): string {
  const methods = Object.keys(report.average);
  const lines = [
    `### ${report.experiment}`,
    '',
    `${report.papers} labelled papers, index of ${report.indexSize}, ${report.splits} random half/half splits per tag. AP = average precision, P@10 = precision at 10 (percent).`,
    '',
    `| tag | papers | ${methods.map((method) => `${method} AP | P@10`).join(' | ')} |`,
    `|---|---|${methods.map(() => '---|---').join('|')}|`,
    ...report.tags.map(
      (tag) =>
        `| ${tag.tag} | ${tag.positives} | ${methods
          .map(
            (method) =>
              `${pct(tag.methods[method]?.ap ?? 0)} | ${pct(tag.methods[method]?.p10 ?? 0)}`,
          )
          .join(' | ')} |`,
    ),
    `| **mean** | | ${methods
      .map(
        (method) =>
          `**${pct(report.average[method]?.ap ?? 0)}** | **${pct(report.average[method]?.p10 ?? 0)}**`,
      )
      .join(' | ')} |`,
    '',
    `Model thresholds (all tags and splits): ${report.thresholds
      .map(
        (item) =>
          `score > ${item.threshold}: precision ${pct(item.precision)}%, recall ${pct(item.recall)}% (${item.flagged} flagged)`,
      )
      .join('; ')}.`,
    '',
  ];
  return lines.join('\n');
}
