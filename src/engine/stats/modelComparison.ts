/**
 * Comparing the discrimination of two survival models on the same subjects: the difference of Harrell's C with the
 * infinitesimal-jackknife covariance of survival::concordance(fit1, fit2) (var = crossprod(dfbeta)), tested with
 * the contrast c(-1, 1) as the survival "concordance" vignette does: z = ΔC / sqrt(V11 + V22 - 2 V12), normal p and CI.
 */
import { concordance } from './concordance';
import { pnorm, qnorm } from './dist';
import { StatsError } from './errors';

export interface ConcordanceDifference {
  c1: number; c2: number;
  /** c2 - c1. */
  difference: number;
  /** The 2 x 2 covariance matrix of (c1, c2). */
  var: [[number, number], [number, number]];
  se: number; z: number; p: number; ci: [number, number]; confLevel: number;
}

/** ΔC = C(score2) − C(score1) for risk scores (reverse = TRUE: a higher score means shorter survival, as coxph). */
export function concordanceDifference(time: number[], status: number[], score1: number[], score2: number[], confLevel = 0.95): ConcordanceDifference {
  const a = concordance(time, status, score1, { reverse: true });
  const b = concordance(time, status, score2, { reverse: true });
  if (a.concordance === null || b.concordance === null || !a.influence || !b.influence) throw new StatsError('ΔC: no comparable pair of subjects');
  let v11 = 0, v12 = 0, v22 = 0;
  for (let k = 0; k < a.influence.length; k++) {
    v11 += a.influence[k] ** 2; v12 += a.influence[k] * b.influence[k]; v22 += b.influence[k] ** 2;
  }
  const d = b.concordance - a.concordance;
  const se = Math.sqrt(Math.max(0, v11 + v22 - 2 * v12));
  const z = d / se;
  const q = qnorm(1 - (1 - confLevel) / 2);
  return {
    c1: a.concordance, c2: b.concordance, difference: d, var: [[v11, v12], [v12, v22]], se, z, p: 2 * pnorm(-Math.abs(z)),
    ci: [d - q * se, d + q * se], confLevel,
  };
}
