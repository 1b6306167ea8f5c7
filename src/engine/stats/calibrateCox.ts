/**
 * Calibration of a Cox model at a time point u, as rms::calibrate(cph(..., x = TRUE, y = TRUE, surv = TRUE,
 * time.inc = u), u, cmethod = "KM", m, B) (calibrate.cph + predab.resample, method = "boot"):
 *  - predicted survival at u: S0(u)^exp(lp), S0 from the fit's baseline curve (coxSurvival.ts), lp centred on the
 *    fit's column means; u must not exceed the largest follow-up time (cph's surv.summary needs a row at u);
 *  - g = max(1, floor(n / m)) groups (or `groups` = g directly: an m with floor(n / m) = g in R);
 *    cuts = unique(quantile(c(0, 1, predicted), seq(0, 1, length = g + 1))) (type 7);
 *  - groupkm: values |x| < 1e-10 set to 0, Hmisc::cut2(x, cuts) (a value falls in [cut_i, cut_i+1), the last group
 *    closed, via cut() at cuts − min.dif with min.dif half the smallest gap of unique(c(x, cuts))); per group with at
 *    least 2 subjects: mean predicted, Kaplan–Meier at u (last time ≤ u + 1e-6; NA beyond the group's follow-up while
 *    S > 0) and its std.err (Greenwood, on the log scale as survfit's); groups with < 2 subjects give NA;
 *  - index.orig = KM − mean predicted per group (NA when the sample has < 5 events);
 *  - each bootstrap resample (the project's seeded Rng unless explicit 0-based `resamples` are given): refit with
 *    cph's defaults as calibrate's coxfit does (Efron ties, eps 1e-4, at most 10 iterations, at least 5 events), then
 *    training = the measure on the resample with the refit's predictions, test = on the original data with the
 *    refit's coefficients (centred with the refit's centre and baseline); groups where either is NA are skipped
 *    (per-group counts n);
 *  - optimism = mean(training) − mean(test); KM.corrected = KM − optimism.
 */
import { coxph, type CoxTies } from './cox';
import { coxBaseline, coxSurvivalAt, cphCentring } from './coxSurvival';
import { StatsError } from './errors';
import { Rng } from './rng';
import { quantile7 } from '../../shared/quantile';
import { maxOf, minOf } from '../../shared/extent';

type Num = number | null;

export interface CoxCalibrationGroup {
  n: number;
  events: number;
  meanPredicted: Num;
  km: Num;
  /** se of log KM (survfit's std.err) */
  stdErr: Num;
  /** KM − mean predicted */
  indexOrig: Num;
  training: Num;
  test: Num;
  optimism: Num;
  kmCorrected: Num;
  /** resamples contributing to this group */
  resamples: number;
}

export interface CoxCalibrationResult {
  u: number;
  /** the number of groups asked for (rms: max(1, floor(n / m))); fewer when quantiles tie */
  g: number;
  cuts: number[];
  predicted: number[];
  groups: CoxCalibrationGroup[];
  B: number;
  successfulResamples: number;
  failedResamples: number;
  seed: number | null;
  n: number;
  events: number;
}

/** Predicted survival at u of every row of X under a fit (coef) of the data (fitX, time, status). */
function survivalAtU(fitX: number[][], time: number[], status: number[], coef: number[], ties: CoxTies, u: number): { s0u: number; center: number } | null {
  const c = cphCentring(fitX, coef);
  const maxtime = maxOf(time);
  if (u > maxtime) return null;
  const s0u = coxSurvivalAt(coxBaseline(time, status, c.lp, ties), u, 0);
  return s0u === null ? null : { s0u, center: c.center };
}

/** Kaplan–Meier at u of one group (survfitKM, no time fixing) and its std.err; null beyond follow-up while S > 0. */
function kmAt(time: number[], status: number[], u: number): { km: Num; se: Num } {
  const idx = time.map((_, i) => i).sort((a, b) => time[a] - time[b]);
  let s = 1, v = 0, atRisk = time.length, last = 0;
  for (let i = 0; i < idx.length;) {
    const t = time[idx[i]];
    let d = 0, c = 0;
    for (; i < idx.length && time[idx[i]] === t; i++) if (status[idx[i]] === 1) d++; else c++;
    last = t;
    if (t <= u + 1e-6) {
      if (d > 0) { v += d / (atRisk * (atRisk - d)); s *= (atRisk - d) / atRisk; }
    }
    atRisk -= d + c;
  }
  if (u > last + 1e-6 && s > 0) return { km: null, se: null };
  return { km: s, se: Number.isFinite(v) ? Math.sqrt(v) : null };
}

/** rms::groupkm(x, Surv(time, status), u, cuts): per group n, events, mean x, KM at u and its std.err. */
export function groupKm(x0: number[], time: number[], status: number[], u: number, cuts: number[]): { n: number; events: number; x: Num; km: Num; se: Num }[] {
  const x = x0.map((v) => (Math.abs(v) < 1e-10 ? 0 : v));
  const uniq = Array.from(new Set([...x, ...cuts])).sort((a, b) => a - b);
  let minDif = Infinity;
  for (let i = 1; i < uniq.length; i++) minDif = Math.min(minDif, uniq[i] - uniq[i - 1]);
  minDif /= 2;
  let k = cuts.slice();
  const lo = minOf(x), hi = maxOf(x);
  if (lo < k[0]) k = [lo, ...k];
  if (hi > k[k.length - 1]) k = [...k, hi];
  const k2 = k.map((c, i) => (i === k.length - 1 ? c : c - minDif));
  const groups = Array.from({ length: k2.length - 1 }, () => [] as number[]);
  x.forEach((v, i) => {
    for (let g = 0; g < groups.length; g++) if (v > k2[g] && v <= k2[g + 1]) { groups[g].push(i); break; }
  });
  return groups.map((rows) => {
    const events = rows.reduce((s, i) => s + status[i], 0);
    const mean = rows.length ? rows.reduce((s, i) => s + x[i], 0) / rows.length : null;
    if (rows.length < 2) return { n: 0, events: 0, x: mean, km: null, se: null };
    const r = kmAt(rows.map((i) => time[i]), rows.map((i) => status[i]), u);
    return { n: rows.length, events, x: mean, km: r.km, se: r.se };
  });
}

