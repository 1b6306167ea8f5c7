/**
 * `roc MODEL [in C1, C2]` (a labelled logistic model evaluated per cohort) or `roc MARKER predicts OUTCOME`:
 * AUC with DeLong CI, Youden cutoff (stats/roc.ts). `roc A, B, C predicts OUTCOME`: several markers on the rows
 * complete for all of them (per cohort), each with its own direction, and DeLong's paired test for every pair
 * (pROC roc.test(paired = TRUE)), p optionally adjusted within each cohort (`with adjust`). `roc M1, M2 [in C]`: the
 * same for labelled logistic models, on the rows complete for all of them (their own fitted coefficients).
 */
import type { Range } from '../common/diagnostic';
import { delongTest, roc as rocCurve, type RocResultData } from '../stats/roc';
import type { AnalysisBase, Expr, Ident } from '../study/ast';
import { Evaluator, exprText, type EvalExpr } from '../study/eval';
import type { RocComparison, RocEvaluation, RocResult } from '../../shared/report/types';
import { adjustOf, adjustRows, ADJUST_OPTION } from './adjust';
import { P_ADJUST_LABEL } from '../stats/padjust';
import { AnalysisError, binaryValues, cohortRows, completeIdx, fin, optNum, type RunContext } from './common';
import { scoreRows, sideAsFitted } from './modelScores';
import { evaluateModel, logisticModel } from './models';
import { CONF_OPTION, type AnalysisDefinition, type PlanBase } from './types';

/**
 * `roc model1 in train, validation` (model; `models`: further models) or `roc miR-21 predicts effective` (marker +
 * outcome; `more`: further markers).
 */
export interface RocAnalysis extends AnalysisBase { analysis: 'roc'; model?: Ident; models?: Ident[]; marker?: Expr; more?: Expr[]; outcome?: Expr }
export type RocPlan = PlanBase & { kind: 'roc' } & (
  | { model: string; modelRange?: Range; models?: { name: string; range: Range }[] }
  | { marker: EvalExpr; more?: EvalExpr[]; outcome: EvalExpr }
);

export const roc: AnalysisDefinition<RocAnalysis, RocPlan> = {
  kind: 'roc',
  signature: 'roc MODEL[, MODEL...] | roc MARKER[, MARKER...] predicts OUTCOME',
  doc: '`roc MODEL [in C1, C2]` or `roc MARKER predicts OUTCOME` — AUC with DeLong CI, Youden cutoff, sensitivity, specificity. `roc A, B, C predicts OUTCOME` or `roc M1, M2 in C`: the markers (models) overlaid, with DeLong\'s paired test for each pair (`with adjust holm`).',
  options: { conf: CONF_OPTION, adjust: ADJUST_OPTION },
  role: { kind: 'consumer', accepts: ['logistic'], optional: true },
  parse(p) {
    const [e, ...more] = p.exprList();
    if (p.eatWord('predicts')) return { marker: e, ...(more.length ? { more } : {}), outcome: p.expr() };
    const bad = [e, ...more].find((x) => x.kind !== 'name');
    if (more.length && bad) return p.fail('Several markers need `predicts OUTCOME` (`roc A, B predicts y`); several models are names (`roc m0, m1`).', bad.range);
    const ident = (x: Expr): Ident => (x.kind === 'name' ? { name: x.name, ...(x.backtick ? { backtick: true } : {}), range: x.range } : p.fail('a model name', x.range));
    if (e.kind === 'name') return { model: ident(e), ...(more.length ? { models: more.map(ident) } : {}) };
    return p.fail('`roc` takes a model name or `MARKER predicts OUTCOME`.', e.range);
  },
  exprs: (n) => [...(n.marker ? [n.marker] : []), ...(n.more ?? []), ...(n.outcome ? [n.outcome] : [])],
  check(n, c) {
    if (n.model) {
      for (const m of [n.model, ...(n.models ?? [])]) c.model(m);
      const o = c.modelOf(n.model)?.outcome;
      for (const m of n.models ?? []) { const om = c.modelOf(m)?.outcome; if (o !== undefined && om !== undefined && om !== o) c.error(`Overlaid models need the same outcome: \`${m.name}\` predicts \`${om}\`, \`${n.model.name}\` predicts \`${o}\`.`, m.range); }
    } else { for (const m of [...(n.marker ? [n.marker] : []), ...(n.more ?? [])]) c.requireNumeric(m, '`roc`'); if (n.outcome) c.expr(n.outcome); }
    const adj = n.options.find((o) => o.name === 'adjust');
    if (adj && !n.more && !n.models) c.error('`with adjust` applies to the pairwise tests of several markers (`roc A, B predicts y`).', adj.nameRange);
  },
  plan(n, p) {
    if (n.model) return { model: n.model.name, modelRange: n.model.range, ...(n.models ? { models: n.models.map((m) => ({ name: m.name, range: m.range })) } : {}) };
    if (n.marker && n.outcome) return { marker: p.expr(n.marker), ...(n.more ? { more: n.more.map((m) => p.expr(m)) } : {}), outcome: p.expr(n.outcome) };
    return p.fail('roc MODEL [in cohorts] or roc MARKER predicts OUTCOME.', n.range);
  },
  run: runRoc,
  complete(c) {
    if (c.tokens.length === 1) { c.models(); c.expression(); return; }
    if (c.has('predicts')) { c.body(); return; }
    c.keyword('in', 'Cohort(s) to evaluate the model in'); c.keyword('with', 'Options'); c.keyword('predicts', '`MARKER predicts OUTCOME`');
  },
  example: 'roc m1',
};

