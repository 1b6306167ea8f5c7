/**
 * Cox proportional hazards regression, right-censored data, as survival::coxph (coxfit6.c):
 * Efron (default) or Breslow ties, Newton–Raphson from β = 0 with survival's step-halving rule,
 * convergence when |1 − ℓ_old/ℓ_new| ≤ eps (1e-9), iter.max 20, Cholesky tolerance eps^0.75,
 * covariates centred and scaled internally (results on the original scale). One sort by time; risk-set
 * sums are accumulated from the largest time down, O(n p²) per iteration.
 * Wald, likelihood-ratio and score tests, Wald and profile-likelihood CIs, centred linear predictors,
 * Harrell's C (reverse = TRUE on the linear predictor, as coxph).
 */
import { pchisqUpper, pnormUpper, qchisq, qnorm } from './dist';
import { StatsError } from './errors';
import { checkSurvivalInput, timefix } from './km';
import { concordance as harrellC, type ConcordanceResult } from './concordance';
import { countingSort, stableOrder } from './order';

export type CoxTies = 'efron' | 'breslow';

export interface CoxOptions {
  ties?: CoxTies;
  names?: string[];
  ci?: 'wald' | 'profile';
  confLevel?: number;
  maxIter?: number;
  /** Convergence tolerance on the relative change in loglik (coxph.control eps). */
  eps?: number;
  /**
   * Stratum of each observation (a `strata(x)` term): risk sets and tied-death groups are formed within strata,
   * each stratum with its own baseline hazard; covariates are still centred on the overall means, and the
   * concordance counts pairs within strata, as coxph.
   */
  strata?: readonly (string | number)[];
}

export interface CoxTest { chisq: number; df: number; p: number }

export interface CoxFit {
  names: string[];
  ties: CoxTies;
  confLevel: number;
  coef: number[];
  se: number[];
  hr: number[];
  z: number[];
  p: number[];
  ciWald: [number, number][];
  /** Profile-likelihood CIs for β (not HR); a side is null when the profile never reaches the cut-off (infinite). */
  ciProfile?: [number | null, number | null][];
  var: number[][];
  loglik: [number, number];
  lrt: CoxTest;
  wald: CoxTest;
  score: CoxTest;
  concordance: ConcordanceResult;
  /**
   * (x − m)β as coxph's linear.predictors: m = column mean, except m = 0 for columns whose values are all in
   * {−1, 0, 1} (coxph's nocenter).
   */
  linearPredictors: number[];
  /** Centring constants used (coxph's `means`: 0 for −1/0/1 columns). */
  means: number[];
  n: number;
  events: number;
  iterations: number;
  converged: boolean;
  warnings: string[];
}

const DBL_EPS = 2.220446049250313e-16;

// ---------- survival's cholesky2 / chsolve2 / chinv2 semantics (generalised, with dropped pivots) ----------

/** LDLᵀ in place on a copy; returns the factor (lower triangle = F, diagonal = D, 0 for dropped pivots) and the rank. */
function chol2(a: number[][], toler: number): { m: number[][]; rank: number } {
  const n = a.length;
  const m = a.map((r) => r.slice());
  let eps = 0;
  for (let i = 0; i < n; i++) {
    if (m[i][i] > eps) eps = m[i][i];
    for (let j = i + 1; j < n; j++) m[j][i] = m[i][j];
  }
  if (eps === 0) { for (let i = 0; i < n; i++) m[i][i] = 0; return { m, rank: 0 }; }
  eps *= toler;
  let rank = 0;
  for (let i = 0; i < n; i++) {
    const pivot = m[i][i];
    if (!Number.isFinite(pivot) || pivot < eps) { m[i][i] = 0; continue; }
    rank++;
    for (let j = i + 1; j < n; j++) {
      const temp = m[j][i] / pivot;
      m[j][i] = temp;
      m[j][j] -= temp * temp * pivot;
      for (let k = j + 1; k < n; k++) m[k][j] -= temp * m[k][i];
    }
  }
  return { m, rank };
}

