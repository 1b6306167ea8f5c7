/**
 * LinRegPCR per reaction, restated from rdmlpython (rdml.py, Run.linRegPCR and the helpers _lrp_testSlopes2 and
 * _lrp_testSlopes3): the derivative-based quantification cycle TD0, the window of linearity and the iterative
 * baseline. Pure functions over one reaction's gap-free fluorescence (index 0 = cycle 1). Not a copy: the same
 * arithmetic in the same order, so the numbers agree with rdmlpython to rounding.
 */

/** Least squares of log10(y[i]) on the index i over y[from..to] (inclusive), summed as _lrp_testSlopes2/3 do. */
export interface LogLine { slope: number; intercept: number; correl: number; meanX: number; meanLogY: number }

export function logLine(y: ArrayLike<number>, from: number, to: number): LogLine {
  let sx = 0, sy = 0, sxx = 0, sxy = 0, syy = 0, n = 0;
  for (let i = from; i <= to; i++) {
    const x = i, ly = Math.log10(y[i]);
    sx += x; sy += ly; sxx += x * x; sxy += x * ly; syy += ly * ly; n += 1;
  }
  if (n === 0) return { slope: -999.9, intercept: -999.9, correl: -999.9, meanX: -999.9, meanLogY: -999.9 };
  const ssx = sxx - (sx * sx) / n, ssy = syy - (sy * sy) / n, cxy = sxy - (sx * sy) / n;
  const slope = cxy / ssx;
  return { slope, intercept: sy / n - (slope * sx) / n, correl: cxy / Math.sqrt(ssx * ssy), meanX: sx / n, meanLogY: sy / n };
}

/** _lrp_testSlopes2: log-slopes of the lower and the upper half of a section (odd length: the middle is in both). */
export function halfSlopes(sec: ArrayLike<number>): [number, number] {
  const center = sec.length / 2;
  return [logLine(sec, 0, Math.trunc(center - 0.4)).slope, logLine(sec, Math.trunc(center), sec.length - 1).slope];
}

/** The cycle-wise derivatives of rdmlpython's "Calculate first, second and third derivative" block (NaN = none). */
function derivatives(f: Float64Array): { fd: Float64Array; meanSd: Float64Array; td: Float64Array } {
  const n = f.length;
  const fd = new Float64Array(Math.max(n - 1, 0)).fill(NaN), sd = new Float64Array(n).fill(NaN);
  const meanSd = new Float64Array(n).fill(NaN), td = new Float64Array(Math.max(n - 1, 0)).fill(NaN);
  for (let j = 0; j < n - 1; j++) fd[j] = f[j + 1] - f[j];
  for (let i = 1; i < n - 1; i++) sd[i] = fd[i] - fd[i - 1];
  for (let i = 1; i < n - 1; i++) meanSd[i] = (sd[i - 1] + sd[i] + sd[i + 1]) / 3.0;
  for (let j = 0; j < n - 1; j++) td[j] = meanSd[j + 1] - meanSd[j];
  return { fd, meanSd, td };
}

/** Index of the first maximum ignoring NaN (numpy nanargmax), -1 when all are NaN. */
function nanArgMax(x: ArrayLike<number>): number {
  let best = -1;
  for (let i = 0; i < x.length; i++) if (!Number.isNaN(x[i]) && (best < 0 || x[i] > x[best])) best = i;
  return best;
}

/** What rdmlpython derives from the raw curve before any baseline: TD0 (the Cq, -1 when none) and its start. */
export interface Td0 { td0: number; minBySD: number; fourCycles: boolean }

/** Cycle after the first-derivative maximum (+2 while the curve still rises there), as rdmlpython's maxFD. */
function maxFdCycle(f: Float64Array, fd: Float64Array): number {
  const n = f.length;
  let maxFD = nanArgMax(fd) + 1;
  if (maxFD <= n - 2) {
    if (f[maxFD + 1] > f[maxFD] && f[maxFD] > f[maxFD - 1]) maxFD += 2;
  } else maxFD = n;
  return maxFD;
}

