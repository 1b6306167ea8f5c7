/**
 * ROC analysis as pROC 1.18: controls = response 0, cases = response 1; thresholds -Inf, midpoints of consecutive
 * unique predictor values, +Inf (listed in the order pROC lists them: increasing for '<', decreasing for '>');
 * direction '<' means a case has the HIGHER predictor (positive = predictor >= threshold), '>' the reverse
 * (positive = predictor <= threshold). 'auto' = '<' if median(controls) <= median(cases), else '>'.
 * AUC = Mann-Whitney (ties count 1/2); variance by DeLong placements; CI = AUC -/+ z * sqrt(var), clipped to [0, 1].
 * Youden "best" maximises sensitivity + specificity (pROC best.method = "youden", weights c(1, 0.5)).
 * For a binary outcome Harrell's C-index equals this AUC (with direction '<' on the predicted risk).
 * For a fitted model evaluated on a validation cohort, pass direction '<' (higher risk = case): never 'auto'.
 */
import { StatsError } from './errors';
import { pnorm, pt, qnorm } from './dist';
import { radixOrder } from './order';
import { countBelow, medianSorted } from '../../shared/quantile';

export interface RocPoint { threshold: number; sensitivity: number; specificity: number }

export interface RocResultData {
  auc: number;
  variance: number | null;          // DeLong; null with a single case or a single control (pROC gives NaN)
  ci: [number, number] | null;      // DeLong, clipped to [0, 1]; null when the variance is
  confLevel: number;
  direction: '<' | '>';
  thresholds: number[];
  /** One point per threshold, in the thresholds' order; roc() makes the point objects on first access (then kept). */
  curve: RocPoint[];
  best: { threshold: number; sensitivity: number; specificity: number; youden: number; ties: number; all: RocPoint[] };
  cases: number;
  controls: number;
  /** Data kept for coordsAt and delongTest. */
  caseValues: Float64Array;
  controlValues: Float64Array;
  response: number[];
  /** DeLong placements: V10 per case (in input order of cases), V01 per control. */
  placementsCases: Float64Array;
  placementsControls: Float64Array;
}

export interface RocOptions { direction?: 'auto' | '<' | '>'; confLevel?: number }

/**
 * The ROC curve and the DeLong placements from one merge of the sorted cases and sorted controls. Each distinct value
 * of the pooled sample (ascending; a case's value where a case and a control tie, as −0 and 0 do) gives:
 * - the threshold below it: pROC's roc_utils_thresholds, the midpoint of it and the previous value, guarded against
 *   near ties (a midpoint that collapses onto either value is replaced by the value on the positive side); −Inf first
 *   and +Inf last;
 * - the curve's point at that threshold from the cases and controls below the value ('<': positive = x >= t; '>':
 *   positive = x <= t), with the largest sensitivity + specificity (Youden) and the points that reach it (ascending);
 * - the placements (Sun & Xu 2014): with pooled midrank Tz and within-sample midrank Tx (cases) or Ty (controls),
 *   V10 = (Tz - Tx) / n and V01 = (m - (Tz - Ty)) / m for '<', where Tz - Tx is the number of controls below a case's
 *   value plus half those tied with it, exactly ('>' swaps below and above), written in input order (v10 per case,
 *   v01 per control) through the samples' sort orders.
 * One loop for all three: at n = 100,000 a pass over the values costs as much in V8's interpreter, before the loop is
 * compiled, as the work itself.
 */
