/**
 * Binary logistic regression fitted like R's glm(family = binomial): IRLS with glm.fit's start (mustart = (y + 0.5)/2),
 * its logit link clamping (|eta| > 30), its convergence rule |dev - devold| / (|dev| + 0.1) < epsilon (default 1e-8),
 * maxit 25, and the covariance from the working weights of the last iteration (summary.glm).
 * Wald statistics are SPSS-style (B/SE)^2 with p = P(chi2_1 > Wald) (= glm's two-sided z p-value).
 * Profile-likelihood CIs reproduce MASS's confint.glm: profile.glm (alpha = (1 - level)/4, 10 steps of zmax/5 SE),
 * an fmm cubic spline through (beta, z) at 3 * (number of profile points) abscissae, and linear inverse interpolation.
 * The design X is given WITHOUT the intercept column; '(Intercept)' is always added first.
 */
import { StatsError } from './errors';
import { choleskyFlat, cholSolveFlat, invertSpd, SingularMatrixError } from './linalg';
import { pchisqUpper, qchisq, qnorm } from './dist';
import { seqLength } from './pretty';

export interface LogisticOptions {
  ci?: 'wald' | 'profile';
  confLevel?: number;
  /** glm.control epsilon (default 1e-8) and maxit (default 25). */
  epsilon?: number;
  maxit?: number;
}

export interface LogisticModelTerm {
  term: string;
  coef: number;
  se: number;
  wald: number;            // (B/SE)^2, 1 df
  p: number;
  or: number;
  ci: [number | null, number | null];        // OR scale; Wald unless opts.ci = 'profile'
  ciWald: [number, number];                  // OR scale
  ciProfile?: [number | null, number | null]; // OR scale; null where the profile does not reach the cut-off (as R's NA)
}

export interface LogisticModel {
  terms: LogisticModelTerm[];
  names: string[];          // including '(Intercept)'
  coef: number[];
  vcov: number[][];
  fitted: number[];
  linearPredictor: number[];
  deviance: number;
  nullDeviance: number;
  logLik: number;
  aic: number;
  r2Nagelkerke: number;
  n: number;
  events: number;
  iterations: number;
  converged: boolean;
  ciMethod: 'wald' | 'profile';
  confLevel: number;
}

const EPS = 2.220446049250313e-16;
const THRESH = 30;
const MTHRESH = -30;
const INVEPS = 1 / EPS;

/** R's C_logit_linkinv, given ex = exp(eta) (not read when eta is clamped). */
function linkinv(eta: number, ex: number): number {
  const tmp = eta < MTHRESH ? EPS : eta > THRESH ? INVEPS : ex;
  return tmp / (1 + tmp);
}
/** R's C_logit_mu_eta, given ex = exp(eta). */
function muEta(eta: number, ex: number): number {
  const opexp = 1 + ex;
  return eta > THRESH || eta < MTHRESH ? EPS : ex / (opexp * opexp);
}
function ylogy(y: number, mu: number): number { return y !== 0 ? y * Math.log(y / mu) : 0; }
function devResid(y: number, mu: number): number { return 2 * (ylogy(y, mu) + ylogy(1 - y, 1 - mu)); }
/** devResid for y = 0 or 1, where one of its terms is 0 (the same value: adding that 0 changes nothing). */
function devResid01(y: number, mu: number): number { return 2 * Math.log(1 / (y === 0 ? 1 - mu : mu)); }
/** glm.fit's start for y = 0 and y = 1: eta = logit((y + 0.5) / 2), exp(eta), mu and the deviance residual. */
const GLM_START = [0, 1].map((y) => {
  const eta = Math.log(((y + 0.5) / 2) / (1 - (y + 0.5) / 2)), ex = Math.exp(eta), mu = linkinv(eta, ex);
  return { eta, ex, mu, dev: devResid(y, mu) };
});

/** A design matrix: n rows of p columns, row-major. */
export interface Design { n: number; p: number; v: Float64Array }

/** The design without column `drop`. */
function dropColumn(x: Design, drop: number): Design {
  const p = x.p - 1;
  const v = new Float64Array(x.n * p);
  for (let i = 0; i < x.n; i++) for (let j = 0, o = 0; j < x.p; j++) if (j !== drop) v[i * p + o++] = x.v[i * x.p + j];
  return { n: x.n, p, v };
}

interface IrlsFit { coef: number[]; eta: number[]; mu: number[]; deviance: number; iterations: number; converged: boolean; xtwx: number[][] }

/**
 * The buffers of IRLS fits of n rows × p columns, reused by fits of that size (bootstrap refits), and the result of
 * the last fit: coef, eta, mu (with ex = exp(eta)), deviance, iterations, converged, and X'WX of the last iteration
 * (lower triangle of the flat p × p `xtwx`).
 */
