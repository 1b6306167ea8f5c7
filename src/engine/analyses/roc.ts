/**
 * `roc MODEL [in C1, C2]` (a labelled logistic model evaluated per cohort) or `roc MARKER predicts OUTCOME`:
 * AUC with DeLong CI, Youden cutoff (stats/roc.ts).
 */
import type { Range } from '../common/diagnostic';
import { roc as rocCurve, type RocResultData } from '../stats/roc';
import type { AnalysisBase, Expr, Ident } from '../study/ast';
import { Evaluator, exprText, type EvalExpr } from '../study/eval';
import type { RocEvaluation, RocResult } from '../../shared/report/types';
import { binaryValues, cohortRows, completeIdx, type RunContext } from './common';
import { evaluateModel, logisticModel } from './models';
import { CONF_OPTION, type AnalysisDefinition, type PlanBase } from './types';

/** `roc model1 in train, validation` (model) or `roc miR-21 predicts effective` (marker + outcome). */
export interface RocAnalysis extends AnalysisBase { analysis: 'roc'; model?: Ident; marker?: Expr; outcome?: Expr }
export type RocPlan = PlanBase & { kind: 'roc' } & (
  | { model: string; modelRange?: Range }
  | { marker: EvalExpr; outcome: EvalExpr }
);

export const roc: AnalysisDefinition<RocAnalysis, RocPlan> = {
  kind: 'roc',
  signature: 'roc MODEL | roc MARKER predicts OUTCOME',
  doc: '`roc MODEL [in C1, C2]` or `roc MARKER predicts OUTCOME` — AUC with DeLong CI, Youden cutoff, sensitivity, specificity.',
  options: { conf: CONF_OPTION },
  role: { kind: 'consumer', accepts: ['logistic'], optional: true },
  parse(p) {
    const e = p.expr();
    if (p.eatWord('predicts')) return { marker: e, outcome: p.expr() };
    if (e.kind === 'name') return { model: { name: e.name, ...(e.backtick ? { backtick: true } : {}), range: e.range } };
    return p.fail('`roc` takes a model name or `MARKER predicts OUTCOME`.', e.range);
  },
  exprs: (n) => [...(n.marker ? [n.marker] : []), ...(n.outcome ? [n.outcome] : [])],
  check(n, c) {
    if (n.model) c.model(n.model);
    else { if (n.marker) c.requireNumeric(n.marker, '`roc`'); if (n.outcome) c.expr(n.outcome); }
  },
  plan(n, p) {
    if (n.model) return { model: n.model.name, modelRange: n.model.range };
    if (n.marker && n.outcome) return { marker: p.expr(n.marker), outcome: p.expr(n.outcome) };
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
