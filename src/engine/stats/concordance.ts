/**
 * Harrell's concordance as survival::concordance(Surv(time, status) ~ score) with timewt = "n":
 * for each event at t, every subject with a longer time, or censored at exactly t, is comparable.
 * Counts concordant / discordant / tied on x (comparable pairs), tied on y (two events at the same time,
 * x differing) and tied on both; C = (c + tiedX/2) / (c + d + tiedX).
 * Default direction (reverse = false): a larger score goes with longer survival. For a Cox risk score use
 * reverse = true (larger score = shorter survival), as coxph does.
 * O(n log n) on typed arrays: score and time ranks from one radix argsort each (subjects grouped by time rank), and
 * a Fenwick tree over score ranks, filled from the largest time down (as survival's concordance C code).
 */
import { StatsError } from './errors';
import { checkSurvivalInput, timefix } from './km';
import { radixOrder } from './order';

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

/**
 * v's order and dense ranks: ord lists the indices by ascending value (stable, radixOrder), rank[i] in 0..k−1 (equal
 * values, −0 and +0 included, share a rank) and the positions in ord of rank g are start[g] .. start[g + 1] − 1.
 */
function ranked(v: Float64Array, order?: Int32Array): { ord: Int32Array; rank: Int32Array; start: Int32Array } {
  const n = v.length, ord = order ?? radixOrder(v);
  const rank = new Int32Array(n), first = [0];
  for (let i = 1; i < n; i++) {
    const g = v[ord[i]] === v[ord[i - 1]] ? rank[ord[i - 1]] : (first.push(i), first.length - 1);
    rank[ord[i]] = g;
  }
  first.push(n);
  return { ord, rank, start: Int32Array.from(first) };
}

/** Counts of score ranks added so far: a Fenwick tree for "how many below rank r", a plain array for "how many at r". */
class RankCounts {
  private readonly tree: Int32Array;
  readonly at: Int32Array;
  total = 0;
  constructor(private readonly k: number) { this.tree = new Int32Array(k + 1); this.at = new Int32Array(k); }
  add(r: number): void { this.total++; this.at[r]++; for (let i = r + 1; i <= this.k; i += i & -i) this.tree[i]++; }
  /** Number added with rank < r. */
  below(r: number): number { let s = 0; for (let i = r; i > 0; i -= i & -i) s += this.tree[i]; return s; }
}

interface PairCounts { c: number; d: number; tx: number; ty: number; txy: number }

/**
 * Pair counts of one stratum (all of `idx` comparable with each other); each subject's own concordant / discordant /
 * tied-on-x counts are added to ck, dk, tk (indexed like time).
 */