class IrlsWork {
  eta: Float64Array; mu: Float64Array; ex: Float64Array;
  etaNext: Float64Array; muNext: Float64Array; exNext: Float64Array;
  readonly zero: Float64Array;
  /** per row: deviance residual, working response and weight */
  readonly devResid: Float64Array; readonly zw: Float64Array; readonly ww: Float64Array;
  readonly xtwx: Float64Array; readonly l: Float64Array;
  readonly b: Float64Array; readonly coef: Float64Array; readonly coefold: Float64Array; readonly start: Float64Array; readonly solve: Float64Array;
  deviance = 0; iterations = 0; converged = false;
  /** for the separation check's further steps (made on first use) */
  more: IrlsWork | null = null;
  constructor(readonly n: number, readonly p: number) {
    [this.eta, this.mu, this.ex, this.etaNext, this.muNext, this.exNext, this.zero, this.devResid, this.zw, this.ww] = Array.from({ length: 10 }, () => new Float64Array(n));
    this.xtwx = new Float64Array(p * p); this.l = new Float64Array(p * p);
    [this.b, this.coef, this.coefold, this.start, this.solve] = Array.from({ length: 5 }, () => new Float64Array(p));
  }
  /** The result as plain arrays (X'WX symmetric). */
  result(): IrlsFit {
    const { p, xtwx } = this;
    return {
      coef: Array.from(this.coef), eta: Array.from(this.eta), mu: Array.from(this.mu), deviance: this.deviance, iterations: this.iterations, converged: this.converged,
      xtwx: Array.from({ length: p }, (_, j) => Array.from({ length: p }, (_, k) => xtwx[k <= j ? j * p + k : k * p + j])),
    };
  }
}

/**
 * Rows that repeat earlier rows (a bootstrap resample): per-row quantities (eta, mu, the deviance residual, the working
 * weight and response) are computed at the `count` rows `first` only and copied to every row i from row src[i] (its
 * first occurrence, or i); the sums still run over every row in order, so the fit is the same to the last bit.
 */
export interface RepeatedRows { first: Int32Array; count: number; src: Int32Array }

/** eta = offset + x c, mu and the deviance at coefficients c, into w's "next" buffers. */
function evalAt(x: Design, y: Float64Array, offset: Float64Array, c: Float64Array, w: IrlsWork, rep: RepeatedRows | null): number {
  const { n, p, v: xv } = x;
  const e = w.etaNext, m = w.muNext, ex = w.exNext, dv = w.devResid;
  for (let q = 0, count = rep ? rep.count : n; q < count; q++) {
    const i = rep ? rep.first[q] : q;
    let s = offset[i];
    for (let j = 0, at = i * p; j < p; j++) s += xv[at + j] * c[j];
    const es = Math.exp(s);
    e[i] = s; ex[i] = es; m[i] = linkinv(s, es); dv[i] = devResid01(y[i], m[i]);
  }
  return rep ? copyRepeated(rep, n, e, ex, m, dv) : sumOf(dv, n);
}

/** Each row's eta, exp(eta) and mu copied from its first occurrence; returns the deviance summed over every row in order. */
function copyRepeated(rep: RepeatedRows, n: number, e: Float64Array, ex: Float64Array, m: Float64Array, dv: Float64Array): number {
  let d = 0;
  for (let i = 0; i < n; i++) { const k = rep.src[i]; e[i] = e[k]; ex[i] = ex[k]; m[i] = m[k]; d += dv[k]; }
  return d;
}

function sumOf(v: Float64Array, n: number): number {
  let d = 0;
  for (let i = 0; i < n; i++) d += v[i];
  return d;
}

/**
 * irlsInto's passes over the rows, each its own function (V8 compiles a hot loop on its own, and code after it that
 * has not run yet would throw the compiled loop away on every later call). glm.fit's start: etastart, or mustart
 * from y (y is 0 or 1, checked by every caller); returns the starting deviance.
 */
function startInto(y: Float64Array, etastart: Float64Array | null, w: IrlsWork, n: number): number {
  const { eta, mu, ex } = w;
  let devold = 0;
  for (let i = 0; i < n; i++) {
    if (etastart) { const e = etastart[i]; eta[i] = e; ex[i] = Math.exp(e); mu[i] = linkinv(e, ex[i]); devold += devResid01(y[i], mu[i]); continue; }
    const st = GLM_START[y[i]];
    eta[i] = st.eta; ex[i] = st.ex; mu[i] = st.mu; devold += st.dev;
  }
  return devold;
}

