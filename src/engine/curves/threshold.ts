/**
 * Baseline correction and Cq at a threshold (issue 20).
 *
 * Baseline: by default the least-squares straight line through the fluorescence of the baseline cycles (Bio-Rad CFX's
 * "Baseline Subtracted": the best straight line through the baseline cycles, subtracted at every cycle), over cycles
 * 3–15 (the Applied Biosystems 7500/QuantStudio default range); `method: 'mean'` subtracts their mean instead (a flat
 * baseline). The noise of a curve is R's sd() of the corrected values over the baseline cycles.
 *
 * Cq at threshold T: the fractional cycle where the corrected curve last crosses T upwards before its maximum (a noisy
 * baseline point above T earlier does not count), interpolated between the two cycles around the crossing: linearly in
 * fluorescence by default (the instrument manuals read do not state their interpolation), or linearly in
 * ln(fluorescence) ('log': exact for exponential growth between the two cycles; rdmlpython's LinRegPCR code interpolates
 * fluorescence between cycles on the log10 scale the same way).
 *
 * Automatic threshold: 10 × the median of the baseline SDs of the curves of one target (Applied Biosystems' rule of 10
 * standard deviations of the baseline; the median so that one noisy well does not move everybody's threshold).
 */
import { sd } from '../stats/basic';
import { median } from '../stats/descriptive';
import { StatsError } from '../stats/errors';

export interface BaselineOptions {
  /** First and last baseline cycle, inclusive (cycle numbers, not indices); default 3 and 15. */
  start?: number;
  end?: number;
  /** 'linear' (default): subtract the least-squares line; 'mean': subtract the mean. */
  method?: 'linear' | 'mean';
}

export interface Baseline {
  /** Fluorescence minus the baseline at every cycle. */
  corrected: number[];
  /** The baseline at cycle x is intercept + slope · x (slope 0 for 'mean'). */
  intercept: number;
  slope: number;
  /** R's sd() of the corrected values over the baseline cycles (the noise the automatic threshold uses). */
  sd: number;
  /** Number of baseline cycles used. */
  n: number;
}

function checkCurve(cycles: readonly number[], fluor: readonly number[], fn: string): void {
  if (cycles.length !== fluor.length) throw new StatsError(`${fn}: ${cycles.length} cycles but ${fluor.length} fluorescence values`);
  for (let i = 0; i < cycles.length; i++) {
    if (!Number.isFinite(cycles[i]) || !Number.isFinite(fluor[i])) throw new StatsError(`${fn}: non-finite value at index ${i} (cycle ${cycles[i]})`);
  }
}

/** Subtracts the baseline fitted over cycles start..end (see the module comment). */
export function baselineCorrect(cycles: readonly number[], fluor: readonly number[], opts: BaselineOptions = {}): Baseline {
  checkCurve(cycles, fluor, 'baseline');
  const start = opts.start ?? 3, end = opts.end ?? 15, method = opts.method ?? 'linear';
  if (!(start <= end)) throw new StatsError(`baseline: start cycle ${start} is after end cycle ${end}`);
  const idx = cycles.map((c, i) => (c >= start && c <= end ? i : -1)).filter((i) => i >= 0);
  const need = method === 'linear' ? 3 : 2;
  if (idx.length < need) throw new StatsError(`baseline: cycles ${start}–${end} hold ${idx.length} point(s); the ${method} baseline needs at least ${need}`);
  const xs = idx.map((i) => cycles[i]), ys = idx.map((i) => fluor[i]);
  const mx = xs.reduce((a, v) => a + v, 0) / xs.length, my = ys.reduce((a, v) => a + v, 0) / ys.length;
  let slope = 0;
  if (method === 'linear') {
    let sxy = 0, sxx = 0;
    for (let k = 0; k < xs.length; k++) { sxy += (xs[k] - mx) * (ys[k] - my); sxx += (xs[k] - mx) ** 2; }
    slope = sxy / sxx;
  }
  const intercept = my - slope * mx;
  const corrected = fluor.map((f, i) => f - (intercept + slope * cycles[i]));
  return { corrected, intercept, slope, sd: sd(idx.map((i) => corrected[i]), 'baseline'), n: idx.length };
}

/**
 * The fractional cycle where `corrected` crosses `threshold` (see the module comment), or null when the curve never
 * reaches it or is already above it at the first cycle. 'log' needs the value below the crossing and the threshold to
 * be > 0 (ln); when baseline noise puts that value at or below 0 the crossing is interpolated linearly.
 */
export function thresholdCq(cycles: readonly number[], corrected: readonly number[], threshold: number, interpolation: 'linear' | 'log' = 'linear'): number | null {
  checkCurve(cycles, corrected, 'threshold Cq');
  if (!Number.isFinite(threshold)) throw new StatsError(`threshold Cq: threshold ${threshold} is not a finite number`);
  if (corrected.length === 0) return null;
  let top = 0;
  for (let i = 1; i < corrected.length; i++) if (corrected[i] > corrected[top]) top = i;
  if (corrected[top] < threshold) return null;
  let i = top;
  while (i > 0 && corrected[i - 1] >= threshold) i--;
  if (i === 0) return null;
  const x0 = cycles[i - 1], x1 = cycles[i];
  let y0 = corrected[i - 1], y1 = corrected[i], t = threshold;
  if (interpolation === 'log' && y0 > 0 && t > 0) { y0 = Math.log(y0); y1 = Math.log(y1); t = Math.log(t); }
  return x0 + ((t - y0) / (y1 - y0)) * (x1 - x0);
}

/** 10 (or `factor`) × the median baseline SD of the curves of one target. */
export function autoThreshold(baselineSds: readonly number[], factor = 10): number {
  if (baselineSds.length === 0) throw new StatsError('automatic threshold: no curves');
  return factor * median(baselineSds, 'baseline SD');
}