function pairCounts(idx: Int32Array, time: number[], status: number[], score: number[], reverse: boolean, ck: Float64Array, dk: Float64Array, tk: Float64Array, timeOrder?: Int32Array): PairCounts {
  const n = idx.length;
  const xs = new Float64Array(n), ts = new Float64Array(n), dead = new Uint8Array(n);
  for (let p = 0; p < n; p++) { const i = idx[p]; xs[p] = score[i]; ts[p] = time[i]; dead[p] = status[i] === 1 ? 1 : 0; }
  const x = ranked(xs), rank = x.rank, nx = x.start.length - 1;
  const { ord, start } = ranked(ts, timeOrder), nt = start.length - 1;
  let c = 0, d = 0, tx = 0, ty = 0, txy = 0;
  // first pass, descending time: each death against the subjects still at risk after it (censored at the same time
  // count as later than the deaths at that time)
  const later = new RankCounts(nx), deadAt = new Int32Array(nx);
  for (let g = nt - 1; g >= 0; g--) {
    const a = start[g], b = start[g + 1];
    for (let k = a; k < b; k++) if (!dead[ord[k]]) later.add(rank[ord[k]]);
    let nDead = 0, same = 0;
    for (let k = a; k < b; k++) {
      const p = ord[k];
      if (!dead[p]) continue;
      const r = rank[p];
      const less = later.below(r), equal = later.at[r], greater = later.total - less - equal;
      const cc = reverse ? less : greater, dd = reverse ? greater : less;
      c += cc; d += dd; tx += equal;
      const q = idx[p];
      ck[q] += cc; dk[q] += dd; tk[q] += equal;
      same += deadAt[r]++;
      nDead++;
    }
    txy += same;
    ty += (nDead * (nDead - 1)) / 2 - same;
    for (let k = a; k < b; k++) if (dead[ord[k]]) { deadAt[rank[ord[k]]] = 0; later.add(rank[ord[k]]); }
  }
  // second pass, ascending time: each subject as the later member of pairs with earlier deaths
  // (deaths at a smaller time; for a censored subject also the deaths at the same time)
  const deaths = new RankCounts(nx);
  const query = (p: number): void => {
    const r = rank[p];
    const less = deaths.below(r), equal = deaths.at[r], greater = deaths.total - less - equal;
    // the death has x less than x_p: concordant unless reversed
    const q = idx[p];
    ck[q] += reverse ? greater : less;
    dk[q] += reverse ? less : greater;
    tk[q] += equal;
  };
  for (let g = 0; g < nt; g++) {
    const a = start[g], b = start[g + 1];
    for (let k = a; k < b; k++) if (dead[ord[k]]) query(ord[k]);
    for (let k = a; k < b; k++) if (dead[ord[k]]) deaths.add(rank[ord[k]]);
    for (let k = a; k < b; k++) if (!dead[ord[k]]) query(ord[k]);
  }
  return { c, d, tx, ty, txy };
}

/** Subject indices of each stratum (one stratum of everyone without strata). */
function strataOf(n: number, strata: readonly (string | number)[] | undefined): Int32Array[] {
  if (!strata) { const all = new Int32Array(n); for (let i = 0; i < n; i++) all[i] = i; return [all]; }
  if (strata.length !== n) throw new StatsError(`strata and time differ in length (${strata.length} vs ${n})`);
  const groups = new Map<string, number[]>();
  strata.forEach((s, i) => { const k = String(s); const g = groups.get(k); if (g) g.push(i); else groups.set(k, [i]); });
  return Array.from(groups.values(), (g) => Int32Array.from(g));
}

export interface ConcordanceOptions {
  reverse?: boolean;
  strata?: readonly (string | number)[];
  /**
   * The caller's stable ascending order of `time` (radixOrder), given when time is already timefix(time) unchanged
   * (coxph sorted the times for its fit): timefix and the sort of the times are skipped.
   */
  timeOrder?: Int32Array;
}

/**
 * Harrell's C (see the file comment). With `strata`, pairs are formed only within a stratum (as coxph with
 * strata() terms and survival::concordance(... + strata(s))), the counts summed over strata and the
 * infinitesimal-jackknife variance taken over every subject's own pair counts.
 */
export function concordance(time: number[], status: number[], score: number[], opts: ConcordanceOptions = {}): ConcordanceResult {
  checkSurvivalInput(time, status);
  if (!opts.timeOrder) time = timefix(time);
  if (score.length !== time.length) throw new StatsError(`score and time differ in length (${score.length} vs ${time.length})`);
  for (let i = 0; i < score.length; i++) if (!Number.isFinite(score[i])) throw new StatsError(`score[${i}] is missing or not finite`);
  const reverse = opts.reverse ?? false;
  const n = time.length;
  let c = 0, d = 0, tx = 0, ty = 0, txy = 0;
  const ck = new Float64Array(n), dk = new Float64Array(n), tk = new Float64Array(n);
  for (const idx of strataOf(n, opts.strata)) {
    const r = pairCounts(idx, time, status, score, reverse, ck, dk, tk, opts.strata ? undefined : opts.timeOrder);
    c += r.c; d += r.d; tx += r.tx; ty += r.ty; txy += r.txy;
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
