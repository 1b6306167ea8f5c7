/**
 * Sigmoid fits of an amplification curve and the Cq at the maximum of their second derivative (issue 20), as qpcR's
 * l4/l5 models and efficiency():
 *
 *   l5: F(x) = c + (d − c) / (1 + exp(b (ln x − ln e)))^f,   l4: the same with f = 1,
 *
 * x the cycle (> 0), c the lower and d the upper asymptote, e the inflection-ish point, b < 0 for a rising curve.
 * Start values are qpcR's ssFct (d = max + 0.001, c = min − 0.001, b and e from the least-squares line of
 * ln((d − F)/(F − c)) on ln x over F > 0, f = 1); the least-squares optimum is found by Levenberg–Marquardt with
 * Marquardt's diagonal scaling (what minpack.lm's nlsLM, qpcR's fitter, does).
 *
 * cpD1 and cpD2 are the cycles of the maxima of dF/dx and d²F/dx² of the fitted curve over [min x, max x]. qpcR takes
 * the argmax on a 0.01-cycle grid and rounds to 2 decimals; here the grid maximum is refined to the exact stationary
 * point (the root of the next analytic derivative by bisection), so the value is qpcR's up to its 0.005 grid rounding.
 */
import { checkFinite, magnitudeScale } from '../stats/basic';
import { StatsError } from '../stats/errors';
import { SingularMatrixError, solveSpd } from '../stats/linalg';

export type SigmoidModel = 'l4' | 'l5';

/** Parameters in qpcR's order and naming; f is 1 for l4. */
export interface SigmoidParams { b: number; c: number; d: number; e: number; f: number }

export interface SigmoidFit {
  model: SigmoidModel;
  params: SigmoidParams;
  /** Residual sum of squares at the optimum (overflows to Infinity for fluorescence beyond about 1e150). */
  rss: number;
  iterations: number;
  converged: boolean;
  /** Cycle of the maximum of the first derivative (qpcR cpD1). */
  cpD1: number;
  /** Cycle of the maximum of the second derivative (qpcR cpD2), the sigmoid Cq. */
  cpD2: number;
}

/** ln(1 + eˢ) without overflow. */
function softplus(s: number): number {
  return s > 0 ? s + Math.log1p(Math.exp(-s)) : Math.log1p(Math.exp(s));
}

/** The pieces every formula shares at x: s = b(ln x − ln e), p = eˢ/(1 + eˢ), g = (1 + eˢ)^−f. */
function pieces(x: number, q: SigmoidParams): { s: number; p: number; g: number; lnq: number } {
  const s = q.b * (Math.log(x) - Math.log(q.e));
  const lnq = softplus(s);
  return { s, p: 1 / (1 + Math.exp(-s)), g: Math.exp(-q.f * lnq), lnq };
}

/** F(x) of the fitted model. */
export function sigmoidValue(x: number, q: SigmoidParams): number {
  return q.c + (q.d - q.c) * pieces(x, q).g;
}

/**
 * dF/dx, d²F/dx², d³F/dx³. With u = ln x and g(s) = (1 + eˢ)^−f: g′ = −f p g, g″ = −f p g h, g‴ = −f p g (h² − (1 + f) p (1 − p))
 * where h = 1 − (1 + f) p; F_u = (d − c) b g′ (and b², b³ for the higher ones), then F_x = F_u / x,
 * F_xx = (F_uu − F_u) / x², F_xxx = (F_uuu − 3 F_uu + 2 F_u) / x³.
 */
export function sigmoidDerivatives(x: number, q: SigmoidParams): [number, number, number] {
  const { p, g } = pieces(x, q);
  const h = 1 - (1 + q.f) * p;
  const k = -(q.d - q.c) * q.f * p * g;
  const fu = k * q.b, fuu = k * q.b * q.b * h, fuuu = k * q.b ** 3 * (h * h - (1 + q.f) * p * (1 - p));
  return [fu / x, (fuu - fu) / (x * x), (fuuu - 3 * fuu + 2 * fu) / (x * x * x)];
}