interface Merged { thresholds: number[]; sensitivity: Float64Array; specificity: Float64Array; bestSum: number; bestAt: number[]; v10: Float64Array; v01: Float64Array }
function mergedCurve(cases: Sorted, controls: Sorted, direction: '<' | '>'): Merged {
  const cs = cases.sorted, ct = controls.sorted, m = cs.length, n = ct.length, up = direction === '<';
  const v10 = new Float64Array(m), v01 = new Float64Array(n), se = new Float64Array(m + n + 1), sp = new Float64Array(m + n + 1);
  const thresholds: number[] = [-Infinity]; // pushed, not preallocated: a packed array of doubles (a holey one is slow to map)
  let bestSum = -Infinity, bestAt: number[] = [];
  let i = 0, j = 0, k = 0, last = 0;
  for (;;) {
    const sens = up ? (m - i) / m : i / m, spec = up ? j / n : (n - j) / n; // the point below the value (all: +Inf)
    se[k] = sens; sp[k] = spec;
    const sum = sens + spec;
    if (sum > bestSum) { bestSum = sum; bestAt = [k]; } else if (sum === bestSum) bestAt.push(k);
    if (i >= m && j >= n) break;
    const v = j >= n || (i < m && cs[i] <= ct[j]) ? cs[i] : ct[j];
    if (k > 0) {
      const t1 = (last + v) / 2;
      const t = Math.abs(t1) > 1e100 ? last / 2 + v / 2 : t1;
      thresholds.push(t === last || t === v ? (up ? v : last) : t);
    }
    const i0 = i, j0 = j;
    while (i < m && cs[i] === v) i++;
    while (j < n && ct[j] === v) j++;
    const ctrl = j0 + 0.5 * (j - j0);   // Tz - Tx at a case of this value
    const cas = i0 + 0.5 * (i - i0);    // Tz - Ty at a control of this value
    const p10 = (up ? ctrl : n - ctrl) / n, p01 = (up ? m - cas : cas) / m;
    for (let q = i0; q < i; q++) v10[cases.order[q]] = p10;
    for (let q = j0; q < j; q++) v01[controls.order[q]] = p01;
    last = v; k++;
  }
  thresholds.push(Infinity);
  return { thresholds, sensitivity: se.subarray(0, k + 1), specificity: sp.subarray(0, k + 1), bestSum, bestAt, v10, v01 };
}

/** Sensitivity and specificity at threshold t from SORTED cases and controls. */
function sensSpecSorted(cs: Float64Array, ct: Float64Array, t: number, direction: '<' | '>'): { se: number; sp: number } {
  if (direction === '<') {
    // positive = x >= t
    return { se: (cs.length - countBelow(cs, t, false)) / cs.length, sp: countBelow(ct, t, false) / ct.length };
  }
  // positive = x <= t
  return { se: countBelow(cs, t, true) / cs.length, sp: (ct.length - countBelow(ct, t, true)) / ct.length };
}

/** The curve's points as objects (RocResultData.curve), in the order of the arrays. */
function curvePoints(thresholds: number[], se: Float64Array, sp: Float64Array): RocPoint[] {
  const curve: RocPoint[] = [];
  for (let i = 0; i < thresholds.length; i++) curve.push({ threshold: thresholds[i], sensitivity: se[i], specificity: sp[i] });
  return curve;
}

/** A sample's values ascending and, for each rank k, the input index order[k] of that value (radixOrder: no comparator). */
interface Sorted { sorted: Float64Array; order: Int32Array }
function sortedWithOrder(v: Float64Array): Sorted {
  const order = radixOrder(v);
  const sorted = new Float64Array(v.length);
  for (let k = 0; k < v.length; k++) sorted[k] = v[order[k]];
  return { sorted, order };
}

/**
 * ROC curve, AUC with DeLong variance and CI, and the Youden-optimal threshold. Each pass over the observations is
 * its own small function: V8 compiles a hot loop on its own, and one that has not run yet inside the same function
 * would throw the compiled code away on this (usually only) call.
 */
