/**
 * Technical-replicate outliers within one replicate group (one plate × sample × target, amplified Cqs only).
 *
 * Grubbs (two-sided): G = max |x_i - mean| / sd (sd with n - 1), critical value
 *   G_crit = (n - 1)/sqrt(n) · sqrt(t² / (n - 2 + t²)),  t = qt(1 - alpha/(2n), n - 2).
 * The most extreme value is excluded when G > G_crit; the test is repeated on the rest while n >= 3.
 *
 * Distance: each replicate's distance to the median of the *other* replicates; the farthest one is excluded when
 * that distance exceeds `d` cycles, and the check is repeated while at least 3 replicates remain (with n = 3 the
 * median of the others is the mean of the other two, so only the farthest replicate may go). When two replicates are
 * equally farthest (e.g. three evenly spread values) none is excluded and the group is reported. With two replicates
 * the outlier cannot be told apart: nothing is excluded, the group is reported.
 */
import { qt } from '../stats/dist';
import type { OutlierSettings } from './types';
import { medianSorted, sortedNumbers } from '../../shared/quantile';

export interface OutlierExclusion { index: number; reason: string }
export interface OutlierOutcome { excluded: OutlierExclusion[]; warning?: string }

export function mean(x: number[]): number {
  return meanOfFirst(x, x.length);
}

export function sd(x: number[]): number {
  return sdOfFirst(x, x.length);
}

/** Mean of x[0], ..., x[n - 1] (summed in that order; `mean` is this over the whole array). */
export function meanOfFirst(x: ArrayLike<number>, n: number): number {
  let s = 0;
  for (let i = 0; i < n; i++) s += x[i];
  return s / n;
}

/** SD (n - 1) of x[0], ..., x[n - 1]; NaN when n < 2 (`sd` is this over the whole array). */
export function sdOfFirst(x: ArrayLike<number>, n: number): number {
  if (n < 2) return NaN;
  const m = meanOfFirst(x, n);
  let s = 0;
  for (let i = 0; i < n; i++) s += (x[i] - m) * (x[i] - m);
  return Math.sqrt(s / (n - 1));
}

export function median(x: number[]): number {
  return medianSorted(sortedNumbers(x));
}

/**
 * The median of `sorted` (ascending) with one occurrence of `v` (one of its values) left out: `median` of the other
 * values, the same numbers averaged, without sorting them again (the distance rule needs it for every replicate).
 */
function medianWithout(sorted: number[], v: number): number {
  let lo = 0, hi = sorted.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid] < v) lo = mid + 1; else hi = mid;
  }
  const at = (k: number) => sorted[k < lo ? k : k + 1];
  const n = sorted.length - 1;
  return n % 2 ? at((n - 1) / 2) : (at(n / 2 - 1) + at(n / 2)) / 2;
}

/** Two-sided Grubbs critical value for n values at level alpha (n >= 3). */
export function grubbsCritical(n: number, alpha = 0.05): number {
  const t = qt(1 - alpha / (2 * n), n - 2);
  return ((n - 1) / Math.sqrt(n)) * Math.sqrt((t * t) / (n - 2 + t * t));
}

/** Grubbs statistic and the index of the most extreme value (first one on ties); G = 0 when sd is 0. */
export function grubbsStatistic(x: number[]): { g: number; index: number } {
  const m = mean(x);
  const s = sd(x);
  let index = 0;
  let dmax = -1;
  x.forEach((v, i) => { const d = Math.abs(v - m); if (d > dmax) { dmax = d; index = i; } });
  return { g: s > 0 ? dmax / s : 0, index };
}

export function grubbsOutliers(values: number[], alpha = 0.05): OutlierOutcome {
  const idx = values.map((_, i) => i);
  const excluded: OutlierExclusion[] = [];
  while (idx.length >= 3) {
    const x = idx.map((i) => values[i]);
    const { g, index } = grubbsStatistic(x);
    const crit = grubbsCritical(x.length, alpha);
    if (!(g > crit)) break;
    excluded.push({ index: idx[index], reason: `Grubbs outlier (G = ${g.toFixed(3)} > ${crit.toFixed(3)}, n = ${x.length}, alpha = ${alpha})` });
    idx.splice(index, 1);
  }
  return { excluded };
}

export function distanceOutliers(values: number[], d = 0.5): OutlierOutcome {
  const n = values.length;
  if (n < 2) return { excluded: [] };
  if (n === 2) {
    const diff = Math.abs(values[0] - values[1]);
    return diff > d
      ? { excluded: [], warning: `two replicates ${diff.toFixed(2)} cycles apart (> ${d}); with two replicates neither can be called the outlier` }
      : { excluded: [] };
  }
  const idx = values.map((_, i) => i);
  const excluded: OutlierExclusion[] = [];
  while (idx.length >= 3) {
    const sorted = idx.map((i) => values[i]).sort((a, b) => a - b);
    const dist = idx.map((i) => {
      const med = medianWithout(sorted, values[i]);
      return { i, med, dist: Math.abs(values[i] - med) };
    });
    const max = Math.max(...dist.map((x) => x.dist));
    if (!(max > d)) break;
    const far = dist.filter((x) => x.dist === max);
    if (far.length > 1) {
      return { excluded, warning: `replicates ${far.map((x) => values[x.i].toFixed(2)).join(' and ')} are equally far (${max.toFixed(2)} cycles) from the others (limit ${d}); none of them excluded` };
    }
    excluded.push({ index: far[0].i, reason: `replicate ${max.toFixed(2)} cycles from the median of the others (${far[0].med.toFixed(2)}; limit ${d})` });
    idx.splice(idx.indexOf(far[0].i), 1);
  }
  return { excluded };
}

export function detectOutliers(values: number[], settings: OutlierSettings): OutlierOutcome {
  if (settings.method === 'grubbs') return grubbsOutliers(values, settings.alpha ?? 0.05);
  if (settings.method === 'distance') return distanceOutliers(values, settings.distance ?? 0.5);
  return { excluded: [] };
}
