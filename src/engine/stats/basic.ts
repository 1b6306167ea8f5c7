/**
 * The primitives every statistics module shares (finite checks, mean, variance, sorting, ranks with ties), in a module
 * of their own so that descriptive.ts (Table 1, which runs the tests) and tests.ts both import them without a cycle.
 * descriptive.ts re-exports them.
 */
import { StatsError } from './errors';
import { sortedNumbers } from '../../shared/quantile';

/** Throws StatsError unless every value is a finite number; `what` names the variable in the message. */
export function checkFinite(x: readonly number[], what = 'x'): void {
  for (let i = 0; i < x.length; i++) {
    const v = x[i];
    if (typeof v !== 'number' || !Number.isFinite(v)) {
      throw new StatsError(`${what} has a non-finite value (${String(v)}) at index ${i}: drop missing values first`);
    }
  }
}

/** Throws StatsError unless `x` is finite and has at least `n` values (`fn` names the caller). */
export function need(x: readonly number[], n: number, what: string, fn: string): void {
  checkFinite(x, what);
  if (x.length < n) throw new StatsError(`${fn}: ${what} needs at least ${n} value${n === 1 ? '' : 's'}, got ${x.length}`);
}

/**
 * A power of two to divide data by when its magnitude could overflow or underflow sums of squares or the fourth
 * powers in Welch's df (max |x| beyond 2^±250, about 1e±75), else 1. Dividing by a power of two is exact, so results
 * on ordinary data are unchanged bit for bit, and values near 1e300 give what R gives (R sums in long double).
 * Non-finite values are ignored.
 */
export function magnitudeScale(...xs: (readonly number[])[]): number {
  let m = 0;
  for (const x of xs) for (const v of x) { const a = Math.abs(v); if (a > m && a !== Infinity) m = a; }
  if (!(m > 0) || (m < 2 ** 250 && m > 2 ** -250)) return 1;
  return 2 ** Math.floor(Math.log2(m));
}

/**
 * Σ f(i) for i in [0, n), as R's sum() of those values: R accumulates in long double (64-bit mantissa on x86-64), so
 * its sums of many terms (a probability distribution of 100,000 points) come out as the correctly rounded total,
 * where a plain double loop drifts by several ulps (Fisher's two-sided p of a balanced table: 0.9999999999999996
 * where R gives 1). The errors of the double additions are accumulated apart (TwoSum) and added back once.
 */
export function sumExtended(n: number, f: (i: number) => number): number {
  let hi = 0, lo = 0;
  for (let i = 0; i < n; i++) {
    const v = f(i);
    const s = hi + v;
    const b = s - hi;
    lo += (hi - (s - b)) + (v - b);
    hi = s;
  }
  return hi + lo;
}

/** Mean of x / c (two-pass, with R's refinement step: mean + mean of the residuals). */
function scaledMean(x: readonly number[], c: number): number {
  const n = x.length;
  let s = 0;
  for (const v of x) s += v / c;
  const m = s / n;
  let r = 0;
  for (const v of x) r += v / c - m;
  return m + r / n;
}

/** Σ (x/c - mean(x/c))², the sum of squared deviations of the scaled data. */
function scaledSs(x: readonly number[], c: number): number {
  const m = scaledMean(x, c);
  let ss = 0;
  for (const v of x) { const d = v / c - m; ss += d * d; }
  return ss;
}

/** Arithmetic mean (two-pass, with R's refinement step; summed at a safe scale, see magnitudeScale). */
export function mean(x: readonly number[], what = 'x'): number {
  need(x, 1, what, 'mean');
  const c = magnitudeScale(x);
  return scaledMean(x, c) * c;
}

/** Sample variance with denominator n - 1 (R's var). Needs n >= 2. */
export function variance(x: readonly number[], what = 'x'): number {
  need(x, 2, what, 'variance');
  const c = magnitudeScale(x);
  return (scaledSs(x, c) / (x.length - 1)) * c * c;
}

/** Sample standard deviation (n - 1), R's sd. Needs n >= 2. */
export function sd(x: readonly number[], what = 'x'): number {
  need(x, 2, what, 'variance');
  const c = magnitudeScale(x);
  return Math.sqrt(scaledSs(x, c) / (x.length - 1)) * c;
}

/**
 * Ranks with ties averaged (R's rank, ties.method = "average"). Ties are exact floating-point equality, as R's
 * rank (so 1.3 and 1.3000000000000003 are not tied; R's wilcox.test uses digits.rank = Inf, the same).
 */
export function rank(x: readonly number[]): number[] {
  checkFinite(x, 'x');
  const n = x.length;
  const idx = Array.from({ length: n }, (_, i) => i).sort((a, b) => x[a] - x[b] || a - b);
  const r = new Array<number>(n);
  let i = 0;
  while (i < n) {
    let j = i;
    while (j + 1 < n && x[idx[j + 1]] === x[idx[i]]) j++;
    const avg = (i + j + 2) / 2; // ranks i+1 .. j+1
    for (let k = i; k <= j; k++) r[idx[k]] = avg;
    i = j + 1;
  }
  return r;
}

/** Sizes of the groups of tied values (only groups of size > 1). */
export function tieSizes(x: readonly number[]): number[] {
  const s = sortedNumbers(x);
  const out: number[] = [];
  let i = 0;
  while (i < s.length) {
    let j = i;
    while (j + 1 < s.length && s[j + 1] === s[i]) j++;
    if (j > i) out.push(j - i + 1);
    i = j + 1;
  }
  return out;
}
