/**
 * Risk scores of fitted models on a cohort's rows, shared by `compare-models` and the multi-model `roc`: a model is a
 * `Side` (its design terms and a score function: logistic probability or Cox linear predictor), and `scoreRows`
 * evaluates one or more sides on the rows complete for the outcome and every side's terms (paired).
 */
import type { Range } from '../common/diagnostic';
import { predictLogistic } from '../stats/logistic';
import { EvalError, Evaluator, type Column } from '../study/eval';
import { binaryValues, completeIdx, type FittedModel, type PlannedAnalysis, type RunContext } from './common';
import { designMatrix, type DesignTerm } from './design';
import { survivalColumns } from './survival';

/** One side of the comparison: a model's design terms and its risk score (logistic: probability; Cox: linear predictor). */
export interface Side { name: string; terms: DesignTerm[]; score(X: number[][]): number[]; refRows: number[] }

/** Outcome and both scores on the rows complete for the outcome and the terms of every side (one or two). */
export interface Scored { y: number[]; time: number[]; n: number; dropped: number; scores: number[][] }

export function fittedModel(a: PlannedAnalysis, name: string, range: Range | undefined, ctx: RunContext): FittedModel {
  const m = ctx.models.get(name);
  if (m) return m;
  throw new EvalError(`No fitted model "${name}" before this line (label a multivariable \`logistic\` or \`cox\` line: "${name}: logistic y ~ x").`, range ?? a.range);
}

export function outcomeColumns(m: FittedModel, ev: Evaluator): (number | null)[][] {
  if (m.kind === 'logistic') return [binaryValues(ev.eval(m.outcome), m.outcome)];
  const { time, event } = survivalColumns(m.outcome, ev);
  return [event, time];
}

function termCols(terms: DesignTerm[], ev: Evaluator, cohort: string): Column[] {
  return terms.map((t) => {
    const c = ev.eval(t.expr);
    if ((c.type === 'numeric') !== (t.type === 'numeric')) throw new EvalError(`The term "${t.text}" is ${c.type} in cohort ${cohort} but was ${t.type} in the fit.`, t.expr.range);
    return c;
  });
}

/** Scores of the sides on `rows` (paired: the same complete rows for all). */
export function scoreRows(m: FittedModel, sides: Side[], cohort: string, rows: number[], ctx: RunContext, warnings: string[]): Scored {
  const ev = new Evaluator(ctx.scope, rows, sides[0].refRows);
  const out = outcomeColumns(m, ev);
  const cols = sides.map((s) => termCols(s.terms, new Evaluator(ctx.scope, rows, s.refRows), cohort));
  let idx = completeIdx([...out.map((values) => ({ values })), ...cols.flat()], rows.length);
  for (const [k, s] of sides.entries()) {
    const { kept, unknownLevel } = designMatrix(s.terms, cols[k], idx);
    if (unknownLevel) warnings.push(`${unknownLevel} row(s) of cohort ${cohort} have a factor level not seen when fitting ${s.name} and were dropped.`);
    idx = kept;
  }
  const scores = sides.map((s, k) => s.score(designMatrix(s.terms, cols[k], idx).X));
  return { y: idx.map((i) => out[0][i] as number), time: out[1] ? idx.map((i) => out[1][i] as number) : [], n: idx.length, dropped: rows.length - idx.length, scores };
}

/** The side of a model as fitted (its own terms and coefficients). */
export function sideAsFitted(m: FittedModel): Side {
  if (m.kind === 'logistic') return { name: m.name, terms: m.terms, refRows: m.cohortRows, score: (X) => predictLogistic(m.model, X) };
  return { name: m.name, terms: m.terms, refRows: m.cohortRows, score: (X) => X.map((r) => r.reduce((s, x, j) => s + x * m.coef[j], 0)) };
}
