/**
 * Port of R's lowess() (stats/src/lowess.c, clowess by W. S. Cleveland): points sorted by x (stable), span
 * ns = max(2, min(n, floor(f n + 1e-7))), tricube weights with the 0.001/0.999 h cut-offs, local linear fit when the
 * x spread allows, delta-skipping with linear interpolation, `iter` robustness iterations with bisquare weights on
 * 6 * median |residual|. Returns the sorted x and the smoothed values, like R's list(x, y).
 * LowessAt: approx(lowess(x, y, iter = 0), xout = at) for many inputs of one size (calibrate's bootstrap) on reused
 * buffers. Without robustness weights the points are fitted two at a time (lowestPair), with the same operations.
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

/**
 * The buffers of clowess for n points, reusable: sorted x and y (1-based), smoothed values, the weights of `lowest`,
 * robustness weights, the sweep (see sweep()) and the flags of the points needed.
 */
class ClowessWork {
  readonly x: Float64Array; readonly y: Float64Array; readonly ys: Float64Array; readonly res: Float64Array; readonly res2: Float64Array; readonly rw: Float64Array;
  readonly anchor: Uint8Array; readonly need: Uint8Array; readonly seen: Uint8Array;
  readonly nleft: Int32Array; readonly nright: Int32Array; readonly from: Int32Array; readonly to: Int32Array;
  /** the points with y ≠ 0 (ascending), and for each j the number of them before j (see nonzeroY) */
  readonly nz: Int32Array; readonly nzBefore: Int32Array;
  /** the value of the last successful `lowest` (fit2: the second point of `lowestPair`) */
  fit = 0; fit2 = 0;
  constructor(readonly n: number) {
    [this.x, this.y, this.ys, this.res, this.res2, this.rw] = Array.from({ length: 6 }, () => new Float64Array(n + 1));
    this.x[0] = NaN; this.y[0] = NaN;
    this.anchor = new Uint8Array(n + 1); this.need = new Uint8Array(n + 1); this.seen = new Uint8Array(n + 1);
    [this.nleft, this.nright, this.from, this.to] = Array.from({ length: 4 }, () => new Int32Array(n + 1));
    this.nz = new Int32Array(n); this.nzBefore = new Int32Array(n + 2);
  }
}

/**
 * Weighted local linear fit at xs (R's `lowest`), 1-based arrays as in the C code, weights in w.res (times w.rw
 * when userw). Sets w.fit and returns true, or returns false when all weights are 0.
 */
function lowest(w: ClowessWork, xs: number, nleft: number, nright: number, userw: boolean): boolean {
  const { x, y, n, res: wt, rw } = w;
  const range = x[n] - x[1];
  const h = Math.max(xs - x[nleft], x[nright] - xs);
  const h9 = 0.999 * h;
  const h1 = 0.001 * h;
  let a = 0;
  let j = nleft;
  for (; j <= n; j++) {
    const r = Math.abs(x[j] - xs);
    if (r <= h9) {
      let wj = r <= h1 ? 1 : fcube(1 - fcube(r / h));
      if (userw) wj *= rw[j];
      wt[j] = wj;
      a += wj;
    } else if (x[j] > xs) break;
    else wt[j] = 0;
  }
  const nrt = j - 1;
  if (a <= 0) return false;
  // normalise the weights and sum w x in the same pass (the same operations in the same order as the C code's loops)
  const sw = a;
  a = 0;
  for (j = nleft; j <= nrt; j++) { const wj = wt[j] / sw; wt[j] = wj; a += wj * x[j]; }
  let ys = 0;
  if (h > 0) {
    let c = 0;
    for (j = nleft; j <= nrt; j++) { const d = x[j] - a; c += wt[j] * d * d; }
    if (Math.sqrt(c) > 0.001 * range) {
      const b = (xs - a) / c;
      for (j = nleft; j <= nrt; j++) ys += wt[j] * (b * (x[j] - a) + 1) * y[j];
      w.fit = ys;
      return true;
    }
  }
  for (j = nleft; j <= nrt; j++) ys += wt[j] * y[j];
  w.fit = ys;
  return true;
}

/**
 * `lowest` (userw = false) at two points a and b at once, each with exactly lowest()'s operations in lowest()'s order
 * (interleaved, so that the two points' latency-bound sums overlap): both run over the union of the two windows,
 * where a point outside its own window has weight 0, and adding +0 or −0 to a sum that starts at +0 leaves it
 * unchanged; the local constant fit is the linear one with slope factor b = 0 (w (0 (x − a) + 1) y = w y exactly).
 * Sets w.fit and w.fit2 and returns true, or returns false when a point's weights are all 0 (then call lowest()).
 */
