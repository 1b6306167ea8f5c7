/**
 * Melt curves (issue 20): −dF/dT, the Tm of each peak, multiple peaks / primer-dimer flags and Tm outliers within an
 * amplicon. rdmlpython smooths with Friedman's supersmoother and normalises an exponential background first; the
 * definitions here are simpler and stated so that they can be checked by hand (test/golden/melt.R does):
 *
 * - smoothing: a centred moving average of the fluorescence over `window` points (default 5, about 1.3 °C at the
 *   usual 0.25–0.3 °C steps), the window shrinking symmetrically at the ends (the first and last points are kept);
 * - −dF/dT at point i: −(S[i+1] − S[i−1]) / (T[i+1] − T[i−1]) on the smoothed S (a centred difference, exact for
 *   uneven temperature steps to first order), one-sided at the two ends;
 * - a peak is an interior local maximum of −dF/dT (D[i−1] < D[i] ≥ D[i+1]) with D[i] > 0; its Tm and height are the
 *   vertex of the parabola through the three points around it (quadratic interpolation);
 * - a peak's prominence is its height above the higher of the two lowest points of −dF/dT separating it from higher
 *   ground on either side (or from the ends), as scipy.signal.peak_prominences defines it; peaks whose prominence is
 *   below `minProminence` (default 0.1) × the main peak's height are noise and dropped; the main peak is the highest;
 * - multiple peaks: more than one peak is left; primer-dimer: one of the other peaks has a Tm below the main peak's by
 *   at least `dimerGap` (default 2 °C) and below `dimerMaxTm` (default 80 °C), where primer-dimers melt;
 * - Tm outliers within an amplicon: robust z = (Tm − median) / mad (R's mad, stats/robust.ts) of the main-peak Tm of
 *   the reactions of one target; an outlier has |z| > 3.5 (Iglewicz–Hoaglin's modified z-score cut-off) and differs
 *   from the median by more than `minDeviation` (default 0.5 °C, so that near-identical replicates with a tiny MAD do
 *   not flag a 0.1 °C difference); when the MAD is 0 the deviation rule alone decides.
 */
import { StatsError } from '../stats/errors';
import { robustZ } from '../stats/robust';

export interface MeltPeak { tm: number; height: number; prominence: number; index: number }

export interface MeltOptions {
  window?: number;
  minProminence?: number;
  dimerGap?: number;
  dimerMaxTm?: number;
}

export interface MeltAnalysis {
  derivative: number[];
  /** Peaks kept, highest first; peaks[0] is the main peak. */
  peaks: MeltPeak[];
  multiplePeaks: boolean;
  primerDimer: boolean;
}

function checkMelt(temps: readonly number[], fluor: readonly number[]): void {
  if (temps.length !== fluor.length) throw new StatsError(`melt curve: ${temps.length} temperatures but ${fluor.length} fluorescence values`);
  if (temps.length < 3) throw new StatsError(`melt curve needs at least 3 points, got ${temps.length}`);
  for (let i = 0; i < temps.length; i++) {
    if (!Number.isFinite(temps[i]) || !Number.isFinite(fluor[i])) throw new StatsError(`melt curve: non-finite value at index ${i} (temperature ${temps[i]})`);
    if (i > 0 && !(temps[i] > temps[i - 1])) throw new StatsError(`melt curve: temperature ${temps[i]} at index ${i} does not increase`);
  }
}

/** Centred moving average over `window` points (odd), shrinking symmetrically at the ends. */
export function movingAverage(y: readonly number[], window: number): number[] {
  if (!(Number.isInteger(window) && window >= 1 && window % 2 === 1)) throw new StatsError(`melt smoothing window must be an odd whole number ≥ 1, got ${window}`);
  const h = (window - 1) / 2, n = y.length;
  return y.map((_, i) => {
    const k = Math.min(h, i, n - 1 - i);
    let s = 0;
    for (let j = i - k; j <= i + k; j++) s += y[j];
    return s / (2 * k + 1);
  });
}

