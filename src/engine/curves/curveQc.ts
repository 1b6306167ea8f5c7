/**
 * Curve-level QC (issue 20): findings about one amplification curve, or about a reaction's efficiency among the
 * reactions of its amplicon, each naming the reaction (and the cycle where that applies). Pure functions on plain
 * arrays; the caller maps a reaction id to its well and range. The rules and their defaults:
 *
 * - qc-curve-no-amplification: after baseline correction (threshold.ts) the curve's maximum is below 10 × its baseline
 *   SD (it would never cross the automatic threshold) or below 20 % of the baseline level (the fluorescence never
 *   reaches 1.2 × the background). The shape rules below are skipped for such a curve (they would be noise).
 * - qc-curve-no-plateau: the last 3 cycles still add more than 10 % of the amplitude (the curve is still growing).
 * - qc-curve-baseline-drift: the baseline line's slope × the run's cycle span exceeds 5 % of the amplitude.
 * - qc-curve-irregular: a spike or dip (the point farthest from the mean of its two neighbours, when more than 10 % of
 *   the amplitude away), or a fall of more than 10 % of the amplitude below the curve's running maximum before its top.
 * - qc-curve-efficiency-range: the reaction's efficiency (amplification factor per cycle, 2 = doubling) outside
 *   [1.8, 2.1] (90–110 %).
 * - qc-curve-efficiency-outlier: |robust z| > 3.5 among the reactions of one target (stats/robust.ts, R's mad) and
 *   more than 0.05 from their median (MAD 0: the deviation alone decides); needs 3 reactions.
 * - qc-curve-late-cq / qc-curve-early-cq: the Cq computed from the curve is more than 1 cycle later / earlier than the
 *   instrument's Cq for the same reaction.
 */
import type { Severity } from '../common/diagnostic';
import { robustZ } from '../stats/robust';
import { baselineCorrect, type BaselineOptions } from './threshold';

export interface CurveFinding {
  code: string;
  severity: Severity;
  message: string;
  /** The reaction (well/react id as the caller named it). */
  reaction: string;
  /** The cycle the finding is about, when it is about one point of the curve. */
  cycle?: number;
}

export interface CurveQcOptions {
  baseline?: BaselineOptions;
  noiseFactor?: number;
  minRise?: number;
  plateauCycles?: number;
  plateauRise?: number;
  maxDrift?: number;
  maxJump?: number;
  efficiencyRange?: [number, number];
  outlierZ?: number;
  minEfficiencyDeviation?: number;
  maxCqDifference?: number;
}

const fmt = (v: number, d = 2) => v.toFixed(d);

/** Shape findings of one raw curve (no amplification, no plateau, baseline drift, irregular shape). */
export function curveShapeFindings(reaction: string, cycles: readonly number[], fluor: readonly number[], opts: CurveQcOptions = {}): CurveFinding[] {
  const b = baselineCorrect(cycles, fluor, opts.baseline);
  const y = b.corrected, n = y.length;
  let top = 0;
  for (let i = 1; i < n; i++) if (y[i] > y[top]) top = i;
  const amp = y[top];
  const level = Math.abs(b.intercept + b.slope * cycles[top]);
  const noiseFactor = opts.noiseFactor ?? 10, minRise = opts.minRise ?? 0.2;
  if (!(amp >= noiseFactor * b.sd) || !(amp >= minRise * level)) {
    const why = amp < noiseFactor * b.sd ? `below ${noiseFactor} × the baseline SD (${fmt(noiseFactor * b.sd, 3)})` : `below ${minRise * 100} % of the baseline level`;
    return [{ code: 'qc-curve-no-amplification', severity: 'warning', reaction, message: `no amplification in ${reaction}: the baseline-corrected maximum ${fmt(amp, 3)} is ${why}` }];
  }
  const out: CurveFinding[] = [];
  const k = Math.min(opts.plateauCycles ?? 3, n - 1), rise = (y[n - 1] - y[n - 1 - k]) / amp;
  if (rise > (opts.plateauRise ?? 0.1)) {
    out.push({ code: 'qc-curve-no-plateau', severity: 'warning', reaction, cycle: cycles[n - 1], message: `no plateau in ${reaction}: the last ${k} cycles still add ${fmt(rise * 100, 1)} % of the amplitude` });
  }
  const drift = Math.abs(b.slope) * (cycles[n - 1] - cycles[0]) / amp;
  if (drift > (opts.maxDrift ?? 0.05)) {
    out.push({ code: 'qc-curve-baseline-drift', severity: 'warning', reaction, message: `baseline drift in ${reaction}: the baseline moves by ${fmt(drift * 100, 1)} % of the amplitude over the run` });
  }
  const irregular = irregularPoint(y, top, amp, opts.maxJump ?? 0.1);
  if (irregular) out.push({ code: 'qc-curve-irregular', severity: 'warning', reaction, cycle: cycles[irregular.index], message: `irregular curve in ${reaction} at cycle ${cycles[irregular.index]}: ${irregular.what}` });
  return out;
}

