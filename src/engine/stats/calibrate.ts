/**
 * Calibration curves with rms::calibrate semantics for a binary logistic model (calibrate.default + predab.resample,
 * method = "boot", smoother = lowess):
 *  - grid predy = seq(p[5], p[n-4], length = 50) of the sorted apparent predicted probabilities;
 *  - calibration error of predictions x for outcomes y: approx(lowess(x, y, iter = 0), xout = predy, ties = first) - predy
 *    (null outside the range of x, like R's NA);
 *  - apparent curve ("calibrated.orig") = predy + error of the original model on the original data;
 *  - each of B bootstrap resamples (drawn with the project's seeded Rng, so NOT R's numbers): refit on the resample,
 *    train = error on the resample, test = error of that model on the original data; optimism = mean(train - test)
 *    per grid point over the resamples where both are available (predab.resample's per-point counts);
 *    resamples whose refit fails (separation, a constant column) are skipped and counted, as rms's
 *    "Divergence or singularity in k samples";
 *  - bias-corrected = apparent - optimism;
 *  - error summary as print.calibrate: err_i = p_i - approx(predy, curve, xout = p_i, ties = mean), NA dropped:
 *    mean |err|, mean err^2, 0.9 quantile (type 7) of |err|.
 * External validation (calibrateExternal): apparent curve of the given predictions only (B = 0, bias-corrected =
 * apparent).
 */
import { StatsError } from './errors';
import { LowessAt } from './lowess';
import { logisticRegression, LogisticOptions, LogisticRefits } from './logistic';
import { countingSort, radixOrder, RadixWork } from './order';
import { Rng } from './rng';
import { quantile7 } from '../../shared/quantile';

export interface CalibrationCurveResult {
  predy: number[];
  apparent: (number | null)[];
  optimism: (number | null)[];
  biasCorrected: (number | null)[];
  /** resamples contributing at each grid point */
  nPerPoint: number[];
  B: number;
  successfulResamples: number;
  failedResamples: number;
  seed: number | null;
  n: number;
  /** print.calibrate summary of the bias-corrected curve (the apparent one when B = 0) */
  meanAbsoluteError: number | null;
  meanSquaredError: number | null;
  quantile90: number | null;
  /** number of subjects inside the grid (used for the summary) */
  nSummary: number;
}

const plogis = (e: number): number => 1 / (1 + Math.exp(-e));

/** R's seq(from, to, length.out = n) (seq.default: from + i * by, last value exactly `to`). */
export function seqDefault(from: number, to: number, n: number): number[] {
  if (n <= 2) return [from, to].slice(0, n);
  if (from === to) return new Array<number>(n).fill(from);
  const n1 = n - 1;
  const by = (to - from) / n1;
  const out = [from];
  for (let i = 1; i < n1; i++) out.push(from + i * by);
  out.push(to);
  return out;
}

/** The calibration grid seq(p[5], p[n-4], length = 50) of the sorted predictions (needs n > 10 as rms). */
export function calibrationGrid(p: number[], length = 50): number[] {
  const n = p.length;
  if (n < 11) throw new StatsError(`calibration: needs n > 10 subjects for the grid p[5]..p[n-4], got ${n}`);
  const s = p.slice().sort((a, b) => a - b);
  return seqDefault(s[4], s[n - 5], length);
}

/** approx(x, y, xout, ties = first | mean), rule = 1 (null outside). x need not be sorted. */
export function approxMany(x: number[], y: (number | null)[], xout: number[], ties: 'first' | 'mean'): (number | null)[] {
  const idx: number[] = [];
  for (let i = 0; i < x.length; i++) if (y[i] !== null && Number.isFinite(x[i])) idx.push(i);
  idx.sort((a, b) => x[a] - x[b] || a - b);
  const ux: number[] = [];
  const uy: number[] = [];
  let i = 0;
  while (i < idx.length) {
    let j = i;
    let s = 0;
    while (j < idx.length && x[idx[j]] === x[idx[i]]) { s += y[idx[j]] as number; j++; }
    ux.push(x[idx[i]]);
    uy.push(ties === 'first' ? (y[idx[i]] as number) : s / (j - i));
    i = j;
  }
  const nx = ux.length;
  return xout.map((v) => {
    if (nx < 2) return nx === 1 && v === ux[0] ? uy[0] : null;
    if (!(v >= ux[0] && v <= ux[nx - 1])) return null;
    let lo = 0, hi = nx - 1;
    while (hi - lo > 1) { const mid = (lo + hi) >> 1; if (v < ux[mid]) hi = mid; else lo = mid; }
    if (v === ux[hi]) return uy[hi];
    if (v === ux[lo]) return uy[lo];
    return uy[lo] + ((uy[hi] - uy[lo]) * (v - ux[lo])) / (ux[hi] - ux[lo]);
  });
}