function chsolve2(m: number[][], b: number[]): number[] {
  const n = m.length;
  const y = b.slice();
  for (let i = 0; i < n; i++) { let t = y[i]; for (let j = 0; j < i; j++) t -= y[j] * m[i][j]; y[i] = t; }
  for (let i = n - 1; i >= 0; i--) {
    if (m[i][i] === 0) { y[i] = 0; continue; }
    let t = y[i] / m[i][i];
    for (let j = i + 1; j < n; j++) t -= y[j] * m[j][i];
    y[i] = t;
  }
  return y;
}

/** Generalised inverse from the chol2 factor (rows/columns of dropped pivots are 0). */
function chinv2(f: number[][]): number[][] {
  const n = f.length;
  const m = f.map((r) => r.slice());
  for (let i = 0; i < n; i++) {
    if (m[i][i] > 0) {
      m[i][i] = 1 / m[i][i];
      for (let j = i + 1; j < n; j++) {
        m[j][i] = -m[j][i];
        for (let k = 0; k < i; k++) m[j][k] += m[j][i] * m[i][k];
      }
    }
  }
  for (let i = 0; i < n; i++) {
    if (m[i][i] === 0) {
      for (let j = 0; j < i; j++) m[j][i] = 0;
      for (let j = i; j < n; j++) m[i][j] = 0;
    } else {
      for (let j = i + 1; j < n; j++) {
        const temp = m[j][i] * m[j][j];
        m[i][j] = temp;
        for (let k = i; k < j; k++) m[i][k] += temp * m[j][k];
      }
    }
  }
  const out: number[][] = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  for (let i = 0; i < n; i++) for (let j = i; j < n; j++) { out[i][j] = m[i][j]; out[j][i] = m[i][j]; }
  return out;
}

// ---------- the risk-set accumulation (one pass, largest time first) ----------

interface CoxData {
  n: number;
  /** number of covariates */
  p: number;
  /** sorted (ascending time) times and status */
  time: Float64Array;
  status: Uint8Array;
  /** covariates in sorted order, row-major n × p (already centred and scaled by the caller) */
  x: Float64Array;
  offset: Float64Array;
  efron: boolean;
  /** stratum index in sorted order (all 0 without strata) */
  strata: Int32Array;
}

interface IterOut { loglik: number; u: number[]; imat: number[][] }

/**
 * coxIter's scratch, allocated once per data set and reused by every iteration: β as doubles, the risk scores, and
 * the p × p sums as packed lower triangles (element (i, j ≤ i) at i(i + 1)/2 + j).
 */
class IterWork {
  readonly beta: Float64Array; readonly eta: Float64Array; readonly risk: Float64Array;
  readonly u: Float64Array; readonly a: Float64Array; readonly a2: Float64Array;
  readonly cmat: Float64Array; readonly cmat2: Float64Array; readonly im: Float64Array;
  /** per step k of a death time: the denominator (dk[k]), and a_i, a_i / denom after it (ak, mk at k · p + i) */
  dk = new Float64Array(16); ak: Float64Array; mk: Float64Array;
  constructor(n: number, p: number) {
    [this.ak, this.mk] = [new Float64Array(16 * p), new Float64Array(16 * p)];
    const t = (p * (p + 1)) / 2;
    [this.beta, this.u, this.a, this.a2] = [new Float64Array(p), new Float64Array(p), new Float64Array(p), new Float64Array(p)];
    [this.eta, this.risk] = [new Float64Array(n), new Float64Array(n)];
    [this.cmat, this.cmat2, this.im] = [new Float64Array(t), new Float64Array(t), new Float64Array(t)];
  }
}
/** Room in w's step buffers for `steps` steps of p rows. */
function stepRoom(w: IterWork, steps: number, p: number): void {
  if (w.dk.length >= steps) return;
  const cap = Math.max(steps, 2 * w.dk.length);
  w.dk = new Float64Array(cap); w.ak = new Float64Array(cap * p); w.mk = new Float64Array(cap * p);
}
const works = new WeakMap<CoxData, IterWork>();
function workOf(d: CoxData): IterWork {
  let w = works.get(d);
  if (!w) { w = new IterWork(d.n, d.p); works.set(d, w); }
  return w;
}