/** TD0: the zero crossing of the third derivative left of the second-derivative maximum (rdmlpython's rawTD0). */
export function findTd0(f: Float64Array): Td0 {
  const n = f.length;
  const { fd, meanSd, td } = derivatives(f);
  const maxFD = maxFdCycle(f, fd);
  let maxSD = n, maxMeanSD = 0.0;
  for (let cyc = 3; cyc < maxFD; cyc++) {
    const v = meanSd[cyc - 1];
    if (!Number.isNaN(v) && v - maxMeanSD > 0.0) { maxMeanSD = v; maxSD = cyc; }
  }
  if (maxSD + 2 >= n) maxSD = n;
  let minBySD = maxSD;
  while (minBySD > 3 && f[minBySD - 2] < f[minBySD - 1]) minBySD--;
  let maxBySD = maxSD;
  if (maxBySD < n && f[maxBySD - 1] < f[maxBySD]) maxBySD++;
  const stop = Math.min(n - 1, maxSD + 2, maxBySD - 1);
  let td0 = -1;
  for (let cyc = stop - 1; cyc >= minBySD; cyc--) {
    if (td[cyc] >= 0.0 && td[cyc + 1] < 0.0) { td0 = cyc + 1.5 + td[cyc] / (td[cyc] - td[cyc + 1]); break; }
  }
  return { td0, minBySD, fourCycles: Math.trunc(td0) - minBySD + 1 > 3 };
}

/** Result of the window-of-linearity search; error 0 = found (the codes are rdmlpython's "baseline error"). */
export interface Window {
  error: number; start: number; stop: number; nIncluded: number;
  background?: number; eff: number; effX: number; effY: number; r2: number; nNull: number;
}

/** The window [start, stop] in cycles ending half a cycle before TD0, at most 9 cycles, or the error code. */
function windowBounds(td0: number, minBySD: number): { error: number; start: number; stop: number; nIncluded: number } {
  if (td0 < 3.0) return { error: 2, start: -1, stop: -1, nIncluded: -1 };
  const stop = Math.trunc(td0 - 0.5);
  if (stop < 4) return { error: 3, start: -1, stop: -1, nIncluded: -1 };
  const start = Math.max(minBySD + 1, stop - 9 + 1);
  const nIncluded = stop - start + 1;
  return { error: nIncluded < 4 ? 4 : 0, start, stop, nIncluded };
}

/**
 * rdmlpython's baseline loop: within the window, the constant baseline that makes the log-slopes of the lower and
 * upper halves equal (|difference| < 1e-5), found by halving steps from half the first window value (50 steps).
 * Errors: 5 = the lower half rises faster than the upper (no exponential phase), 6 = the window is not curved the
 * way an exponential is above its baseline (unstable baseline), 1 = no convergence.
 */
export function fitWindow(pos: Float64Array, t: Td0): Window {
  const b = windowBounds(t.td0, t.minBySD);
  const none = { ...b, eff: 1.0, effX: -1, effY: -1, r2: -1, nNull: 0 };
  if (b.error !== 0) return none;
  const sel = pos.slice(b.start - 1, b.stop);
  const [lo0, hi0] = halfSlopes(sel);
  if (lo0 > hi0) return { ...none, error: 5 };
  const [lo1, hi1] = halfSlopes(sel.map((v) => v - sel[0] + 0.00000001));
  if (lo1 < hi1) return { ...none, error: 6 };
  let base = sel[0] * 0.5, step = base * 0.5;
  for (let loop = 0; loop < 50; loop++) {
    const cur = sel.map((v) => v - base);
    const [lo, hi] = halfSlopes(cur);
    if (Math.abs(lo - hi) < 0.00001) {
      const all = logLine(cur, 0, cur.length - 1);
      return {
        ...b, background: base, eff: Math.pow(10, hi), effX: all.meanX + b.start,
        effY: Math.pow(10, all.meanLogY), r2: all.correl * all.correl, nNull: Math.pow(10, all.intercept),
      };
    }
    base += lo > hi ? -step : step;
    step *= 0.5;
  }
  return { ...none, error: 1 };
}
