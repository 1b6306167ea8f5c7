/**
 * Linear regression by least squares, as R's lm + summary.lm + confint (Householder QR, stats/linalg.ts), the F test
 * of dropping each term from the model (drop1(fit, test = "F"); for a main-effects model this is car::Anova type II)
 * and linear combinations of the coefficients with their t interval (adjusted means, as emmeans).
 */
import { checkFinite } from './basic';
import { pfUpper, ptTwoSided, qt } from './dist';
import { StatsError } from './errors';
import { leastSquaresQr, SingularMatrixError } from './linalg';

export interface LinearCoefficient { term: string; coef: number; se: number; t: number; p: number; ci: [number, number] }

export interface LinearModel {
  /** '(Intercept)' first, then one row per design column. */
  coefficients: LinearCoefficient[];
  /** Unscaled covariance (XᵀX)⁻¹ of the coefficients (intercept first); vcov = sigma² × this. */
  xtxInv: number[][];
  n: number;
  /** Residual degrees of freedom n − p. */
  dfResidual: number;
  rss: number;
  /** Residual standard error. */
  sigma: number;
  r2: number;
  adjR2: number;
  /** Overall F test of all terms against the intercept-only model. */
  fStatistic: number; df1: number; df2: number; fP: number;
  fitted: number[];
  confLevel: number;
  /** summary.lm's "essentially perfect fit" warning. */
  warnings: string[];
}

/** Coefficients of y ~ 1 + X, or the aliased column's name in a StatsError. */
function solve(y: number[], X1: number[][], names: string[]): { coef: number[]; rInv: number[][]; rss: number; fitted: number[] } {
  let qr: ReturnType<typeof leastSquaresQr>;
  try {
    qr = leastSquaresQr(X1, y);
  } catch (e) {
    if (e instanceof SingularMatrixError) throw new StatsError(`linear regression: "${names[e.column]}" is collinear with the terms before it (aliased; lm would give NA)`);
    throw e;
  }
  const fitted = X1.map((r) => r.reduce((s, v, j) => s + v * qr.coef[j], 0));
  const rss = y.reduce((s, v, i) => s + (v - fitted[i]) ** 2, 0);
  return { ...qr, rss, fitted };
}

/** lm(y ~ X) with an intercept; `names` label the columns of X (no intercept column). */
export function linearRegression(y: number[], X: number[][], names: string[], opts: { confLevel?: number } = {}): LinearModel {
  const confLevel = opts.confLevel ?? 0.95;
  if (!(confLevel > 0 && confLevel < 1)) throw new StatsError(`linear regression: confLevel must be in (0, 1), got ${confLevel}`);
  checkFinite(y, 'outcome');
  X.forEach((r) => checkFinite(r, 'design'));
  const n = y.length, p = names.length + 1;
  if (n <= p) throw new StatsError(`linear regression: ${n} complete rows for ${p} coefficients; at least ${p + 1} are needed`);
  const allNames = ['(Intercept)', ...names];
  const { coef, rInv, rss, fitted } = solve(y, X.map((r) => [1, ...r]), allNames);
  const xtxInv = rInv.map((ri) => rInv.map((rk) => ri.reduce((s, v, m) => s + v * rk[m], 0)));
  const df = n - p;
  const sigma = Math.sqrt(rss / df);
  const q = qt(1 - (1 - confLevel) / 2, df);
  const coefficients = coef.map((b, j): LinearCoefficient => {
    const se = sigma * Math.sqrt(xtxInv[j][j]);
    const t = b / se;
    return { term: allNames[j], coef: b, se, t, p: ptTwoSided(t, df), ci: [b - q * se, b + q * se] };
  });
  const my = y.reduce((s, v) => s + v, 0) / n;
  const tss = y.reduce((s, v) => s + (v - my) ** 2, 0);
  const r2 = 1 - rss / tss;
  const fStatistic = ((tss - rss) / (p - 1)) / (rss / df);
  const mf = fitted.reduce((s, v) => s + v, 0) / n;
  const varF = fitted.reduce((s, v) => s + (v - mf) ** 2, 0) / (n - 1);
  const warnings = rss / df < (mf * mf + varF) * 1e-30 ? ['essentially perfect fit: the residuals are zero to working precision, so SE, t and p are unreliable (summary.lm warns the same)'] : [];
  return {
    coefficients, xtxInv, n, dfResidual: df, rss, sigma, r2, adjR2: 1 - (1 - r2) * ((n - 1) / df),
    fStatistic, df1: p - 1, df2: df, fP: pfUpper(fStatistic, p - 1, df), fitted, confLevel, warnings,
  };
}

/** One row of drop1(fit, test = "F"): the term's columns removed from the full model. */
export interface TermTest { term: string; df: number; sumSq: number; rss: number; f: number; p: number }

/**
 * The F test of dropping each term (a group of design columns, 0-based indices into X) from the full model, as
 * drop1(lm, test = "F"). For a model without interactions this is car::Anova(type = "II").
 */
export function dropTermTests(y: number[], X: number[][], names: string[], terms: { term: string; columns: number[] }[], full: LinearModel): TermTest[] {
  return terms.map(({ term, columns }) => {
    const keep = names.map((_, j) => j).filter((j) => !columns.includes(j));
    const reduced = solve(y, X.map((r) => [1, ...keep.map((j) => r[j])]), ['(Intercept)', ...keep.map((j) => names[j])]);
    const df = columns.length;
    const sumSq = reduced.rss - full.rss;
    const f = (sumSq / df) / (full.rss / full.dfResidual);
    return { term, df, sumSq, rss: reduced.rss, f, p: pfUpper(f, df, full.dfResidual) };
  });
}

/** The linear combination `row`·β (row includes the intercept's 1) with its SE and t interval at the model's level. */
export function linearCombination(m: LinearModel, row: number[]): { estimate: number; se: number; ci: [number, number] } {
  if (row.length !== m.coefficients.length) throw new StatsError(`linear combination: ${row.length} weights for ${m.coefficients.length} coefficients`);
  const estimate = row.reduce((s, w, j) => s + w * m.coefficients[j].coef, 0);
  let v = 0;
  for (let j = 0; j < row.length; j++) for (let k = 0; k < row.length; k++) v += row[j] * m.xtxInv[j][k] * row[k];
  const se = m.sigma * Math.sqrt(v);
  const q = qt(1 - (1 - m.confLevel) / 2, m.dfResidual);
  return { estimate, se, ci: [estimate - q * se, estimate + q * se] };
}