/** eta = offset + x β (the sum in coxfit6's order) and risk = exp(eta), for every observation. */
function riskScores(d: CoxData, w: IterWork): void {
  const { n, p, x, offset } = d, { beta, eta, risk } = w;
  for (let person = 0, at = 0; person < n; person++, at += p) {
    let zbeta = offset[person];
    for (let i = 0; i < p; i++) zbeta += beta[i] * x[at + i];
    eta[person] = zbeta;
    risk[person] = Math.exp(zbeta);
  }
}

/** Adds risk · x xᵀ (x = row `at` of the row-major x) into the packed lower triangle c. */
function addOuter(c: Float64Array, x: Float64Array, at: number, p: number, risk: number): void {
  for (let i = 0, t = 0; i < p; i++) {
    const rx = risk * x[at + i];
    for (let j = 0; j <= i; j++, t++) c[t] += rx * x[at + j];
  }
}

/**
 * One pass from the largest time down over the risk scores: the risk-set sums (denominator, a = Σ risk·x, cmat =
 * Σ risk·x xᵀ) are cumulative, so each observation is added once per iteration; Breslow or Efron terms at each death
 * time, as coxfit6 (Efron: each of the ndead steps adds the same 1/ndead share of the deaths' sums, divided once;
 * Breslow, or a single death: one step weighted by ndead, and 1 · v = v exactly). Adds to w.u and w.im; returns loglik.
 * The denominators start at −0, a double, not 0: adding a risk ≥ +0 gives the same sums, and the first call (β = 0,
 * every risk exactly 1) then does not leave V8 with small-integer feedback that deoptimises the next call.
 */
function accumulate(d: CoxData, w: IterWork): number {
  const { n, p, time, status, x, strata, efron } = d, { eta, risk, u, a, a2, cmat, cmat2, im } = w;
  let denom = -0, loglik = 0;
  let stratum = n > 0 ? strata[n - 1] : 0;
  for (let person = n - 1; person >= 0;) {
    if (strata[person] !== stratum) { // a new stratum: its own risk sets
      stratum = strata[person];
      denom = -0;
      a.fill(0);
      cmat.fill(0);
    }
    const dtime = time[person];
    let ndead = 0, denom2 = -0;
    for (; person >= 0 && time[person] === dtime && strata[person] === stratum; person--) {
      const at = person * p, r = risk[person];
      if (status[person] === 0) {
        denom += r;
        for (let i = 0; i < p; i++) a[i] += r * x[at + i];
        addOuter(cmat, x, at, p, r);
      } else {
        ndead++;
        denom2 += r;
        loglik += eta[person];
        for (let i = 0; i < p; i++) { u[i] += x[at + i]; a2[i] += r * x[at + i]; }
        addOuter(cmat2, x, at, p, r);
      }
    }
    if (ndead === 0) continue;
    const split = efron && ndead > 1, steps = split ? ndead : 1, weight = split ? 1 : ndead;
    if (split) {
      for (let i = 0; i < p; i++) a2[i] /= ndead;
      for (let t = 0; t < cmat2.length; t++) cmat2[t] /= ndead;
    }
    const dq = split ? denom2 / ndead : denom2;
    stepRoom(w, steps, p);
    const { dk, ak, mk } = w;
    for (let k = 0; k < steps; k++) {
      denom += dq;
      loglik -= weight * Math.log(denom);
      dk[k] = denom;
      for (let i = 0; i < p; i++) {
        a[i] += a2[i];
        const mean = a[i] / denom;
        u[i] -= weight * mean;
        ak[k * p + i] = a[i]; mk[k * p + i] = mean;
      }
    }
    // each element through all the steps (the same operations, in step order, as step by step over the elements):
    // at step k, row i reads a_j (j <= i) and a_i / denom after that step's update
    for (let i = 0, t = 0; i < p; i++) {
      for (let j = 0; j <= i; j++, t++) {
        let c = cmat[t], s = im[t];
        const c2 = cmat2[t];
        for (let k = 0, ki = i, kj = j; k < steps; k++, ki += p, kj += p) {
          c += c2;
          s += (weight * (c - mk[ki] * ak[kj])) / dk[k];
        }
        cmat[t] = c; im[t] = s;
      }
    }
    a2.fill(0);
    cmat2.fill(0);
  }
  return loglik;
}

