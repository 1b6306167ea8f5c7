/**
 * Restricted cubic splines as rms (Hmisc::rcspline.eval with rms's defaults: norm = 2, type "ordinary"):
 * - knots: for k knots, quantiles of x at seq(outer, 1 - outer, length = k) with outer 0.1 (k = 3), 0.05
 *   (k = 4..6) or 0.025 (k = 7); when fewer than 100 values, the outer knots move to the 5th smallest and largest;
 *   a value holding at least `fractied` (5 %) of the data at either end becomes a knot of its own (the tied-value
 *   rule); with nxu - 2 <= k unique values the interior unique values are the knots.
 * - basis: x itself and, for j = 1..k-2, (x - t_j)+³ − [(t_k − t_j)(x − t_{k−1})+³ − (t_{k−1} − t_j)(x − t_k)+³]
 *   / (t_k − t_{k−1}) with every (·)+ divided by kd = (t_k − t_1)^(2/3) before cubing.
 * - the Wald test of nonlinearity (rms::anova's "Nonlinear" line): the nonlinear coefficients' b' V⁻¹ b.
 */
import { StatsError } from './errors';
import { pchisqUpper } from './dist';
import { quantile7Sorted, sortedNumbers } from '../../shared/quantile';
import { invertSpd } from './linalg';
import { maxOf } from '../../shared/extent';

/** The fraction of data at an end value from which that value gets a knot of its own (rcspline.eval's fractied). */
const FRACTIED = 0.05;

function median(s: readonly number[]): number { return quantile7Sorted(s, 0.5); }

/** The lengths of the runs of equal values of sorted s, in order (one per unique value). */
function runLengths(s: readonly number[]): number[] {
  const out: number[] = [];
  for (let i = 0; i < s.length;) {
    let j = i + 1;
    while (j < s.length && s[j] === s[i]) j++;
    out.push(j - i);
    i = j;
  }
  return out;
}

/** Default knots of rcs(x, k) as rcspline.eval (nk = k). */
export function rcsKnots(values: readonly number[], k: number): number[] {
  if (!(Number.isInteger(k) && k >= 3 && k <= 7)) throw new StatsError(`rcs: the number of knots must be 3 to 7, got ${k}`);
  let xx = Array.from(sortedNumbers(values.filter((v) => Number.isFinite(v))));
  const n = xx.length;
  if (n < 6) throw new StatsError('rcs: fewer than 6 non-missing values');
  const xu = [...new Set(xx)];
  let knots: number[];
  if (xu.length - 2 <= k) knots = xu.slice(1, -1);
  else {
    const outer = k > 6 ? 0.025 : k > 3 ? 0.05 : 0.1;
    let nke = k, first: number[] = [], last: number[] = [];
    let overFirst = false, overLast = false;
    const freq = runLengths(xx).map((c) => c / n); // each unique value's share (xu's order: xx is sorted)
    if (maxOf(freq.slice(1, -1)) < FRACTIED) {
      if (freq[0] >= FRACTIED) { first = [xu[1]]; xx = xx.filter((v) => v > first[0]); nke--; overFirst = true; }
      if (freq[freq.length - 1] >= FRACTIED) { last = [xu[xu.length - 2]]; xx = xx.filter((v) => v < last[0]); nke--; overLast = true; }
    }
    if (nke === 1) knots = [median(xx)];
    else {
      if (xu.length <= nke) knots = xu.slice();
      else {
        const probs = nke === 2 ? seq(0.5, 1 - outer, nke) : seq(outer, 1 - outer, nke);
        knots = probs.map((pr) => quantile7Sorted(xx, pr));
        if (new Set(knots).size < Math.min(nke, 3)) throw new StatsError(`rcs: could not place ${nke} distinct knots (too many tied values)`);
      }
      if (xx.length < 100) {
        if (!overFirst) knots[0] = xx[4];
        if (!overLast) knots[nke - 1] = xx[xx.length - 5];
      }
    }
    knots = [...first, ...knots, ...last];
  }
  knots = [...new Set(knots)].sort((a, b) => a - b);
  if (knots.length < 3) throw new StatsError('rcs: fewer than 3 unique knots');
  return knots;
}

function seq(from: number, to: number, length: number): number[] {
  return Array.from({ length }, (_, i) => (length === 1 ? from : from + ((to - from) * i) / (length - 1)));
}

/** The nonlinear basis columns of rcs at `knots` (k - 2 columns; x itself is the linear column). */
export function rcsBasis(x: number, knots: readonly number[]): number[] {
  const k = knots.length;
  const t1 = knots[0], tk = knots[k - 1], tk1 = knots[k - 2];
  const kd = Math.pow(tk - t1, 2 / 3);
  const cube = (v: number) => { const p = Math.max(v / kd, 0); return p * p * p; };
  const out: number[] = [];
  for (let j = 0; j < k - 2; j++) {
    const tj = knots[j];
    out.push(cube(x - tj) + ((tk1 - tj) * cube(x - tk) - (tk - tj) * cube(x - tk1)) / (tk - tk1));
  }
  return out;
}

export interface WaldTest { chisq: number; df: number; p: number }

