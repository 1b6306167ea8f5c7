/**
 * Pairwise comparisons after a one-way ANOVA or Kruskal-Wallis test, for groups in level order, pairs in R's order
 * (level j against level i < j, "B-A"):
 * - pairwise t tests as R's pairwise.t.test: pooled SD over all groups (pool.sd = TRUE, df = N - k) or Welch t
 *   per pair (pool.sd = FALSE), two-sided, p adjusted by p.adjust over the family;
 * - pairwise Wilcoxon rank-sum tests as pairwise.wilcox.test (wilcox.test's defaults per pair), adjusted likewise;
 * - Dunn's test (Dunn 1964) on the ranks of all observations, z = (mean rank_j - mean rank_i) /
 *   sqrt((N(N+1)/12 - sum(t³ - t)/(12(N - 1)))(1/n_i + 1/n_j)), two-sided p = 2 P(Z > |z|) (as FSA::dunnTest and
 *   Prism report it; dunn.test prints the one-sided p), adjusted by p.adjust;
 * - Games-Howell: Welch's standard error and df per pair, p = P(Q > sqrt(2)|t|) of the studentized range with k
 *   means, CI diff ± qtukey(conf, k, df)/sqrt(2) · se.
 */
import { StatsError } from './errors';
import { pnormUpper, pt } from './dist';
import { mean, rank, variance } from './basic';
import { mannWhitney, tTest } from './tests';
import { pAdjust, type PAdjustMethod } from './padjust';
import { levelPairs, ptukey, qtukey, type PairwiseComparison } from './tukey';

export interface Group { level: string; values: readonly number[] }
export interface PairwiseResult { method: string; adjust: PAdjustMethod | 'none'; confLevel: number | null; comparisons: PairwiseComparison[] }

function needGroups(groups: readonly Group[], min: number, what: string): void {
  if (groups.length < 2) throw new StatsError(`${what}: needs at least 2 groups`);
  const small = groups.find((g) => g.values.length < min);
  if (small) throw new StatsError(`${what}: group ${small.level} has ${small.values.length} value(s) (needs ${min})`);
}

/** Raw p per pair, then adjusted over the family. */
function family(groups: readonly Group[], method: string, adjust: PAdjustMethod | 'none', test: (i: number, j: number) => Omit<PairwiseComparison, 'level' | 'reference'>): PairwiseResult {
  const raw = levelPairs(groups.length).map(([i, j]) => ({ level: groups[j].level, reference: groups[i].level, ...test(i, j) }));
  const adj = adjust === 'none' ? raw.map((c) => c.p) : pAdjust(raw.map((c) => c.p), adjust);
  return { method, adjust, confLevel: null, comparisons: raw.map((c, k) => ({ ...c, p: adj[k] as number })) };
}

/** pairwise.t.test(x, g, p.adjust.method = adjust, pool.sd = pooled). */
export function pairwiseT(groups: readonly Group[], adjust: PAdjustMethod | 'none', pooled = true): PairwiseResult {
  needGroups(groups, 2, 'pairwise t tests');
  if (!pooled) {
    return family(groups, 'pairwise Welch t tests', adjust, (i, j) => {
      const r = tTest(groups[j].values, groups[i].values, { varEqual: false });
      return { diff: r.estimate, ci: null, statistic: r.statistic, p: r.p };
    });
  }
  const n = groups.map((g) => g.values.length);
  const df = n.reduce((a, b) => a + b, 0) - groups.length;
  const pooledSd = Math.sqrt(groups.reduce((a, g, k) => a + variance(g.values) * (n[k] - 1), 0) / df);
  return family(groups, 't tests with pooled SD', adjust, (i, j) => {
    const diff = mean(groups[j].values) - mean(groups[i].values);
    const t = diff / (pooledSd * Math.sqrt(1 / n[i] + 1 / n[j]));
    return { diff, ci: null, statistic: t, p: 2 * pt(-Math.abs(t), df) };
  });
}

/** pairwise.wilcox.test(x, g, p.adjust.method = adjust) with wilcox.test's defaults per pair. */
export function pairwiseWilcoxon(groups: readonly Group[], adjust: PAdjustMethod | 'none'): PairwiseResult {
  needGroups(groups, 1, 'pairwise Wilcoxon tests');
  return family(groups, 'pairwise Wilcoxon rank-sum tests', adjust, (i, j) => {
    const r = mannWhitney(groups[j].values, groups[i].values);
    return { diff: null, ci: null, statistic: r.statistic, p: r.p };
  });
}

/** Dunn's test on the joint ranks, two-sided, adjusted by p.adjust. */
export function dunnTest(groups: readonly Group[], adjust: PAdjustMethod | 'none'): PairwiseResult {
  needGroups(groups, 1, "Dunn's test");
  const all = groups.flatMap((g) => g.values);
  const r = rank(all);
  const N = all.length;
  const counts = new Map<number, number>();
  for (const v of all) counts.set(v, (counts.get(v) ?? 0) + 1);
  let ties = 0;
  for (const t of counts.values()) ties += t ** 3 - t;
  const s2 = (N * (N + 1)) / 12 - ties / (12 * (N - 1));
  const meanRank: number[] = [];
  let at = 0;
  for (const g of groups) { meanRank.push(mean(r.slice(at, at + g.values.length))); at += g.values.length; }
  return family(groups, "Dunn's test", adjust, (i, j) => {
    const z = (meanRank[j] - meanRank[i]) / Math.sqrt(s2 * (1 / groups[i].values.length + 1 / groups[j].values.length));
    return { diff: null, ci: null, statistic: z, p: Math.min(1, 2 * pnormUpper(Math.abs(z))) };
  });
}

/** Games-Howell comparisons (unequal variances), p from the studentized range; p is not adjusted further. */
export function gamesHowell(groups: readonly Group[], conf = 0.95): PairwiseResult {
  needGroups(groups, 2, 'Games-Howell');
  const k = groups.length;
  const stats = groups.map((g) => ({ m: mean(g.values), v: variance(g.values) / g.values.length, n: g.values.length }));
  const comparisons = levelPairs(k).map(([i, j]) => {
    const a = stats[i], b = stats[j];
    const diff = b.m - a.m;
    const se = Math.sqrt(a.v + b.v);
    const df = (a.v + b.v) ** 2 / (a.v ** 2 / (a.n - 1) + b.v ** 2 / (b.n - 1));
    const t = Math.abs(diff) / se;
    const h = (qtukey(conf, k, df) / Math.SQRT2) * se;
    return { level: groups[j].level, reference: groups[i].level, diff, ci: [diff - h, diff + h] as [number, number], statistic: t, p: ptukey(t * Math.SQRT2, k, df, false) };
  });
  return { method: 'Games-Howell', adjust: 'none', confLevel: conf, comparisons };
}