/** The working responses zw and weights ww at the current eta, mu (at the first occurrence of repeated rows). */
function workingValues(y: Float64Array, offset: Float64Array, w: IrlsWork, n: number, rep: RepeatedRows | null): void {
  const { eta, mu, ex, zw, ww } = w;
  for (let q = 0, count = rep ? rep.count : n; q < count; q++) {
    const i = rep ? rep.first[q] : q;
    const me = muEta(eta[i], ex[i]);
    const m = mu[i];
    const v = m * (1 - m);
    zw[i] = eta[i] - offset[i] + (y[i] - m) / me;
    ww[i] = (me * me) / v;
  }
}

/** X'WX (lower triangle of the flat p × p w.xtwx) and X'Wz (w.b), summed over every row in order; both start at 0. */
function crossProducts(x: Design, w: IrlsWork, rep: RepeatedRows | null): void {
  const { n, p, v: xv } = x, { ww, zw, b, xtwx: af } = w;
  for (let i = 0, at = 0; i < n; i++, at += p) {
    const k = rep ? rep.src[i] : i, wt = ww[k], z = zw[k];
    for (let j = 0; j < p; j++) {
      const wx = wt * xv[at + j];
      b[j] += wx * z;
      for (let l = 0; l <= j; l++) af[j * p + l] += wx * xv[at + l];
    }
  }
}

/**
 * glm.fit for the binomial/logit family into w. x: rows with all columns (intercept included if wanted), offset per
 * row (the same for repeated rows). Throws SingularMatrixError (from the Cholesky) when X'WX is not positive definite.
 */
function irlsInto(x: Design, y: Float64Array, offset: Float64Array, epsilon: number, maxit: number, etastart: Float64Array | null, w: IrlsWork, rep: RepeatedRows | null = null): void {
  const { n, p } = x;
  let devold = startInto(y, etastart, w, n);
  const { coef, coefold, start, b, xtwx: af } = w;
  coef.fill(0);
  let hasOld = false, converged = false, iter = 0, dev = devold;
  for (iter = 1; iter <= maxit; iter++) {
    // working responses and weights, then X'WX (lower triangle, flat p x p) and X'Wz in one pass over the rows
    workingValues(y, offset, w, n, rep);
    af.fill(0); b.fill(0);
    crossProducts(x, w, rep);
    if (p > 0) { choleskyFlat(af, p, 1e-11, w.l); cholSolveFlat(w.l, p, b, start, w.solve); }
    let d = evalAt(x, y, offset, start, w, rep);
    // glm.fit's step halving when the deviance is not finite.
    let halvings = 0;
    while (!Number.isFinite(d)) {
      if (!hasOld || halvings++ > maxit) throw new StatsError('logistic regression: no valid set of coefficients found (non-finite deviance)');
      for (let j = 0; j < p; j++) start[j] = (start[j] + coefold[j]) / 2;
      d = evalAt(x, y, offset, start, w, rep);
    }
    coef.set(start);
    [w.eta, w.etaNext] = [w.etaNext, w.eta]; [w.mu, w.muNext] = [w.muNext, w.mu]; [w.ex, w.exNext] = [w.exNext, w.ex];
    dev = d;
    if (Math.abs(dev - devold) / (Math.abs(dev) + 0.1) < epsilon) { converged = true; break; }
    devold = dev;
    coefold.set(coef); hasOld = true;
  }
  w.deviance = dev; w.iterations = Math.min(iter, maxit); w.converged = converged;
}

/** irlsInto with fresh buffers, the result as plain arrays. */
function irls(x: Design, y: number[], offset: number[], epsilon: number, maxit: number, etastart?: number[]): IrlsFit {
  const w = new IrlsWork(x.n, x.p);
  irlsInto(x, Float64Array.from(y), Float64Array.from(offset), epsilon, maxit, etastart ? Float64Array.from(etastart) : null, w);
  return w.result();
}

function checkBinary(y: number[], what: string): void {
  if (y.length === 0) throw new StatsError(`${what}: no observations`);
  for (let i = 0; i < y.length; i++) {
    if (y[i] !== 0 && y[i] !== 1) throw new StatsError(`${what}: outcome must be 0/1, got ${y[i]} at row ${i + 1}`);
  }
}

/** Adds the intercept column and validates the design; returns rows with p + 1 columns. */
function buildDesign(y: number[], X: number[][], names: string[]): { x: Design; allNames: string[] } {
  const n = y.length;
  if (X.length !== n) throw new StatsError(`logistic regression: X has ${X.length} rows but y has ${n}`);
  const k = names.length;
  const seen = new Set<string>(['(Intercept)']);
  for (const nm of names) {
    if (seen.has(nm)) throw new StatsError(`logistic regression: duplicate term name '${nm}'`);
    seen.add(nm);
  }
  const p = k + 1;
  const v = packDesign(X, names);
  const allNames = ['(Intercept)', ...names];
  const x = { n, p, v };
  checkColumns(x, allNames);
  if (n <= p) throw new StatsError(`logistic regression: ${n} observations for ${p} coefficients`);
  return { x, allNames };
}

