/**
 * report.json parts of regression models with `rcs(x, k)` terms (logistic and cox): rms::anova's Wald table and
 * rms::Predict's partial effects, and the table both kinds show.
 */
import type { Num } from './base';
import { cell, fmtNum, significantRows, type DataTable } from './format';

/** One line of rms::anova: `row` as rms labels it (the term's variable, " Nonlinear", "TOTAL NONLINEAR", "TOTAL"). */
export interface AnovaRow { row: string; term?: string; chisq: Num; df: number; p: Num }

/** rms::Predict(fit, x) of a spline term: the linear predictor (log odds, or log relative hazard) over a grid of x. */
export interface PartialEffect {
  /** The term as written (`rcs(age, 4)`) and its variable (`age`). */
  term: string;
  variable: string;
  conf: number;
  /** The other terms' values (rms::datadist's adjust-to values), a spline term by its variable. */
  adjustTo: { term: string; value: number | string }[];
  points: { x: number; y: number; lo: number; hi: number }[];
}

/** Fields a model result with spline terms has. */
export interface SplineParts {
  /** Each spline term: its knots and design columns (x, x', ...: rows of the terms table, left out of forest plots). */
  splines?: { term: string; columns: string[]; knots: number[] }[];
  /** rms::anova's Wald tests (present when the model has a spline term). */
  anova?: AnovaRow[];
  partialEffects?: PartialEffect[];
}

/** The Wald table (rms::anova) of a model with spline terms; nothing otherwise. */
export function anovaTables(r: SplineParts): DataTable[] {
  if (!r.anova) return [];
  const knots = (r.splines ?? []).map((s) => `${s.term}: knots ${s.knots.map((k) => fmtNum(k, 4)).join(', ')}`);
  return [{
    id: 'anova', title: 'Wald tests and nonlinearity (rms::anova)',
    columns: ['Factor', 'χ²', 'df', 'p'],
    rows: r.anova.map((x) => [cell.text(x.row.startsWith(' ') ? `  ${x.row.trim()} (${x.term})` : x.row), cell.num(x.chisq, 4), cell.int(x.df), cell.p(x.p)]),
    significant: significantRows(r.anova.map((x) => x.p)),
    note: ['"Nonlinear" tests H0: the term is linear in x (its spline\'s nonlinear coefficients are 0)', ...knots].join('; '),
  }];
}