/** The loglik, score u and information matrix at β (see accumulate). */
function coxIter(d: CoxData, beta: number[]): IterOut {
  const w = workOf(d);
  w.beta.set(beta);
  w.u.fill(0); w.a.fill(0); w.a2.fill(0); w.cmat.fill(0); w.cmat2.fill(0); w.im.fill(0);
  riskScores(d, w);
  const loglik = accumulate(d, w);
  return { loglik, u: Array.from(w.u), imat: symmetric(w.im, d.p) };
}

/** The full p × p matrix of a packed lower triangle. */
function symmetric(tri: Float64Array, p: number): number[][] {
  const m: number[][] = [];
  for (let i = 0; i < p; i++) {
    const row = new Array<number>(p);
    for (let j = 0; j < p; j++) row[j] = i >= j ? tri[(i * (i + 1)) / 2 + j] : tri[(j * (j + 1)) / 2 + i];
    m.push(row);
  }
  return m;
}

interface CoreFit {
  beta: number[];       // internal (scaled) scale
  loglik0: number;
  loglik: number;
  u: number[];          // score at the final beta (internal scale)
  imat: number[][];     // information at the final beta (internal scale)
  sctest: number;
  rank0: number;
  iter: number;
  converged: boolean;
}

/** coxfit6's Newton–Raphson with step halving on already centred/scaled columns. */
function newton(d: CoxData, init: number[], maxIter: number, eps: number, toler: number): CoreFit {
  const p = d.p;
  let beta = init.slice();
  let cur = coxIter(d, beta);
  const loglik0 = cur.loglik;
  const f0 = chol2(cur.imat, toler);
  const a = chsolve2(f0.m, cur.u);
  let sctest = 0;
  for (let i = 0; i < p; i++) sctest += cur.u[i] * a[i];
  if (p === 0 || maxIter === 0 || !Number.isFinite(loglik0)) {
    return { beta, loglik0, loglik: loglik0, u: cur.u, imat: cur.imat, sctest, rank0: f0.rank, iter: 0, converged: true };
  }
  let best = loglik0;
  let newbeta = beta.map((b, i) => b + a[i]);
  let halving = 0;
  for (let iter = 1; iter <= maxIter; iter++) {
    const nx = coxIter(d, newbeta);
    const f = chol2(nx.imat, toler);
    let notfinite = !Number.isFinite(nx.loglik);
    for (let i = 0; i < p && !notfinite; i++) {
      if (!Number.isFinite(nx.u[i])) notfinite = true;
      for (let j = 0; j < p; j++) if (!Number.isFinite(nx.imat[i][j])) notfinite = true;
    }
    if (!notfinite && Math.abs(1 - best / nx.loglik) <= eps) {
      return { beta: newbeta, loglik0, loglik: nx.loglik, u: nx.u, imat: nx.imat, sctest, rank0: f0.rank, iter, converged: true };
    }
    if (notfinite || nx.loglik < best) {
      halving++;
      newbeta = newbeta.map((nb, i) => (nb + halving * beta[i]) / (halving + 1));
    } else {
      halving = 0;
      best = nx.loglik;
      const step = chsolve2(f.m, nx.u);
      beta = newbeta;
      newbeta = newbeta.map((nb, i) => nb + step[i]);
    }
  }
  cur = maxIter > 1 ? coxIter(d, beta) : cur;
  return { beta, loglik0, loglik: cur.loglik, u: cur.u, imat: cur.imat, sctest, rank0: f0.rank, iter: maxIter + 1, converged: false };
}

// ---------- public API ----------

