/**
 * Distribution functions used by every test. Thin wrappers over @stdlib (Boost/Cephes ports, near machine
 * precision). Upper tails are computed directly (not 1 - cdf), so tiny p-values keep their digits, as R's
 * `lower.tail = FALSE` does.
 */
import normalCdf = require('@stdlib/stats-base-dists-normal-cdf');
import normalQuantile = require('@stdlib/stats-base-dists-normal-quantile');
import tCdf = require('@stdlib/stats-base-dists-t-cdf');
import tQuantile = require('@stdlib/stats-base-dists-t-quantile');
import chisqQuantile = require('@stdlib/stats-base-dists-chisquare-quantile');
import fQuantile = require('@stdlib/stats-base-dists-f-quantile');
import gammainc = require('@stdlib/math-base-special-gammainc');
import betainc = require('@stdlib/math-base-special-betainc');
import gammalnFn = require('@stdlib/math-base-special-gammaln');

/** Standard normal CDF, P(Z <= z). */
export function pnorm(z: number, mean = 0, sd = 1): number { return normalCdf(z, mean, sd); }
/** Standard normal upper tail, P(Z > z), accurate for large z. */
export function pnormUpper(z: number): number { return normalCdf(-z, 0, 1); }
/** Normal quantile. */
export function qnorm(p: number, mean = 0, sd = 1): number { return normalQuantile(p, mean, sd); }

/** Student t CDF. */
export function pt(t: number, df: number): number { return tCdf(t, df); }
/** Two-sided p-value of a t statistic, 2 P(T > |t|). */
export function ptTwoSided(t: number, df: number): number {
  if (Number.isNaN(t) || Number.isNaN(df)) return NaN;
  return 2 * tCdf(-Math.abs(t), df);
}
/** t quantile. */
export function qt(p: number, df: number): number { return tQuantile(p, df); }

/** Chi-square upper tail, P(X > x), via the regularised upper incomplete gamma (no cancellation). */
export function pchisqUpper(x: number, df: number): number {
  if (Number.isNaN(x) || Number.isNaN(df)) return NaN;
  if (x <= 0) return 1;
  if (!Number.isFinite(x)) return 0;
  return gammainc(x / 2, df / 2, true, true);
}
/** Chi-square quantile. */
export function qchisq(p: number, df: number): number { return chisqQuantile(p, df); }

/** F upper tail, P(F > f) with (d1, d2) df, via the regularised incomplete beta. */
export function pfUpper(f: number, d1: number, d2: number): number {
  if (Number.isNaN(f) || Number.isNaN(d1) || Number.isNaN(d2)) return NaN;
  if (f <= 0) return 1;
  if (!Number.isFinite(f)) return 0;
  // P(F > f) = I_{d2/(d2 + d1 f)}(d2/2, d1/2)
  return betainc(d2 / (d2 + d1 * f), d2 / 2, d1 / 2, true, false);
}
/** F quantile. */
export function qf(p: number, d1: number, d2: number): number { return fQuantile(p, d1, d2); }

/** log Gamma. */
export function lgamma(x: number): number { return gammalnFn(x); }
