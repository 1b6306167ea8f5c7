/**
 * The proportional-hazards test of a fitted Cox model, as survival 3.x's cox.zph(fit, transform = "km")
 * (the algorithm since survival 3.0: a score test, not the older Grambsch-Therneau approximation): at the fitted
 * beta, the model is augmented by the covariates X·g(t) with g(t) = 1 - S(t-) (the pooled Kaplan-Meier estimate
 * just before t, centred at its mean over the event times); u is the score of the added coefficients and I the full
 * information matrix of (X, X·g) (Efron or Breslow ties, as the fit). Per term: chi-square = u' I⁻¹ u over the
 * model's columns plus the term's added columns (df = the term's columns); GLOBAL: over every added column.
 * Restated from survival's cox.zph and its zph1 routine for right-censored data without weights. With strata (a
 * stratified fit), risk sets and tied-death groups are formed within strata, g(t) stays the pooled KM, and the
 * residuals are ordered by stratum, then time (as R); a covariate constant within a stratum (where R leaves
 * that stratum's residuals out of the term's scaling) is refused.
 */
import { StatsError } from './errors';
import { pchisqUpper } from './dist';
import { kaplanMeier } from './km';
import { invertSpd, solveSpd } from './linalg';
import { rcsBasis } from './splines';
import { quantile7Sorted } from '../../shared/quantile';
import { maxOf, minOf } from '../../shared/extent';

export interface ZphRow { term: string; chisq: number; df: number; p: number }
/**
 * Scaled Schoenfeld residuals per event (ascending time) and term, as cox.zph's `y`, against `x` = g(t) uncentred;
 * `variance`: cox.zph's `var` (the inverse of the per-event information, per term), which scales the smooth's band.
 */
export interface ZphResiduals { time: number[]; x: number[]; scaled: number[][]; variance: number[][] }
export interface ZphResult { terms: ZphRow[]; global: ZphRow; transform: 'km'; residuals: ZphResiduals }

/** g(t) = 1 - S(t-) of the pooled KM, per observation (survival's transform = "km"). */
function kmTransform(time: readonly number[], status: readonly number[]): number[] {
  const km = kaplanMeier(time.slice(), status.slice());
  return time.map((t) => {
    let s = 1;
    for (let k = 0; k < km.time.length && km.time[k] < t; k++) s = km.surv[k];
    return 1 - s;
  });
}

/** Score u and information I of the augmented model (X, X·g) at (beta, 0). */
interface Augmented { u: number[]; imat: number[][]; schoen: { index: number; r: number[] }[] }

function augmentedScore(time: readonly number[], status: readonly number[], X: readonly (readonly number[])[], beta: readonly number[], g: readonly number[], efron: boolean, stratum: readonly number[]): Augmented {
  const n = time.length, p = beta.length, q = 2 * p;
  const means = Array.from({ length: p }, (_, j) => X.reduce((a, row) => a + row[j], 0) / n);
  const xc = X.map((row) => row.map((v, j) => v - means[j]));
  const risk = xc.map((row) => Math.exp(row.reduce((a, v, j) => a + v * beta[j], 0)));
  const ord = Array.from({ length: n }, (_, i) => i).sort((a, b) => stratum[a] - stratum[b] || time[b] - time[a]);
  let S1 = new Array<number>(p).fill(0), S2 = Array.from({ length: p }, () => new Array<number>(p).fill(0));
  let S0 = 0;
  const u = new Array<number>(q).fill(0);
  const imat = Array.from({ length: q }, () => new Array<number>(q).fill(0));
  const schoen: { index: number; r: number[] }[] = [];
  for (let k = 0; k < n;) {
    if (k > 0 && stratum[ord[k]] !== stratum[ord[k - 1]]) { // a new stratum: its own risk sets
      S0 = 0; S1 = new Array<number>(p).fill(0); S2 = Array.from({ length: p }, () => new Array<number>(p).fill(0));
    }
    let e = k;
    while (e < n && time[ord[e]] === time[ord[k]] && stratum[ord[e]] === stratum[ord[k]]) e++;
    const D1 = new Array<number>(p).fill(0), D2 = Array.from({ length: p }, () => new Array<number>(p).fill(0));
    let D0 = 0, d = 0;
    const xdeath = new Array<number>(p).fill(0);
    for (let m = k; m < e; m++) {
      const i = ord[m], r = risk[i], x = xc[i];
      S0 += r;
      for (let a = 0; a < p; a++) { S1[a] += r * x[a]; for (let b = 0; b < p; b++) S2[a][b] += r * x[a] * x[b]; }
      if (status[i] === 1) {
        d++; D0 += r;
        for (let a = 0; a < p; a++) { xdeath[a] += x[a]; D1[a] += r * x[a]; for (let b = 0; b < p; b++) D2[a][b] += r * x[a] * x[b]; }
      }
    }
    if (d > 0) {
      const gk = g[ord[k]];
      const meanAvg = new Array<number>(p).fill(0);
      for (let j = 0; j < d; j++) {
        const f = efron ? j / d : 0;
        const s0 = S0 - f * D0;
        const mean = S1.map((v, a) => (v - f * D1[a]) / s0);
        for (let a = 0; a < p; a++) {
          for (let b = 0; b < p; b++) {
            const v = (S2[a][b] - f * D2[a][b]) / s0 - mean[a] * mean[b];
            imat[a][b] += v; imat[a][b + p] += gk * v; imat[a + p][b] += gk * v; imat[a + p][b + p] += gk * gk * v;
          }
          u[a] -= mean[a]; u[a + p] -= gk * mean[a];
          meanAvg[a] += mean[a] / d;
        }
      }
      for (let m = e - 1; m >= k; m--) if (status[ord[m]] === 1) schoen.push({ index: ord[m], r: xc[ord[m]].map((v, a) => v - meanAvg[a]) });
      for (let a = 0; a < p; a++) { u[a] += xdeath[a]; u[a + p] += gk * xdeath[a]; }
    }
    k = e;
  }
  return { u, imat, schoen };
}

