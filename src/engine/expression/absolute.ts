/**
 * Absolute quantification: unknowns interpolated from a standard curve (expression/standards.ts) with a 95 %
 * prediction interval by classical inverse regression (calibration).
 *
 * The curve is Cq = a + b · log10(q), fitted by least squares on n standard wells (residual SD s, Sxx the sum of
 * squares of log10(q) about its mean, ȳ the mean standard Cq). An unknown whose Cq is the mean of m replicate wells, y0,
 * gets x0 = (y0 − a) / b, quantity 10^x0 (in the standards' unit), and
 *   se(x0) = (s / |b|) · sqrt(1/m + 1/n + (y0 − ȳ)² / (b² · Sxx)),
 * the delta-method ("Wald") interval x0 ∓ t(0.975, n − 2) · se(x0), back-transformed: [10^(x0 − t·se), 10^(x0 + t·se)]
 * (asymmetric in quantity). This is the approximate formula of Draper & Smith (1998, §3.2) and ISO 11095 rather than
 * the exact inversion of the prediction band (Fieller): the two agree closely when the slope is estimated precisely,
 * i.e. g = t² s² / (b² Sxx) = t² (1 − R²) / (R² (n − 2)) ≪ 1 (the golden curve: 3e-4; R² 0.98 with n = 15: 7e-3; the
 * real-cfx curves, R² 0.96: 0.02); the exact inversion can be unbounded for a flat curve, the approximate one exists.
 *
 * Flags: `outside-range` when y0 lies outside the standards' Cq range (the quantity is extrapolated), `below-lod`
 * when the curve has a limit of detection and the quantity is below it.
 */
import { mean } from '../stats/basic';
import { qt } from '../stats/dist';
import type { SampleExpression, StandardCurve } from './types';
import { maxOf, minOf } from '../../shared/extent';

export type AbsoluteFlag = 'outside-range' | 'below-lod';

export interface AbsoluteQuantity {
  /** Mean Cq of the unknown and the number of replicate wells it averages. */
  cq: number;
  replicates: number;
  log10q: number;
  quantity: number;
  /** Standard error of log10(quantity) (see the module comment) and the 95 % prediction interval of the quantity. */
  log10Se: number;
  ci: [number, number];
  flags: AbsoluteFlag[];
}

/** The curve's fit statistics needed for calibration; null when the curve has no usable slope. */
function calibrationFit(curve: StandardCurve): { a: number; b: number; s: number; n: number; ybar: number; sxx: number; cqMin: number; cqMax: number } | null {
  const { slope: b, intercept: a, points, n } = curve;
  if (b === null || a === null || b === 0 || n < 3) return null;
  const xbar = mean(points.map((p) => p.log10q));
  const ybar = mean(points.map((p) => p.cq));
  let sxx = 0, sse = 0;
  for (const p of points) { sxx += (p.log10q - xbar) ** 2; sse += (p.cq - a - b * p.log10q) ** 2; }
  const cqs = points.map((p) => p.cq);
  return { a, b, s: Math.sqrt(sse / (n - 2)), n, ybar, sxx, cqMin: minOf(cqs), cqMax: maxOf(cqs) };
}

/** Quantity of an unknown with mean Cq `cq` over `replicates` wells; null if the curve cannot be inverted. */
export function interpolateQuantity(curve: StandardCurve, cq: number, replicates = 1): AbsoluteQuantity | null {
  const f = calibrationFit(curve);
  if (!f || !Number.isFinite(cq) || !(replicates >= 1)) return null;
  const x0 = (cq - f.a) / f.b;
  const se = (f.s / Math.abs(f.b)) * Math.sqrt(1 / replicates + 1 / f.n + (cq - f.ybar) ** 2 / (f.b ** 2 * f.sxx));
  const t = qt(0.975, f.n - 2);
  const quantity = Math.pow(10, x0);
  const flags: AbsoluteFlag[] = [];
  if (cq < f.cqMin || cq > f.cqMax) flags.push('outside-range');
  if (curve.lod !== null && quantity < curve.lod) flags.push('below-lod');
  return { cq, replicates, log10q: x0, quantity, log10Se: se, ci: [Math.pow(10, x0 - t * se), Math.pow(10, x0 + t * se)], flags };
}

export interface AbsoluteRow {
  target: string;
  sample: string;
  /** The plate of the curve used (null when none). */
  curveFile: string | null;
  /** Null when the sample has no usable Cq or no curve applies (then `reason` says which). */
  result: AbsoluteQuantity | null;
  reason?: 'no-cq' | 'no-curve' | 'ambiguous-curve';
}

/**
 * The curve for a sample × target: the target's curve on the plate of the sample's wells; else the target's only
 * curve in the study (standards run on one plate, unknowns on others); several curves on other plates: ambiguous.
 */
function curveFor(s: SampleExpression, curves: StandardCurve[]): StandardCurve | 'none' | 'ambiguous' {
  const mine = curves.filter((c) => c.target === s.target);
  const files = new Set(s.wells.map((w) => w.file));
  const same = mine.filter((c) => files.has(c.file));
  if (same.length === 1) return same[0];
  if (same.length === 0 && mine.length === 1) return mine[0];
  return mine.length === 0 ? 'none' : 'ambiguous';
}

/**
 * Absolute quantities of the pipeline's sample × target rows (replicate means after exclusions, inter-run correction
 * and the non-detect policy; `nUsed` replicates) from the standard curves.
 */
export function sampleAbsolute(samples: SampleExpression[], curves: StandardCurve[]): AbsoluteRow[] {
  return samples.map((s): AbsoluteRow => {
    const c = curveFor(s, curves);
    const base = { target: s.target, sample: s.sample, curveFile: typeof c === 'string' ? null : c.file, result: null };
    if (c === 'none') return { ...base, reason: 'no-curve' };
    if (c === 'ambiguous') return { ...base, reason: 'ambiguous-curve' };
    if (s.cqMean === null || s.nUsed < 1) return { ...base, reason: 'no-cq' };
    const result = interpolateQuantity(c, s.cqMean, s.nUsed);
    return result ? { ...base, result } : { ...base, reason: 'no-curve' };
  });
}