/** Checks the input and returns X packed row-major (n × p, input order), read once. */
function validate(time: number[], status: number[], X: number[][], names: string[]): Float64Array {
  checkSurvivalInput(time, status);
  const n = time.length;
  if (X.length !== n) throw new StatsError(`X has ${X.length} rows but there are ${n} observations`);
  const p = n > 0 ? X[0].length : 0;
  if (p === 0) throw new StatsError('no covariates');
  const varies = new Uint8Array(p);
  const xin = packRows(X, p, names, varies);
  if (names.length !== p) throw new StatsError(`names has ${names.length} entries, X has ${p} columns`);
  if (countEvents(status) === 0) throw new StatsError('Cox model needs at least one event (all observations are censored)');
  const j = varies.indexOf(0);
  if (j >= 0) throw new StatsError(`covariate '${names[j]}' is constant: the model is singular`);
  return xin;
}

function countEvents(status: number[]): number {
  let events = 0;
  for (let i = 0; i < status.length; i++) events += status[i];
  return events;
}

/** X packed row-major, each value checked; varies[j] = 1 where column j has a value other than its first. */
function packRows(X: number[][], p: number, names: string[], varies: Uint8Array): Float64Array {
  const xin = new Float64Array(X.length * p);
  for (let i = 0, at = 0; i < X.length; i++, at += p) {
    const row = X[i];
    if (row.length !== p) throw new StatsError(`X row ${i} has ${row.length} values, expected ${p}`);
    for (let j = 0; j < p; j++) {
      const v = row[j];
      if (!Number.isFinite(v)) throw new StatsError(`covariate '${names[j] ?? `x${j + 1}`}' is missing or not finite at row ${i}`);
      xin[at + j] = v;
      if (v !== xin[j]) varies[j] = 1;
    }
  }
  return xin;
}

/**
 * timefix'ed times and their stable ascending order: the times are sorted once, and again only when timefix merged
 * near-ties (then ties that were distinct values must follow the index order).
 */
function timeOrder(time: number[]): { time: number[]; order: Int32Array; unchanged: boolean } {
  const order = stableOrder(time);
  const fixed = timefix(time, undefined, order);
  return fixed === time ? { time, order, unchanged: true } : { time: fixed, order: stableOrder(fixed), unchanged: false };
}

interface Prepared { data: CoxData; means: number[]; scale: number[] }

/**
 * The data in (stratum, time) order: `order` is the stable order by time, then a stable counting sort by stratum;
 * covariates centred and scaled (see centreAndScale). One small function per pass over the rows, so that V8 compiles
 * each loop on its own.
 */
function prepare(time: number[], status: number[], xin: Float64Array, p: number, ties: CoxTies, order: Int32Array, strata?: readonly (string | number)[]): Prepared {
  const n = time.length;
  const levels = strata ? [...new Set(strata.map(String))].sort() : [];
  const levelIndex = new Map(levels.map((l, i) => [l, i]));
  const sIndex = strata ? Int32Array.from(strata, (v) => levelIndex.get(String(v)) as number) : new Int32Array(n);
  if (levels.length > 1) order = countingSort(sIndex, levels.length, order);
  const data: CoxData = { n, p, time: new Float64Array(n), status: new Uint8Array(n), x: new Float64Array(n * p), offset: new Float64Array(n), efron: ties === 'efron', strata: new Int32Array(n) };
  const sum = new Float64Array(p);
  const noCenter = new Uint8Array(p).fill(1);
  gatherRows(data, time, status, sIndex, xin, order, sum, noCenter);
  return { data, ...centreAndScale(data.x, n, p, sum, noCenter) };
}

/**
 * data's times, status, strata and covariate rows in the given order, with the column sums (in that order) and
 * noCenter[j] = 0 where column j has a value other than −1, 0 and 1.
 */
function gatherRows(data: CoxData, time: number[], status: number[], sIndex: Int32Array, xin: Float64Array, order: Int32Array, sum: Float64Array, noCenter: Uint8Array): void {
  const { n, p, x } = data;
  for (let k = 0, at = 0; k < n; k++, at += p) {
    const o = order[k];
    data.time[k] = time[o]; data.status[k] = status[o]; data.strata[k] = sIndex[o];
    for (let j = 0, from = o * p; j < p; j++) {
      const v = xin[from + j];
      x[at + j] = v; sum[j] += v;
      if (v !== 0 && v !== 1 && v !== -1) noCenter[j] = 0;
    }
  }
}