/** The rows of X after an intercept column of 1s, row-major, each value checked (its own function: see checkColumns). */
function packDesign(X: number[][], names: string[]): Float64Array {
  const n = X.length, k = names.length, p = k + 1;
  const v = new Float64Array(n * p);
  for (let i = 0; i < n; i++) {
    const r = X[i];
    if (r.length !== k) throw new StatsError(`logistic regression: row ${i + 1} of X has ${r.length} values, expected ${k} (${names.join(', ')})`);
    v[i * p] = 1;
    for (let j = 0; j < k; j++) {
      if (!Number.isFinite(r[j])) throw new StatsError(`logistic regression: term '${names[j]}' has a missing or non-finite value at row ${i + 1}`);
      v[i * p + j + 1] = r[j];
    }
  }
  return v;
}

/** Buffers of checkColumns for p columns. */
class ColumnCheckWork {
  readonly norms: Float64Array; readonly zr: Float64Array; readonly g: Float64Array; readonly l: Float64Array;
  constructor(p: number) { this.norms = new Float64Array(p); this.zr = new Float64Array(p); this.g = new Float64Array(p * p); this.l = new Float64Array(p * p); }
}

// checkColumns' passes over the rows, each its own function: V8 compiles a hot loop on its own, and a function whose
// compiled loop was followed by code that had not run yet would throw it away on every later call (the bootstrap's
// refits call this a thousand times after one fit on the full data).

/** The first column after the intercept whose values are all equal, or −1. */
function constantColumn(x: Design): number {
  const { n, p, v } = x;
  for (let j = 1; j < p; j++) {
    const v0 = v[j];
    let constant = true;
    for (let at = p + j; at < n * p && constant; at += p) constant = v[at] === v0;
    if (constant) return j;
  }
  return -1;
}

/** The columns' sums of squares (in row order). */
function columnSquares(x: Design, norms: Float64Array): void {
  const { n, p, v } = x;
  for (let at = 0; at < n * p; at += p) for (let j = 0; j < p; j++) norms[j] += v[at + j] * v[at + j];
}

/** The cross-product of the norm-scaled columns (lower triangle of w.g), summed in row order. */
function normalisedGram(x: Design, w: ColumnCheckWork): void {
  const { n, p, v } = x, { norms, zr, g } = w;
  for (let at = 0; at < n * p; at += p) {
    for (let j = 0; j < p; j++) zr[j] = v[at + j] / norms[j];
    for (let j = 0; j < p; j++) for (let l = 0; l <= j; l++) g[j * p + l] += zr[j] * zr[l];
  }
}

/** The design's constant and collinear columns (intercept first) are errors. */
function checkColumns(x: Design, allNames: string[], work = new ColumnCheckWork(x.p)): void {
  const j = constantColumn(x);
  if (j > 0) throw new StatsError(`logistic regression: term '${allNames[j]}' is constant (${x.v[j]}) and cannot be estimated`);
  // Collinearity: Cholesky of the column-normalised cross-product (a column that is (nearly) a linear combination
  // of the columns before it has a (near) zero pivot, like the NA coefficient R's pivoting QR reports).
  const { norms, g } = work;   // g: the lower triangle
  norms.fill(0); g.fill(0);
  columnSquares(x, norms);
  for (let k = 0; k < x.p; k++) norms[k] = Math.sqrt(norms[k]);
  normalisedGram(x, work);
  try {
    choleskyFlat(g, x.p, 1e-10, work.l);
  } catch (e) {
    if (e instanceof SingularMatrixError) {
      const c = e.column;
      throw new StatsError(`logistic regression: term '${allNames[c]}' is collinear with ${c === 1 ? 'the intercept' : 'the terms before it (' + allNames.slice(0, c).join(', ') + ')'} and cannot be estimated`);
    }
    throw e;
  }
}

/** Terms that separate the outcome on their own (all y=1 values >= all y=0 values or the reverse). */
function separatingTerms(y: ArrayLike<number>, x: Design, names: string[]): string[] {
  const out: string[] = [];
  for (let j = 1; j < names.length; j++) {
    let min0 = Infinity, max0 = -Infinity, min1 = Infinity, max1 = -Infinity;
    for (let i = 0; i < y.length; i++) {
      const v = x.v[i * x.p + j];
      if (y[i] === 1) { min1 = Math.min(min1, v); max1 = Math.max(max1, v); } else { min0 = Math.min(min0, v); max0 = Math.max(max0, v); }
    }
    if (max0 <= min1 || max1 <= min0) out.push(names[j]);
  }
  return out;
}

