/**
 * R's quantile(x, p, type = 7) of values already sorted ascending: index h = 1 + (n - 1) p, lo = floor(h),
 * hi = ceiling(h), q = (1 - g) x[lo] + g x[hi] with g = h - lo, interpolating only when h > lo and x[hi] != x[lo]
 * (as R does, so Inf values do not give NaN). NaN for an empty array. The one implementation of type 7 used by the
 * engine, the host and the webviews (pure: no DOM, no node modules).
 */
export function quantile7Sorted(s: ArrayLike<number>, p: number): number {
  const n = s.length;
  if (n === 0) return NaN;
  const index = 1 + (n - 1) * p;
  const lo = Math.floor(index);
  const hi = Math.ceil(index);
  const qs = s[lo - 1];
  if (index > lo && s[hi - 1] !== qs) {
    const g = index - lo;
    return (1 - g) * qs + g * s[hi - 1];
  }
  return qs;
}

/** The number of elements of ascending `v` that are < t (a lower bound), or <= t with `inclusive` (an upper bound). */
export function countBelow(v: ArrayLike<number>, t: number, inclusive: boolean): number {
  let lo = 0, hi = v.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (inclusive ? v[mid] <= t : v[mid] < t) lo = mid + 1; else hi = mid;
  }
  return lo;
}

/**
 * An ascending copy of numbers (the input is not changed), as a Float64Array sorted natively: no comparator call per
 * pair (1,000,000 values: 0.56 → 0.13 s). −0 comes before 0; no report tells them apart (JSON and the formatters
 * write both as 0). The one numeric sort of a copy used by the statistics, the quantiles and the charts.
 */
export function sortedNumbers(v: ArrayLike<number>): Float64Array {
  return Float64Array.from(v).sort();
}

/** R's median of values already sorted ascending: the middle value, or the mean of the two middle values. */
export function medianSorted(s: ArrayLike<number>): number {
  const n = s.length;
  return n % 2 ? s[(n - 1) / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
}

/** quantile7Sorted of an ascending copy of `v` (sortedNumbers; the input is not changed). */
export function quantile7(v: readonly number[], p: number): number {
  return quantile7Sorted(sortedNumbers(v), p);
}