const jsonNum = (t: number): number | string => (t === Infinity ? 'Inf' : t === -Infinity ? '-Inf' : t);

/** report.json shape (infinite thresholds written as "Inf"/"-Inf" strings as R's jsonlite does). */
export function toRocEvaluation(r: RocResultData, cohort: string): RocEvaluation {
  return {
    cohort, n: r.cases + r.controls, auc: r.auc, ci: r.ci, cutoff: Number.isFinite(r.best.threshold) ? r.best.threshold : null,
    sensitivity: r.best.sensitivity, specificity: r.best.specificity, youden: r.best.youden, direction: r.direction,
    curve: r.curve.map((p) => ({ threshold: jsonNum(p.threshold), sensitivity: p.sensitivity, specificity: p.specificity })),
    cases: r.cases, controls: r.controls,
  };
}

function runRoc(a: RocPlan, name: string, ctx: RunContext): RocResult {
  const evaluations: RocEvaluation[] = [];
  const warnings: string[] = [];
  let n = 0, dropped = 0;
  if ('model' in a && a.models?.length) return runModels(a, name, ctx);
  if ('model' in a) {
    const m = logisticModel(a, ctx);
    const cohorts = a.cohorts.length ? cohortRows(a, ctx) : [{ name: m.cohort, rows: m.cohortRows }];
    for (const c of cohorts) {
      const e = evaluateModel(m, c.name, c.rows, ctx);
      warnings.push(...e.warnings);
      evaluations.push(toRocEvaluation(rocCurve(e.y, e.p, { direction: '<' }), c.name));
      n += e.n; dropped += e.dropped;
    }
    const res: RocResult = { name, kind: 'roc', cohort: cohorts.map((c) => c.name).join(', '), n, dropped, model: m.name, outcome: exprText(m.outcome), evaluations };
    if (warnings.length) res.warnings = warnings;
    return res;
  }
  if (a.more?.length) return runMarkers(a, [a.marker, ...a.more], name, ctx);
  const cohorts = cohortRows(a, ctx);
  for (const c of cohorts) {
    const ev = new Evaluator(ctx.scope, c.rows);
    const x = ev.numeric(a.marker, 'The marker');
    const yCol = binaryValues(ev.eval(a.outcome), a.outcome);
    const idx = completeIdx([{ values: x }, { values: yCol }], c.rows.length);
    const r = rocCurve(idx.map((i) => yCol[i] as number), idx.map((i) => x[i] as number), { direction: 'auto' });
    evaluations.push(toRocEvaluation(r, c.name));
    n += idx.length; dropped += c.rows.length - idx.length;
  }
  return { name, kind: 'roc', cohort: cohorts.map((c) => c.name).join(', '), n, dropped, predictor: exprText(a.marker), outcome: exprText(a.outcome), evaluations };
}

/** One cohort of an overlay: the ROC of each curve on the same subjects. */
interface OverlayCohort { cohort: string; rocs: RocResultData[]; n: number; dropped: number }

/** The curves of every cohort, with DeLong's paired test for each pair (p adjusted within the cohort). */
function overlay(a: RocPlan, name: string, texts: string[], outcome: string, parts: OverlayCohort[], conf: number): RocResult {
  const method = adjustOf(a);
  const evaluations: RocEvaluation[] = [];
  const comparisons: RocComparison[] = [];
  const warnings: string[] = [];
  for (const { cohort, rocs } of parts) {
    rocs.forEach((r, k) => evaluations.push({ marker: texts[k], ...toRocEvaluation(r, cohort) }));
    const family: RocComparison[] = [];
    for (let i = 0; i < rocs.length; i++) {
      for (let j = i + 1; j < rocs.length; j++) {
        const t = delongTest(rocs[i], rocs[j], conf);
        if (rocs[i].direction !== rocs[j].direction) warnings.push(oppositeDirections(texts[i], texts[j], rocs[i].direction, rocs[j].direction, cohort));
        family.push({ cohort, marker1: texts[i], marker2: texts[j], auc1: t.auc1, auc2: t.auc2, difference: t.difference, ci: [fin(t.ci[0]), fin(t.ci[1])], z: fin(t.z), p: fin(t.p) });
      }
    }
    if (method) adjustRows(family, method);
    comparisons.push(...family);
  }
  const res: RocResult = {
    name, kind: 'roc', cohort: parts.map((c) => c.cohort).join(', '), n: parts.reduce((s, c) => s + c.n, 0), dropped: parts.reduce((s, c) => s + c.dropped, 0),
    predictor: texts.join(', '), outcome, evaluations, predictors: texts, comparisons, confLevel: conf,
  };
  if (method) res.adjust = P_ADJUST_LABEL[method];
  if (warnings.length) res.warnings = warnings;
  return res;
}