/** cox.zph(fit) for a fit of `X` (n × p) with coefficients `beta`; `terms` groups the columns (a factor's dummies together). */
export interface ZphOptions { ties?: 'efron' | 'breslow'; terms?: { name: string; columns: number[] }[]; strata?: readonly (string | number)[] }

export function coxZph(time: readonly number[], status: readonly number[], X: readonly (readonly number[])[], beta: readonly number[], opts: ZphOptions = {}): ZphResult {
  const p = beta.length;
  if (!X.length || X[0].length !== p) throw new StatsError('cox.zph: the design and the coefficients do not match');
  if (!status.some((s) => s === 1)) throw new StatsError('cox.zph: no events');
  const stratum = strataIndex(X, opts.strata);
  const tt = kmTransform(time, status);
  const ev = tt.filter((_, i) => status[i] === 1);
  const centre = ev.reduce((a, b) => a + b, 0) / ev.length;
  const aug = augmentedScore(time, status, X, beta, tt.map((v) => v - centre), (opts.ties ?? 'efron') === 'efron', stratum);
  const { u, imat } = aug;
  const terms = opts.terms ?? beta.map((_, j) => ({ name: `x${j + 1}`, columns: [j] }));
  const test = (cols: number[]): number => {
    const kk = [...beta.map((_, j) => j), ...cols.map((c) => c + p)];
    const sub = kk.map((a) => kk.map((b) => imat[a][b]));
    const uu = kk.map((a, i) => (i < p ? 0 : u[a]));
    const sol = solveSpd(sub, uu, 1e-12);
    return sol.reduce((acc, v, i) => acc + v * uu[i], 0);
  };
  const row = (term: string, cols: number[]): ZphRow => { const chisq = test(cols); return { term, chisq, df: cols.length, p: pchisqUpper(chisq, cols.length) }; };
  return { terms: terms.map((t) => row(t.name, t.columns)), global: row('GLOBAL', beta.map((_, j) => j)), transform: 'km', residuals: scaledResiduals(time, tt, aug, beta, terms, stratum) };
}

/** The stratum of each row (levels in sorted order, as coxph here); all 0 without strata. */
function strataIndex(X: readonly (readonly number[])[], strata: readonly (string | number)[] | undefined): number[] {
  if (!strata) return X.map(() => 0);
  if (strata.length !== X.length) throw new StatsError(`cox.zph: strata has ${strata.length} values, there are ${X.length} observations`);
  const levels = [...new Set(strata.map(String))].sort();
  const index = strata.map((v) => levels.indexOf(String(v)));
  levels.forEach((l, s) => {
    const rows = X.filter((_, i) => index[i] === s);
    X[0].forEach((_, j) => {
      if (rows.length && rows.every((r) => r[j] === rows[0][j])) throw new StatsError(`cox.zph: column ${j + 1} is constant within stratum ${l} (not supported)`);
    });
  });
  return index;
}

