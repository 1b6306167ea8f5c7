/**
 * `compare-models M1 vs M2 [in C1, C2] [with cutoffs 0.1, 0.3]`: two labelled logistic (or two Cox) models of the
 * same outcome. Rows: when both were fitted in the same cohort, both are REFITTED on the rows of that cohort that
 * are complete for the outcome and the terms of both models (what R needs for anova(fit1, fit2)), and these refits
 * are what every part of the comparison uses. In each cohort of the line (default: the fitting cohort) the two
 * predictions are compared on the rows complete for both (paired): ΔAUC with DeLong's paired test and its CI (pROC
 * roc.test), NRI and IDI (Hmisc improveProb; categorical NRI with `cutoffs`), or ΔC for Cox (survival::concordance
 * jackknife covariance). The LR test (anova) is given when one model's terms are a subset of the other's. Models
 * fitted in different cohorts, without `in`, are each evaluated in their own cohort: an unpaired comparison
 * (DeLong's unpaired test; for Cox a normal test on the sum of the two jackknife variances).
 */
import type { Range } from '../common/diagnostic';
import { concordance } from '../stats/concordance';
import { coxph } from '../stats/cox';
import { pchisqUpper, pnorm } from '../stats/dist';
import { logisticRegression, predictLogistic } from '../stats/logistic';
import { concordanceDifference } from '../stats/modelComparison';
import { improveProb, type ImproveIndex, type NriResult } from '../stats/reclassification';
import { delongTest, delongUnpaired, roc as rocCurve } from '../stats/roc';
import type { AnalysisBase, Ident } from '../study/ast';
import { Evaluator, exprText } from '../study/eval';
import type { CompareModelsEvaluation, CompareModelsResult, ImproveIndexRow, ModelsLrt, NriSummary } from '../../shared/report/types';
import { AnalysisError, cohortRows, completeIdx, fin, optList, optNum, type FittedModel, type RunContext } from './common';
import { designMatrix, designTerms } from './design';
import { fittedModel, outcomeColumns, scoreRows, sideAsFitted, type Scored, type Side } from './modelScores';
import { parseModelName } from './models';
import { toRocEvaluation } from './roc';
import { CONF_OPTION, type AnalysisDefinition, type PlanBase } from './types';

export interface CompareModelsAnalysis extends AnalysisBase { analysis: 'compare-models'; model1: Ident; model2: Ident }
export type CompareModelsPlan = PlanBase & { kind: 'compare-models'; model1: string; model1Range?: Range; model2: string; model2Range?: Range };

export const compareModels: AnalysisDefinition<CompareModelsAnalysis, CompareModelsPlan> = {
  kind: 'compare-models',
  signature: 'compare-models MODEL1 vs MODEL2',
  doc: '`compare-models M1 vs M2 [in C1, C2] [with cutoffs 0.1, 0.3]` — two logistic (or two Cox) models of the same outcome: LR test of the nested pair (anova), ΔAUC with DeLong\'s paired test (ΔC for Cox), NRI and IDI (Hmisc improveProb).',
  options: {
    cutoffs: { type: 'numbers', min: 0, max: 1, doc: 'Risk cut-offs of the categorical NRI, e.g. `0.1, 0.3` (logistic models).' },
    conf: CONF_OPTION,
  },
  role: { kind: 'consumer', accepts: ['logistic', 'cox'] },
  parse(p) {
    const model1 = parseModelName(p);
    p.expectWord('vs');
    return { model1, model2: parseModelName(p) };
  },
  exprs: () => [],
  check(n, c) {
    c.model(n.model1);
    c.model(n.model2);
    if (n.model1.name === n.model2.name) { c.error('`compare-models` needs two different models.', n.model2.range); return; }
    const a = c.modelOf(n.model1), b = c.modelOf(n.model2);
    if (!a || !b) return;
    const cut = n.options.find((o) => o.name === 'cutoffs');
    if (cut && a.kind === 'cox') c.error('`cutoffs` (categorical NRI) needs predicted risks: logistic models only.', cut.nameRange);
    if (a.kind !== b.kind) c.error(`\`compare-models\` compares two models of the same kind; \`${n.model1.name}\` is ${a.kind}, \`${n.model2.name}\` is ${b.kind}.`, n.model2.range);
    else if (a.outcome !== undefined && b.outcome !== undefined && a.outcome !== b.outcome) c.error(`\`compare-models\` compares two models of the same outcome; \`${n.model1.name}\` predicts \`${a.outcome}\`, \`${n.model2.name}\` predicts \`${b.outcome}\`.`, n.model2.range);
  },
  plan: (n) => ({ model1: n.model1.name, model1Range: n.model1.range, model2: n.model2.name, model2Range: n.model2.range }),
  run: runCompareModels,
  complete(c) {
    if (c.tokens.length === 1 || c.lastIs('vs')) { c.models(); return; }
    if (!c.has('vs')) { c.keyword('vs', 'The second model'); return; }
    c.keyword('in', 'Cohort(s) to compare the models in'); c.keyword('with', 'Options');
  },
  example: 'compare-models m0 vs m1 with cutoffs 0.1, 0.3',
};

