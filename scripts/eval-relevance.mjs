#!/usr/bin/env node
// `npm run eval:relevance`: ranks held-out papers of the local corpus (../shared) per stand-in tag
// and prints average precision and precision@10 for the model, keyword rules and random order.
// `--json` prints the raw report instead of Markdown. Exits 1 if the model does not beat keywords.
import { register } from 'tsx/esm/api';

register();
const { formatReport, runRelevanceEvaluation } = await import('./relevance-eval.ts');

const started = performance.now();
const reports = runRelevanceEvaluation();
if (process.argv.includes('--json')) {
  console.log(JSON.stringify(reports, null, 2));
} else {
  for (const report of reports) console.log(formatReport(report));
  console.log(`(${((performance.now() - started) / 1000).toFixed(1)} s)`);
}
const main = reports[0];
const model = main?.average.model?.ap ?? 0;
const keywords = main?.average['keyword rules']?.ap ?? 0;
if (model <= keywords) {
  console.error(
    `The model (AP ${model.toFixed(3)}) does not beat keyword rules (AP ${keywords.toFixed(3)}).`,
  );
  process.exitCode = 1;
}
