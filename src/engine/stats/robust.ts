/**
 * Robust location and scale (issue 14, spike-in recovery): the median absolute deviation as R's
 * mad(x) (constant 1.4826, centre the median) and robust z-scores (x − median) / mad.
 */
import { median } from './descriptive';

/** R's mad(x): 1.4826 · median(|x − median(x)|). */
export function mad(x: readonly number[], what = 'x'): number {
  const m = median(x, what);
  return 1.4826 * median(x.map((v) => Math.abs(v - m)), what);
}

/** Robust z = (x − median) / mad(x); null for every value when the MAD is 0 (more than half the values equal). */
export function robustZ(x: readonly number[], what = 'x'): { median: number; mad: number; z: (number | null)[] } {
  const m = median(x, what), s = mad(x, what);
  return { median: m, mad: s, z: x.map((v) => (s > 0 ? (v - m) / s : null)) };
}
