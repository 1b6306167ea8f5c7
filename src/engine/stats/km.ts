/**
 * Kaplan–Meier estimator as R's survival::survfit (right-censored data, no weights):
 * S(t) = Π (1 − d/n), Greenwood variance on the log scale (`std.err` = se of log S),
 * pointwise CIs with conf.type log (default) / log-log / plain, and the median with its CI by
 * quantile.survfit's rules (midpoint of a flat exactly at 0.5 within sqrt(eps); NA → null).
 */
/** A number, or null where R gives NA (report.json has no NaN). */
export type Num = number | null;
/** One step of a Kaplan-Meier curve. */
export interface KmPoint { t: number; s: number; lo: Num; hi: Num; atRisk: number; events?: number; censored?: number }
import { qnorm } from './dist';
import { StatsError } from './errors';
import { sortedNumbers } from '../../shared/quantile';

export type KmConfType = 'log' | 'log-log' | 'plain';

export interface KmOptions { confLevel?: number; confType?: KmConfType }

export interface KmFit {
  n: number;
  events: number;
  confLevel: number;
  confType: KmConfType;
  /** Every distinct observed time (event or censoring), ascending, as survfit's `time`. */
  time: number[];
  nRisk: number[];
  nEvent: number[];
  nCensor: number[];
  surv: number[];
  /** se of log S (Greenwood), survfit's `std.err`; null where S = 0 (infinite). */
  stdErr: Num[];
  lower: Num[];
  upper: Num[];
  median: Num;
  medianCi: [Num, Num];
  /** Step curve for plotting, starting at t = 0 (S = 1). */
  curve: KmPoint[];
}

/** Validates right-censored survival input (finite non-negative times, status 0/1). */
export function checkSurvivalInput(time: number[], status: number[]): void {
  if (time.length !== status.length) throw new StatsError(`time and status differ in length (${time.length} vs ${status.length})`);
  if (time.length === 0) throw new StatsError('no observations');
  for (let i = 0; i < time.length; i++) {
    if (!Number.isFinite(time[i])) throw new StatsError(`time[${i}] is missing or not finite`);
    if (time[i] < 0) throw new StatsError(`time[${i}] is negative (${time[i]})`);
    if (status[i] !== 0 && status[i] !== 1) throw new StatsError(`status[${i}] must be 0 (censored) or 1 (event), got ${status[i]}`);
  }
}

/**
 * survival's aeqSurv (timefix = TRUE, the default of survfit, survdiff, coxph and concordance): distinct times closer
 * than sqrt(eps) absolutely, or relative to the mean |time|, are treated as tied (each chain of near-ties becomes
 * its smallest value), so that e.g. 0.1 + 0.2 and 0.3 are one time. Returns the input array when nothing changes.
 * `order`, if the caller has it (Cox sorts the times anyway): the indices of time in ascending order of time (no NaN),
 * so that the times need not be sorted again here.
 */
export function timefix(time: number[], tolerance = Math.sqrt(2.220446049250313e-16), order?: ArrayLike<number>): number[] {
  // Distinct finite times, ascending: a typed-array sort then one pass (a Set plus a comparator sort was a large
  // part of a 1e5-row Cox fit).
  const y = distinctFinite(order ? gather(time, order) : sortedNumbers(time));
  if (y.length < 2) return time;
  let meanAbs = 0;
  for (const v of y) meanAbs += Math.abs(v);
  meanAbs /= y.length;
  const cuts: number[] = [y[0]];
  let any = false;
  for (let i = 1; i < y.length; i++) {
    const dy = y[i] - y[i - 1];
    if (dy <= tolerance || dy / meanAbs <= tolerance) any = true; else cuts.push(y[i]);
  }
  if (!any) return time;
  return time.map((t) => {
    let lo = 0, hi = cuts.length - 1;
    while (lo < hi) { const mid = (lo + hi + 1) >> 1; if (cuts[mid] <= t) lo = mid; else hi = mid - 1; }
    return cuts[lo];
  });
}

function gather(time: number[], order: ArrayLike<number>): Float64Array {
  const out = new Float64Array(order.length);
  for (let k = 0; k < order.length; k++) out[k] = time[order[k]];
  return out;
}

