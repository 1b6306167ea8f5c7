/**
 * Bootstrap validation of a logistic or Cox model as rms::validate (validate.lrm / validate.cph through
 * predab.resample, method = "boot"), restated:
 *  - index.orig: the indexes of the model on the data it was fitted on;
 *  - for each of B resamples (n rows drawn with replacement): refit the model on the resample; "training" = the
 *    indexes of that refit on the resample, "test" = the indexes of that refit's linear predictor on the original
 *    data; a resample whose refit fails (separation, a singular design, a Cox fit not converging in 10 iterations)
 *    is skipped and counted, as rms's "Divergence or singularity in k samples";
 *  - training and test = the means over the resamples where both are defined (n = their number), optimism =
 *    training − test, index.corrected = index.orig − optimism.
 * Logistic indexes of a linear predictor L on outcomes y (n rows), from the model fitted on those rows ("apparent")
 * or recalibrated on them ("test": a logistic refit y ~ L gives intercept a and slope b):
 *   Dxy = 2 (C − 1/2), C = Hmisc::somers2's rank C of L; R2 = Nagelkerke's R² of the fit (apparent) or of the
 *   recalibration (test); Intercept, Slope = 0, 1 (apparent) or a, b (test); D = (LR − 1)/n with LR the model (or
 *   recalibration) likelihood-ratio chi-square; U = −2/n (apparent) or (deviance of L used as it is − deviance of
 *   the recalibration − 2)/n (test); Q = D − U; B (Brier) = mean (y − plogis(L))²; g = Gini's mean difference of
 *   b·L; gp = that of plogis(a + b·L). Emax (validate.lrm): max over p = 0, 0.0005, …, 1 of |p − plogis(a + b·logit
 *   p)| with the corrected intercept and slope, in the test, optimism and corrected columns (0 in the others).
 * Cox indexes of L on (time, status), ℓ0 = −2 log partial likelihood at β = 0, LR = the model's (apparent) or the
 *   refit (time, status) ~ L's (test) likelihood-ratio chi-square:
 *   Dxy = 2 C − 1 with Harrell's C of the risk score L (survival::concordance, reverse); R2 = (1 − exp(−LR/n)) /
 *   (1 − exp(−ℓ0/n)); Slope = 1 or the refit's coefficient b; D = (LR − 1)/ℓ0; U = −2/ℓ0 (apparent) or
 *   −2 (log PL at β = 1 − log PL at b)/ℓ0 (test); Q = D − U; g = Gini's mean difference of b·L.
 *   The Cox refits (resample and test recalibration) use rms's settings: coxph's Newton–Raphson with eps 1e-4 and
 *   at most 10 iterations, failing when it needs all 10 (rms's coxphFit).
 * Resamples are drawn with the project's seeded Rng (xoshiro128**), so NOT R's numbers for a given seed; given the
 * same resample indices (`resamples`) the arithmetic is R's.
 * C-index interval (rms has none): the percentile bootstrap interval of the ORIGINAL model's apparent C over the
 * same B resamples (the fixed linear predictor evaluated on each resample, no refit). It describes the sampling
 * uncertainty of the apparent C; it is not optimism-corrected.
 */
import { rank } from './basic';
import { concordance } from './concordance';
import { coxLogLik, coxph, type CoxTies } from './cox';
import { StatsError } from './errors';
import { logisticRegression } from './logistic';
import { Rng } from './rng';
import { quantile7 } from '../../shared/quantile';

export interface ValidateRow {
  index: string;
  indexOrig: number | null;
  training: number | null;
  test: number | null;
  optimism: number | null;
  indexCorrected: number | null;
  /** resamples where both training and test are defined */
  n: number;
}

export interface ValidationResult {
  rows: ValidateRow[];
  B: number;
  successfulResamples: number;
  failedResamples: number;
  /** null when the resamples were given */
  seed: number | null;
  n: number;
  /** C = Dxy/2 + 1/2 of each column, and the percentile interval of the apparent C (see the file comment). */
  cIndex: { indexOrig: number | null; training: number | null; test: number | null; optimism: number | null; indexCorrected: number | null; ci: [number | null, number | null]; conf: number };
}

