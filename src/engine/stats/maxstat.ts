/**
 * The optimal cut-point of a continuous marker for survival by maximally selected log-rank statistics, as
 * maxstat::maxstat.test(Surv(time, event) ~ x, smethod = "LogRank") (what survminer::surv_cutpoint uses):
 * log-rank scores a_i = event_i - sum_{j: rank_j <= rank_i} event_j / (N - rank_j + 1) (ranks of time, ties
 * given the largest rank, as exactRankTests::cscores), and for every cut between distinct marker values leaving
 * between floor(N minprop) (at least 1) and floor(N maxprop) subjects below it, the standardised linear rank
 * statistic |S_m - E_m| / sqrt(V_m). The cut-point is the largest marker value of the lower group at the maximum.
 * p-values adjusted for the selection: Lausen & Schumacher 1992 (pmethod "Lau92") and the improved Bonferroni bound
 * of Lausen, Sauerbrei & Schumacher 1994 ("Lau94"). A data-driven cut-point: report it as such.
 */
import { StatsError } from './errors';
import { pnorm } from './dist';

export interface MaxstatResult {
  cutpoint: number;
  statistic: number;
  pLau92: number;
  pLau94: number;
  /** Every candidate cut (marker value of the lower group's top) with its statistic, for the plot. */
  curve: { cut: number; statistic: number }[];
  minprop: number;
  maxprop: number;
  n: number;
}

/** Log-rank scores of right-censored data (exactRankTests::cscores(Surv, "LogRank")). */
export function logrankScores(time: readonly number[], status: readonly number[]): number[] {
  const N = time.length;
  const ord = Array.from({ length: N }, (_, i) => i).sort((a, b) => time[a] - time[b] || a - b);
  const rank = new Array<number>(N);
  for (let i = 0; i < N;) {
    let j = i;
    while (j + 1 < N && time[ord[j + 1]] === time[ord[i]]) j++;
    for (let k = i; k <= j; k++) rank[ord[k]] = j + 1;
    i = j + 1;
  }
  const cum = new Array<number>(N);
  let acc = 0;
  ord.forEach((idx, k) => { acc += status[idx] / (N - rank[idx] + 1); cum[k] = acc; });
  return time.map((_, i) => status[i] - cum[rank[i] - 1]);
}

const dnorm = (x: number) => Math.exp(-0.5 * x * x) / Math.sqrt(2 * Math.PI);

export function pLausen92(b: number, minprop: number, maxprop: number): number {
  if (b < 1) return 1;
  const db = dnorm(b);
  const p = (4 * db) / b + db * (b - 1 / b) * Math.log((maxprop * (1 - minprop)) / ((1 - maxprop) * minprop));
  return Math.max(p, 0);
}

export function pLausen94(b: number, N: number, m: readonly number[]): number {
  let D = 0;
  for (let k = 0; k + 1 < m.length; k++) {
    const t = Math.sqrt(1 - (m[k] * (N - m[k + 1])) / ((N - m[k]) * m[k + 1]));
    D += (1 / Math.PI) * Math.exp(-(b * b) / 2) * (t - ((b * b) / 4 - 1) * (t ** 3) / 6);
  }
  return 1 - (pnorm(b) - pnorm(-b)) + D;
}

/** maxstat.test(Surv(time, status) ~ x, smethod = "LogRank", minprop, maxprop). */
export function maxstatLogrank(time: readonly number[], status: readonly number[], x: readonly number[], opts: { minprop?: number; maxprop?: number } = {}): MaxstatResult {
  const minprop = opts.minprop ?? 0.1, maxprop = opts.maxprop ?? 0.9;
  const N = x.length;
  if (time.length !== N || status.length !== N) throw new StatsError('maxstat: time, status and marker differ in length');
  if (N < 3) throw new StatsError('maxstat: needs at least 3 subjects');
  const scores = logrankScores(time, status);
  const ord = Array.from({ length: N }, (_, i) => i).sort((a, b) => x[a] - x[b] || a - b);
  const y = ord.map((i) => scores[i]);
  const xs = ord.map((i) => x[i]);
  let m: number[] = [];
  xs.forEach((v, k) => { if (k === 0 || v !== xs[k - 1]) m.push(k); }); // which(!duplicated) - 1
  const lo = Math.max(1, Math.floor(N * minprop)), hi = Math.floor(N * maxprop);
  if (m.every((v) => v < Math.floor(N * minprop))) throw new StatsError('maxstat: minprop too large');
  if (m.every((v) => v > hi)) throw new StatsError('maxstat: maxprop too small');
  m = m.filter((v) => v >= lo && v <= hi);
  if (!m.length) throw new StatsError('maxstat: no cut-point between minprop and maxprop');
  const ss = y.reduce((a, b) => a + b, 0);
  const ss2 = y.reduce((a, b) => a + b * b, 0);
  const cum: number[] = [];
  y.reduce((a, b, k) => (cum[k] = a + b), 0);
  const curve = m.map((mm) => {
    const E = (mm / N) * ss;
    const V = ((mm * (N - mm)) / (N * N * (N - 1))) * (N * ss2 - ss * ss);
    return { cut: xs[mm - 1], statistic: Math.abs((cum[mm - 1] - E) / Math.sqrt(V)) };
  });
  let best = 0;
  curve.forEach((c, k) => { if (c.statistic > curve[best].statistic) best = k; });
  const b = curve[best].statistic;
  return { cutpoint: curve[best].cut, statistic: b, pLau92: pLausen92(b, minprop, maxprop), pLau94: pLausen94(b, N, m), curve, minprop, maxprop, n: N };
}