function separationError(y: ArrayLike<number>, x: Design, names: string[], coef: ArrayLike<number> | null, detail: string): StatsError {
  let who = separatingTerms(y, x, names);
  if (!who.length && coef) {
    // No single term separates: name the terms with the largest coefficient on the data's scale.
    const scaled = names.map((nm, j) => {
      if (j === 0) return { nm, s: 0 };
      let m = 0, s2 = 0;
      for (let i = 0; i < x.n; i++) m += x.v[i * x.p + j];
      m /= x.n;
      for (let i = 0; i < x.n; i++) s2 += (x.v[i * x.p + j] - m) ** 2;
      return { nm, s: Math.abs(coef[j]) * Math.sqrt(s2 / Math.max(1, x.n - 1)) };
    }).filter((t) => t.s > 10).sort((a, b) => b.s - a.s);
    who = scaled.map((t) => t.nm);
  }
  const terms = who.length ? ` involving ${who.map((t) => `'${t}'`).join(', ')}` : '';
  return new StatsError(`logistic regression: complete or quasi-complete separation${terms} (${detail}); maximum-likelihood estimates do not exist. Consider removing or recoding the term, or Firth's penalised regression`);
}

/** glm.control's epsilon and maxit, and the checked confidence level. */
function fitSettings(opts: LogisticOptions): { confLevel: number; epsilon: number; maxit: number } {
  const confLevel = opts.confLevel ?? 0.95;
  if (!(confLevel > 0 && confLevel < 1)) throw new StatsError(`logistic regression: confLevel must be in (0, 1), got ${confLevel}`);
  return { confLevel, epsilon: opts.epsilon ?? 1e-8, maxit: opts.maxit ?? 25 };
}

function countEvents(y: ArrayLike<number>): number {
  let events = 0;
  for (let i = 0; i < y.length; i++) events += y[i];
  if (events === 0 || events === y.length) throw new StatsError(`logistic regression: the outcome has only one class (${events} events in ${y.length})`);
  return events;
}

/** The IRLS fit of a checked design into w, with the singular-information, convergence and separation errors. */
function separationCheckedFit(x: Design, y: Float64Array, allNames: string[], epsilon: number, maxit: number, w: IrlsWork, rep: RepeatedRows | null = null): void {
  try {
    irlsInto(x, y, w.zero, epsilon, maxit, null, w, rep);
  } catch (e) {
    if (e instanceof SingularMatrixError) throw separationError(y, x, allNames, null, 'the information matrix became singular');
    throw e;
  }
  // Separation (R only warns "fitted probabilities numerically 0 or 1 occurred"; here it is an error).
  // Extreme fitted probabilities alone are not proof (a strong predictor with a far outlier gives p ~ 1e-12 with a
  // finite MLE), so confirm: under separation the likelihood keeps improving along a direction and further Newton
  // steps keep moving the coefficients; at a finite MLE they do not move.
  if (!w.converged) throw separationError(y, x, allNames, w.coef, `IRLS did not converge in ${maxit} iterations`);
  const tiny = 1e-8;
  let extreme = false;
  for (let i = 0; i < x.n && !extreme; i++) extreme = w.mu[i] < tiny || w.mu[i] > 1 - tiny;
  if (extreme) {
    const more = (w.more ??= new IrlsWork(x.n, x.p));
    let ok = true;
    try {
      irlsInto(x, y, w.zero, 0, 10, w.eta, more, rep);   // epsilon 0: exactly 10 more Newton steps from the fit
    } catch (e) {
      if (!(e instanceof SingularMatrixError)) throw e;
      ok = false;
    }
    const moved = !ok || more.coef.some((c, j) => !(Math.abs(c - w.coef[j]) <= 1e-6 * Math.max(1, Math.abs(w.coef[j]))));
    if (moved) throw separationError(y, x, allNames, ok ? more.coef : w.coef, 'fitted probabilities numerically 0 or 1 and the coefficients diverge');
  }
}

interface CheckedFit { x: Design; allNames: string[]; fit: IrlsFit; vcov: number[][]; events: number; confLevel: number; epsilon: number; maxit: number }

/** The IRLS fit with every check of logisticRegression (input, singular design, separation, singular information). */
function checkedFit(y: number[], X: number[][], names: string[], opts: LogisticOptions): CheckedFit {
  checkBinary(y, 'logistic regression');
  const events = countEvents(y);
  const { confLevel, epsilon, maxit } = fitSettings(opts);
  const { x, allNames } = buildDesign(y, X, names);
  const w = new IrlsWork(x.n, x.p);
  separationCheckedFit(x, Float64Array.from(y), allNames, epsilon, maxit, w);
  const fit = w.result();
  let vcov: number[][];
  try {
    vcov = invertSpd(fit.xtwx, 1e-11);
  } catch (e) {
    if (e instanceof SingularMatrixError) throw separationError(y, x, allNames, fit.coef, 'the information matrix is singular');
    throw e;
  }
  return { x, allNames, fit, vcov, events, confLevel, epsilon, maxit };
}

