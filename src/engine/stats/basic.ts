/**
 * The primitives every statistics module shares (finite checks, mean, variance, sorting, ranks with ties), in a module
 * of their own so that descriptive.ts (Table 1, which runs the tests) and tests.ts both import them without a cycle.
 * descriptive.ts re-exports them.
 */
import { StatsError } from './errors';

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

/** Arithmetic mean (two-pass, with R's refinement step: mean + mean of the residuals). */
export function mean(x: readonly number[], what = 'x'): number {
  need(x, 1, what, 'mean');
  const n = x.length;
  let s = 0;
  for (const v of x) s += v;
  const m = s / n;
  let r = 0;
  for (const v of x) r += v - m;
  return m + r / n;
}

/** Sample variance with denominator n - 1 (R's var). Needs n >= 2. */
export function variance(x: readonly number[], what = 'x'): number {
  need(x, 2, what, 'variance');
  const m = mean(x, what);
  let ss = 0;
  for (const v of x) ss += (v - m) * (v - m);
  return ss / (x.length - 1);
}

/** Ascending numeric sort of a copy. */
export function sorted(x: readonly number[]): number[] {
  return x.slice().sort((a, b) => a - b);
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
  const s = sorted(x);
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
