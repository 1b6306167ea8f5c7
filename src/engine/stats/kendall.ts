/**
 * Kendall's rank correlation as R 4.2's cor.test(x, y, method = "kendall") with its defaults (two-sided,
 * exact = NULL, continuity = FALSE).
 *
 * tau is tau-b: S / sqrt((n0 - n1)(n0 - n2)), S = concordant - discordant pairs, n0 = n(n-1)/2, n1 and n2 the pairs
 * tied in x and in y (what R's cor(method = "kendall") computes). The pair counts come from Knight's O(n log n)
 * algorithm (sort by x then y, count the exchanges a merge sort by y needs), so they are exact integers and equal
 * R's O(n²) sums.
 *
 * p: without ties and n < 50, exact: T = round((tau + 1) n (n - 1) / 4) (the number of concordant pairs) and
 * P(T <= q) = sum_{j <= q} c(j, n) / n! with c(k, n) the number of permutations of n with k inversions (the recursion
 * c(k, n) = sum_{i = 0}^{n - 1} c(k - i, n - 1) of R's kendall.c); two-sided p = min(1, 2 P) on the side of q.
 * Otherwise the normal approximation z = S / sqrt(var S) with R's tie-corrected variance
 * (v0 - vt - vu) / 18 + v1 / (2 n (n - 1)) + v2 / (9 n (n - 1)(n - 2)); with ties and n < 50 R warns that it cannot
 * compute an exact p-value, and so does this.
 */
import { StatsError } from './errors';
import { pnorm, pnormUpper } from './dist';
import { checkFinite } from './basic';
import type { Alternative } from './tests';

export interface KendallResult {
  method: 'kendall';
  /** tau-b. */
  r: number;
  n: number;
  /** T (exact: concordant pairs) or z (normal approximation). */
  statistic: number;
  statisticName: 'T' | 'z';
  df: null;
  p: number;
  pMethod: string;
  ci: null;
  ciMethod: null;
  confLevel: number;
  warnings: string[];
}

/** Pairs tied within runs of equal keys of an array sorted so that equal keys are adjacent: sum t(t-1)/2. */
function tiedPairs(n: number, same: (i: number) => boolean): { pairs: number; sizes: number[] } {
  let pairs = 0;
  const sizes: number[] = [];
  let run = 1;
  for (let i = 1; i <= n; i++) {
    if (i < n && same(i)) { run++; continue; }
    if (run > 1) { pairs += (run * (run - 1)) / 2; sizes.push(run); }
    run = 1;
  }
  return { pairs, sizes };
}

/** Sorts `ys` in place (stable bottom-up merge sort); returns how many exchanges of strictly decreasing pairs it made. */
function mergeSortSwaps(ys: Float64Array): number {
  const n = ys.length;
  let src: Float64Array = ys, dst: Float64Array = new Float64Array(n), swaps = 0;
  for (let width = 1; width < n; width *= 2) {
    for (let lo = 0; lo < n; lo += 2 * width) {
      const mid = Math.min(lo + width, n), hi = Math.min(lo + 2 * width, n);
      let i = lo, j = mid, k = lo;
      while (i < mid && j < hi) {
        if (src[j] < src[i]) { dst[k++] = src[j++]; swaps += mid - i; } else dst[k++] = src[i++];
      }
      while (i < mid) dst[k++] = src[i++];
      while (j < hi) dst[k++] = src[j++];
    }
    [src, dst] = [dst, src];
  }
  if (src !== ys) ys.set(src);
  return swaps;
}

/** The pair counts of tau-b: S (concordant - discordant), n0, and the tie groups of x and y. */
export function kendallPairs(x: readonly number[], y: readonly number[]): { s: number; n0: number; xTies: number[]; yTies: number[] } {
  const n = x.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => x[a] - x[b] || y[a] - y[b]);
  const xs = order.map((i) => x[i]);
  const ys = Float64Array.from(order, (i) => y[i]);
  const n0 = (n * (n - 1)) / 2;
  const xt = tiedPairs(n, (i) => xs[i] === xs[i - 1]);
  const joint = tiedPairs(n, (i) => xs[i] === xs[i - 1] && ys[i] === ys[i - 1]).pairs;
  const swaps = mergeSortSwaps(ys);
  const yt = tiedPairs(n, (i) => ys[i] === ys[i - 1]);
  return { s: n0 - xt.pairs - yt.pairs + joint - 2 * swaps, n0, xTies: xt.sizes, yTies: yt.sizes };
}