/**
 * coxph(nocenter = c(-1, 0, 1)): columns with only -1/0/1 values are neither centred nor scaled; the others are
 * centred on their mean (summed in row order) and scaled by n / Σ|x - mean| (row-wise passes over the row-major x).
 */
function centreAndScale(x: Float64Array, n: number, p: number, sum: Float64Array, noCenter: Uint8Array): { means: number[]; scale: number[] } {
  const means = Array.from(sum, (s, j) => (noCenter[j] ? 0 : s / n));
  const sabs = new Float64Array(p);
  centre(x, n, p, Float64Array.from(means), noCenter, sabs);
  const scale = Array.from(sabs, (sa, j) => (noCenter[j] || !(sa > 0) ? 1 : n / sa));
  scaleColumns(x, n, p, Float64Array.from(scale));
  return { means, scale };
}

function centre(x: Float64Array, n: number, p: number, means: Float64Array, noCenter: Uint8Array, sabs: Float64Array): void {
  for (let k = 0, at = 0; k < n; k++, at += p) {
    for (let j = 0; j < p; j++) if (!noCenter[j]) { x[at + j] -= means[j]; sabs[j] += Math.abs(x[at + j]); }
  }
}

function scaleColumns(x: Float64Array, n: number, p: number, scale: Float64Array): void {
  for (let k = 0, at = 0; k < n; k++, at += p) for (let j = 0; j < p; j++) x[at + j] *= scale[j];
}

function test(chisq: number, df: number): CoxTest { return { chisq, df, p: pchisqUpper(chisq, df) }; }

export function coxph(time: number[], status: number[], X: number[][], opts: CoxOptions = {}): CoxFit {
  const p0 = X.length > 0 ? X[0].length : 0;
  const names = opts.names ?? Array.from({ length: p0 }, (_, j) => `x${j + 1}`);
  const xin = validate(time, status, X, names);
  const p = names.length;
  const ties = opts.ties ?? 'efron';
  const confLevel = opts.confLevel ?? 0.95;
  if (!(confLevel > 0 && confLevel < 1)) throw new StatsError(`confLevel must be in (0, 1), got ${confLevel}`);
  const maxIter = opts.maxIter ?? 20;
  const eps = opts.eps ?? 1e-9;
  const toler = Math.pow(DBL_EPS, 0.75);
  const tolerInf = Math.sqrt(eps);
  const n = time.length;
  const sorted = timeOrder(time);
  time = sorted.time;
  if (opts.strata && opts.strata.length !== n) throw new StatsError(`strata has ${opts.strata.length} values, there are ${n} observations`);
  const prep = prepare(time, status, xin, p, ties, sorted.order, opts.strata);
  const fit = newton(prep.data, new Array<number>(p).fill(0), maxIter, eps, toler);
  if (fit.rank0 < p) {
    const f0 = chol2(coxIter(prep.data, new Array<number>(p).fill(0)).imat, toler);
    const bad = f0.m.findIndex((r, i) => r[i] === 0);
    throw new StatsError(`covariate '${names[Math.max(bad, 0)]}' is collinear with the others (or carries no information): the model is singular`);
  }
  const { scale } = prep;
  const coef = fit.beta.map((b, i) => b * scale[i]);
  const vInt = chinv2(chol2(fit.imat, toler).m);
  const V = vInt.map((r, i) => r.map((v, j) => v * scale[i] * scale[j]));
  const u = fit.u.map((x, i) => x / scale[i]);
  const warnings: string[] = [];
  if (!fit.converged) warnings.push('Ran out of iterations and did not converge');
  else {
    const inf: number[] = [];
    for (let j = 0; j < p; j++) {
      let s = 0;
      for (let i = 0; i < p; i++) s += u[i] * V[i][j];
      const infs = Math.abs(s);
      if (!Number.isFinite(u[j]) || (infs > eps && infs > tolerInf * Math.abs(coef[j]))) inf.push(j + 1);
    }
    if (inf.length > 0) warnings.push(`Loglik converged before variable ${inf.join(',')} (${inf.map((k) => names[k - 1]).join(', ')}); coefficient may be infinite`);
  }
  const se = V.map((r, i) => Math.sqrt(r[i]));
  const zq = qnorm(1 - (1 - confLevel) / 2);
  const z = coef.map((b, i) => b / se[i]);
  // Wald test: coef' V⁻ coef with survival's generalised Cholesky (coxph.wtest)
  const fv = chol2(V, toler);
  const wsol = chsolve2(fv.m, coef);
  let wald = 0;
  for (let i = 0; i < p; i++) wald += coef[i] * wsol[i];
  const lp = new Array<number>(n);
  for (let i = 0, at = 0; i < n; i++, at += p) { let s = 0; for (let j = 0; j < p; j++) s += (xin[at + j] - prep.means[j]) * coef[j]; lp[i] = s; }
  const events = countEvents(status);
  const out: CoxFit = {
    names, ties, confLevel, coef, se,
    hr: coef.map(Math.exp), z, p: z.map((zz) => 2 * pnormUpper(Math.abs(zz))),
    ciWald: coef.map((b, i) => [b - zq * se[i], b + zq * se[i]] as [number, number]),
    var: V, loglik: [fit.loglik0, fit.loglik],
    lrt: test(2 * (fit.loglik - fit.loglik0), p), wald: test(wald, fv.rank), score: test(fit.sctest, p),
    // the concordance skips timefix and the time sort when timefix left the times unchanged (else it redoes them)
    concordance: harrellC(time, status, lp, { reverse: true, ...(opts.strata ? { strata: opts.strata } : {}), ...(sorted.unchanged ? { timeOrder: sorted.order } : {}) }),
    linearPredictors: lp, means: prep.means, n, events, iterations: fit.iter, converged: fit.converged, warnings,
  };
  if (opts.ci === 'profile') out.ciProfile = profileCi(prep, fit, coef, se, confLevel, toler);
  return out;
}