/** The distinct finite values of an ascending array, in order. */
function distinctFinite(sorted: Float64Array): number[] {
  const y: number[] = [];
  for (let k = 0; k < sorted.length; k++) {
    const v = sorted[k];
    if (Number.isFinite(v) && (y.length === 0 || v !== y[y.length - 1])) y.push(v);
  }
  return y;
}

/** Pointwise CI as survival's survfit_confint (logse = TRUE, upper limit truncated at 1). */
function confint(s: number, se: number, type: KmConfType, z: number): [Num, Num] {
  if (!Number.isFinite(se)) return [null, null];
  if (type === 'log') {
    if (s === 0) return [null, null];
    return [Math.exp(Math.log(s) - z * se), Math.min(Math.exp(Math.log(s) + z * se), 1)];
  }
  if (type === 'log-log') {
    if (s === 0 || s === 1) return [null, null];
    const ll = Math.log(-Math.log(s));
    const se2 = (z * se) / Math.log(s);
    return [Math.exp(-Math.exp(ll - se2)), Math.exp(-Math.exp(ll + se2))];
  }
  const se2 = se * s * z;
  return [Math.max(s - se2, 0), Math.min(s + se2, 1)];
}

export function kaplanMeier(time: number[], status: number[], opts: KmOptions = {}): KmFit {
  checkSurvivalInput(time, status);
  time = timefix(time);
  const confLevel = opts.confLevel ?? 0.95;
  const confType = opts.confType ?? 'log';
  if (!(confLevel > 0 && confLevel < 1)) throw new StatsError(`confLevel must be in (0, 1), got ${confLevel}`);
  if (confType !== 'log' && confType !== 'log-log' && confType !== 'plain') throw new StatsError(`confType must be 'log', 'log-log' or 'plain', got '${String(confType)}'`);
  const z = qnorm(1 - (1 - confLevel) / 2);
  const n = time.length;
  const idx = Array.from({ length: n }, (_, i) => i).sort((a, b) => time[a] - time[b]);
  const out: KmFit = {
    n, events: 0, confLevel, confType, time: [], nRisk: [], nEvent: [], nCensor: [], surv: [], stdErr: [],
    lower: [], upper: [], median: null, medianCi: [null, null], curve: [],
  };
  let s = 1;
  let varLog = 0;
  let atRisk = n;
  for (let i = 0; i < n;) {
    const t = time[idx[i]];
    let d = 0;
    let c = 0;
    while (i < n && time[idx[i]] === t) { if (status[idx[i]] === 1) d++; else c++; i++; }
    s *= (atRisk - d) / atRisk;
    if (d > 0) varLog += atRisk === d ? Infinity : d / (atRisk * (atRisk - d));
    const se = Math.sqrt(varLog);
    const [lo, hi] = confint(s, se, confType, z);
    out.time.push(t); out.nRisk.push(atRisk); out.nEvent.push(d); out.nCensor.push(c); out.surv.push(s);
    out.stdErr.push(Number.isFinite(se) ? se : null); out.lower.push(lo); out.upper.push(hi);
    out.events += d;
    atRisk -= d + c;
  }
  out.curve.push({ t: 0, s: 1, lo: 1, hi: 1, atRisk: n, events: 0, censored: 0 });
  for (let k = 0; k < out.time.length; k++) {
    out.curve.push({ t: out.time[k], s: out.surv[k], lo: out.lower[k], hi: out.upper[k], atRisk: out.nRisk[k], events: out.nEvent[k], censored: out.nCensor[k] });
  }
  const q = kmQuantile(out, 0.5);
  out.median = q.quantile;
  out.medianCi = [q.lower, q.upper];
  return out;
}

/**
 * R's approx(x, y, xout, method = "constant", f = 1) for one xout, x and y without NA (x sorted ascending,
 * ties impossible here). Returns null outside [x1, xn].
 */
function approxConstF1(x: number[], y: number[], v: number): Num {
  const n = x.length;
  if (n === 0 || v < x[0] || v > x[n - 1]) return null;
  let lo = 0;
  let hi = n - 1;
  while (lo < hi - 1) { const mid = (lo + hi) >> 1; if (v < x[mid]) hi = mid; else lo = mid; }
  if (v === x[hi]) return y[hi];
  if (v === x[lo]) return y[lo];
  return y[hi];
}