export function roc(response: number[], predictor: number[], opts: RocOptions = {}): RocResultData {
  if (response.length !== predictor.length) throw new StatsError(`ROC: response has ${response.length} values but predictor has ${predictor.length}`);
  const { cases, controls } = splitByResponse(response, predictor);
  if (!cases.length) throw new StatsError('ROC: no case observation (response 1); AUC needs both classes');
  if (!controls.length) throw new StatsError('ROC: no control observation (response 0); AUC needs both classes');
  const confLevel = opts.confLevel ?? 0.95;
  const dirOpt = opts.direction ?? 'auto';
  const m = cases.length, n = controls.length;
  const caseSort = sortedWithOrder(cases), controlSort = sortedWithOrder(controls);
  const cs = caseSort.sorted, ct = controlSort.sorted;
  const direction: '<' | '>' = dirOpt === 'auto' ? (medianSorted(ct) <= medianSorted(cs) ? '<' : '>') : dirOpt;

  const c = mergedCurve(caseSort, controlSort, direction);
  const { v10, v01, thresholds } = c;
  const auc = sum(v10) / m;
  const v = delongVariance(v10, v01, auc);
  const variance = Number.isFinite(v) ? v : null;
  const z = qnorm(1 - (1 - confLevel) / 2);
  const ci: [number, number] | null = variance === null ? null : [Math.max(0, auc - z * Math.sqrt(variance)), Math.min(1, auc + z * Math.sqrt(variance))];

  const se = c.sensitivity, sp = c.specificity, last = thresholds.length - 1;
  if (direction === '>') { thresholds.reverse(); se.reverse(); sp.reverse(); }
  // the points reaching the maximum, in the order of the curve as returned (reversed for '>')
  const bestAt = direction === '>' ? c.bestAt.reverse().map((i) => last - i) : c.bestAt;
  const all = bestAt.map((i) => ({ threshold: thresholds[i], sensitivity: se[i], specificity: sp[i] }));
  const best = { ...all[0], youden: c.bestSum - 1, ties: all.length, all };
  // The curve's point objects (100,000 of them at n = 100,000, a fifth of the time of the whole fit) are made on first
  // access of `curve` and kept: an AUC-only caller (cIndexBinary) never needs them.
  let curve: RocPoint[] | undefined;
  return {
    auc, variance, ci, confLevel, direction, thresholds,
    get curve(): RocPoint[] { return (curve ??= curvePoints(thresholds, se, sp)); },
    set curve(v: RocPoint[]) { curve = v; },
    best, cases: m, controls: n,
    caseValues: cases, controlValues: controls, response: response.slice(), placementsCases: v10, placementsControls: v01,
  };
}

/** The predictor values of the cases (response 1) and of the controls (response 0), each in input order. */
function splitByResponse(response: number[], predictor: number[]): { cases: Float64Array; controls: Float64Array } {
  const m = countCases(response, predictor);
  const cases = new Float64Array(m), controls = new Float64Array(response.length - m);
  fillSplit(response, predictor, cases, controls);
  return { cases, controls };
}

/** Checks each observation; the number of cases. */
function countCases(response: number[], predictor: number[]): number {
  let m = 0;
  for (let i = 0; i < response.length; i++) {
    const r = response[i];
    if (r !== 0 && r !== 1) throw new StatsError(`ROC: response must be 0/1, got ${r} at row ${i + 1}`);
    if (!Number.isFinite(predictor[i])) throw new StatsError(`ROC: predictor is missing or non-finite at row ${i + 1}`);
    m += r;
  }
  return m;
}

function fillSplit(response: number[], predictor: number[], cases: Float64Array, controls: Float64Array): void {
  let a = 0, b = 0;
  for (let i = 0; i < response.length; i++) {
    if (response[i] === 1) cases[a++] = predictor[i]; else controls[b++] = predictor[i];
  }
}

function sum(v: Float64Array): number {
  let s = 0;
  for (let i = 0; i < v.length; i++) s += v[i];
  return s;
}

/** Σ (v − mean)² in index order (d * d is d ** 2 exactly: V8's pow returns x * x for y = 2, as fdlibm). */
function sumSquares(v: Float64Array, mean: number): number {
  let s = 0;
  for (let i = 0; i < v.length; i++) { const d = v[i] - mean; s += d * d; }
  return s;
}

function delongVariance(v10: Float64Array, v01: Float64Array, auc: number): number {
  const m = v10.length, n = v01.length;
  // With a single case (or control) the corresponding sample variance is undefined (pROC gives NaN).
  const s10 = m > 1 ? sumSquares(v10, auc) / (m - 1) : NaN;
  const s01 = n > 1 ? sumSquares(v01, auc) / (n - 1) : NaN;
  return s10 / m + s01 / n;
}

/** Sensitivity and specificity at a given cutoff, with the ROC's direction (pROC coords(input = "threshold")). */
export function coordsAt(r: Pick<RocResultData, 'caseValues' | 'controlValues' | 'direction'>, cutoff: number): { threshold: number; sensitivity: number; specificity: number; youden: number } {
  if (Number.isNaN(cutoff)) throw new StatsError('ROC coords: cutoff is NaN');
  const s = sensSpecSorted(new Float64Array(r.caseValues).sort(), new Float64Array(r.controlValues).sort(), cutoff, r.direction);
  return { threshold: cutoff, sensitivity: s.se, specificity: s.sp, youden: s.se + s.sp - 1 };
}