/** −dF/dT of the smoothed curve (centred differences, one-sided at the ends). */
export function meltDerivative(temps: readonly number[], fluor: readonly number[], window = 5): number[] {
  checkMelt(temps, fluor);
  const s = movingAverage(fluor, window), n = s.length;
  return s.map((_, i) => {
    const a = Math.max(0, i - 1), b = Math.min(n - 1, i + 1);
    return -(s[b] - s[a]) / (temps[b] - temps[a]);
  });
}

/** Vertex of the parabola through three points (x0 < x1 < x2) with y1 ≥ y0, y2. */
function vertex(x0: number, x1: number, x2: number, y0: number, y1: number, y2: number): { x: number; y: number } {
  const d0 = (y1 - y0) / (x1 - x0), d1 = (y2 - y1) / (x2 - x1);
  const a = (d1 - d0) / (x2 - x0);
  if (!(a < 0)) return { x: x1, y: y1 };
  const b = d0 - a * (x0 + x1);
  const x = -b / (2 * a);
  return { x, y: y1 + (x - x1) * (d0 + a * (x - x0)) };
}

/** Prominence of the local maximum at i (scipy's definition). */
function prominence(d: readonly number[], i: number): number {
  let leftMin = d[i], rightMin = d[i];
  for (let j = i - 1; j >= 0 && d[j] <= d[i]; j--) leftMin = Math.min(leftMin, d[j]);
  for (let j = i + 1; j < d.length && d[j] <= d[i]; j++) rightMin = Math.min(rightMin, d[j]);
  return d[i] - Math.max(leftMin, rightMin);
}

/** Peaks of −dF/dT kept by the prominence rule, highest first. */
export function meltPeaks(temps: readonly number[], derivative: readonly number[], minProminence = 0.1): MeltPeak[] {
  const all: MeltPeak[] = [];
  for (let i = 1; i < derivative.length - 1; i++) {
    const d = derivative;
    if (!(d[i] > d[i - 1] && d[i] >= d[i + 1] && d[i] > 0)) continue;
    const v = vertex(temps[i - 1], temps[i], temps[i + 1], d[i - 1], d[i], d[i + 1]);
    all.push({ tm: v.x, height: v.y, prominence: prominence(d, i), index: i });
  }
  all.sort((p, q) => q.height - p.height);
  if (all.length === 0) return all;
  const floor = minProminence * all[0].height;
  return all.filter((p, k) => k === 0 || p.prominence >= floor);
}

/** −dF/dT, its peaks and the multiple-peak / primer-dimer flags of one melt curve. */
export function analyseMelt(temps: readonly number[], fluor: readonly number[], opts: MeltOptions = {}): MeltAnalysis {
  const derivative = meltDerivative(temps, fluor, opts.window ?? 5);
  const peaks = meltPeaks(temps, derivative, opts.minProminence ?? 0.1);
  const gap = opts.dimerGap ?? 2, maxTm = opts.dimerMaxTm ?? 80;
  const main = peaks[0];
  const primerDimer = peaks.slice(1).some((p) => p.tm <= main.tm - gap && p.tm < maxTm);
  return { derivative, peaks, multiplePeaks: peaks.length > 1, primerDimer };
}

export interface TmOutlier { id: string; tm: number; z: number | null; deviation: number }

/** Main-peak Tm outliers among the reactions of one target (see the module comment). */
export function tmOutliers(reactions: readonly { id: string; tm: number }[], opts: { zLimit?: number; minDeviation?: number } = {}): TmOutlier[] {
  if (reactions.length < 3) return [];
  const zLimit = opts.zLimit ?? 3.5, minDev = opts.minDeviation ?? 0.5;
  const r = robustZ(reactions.map((x) => x.tm), 'Tm');
  return reactions
    .map((x, i) => ({ id: x.id, tm: x.tm, z: r.z[i], deviation: x.tm - r.median }))
    .filter((o) => Math.abs(o.deviation) > minDev && (o.z === null || Math.abs(o.z) > zLimit));
}