/** rms cal.error: lowess(p, y, iter = 0) interpolated at predy (ties = first), minus predy. */
export function calibrationError(p: number[], y: number[], predy: number[]): (number | null)[] {
  const cal = new Float64Array(predy.length);
  new LowessAt(p.length, predy).run(Float64Array.from(p), Float64Array.from(y), cal);   // typed, as the bootstrap's calls
  return Array.from(cal, (c, i) => (Number.isNaN(c) ? null : c - predy[i]));
}

function errorSummary(p: number[], predy: number[], curve: (number | null)[]): { mae: number | null; mse: number | null; q9: number | null; n: number } {
  const at = approxMany(predy, curve, p, 'mean');
  const err: number[] = [];
  for (let i = 0; i < p.length; i++) if (at[i] !== null) err.push(p[i] - (at[i] as number));
  if (!err.length) return { mae: null, mse: null, q9: null, n: 0 };
  const abs = err.map(Math.abs);
  return { mae: abs.reduce((a, b) => a + b, 0) / err.length, mse: err.reduce((a, b) => a + b * b, 0) / err.length, q9: quantile7(abs, 0.9), n: err.length };
}

function checkInputs(y: number[], p: number[], what: string): void {
  if (y.length !== p.length) throw new StatsError(`${what}: ${y.length} outcomes but ${p.length} predictions`);
  let ev = 0;
  for (let i = 0; i < y.length; i++) {
    if (y[i] !== 0 && y[i] !== 1) throw new StatsError(`${what}: outcome must be 0/1, got ${y[i]} at row ${i + 1}`);
    if (!(p[i] >= 0 && p[i] <= 1)) throw new StatsError(`${what}: predicted probability must be in [0, 1], got ${p[i]} at row ${i + 1}`);
    ev += y[i];
  }
  if (ev === 0 || ev === y.length) throw new StatsError(`${what}: the outcome has only one class`);
}

/**
 * calibrate's bootstrap with buffers reused across the resamples: the refit on the resample's rows, then the
 * calibration errors on the grid of the refit on the resample (train) and on the original data (test), NaN where
 * approx() gives NA (the smooths of probabilities and 0/1 outcomes are finite, so NaN means NA only).
 * One sort per resample: the test predictions plogis(eta) of the original rows are sorted; the fitted values
 * linkinv(eta) of the resample's rows are functions of the same rows' eta, so when they do not decrease along that
 * order (checked; else they are sorted too) their stable order is a counting sort of the resample's positions by
 * their row's rank (LowessAt checks every order it is given).
 */
class CalibrationBootstrap {
  readonly train: Float64Array;
  readonly test: Float64Array;
  private readonly refits: LogisticRefits;
  private readonly smooth: LowessAt;
  private readonly y: Float64Array;
  private readonly pTest: Float64Array;
  private readonly radix: RadixWork;
  private readonly rowValue: Float64Array;
  private readonly rowStamp: Int32Array;
  private readonly rowRank: Int32Array;
  private readonly keys: Int32Array;
  private readonly positions: Int32Array;
  private stamp = 0;
  constructor(y: number[], X: number[][], names: string[], private readonly predy: number[], fitOptions: LogisticOptions) {
    const n = y.length;
    this.refits = new LogisticRefits(y, X, names, fitOptions);
    this.smooth = new LowessAt(n, predy);
    this.y = Float64Array.from(y);
    this.train = new Float64Array(predy.length);
    this.test = new Float64Array(predy.length);
    this.radix = new RadixWork(n);
    [this.pTest, this.rowValue] = [new Float64Array(n), new Float64Array(n)];
    [this.rowStamp, this.rowRank, this.keys] = [new Int32Array(n), new Int32Array(n), new Int32Array(n)];
    this.positions = Int32Array.from({ length: n }, (_, k) => k);
  }
  get coef(): Float64Array { return this.refits.coef; }
  /** One resample (0-based row indices): false if its refit fails (counted, as rms's divergence or singularity). */
  run(rows: ArrayLike<number>): boolean {
    const { refits, predy, pTest } = this;
    if (!refits.fit(rows)) return false;
    // the refit's predictions on the original rows: plogis(b0 + b1 x1 + ...), as predict() on the original data
    const c = refits.coef, { n, p, v } = refits.data;
    for (let i = 0, at = 0; i < n; i++, at += p) {
      let s = c[0];
      for (let j = 1; j < p; j++) s += c[j] * v[at + j];
      pTest[i] = plogis(s);
    }
    const testOrder = radixOrder(pTest, this.radix);
    this.smooth.run(refits.fitted, refits.yb, this.train, this.trainOrder(rows, testOrder));
    this.smooth.run(pTest, this.y, this.test, testOrder);
    for (let k = 0; k < predy.length; k++) { this.train[k] -= predy[k]; this.test[k] -= predy[k]; }
    return true;
  }
  /** The stable order of the fitted values from the test order (see the class comment), or undefined: sort them. */
  private trainOrder(rows: ArrayLike<number>, testOrder: Int32Array): Int32Array | undefined {
    const fitted = this.refits.fitted, { rowValue, rowStamp, rowRank, keys } = this, n = rows.length;
    const stamp = ++this.stamp;
    for (let k = 0; k < n; k++) { rowValue[rows[k]] = fitted[k]; rowStamp[rows[k]] = stamp; }
    let rank = -1, prev = 0;
    for (let q = 0; q < n; q++) {
      const i = testOrder[q];
      if (rowStamp[i] !== stamp) continue;
      const v = rowValue[i];
      if (rank < 0 || v > prev) rank++;
      else if (!(v === prev)) return undefined;
      rowRank[i] = rank; prev = v;
    }
    for (let k = 0; k < n; k++) keys[k] = rowRank[rows[k]];
    return countingSort(keys, rank + 1, this.positions);
  }
}

