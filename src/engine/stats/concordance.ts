/**
 * Harrell's concordance as survival::concordance(Surv(time, status) ~ score) with timewt = "n":
 * for each event at t, every subject with a longer time, or censored at exactly t, is comparable.
 * Counts concordant / discordant / tied on x (comparable pairs), tied on y (two events at the same time,
 * x differing) and tied on both; C = (c + tiedX/2) / (c + d + tiedX).
 * Default direction (reverse = false): a larger score goes with longer survival. For a Cox risk score use
 * reverse = true (larger score = shorter survival), as coxph does.
 * O(n log n): a Fenwick tree over score ranks, filled from the largest time down.
 */
import { StatsError } from './errors';
import { checkSurvivalInput, timefix } from './km';

export interface ConcordanceResult {
  concordant: number;
  discordant: number;
  tiedX: number;
  tiedY: number;
  tiedXY: number;
  /** C index; null when there is no comparable pair. */
  concordance: number | null;
  /** Somers' D = 2C − 1 (null with C). */
  somersD: number | null;
  /**
   * Infinitesimal-jackknife variance of C as survival::concordance's `var` (unweighted, timewt "n"):
   * Σ_k (∂C/∂w_k)², where ∂C/∂w_k uses the concordant/discordant/tied-on-x pairs that subject k belongs to.
   * null with C.
   */
  variance: number | null;
  /**
   * Each subject's influence ∂C/∂w_k (survival::concordance's dfbeta, in input order): variance = Σ influence²; the
   * covariance of the C of two scores on the same subjects is Σ influence₁ · influence₂ (concordance(fit1, fit2)$var).
   */
  influence: number[] | null;
  /** √variance (coxph's printed "se" of the concordance). */
  se: number | null;
  reverse: boolean;
}

class Fenwick {
  private readonly t: Float64Array;
  total = 0;
  constructor(private readonly n: number) { this.t = new Float64Array(n + 1); }
  add(i: number, v: number): void { this.total += v; for (let k = i + 1; k <= this.n; k += k & -k) this.t[k] += v; }
  /** Sum over ranks 0..i-1. */
  prefix(i: number): number { let s = 0; for (let k = i; k > 0; k -= k & -k) s += this.t[k]; return s; }
}

interface PairCounts { c: number; d: number; tx: number; ty: number; txy: number; ck: Float64Array; dk: Float64Array; tk: Float64Array }

/** Pair counts of one stratum (all subjects comparable with each other), with each subject's own counts. */
function pairCounts(time: number[], status: number[], score: number[], reverse: boolean): PairCounts {
  const n = time.length;
  const sortedX = Array.from(new Set(score)).sort((a, b) => a - b);
  const rankOf = new Map<number, number>(sortedX.map((v, i) => [v, i]));
  const rank = score.map((v) => rankOf.get(v) as number);
  const tree = new Fenwick(sortedX.length);
  const ord = Array.from({ length: n }, (_, i) => i).sort((a, b) => time[b] - time[a]);
  let c = 0, d = 0, tx = 0, ty = 0, txy = 0;
  // per-subject pair counts for the jackknife: concordant, discordant, tied on x
  const ck = new Float64Array(n), dk = new Float64Array(n), tk = new Float64Array(n);
  for (let i = 0; i < n;) {
    let j = i;
    while (j < n && time[ord[j]] === time[ord[i]]) j++;
    // censored at this time are "later" than the deaths at this time
    for (let k = i; k < j; k++) if (status[ord[k]] === 0) tree.add(rank[ord[k]], 1);
    const deadRanks = new Map<number, number>();
    let nDead = 0;
    for (let k = i; k < j; k++) {
      const p = ord[k];
      if (status[p] !== 1) continue;
      const r = rank[p];
      const less = tree.prefix(r);
      const equal = tree.prefix(r + 1) - less;
      const greater = tree.total - less - equal;
      const cc = reverse ? less : greater;
      const dd = reverse ? greater : less;
      c += cc; d += dd; tx += equal;
      ck[p] += cc; dk[p] += dd; tk[p] += equal;
      deadRanks.set(r, (deadRanks.get(r) ?? 0) + 1);
      nDead++;
    }
    if (nDead > 1) {
      let same = 0;
      for (const m of deadRanks.values()) same += (m * (m - 1)) / 2;
      txy += same;
      ty += (nDead * (nDead - 1)) / 2 - same;
    }
    for (let k = i; k < j; k++) if (status[ord[k]] === 1) tree.add(rank[ord[k]], 1);
    i = j;
  }
  // second pass, ascending time: subject j as the later member of pairs with earlier deaths
  // (deaths at a smaller time; for a censored j also the deaths at the same time)
  const deaths = new Fenwick(sortedX.length);
  for (let i = n - 1; i >= 0;) {
    let j = i;
    while (j >= 0 && time[ord[j]] === time[ord[i]]) j--;
    const query = (q: number): void => {
      const r = rank[q];
      const less = deaths.prefix(r);
      const equal = deaths.prefix(r + 1) - less;
      const greater = deaths.total - less - equal;
      // the death has x less than x_q: concordant unless reversed
      ck[q] += reverse ? greater : less;
      dk[q] += reverse ? less : greater;
      tk[q] += equal;
    };
    for (let k = i; k > j; k--) if (status[ord[k]] === 1) query(ord[k]);
    for (let k = i; k > j; k--) if (status[ord[k]] === 1) deaths.add(rank[ord[k]], 1);
    for (let k = i; k > j; k--) if (status[ord[k]] === 0) query(ord[k]);
    i = j;
  }
  return { c, d, tx, ty, txy, ck, dk, tk };
}