/**
 * The coefficients and fitted probabilities only: the same fit and the same errors as logisticRegression, without the
 * summary (tests, CIs, deviances), for bootstrap refits.
 */
export function logisticFit(y: number[], X: number[][], names: string[], opts: LogisticOptions = {}): { coef: number[]; fitted: number[] } {
  const { fit } = checkedFit(y, X, names, opts);
  return { coef: fit.coef, fitted: fit.mu };
}

/**
 * Refits of one model on resamples of its rows (bootstrap refits, allocation-free): the data are checked once as by
 * logisticRegression (which throws), each fit(rows) gathers the rows into reused buffers and gives exactly
 * logisticFit's coefficients (coef) and fitted probabilities (fitted) on those rows, or returns false where
 * logisticFit throws a StatsError (one class, a constant or collinear column, separation, no convergence).
 * (The information matrix is not inverted: its Cholesky factor, with the same tolerance, is the last IRLS step's.)
 */
export class LogisticRefits {
  /** the resample's outcomes and design (intercept first), rows in the order of `rows` */
  readonly yb: Float64Array;
  readonly xb: Design;
  /** the data's design (intercept first) */
  readonly data: Design;
  private readonly y: Float64Array;
  private readonly allNames: string[];
  private readonly epsilon: number;
  private readonly maxit: number;
  private readonly work: IrlsWork;
  private readonly columns: ColumnCheckWork;
  private readonly rep: RepeatedRows;
  private readonly firstAt: Int32Array;
  private readonly seenAt: Int32Array;
  private stamp = 0;
  constructor(y: number[], X: number[][], names: string[], opts: LogisticOptions = {}) {
    checkBinary(y, 'logistic regression');
    countEvents(y);
    ({ epsilon: this.epsilon, maxit: this.maxit } = fitSettings(opts));
    ({ x: this.data, allNames: this.allNames } = buildDesign(y, X, names));
    const { n, p } = this.data;
    this.y = Float64Array.from(y);
    this.yb = new Float64Array(n);
    this.xb = { n, p, v: new Float64Array(n * p) };
    this.work = new IrlsWork(n, p);
    this.columns = new ColumnCheckWork(p);
    this.rep = { first: new Int32Array(n), count: 0, src: new Int32Array(n) };
    [this.firstAt, this.seenAt] = [new Int32Array(n), new Int32Array(n)];
  }
  get coef(): Float64Array { return this.work.coef; }
  get fitted(): Float64Array { return this.work.mu; }
  /** Fits on the given rows (0-based, as many as the data's rows); false where logisticFit would throw. */
  fit(rows: ArrayLike<number>): boolean {
    const { n, p } = this.data, xv = this.data.v, bv = this.xb.v;
    if (rows.length !== n) throw new RangeError(`LogisticRefits: ${rows.length} rows for a model of ${n}`);
    const { rep, firstAt, seenAt } = this, stamp = ++this.stamp;
    rep.count = 0;
    for (let i = 0; i < n; i++) {
      const r = rows[i];
      this.yb[i] = this.y[r];
      for (let j = 0, a = i * p, c = r * p; j < p; j++) bv[a + j] = xv[c + j];
      if (seenAt[r] !== stamp) { seenAt[r] = stamp; firstAt[r] = i; rep.first[rep.count++] = i; }
      rep.src[i] = firstAt[r];
    }
    try {
      countEvents(this.yb);
      checkColumns(this.xb, this.allNames, this.columns);
      separationCheckedFit(this.xb, this.yb, this.allNames, this.epsilon, this.maxit, this.work, rep);
      return true;
    } catch (e) {
      if (e instanceof StatsError) return false;
      throw e;
    }
  }
}

/** Σ devResid(y, ybar) in row order (its own function: see checkColumns). */
function nullDevianceOf(y: number[], ybar: number): number {
  let d = 0;
  for (let i = 0; i < y.length; i++) d += devResid(y[i], ybar);
  return d;
}

