/**
 * What a regression model with `rcs(x, k)` terms adds to its report (logistic and cox): rms::anova's Wald tests
 * (each term, its nonlinear part, TOTAL NONLINEAR, TOTAL) and rms::Predict's partial effect of each spline term —
 * the linear predictor over a grid of x with pointwise CI, the other terms at rms::datadist's adjust-to values
 * computed over the fit's rows (numeric: the median, or the smallest of 2 / middle of 3 unique values; factor: the
 * most frequent level, the first in level order on ties).
 */
import { qnorm } from '../stats/dist';
import { anovaRows, datadistNumeric, linearPrediction, predictGrid, type AnovaTerm } from '../stats/splines';
import type { Column } from '../study/eval';
import { exprText } from '../study/eval';
import type { AnovaRow, PartialEffect } from '../../shared/report/types';
import { fin } from './common';
import { designRow, splineOf, type DesignTerm } from './design';

/** The spline terms' columns and knots for report.json (undefined when the model has none). */
export function splineKnots(terms: DesignTerm[]): { term: string; columns: string[]; knots: number[] }[] | undefined {
  const s = terms.filter((t) => t.type === 'spline').map((t) => ({ term: t.text, columns: t.columns, knots: t.knots! }));
  return s.length ? s : undefined;
}

/** rms's name of a term in anova and Predict: a spline's variable, else the term as written. */
function termName(t: DesignTerm): string {
  const s = splineOf(t.expr);
  return s ? exprText(s.x) : t.text;
}

/** rms::anova of a model with spline terms (undefined without one). `offset`: coefficients before the terms' (an intercept). */
export function splineAnova(terms: DesignTerm[], coef: readonly number[], vcov: readonly (readonly number[])[], offset: number): AnovaRow[] | undefined {
  if (!terms.some((t) => t.type === 'spline')) return undefined;
  let at = offset;
  const groups: AnovaTerm[] = terms.map((t) => {
    const index = t.columns.map((_, j) => at + j);
    at += t.columns.length;
    return { name: termName(t), index, nonlinear: t.type === 'spline' ? index.slice(1) : [] };
  });
  return anovaRows(coef, vcov, groups).map((r) => ({ row: r.row, ...(r.term !== undefined ? { term: r.term } : {}), chisq: fin(r.chisq), df: r.df, p: fin(r.p) }));
}

/** Values of term k over the fit's rows. */
const valuesOf = (cols: Column[], k: number, kept: number[]) => kept.map((i) => cols[k].values[i] as number | string);

/** rms::datadist's adjust-to value of every term. */
export function adjustToValues(terms: DesignTerm[], cols: Column[], kept: number[]): (number | string)[] {
  return terms.map((t, k) => {
    const v = valuesOf(cols, k, kept);
    if (t.type !== 'factor') return datadistNumeric(v as number[]).adjustTo;
    const counts = t.levels!.map((l) => v.filter((x) => x === l).length);
    return t.levels![counts.indexOf(Math.max(...counts))];
  });
}

/** What a partial effect is computed from: coefficients, covariance, and an intercept (logistic) or design means (cox). */
export interface EffectFit { coef: readonly number[]; vcov: readonly (readonly number[])[]; intercept: boolean; center?: readonly number[] }

/** rms::Predict(fit, x) for every spline term x (none: undefined). */
export function partialEffects(terms: DesignTerm[], cols: Column[], kept: number[], fit: EffectFit, conf: number): PartialEffect[] | undefined {
  if (!terms.some((t) => t.type === 'spline')) return undefined;
  const adjust = adjustToValues(terms, cols, kept);
  const zq = qnorm(1 - (1 - conf) / 2);
  const out: PartialEffect[] = [];
  terms.forEach((t, k) => {
    if (t.type !== 'spline') return;
    const grid = predictGrid(datadistNumeric(valuesOf(cols, k, kept) as number[]));
    const points = grid.map((x) => {
      const values = adjust.slice();
      values[k] = x;
      let z = designRow(terms, values);
      if (fit.center) z = z.map((v, j) => v - fit.center![j]);
      if (fit.intercept) z = [1, ...z];
      const { lp, se } = linearPrediction(z, fit.coef, fit.vcov);
      return { x, y: lp, lo: lp - zq * se, hi: lp + zq * se };
    });
    out.push({
      term: t.text, variable: termName(t), conf, points,
      adjustTo: terms.flatMap((u, j) => (j === k ? [] : [{ term: termName(u), value: adjust[j] }])),
    });
  });
  return out;
}
