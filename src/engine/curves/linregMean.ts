/**
 * Mean PCR efficiency per amplicon (target), restated from rdmlpython's Run.linRegPCR ("Calculation of the mean
 * PCR efficiency per target"): reactions not excluded from the mean and with an individual efficiency >= 1.001
 * enter; "outlier" removes Grubbs outliers while the efficiencies are significantly skewed; "mean" removes those
 * further than `range` from the target's median; "include" keeps all. Mean and SD (population, ddof 0) of the rest.
 */
import { mean, median, sd } from '../stats/descriptive';
import { pnormUpper, qt } from '../stats/dist';

export type EfficiencyExclusion = 'outlier' | 'mean' | 'include';

/** Mean and population SD of the efficiencies kept, and how many were kept (n). */
export interface TargetEfficiency { mean: number; sd: number; n: number }

const finite = (xs: number[]): number[] => xs.filter((v) => !Number.isNaN(v));

/** scipy.stats.skew(bias = False): the adjusted Fisher-Pearson coefficient G1 (NaN when all values are equal). */
export function skewness(xs: number[]): number {
  const n = xs.length, m = mean(xs);
  const m2 = mean(xs.map((v) => (v - m) ** 2)), m3 = mean(xs.map((v) => (v - m) ** 3));
  if (m2 <= (1e-15 * m) ** 2) return NaN; // scipy: numpy float64 resolution
  return (Math.sqrt(n * (n - 1)) / (n - 2)) * (m3 / Math.pow(m2, 1.5));
}

/**
 * One step of rdmlpython's skewness-gated Grubbs test (alpha 0.05): the index (into vals) of the extreme value on
 * the skewed side when it is an outlier, else -1. The skewness test uses t with 1e10 df, i.e. the normal.
 */
export function grubbsStep(vals: number[], alpha = 0.05): number {
  const xs = finite(vals), n = xs.length;
  if (n < 3) return -1;
  const m = mean(xs), s = sd(xs);
  const g1 = skewness(xs);
  const se = Math.sqrt((6 * n * (n - 1)) / ((n - 2) * (n + 1) * (n + 3)));
  if (!(2 * pnormUpper(Math.abs(g1) / se) < alpha / 2.0)) return -1;
  const t = qt(1 - alpha / n / 2, n - 2);
  const gCrit = ((n - 1) / Math.sqrt(n)) * Math.sqrt((t * t) / (n - 2 + t * t));
  const high = g1 > 0.0;
  let at = -1;
  vals.forEach((v, i) => { if (!Number.isNaN(v) && (at < 0 || (high ? v > vals[at] : v < vals[at]))) at = i; });
  const g = high ? (vals[at] - m) / s : (m - vals[at]) / s;
  return g > gCrit ? at : -1;
}

/**
 * Efficiencies of one target's reactions (eff: individual, NaN-free; use: may enter the mean). Marks `excluded[i]`
 * for reactions removed by the efficiency rule and returns the target's mean (NaN when none is left) and SD.
 */
export function targetEfficiency(eff: number[], use: boolean[], mode: EfficiencyExclusion, range: number, excluded: boolean[]): TargetEfficiency {
  const vals = eff.map((e, i) => (use[i] && e >= 1.001 ? e : NaN));
  if (mode === 'mean') {
    const left = finite(vals);
    const med = left.length ? median(left) : NaN;
    eff.forEach((e, i) => { if (!Number.isNaN(e) && (Number.isNaN(med) || !(med - range <= e && e <= med + range))) excluded[i] = true; });
  }
  if (mode === 'outlier') {
    for (let at = grubbsStep(vals); at >= 0; at = grubbsStep(vals)) { vals[at] = NaN; excluded[at] = true; }
  }
  const kept = finite(vals.map((v, i) => (excluded[i] ? NaN : v)));
  const n = kept.length; // numpy nanstd: population SD (ddof 0)
  if (!n) return { mean: NaN, sd: NaN, n };
  return { mean: mean(kept), sd: n > 1 ? sd(kept) * Math.sqrt((n - 1) / n) : 0, n };
}