/** Fits the model; see the file comment. Throws StatsError on bad input, singular designs and separation. */
export function logisticRegression(y: number[], X: number[][], names: string[], opts: LogisticOptions = {}): LogisticModel {
  const { x, allNames, fit, vcov, events, confLevel, epsilon, maxit } = checkedFit(y, X, names, opts);
  const n = y.length;
  const p = allNames.length;
  const se = vcov.map((r, j) => Math.sqrt(r[j]));
  const ybar = events / n;
  const nullDeviance = nullDevianceOf(y, ybar);
  const deviance = fit.deviance;
  const logLik = -deviance / 2;
  const aic = deviance + 2 * p;
  const r2Nagelkerke = (1 - Math.exp((deviance - nullDeviance) / n)) / (1 - Math.exp(-nullDeviance / n));
  const zq = qnorm(1 - (1 - confLevel) / 2);
  const ciMethod = opts.ci ?? 'wald';
  const profile = ciMethod === 'profile' ? profileCi(x, y, fit, se, confLevel, epsilon, maxit) : null;
  const terms: LogisticModelTerm[] = allNames.map((term, j) => {
    const b = fit.coef[j];
    const wald = (b / se[j]) ** 2;
    const ciWald: [number, number] = [Math.exp(b - zq * se[j]), Math.exp(b + zq * se[j])];
    const t: LogisticModelTerm = { term, coef: b, se: se[j], wald, p: pchisqUpper(wald, 1), or: Math.exp(b), ci: ciWald, ciWald };
    if (profile) {
      const pr = profile[j].map((v) => (v === null ? null : Math.exp(v))) as [number | null, number | null];
      t.ciProfile = pr;
      t.ci = pr;
    }
    return t;
  });
  return {
    terms, names: allNames, coef: fit.coef, vcov, fitted: fit.mu, linearPredictor: fit.eta, deviance, nullDeviance, logLik, aic,
    r2Nagelkerke, n, events, iterations: fit.iterations, converged: fit.converged, ciMethod, confLevel,
  };
}

/** Linear predictor for new rows (X without the intercept column, same column order as the fit). */
export function linearPredictorLogistic(model: Pick<LogisticModel, 'coef' | 'names'>, Xnew: number[][]): number[] {
  const k = model.coef.length - 1;
  return Xnew.map((r, i) => {
    if (r.length !== k) throw new StatsError(`predict: row ${i + 1} has ${r.length} values, expected ${k} (${model.names.slice(1).join(', ')})`);
    let s = model.coef[0];
    for (let j = 0; j < k; j++) {
      if (!Number.isFinite(r[j])) throw new StatsError(`predict: term '${model.names[j + 1]}' is missing or non-finite at row ${i + 1}`);
      s += model.coef[j + 1] * r[j];
    }
    return s;
  });
}

/** Predicted probabilities plogis(b0 + X b) for new rows. */
export function predictLogistic(model: Pick<LogisticModel, 'coef' | 'names'>, Xnew: number[][]): number[] {
  return linearPredictorLogistic(model, Xnew).map((e) => 1 / (1 + Math.exp(-e)));
}

// ---------------------------------------------------------------------------------------------------------------
// Profile likelihood (MASS::profile.glm + confint.profile.glm)

function profileCi(x: Design, y: number[], fit: IrlsFit, se: number[], level: number, epsilon: number, maxit: number): [number | null, number | null][] {
  const n = y.length;
  const p = fit.coef.length;
  const alpha = (1 - level) / 4;
  const zmax = Math.sqrt(qchisq(1 - alpha, 1));
  const del = zmax / 5;
  const maxsteps = 10;
  const a = (1 - level) / 2;
  const cutoff = [qnorm(a), qnorm(1 - a)];
  const out: [number | null, number | null][] = [];
  for (let i = 0; i < p; i++) {
    const xi = dropColumn(x, i);
    const zs: number[] = [0];
    const bs: number[] = [fit.coef[i]];
    for (const sgn of [-1, 1]) {
      let step = 0;
      let z = 0;
      let lp = fit.eta.slice();
      while (++step < maxsteps && Math.abs(z) < zmax) {
        const bi = fit.coef[i] + sgn * step * del * se[i];
        const off = new Array<number>(n);
        for (let r = 0; r < n; r++) off[r] = x.v[r * p + i] * bi;
        let fm: IrlsFit;
        try {
          fm = irls(xi, y, off, epsilon, maxit, lp);
        } catch (e) {
          if (e instanceof SingularMatrixError) break;
          throw e;
        }
        lp = fm.eta;
        let zz = fm.deviance - fit.deviance;
        if (zz > -0.001) zz = Math.max(zz, 0);
        else throw new StatsError('profile likelihood: profiling found a better solution, so the original fit had not converged');
        z = sgn * Math.sqrt(zz);
        zs.push(z);
        bs.push(bi);
      }
    }
    // order(zi), stable
    const idx = zs.map((_, k) => k).sort((u, v) => zs[u] - zs[v] || u - v);
    const px = idx.map((k) => bs[k]);
    const pz = idx.map((k) => zs[k]);
    const sp = spline(px, pz, 3 * px.length);
    out.push([approx1(sp.y, sp.x, cutoff[0]), approx1(sp.y, sp.x, cutoff[1])]);
  }
  return out;
}

