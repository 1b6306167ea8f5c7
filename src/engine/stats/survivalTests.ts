/**
 * Survival comparisons beyond the k-sample log-rank test:
 * - pairwise log-rank tests as survminer::pairwise_survdiff: survdiff (G^rho) on each pair of groups, p adjusted
 *   by p.adjust over the family (default BH, as survminer);
 * - the log-rank test for trend over ordered groups with scores 1..k: z = w'(O - E), chi-square z² / (w' V w) on
 *   1 df, from survdiff's O, E and variance (Collett 2015, 2.7);
 * - restricted mean survival time up to tau as survival's print(survfit, rmean = tau) (survmean: the area of the
 *   KM step function from 0 to tau, se² = sum over times of (area after t)² d / (n (n - d))), and the difference of two
 *   groups' RMST with a normal CI and p (se of the difference sqrt(se1² + se2²), as survRM2).
 */
import { StatsError } from './errors';
import { pchisqUpper, pnormUpper, qnorm } from './dist';
import { kaplanMeier, type KmFit } from './km';
import { groupLevels, logrank, type LogrankResult } from './logrank';
import { levelPairs } from './tukey';
import { pAdjust, type PAdjustMethod } from './padjust';

export interface PairwiseLogrankRow { level: string; reference: string; chisq: number; p: number; pAdjusted: number }

/** Pairwise log-rank tests over the group levels (pairs in R's lower-triangle order), p adjusted by `adjust`. */
export function pairwiseLogrank(time: number[], status: number[], group: (string | number)[], adjust: PAdjustMethod | 'none' = 'bh', rho = 0): PairwiseLogrankRow[] {
  const levels = groupLevels(group).map(String);
  const rows = levelPairs(levels.length).map(([i, j]) => {
    const idx = group.map((g, k) => (String(g) === levels[i] || String(g) === levels[j] ? k : -1)).filter((k) => k >= 0);
    const r = logrank(idx.map((k) => time[k]), idx.map((k) => status[k]), idx.map((k) => String(group[k])), rho);
    return { level: levels[j], reference: levels[i], chisq: r.chisq, p: r.p };
  });
  const adj = adjust === 'none' ? rows.map((r) => r.p) : pAdjust(rows.map((r) => r.p), adjust);
  return rows.map((r, k) => ({ ...r, pAdjusted: adj[k] as number }));
}

export interface TrendResult { chisq: number; df: 1; p: number; scores: number[] }

/** Log-rank test for trend with scores 1..k over the groups in level order (or `scores`). */
export function logrankTrend(time: number[], status: number[], group: (string | number)[], rho = 0, scores?: number[]): TrendResult {
  return trendOf(logrank(time, status, group, rho), scores);
}

/** The trend test from a log-rank result already computed (its O, E and variance). */
export function trendOf(r: LogrankResult, scores?: number[]): TrendResult {
  const w = scores ?? r.groups.map((_, i) => i + 1);
  if (w.length !== r.groups.length) throw new StatsError(`trend test: ${w.length} scores for ${r.groups.length} groups`);
  const z = r.groups.reduce((a, g, i) => a + w[i] * (g.observed - g.expected), 0);
  let v = 0;
  for (let a = 0; a < w.length; a++) for (let b = 0; b < w.length; b++) v += w[a] * r.variance[a][b] * w[b];
  if (!(v > 0)) throw new StatsError('trend test: the variance of the score statistic is zero');
  const chisq = (z * z) / v;
  return { chisq, df: 1, p: pchisqUpper(chisq, 1), scores: w };
}

export interface RmstResult { tau: number; rmst: number; se: number; lower: number; upper: number }

/** RMST of a fitted KM curve up to tau, as survival's survmean (start time 0), with a normal CI. */
export function rmstOfFit(km: KmFit, tau: number, conf = 0.95): RmstResult {
  if (!(tau > 0)) throw new StatsError(`RMST: the horizon must be positive, got ${tau}`);
  const keep: number[] = [];
  km.time.forEach((t, i) => { if (t <= tau) keep.push(i); });
  const hhAll = km.time.map((_, i) => (km.nRisk[i] - km.nEvent[i] === 0 ? 0 : km.nEvent[i] / (km.nRisk[i] * (km.nRisk[i] - km.nEvent[i]))));
  const times = [...keep.map((i) => km.time[i]), tau];
  const surv = keep.length ? [...keep.map((i) => km.surv[i]), km.surv[keep[keep.length - 1]]] : [1];
  const hh = keep.length ? [...keep.map((i) => hhAll[i]), 0] : [0];
  const n = times.length;
  const rect = times.map((t, k) => (t - (k === 0 ? 0 : times[k - 1])) * (k === 0 ? 1 : surv[k - 1]));
  const mean = rect.reduce((a, b) => a + b, 0);
  // varmean = sum(cumsum(rev(rect[-1]))^2 * rev(hh)[-1])
  let cum = 0, varmean = 0;
  for (let k = n - 1, m = 0; k >= 1; k--, m++) {
    cum += rect[k];
    varmean += cum * cum * hh[n - 2 - m];
  }
  const se = Math.sqrt(varmean);
  const z = qnorm((1 + conf) / 2);
  return { tau, rmst: mean, se, lower: mean - z * se, upper: mean + z * se };
}

/** RMST of one group's data up to tau. */
export function rmst(time: number[], status: number[], tau: number, conf = 0.95): RmstResult {
  return rmstOfFit(kaplanMeier(time, status), tau, conf);
}

export interface RmstDifference { diff: number; se: number; lower: number; upper: number; p: number }

/** Difference a − b of two RMSTs with a normal CI and two-sided p. */
export function rmstDifference(a: RmstResult, b: RmstResult, conf = 0.95): RmstDifference {
  const diff = a.rmst - b.rmst;
  const se = Math.sqrt(a.se * a.se + b.se * b.se);
  const z = qnorm((1 + conf) / 2);
  return { diff, se, lower: diff - z * se, upper: diff + z * se, p: se > 0 ? 2 * pnormUpper(Math.abs(diff / se)) : NaN };
}
