/**
 * Nomogram axes of restricted cubic spline terms, as rms::nomogram draws them: the axis values are pretty(min, max,
 * nint) as for a linear term, each value's contribution is the spline's x·β over its k - 1 columns (x and the
 * rcspline.eval basis), so the axis is non-monotone when the curve is: each tick sits at its own points.
 */
import { StatsError } from './errors';
import { pretty } from './pretty';
import { rcsBasis } from './splines';

/** A spline term of the model: its columns (x, x', x'', ...) and knots. */
export interface SplineAxisSpec { columns: string[]; knots: number[] }

/** The spline's contribution at x: coefs · (x, rcs basis at the knots). */
export function splineXbeta(x: number, knots: readonly number[], coefs: readonly number[]): number {
  return [x, ...rcsBasis(x, knots)].reduce((s, b, j) => s + coefs[j] * b, 0);
}

/** The coefficients of the spline's columns (an error naming the column not in the model). */
export function splineCoefs(term: string, spec: SplineAxisSpec, coef: readonly number[], colIndex: ReadonlyMap<string, number>): number[] {
  if (spec.columns.length !== spec.knots.length - 1) throw new StatsError(`nomogram: spline '${term}' needs k - 1 columns for k knots`);
  return spec.columns.map((c) => {
    const j = colIndex.get(c);
    if (j === undefined || j === 0) throw new StatsError(`nomogram: column '${c}' of spline '${term}' is not in the model`);
    return coef[j];
  });
}

/** The axis of a spline term: pretty values over [min, max] and the contribution of each. */
export function splineAxis(r: { term: string; min?: number; max?: number; spline: SplineAxisSpec }, coef: readonly number[], colIndex: ReadonlyMap<string, number>, nint: number) {
  if (!(Number.isFinite(r.min) && Number.isFinite(r.max))) throw new StatsError(`nomogram: spline '${r.term}' needs finite min and max`);
  const b = splineCoefs(r.term, r.spline, coef, colIndex);
  const ticks = pretty(r.min as number, r.max as number, nint).map((v) => ({ value: v as number | string, xbeta: splineXbeta(v, r.spline.knots, b), points: 0 }));
  return { term: r.term, columns: r.spline.columns.slice(), ticks, min: 0, max: 0, spline: r.spline };
}

/** Points of a spline axis at n values from its first to its last tick (the calculator interpolates on it). */
export function splineCurve(
  a: { term: string; ticks: { value: number | string }[]; min: number; spline?: SplineAxisSpec },
  coef: readonly number[], colIndex: ReadonlyMap<string, number>, pointsPerUnit: number, n = 201,
): { value: number; points: number }[] | undefined {
  if (!a.spline) return undefined;
  const b = splineCoefs(a.term, a.spline, coef, colIndex);
  const vals = a.ticks.map((t) => t.value as number);
  const lo = Math.min(...vals), hi = Math.max(...vals);
  return Array.from({ length: n }, (_, i) => {
    const value = lo + ((hi - lo) * i) / (n - 1);
    return { value, points: (splineXbeta(value, a.spline!.knots, b) - a.min) * pointsPerUnit };
  });
}