/** Collapses tied x by the mean of y (R's regularize.values with ties = mean), sorted by x. */
function regularize(x: number[], y: number[]): { x: number[]; y: number[] } {
  const idx = x.map((_, i) => i).sort((a, b) => x[a] - x[b] || a - b);
  const ox: number[] = [];
  const oy: number[] = [];
  let i = 0;
  while (i < idx.length) {
    let j = i;
    let s = 0;
    while (j < idx.length && x[idx[j]] === x[idx[i]]) { s += y[idx[j]]; j++; }
    ox.push(x[idx[i]]);
    oy.push(s / (j - i));
    i = j;
  }
  return { x: ox, y: oy };
}

/** R's approx(x, y, xout, ties = mean, rule = 1) for one point; null outside the range. */
function approx1(x: number[], y: number[], xout: number): number | null {
  const r = regularize(x, y);
  const nx = r.x.length;
  if (nx === 0 || xout < r.x[0] || xout > r.x[nx - 1] || Number.isNaN(xout)) return null;
  if (nx === 1) return r.y[0];
  let lo = 0, hi = nx - 1;
  while (lo < hi - 1) { const mid = (lo + hi) >> 1; if (xout < r.x[mid]) hi = mid; else lo = mid; }
  if (xout === r.x[hi]) return r.y[hi];
  if (xout === r.x[lo]) return r.y[lo];
  return r.y[lo] + ((r.y[hi] - r.y[lo]) * (xout - r.x[lo])) / (r.x[hi] - r.x[lo]);
}

/** R's spline(x, y, n, method = "fmm") evaluated on seq(min(x), max(x), length.out = n). */
export function spline(x0: number[], y0: number[], n: number): { x: number[]; y: number[] } {
  const { x, y } = regularize(x0, y0);
  const nx = x.length;
  const b = new Array<number>(nx).fill(0), c = new Array<number>(nx).fill(0), d = new Array<number>(nx).fill(0);
  fmmSpline(x, y, b, c, d);
  const xout = seqLength(x[0], x[nx - 1], n);
  const yout = xout.map((u) => {
    let i = 0;
    if (u >= x[0]) {
      let lo = 0, hi = nx;
      while (hi > lo + 1) { const k = (lo + hi) >> 1; if (u < x[k]) hi = k; else lo = k; }
      i = lo;
    }
    const dx = u - x[i];
    return y[i] + dx * (b[i] + dx * (c[i] + dx * d[i]));
  });
  return { x: xout, y: yout };
}

/** Forsythe, Malcolm & Moler spline coefficients (R's fmm_spline), 0-based. */
function fmmSpline(x: number[], y: number[], b: number[], c: number[], d: number[]): void {
  const n = x.length;
  if (n < 2) { if (n === 1) { b[0] = 0; c[0] = 0; d[0] = 0; } return; }
  if (n < 3) {
    const t = (y[1] - y[0]) / (x[1] - x[0]);
    b[0] = t; b[1] = t; c[0] = c[1] = d[0] = d[1] = 0;
    return;
  }
  const nm1 = n - 1;
  d[0] = x[1] - x[0];
  c[1] = (y[1] - y[0]) / d[0];
  for (let i = 1; i < nm1; i++) {
    d[i] = x[i + 1] - x[i];
    b[i] = 2 * (d[i - 1] + d[i]);
    c[i + 1] = (y[i + 1] - y[i]) / d[i];
    c[i] = c[i + 1] - c[i];
  }
  b[0] = -d[0];
  b[nm1] = -d[n - 2];
  c[0] = 0; c[nm1] = 0;
  if (n > 3) {
    c[0] = c[2] / (x[3] - x[1]) - c[1] / (x[2] - x[0]);
    c[nm1] = c[n - 2] / (x[nm1] - x[n - 3]) - c[n - 3] / (x[n - 2] - x[n - 4]);
    c[0] = (c[0] * d[0] * d[0]) / (x[3] - x[0]);
    c[nm1] = (-c[nm1] * d[n - 2] * d[n - 2]) / (x[nm1] - x[n - 4]);
  }
  for (let i = 1; i <= nm1; i++) {
    const t = d[i - 1] / b[i - 1];
    b[i] = b[i] - t * d[i - 1];
    c[i] = c[i] - t * c[i - 1];
  }
  c[nm1] = c[nm1] / b[nm1];
  for (let i = n - 2; i >= 0; i--) c[i] = (c[i] - d[i] * c[i + 1]) / b[i];
  b[nm1] = (y[nm1] - y[n - 2]) / d[n - 2] + d[n - 2] * (c[n - 2] + 2 * c[nm1]);
  for (let i = 0; i < nm1; i++) {
    b[i] = (y[i + 1] - y[i]) / d[i] - d[i] * (c[i + 1] + 2 * c[i]);
    d[i] = (c[i + 1] - c[i]) / d[i];
    c[i] = 3 * c[i];
  }
  c[nm1] = 3 * c[nm1];
  d[nm1] = d[n - 2];
}