/** ∂F/∂(b, c, d, e[, f]) at x: the Jacobian row. */
function gradient(x: number, q: SigmoidParams, model: SigmoidModel): number[] {
  const { p, g, lnq } = pieces(x, q);
  const gs = -q.f * p * g, amp = q.d - q.c;
  const row = [amp * gs * (Math.log(x) - Math.log(q.e)), 1 - g, g, amp * gs * (-q.b / q.e)];
  if (model === 'l5') row.push(-amp * g * lnq);
  return row;
}

function toParams(v: readonly number[]): SigmoidParams {
  return { b: v[0], c: v[1], d: v[2], e: v[3], f: v.length > 4 ? v[4] : 1 };
}

function rssOf(x: readonly number[], y: readonly number[], q: SigmoidParams): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) { const r = y[i] - sigmoidValue(x[i], q); s += r * r; }
  return s;
}

/** qpcR's self-starting values (ssFct of l4/l5). */
export function sigmoidStart(x: readonly number[], y: readonly number[]): SigmoidParams {
  let lo = Infinity, hi = -Infinity;
  for (const v of y) { lo = Math.min(lo, v); hi = Math.max(hi, v); }
  const d = hi + 0.001, c = lo - 0.001;
  const u: number[] = [], t: number[] = [];
  for (let i = 0; i < x.length; i++) if (y[i] > 0) { u.push(Math.log(x[i])); t.push(Math.log((d - y[i]) / (y[i] - c))); }
  if (u.length < 2) throw new StatsError('sigmoid start values need at least 2 positive fluorescence values');
  const mu = u.reduce((a, v) => a + v, 0) / u.length, mt = t.reduce((a, v) => a + v, 0) / t.length;
  let sxy = 0, sxx = 0;
  for (let i = 0; i < u.length; i++) { sxy += (u[i] - mu) * (t[i] - mt); sxx += (u[i] - mu) ** 2; }
  const b = sxy / sxx, intercept = mt - b * mu;
  const e = Math.exp(-intercept / b);
  if (!(Number.isFinite(b) && b !== 0 && e > 0 && Number.isFinite(e))) throw new StatsError('sigmoid fit: the fluorescence has no sigmoid trend (constant or too flat for start values)');
  return { b, c, d, e, f: 1 };
}

/** Normal equations JᵀJ and Jᵀr at q. */
function normalEquations(x: readonly number[], y: readonly number[], q: SigmoidParams, model: SigmoidModel): { a: number[][]; g: number[] } {
  const n = model === 'l5' ? 5 : 4;
  const a = Array.from({ length: n }, () => new Array<number>(n).fill(0)), g = new Array<number>(n).fill(0);
  for (let i = 0; i < x.length; i++) {
    const j = gradient(x[i], q, model), r = y[i] - sigmoidValue(x[i], q);
    for (let k = 0; k < n; k++) { g[k] += j[k] * r; for (let l = 0; l <= k; l++) a[k][l] += j[k] * j[l]; }
  }
  for (let k = 0; k < n; k++) for (let l = 0; l < k; l++) a[l][k] = a[k][l];
  return { a, g };
}

/** One damped step (JᵀJ + λ diag(JᵀJ)) δ = Jᵀr; null when the system is singular at this λ. */
function dampedStep(a: number[][], g: number[], lambda: number): number[] | null {
  const m = a.map((row, k) => row.map((v, l) => (k === l ? v * (1 + lambda) : v)));
  try { return solveSpd(m, g, 1e-300); } catch (err) { if (err instanceof SingularMatrixError) return null; throw err; }
}

/**
 * Levenberg–Marquardt from `start`: stops when an accepted step changes the RSS by less than 1e-14 relative or every
 * parameter by less than 1e-10 relative, or when no damping up to 1e16 lowers the RSS (a minimum to working precision).
 */