/** calibrate.cph's distance: KM − mean predicted per group (all NA when fewer than 5 events). */
function distance(pred: number[], time: number[], status: number[], u: number, cuts: number[]): Num[] {
  const g = groupKm(pred, time, status, u, cuts);
  if (status.reduce((s, e) => s + e, 0) < 5) return g.map(() => null);
  return g.map((r) => (r.km === null || r.x === null ? null : r.km - r.x));
}

/** The measure of one resample: training and test distances, or null when the refit fails. */
export function coxResampleCalibration(time: number[], status: number[], X: number[][], idx: number[], u: number, cuts: number[]): { training: Num[]; test: Num[] } | null {
  const tb = idx.map((i) => time[i]), sb = idx.map((i) => status[i]), Xb = idx.map((i) => X[i]);
  if (sb.reduce((s, e) => s + e, 0) < 5) return null;
  let coef: number[];
  try {
    const f = coxph(tb, sb, Xb, { ties: 'efron', eps: 1e-4, maxIter: 10 });
    if (f.coef.some((b) => !Number.isFinite(b))) return null;
    coef = f.coef;
  } catch (e) {
    if (e instanceof StatsError) return null;
    throw e;
  }
  const s = survivalAtU(Xb, tb, sb, coef, 'efron', u);
  if (!s) return null;
  const pred = (rows: number[][]) => rows.map((r) => Math.pow(s.s0u, Math.exp(r.reduce((a, v, j) => a + v * coef[j], 0) - s.center)));
  return { training: distance(pred(Xb), tb, sb, u, cuts), test: distance(pred(X), time, status, u, cuts) };
}

/** rms::calibrate(cph fit, u, cmethod = "KM", m, B); see the file comment. coef: the fitted model's coefficients. */
export function calibrateCox(
  time: number[], status: number[], X: number[][], coef: number[], ties: CoxTies, u: number,
  opts: { m?: number; groups?: number; B?: number; seed?: number; resamples?: number[][]; isCancelled?: () => boolean },
): CoxCalibrationResult {
  const n = time.length;
  const B = opts.resamples ? opts.resamples.length : opts.B ?? 40;
  if (!(Number.isInteger(B) && B >= 0)) throw new StatsError(`calibrate: B must be a non-negative integer, got ${B}`);
  if (opts.groups !== undefined ? !(Number.isInteger(opts.groups) && opts.groups >= 1) : !((opts.m ?? 0) >= 1)) throw new StatsError('calibrate: give m (subjects per group, >= 1) or groups (a whole number >= 1)');
  if (!(Number.isFinite(u) && u > 0)) throw new StatsError(`calibrate: the time point must be > 0, got ${u}`);
  const s = survivalAtU(X, time, status, coef, ties, u);
  if (!s) throw new StatsError(`calibrate: the time point ${u} is beyond the last follow-up time (${maxOf(time)})`);
  const predicted = X.map((r) => Math.pow(s.s0u, Math.exp(r.reduce((a, v, j) => a + v * coef[j], 0) - s.center)));
  const g = opts.groups ?? Math.max(1, Math.floor(n / (opts.m as number)));
  const probs = Array.from({ length: g + 1 }, (_, i) => (g === 0 ? 0 : i / g));
  const cuts = Array.from(new Set(probs.map((p) => quantile7([0, 1, ...predicted], p))));
  const apparent = groupKm(predicted, time, status, u, cuts);
  const indexOrig = distance(predicted, time, status, u, cuts);
  const k = apparent.length;
  const train = new Array<number>(k).fill(0), test = new Array<number>(k).fill(0), num = new Array<number>(k).fill(0);
  const rng = opts.resamples ? null : new Rng(opts.seed ?? 1);
  let ok = 0;
  for (let b = 0; b < B; b++) {
    if (opts.isCancelled?.()) throw new StatsError('cancelled');
    const idx = opts.resamples ? opts.resamples[b] : rng!.resample(n);
    const r = coxResampleCalibration(time, status, X, idx, u, cuts);
    if (!r) continue;
    ok++;
    for (let i = 0; i < k; i++) {
      const tr = r.training[i], te = r.test[i];
      if (tr === null || te === null) continue;
      train[i] += tr; test[i] += te; num[i]++;
    }
  }
  const groups = apparent.map((a, i): CoxCalibrationGroup => {
    const tr = num[i] ? train[i] / num[i] : null, te = num[i] ? test[i] / num[i] : null;
    const opt = tr === null || te === null ? null : tr - te;
    return {
      n: a.n, events: a.events, meanPredicted: a.x, km: a.km, stdErr: a.se, indexOrig: indexOrig[i], training: tr, test: te, optimism: opt,
      kmCorrected: a.km === null || opt === null ? null : a.km - opt, resamples: num[i],
    };
  });
  return {
    u, g, cuts, predicted, groups, B, successfulResamples: ok, failedResamples: B - ok, seed: opts.resamples ? null : opts.seed ?? 1,
    n, events: status.reduce((a, e) => a + e, 0),
  };
}
