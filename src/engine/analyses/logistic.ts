/** `logistic OUTCOME ~ TERMS`: logistic regression (stats/logistic.ts); a labelled fit is a model other lines use. */
import { logisticRegression, type LogisticModel } from '../stats/logistic';
import { cIndexBinary } from '../stats/roc';
import type { AnalysisBase, Expr, Term } from '../study/ast';
import { Evaluator, exprText, type EvalExpr } from '../study/eval';
import type { LogisticResult, LogisticTerm } from '../../shared/report/types';
import { logisticVcovAt } from '../stats/splines';
import { binaryValues, completeIdx, fin, optNum, optStr, singleCohort, type RunContext } from './common';
import { checkTerms, completeTerms, designMatrix, designTerms, epvWarning, outcomeFormulaSyntax, termColumns } from './design';
import { partialEffects, splineAnova, splineKnots } from './modelTerms';
import { CONF_OPTION, type AnalysisDefinition, type PlanBase } from './types';

export interface LogisticAnalysis extends AnalysisBase { analysis: 'logistic'; outcome: Expr; terms: Term[] }
export type LogisticPlan = PlanBase & { kind: 'logistic'; outcome: EvalExpr; terms: EvalExpr[] };

export const logistic: AnalysisDefinition<LogisticAnalysis, LogisticPlan> = {
  kind: 'logistic',
  signature: 'logistic OUTCOME ~ TERMS',
  doc: '`logistic OUTCOME ~ TERMS` — logistic regression (glm): OR, Wald or profile CI, AIC, Nagelkerke R².',
  options: {
    univariate: { type: 'flag', doc: 'Fit each term alone as well.' },
    ci: { type: 'choice', values: ['wald', 'profile'], doc: 'Confidence intervals of the odds ratios (default wald).' },
    conf: CONF_OPTION,
  },
  role: { kind: 'model' },
  ...outcomeFormulaSyntax,
  check(n, c) { c.expr(n.outcome); checkTerms(n.terms, c); },
  run: runLogistic,
  complete: completeTerms,
  example: 'm1: logistic effective ~ miR-21 + age',
};

/** report.json LogisticTerm rows (OR-scale CI of the method chosen at fit time). */
export function toLogisticTerms(model: LogisticModel): LogisticTerm[] {
  return model.terms.map((t) => ({ term: t.term, coef: t.coef, se: t.se, wald: t.wald, p: t.p, or: t.or, ci: t.ci }));
}

function runLogistic(a: LogisticPlan, name: string, ctx: RunContext): LogisticResult {
  const { name: cohort, rows } = singleCohort(a, ctx);
  const ev = new Evaluator(ctx.scope, rows);
  const ci = optStr(a, 'ci', ['wald', 'profile'], 'wald') as 'wald' | 'profile';
  const yCol = binaryValues(ev.eval(a.outcome), a.outcome);
  const cols = termColumns(a.terms, ev);
  const idx = completeIdx([{ values: yCol }, ...cols], rows.length);
  const terms = designTerms(a.terms, cols, idx);
  const { X, kept } = designMatrix(terms, cols, idx);
  const y = kept.map((i) => yCol[i] as number);
  const names = terms.flatMap((t) => t.columns);
  const model = logisticRegression(y, X, names, { ci });
  ctx.models.set(name, { kind: 'logistic', name, cohort, cohortRows: rows, outcome: a.outcome, terms, model, X, y, rows: kept.map((i) => rows[i]), ci });
  const res: LogisticResult = {
    name, kind: 'logistic', cohort, n: model.n, dropped: rows.length - kept.length, events: model.events, terms: toLogisticTerms(model),
    aic: fin(model.aic), r2Nagelkerke: fin(model.r2Nagelkerke), ci, outcome: exprText(a.outcome), deviance: fin(model.deviance),
    nullDeviance: fin(model.nullDeviance), cIndex: fin(cIndexBinary(y, model.fitted)),
  };
  const epv = epvWarning(Math.min(model.events, model.n - model.events), names.length, model.events <= model.n - model.events ? 'events' : 'non-events (the less frequent outcome)');
  if (epv) res.warnings = [epv];
  const splines = splineKnots(terms);
  if (splines) {
    // rms::lrm's covariance (the information at the final coefficients), which rms::anova and rms::Predict use
    const vcov = logisticVcovAt(X, model.coef);
    res.splines = splines;
    res.anova = splineAnova(terms, model.coef, vcov, 1);
    res.partialEffects = partialEffects(terms, cols, kept, { coef: model.coef, vcov, intercept: true }, optNum(a, 'conf', 0.95));
  }
  return res;
}