function levenbergMarquardt(x: readonly number[], y: readonly number[], model: SigmoidModel, start: SigmoidParams, maxIter: number) {
  let v = model === 'l5' ? [start.b, start.c, start.d, start.e, start.f] : [start.b, start.c, start.d, start.e];
  let rss = rssOf(x, y, toParams(v)), lambda = 1e-3, iter = 0;
  while (iter < maxIter) {
    iter++;
    const { a, g } = normalEquations(x, y, toParams(v), model);
    let accepted = false;
    while (lambda < 1e16) {
      const step = dampedStep(a, g, lambda);
      const cand = step ? v.map((p, k) => p + step[k]) : null;
      const candRss = cand && cand[3] > 0 ? rssOf(x, y, toParams(cand)) : Infinity;
      if (cand && Number.isFinite(candRss) && candRss <= rss) {
        const small = step!.every((s, k) => Math.abs(s) <= 1e-10 * (Math.abs(v[k]) + 1e-10));
        const flat = rss - candRss <= 1e-14 * rss;
        v = cand; rss = candRss; lambda = Math.max(lambda / 10, 1e-12); accepted = true;
        if (small || flat) return { v, rss, iter, converged: true };
        break;
      }
      lambda *= 10;
    }
    if (!accepted) return { v, rss, iter, converged: true };
  }
  return { v, rss, iter, converged: false };
}

/**
 * Cycle of the maximum of dF/dx (order 1) or d²F/dx² (order 2) over [lo, hi]: the 0.01 grid maximum (qpcR), then the
 * root of the next derivative between the grid neighbours by bisection when it changes sign there.
 */
export function derivativeMaximum(q: SigmoidParams, order: 1 | 2, lo: number, hi: number): number {
  const at = (x: number, k: number) => sigmoidDerivatives(x, q)[k];
  const steps = Math.round((hi - lo) / 0.01);
  let best = lo, bestV = -Infinity;
  for (let i = 0; i <= steps; i++) { const x = lo + i * 0.01, v = at(x, order - 1); if (v > bestV) { bestV = v; best = x; } }
  let a = Math.max(lo, best - 0.01), b = Math.min(hi, best + 0.01);
  let fa = at(a, order);
  if (!(fa > 0 && at(b, order) < 0)) return best;
  for (let i = 0; i < 200 && b - a > 1e-13 * Math.abs(b); i++) {
    const m = (a + b) / 2, fm = at(m, order);
    if (fm > 0) { a = m; fa = fm; } else b = m;
  }
  return (a + b) / 2;
}

/**
 * Least-squares fit of l4 or l5 to one curve (cycles must be > 0) and its cpD1/cpD2. Throws StatsError when the
 * curve cannot be fitted (too few points, non-finite values, no positive fluorescence, no trend, divergence);
 * `converged` is false when 200 (`maxIter`) iterations did not meet the stopping rule (flat or non-sigmoid curves:
 * real amplification curves take 10–25), and the caller should not use its cpD2 then.
 */
export function fitSigmoid(cycles: readonly number[], fluor: readonly number[], model: SigmoidModel = 'l4', opts: { maxIter?: number; start?: SigmoidParams } = {}): SigmoidFit {
  checkFinite(cycles, 'cycles');
  checkFinite(fluor, 'fluorescence');
  if (cycles.length !== fluor.length) throw new StatsError(`sigmoid fit: ${cycles.length} cycles but ${fluor.length} fluorescence values`);
  const np = model === 'l5' ? 5 : 4;
  if (cycles.length <= np) throw new StatsError(`sigmoid fit (${model}) needs more than ${np} points, got ${cycles.length}`);
  const bad = cycles.findIndex((c) => !(c > 0));
  if (bad >= 0) throw new StatsError(`sigmoid fit: cycle ${cycles[bad]} at index ${bad} is not > 0 (the model takes ln x)`);
  // Fluorescence beyond 2^±250 is fitted divided by a power of two (exact; ordinary data are untouched, see magnitudeScale).
  const k = magnitudeScale(fluor), y = k === 1 ? fluor : fluor.map((v) => v / k);
  const start = opts.start ? { ...opts.start, c: opts.start.c / k, d: opts.start.d / k } : sigmoidStart(cycles, y);
  const r = levenbergMarquardt(cycles, y, model, start, opts.maxIter ?? 200);
  const params = toParams(r.v);
  params.c *= k; params.d *= k;
  if (!Object.values(params).every(Number.isFinite)) throw new StatsError(`sigmoid fit (${model}): the fit diverged (a parameter is not finite)`);
  const lo = Math.min(...cycles), hi = Math.max(...cycles);
  return {
    model, params, rss: r.rss * k * k, iterations: r.iter, converged: r.converged,
    cpD1: derivativeMaximum(params, 1, lo, hi), cpD2: derivativeMaximum(params, 2, lo, hi),
  };
}
