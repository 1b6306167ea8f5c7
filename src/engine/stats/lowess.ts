/**
 * Port of R's lowess() (stats/src/lowess.c, clowess by W. S. Cleveland): points sorted by x (stable), span
 * ns = max(2, min(n, floor(f n + 1e-7))), tricube weights with the 0.001/0.999 h cut-offs, local linear fit when the
 * x spread allows, delta-skipping with linear interpolation, `iter` robustness iterations with bisquare weights on
 * 6 * median |residual|. Returns the sorted x and the smoothed values, like R's list(x, y).
 */
import { StatsError } from './errors';
import { stableOrder } from './order';

export interface LowessOptions {
  f?: number;
  iter?: number;
  delta?: number;
  /**
   * With iter = 0 only: the smoothed values are needed only to interpolate at these points (approx(x, y, xout = at,
   * ties = "first"), as rms's calibration curve): the other smoothed values are not computed and are NaN.
   * The values that are computed are exactly those of the full smooth.
   */
  at?: readonly number[];
}

const fcube = (x: number): number => x * x * x;
const fsquare = (x: number): number => x * x;

/** Weighted local linear fit at xs (R's `lowest`), 1-based arrays as in the C code. Returns null when all weights are 0. */
function lowest(x: Float64Array, y: Float64Array, n: number, xs: number, nleft: number, nright: number, w: Float64Array, userw: boolean, rw: Float64Array): number | null {
  const range = x[n] - x[1];
  const h = Math.max(xs - x[nleft], x[nright] - xs);
  const h9 = 0.999 * h;
  const h1 = 0.001 * h;
  let a = 0;
  let j = nleft;
  while (j <= n) {
    w[j] = 0;
    const r = Math.abs(x[j] - xs);
    if (r <= h9) {
      w[j] = r <= h1 ? 1 : fcube(1 - fcube(r / h));
      if (userw) w[j] *= rw[j];
      a += w[j];
    } else if (x[j] > xs) break;
    j++;
  }
  const nrt = j - 1;
  if (a <= 0) return null;
  // normalise the weights and sum w x in the same pass (the same operations in the same order as the C code's loops)
  const sw = a;
  a = 0;
  for (j = nleft; j <= nrt; j++) { w[j] /= sw; a += w[j] * x[j]; }
  let ys = 0;
  if (h > 0) {
    let b = xs - a;
    let c = 0;
    for (j = nleft; j <= nrt; j++) c += w[j] * (x[j] - a) * (x[j] - a);
    if (Math.sqrt(c) > 0.001 * range) {
      b /= c;
      for (j = nleft; j <= nrt; j++) { w[j] *= b * (x[j] - a) + 1; ys += w[j] * y[j]; }
      return ys;
    }
  }
  for (j = nleft; j <= nrt; j++) ys += w[j] * y[j];
  return ys;
}

/** k-th smallest (0-based) of a copy, as rPsort's partial sort gives. */
function kth(v: number[], k: number): number {
  return v.slice().sort((a, b) => a - b)[k];
}

/**
 * clowess's sweep over sorted x (1-based), which depends on x only: the points fitted by `lowest` (anchors, with their
 * windows nleft..nright), and for every other point j the earlier point from[j] it copies (to[j] = 0: a tie of it)
 * or the two points from[j] < j < to[j] it is interpolated between (to[j] an anchor).
 */
interface Sweep { anchor: Uint8Array; nleft: Int32Array; nright: Int32Array; from: Int32Array; to: Int32Array }
function sweep(x: Float64Array, n: number, ns: number, delta: number): Sweep {
  const s: Sweep = { anchor: new Uint8Array(n + 1), nleft: new Int32Array(n + 1), nright: new Int32Array(n + 1), from: new Int32Array(n + 1), to: new Int32Array(n + 1) };
  let nleft = 1, nright = ns, last = 0, i = 1;
  for (;;) {
    if (nright < n) {
      const d1 = x[i] - x[nleft];
      const d2 = x[nright + 1] - x[i];
      if (d1 > d2) { nleft++; nright++; continue; }
    }
    s.anchor[i] = 1; s.nleft[i] = nleft; s.nright[i] = nright;
    for (let j = last + 1; j < i; j++) { s.from[j] = last; s.to[j] = i; }
    last = i;
    const cut = x[last] + delta;
    for (i = last + 1; i <= n; i++) {
      if (x[i] > cut) break;
      if (x[i] === x[last]) { s.from[i] = last; s.to[i] = 0; last = i; }
    }
    i = Math.max(last + 1, i - 1);
    if (last >= n) return s;
  }
}

/**
 * One pass of clowess's smoothing (robustness weights rw when userw): each anchor fitted, the other points copied or
 * interpolated in increasing order, exactly as the C code's sweep computes them. With `need` (1 = needed), only the
 * points needed and what they are computed from are evaluated (the others stay NaN).
 */
