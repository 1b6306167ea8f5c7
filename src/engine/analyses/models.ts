/**
 * Analyses of a fitted model (`nomogram m`, `roc m`, `calibrate m`, `hosmer-lemeshow m`, `dca m`): the model a line
 * names, its predictions in a cohort, and `modelConsumer`, which builds the definition of a kind whose whole syntax
 * is `KIND MODEL [in COHORTS] [with OPTIONS]`.
 */
import type { Range } from '../common/diagnostic';
import { predictLogistic } from '../stats/logistic';
import type { AnalysisBase, Ident } from '../study/ast';
import { EvalError, Evaluator } from '../study/eval';
import type { AnalysisResult } from '../../shared/report/types';
import { binaryValues, cohortRows, completeIdx, type FittedLogistic, type FittedModel, type PlannedAnalysis, type RunContext } from './common';
import { designMatrix, termColumns } from './design';
import type { AnalysisDefinition, AnalysisParser, AnalysisRole, OptionSpec, PlanBase } from './types';

/** The logistic model an analysis names (fitted by an earlier line). */
export function logisticModel(a: PlannedAnalysis & { model: string; modelRange?: Range }, ctx: RunContext): FittedLogistic {
  const m = ctx.models.get(a.model);
  if (!m) {
    const known = [...ctx.models.keys()];
    throw new EvalError(`No fitted model "${a.model}" before this line (label a logistic model, e.g. "${a.model}: logistic y ~ x"${known.length ? `; models: ${known.join(', ')}` : ''}).`, a.modelRange ?? a.range);
  }
  if (m.kind !== 'logistic') throw new EvalError(`"${a.model}" is a ${m.kind} model; ${a.kind} needs a logistic model.`, a.modelRange ?? a.range);
  return m;
}

/** The model an analysis names, logistic or Cox (fitted by an earlier line; a univariate `cox` line fits no single model). */
export function fittedModel(a: PlannedAnalysis & { model: string; modelRange?: Range }, ctx: RunContext): FittedModel {
  const m = ctx.models.get(a.model);
  if (m) return m;
  const known = [...ctx.models.keys()];
  throw new EvalError(`No fitted model "${a.model}" before this line (label a logistic or multivariate cox model, e.g. "${a.model}: cox os ~ x"${known.length ? `; models: ${known.join(', ')}` : ''}).`, a.modelRange ?? a.range);
}

/** Outcome and predicted risk of a fitted logistic model in a cohort (the fit's own rows when it is the fit cohort). */
export function evaluateModel(m: FittedLogistic, cohort: string, rows: number[], ctx: RunContext): { y: number[]; p: number[]; n: number; dropped: number; warnings: string[] } {
  if (cohort === m.cohort) return { y: m.y, p: m.model.fitted, n: m.y.length, dropped: rows.length - m.y.length, warnings: [] };
  const ev = new Evaluator(ctx.scope, rows, m.cohortRows);
  const yCol = binaryValues(ev.eval(m.outcome), m.outcome);
  const cols = termColumns(m.terms.map((t) => t.expr), ev);
  const warnings: string[] = [];
  cols.forEach((c, k) => {
    const t = m.terms[k];
    if ((c.type === 'numeric') !== (t.type !== 'factor')) throw new EvalError(`The term "${t.text}" is ${c.type} in cohort ${cohort} but was ${t.type} in the fit.`, t.expr.range);
  });
  const idx = completeIdx([{ values: yCol }, ...cols], rows.length);
  const { X, kept, unknownLevel } = designMatrix(m.terms, cols, idx);
  if (unknownLevel) warnings.push(`${unknownLevel} row(s) of cohort ${cohort} have a factor level not seen when fitting ${m.name} and were dropped.`);
  const y = kept.map((i) => yCol[i] as number);
  const p = predictLogistic(m.model, X);
  return { y, p, n: y.length, dropped: rows.length - y.length, warnings };
}

/** The model's name after the keyword. */
export function parseModelName(p: AnalysisParser): Ident {
  return p.ident('a model name (the label of a `logistic` or `cox` line)');
}

/** AST node of `KIND MODEL ...`. */
export interface ModelNode<K extends string> extends AnalysisBase { analysis: K; model: Ident }
/** Plan of `KIND MODEL ...`. */
export type ModelPlan<K extends string> = PlanBase & { kind: K; model: string; modelRange?: Range };

export interface ModelConsumerSpec<K extends string> {
  signature: string;
  doc: string;
  options: Record<string, OptionSpec>;
  role: Extract<AnalysisRole, { kind: 'consumer' }>;
  run(a: ModelPlan<K>, name: string, ctx: RunContext): AnalysisResult;
  example: string;
}

/** The definition of a kind whose syntax is `KIND MODEL [in COHORTS] [with OPTIONS]`. */
export function modelConsumer<K extends string>(kind: K, spec: ModelConsumerSpec<K>): AnalysisDefinition<ModelNode<K>, ModelPlan<K>> {
  return {
    kind,
    ...spec,
    parse: (p) => ({ model: parseModelName(p) }) as never,
    exprs: () => [],
    check: (n, c) => { c.model(n.model); },
    plan: (n) => ({ model: n.model.name, modelRange: n.model.range }) as never,
    complete: (c) => {
      if (c.tokens.length === 1) { c.models(); return; }
      c.keyword('in', 'Cohort(s) to evaluate the model in'); c.keyword('with', 'Options');
    },
  };
}

/** A model evaluated in each cohort of the line (default: the fitting cohort), with the counts and warnings. */
export interface ModelEvaluations<E> { model: string; cohort: string; n: number; dropped: number; evaluations: E[]; warnings: string[] }

/** Evaluates the line's model in each of its cohorts and maps every evaluation with `f` (which may add warnings). */
export function modelEvaluations<E>(
  a: PlannedAnalysis & { model: string; modelRange?: Range }, ctx: RunContext,
  f: (e: { y: number[]; p: number[] }, cohort: string, m: FittedLogistic, warnings: string[]) => E,
): ModelEvaluations<E> {
  const m = logisticModel(a, ctx);
  const cohorts = a.cohorts.length ? cohortRows(a, ctx) : [{ name: m.cohort, rows: m.cohortRows }];
  const warnings: string[] = [];
  let n = 0, dropped = 0;
  const evaluations = cohorts.map((c) => {
    const e = evaluateModel(m, c.name, c.rows, ctx);
    warnings.push(...e.warnings);
    n += e.n; dropped += e.dropped;
    return f(e, c.name, m, warnings);
  });
  return { model: m.name, cohort: cohorts.map((c) => c.name).join(', '), n, dropped, evaluations, warnings };
}
