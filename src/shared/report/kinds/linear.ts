/** `linear`: linear regression (lm): coefficients, model fit, and the F test of each term (drop1 = type II). */
import type { Interval, Num, ResultBase } from '../base';
import { cell, fmtFixed, fmtNum, isSignificant, pStatement, significantRows, type DataTable } from '../format';
import type { ReportKind } from './kind';

export interface LinearTerm { term: string; coef: Num; se: Num; t: Num; p: Num; ci: Interval }
/** The F test of dropping one term (all its columns) from the model: drop1(lm, test = "F"), = car::Anova type II. */
export interface TermTest { term: string; df: number; sumSq: Num; f: Num; p: Num }
export interface LinearResult extends ResultBase {
  kind: 'linear';
  outcome: string;
  /** Confidence level of the coefficients' intervals. */
  conf: number;
  terms: LinearTerm[];
  termTests: TermTest[];
  r2: Num;
  adjR2: Num;
  /** Residual standard error and its degrees of freedom. */
  sigma: Num;
  dfResidual: number;
  /** Overall F test against the intercept-only model. */
  f: { statistic: Num; df1: number; df2: number; p: Num };
  /** With one numeric predictor: its name and the points (subject, x, y) for the scatter with the fitted line. */
  predictor?: string;
  points?: { id: string; x: number; y: number }[];
}

const pct = (conf: number): string => `${fmtNum(100 * conf, 3)}% CI`;

/** The per-term F tests (shared with compare's ANCOVA). */
export function termTestsTable(id: string, title: string, rows: TermTest[], dfResidual: number, note?: string): DataTable {
  return {
    id, title, columns: ['Term', 'df', 'Sum of squares', 'F', 'p'],
    rows: rows.map((x) => [cell.text(x.term), cell.int(x.df), cell.num(x.sumSq, 4), cell.num(x.f, 4), cell.p(x.p)]),
    significant: significantRows(rows.map((x) => x.p)),
    note: [`F tests of dropping each term from the full model (type II; drop1), residual df ${dfResidual}`, note].filter(Boolean).join('. '),
  };
}

/** `compare X by GROUP adjusting COVARIATES` (ANCOVA): the model's term tests and the adjusted group means. */
export interface AncovaTable {
  adjusting: string[];
  /** Type II F tests (drop1), the group first. */
  terms: TermTest[];
  dfResidual: number;
  r2: Num;
  conf: number;
  /** Predictions at the covariates' means (factor covariates: equal weights over their levels), as emmeans. */
  means: { level: string; n: number; mean: Num; se: Num; ci: Interval }[];
}

/** The ANCOVA's tables (after compare's test table). */
export function ancovaTables(a: AncovaTable): DataTable[] {
  return [termTestsTable('ancova', `ANCOVA adjusting ${a.adjusting.join(', ')}`, a.terms, a.dfResidual, `R² ${fmtFixed(a.r2, 3)}`), {
    id: 'adjusted-means', title: 'Adjusted means', columns: ['Group', 'n', 'Adjusted mean', 'SE', pct(a.conf)],
    rows: a.means.map((m) => [cell.text(m.level), cell.int(m.n), cell.num(m.mean, 4), cell.num(m.se, 4), cell.ci(m.ci, 3)]),
    note: 'Predicted at the mean of each numeric covariate, averaged with equal weights over the levels of each factor covariate (as emmeans)',
  }];
}

function tables(r: LinearResult): DataTable[] {
  return [{
    id: 'coefficients', title: `Linear regression of ${r.outcome}`,
    columns: ['Term', 'Estimate', 'SE', 't', 'p', pct(r.conf)],
    rows: r.terms.map((x) => [cell.text(x.term), cell.num(x.coef, 4), cell.num(x.se, 4), cell.num(x.t, 4), cell.p(x.p), cell.ci(x.ci, 3)]),
    significant: r.terms.flatMap((x, i) => (x.term !== '(Intercept)' && isSignificant(x.p) ? [i] : [])),
    note: [`n = ${r.n}`, `R² ${fmtFixed(r.r2, 3)}, adjusted R² ${fmtFixed(r.adjR2, 3)}`,
      `F = ${fmtNum(r.f.statistic, 4)} on ${r.f.df1} and ${r.f.df2} df, ${pStatement(r.f.p)}`,
      `residual SE ${fmtNum(r.sigma, 4)} on ${r.dfResidual} df`].join('; '),
  }, termTestsTable('terms', 'Tests of the terms', r.termTests, r.dfResidual)];
}

export const linearKind: ReportKind<LinearResult> = { kind: 'linear', tables };
