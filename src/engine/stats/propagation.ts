/**
 * First-order (delta-method) error propagation for relative quantities, as qbase+ does it (Hellemans et al. 2007,
 * Genome Biology 8:R19), and the Livak & Schmittgen (2001, Methods 25:402) 2^-(ddCq ± s) range. Errors travel as
 * relative standard errors (SE / value), which is what products, quotients and powers combine; null = unknown.
 */
import { mean, sd } from './basic';
import { qnorm, qt } from './dist';

/**
 * Relative SE of RQ = E^dq, dq a Cq difference with standard error `seDq` and E an amplification factor with standard
 * error `seE`: sqrt((ln E · SE_dq)² + (dq · SE_E / E)²) (Hellemans 2007, RQ with the efficiency's error).
 */
export function powerRelSe(e: number, seE: number, dq: number, seDq: number | null): number | null {
  if (seDq === null || !Number.isFinite(seDq)) return null;
  const a = Math.log(e) * seDq, b = (dq * seE) / e;
  return Math.sqrt(a * a + b * b);
}

/**
 * Geometric mean of f quantities and its relative SE: SE_G / G = sqrt(Σ (SE_i / (f · q_i))²) = sqrt(Σ rel_i²) / f
 * (the normalisation factor over several reference genes; the calibrators' mean NRQ).
 */
export function geometricMeanRel(q: readonly number[], rel: readonly (number | null)[]): { value: number; rel: number | null } {
  const f = q.length;
  if (f === 1) return { value: q[0], rel: rel[0] };
  let logSum = 0, relSq = 0, known = true;
  for (let i = 0; i < f; i++) {
    logSum += Math.log(q[i]);
    const r = rel[i];
    if (r === null) known = false; else relSq += r * r;
  }
  return { value: Math.exp(logSum / f), rel: known ? Math.sqrt(relSq) / f : null };
}

/** Relative SE of a quotient (or product) of independent quantities: sqrt(rel_a² + rel_b²). */
export function quotientRel(a: number | null, b: number | null): number | null {
  return a === null || b === null ? null : Math.sqrt(a * a + b * b);
}

/**
 * Confidence interval of a positive quantity from its relative SE, on the log scale (symmetric on a log axis, never
 * below 0): value · exp(∓ z · rel), z the normal quantile of the level (first-order: SE(ln x) = SE(x) / x).
 */
const Z95 = qnorm(0.975);

export function ratioCi(value: number, rel: number | null, level = 0.95): [number, number] | null {
  if (rel === null || !Number.isFinite(value) || value <= 0) return null;
  const z = level === 0.95 ? Z95 : qnorm(1 - (1 - level) / 2);
  return [value * Math.exp(-z * rel), value * Math.exp(z * rel)];
}

/**
 * Livak & Schmittgen (2001): s = sqrt(s_target² + s_reference²) (SDs of the replicate Cqs), and the fold change
 * 2^-ddCq reported with the range 2^-(ddCq + s) to 2^-(ddCq - s). With several references their mean Cq has SD
 * sqrt(Σ s_r²) / f. Null when an SD is unknown (fewer than two replicates).
 */
export function livakRange(ddcq: number, sdTarget: number | null, sdRefs: readonly (number | null)[]): { s: number; fold: number; lower: number; upper: number } | null {
  if (sdTarget === null || sdRefs.length === 0 || sdRefs.some((x) => x === null)) return null;
  const sRef = Math.sqrt(sdRefs.reduce((a: number, x) => a + (x as number) ** 2, 0)) / sdRefs.length;
  const s = Math.sqrt(sdTarget * sdTarget + sRef * sRef);
  return { s, fold: 2 ** -ddcq, lower: 2 ** -(ddcq + s), upper: 2 ** -(ddcq - s) };
}

/** SE of E = 10^(-1/slope) from the slope's SE (first order): E · ln 10 · SE_slope / slope². */
export function efficiencySe(slope: number, slopeSe: number): number {
  return 10 ** (-1 / slope) * Math.LN10 * slopeSe / (slope * slope);
}

/**
 * Geometric mean of a group's quantities (biological replicates) with the SE and t interval of their log mean:
 * value = exp(mean ln x), SE(value) ≈ value · sd(ln x) / sqrt(n), CI = exp(mean ± t(n - 1) · sd / sqrt(n)).
 * Null SE and CI with fewer than two values.
 */
export function geometricMeanCi(x: readonly number[], level = 0.95): { n: number; value: number; se: number | null; ci: [number, number] | null } {
  const l = x.map((v) => Math.log(v));
  const n = l.length;
  const m = mean(l);
  if (n < 2) return { n, value: Math.exp(m), se: null, ci: null };
  const se = sd(l) / Math.sqrt(n), t = qt(1 - (1 - level) / 2, n - 1);
  return { n, value: Math.exp(m), se: Math.exp(m) * se, ci: [Math.exp(m - t * se), Math.exp(m + t * se)] };
}