function smoothPass(x: Float64Array, y: Float64Array, n: number, sw: Sweep, ys: Float64Array, res: Float64Array, userw: boolean, rw: Float64Array, need?: Uint8Array): void {
  if (need) {
    for (let j = n; j >= 1; j--) if (need[j] && !sw.anchor[j]) { need[sw.from[j]] = 1; if (sw.to[j]) need[sw.to[j]] = 1; }
    ys.fill(NaN);
  }
  for (let i = 1; i <= n; i++) {
    if (!sw.anchor[i] || (need && !need[i])) continue;
    const fit = lowest(x, y, n, x[i], sw.nleft[i], sw.nright[i], res, userw, rw);
    ys[i] = fit === null ? y[i] : fit;
  }
  for (let j = 1; j <= n; j++) {
    if (sw.anchor[j] || (need && !need[j])) continue;
    const last = sw.from[j], i = sw.to[j];
    if (i === 0) { ys[j] = ys[last]; continue; }
    const alpha = (x[j] - x[last]) / (x[i] - x[last]);
    ys[j] = alpha * ys[i] + (1 - alpha) * ys[last];
  }
}

/** clowess on sorted x; 0-based in/out. `need` (1-based, nsteps = 0 only): see smoothPass. */
function clowess(x0: number[], y0: number[], f: number, nsteps: number, delta: number, need?: Uint8Array): number[] {
  const n = x0.length;
  if (n < 2) return y0.slice();
  const x = new Float64Array(n + 1);
  const y = new Float64Array(n + 1);
  x[0] = NaN; x.set(x0, 1);
  y[0] = NaN; y.set(y0, 1);
  const ys = new Float64Array(n + 1);
  const rw = new Float64Array(n + 1);      // 1-based robustness weights
  const res = new Float64Array(n + 1);     // 1-based work array for weights
  const ns = Math.max(2, Math.min(n, Math.trunc(f * n + 1e-7)));
  const sw = sweep(x, n, ns, delta);
  for (let iter = 1; iter <= nsteps + 1; iter++) {
    smoothPass(x, y, n, sw, ys, res, iter > 1, rw, nsteps === 0 ? need : undefined);
    if (iter > nsteps) break;
    const r0 = new Array<number>(n);
    for (let k = 0; k < n; k++) r0[k] = y[k + 1] - ys[k + 1];
    let sc = 0;
    for (let k = 0; k < n; k++) sc += Math.abs(r0[k]);
    sc /= n;
    const absr = r0.map(Math.abs);
    const m1 = Math.floor(n / 2);
    let cmad: number;
    if (n % 2 === 0) {
      const m2 = n - m1 - 1;
      cmad = 3 * (kth(absr, m1) + kth(absr, m2));
    } else cmad = 6 * kth(absr, m1);
    if (cmad < 1e-7 * sc) break;
    const c9 = 0.999 * cmad;
    const c1 = 0.001 * cmad;
    for (let k = 0; k < n; k++) {
      const r = absr[k];
      rw[k + 1] = r <= c1 ? 1 : r <= c9 ? fsquare(1 - fsquare(r / cmad)) : 0;
    }
  }
  const out = new Array<number>(n);
  for (let k = 0; k < n; k++) out[k] = ys[k + 1];
  return out;
}

/**
 * 1-based flags of the sorted xs whose smoothed values approx(xs, ·, xout = at, ties = "first") reads: for each
 * point of `at`, the first of the tied values just below it and the first at or above it.
 */
function neededFor(xs: number[], at: readonly number[]): Uint8Array {
  const n = xs.length;
  const need = new Uint8Array(n + 1);
  const first = new Int32Array(n);
  for (let k = 0; k < n; k++) first[k] = k > 0 && xs[k] === xs[k - 1] ? first[k - 1] : k;
  for (const v of at) {
    let lo = 0, hi = n;
    while (lo < hi) { const mid = (lo + hi) >> 1; if (xs[mid] < v) lo = mid + 1; else hi = mid; }
    if (lo < n) need[first[lo] + 1] = 1;
    if (lo > 0) need[first[lo - 1] + 1] = 1;
  }
  return need;
}

/** R's lowess(x, y, f = 2/3, iter = 3, delta = 0.01 * diff(range(x))). */
export function lowess(x: number[], y: number[], opts: LowessOptions = {}): { x: number[]; y: number[] } {
  if (x.length !== y.length) throw new StatsError(`lowess: x has ${x.length} values but y has ${y.length}`);
  if (x.length === 0) throw new StatsError('lowess: no observations');
  for (let i = 0; i < x.length; i++) {
    if (!Number.isFinite(x[i]) || !Number.isFinite(y[i])) throw new StatsError(`lowess: missing or non-finite value at row ${i + 1}`);
  }
  const f = opts.f ?? 2 / 3;
  const iter = opts.iter ?? 3;
  if (!(f > 0)) throw new StatsError(`lowess: f must be > 0, got ${f}`);
  if (!(Number.isInteger(iter) && iter >= 0)) throw new StatsError(`lowess: iter must be a non-negative integer, got ${iter}`);
  let mn = Infinity, mx = -Infinity;
  for (const v of x) { mn = Math.min(mn, v); mx = Math.max(mx, v); }
  const delta = opts.delta ?? 0.01 * (mx - mn);
  if (!(delta >= 0)) throw new StatsError(`lowess: delta must be >= 0, got ${delta}`);
  const o = stableOrder(x);
  const xs = new Array<number>(o.length), yv = new Array<number>(o.length);
  for (let k = 0; k < o.length; k++) { xs[k] = x[o[k]]; yv[k] = y[o[k]]; }
  return { x: xs, y: clowess(xs, yv, f, iter, delta, opts.at && iter === 0 ? neededFor(xs, opts.at) : undefined) };
}