export interface ValidateOptions {
  B?: number;
  seed?: number;
  /** 0-based resample indices (B = their number): R's own resamples in the tests. */
  resamples?: number[][];
  /** level of the C-index interval (default 0.95) */
  conf?: number;
  /** called before each resample (the caller may throw to cancel) */
  beforeResample?: () => void;
}

const plogis = (e: number): number => 1 / (1 + Math.exp(-e));
const ok = (v: number | null): v is number => v !== null && Number.isFinite(v);

/** Hmisc::GiniMd: mean |x_i − x_j| over pairs, from the sorted values. */
export function giniMd(x: readonly number[]): number | null {
  const n = x.length;
  if (n < 2) return null;
  const s = x.slice().sort((a, b) => a - b);
  let sum = 0;
  for (let i = 0; i < n; i++) sum += (2 * (i + 1) - n - 1) * s[i];
  return (2 * sum) / (n * (n - 1));
}

/** Hmisc::somers2's Dxy of a score for a 0/1 outcome (average ranks); null with one class. */
export function somersDxy(score: readonly number[], y: readonly number[]): number | null {
  const r = rank(score);
  let n1 = 0, sum = 0;
  for (let i = 0; i < y.length; i++) if (y[i] === 1) { n1++; sum += r[i]; }
  const n = y.length;
  if (n1 === 0 || n1 === n) return null;
  const c = (sum / n1 - (n1 + 1) / 2) / (n - n1);
  return 2 * (c - 0.5);
}

const lpOf = (X: readonly number[][], coef: readonly number[], intercept: boolean): number[] => X.map((r) => {
  let s = intercept ? coef[0] : 0;
  const o = intercept ? 1 : 0;
  for (let j = 0; j < r.length; j++) s += coef[j + o] * r[j];
  return s;
});

const pick = <T>(v: readonly T[], idx: readonly number[]): T[] => idx.map((i) => v[i]);

/** Fits the model on the rows `idx` and measures it: training (on those rows) and test (on all rows); null if the refit fails. */
type ResampleStats = (idx: number[]) => { train: (number | null)[]; test: (number | null)[] } | null;

function resamplesOf(n: number, opts: ValidateOptions): { resamples: number[][]; seed: number | null } {
  if (opts.resamples) {
    for (const r of opts.resamples) {
      if (r.length !== n || r.some((i) => !(Number.isInteger(i) && i >= 0 && i < n))) throw new StatsError(`validate: each resample must hold ${n} row indices in 0..${n - 1}`);
    }
    return { resamples: opts.resamples, seed: null };
  }
  const B = opts.B ?? 40;
  if (!(Number.isInteger(B) && B >= 1)) throw new StatsError(`validate: B must be a whole number >= 1, got ${B}`);
  const seed = opts.seed ?? 1;
  const rng = new Rng(seed);
  return { resamples: Array.from({ length: B }, () => rng.resample(n)), seed };
}

/** predab.resample's accumulation (see the file comment) and the C-index summary. */
function bootstrap(names: string[], orig: (number | null)[], n: number, opts: ValidateOptions, stats: ResampleStats, cOf: (idx: number[]) => number | null): ValidationResult {
  const { resamples, seed } = resamplesOf(n, opts);
  const k = names.length;
  const train = new Array<number>(k).fill(0), test = new Array<number>(k).fill(0), num = new Array<number>(k).fill(0);
  const cs: number[] = [];
  let good = 0;
  for (const idx of resamples) {
    opts.beforeResample?.();
    const c = cOf(idx);
    if (ok(c)) cs.push(c);
    const r = stats(idx);
    if (!r) continue;
    good++;
    for (let j = 0; j < k; j++) {
      const tr = r.train[j], te = r.test[j];
      if (!ok(tr) || !ok(te)) continue;
      train[j] += tr; test[j] += te; num[j]++;
    }
  }
  const rows: ValidateRow[] = names.map((index, j) => {
    const tr = num[j] ? train[j] / num[j] : null, te = num[j] ? test[j] / num[j] : null;
    const optimism = tr === null || te === null ? null : tr - te;
    const o = orig[j];
    return { index, indexOrig: o, training: tr, test: te, optimism, indexCorrected: optimism === null || !ok(o) ? null : o - optimism, n: num[j] };
  });
  const conf = opts.conf ?? 0.95;
  const dxy = rows[0];
  const toC = (v: number | null): number | null => (v === null ? null : v / 2 + 0.5);
  const ci: [number | null, number | null] = cs.length ? [quantile7(cs, (1 - conf) / 2), quantile7(cs, 1 - (1 - conf) / 2)] : [null, null];
  return {
    rows, B: resamples.length, successfulResamples: good, failedResamples: resamples.length - good, seed, n,
    cIndex: {
      indexOrig: toC(dxy.indexOrig), training: toC(dxy.training), test: toC(dxy.test), optimism: dxy.optimism === null ? null : dxy.optimism / 2,
      indexCorrected: toC(dxy.indexCorrected), ci, conf,
    },
  };
}