const naToNull = (v: Float64Array): (number | null)[] => Array.from(v, (x) => (Number.isNaN(x) ? null : x));

/** Optimism pieces of one bootstrap resample (0-based indices): train and test errors on the grid; null if the refit fails. */
export function resampleCalibrationErrors(y: number[], X: number[][], names: string[], predy: number[], idx: number[], fitOptions: LogisticOptions = {}): { train: (number | null)[]; test: (number | null)[]; coef: number[] } | null {
  const boot = new CalibrationBootstrap(y, X, names, predy, fitOptions);
  if (!boot.run(idx)) return null;
  return { train: naToNull(boot.train), test: naToNull(boot.test), coef: Array.from(boot.coef) };
}

/** rms::calibrate(lrm fit, method = "boot", B) equivalent; see the file comment. */
export function calibrateLogistic(y: number[], X: number[][], names: string[], opts: { B?: number; seed?: number; fitOptions?: LogisticOptions } = {}): CalibrationCurveResult {
  const B = opts.B ?? 40;
  const seed = opts.seed ?? 1;
  if (!(Number.isInteger(B) && B >= 0)) throw new StatsError(`calibrate: B must be a non-negative integer, got ${B}`);
  const model = logisticRegression(y, X, names, { ...opts.fitOptions, ci: 'wald' });
  const p = model.fitted;
  const n = y.length;
  const predy = calibrationGrid(p);
  const origErr = calibrationError(p, y, predy);
  const apparent = origErr.map((e, i) => (e === null ? null : predy[i] + e));
  const k = predy.length;
  const trainSum = new Array<number>(k).fill(0), testSum = new Array<number>(k).fill(0), num = new Array<number>(k).fill(0);
  const rng = new Rng(seed);
  const boot = B > 0 ? new CalibrationBootstrap(y, X, names, predy, opts.fitOptions ?? {}) : null;
  const rows = new Int32Array(n);
  let ok = 0, failed = 0;
  for (let b = 0; b < B; b++) {
    for (let i = 0; i < n; i++) rows[i] = rng.int(n);   // rng.resample(n)'s draws
    if (!boot!.run(rows)) { failed++; continue; }
    ok++;
    const { train, test } = boot!;
    for (let i = 0; i < k; i++) {
      const tr = train[i], te = test[i];
      if (Number.isNaN(tr) || Number.isNaN(te)) continue;
      trainSum[i] += tr; testSum[i] += te; num[i]++;
    }
  }
  const optimism = predy.map((_, i) => (B === 0 ? 0 : num[i] > 0 ? (trainSum[i] - testSum[i]) / num[i] : null));
  const biasCorrected = apparent.map((a, i) => (a === null || optimism[i] === null ? null : a - (optimism[i] as number)));
  const s = errorSummary(p, predy, biasCorrected);
  return {
    predy, apparent, optimism, biasCorrected, nPerPoint: num, B, successfulResamples: ok, failedResamples: failed, seed, n,
    meanAbsoluteError: s.mae, meanSquaredError: s.mse, quantile90: s.q9, nSummary: s.n,
  };
}

/** Apparent calibration of given predictions (validation cohort): B = 0, bias-corrected = apparent. */
export function calibrateExternal(y: number[], p: number[]): CalibrationCurveResult {
  checkInputs(y, p, 'calibrate (external)');
  const predy = calibrationGrid(p);
  const err = calibrationError(p, y, predy);
  const apparent = err.map((e, i) => (e === null ? null : predy[i] + e));
  const s = errorSummary(p, predy, apparent);
  return {
    predy, apparent, optimism: predy.map(() => 0), biasCorrected: apparent.slice(), nPerPoint: predy.map(() => 0), B: 0,
    successfulResamples: 0, failedResamples: 0, seed: null, n: y.length, meanAbsoluteError: s.mae, meanSquaredError: s.mse, quantile90: s.q9, nSummary: s.n,
  };
}