/** Number of permutations of 1..n with k inversions, for k = 0..n(n-1)/2 (R's ckendall, tabulated). */
function inversionCounts(n: number): Float64Array {
  let w = Float64Array.of(1);
  for (let m = 2; m <= n; m++) {
    const u = (m * (m - 1)) / 2;
    const next = new Float64Array(u + 1);
    for (let k = 0; k <= u; k++) {
      let s = 0;
      for (let i = 0; i < m; i++) if (k - i >= 0 && k - i < w.length) s += w[k - i];
      next[k] = s;
    }
    w = next;
  }
  return w;
}

/** P(T <= q) for the number of concordant pairs T of n untied pairs (R's pkendall). */
export function pkendall(q: number, n: number): number {
  const qq = Math.floor(q + 1e-7);
  if (qq < 0) return 0;
  if (qq > (n * (n - 1)) / 2) return 1;
  const w = inversionCounts(n);
  let p = 0;
  for (let j = 0; j <= qq; j++) p += w[j];
  let nfact = 1;
  for (let i = 2; i <= n; i++) nfact *= i;
  return p / nfact;
}

const sumOf = (t: number[], f: (v: number) => number) => t.reduce((a, v) => a + f(v), 0);

/** R's tie-corrected variance of S. */
function varianceS(n: number, xt: number[], yt: number[]): number {
  const v0 = n * (n - 1) * (2 * n + 5);
  const vt = sumOf(xt, (t) => t * (t - 1) * (2 * t + 5));
  const vu = sumOf(yt, (t) => t * (t - 1) * (2 * t + 5));
  const v1 = sumOf(xt, (t) => t * (t - 1)) * sumOf(yt, (t) => t * (t - 1));
  const v2 = sumOf(xt, (t) => t * (t - 1) * (t - 2)) * sumOf(yt, (t) => t * (t - 1) * (t - 2));
  return (v0 - vt - vu) / 18 + v1 / (2 * n * (n - 1)) + v2 / (9 * n * (n - 1) * (n - 2));
}

/** Kendall's tau-b test, as cor.test(x, y, method = "kendall"). Needs n >= 2 finite pairs; constant x or y throws. */
export function kendall(x: readonly number[], y: readonly number[], opts: { conf?: number; alternative?: Alternative } = {}): KendallResult {
  if (x.length !== y.length) throw new StatsError(`Kendall: x and y have different lengths (${x.length}, ${y.length})`);
  checkFinite(x, 'x'); checkFinite(y, 'y');
  const n = x.length;
  if (n < 2) throw new StatsError(`Kendall: not enough finite observations (n = ${n}, need 2)`);
  const { s, n0, xTies, yTies } = kendallPairs(x, y);
  const xTied = xTies.reduce((a, t) => a + (t * (t - 1)) / 2, 0);
  const yTied = yTies.reduce((a, t) => a + (t * (t - 1)) / 2, 0);
  if (xTied === n0) throw new StatsError('Kendall: x is constant');
  if (yTied === n0) throw new StatsError('Kendall: y is constant');
  const r = s / (Math.sqrt(n0 - xTied) * Math.sqrt(n0 - yTied));
  const ties = xTies.length > 0 || yTies.length > 0;
  const base = { method: 'kendall' as const, r, n, df: null, ci: null, ciMethod: null, confLevel: opts.conf ?? 0.95 };
  if (n < 50 && !ties) {
    const q = Math.round(((r + 1) * n * (n - 1)) / 4);
    const alt = opts.alternative ?? 'two.sided';
    const p = alt === 'greater' ? 1 - pkendall(q - 1, n) : alt === 'less' ? pkendall(q, n)
      : Math.min(2 * (q > (n * (n - 1)) / 4 ? 1 - pkendall(q - 1, n) : pkendall(q, n)), 1);
    return { ...base, statistic: q, statisticName: 'T', p, pMethod: 'exact (no ties, n < 50)', warnings: [] };
  }
  const z = (r * Math.sqrt((n0 - xTied) * (n0 - yTied))) / Math.sqrt(varianceS(n, xTies, yTies));
  const p = opts.alternative === 'less' ? pnorm(z) : opts.alternative === 'greater' ? pnormUpper(z) : 2 * Math.min(pnorm(z), pnormUpper(z));
  const warnings = n < 50 ? ['cannot compute exact p-value with ties: normal approximation used'] : [];
  return { ...base, statistic: z, statisticName: 'z', p, pMethod: `normal approximation${ties ? ' (tie-corrected variance)' : ''}`, warnings };
}