// ---------- logistic (validate.lrm) ----------

const LOGISTIC_INDEXES = ['Dxy', 'R2', 'Intercept', 'Slope', 'D', 'U', 'Q', 'B', 'g', 'gp'];

/** A logistic fit, or null when it fails (StatsError: separation, singular design, one class). */
function tryLogistic(y: number[], X: number[][], names: string[]): ReturnType<typeof logisticRegression> | null {
  try {
    return logisticRegression(y, X, names);
  } catch (e) {
    if (e instanceof StatsError) return null;
    throw e;
  }
}

const brier = (lp: readonly number[], y: readonly number[]): number => lp.reduce((s, l, i) => s + (y[i] - plogis(l)) ** 2, 0) / y.length;

/** Indexes of a model on the rows it was fitted on (lr = null deviance − deviance, r2 = Nagelkerke's). */
function logisticApparent(lp: number[], y: number[], lr: number, r2: number): (number | null)[] {
  const n = y.length;
  const D = (lr - 1) / n, U = -2 / n;
  return [somersDxy(lp, y), r2, 0, 1, D, U, D - U, brier(lp, y), giniMd(lp), giniMd(lp.map(plogis))];
}

/** Indexes of a linear predictor on other rows, through the recalibration y ~ lp; null if that refit fails. */
function logisticTest(lp: number[], y: number[]): (number | null)[] | null {
  const n = y.length;
  const re = tryLogistic(y, lp.map((v) => [v]), ['lp']);
  if (!re) return null;
  const [a, b] = re.coef;
  const lr = re.nullDeviance - re.deviance;
  let l01 = 0;
  for (let i = 0; i < n; i++) l01 += y[i] * lp[i] - Math.log1p(Math.exp(lp[i]));
  const D = (lr - 1) / n, U = (-2 * l01 - re.deviance - 2) / n;
  return [somersDxy(lp, y), re.r2Nagelkerke, a, b, D, U, D - U, brier(lp, y), giniMd(lp.map((v) => b * v)), giniMd(lp.map((v) => plogis(a + b * v)))];
}

/** validate.lrm's Emax of the corrected calibration intercept a and slope b. */
export function emax(a: number, b: number): number {
  let m = -Infinity;
  for (let i = 0; i <= 2000; i++) {
    const p = i * 5e-4;
    const d = Math.abs(p - plogis(a + b * Math.log(p / (1 - p))));
    if (!Number.isNaN(d)) m = Math.max(m, d);
  }
  return m;
}