function lowestPair(w: ClowessWork, ia: number, ib: number): boolean {
  const { x, y, n, res: wa, res2: wb } = w;
  const xa = x[ia], xb = x[ib], la = w.nleft[ia], lb = w.nleft[ib];   // ia < ib, so xa <= xb
  const range = x[n] - x[1];
  const ha = Math.max(xa - x[la], x[w.nright[ia]] - xa), hb = Math.max(xb - x[lb], x[w.nright[ib]] - xb);
  const h9a = 0.999 * ha, h1a = 0.001 * ha, h9b = 0.999 * hb, h1b = 0.001 * hb;
  // lowest's scan at a point stops at the first x[j] > xs with |x[j] - xs| > h9, and so does every later j: the
  // union ends where both points' scans have stopped; inside it, a point's weight is lowest's (r <= h9 implies its
  // scan has not stopped) from its nleft on, else 0.
  const lo = Math.min(la, lb);
  let sa = 0, sb = 0, j = lo;
  for (; j <= n; j++) {
    const xj = x[j], ra = Math.abs(xj - xa), rb = Math.abs(xj - xb);
    if (xj > xb && ra > h9a && rb > h9b) break;
    const va = j >= la && ra <= h9a ? (ra <= h1a ? 1 : fcube(1 - fcube(ra / ha))) : 0;
    const vb = j >= lb && rb <= h9b ? (rb <= h1b ? 1 : fcube(1 - fcube(rb / hb))) : 0;
    wa[j] = va; wb[j] = vb; sa += va; sb += vb;
  }
  const hi = j - 1;
  if (!(sa > 0 && sb > 0)) return false;
  let ma = 0, mb = 0;
  for (let j = lo; j <= hi; j++) {
    const xj = x[j], va = wa[j] / sa, vb = wb[j] / sb;
    wa[j] = va; wb[j] = vb; ma += va * xj; mb += vb * xj;
  }
  let ca = 0, cb = 0;
  for (let j = lo; j <= hi; j++) { const da = x[j] - ma, db = x[j] - mb; ca += wa[j] * da * da; cb += wb[j] * db * db; }
  const ba = ha > 0 && Math.sqrt(ca) > 0.001 * range ? (xa - ma) / ca : 0;
  const bb = hb > 0 && Math.sqrt(cb) > 0.001 * range ? (xb - mb) / cb : 0;
  // the fitted values' sums over the points with y ≠ 0 only (nonzeroY): a point with y = 0 adds ±0, which leaves a
  // finite sum that starts at +0 unchanged (such a sum is never −0)
  let ya = 0, yb = 0;
  for (let q = w.nzBefore[lo], end = w.nzBefore[hi + 1]; q < end; q++) {
    const j = w.nz[q], xj = x[j], yj = y[j];
    ya += wa[j] * (ba * (xj - ma) + 1) * yj; yb += wb[j] * (bb * (xj - mb) + 1) * yj;
  }
  w.fit = ya; w.fit2 = yb;
  return true;
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
function sweep(w: ClowessWork, ns: number, delta: number): void {
  const { x, n, anchor } = w;
  anchor.fill(0);
  let nleft = 1, nright = ns, last = 0, i = 1;
  for (;;) {
    if (nright < n) {
      const d1 = x[i] - x[nleft];
      const d2 = x[nright + 1] - x[i];
      if (d1 > d2) { nleft++; nright++; continue; }
    }
    anchor[i] = 1; w.nleft[i] = nleft; w.nright[i] = nright;
    for (let j = last + 1; j < i; j++) { w.from[j] = last; w.to[j] = i; }
    last = i;
    const cut = x[last] + delta;
    for (i = last + 1; i <= n; i++) {
      if (x[i] > cut) break;
      if (x[i] === x[last]) { w.from[i] = last; w.to[i] = 0; last = i; }
    }
    i = Math.max(last + 1, i - 1);
    if (last >= n) return;
  }
}

/** w.nz: the points (1-based) with y ≠ 0, ascending; w.nzBefore[j]: how many of them are before j (j = 1 … n + 1). */
function nonzeroY(w: ClowessWork): void {
  const { y, n, nz, nzBefore } = w;
  let k = 0;
  for (let j = 1; j <= n; j++) { nzBefore[j] = k; if (y[j] !== 0) nz[k++] = j; }
  nzBefore[n + 1] = k;
}

/**
 * One pass of clowess's smoothing (robustness weights w.rw when userw) into w.ys: each anchor fitted, the other points
 * copied or interpolated in increasing order, exactly as the C code's sweep computes them. With `need` (w.need,
 * 1 = needed), only the points needed and what they are computed from are evaluated (the others stay NaN).
 */
function smoothPass(w: ClowessWork, userw: boolean, need: boolean): void {
  const { x, y, n, ys, anchor, from, to } = w;
  const nd = w.need;
  if (need) {
    for (let j = n; j >= 1; j--) if (nd[j] && !anchor[j]) { nd[from[j]] = 1; if (to[j]) nd[to[j]] = 1; }
    ys.fill(NaN);
  }
  if (!userw) nonzeroY(w);
  let pending = 0;   // without robustness weights, anchors are fitted in pairs (lowestPair)
  for (let i = 1; i <= n; i++) {
    if (!anchor[i] || (need && !nd[i])) continue;
    if (!userw && !pending) { pending = i; continue; }
    if (!userw && lowestPair(w, pending, i)) { ys[pending] = w.fit; ys[i] = w.fit2; pending = 0; continue; }
    if (pending) { ys[pending] = lowest(w, x[pending], w.nleft[pending], w.nright[pending], false) ? w.fit : y[pending]; pending = 0; }
    ys[i] = lowest(w, x[i], w.nleft[i], w.nright[i], userw) ? w.fit : y[i];
  }
  if (pending) ys[pending] = lowest(w, x[pending], w.nleft[pending], w.nright[pending], false) ? w.fit : y[pending];
  for (let j = 1; j <= n; j++) {
    if (anchor[j] || (need && !nd[j])) continue;
    const last = from[j], i = to[j];
    if (i === 0) { ys[j] = ys[last]; continue; }
    const alpha = (x[j] - x[last]) / (x[i] - x[last]);
    ys[j] = alpha * ys[i] + (1 - alpha) * ys[last];
  }
}

/** The span ns = max(2, min(n, floor(f n + 1e-7))). */
const span = (f: number, n: number): number => Math.max(2, Math.min(n, Math.trunc(f * n + 1e-7)));

/** clowess on sorted x (in w.x, w.y, n >= 2) into w.ys; `need` (nsteps = 0 only): w.need flags, see smoothPass. */
function clowess(w: ClowessWork, f: number, nsteps: number, delta: number, need: boolean): void {
  const { n, y, ys, rw } = w;
  sweep(w, span(f, n), delta);
  for (let iter = 1; iter <= nsteps + 1; iter++) {
    smoothPass(w, iter > 1, need && nsteps === 0);
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
}

/**
 * For each point v of `at`, the sorted points (1-based, in w.x) approx(x, ·, xout = at, ties = "first") reads: lo[k]
 * the first of the tied values just below v and hi[k] the first at or above it (0: none); sets their w.need flags.
 */
function brackets(w: ClowessWork, at: readonly number[], lo: Int32Array, hi: Int32Array): void {
  const { x, n, need } = w;
  need.fill(0);
  for (let k = 0; k < at.length; k++) {
    const v = at[k];
    let a = 1, b = n + 1;   // first index with x >= v
    while (a < b) { const mid = (a + b) >> 1; if (x[mid] < v) a = mid + 1; else b = mid; }
    let below = a - 1;
    while (below > 1 && x[below - 1] === x[below]) below--;
    hi[k] = a <= n ? a : 0;
    lo[k] = below;
    need[hi[k]] = 1; need[below] = 1;
  }
  need[0] = 0;
}

/** approx(x, ys, xout = v, ties = "first", rule = 1) from the brackets lo, hi of v (NaN outside the range, R's NA). */
function approxAt(w: ClowessWork, v: number, lo: number, hi: number): number {
  const { x, ys } = w;
  if (hi && x[hi] === v) return ys[hi];
  if (!hi || !lo || Number.isNaN(v)) return NaN;
  return ys[lo] + ((ys[hi] - ys[lo]) * (v - x[lo])) / (x[hi] - x[lo]);
}

function checkFinite(x: ArrayLike<number>, y: ArrayLike<number>): void {
  if (x.length !== y.length) throw new StatsError(`lowess: x has ${x.length} values but y has ${y.length}`);
  if (x.length === 0) throw new StatsError('lowess: no observations');
  for (let i = 0; i < x.length; i++) {
    if (!Number.isFinite(x[i]) || !Number.isFinite(y[i])) throw new StatsError(`lowess: missing or non-finite value at row ${i + 1}`);
  }
}

/**
 * Sorts (x, y) by x into w's 1-based buffers, by the given stable order of x (checked) or by stableOrder(x);
 * returns R's default delta 0.01 * diff(range(x)).
 */
function sortInto(w: ClowessWork, x: ArrayLike<number>, y: ArrayLike<number>, order?: ArrayLike<number>): number {
  let mn = Infinity, mx = -Infinity;
  for (let i = 0; i < x.length; i++) { mn = Math.min(mn, x[i]); mx = Math.max(mx, x[i]); }
  if (order) checkOrder(w, x, order);
  const o = order ?? stableOrder(x);
  for (let k = 0; k < o.length; k++) { w.x[k + 1] = x[o[k]]; w.y[k + 1] = y[o[k]]; }
  return 0.01 * (mx - mn);
}

/** A given order must be a permutation listing x ascending, ties in index order (what stableOrder gives). */
function checkOrder(w: ClowessWork, x: ArrayLike<number>, order: ArrayLike<number>): void {
  const seen = w.seen;
  seen.fill(0);
  let ok = order.length === x.length;
  for (let k = 0; k < order.length && ok; k++) {
    const b = order[k];
    ok = b >= 0 && b < x.length && !seen[b];
    if (ok && k > 0) { const a = order[k - 1]; ok = x[a] < x[b] || (x[a] === x[b] && a < b); }
    seen[b] = 1;
  }
  if (!ok) throw new Error('lowess: the order given is not the stable order of x');
}

/** R's lowess(x, y, f = 2/3, iter = 3, delta = 0.01 * diff(range(x))). */
export function lowess(x: number[], y: number[], opts: LowessOptions = {}): { x: number[]; y: number[] } {
  checkFinite(x, y);
  const f = opts.f ?? 2 / 3;
  const iter = opts.iter ?? 3;
  if (!(f > 0)) throw new StatsError(`lowess: f must be > 0, got ${f}`);
  if (!(Number.isInteger(iter) && iter >= 0)) throw new StatsError(`lowess: iter must be a non-negative integer, got ${iter}`);
  const n = x.length;
  const w = new ClowessWork(n);
  const rangeDelta = sortInto(w, x, y);
  const delta = opts.delta ?? rangeDelta;
  if (!(delta >= 0)) throw new StatsError(`lowess: delta must be >= 0, got ${delta}`);
  const xs = Array.from(w.x.subarray(1));
  if (n < 2) return { x: xs, y: Array.from(w.y.subarray(1)) };
  const need = opts.at !== undefined && iter === 0;
  if (need) { const m = opts.at!.length; brackets(w, opts.at!, new Int32Array(m), new Int32Array(m)); }
  clowess(w, f, iter, delta, need);
  return { x: xs, y: Array.from(w.ys.subarray(1)) };
}

/**
 * approx(lowess(x, y, iter = 0), xout = at, ties = "first") for many (x, y) of n points (rms's calibration curve over
 * bootstrap resamples), with buffers reused between calls: only the smoothed values the interpolation reads are
 * computed (exactly those of the full smooth, as lowess's `at` option).
 */
export class LowessAt {
  private readonly w: ClowessWork;
  private readonly lo: Int32Array;
  private readonly hi: Int32Array;
  constructor(readonly n: number, readonly at: readonly number[], readonly f = 2 / 3) {
    if (!(n >= 2)) throw new StatsError(`lowess: needs at least 2 points, got ${n}`);
    if (!(f > 0)) throw new StatsError(`lowess: f must be > 0, got ${f}`);
    this.w = new ClowessWork(n);
    this.lo = new Int32Array(at.length);
    this.hi = new Int32Array(at.length);
  }
  /**
   * out[k] = the smooth of (x, y) interpolated at at[k], NaN outside the range of x (R's NA). `order`, if the caller
   * has it: the stable order of x (stableOrder(x); checked).
   */
  run(x: ArrayLike<number>, y: ArrayLike<number>, out: Float64Array, order?: ArrayLike<number>): void {
    if (x.length !== this.n) throw new StatsError(`lowess: ${x.length} points where ${this.n} were planned`);
    checkFinite(x, y);
    const w = this.w;
    const delta = sortInto(w, x, y, order);
    brackets(w, this.at, this.lo, this.hi);
    clowess(w, this.f, 0, delta, true);
    for (let k = 0; k < this.at.length; k++) out[k] = approxAt(w, this.at[k], this.lo[k], this.hi[k]);
  }
}