/**
 * pROC's caution for a paired test of two curves in opposite directions (each marker's own, chosen from the data):
 * direction `<` is a marker higher in the cases, `>` lower.
 */
function oppositeDirections(a: string, b: string, da: string, db: string, cohort: string): string {
  const way = (d: string) => (d === '<' ? 'higher' : 'lower');
  return `In cohort ${cohort}, ${a} is ${way(da)} in the cases and ${b} ${way(db)} (pROC directions ${da} and ${db}): DeLong's paired test `
    + 'compares the two AUCs as each curve was oriented by the data; pROC warns that it should not be applied to curves with a different direction';
}

function noDuplicate(a: RocPlan, texts: string[], what: string): void {
  const dup = texts.find((t, k) => texts.indexOf(t) !== k);
  if (dup !== undefined) throw new AnalysisError(`The ${what} "${dup}" is listed twice.`, a.range);
}

/** `roc A, B, C predicts y`: each marker (own direction) per cohort on the rows complete for all of them. */
function runMarkers(a: RocPlan & { outcome: EvalExpr }, markers: EvalExpr[], name: string, ctx: RunContext): RocResult {
  const texts = markers.map(exprText);
  noDuplicate(a, texts, 'marker');
  const conf = optNum(a, 'conf', 0.95);
  const parts = cohortRows(a, ctx).map((c): OverlayCohort => {
    const ev = new Evaluator(ctx.scope, c.rows);
    const xs = markers.map((m) => ev.numeric(m, `The marker ${exprText(m)}`));
    const yCol = binaryValues(ev.eval(a.outcome), a.outcome);
    const idx = completeIdx([{ values: yCol }, ...xs.map((values) => ({ values }))], c.rows.length);
    const y = idx.map((i) => yCol[i] as number);
    return { cohort: c.name, rocs: xs.map((x) => rocCurve(y, idx.map((i) => x[i] as number), { direction: 'auto', confLevel: conf })), n: idx.length, dropped: c.rows.length - idx.length };
  });
  return overlay(a, name, texts, exprText(a.outcome), parts, conf);
}

/** `roc M1, M2 [in C]`: labelled logistic models (their predicted risk, direction '<') on the rows complete for all. */
function runModels(a: RocPlan & { model: string; modelRange?: Range; models?: { name: string; range: Range }[] }, name: string, ctx: RunContext): RocResult {
  const refs = [{ name: a.model, range: a.modelRange }, ...(a.models ?? [])];
  noDuplicate(a, refs.map((r) => r.name), 'model');
  const ms = refs.map((r) => logisticModel({ ...a, model: r.name, modelRange: r.range }, ctx));
  const outcome = exprText(ms[0].outcome);
  ms.forEach((m, k) => { if (exprText(m.outcome) !== outcome) throw new AnalysisError(`"${m.name}" predicts ${exprText(m.outcome)}, "${ms[0].name}" predicts ${outcome}: overlaid models need the same outcome.`, refs[k].range ?? a.range); });
  const sameFit = ms.every((m) => m.cohort === ms[0].cohort);
  if (!a.cohorts.length && !sameFit) throw new AnalysisError(`The models were fitted in different cohorts (${ms.map((m) => `${m.name}: ${m.cohort}`).join(', ')}); name the cohort(s) to compare them in with \`in\`.`, a.range);
  const conf = optNum(a, 'conf', 0.95);
  const warnings: string[] = [];
  const cohorts = a.cohorts.length ? cohortRows(a, ctx) : [{ name: ms[0].cohort, rows: ms[0].cohortRows }];
  const parts = cohorts.map((c): OverlayCohort => {
    const d = scoreRows(ms[0], ms.map(sideAsFitted), c.name, c.rows, ctx, warnings);
    return { cohort: c.name, rocs: d.scores.map((sc) => rocCurve(d.y, sc, { direction: '<', confLevel: conf })), n: d.n, dropped: d.dropped };
  });
  const res = overlay(a, name, ms.map((m) => m.name), outcome, parts, conf);
  if (warnings.length) res.warnings = warnings;
  return res;
}