/** Wald chi-square b' V⁻¹ b of the coefficients at `index` (e.g. a term's nonlinear columns) of a fit with covariance V. */
export function waldTest(coef: readonly number[], vcov: readonly (readonly number[])[], index: readonly number[]): WaldTest {
  if (!index.length) throw new StatsError('Wald test: no coefficients');
  const b = index.map((i) => coef[i]);
  const v = index.map((i) => index.map((j) => vcov[i][j]));
  const vi = invertSpd(v.map((r) => r.slice()), 1e-12);
  let chisq = 0;
  for (let a = 0; a < b.length; a++) for (let c = 0; c < b.length; c++) chisq += b[a] * vi[a][c] * b[c];
  return { chisq, df: b.length, p: pchisqUpper(chisq, b.length) };
}

/**
 * The covariance of a logistic fit as rms::lrm reports it: the inverse information X'WX at the final coefficients
 * (W = p(1 - p), intercept column added). glm's summary uses the weights of the last IRLS step instead, which
 * differs in about the 5th digit; rms::anova's Wald tests use this one.
 */
export function logisticVcovAt(X: readonly (readonly number[])[], coef: readonly number[]): number[][] {
  const q = coef.length;
  const info = Array.from({ length: q }, () => new Array<number>(q).fill(0));
  for (const row of X) {
    const z = [1, ...row];
    const eta = z.reduce((a, v, j) => a + v * coef[j], 0);
    const p = 1 / (1 + Math.exp(-eta));
    const w = p * (1 - p);
    for (let a = 0; a < q; a++) for (let b = 0; b < q; b++) info[a][b] += w * z[a] * z[b];
  }
  return invertSpd(info, 1e-12);
}

/** One term of a model for rms::anova: its coefficient indices and the nonlinear ones among them (spline columns 2..). */
export interface AnovaTerm { name: string; index: number[]; nonlinear: number[] }
/** One line of rms::anova: `row` is rms's label (the term, " Nonlinear", "TOTAL NONLINEAR", "TOTAL"). */
export interface AnovaRow extends WaldTest { row: string; term?: string }

/**
 * rms::anova's Wald table for main-effect models: per term its joint test and, for a spline, its " Nonlinear"
 * line; "TOTAL NONLINEAR" when more than one term has a nonlinear part; "TOTAL" (every coefficient) always.
 */
export function anovaRows(coef: readonly number[], vcov: readonly (readonly number[])[], terms: readonly AnovaTerm[]): AnovaRow[] {
  const rows: AnovaRow[] = [];
  for (const t of terms) {
    rows.push({ row: t.name, term: t.name, ...waldTest(coef, vcov, t.index) });
    if (t.nonlinear.length) rows.push({ row: ' Nonlinear', term: t.name, ...waldTest(coef, vcov, t.nonlinear) });
  }
  const nonlinear = terms.filter((t) => t.nonlinear.length);
  if (nonlinear.length > 1) rows.push({ row: 'TOTAL NONLINEAR', ...waldTest(coef, vcov, nonlinear.flatMap((t) => t.nonlinear)) });
  rows.push({ row: 'TOTAL', ...waldTest(coef, vcov, terms.flatMap((t) => t.index)) });
  return rows;
}

/**
 * rms::datadist's limits of a numeric variable: the value others are adjusted to (the smallest of 2 unique values,
 * the middle of 3, else the median) and the prediction range (quantiles 10 / max(n, 200) and 1 - that, type 7; the
 * range with fewer than 4 unique values or equal quantiles); `values`: the unique values when at most 10.
 */
export function datadistNumeric(x: readonly number[]): { adjustTo: number; low: number; high: number; values?: number[] } {
  const s = Array.from(sortedNumbers(x.filter((v) => Number.isFinite(v))));
  if (s.length < 2) throw new StatsError('datadist: fewer than 2 non-missing values');
  const u = [...new Set(s)];
  const adjustTo = u.length < 3 ? u[0] : u.length === 3 ? u[1] : median(s);
  const q = 10 / Math.max(s.length, 200);
  let low = u[0], high = u[u.length - 1];
  if (u.length >= 4) {
    const l = quantile7Sorted(s, q), h = quantile7Sorted(s, 1 - q);
    if (l !== h) { low = l; high = h; }
  }
  return { adjustTo, low, high, ...(u.length <= 10 ? { values: u } : {}) };
}

/** rms::Predict's grid of a variable: its unique values when at most 10, else 200 points from low to high. */
export function predictGrid(lim: { low: number; high: number; values?: number[] }, np = 200): number[] {
  return lim.values ? lim.values.slice() : seq(lim.low, lim.high, np);
}

/** A linear prediction z'b with its standard error sqrt(z' V z). */
export function linearPrediction(z: readonly number[], coef: readonly number[], vcov: readonly (readonly number[])[]): { lp: number; se: number } {
  let lp = 0, v = 0;
  for (let a = 0; a < z.length; a++) {
    lp += z[a] * coef[a];
    for (let b = 0; b < z.length; b++) v += z[a] * vcov[a][b] * z[b];
  }
  return { lp, se: Math.sqrt(Math.max(v, 0)) };
}