/**
 * Partial log-likelihood at fixed coefficients β (coxph(..., init = β, iter.max = 0)$loglik[2]); the centring and
 * scaling of the fit leave it unchanged.
 */
export function coxLogLik(time: number[], status: number[], X: number[][], beta: number[], ties: CoxTies = 'efron'): number {
  const p = X[0]?.length ?? 0;
  const xin = validate(time, status, X, Array.from({ length: p }, (_, j) => `x${j + 1}`));
  if (beta.length !== p) throw new StatsError(`beta has ${beta.length} values, X has ${p} columns`);
  const sorted = timeOrder(time);
  const prep = prepare(sorted.time, status, xin, p, ties, sorted.order);
  return coxIter(prep.data, beta.map((b, j) => b / prep.scale[j])).loglik;
}

/** Brent's root finder (zeroin) on [a, b] with f(a), f(b) of opposite sign. */
function brent(f: (x: number) => number, a: number, b: number, fa: number, fb: number, tol: number): number {
  let c = a, fc = fa, d = b - a, e = d;
  for (let it = 0; it < 200; it++) {
    if ((fb > 0 && fc > 0) || (fb < 0 && fc < 0)) { c = a; fc = fa; d = b - a; e = d; }
    if (Math.abs(fc) < Math.abs(fb)) { a = b; b = c; c = a; fa = fb; fb = fc; fc = fa; }
    const tol1 = 2 * DBL_EPS * Math.abs(b) + 0.5 * tol;
    const xm = 0.5 * (c - b);
    if (Math.abs(xm) <= tol1 || fb === 0) return b;
    if (Math.abs(e) >= tol1 && Math.abs(fa) > Math.abs(fb)) {
      const s = fb / fa;
      let pp: number, q: number;
      if (a === c) { pp = 2 * xm * s; q = 1 - s; } else {
        const qq = fa / fc, r = fb / fc;
        pp = s * (2 * xm * qq * (qq - r) - (b - a) * (r - 1));
        q = (qq - 1) * (r - 1) * (s - 1);
      }
      if (pp > 0) q = -q; else pp = -pp;
      if (2 * pp < Math.min(3 * xm * q - Math.abs(tol1 * q), Math.abs(e * q))) { e = d; d = pp / q; } else { d = xm; e = d; }
    } else { d = xm; e = d; }
    a = b; fa = fb;
    b += Math.abs(d) > tol1 ? d : (xm > 0 ? tol1 : -tol1);
    fb = f(b);
  }
  return b;
}

