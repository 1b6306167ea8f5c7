/**
 * Shapiro-Wilk normality test as R's shapiro.test: Royston's algorithm AS R94 (1995) for 3 <= n <= 5000: the
 * coefficients a from normal order-statistic approximations with Royston's polynomial corrections, W as the squared
 * correlation of a with the sorted data (1 - W computed directly to keep precision near 1), p exact for n = 3, from
 * Royston's normalising transformations for 4 <= n <= 11 and n >= 12. Restated from the published algorithm as R
 * implements it (swilk.c).
 */
import { StatsError } from './errors';
import { pnorm, qnorm } from './dist';
import { checkFinite } from './basic';

export interface ShapiroResult { test: 'Shapiro-Wilk'; statistic: number; p: number; n: number }

/** cc[0] + cc[1] x + … + cc[nord-1] x^(nord-1), evaluated as AS 181.2 does. */
function poly(cc: readonly number[], x: number): number {
  let ret = cc[0];
  if (cc.length > 1) {
    let p = x * cc[cc.length - 1];
    for (let j = cc.length - 2; j > 0; j--) p = (p + cc[j]) * x;
    ret += p;
  }
  return ret;
}

/** Royston's coefficients a[1..n/2] (1-based, a[0] unused). */
function coefficients(n: number): number[] {
  const nn2 = Math.floor(n / 2);
  const a = new Array<number>(nn2 + 1).fill(0);
  if (n === 3) { a[1] = Math.SQRT1_2; return a; }
  const c1 = [0.0, 0.221157, -0.147981, -2.07119, 4.434685, -2.706056];
  const c2 = [0.0, 0.042981, -0.293762, -1.752461, 5.682633, -3.582633];
  const an25 = n + 0.25;
  let summ2 = 0;
  for (let i = 1; i <= nn2; i++) { a[i] = qnorm((i - 0.375) / an25); summ2 += a[i] * a[i]; }
  summ2 *= 2;
  const ssumm2 = Math.sqrt(summ2);
  const rsn = 1 / Math.sqrt(n);
  const a1 = poly(c1, rsn) - a[1] / ssumm2;
  let i1: number, fac: number;
  if (n > 5) {
    i1 = 3;
    const a2 = -a[2] / ssumm2 + poly(c2, rsn);
    fac = Math.sqrt((summ2 - 2 * a[1] * a[1] - 2 * a[2] * a[2]) / (1 - 2 * a1 * a1 - 2 * a2 * a2));
    a[2] = a2;
  } else {
    i1 = 2;
    fac = Math.sqrt((summ2 - 2 * a[1] * a[1]) / (1 - 2 * a1 * a1));
  }
  a[1] = a1;
  for (let i = i1; i <= nn2; i++) a[i] /= -fac;
  return a;
}

/** 1 - W for sorted x. */
function oneMinusW(x: readonly number[], a: readonly number[], range: number): number {
  const n = x.length;
  const coef = (i: number) => { const j = n - 1 - i; return i === j ? 0 : Math.sign(i - j) * a[1 + Math.min(i, j)]; };
  let sa = 0, sx = 0;
  for (let i = 0; i < n; i++) { sa += coef(i); sx += x[i] / range; }
  sa /= n; sx /= n;
  let ssa = 0, ssx = 0, sax = 0;
  for (let i = 0; i < n; i++) {
    const asa = coef(i) - sa, xsx = x[i] / range - sx;
    ssa += asa * asa; ssx += xsx * xsx; sax += asa * xsx;
  }
  const ssassx = Math.sqrt(ssa * ssx);
  return ((ssassx - sax) * (ssassx + sax)) / (ssa * ssx);
}

/** Royston's p-value of W (upper tail of the normalised statistic). */
function pValue(n: number, w1: number): number {
  const w = 1 - w1;
  if (n === 3) return Math.max(0, 1.90985931710274 * (Math.asin(Math.sqrt(w)) - 1.0471975511966));
  let y = Math.log(w1);
  let m: number, s: number;
  if (n <= 11) {
    const gamma = poly([-2.273, 0.459], n);
    if (y >= gamma) return 1e-99;
    y = -Math.log(gamma - y);
    m = poly([0.544, -0.39978, 0.025054, -6.714e-4], n);
    s = Math.exp(poly([1.3822, -0.77857, 0.062767, -0.0020322], n));
  } else {
    const xx = Math.log(n);
    m = poly([-1.5861, -0.31082, -0.083751, 0.0038915], xx);
    s = Math.exp(poly([-0.4803, -0.082676, 0.0030302], xx));
  }
  return pnorm(-(y - m) / s); // upper tail of N(m, s)
}

/** shapiro.test(x): W and p for 3 <= n <= 5000 finite values. */
export function shapiroWilk(values: readonly number[]): ShapiroResult {
  checkFinite(values, 'x');
  let x = values.slice().sort((p, q) => p - q);
  const n = x.length;
  if (n < 3 || n > 5000) throw new StatsError(`Shapiro-Wilk: sample size must be between 3 and 5000 (n = ${n})`);
  let range = x[n - 1] - x[0];
  if (range === 0) throw new StatsError("Shapiro-Wilk: all 'x' values are identical");
  if (range < 1e-10) { x = x.map((v) => v / range); range = x[n - 1] - x[0]; }
  const w1 = oneMinusW(x, coefficients(n), range);
  return { test: 'Shapiro-Wilk', statistic: 1 - w1, p: pValue(n, w1), n };
}
