/**
 * R's pretty() for numeric ranges: base::pretty.default (n = 5, min.n = n %/% 3, shrink.sml = 0.75,
 * high.u.bias = 1.5, u5.bias = 0.5 + 1.5 * high.u.bias, eps.correct = 0, f.min = 2^-20) and the C routine R_pretty
 * (src/appl/pretty.c, R >= 4.1: rounding_eps 1e-10, the "i_small" test with 3 * DBL_EPSILON slack, the sub-normal and
 * overflow guards, the min.n widening with its special cases at 0, and return_bounds = TRUE), followed by
 * seq.int(l, u, length.out = n + 1) and the zapping of |s| < 1e-14 * unit to 0.
 */
import { StatsError } from './errors';

const DBL_EPSILON = 2.220446049250313e-16;
const DBL_MIN = 2.2250738585072014e-308;
const DBL_MAX = Number.MAX_VALUE;

export interface PrettyOptions { minN?: number; shrinkSml?: number; highUBias?: number; u5Bias?: number; fMin?: number }

/** R_pretty with eps_correction = 0 and return_bounds = TRUE. Returns the (possibly widened) bounds, ndiv and unit. */
export function rPretty(lo0: number, up0: number, ndiv0: number, minN: number, shrinkSml: number, h: number, h5: number, fMin: number): { lo: number; up: number; ndiv: number; unit: number } {
  const roundingEps = 1e-10;
  let lo = lo0, up = up0, ndiv = ndiv0;
  const dx = up - lo;
  let cell: number;
  let iSmall: boolean;
  if (dx === 0 && up === 0) {
    cell = 1;
    iSmall = true;
  } else {
    cell = Math.max(Math.abs(lo), Math.abs(up));
    let U = 1 + (h5 >= 1.5 * h + 0.5 ? 1 / (1 + h) : 1.5 / (1 + h5));
    U *= Math.max(1, ndiv) * DBL_EPSILON;
    iSmall = dx < cell * U * 3;
  }
  if (iSmall) {
    if (cell > 10) cell = 9 + cell / 10;
    cell *= shrinkSml;
    if (minN > 1) cell /= minN;
  } else {
    cell = dx;
    if (Number.isFinite(dx)) {
      if (ndiv > 1) cell /= ndiv;
    } else if (ndiv >= 2) {
      cell = up / ndiv - lo / ndiv;
    }
  }
  let subsmall = fMin * DBL_MIN;
  if (subsmall === 0) subsmall = DBL_MIN;
  if (cell < subsmall) cell = subsmall;
  else if (cell > DBL_MAX / 1.25) cell = DBL_MAX / 1.25;

  const base = Math.pow(10, Math.floor(Math.log10(cell)));
  let unit = base;
  let U: number;
  if ((U = 2 * base) - cell < h * (cell - unit)) {
    unit = U;
    if ((U = 5 * base) - cell < h5 * (cell - unit)) {
      unit = U;
      if ((U = 10 * base) - cell < h * (cell - unit)) unit = U;
    }
  }
  let ns = Math.floor(lo / unit + roundingEps);
  let nu = Math.ceil(up / unit - roundingEps);
  while (ns * unit > lo + roundingEps * unit) ns--;
  while (!Number.isFinite(ns * unit)) ns++;
  while (nu * unit < up - roundingEps * unit) nu++;
  while (!Number.isFinite(nu * unit)) nu--;
  let k = Math.trunc(0.5 + nu - ns);
  if (k < minN) {
    k = minN - k;
    const half = Math.trunc(k / 2);
    if (lo0 === 0 && ns === 0 && up0 !== 0) {
      nu += k;
    } else if (up0 === 0 && nu === 0 && lo0 !== 0) {
      ns -= k;
    } else if (ns >= 0) {
      nu += half;
      ns -= half + (k % 2);
    } else {
      ns -= half;
      nu += half + (k % 2);
    }
    ndiv = minN;
  } else {
    ndiv = k;
  }
  if (ns * unit < lo) lo = ns * unit;
  if (nu * unit > up) up = nu * unit;
  return { lo, up, ndiv, unit };
}

/** pretty(c(lo, hi), n): about n + 1 equally spaced round values covering [lo, hi]. */
export function pretty(lo: number, hi: number, n = 5, opts: PrettyOptions = {}): number[] {
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) throw new StatsError(`pretty: range must be finite, got [${lo}, ${hi}]`);
  if (lo > hi) { const t = lo; lo = hi; hi = t; }
  if (!(Number.isInteger(n) && n >= 0)) throw new StatsError(`pretty: n must be a non-negative integer, got ${n}`);
  const minN = opts.minN ?? Math.floor(n / 3);
  const h = opts.highUBias ?? 1.5;
  const h5 = opts.u5Bias ?? 0.5 + 1.5 * h;
  const z = rPretty(lo, hi, n, minN, opts.shrinkSml ?? 0.75, h, h5, opts.fMin ?? Math.pow(2, -20));
  const s = seqLength(z.lo, z.up, z.ndiv + 1);
  if (z.ndiv) {
    const delta = (z.up - z.lo) / z.ndiv;
    for (let i = 0; i < s.length; i++) if (Math.abs(s[i]) < 1e-14 * delta) s[i] = 0;
  }
  return s;
}

/** R's seq.int(from, to, length.out = n) (filled from both ends, last value exactly `to`). */
export function seqLength(from: number, to: number, n: number): number[] {
  const out = new Array<number>(n);
  if (n > 0) out[0] = from;
  if (n > 1) out[n - 1] = to;
  if (n > 2) {
    const by = (to - from) / (n - 1);
    for (let i = 1; i < n - 1; i++) out[i] = i < Math.floor(n / 2) ? from + i * by : to - (n - 1 - i) * by;
  }
  return out;
}