/** survival's findq(x, y, p, tol) (y = 1 − S with a leading 0, x with the leading start time). */
function findq(x: number[], y: Num[], p: number, tol: number): Num {
  let maxY = -Infinity;
  for (const v of y) if (v !== null && v > maxY) maxY = v;
  if (maxY < p) return null;
  const xmax = x[x.length - 1];
  // drop duplicated y (NA counts as a value, as R's duplicated)
  const xs: number[] = [];
  const ys: Num[] = [];
  const seen = new Set<number | string>();
  for (let i = 0; i < y.length; i++) {
    const key = y[i] === null ? 'NA' : (y[i] as number);
    if (seen.has(key)) continue;
    seen.add(key);
    xs.push(x[i]); ys.push(y[i]);
  }
  const n = ys.length;
  // approx drops NA pairs; then sorts by the abscissa (stable), here y ± tol
  const pts: { a: number; i: number }[] = [];
  for (let i = 0; i < n; i++) if (ys[i] !== null) pts.push({ a: ys[i] as number, i: i + 1 });
  pts.sort((u, v) => u.a - v.a);
  const idxAt = (shift: number): Num => approxConstF1(pts.map((q) => q.a + shift), pts.map((q) => q.i), p);
  const i1 = idxAt(tol);
  const i2 = idxAt(-tol);
  let quant: Num = i1 === null || i2 === null ? null : (xs[i1 - 1] + xs[i2 - 1]) / 2;
  if (p === 0) quant = xs[0];
  const yLast = ys[n - 1];
  if (yLast !== null && Math.abs(p - yLast) < tol) quant = i1 === null ? null : (xs[i1 - 1] + xmax) / 2;
  return quant;
}

/** quantile.survfit for one probability p (e.g. 0.5 = median): estimate and CI from the lower/upper curves. */
export function kmQuantile(km: KmFit, p: number, tol = Math.sqrt(2.220446049250313e-16)): { quantile: Num; lower: Num; upper: Num } {
  if (!(p >= 0 && p <= 1)) throw new StatsError(`invalid probability ${p}`);
  const x = [0, ...km.time];
  const oneMinus = (v: Num[]): Num[] => [0, ...v.map((s) => (s === null ? null : 1 - s))];
  return {
    quantile: findq(x, oneMinus(km.surv), p, tol),
    lower: findq(x, oneMinus(km.lower), p, tol),
    upper: findq(x, oneMinus(km.upper), p, tol),
  };
}

export interface KmAtTime { time: number; nRisk: number; surv: number; stdErr: Num; lower: Num; upper: Num }

/**
 * The curve at chosen times as summary(fit, times =, extend = TRUE): S at the last observed time ≤ t,
 * `stdErr` = se of S (as summary reports it), n at risk = subjects with time ≥ t (0 beyond the last time).
 */
export function survivalAt(km: KmFit, times: number[]): KmAtTime[] {
  return times.map((t) => {
    if (!Number.isFinite(t)) throw new StatsError(`time ${t} is not finite`);
    let k = -1;
    for (let j = 0; j < km.time.length && km.time[j] <= t; j++) k = j;
    const nRisk = atRiskAt(km, t);
    if (k < 0) return { time: t, nRisk, surv: 1, stdErr: 0, lower: 1, upper: 1 };
    const se = km.stdErr[k];
    return { time: t, nRisk, surv: km.surv[k], stdErr: se === null ? null : se * km.surv[k], lower: km.lower[k], upper: km.upper[k] };
  });
}

function atRiskAt(km: KmFit, t: number): number {
  for (let j = 0; j < km.time.length; j++) if (km.time[j] >= t) return km.nRisk[j];
  return 0;
}

/** Numbers at risk (time ≥ t) at each t, as summary(fit, times =, extend = TRUE)$n.risk. */
export function numbersAtRisk(km: KmFit, times: number[]): number[] {
  return times.map((t) => atRiskAt(km, t));
}

/**
 * Cumulative events and censored subjects up to and including each t (time ≤ t), as survminer's
 * ggsurvplot(cumevents = TRUE, cumcensor = TRUE): the cumulative sums of summary(fit, times =, extend = TRUE)'s
 * n.event and n.censor.
 */
export function cumulativeCounts(km: KmFit, times: number[]): { events: number[]; censored: number[] } {
  const upTo = (t: number, counts: number[]) => km.time.reduce((acc, u, j) => (u <= t ? acc + counts[j] : acc), 0);
  return { events: times.map((t) => upTo(t, km.nEvent)), censored: times.map((t) => upTo(t, km.nCensor)) };
}