/**
 * The largest spike/dip (a spike also pulls its neighbours' "mean of neighbours", so the largest one is the culprit),
 * else the first fall below the running maximum before the top, when larger than maxJump × amplitude.
 */
function irregularPoint(y: readonly number[], top: number, amp: number, maxJump: number): { index: number; what: string } | null {
  let worst = 0, off = 0;
  for (let i = 1; i < y.length - 1; i++) {
    const o = y[i] - (y[i - 1] + y[i + 1]) / 2;
    if (Math.abs(o) > Math.abs(off)) { worst = i; off = o; }
  }
  if (Math.abs(off) > maxJump * amp) return { index: worst, what: `a ${off > 0 ? 'spike' : 'dip'} of ${fmt((Math.abs(off) / amp) * 100, 1)} % of the amplitude` };
  let runMax = y[0];
  for (let i = 1; i <= top; i++) {
    if (runMax - y[i] > maxJump * amp) return { index: i, what: `the curve falls ${fmt(((runMax - y[i]) / amp) * 100, 1)} % of the amplitude before its maximum` };
    runMax = Math.max(runMax, y[i]);
  }
  return null;
}

/** Efficiency findings: outside the range, and outliers within each target. */
export function efficiencyFindings(reactions: readonly { reaction: string; target: string; efficiency: number }[], opts: CurveQcOptions = {}): CurveFinding[] {
  const [lo, hi] = opts.efficiencyRange ?? [1.8, 2.1];
  const out: CurveFinding[] = [];
  for (const r of reactions) {
    if (!(r.efficiency >= lo && r.efficiency <= hi)) {
      out.push({ code: 'qc-curve-efficiency-range', severity: 'warning', reaction: r.reaction, message: `efficiency ${fmt(r.efficiency, 3)} of ${r.reaction} (${r.target}) is outside [${lo}, ${hi}]` });
    }
  }
  const byTarget = new Map<string, typeof reactions[number][]>();
  for (const r of reactions) byTarget.set(r.target, [...(byTarget.get(r.target) ?? []), r]);
  const zLimit = opts.outlierZ ?? 3.5, minDev = opts.minEfficiencyDeviation ?? 0.05;
  for (const [target, group] of byTarget) {
    if (group.length < 3) continue;
    const z = robustZ(group.map((r) => r.efficiency), 'efficiency');
    group.forEach((r, i) => {
      const dev = r.efficiency - z.median, zi = z.z[i];
      if (Math.abs(dev) > minDev && (zi === null || Math.abs(zi) > zLimit)) {
        const zText = zi === null ? 'the others are identical' : `robust z ${fmt(zi)}`;
        out.push({ code: 'qc-curve-efficiency-outlier', severity: 'warning', reaction: r.reaction, message: `efficiency ${fmt(r.efficiency, 3)} of ${r.reaction} is an outlier among the ${group.length} reactions of ${target} (median ${fmt(z.median, 3)}, ${zText})` });
      }
    });
  }
  return out;
}

/** Late or early Cq relative to the instrument's, null when either is missing. */
export function cqDifferenceFinding(reaction: string, cq: number | null, instrumentCq: number | null, opts: CurveQcOptions = {}): CurveFinding | null {
  if (cq === null || instrumentCq === null || !Number.isFinite(cq) || !Number.isFinite(instrumentCq)) return null;
  const limit = opts.maxCqDifference ?? 1, d = cq - instrumentCq;
  if (Math.abs(d) <= limit) return null;
  const late = d > 0;
  return {
    code: late ? 'qc-curve-late-cq' : 'qc-curve-early-cq', severity: 'warning', reaction,
    message: `Cq ${fmt(cq)} of ${reaction} from its curve is ${fmt(Math.abs(d))} cycles ${late ? 'later' : 'earlier'} than the instrument's ${fmt(instrumentCq)} (limit ${limit})`,
  };
}