const indexRow = (x: ImproveIndex): ImproveIndexRow => ({ index: fin(x.index), se: fin(x.se), z: fin(x.z), p: fin(x.p), ci: [fin(x.ci[0]), fin(x.ci[1])] });
const nriRow = (r: NriResult): NriSummary => ({
  nri: indexRow(r.nri), events: indexRow(r.events), nonEvents: indexRow(r.nonEvents),
  upEvents: r.upEvents, downEvents: r.downEvents, upNonEvents: r.upNonEvents, downNonEvents: r.downNonEvents,
});

/** Model 2 against model 1 on the same subjects. */
function pairedEvaluation(m: FittedModel, d: Scored, cohort: string, conf: number, cutoffs: number[] | undefined): CompareModelsEvaluation {
  const [s1, s2] = d.scores;
  if (m.kind === 'cox') {
    const c = concordanceDifference(d.time, d.y, s1, s2, conf);
    return {
      cohort, paired: true, n: d.n, events: d.y.filter((v) => v === 1).length, measure: 'C', value1: c.c1, value2: c.c2, difference: c.difference,
      se: fin(c.se), ci: [fin(c.ci[0]), fin(c.ci[1])], statistic: fin(c.z), p: fin(c.p), test: 'jackknife paired (survival::concordance)',
    };
  }
  const r1 = rocCurve(d.y, s1, { direction: '<' }), r2 = rocCurve(d.y, s2, { direction: '<' });
  const t = delongTest(r2, r1, conf);
  const ip = improveProb(s1, s2, d.y, { confLevel: conf, ...(cutoffs ? { cutoffs } : {}) });
  const e: CompareModelsEvaluation = {
    cohort, paired: true, n: d.n, events: r1.cases, measure: 'AUC', value1: r1.auc, value2: r2.auc, difference: t.difference, se: fin(t.se),
    ci: [fin(t.ci[0]), fin(t.ci[1])], statistic: fin(t.z), p: fin(t.p), test: 'DeLong paired', nri: nriRow(ip.continuous), idi: indexRow(ip.idi),
    curves: [toRocEvaluation(r1, cohort).curve, toRocEvaluation(r2, cohort).curve],
  };
  if (ip.categorical) e.nriCategorical = { ...nriRow(ip.categorical), cutoffs: ip.categorical.cutoffs };
  return e;
}

