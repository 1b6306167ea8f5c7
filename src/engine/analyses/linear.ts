/** `linear OUTCOME ~ TERMS`: linear regression as lm (stats/linear.ts); factors are dummy-coded as in logistic/cox. */
import { dropTermTests, linearRegression, type LinearModel, type TermTest as StatsTermTest } from '../stats/linear';
import type { AnalysisBase, Expr, Term } from '../study/ast';
import { Evaluator, exprText, type Column, type EvalExpr } from '../study/eval';
import type { LinearResult, TermTest } from '../../shared/report/types';
import { completeIdx, fin, optNum, singleCohort, type RunContext } from './common';
import { designMatrix, designTerms, outcomeFormulaSyntax, termColumns, type DesignTerm } from './design';
import { CONF_OPTION, type AnalysisDefinition, type PlanBase } from './types';

export interface LinearAnalysis extends AnalysisBase { analysis: 'linear'; outcome: Expr; terms: Term[] }
export type LinearPlan = PlanBase & { kind: 'linear'; outcome: EvalExpr; terms: EvalExpr[] };

export const linear: AnalysisDefinition<LinearAnalysis, LinearPlan> = {
  kind: 'linear',
  signature: 'linear OUTCOME ~ TERMS',
  doc: '`linear OUTCOME ~ TERMS` — linear regression (lm): coefficients with SE, t, p and CI, R², adjusted R², F test, residual SE, and the F test of each term (drop1, = type II).',
  options: { conf: CONF_OPTION },
  role: { kind: 'plain' },
  ...outcomeFormulaSyntax,
  check(n, c) { c.requireNumeric(n.outcome, '`linear`'); for (const t of n.terms) c.expr(t.expr); },
  run: runLinear,
  complete(c) {
    if (c.tokens.length === 1) c.expression();
    else if (!c.has('~')) c.item('~', 'model formula');
    else c.body();
  },
  example: 'linear miR-21 ~ age + sex',
};

/** A fitted design: the model, its design and the rows used (indices into the cohort's rows). */
export interface LinearFit { model: LinearModel; terms: DesignTerm[]; X: number[][]; y: number[]; kept: number[]; tests: StatsTermTest[] }

/**
 * Fits y ~ terms (`cols`: the terms' columns over the cohort's `n` rows) on the complete rows; the F test of each term
 * (its columns dropped together).
 */
export function fitLinear(y: (number | null)[], termExprs: EvalExpr[], cols: Column[], n: number, confLevel: number): LinearFit {
  const idx = completeIdx([{ values: y }, ...cols], n);
  const terms = designTerms(termExprs, cols, idx);
  const { X, kept } = designMatrix(terms, cols, idx);
  const yy = kept.map((i) => y[i] as number);
  const names = terms.flatMap((t) => t.columns);
  const model = linearRegression(yy, X, names, { confLevel });
  let at = 0;
  const groups = terms.map((t) => ({ term: t.text, columns: t.columns.map(() => at++) }));
  return { model, terms, X, y: yy, kept, tests: dropTermTests(yy, X, names, groups, model) };
}

export const termTestsOf = (tests: StatsTermTest[]): TermTest[] => tests.map((t) => ({ term: t.term, df: t.df, sumSq: fin(t.sumSq), f: fin(t.f), p: fin(t.p) }));

function runLinear(a: LinearPlan, name: string, ctx: RunContext): LinearResult {
  const { name: cohort, rows } = singleCohort(a, ctx);
  const ev = new Evaluator(ctx.scope, rows);
  const y = ev.numeric(a.outcome, 'The outcome');
  const fit = fitLinear(y, a.terms, termColumns(a.terms, ev), rows.length, optNum(a, 'conf', 0.95));
  const m = fit.model;
  const res: LinearResult = {
    name, kind: 'linear', cohort, n: m.n, dropped: rows.length - fit.kept.length, outcome: exprText(a.outcome), conf: m.confLevel,
    terms: m.coefficients.map((c) => ({ term: c.term, coef: fin(c.coef), se: fin(c.se), t: fin(c.t), p: fin(c.p), ci: [fin(c.ci[0]), fin(c.ci[1])] })),
    termTests: termTestsOf(fit.tests), r2: fin(m.r2), adjR2: fin(m.adjR2), sigma: fin(m.sigma), dfResidual: m.dfResidual,
    f: { statistic: fin(m.fStatistic), df1: m.df1, df2: m.df2, p: fin(m.fP) },
  };
  if (fit.terms.length === 1 && fit.terms[0].type === 'numeric') {
    res.predictor = fit.terms[0].text;
    res.points = fit.kept.map((i, k) => ({ id: ctx.subjects[rows[i]], x: fit.X[k][0], y: fit.y[k] }));
  }
  if (m.warnings.length) res.warnings = [...m.warnings];
  return res;
}