/** rms::validate of a logistic model of y on X (no intercept column; names of its columns). */
export function validateLogistic(y: number[], X: number[][], names: string[], opts: ValidateOptions = {}): ValidationResult {
  const fit = logisticRegression(y, X, names);
  const lp0 = fit.linearPredictor;
  const orig = logisticApparent(lp0, y, fit.nullDeviance - fit.deviance, fit.r2Nagelkerke);
  const stats: ResampleStats = (idx) => {
    const yb = pick(y, idx), Xb = pick(X, idx);
    const f = tryLogistic(yb, Xb, names);
    if (!f) return null;
    const test = logisticTest(lpOf(X, f.coef, true), y);
    return test && { train: logisticApparent(f.linearPredictor, yb, f.nullDeviance - f.deviance, f.r2Nagelkerke), test };
  };
  const r = bootstrap(LOGISTIC_INDEXES, orig, y.length, opts, stats, (idx) => {
    const d = somersDxy(pick(lp0, idx), pick(y, idx));
    return d === null ? null : d / 2 + 0.5;
  });
  const at = (name: string): ValidateRow => r.rows.find((row) => row.index === name)!;
  const a = at('Intercept').indexCorrected, b = at('Slope').indexCorrected;
  const e = a === null || b === null ? null : emax(a, b);
  const emaxRow: ValidateRow = { index: 'Emax', indexOrig: 0, training: 0, test: e, optimism: e, indexCorrected: e, n: r.rows[0].n };
  r.rows.splice(4, 0, emaxRow);
  return r;
}

// ---------- Cox (validate.cph) ----------

const COX_INDEXES = ['Dxy', 'R2', 'Slope', 'D', 'U', 'Q', 'g'];
/** rms's Cox refit settings (validate.cph's cox.fit and discrim through coxphFit). */
const RMS_COX = { eps: 1e-4, maxIter: 10 };

/** A Cox fit with rms's refit settings, or null when it fails or needs all 10 iterations. */
function tryCox(time: number[], status: number[], X: number[][], names: string[], ties: CoxTies): ReturnType<typeof coxph> | null {
  try {
    const f = coxph(time, status, X, { ties, names, ...RMS_COX });
    return f.converged && f.iterations < RMS_COX.maxIter ? f : null;
  } catch (e) {
    if (e instanceof StatsError) return null;
    throw e;
  }
}

const coxDxy = (lp: number[], time: number[], status: number[]): number | null => concordance(time, status, lp, { reverse: true }).somersD;

function coxIndexes(lp: number[], time: number[], status: number[], loglik: readonly [number, number], slope: number, U: number | null): (number | null)[] {
  const n = time.length;
  const lr = 2 * (loglik[1] - loglik[0]), ll0 = -2 * loglik[0];
  const D = (lr - 1) / ll0;
  const u = U ?? -2 / ll0;
  return [coxDxy(lp, time, status), (1 - Math.exp(-lr / n)) / (1 - Math.exp(-ll0 / n)), slope, D, u, D - u, giniMd(lp.map((v) => slope * v))];
}

/** Indexes of a Cox linear predictor on other rows, through the refit (time, status) ~ lp; null if it fails. */
function coxTest(lp: number[], time: number[], status: number[], ties: CoxTies): (number | null)[] | null {
  if (lp.every((v) => v === lp[0])) return null;
  const re = tryCox(time, status, lp.map((v) => [v]), ['lp'], ties);
  if (!re) return null;
  const frozen = coxLogLik(time, status, lp.map((v) => [v]), [1], ties);
  return coxIndexes(lp, time, status, re.loglik, re.coef[0], (-2 * (frozen - re.loglik[1])) / (-2 * re.loglik[0]));
}

/** rms::validate of a Cox model of (time, status) on X; the original fit is coxph's (eps 1e-9). */
export function validateCox(time: number[], status: number[], X: number[][], names: string[], ties: CoxTies = 'efron', opts: ValidateOptions = {}): ValidationResult {
  const fit = coxph(time, status, X, { ties, names });
  const lp0 = lpOf(X, fit.coef, false);
  const orig = coxIndexes(lp0, time, status, fit.loglik, 1, null);
  const stats: ResampleStats = (idx) => {
    const tb = pick(time, idx), sb = pick(status, idx), Xb = pick(X, idx);
    const f = tryCox(tb, sb, Xb, names, ties);
    if (!f) return null;
    const test = coxTest(lpOf(X, f.coef, false), time, status, ties);
    return test && { train: coxIndexes(lpOf(Xb, f.coef, false), tb, sb, f.loglik, 1, null), test };
  };
  return bootstrap(COX_INDEXES, orig, time.length, opts, stats, (idx) => concordance(pick(time, idx), pick(status, idx), pick(lp0, idx), { reverse: true }).concordance);
}