/** DeLong's paired test of two ROC curves: z, two-sided p, the AUC difference, its SE and CI (pROC ci.delong.paired). */
export interface DelongPairedTest { z: number; p: number; auc1: number; auc2: number; difference: number; se: number; ci: [number, number]; confLevel: number }

/**
 * DeLong's test for two correlated ROC curves on the same subjects (pROC roc.test(method = "delong", paired = TRUE)):
 * S = SX/m + SY/n from the placements' 2 x 2 sample covariances, sig = sqrt(S11 + S22 - 2 S12),
 * z = (AUC1 - AUC2) / sig, two-sided p; the CI of the difference is d -/+ qnorm(1 - (1 - level)/2) * sig.
 */
export function delongTest(r1: RocResultData, r2: RocResultData, confLevel = 0.95): DelongPairedTest {
  if (r1.response.length !== r2.response.length || r1.response.some((v, i) => v !== r2.response[i])) {
    throw new StatsError('DeLong test: the two ROC curves must be computed on the same subjects with the same response (paired)');
  }
  const m = r1.cases, n = r1.controls;
  if (m < 2 || n < 2) throw new StatsError('DeLong test: needs at least 2 cases and 2 controls');
  const cov = (a: Float64Array, b: Float64Array, ma: number, mb: number) => {
    let s = 0;
    for (let i = 0; i < a.length; i++) s += (a[i] - ma) * (b[i] - mb);
    return s / (a.length - 1);
  };
  const s11 = cov(r1.placementsCases, r1.placementsCases, r1.auc, r1.auc) / m + cov(r1.placementsControls, r1.placementsControls, r1.auc, r1.auc) / n;
  const s12 = cov(r1.placementsCases, r2.placementsCases, r1.auc, r2.auc) / m + cov(r1.placementsControls, r2.placementsControls, r1.auc, r2.auc) / n;
  const s22 = cov(r2.placementsCases, r2.placementsCases, r2.auc, r2.auc) / m + cov(r2.placementsControls, r2.placementsControls, r2.auc, r2.auc) / n;
  const sig = Math.sqrt(Math.max(0, s11 + s22 - 2 * s12));
  const d = r1.auc - r2.auc;
  let z = d / sig;
  if (Number.isNaN(z) && d === 0) z = 0;
  if (!Number.isFinite(z)) throw new StatsError('DeLong test: the variance of the AUC difference is zero; the test is undefined');
  const q = qnorm(1 - (1 - confLevel) / 2);
  return { z, p: 2 * pnorm(-Math.abs(z)), auc1: r1.auc, auc2: r2.auc, difference: d, se: sig, ci: [d - q * sig, d + q * sig], confLevel };
}

/**
 * DeLong's test for two ROC curves on different subjects (pROC roc.test(method = "delong", paired = FALSE)):
 * D = (AUC1 - AUC2) / sqrt(V1 + V2) with each curve's DeLong variance, Welch-Satterthwaite
 * df = (V1 + V2)^2 / (V1^2 / (N1 - 1) + V2^2 / (N2 - 1)) (N = cases + controls), two-sided p from Student's t.
 * pROC gives no CI of the difference for unpaired curves, and neither does this.
 */
export function delongUnpaired(r1: RocResultData, r2: RocResultData): { statistic: number; df: number; p: number; difference: number; se: number } {
  if (r1.variance === null || r2.variance === null) throw new StatsError('DeLong test: needs at least 2 cases and 2 controls in each ROC curve');
  const se = Math.sqrt(r1.variance + r2.variance);
  const d = r1.auc - r2.auc;
  if (!(se > 0)) throw new StatsError('DeLong test: the variance of the AUC difference is zero; the test is undefined');
  const t = d / se;
  const df = (r1.variance + r2.variance) ** 2 / (r1.variance ** 2 / (r1.cases + r1.controls - 1) + r2.variance ** 2 / (r2.cases + r2.controls - 1));
  return { statistic: t, df, p: 2 * pt(-Math.abs(t), df), difference: d, se };
}

/** Harrell's C-index of a binary-outcome model = the AUC of its predicted risk with direction '<' (ties count 1/2). */
export function cIndexBinary(y: number[], risk: number[]): number {
  return roc(y, risk, { direction: '<' }).auc;
}