/**
 * Profile-likelihood CI for each coefficient: roots of 2(ℓ̂ − max_{β−j} ℓ(b, β−j)) = χ²₁(conf) on each side,
 * refitting the other coefficients (Newton, eps 1e-12, warm start) with b·x_j as an offset; 1-D for p = 1.
 * Brackets start at β̂ ± 2 SE and double (up to 4096 SE); a side that never crosses (monotone likelihood) is null (infinite).
 */
function profileCi(prep: Prepared, fit: CoreFit, coef: number[], se: number[], confLevel: number, toler: number): [number | null, number | null][] {
  const crit = qchisq(confLevel, 1);
  const d = prep.data;
  const p = d.p;
  const llhat = fit.loglik;
  return coef.map((bj, j) => {
    // the other columns (row-major n × (p - 1)) and column j
    const others = new Float64Array(d.n * (p - 1));
    const xj = new Float64Array(d.n);
    for (let k = 0; k < d.n; k++) {
      for (let c = 0, o = 0; c < p; c++) { if (c === j) xj[k] = d.x[k * p + c]; else others[k * (p - 1) + o++] = d.x[k * p + c]; }
    }
    const sc = prep.scale[j];
    let warm = fit.beta.filter((_, k) => k !== j);
    const start = warm.slice();
    const prof = (b: number): number => {
      const off = new Float64Array(d.n);
      const bi = b / sc;
      for (let k = 0; k < d.n; k++) off[k] = bi * xj[k];
      const sub: CoxData = { ...d, p: p - 1, x: others, offset: off };
      if (p === 1) return coxIter(sub, []).loglik;
      let r = newton(sub, warm, 100, 1e-12, toler);
      if (!r.converged) r = newton(sub, start, 100, 1e-12, toler);
      warm = r.beta;
      return r.loglik;
    };
    const g = (b: number): number => 2 * (llhat - prof(b)) - crit;
    const side = (dir: number): number | null => {
      warm = start.slice();
      let k = 2;
      let prevK = 0;
      let gb = g(bj + dir * k * se[j]);
      while (Number.isFinite(gb) && gb <= 0 && k < 4096) { prevK = k; k *= 2; gb = g(bj + dir * k * se[j]); }
      // exp() overflow far out: step back towards the last finite point looking for a finite crossing
      for (let t = 0; t < 60 && !Number.isFinite(gb); t++) { k = (k + prevK) / 2; gb = g(bj + dir * k * se[j]); }
      if (!(Number.isFinite(gb) && gb > 0)) return null;
      warm = start.slice();
      const lo = bj, hi = bj + dir * k * se[j];
      return brent(g, lo, hi, -crit, gb, 1e-10 * se[j]);
    };
    return [side(-1), side(1)] as [number | null, number | null];
  });
}

export interface CoxUnivariateRow { term: string; fit: CoxFit }

/** Each column of X in its own one-covariate Cox model (same options). */
export function coxUnivariate(time: number[], status: number[], X: number[][], opts: CoxOptions = {}): CoxUnivariateRow[] {
  const p = X.length > 0 ? X[0].length : 0;
  const names = opts.names ?? Array.from({ length: p }, (_, j) => `x${j + 1}`);
  if (names.length !== p) throw new StatsError(`names has ${names.length} entries, X has ${p} columns`);
  return names.map((term, j) => ({ term, fit: coxph(time, status, X.map((r) => [r[j]]), { ...opts, names: [term] }) }));
}