/** Model 2 in its cohort against model 1 in its own (different subjects). */
function unpairedEvaluation(m: FittedModel, d1: Scored, d2: Scored, cohort: string): CompareModelsEvaluation {
  const base = { cohort, paired: false, n: d1.n + d2.n, events: d1.y.filter((v) => v === 1).length + d2.y.filter((v) => v === 1).length, ci: null };
  if (m.kind === 'cox') {
    const c1 = concordance(d1.time, d1.y, d1.scores[0], { reverse: true }), c2 = concordance(d2.time, d2.y, d2.scores[0], { reverse: true });
    if (c1.concordance === null || c2.concordance === null || c1.variance === null || c2.variance === null) throw new AnalysisError('ΔC: a cohort has no comparable pair of subjects.');
    const d = c2.concordance - c1.concordance, se = Math.sqrt(c1.variance + c2.variance);
    return { ...base, measure: 'C', value1: c1.concordance, value2: c2.concordance, difference: d, se: fin(se), statistic: fin(d / se), p: fin(2 * pnorm(-Math.abs(d / se))), test: 'independent (normal)' };
  }
  const r1 = rocCurve(d1.y, d1.scores[0], { direction: '<' }), r2 = rocCurve(d2.y, d2.scores[0], { direction: '<' });
  const t = delongUnpaired(r2, r1);
  return {
    ...base, measure: 'AUC', value1: r1.auc, value2: r2.auc, difference: t.difference, se: fin(t.se), statistic: fin(t.statistic), df: fin(t.df), p: fin(t.p),
    test: 'DeLong unpaired', curves: [toRocEvaluation(r1, cohort).curve, toRocEvaluation(r2, cohort).curve],
  };
}

const termSet = (m: FittedModel) => new Set(m.terms.map((t) => t.text));
const subset = (a: Set<string>, b: Set<string>) => [...a].every((t) => b.has(t));

/** Both models refitted on the rows of their (common) fitting cohort complete for both; the LR test when nested. */
function refit(m1: FittedModel, m2: FittedModel, nested: boolean, ctx: RunContext): { sides: [Side, Side]; lrt: ModelsLrt | null; n: number } {
  const rows = m1.cohortRows;
  const ev = new Evaluator(ctx.scope, rows);
  const out = outcomeColumns(m1, ev);
  const cols = [m1, m2].map((m) => m.terms.map((t) => ev.eval(t.expr)));
  const idx = completeIdx([...out.map((values) => ({ values })), ...cols.flat()], rows.length);
  const y = idx.map((i) => out[0][i] as number);
  const fits = [m1, m2].map((m, k) => {
    const terms = designTerms(m.terms.map((t) => t.expr), cols[k], idx);
    const { X } = designMatrix(terms, cols[k], idx);
    const names = terms.flatMap((t) => t.columns);
    if (m.kind === 'logistic') {
      const model = logisticRegression(y, X, names);
      return { side: { name: m.name, terms, refRows: rows, score: (Z: number[][]) => predictLogistic(model, Z) } as Side, parameters: names.length + 1, logLik: model.logLik, deviance: model.deviance as number | undefined };
    }
    const fit = coxph(idx.map((i) => out[1][i] as number), y, X, { ties: m.ties, names });
    return { side: { name: m.name, terms, refRows: rows, score: (Z: number[][]) => Z.map((r) => r.reduce((s, x, j) => s + x * fit.coef[j], 0)) } as Side, parameters: names.length, logLik: fit.loglik[1], deviance: undefined };
  });
  let lrt: ModelsLrt | null = null;
  if (nested) {
    const [small, big] = fits[0].parameters <= fits[1].parameters ? [fits[0], fits[1]] : [fits[1], fits[0]];
    const chisq = 2 * (big.logLik - small.logLik), df = big.parameters - small.parameters;
    lrt = {
      cohort: m1.cohort, n: idx.length, chisq: fin(chisq), df, p: fin(pchisqUpper(chisq, df)),
      models: fits.map((f, k) => ({ name: [m1, m2][k].name, parameters: f.parameters, logLik: fin(f.logLik), ...(f.deviance !== undefined ? { deviance: fin(f.deviance) } : {}) })),
    };
  }
  return { sides: [fits[0].side, fits[1].side], lrt, n: idx.length };
}