/**
 * Harrell's C (see the file comment). With `strata`, pairs are formed only within a stratum (as coxph with
 * strata() terms and survival::concordance(... + strata(s))), the counts summed over strata and the
 * infinitesimal-jackknife variance taken over every subject's own pair counts.
 */
export function concordance(time: number[], status: number[], score: number[], opts: { reverse?: boolean; strata?: readonly (string | number)[] } = {}): ConcordanceResult {
  checkSurvivalInput(time, status);
  time = timefix(time);
  if (score.length !== time.length) throw new StatsError(`score and time differ in length (${score.length} vs ${time.length})`);
  for (let i = 0; i < score.length; i++) if (!Number.isFinite(score[i])) throw new StatsError(`score[${i}] is missing or not finite`);
  const reverse = opts.reverse ?? false;
  const n = time.length;
  const groups = new Map<string, number[]>();
  if (opts.strata) {
    if (opts.strata.length !== n) throw new StatsError(`strata and time differ in length (${opts.strata.length} vs ${n})`);
    opts.strata.forEach((s, i) => { const k = String(s); const g = groups.get(k); if (g) g.push(i); else groups.set(k, [i]); });
  } else groups.set('', Array.from({ length: n }, (_, i) => i));
  let c = 0, d = 0, tx = 0, ty = 0, txy = 0;
  const ck = new Float64Array(n), dk = new Float64Array(n), tk = new Float64Array(n);
  for (const idx of groups.values()) {
    const r = pairCounts(idx.map((i) => time[i]), idx.map((i) => status[i]), idx.map((i) => score[i]), reverse);
    c += r.c; d += r.d; tx += r.tx; ty += r.ty; txy += r.txy;
    idx.forEach((i, k) => { ck[i] = r.ck[k]; dk[i] = r.dk[k]; tk[i] = r.tk[k]; });
  }
  const denom = c + d + tx;
  const C = denom > 0 ? (c + tx / 2) / denom : null;
  let variance: number | null = null;
  let influence: number[] | null = null;
  if (denom > 0) {
    const num = c + tx / 2;
    variance = 0;
    influence = new Array<number>(n);
    for (let k = 0; k < n; k++) {
      const g = ((ck[k] + tk[k] / 2) * denom - num * (ck[k] + dk[k] + tk[k])) / (denom * denom);
      influence[k] = g;
      variance += g * g;
    }
  }
  return {
    concordant: c, discordant: d, tiedX: tx, tiedY: ty, tiedXY: txy, concordance: C, somersD: C === null ? null : 2 * C - 1,
    variance, influence, se: variance === null ? null : Math.sqrt(variance), reverse,
  };
}