/**
 * cox.zph's scaled Schoenfeld residuals: r V⁻¹ + beta with V the information per event (imat / events); a term of
 * several columns is first collapsed by its coefficients (r·beta_term, V' = beta' V beta) and centred at 1, as R.
 */
function scaledResiduals(time: readonly number[], g: readonly number[], aug: Omit<Augmented, 'u'>, beta: readonly number[], terms: { name: string; columns: number[] }[], stratum: readonly number[]): ZphResiduals {
  const p = beta.length;
  const events = aug.schoen.slice().sort((a, b) => stratum[a.index] - stratum[b.index] || time[a.index] - time[b.index] || a.index - b.index);
  const d = events.length;
  const vmean = aug.imat.slice(0, p).map((row) => row.slice(0, p).map((v) => v / d));
  // temp: p × terms (1 for a single column, the coefficients for a multi-column term)
  const temp = beta.map((_, j) => terms.map((t) => (t.columns.includes(j) ? (t.columns.length === 1 ? 1 : beta[j]) : 0)));
  const vt = terms.map((_, a) => terms.map((__, b) => {
    let acc = 0;
    for (let i = 0; i < p; i++) for (let j = 0; j < p; j++) acc += temp[i][a] * vmean[i][j] * temp[j][b];
    return acc;
  }));
  const vinv = invertSpd(vt, 1e-12);
  const scaled = events.map((e) => {
    const r = terms.map((_, a) => e.r.reduce((acc, v, j) => acc + v * temp[j][a], 0));
    return terms.map((t, a) => r.reduce((acc, v, b) => acc + v * vinv[b][a], 0) + (t.columns.length === 1 ? beta[t.columns[0]] : 1));
  });
  return { time: events.map((e) => time[e.index]), x: events.map((e) => g[e.index]), scaled, variance: vinv };
}

/** The smooth of one term's scaled residuals over `x` at `nsmo` points, with the ± 2 SE band. */
export interface ZphSmooth { x: number[]; fit: number[]; lower: number[]; upper: number[] }

/**
 * plot.cox.zph's smooth (survival 3.x, resid = TRUE, se = TRUE): a natural cubic spline with `df` (4) columns and an
 * intercept, knots at the quantiles 0, 1/(df-1), ..., 1 of the prediction grid and the data together (splines::ns),
 * fitted to the residuals `y` by least squares and predicted on `nsmo` (40) equally spaced points; the band is
 * fit ± 2 sqrt(variance · p'(B'B)⁻¹p). The spline is written in rcs's truncated-power basis (stats/splines.ts),
 * which spans the same space as ns's B-spline basis, so fits and bands are those of R. Null when the fit is singular
 * (plot.cox.zph skips the term).
 */
export function zphSmooth(x: readonly number[], y: readonly number[], variance: number, df = 4, nsmo = 40): ZphSmooth | null {
  if (x.length !== y.length || x.length < df || !(df >= 3)) return null;
  const lo = minOf(x), hi = maxOf(x);
  const grid = Array.from({ length: nsmo }, (_, i) => (i === nsmo - 1 ? hi : lo + ((hi - lo) * i) / (nsmo - 1)));
  const all = [...grid, ...x].sort((a, b) => a - b);
  const knots = Array.from({ length: df }, (_, j) => quantile7Sorted(all, j / (df - 1)));
  if (knots.some((k, j) => j > 0 && !(k > knots[j - 1]))) return null;
  const basis = (v: number) => [1, v, ...rcsBasis(v, knots)];
  const B = x.map(basis);
  const btb = Array.from({ length: df }, (_, a) => Array.from({ length: df }, (__, b) => B.reduce((acc, row) => acc + row[a] * row[b], 0)));
  let inv: number[][];
  try { inv = invertSpd(btb, 1e-10); } catch { return null; }
  const bty = Array.from({ length: df }, (_, a) => B.reduce((acc, row, i) => acc + row[a] * y[i], 0));
  const coef = inv.map((row) => row.reduce((acc, v, b) => acc + v * bty[b], 0));
  const fit: number[] = [], lower: number[] = [], upper: number[] = [];
  for (const v of grid) {
    const p = basis(v);
    const f = p.reduce((acc, pv, a) => acc + pv * coef[a], 0);
    let q = 0;
    for (let a = 0; a < df; a++) for (let b = 0; b < df; b++) q += p[a] * inv[a][b] * p[b];
    const half = 2 * Math.sqrt(variance * q);
    fit.push(f); lower.push(f - half); upper.push(f + half);
  }
  return { x: grid, fit, lower, upper };
}