function runCompareModels(a: CompareModelsPlan, name: string, ctx: RunContext): CompareModelsResult {
  const m1 = fittedModel(a, a.model1, a.model1Range, ctx), m2 = fittedModel(a, a.model2, a.model2Range, ctx);
  const where = a.model2Range ?? a.range;
  if (m1.kind !== m2.kind) throw new AnalysisError(`compare-models needs two models of the same kind ("${m1.name}" is ${m1.kind}, "${m2.name}" is ${m2.kind}).`, where);
  const outcome = (m: FittedModel) => (m.kind === 'logistic' ? exprText(m.outcome) : m.outcome.name);
  if (outcome(m1) !== outcome(m2)) throw new AnalysisError(`compare-models needs two models of the same outcome ("${m1.name}": ${outcome(m1)}, "${m2.name}": ${outcome(m2)}).`, where);
  const conf = optNum(a, 'conf', 0.95);
  const cutoffs = optList(a, 'cutoffs');
  const notes: string[] = [];
  const warnings: string[] = [];
  const sameFit = m1.cohort === m2.cohort;
  const t1 = termSet(m1), t2 = termSet(m2);
  const nested = sameFit && (subset(t1, t2) || subset(t2, t1)) && !(subset(t1, t2) && subset(t2, t1));
  if (!sameFit) notes.push(`${m1.name} was fitted in ${m1.cohort} and ${m2.name} in ${m2.cohort}: no likelihood-ratio test; each model is used as fitted.`);
  else if (!nested) notes.push(`${subset(t1, t2) ? 'The two models have the same terms' : 'The models are not nested (neither has all the terms of the other)'}: no likelihood-ratio test.`);
  if (cutoffs && m1.kind === 'cox') notes.push('NRI and IDI need risks at a time point: not computed for Cox models (the cut-offs are ignored).');
  let sides: [Side, Side] = [sideAsFitted(m1), sideAsFitted(m2)];
  let lrt: ModelsLrt | null = null;
  if (sameFit) {
    const r = refit(m1, m2, nested, ctx);
    sides = r.sides; lrt = r.lrt;
    const own = [m1, m2].flatMap((m) => (m.kind === 'logistic' && m.y.length !== r.n ? [`${m.name}'s own fit used ${m.y.length}`] : []));
    notes.push(`Both models refitted on the ${r.n} rows of ${m1.cohort} complete for the terms of both${own.length ? ` (${own.join(', ')})` : ''}.`);
  }
  let evaluations: CompareModelsEvaluation[];
  let n = 0, dropped = 0;
  if (!a.cohorts.length && !sameFit) {
    const d1 = scoreRows(m1, [sides[0]], m1.cohort, m1.cohortRows, ctx, warnings), d2 = scoreRows(m1, [sides[1]], m2.cohort, m2.cohortRows, ctx, warnings);
    evaluations = [unpairedEvaluation(m1, d1, d2, `${m1.cohort} vs ${m2.cohort}`)];
    n = d1.n + d2.n; dropped = d1.dropped + d2.dropped;
  } else {
    const cohorts = a.cohorts.length ? cohortRows(a, ctx) : [{ name: m1.cohort, rows: m1.cohortRows }];
    evaluations = cohorts.map((c) => {
      const d = scoreRows(m1, sides, c.name, c.rows, ctx, warnings);
      n += d.n; dropped += d.dropped;
      return pairedEvaluation(m1, d, c.name, conf, m1.kind === 'logistic' ? cutoffs : undefined);
    });
  }
  const res: CompareModelsResult = {
    name, kind: 'compare-models', cohort: evaluations.map((e) => e.cohort).join(', '), n, dropped, model1: m1.name, model2: m2.name,
    modelKind: m1.kind, outcome: outcome(m1), nested, lrt, confLevel: conf, evaluations, notes,
  };
  if (warnings.length) res.warnings = warnings;
  return res;
}
