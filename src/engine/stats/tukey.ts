/**
 * The studentized range distribution and Tukey's HSD, as R 4.2's ptukey / qtukey (Copenhaver & Holland 1988:
 * Gauss-Legendre quadrature of Hartley's form of the range, 12 nodes, over 2-3 intervals of [w/2, 8], integrated
 * against the chi density with 16 nodes on unit, half-, quarter- or eighth-unit intervals by df; qtukey by the
 * secant method from Odeh & Evans' AS 70 start, stopping when two iterates differ by < 1e-4, as R) and
 * TukeyHSD(aov(y ~ g)) for a one-way layout. Restated from the published algorithm as R implements it.
 */
import { StatsError } from './errors';
import { pnorm, lgamma } from './dist';

const XLEG12 = [0.9815606342467192, 0.9041172563704749, 0.7699026741943047,
  0.5873179542866175, 0.3678314989981802, 0.1252334085114689];
const ALEG12 = [0.04717533638651183, 0.10693932599531843, 0.16007832854334622,
  0.20316742672306592, 0.2334925365383548, 0.24914704581340277];
const XLEG16 = [0.9894009349916499, 0.9445750230732326, 0.8656312023878318,
  0.755404408355003, 0.6178762444026438, 0.45801677765722737,
  0.2816035507792589, 0.09501250983763744];
const ALEG16 = [0.027152459411754096, 0.062253523938647894, 0.09515851168249279,
  0.12462897125553388, 0.14959598881657674, 0.16915651939500254,
  0.18260341504492358, 0.1894506104550685];
const M_1_SQRT_2PI = 0.3989422804014327; // 1 / sqrt(2 pi)

/** Probability integral of Hartley's form of the range over (0, w) for cc means (rr groups). */
function wprob(w: number, rr: number, cc: number): number {
  const C1 = -30, C2 = -50, C3 = 60, bb = 8, wlar = 3;
  const qsqz = w * 0.5;
  if (qsqz >= bb) return 1;
  let prW = 2 * pnorm(qsqz) - 1;
  prW = prW >= Math.exp(C2 / cc) ? Math.pow(prW, cc) : 0;
  const wincr = w > wlar ? 2 : 3;
  let blb = qsqz;
  const binc = (bb - qsqz) / wincr;
  let bub = blb + binc;
  let einsum = 0;
  const cc1 = cc - 1;
  for (let wi = 1; wi <= wincr; wi++) {
    let elsum = 0;
    const a = 0.5 * (bub + blb), b = 0.5 * (bub - blb);
    for (let jj = 1; jj <= 12; jj++) {
      const j = jj > 6 ? 12 - jj : jj - 1;
      const xx = jj > 6 ? XLEG12[j] : -XLEG12[j];
      const ac = a + b * xx;
      const qexpo = ac * ac;
      if (qexpo > C3) break;
      const pplus = 2 * pnorm(ac);
      const pminus = 2 * pnorm(ac, w);
      let rinsum = pplus * 0.5 - pminus * 0.5;
      if (rinsum >= Math.exp(C1 / cc1)) {
        rinsum = ALEG12[j] * Math.exp(-(0.5 * qexpo)) * Math.pow(rinsum, cc1);
        elsum += rinsum;
      }
    }
    elsum *= 2 * b * cc * M_1_SQRT_2PI;
    einsum += elsum;
    blb = bub;
    bub += binc;
  }
  prW += einsum;
  if (prW <= Math.exp(C1 / rr)) return 0;
  prW = Math.pow(prW, rr);
  return prW >= 1 ? 1 : prW;
}

/** P(Q <= q) of the studentized range of `nmeans` means with `df` degrees of freedom (R's ptukey, nranges = 1). */
export function ptukey(q: number, nmeans: number, df: number, lowerTail = true, nranges = 1): number {
  if (!(q > 0)) return lowerTail ? 0 : 1;
  if (df < 2 || nranges < 1 || nmeans < 2) throw new StatsError(`ptukey: needs df >= 2 and at least 2 means (df ${df}, means ${nmeans})`);
  const tail = (p: number) => (lowerTail ? p : 0.5 - p + 0.5);
  if (df > 25000) return tail(wprob(q, nranges, nmeans));
  const f2 = df * 0.5;
  let f2lf = f2 * Math.log(df) - df * Math.LN2 - lgamma(f2);
  const f21 = f2 - 1;
  const ff4 = df * 0.25;
  const ulen = df <= 100 ? 1 : df <= 800 ? 0.5 : df <= 5000 ? 0.25 : 0.125;
  f2lf += Math.log(ulen);
  let ans = 0;
  for (let i = 1; i <= 50; i++) {
    let otsum = 0;
    const twa1 = (2 * i - 1) * ulen;
    for (let jj = 1; jj <= 16; jj++) {
      const upper = jj > 8;
      const j = upper ? jj - 9 : jj - 1;
      const xu = XLEG16[j] * ulen;
      const t1 = upper ? f2lf + f21 * Math.log(twa1 + xu) - (xu + twa1) * ff4 : f2lf + f21 * Math.log(twa1 - xu) + (xu - twa1) * ff4;
      if (t1 >= -30) {
        const qsqz = upper ? q * Math.sqrt((xu + twa1) * 0.5) : q * Math.sqrt((-xu + twa1) * 0.5);
        otsum += wprob(qsqz, nranges, nmeans) * ALEG16[j] * Math.exp(t1);
      }
    }
    if (i * ulen >= 1 && otsum <= 1e-14) break;
    ans += otsum;
  }
  return tail(Math.min(ans, 1));
}

/** AS 70 start value of the secant search. */
function qinv(p: number, c: number, v: number): number {
  const p0 = 0.322232421088, q0 = 0.993484626060e-01, p1 = -1.0, q1 = 0.588581570495, p2 = -0.342242088547, q2 = 0.531103462366;
  const p3 = -0.204231210125, q3 = 0.103537752850, p4 = -0.453642210148e-04, q4 = 0.38560700634e-02;
  const c1 = 0.8832, c2 = 0.2368, c3 = 1.214, c4 = 1.208, c5 = 1.4142, vmax = 120;
  const ps = 0.5 - 0.5 * p;
  const yi = Math.sqrt(Math.log(1 / (ps * ps)));
  let t = yi + ((((yi * p4 + p3) * yi + p2) * yi + p1) * yi + p0) / ((((yi * q4 + q3) * yi + q2) * yi + q1) * yi + q0);
  if (v < vmax) t += (t * t * t + t) / v / 4;
  let q = c1 - c2 * t;
  if (v < vmax) q += -c3 / v + (c4 * t) / v;
  return t * (q * Math.log(c - 1) + c5);
}

/** Quantile of the studentized range (R's qtukey, lower tail, nranges = 1). */
export function qtukey(p: number, nmeans: number, df: number): number {
  if (!(p > 0 && p < 1)) throw new StatsError(`qtukey: p must be in (0, 1), got ${p}`);
  let x0 = qinv(p, nmeans, df);
  let valx0 = ptukey(x0, nmeans, df) - p;
  let x1 = valx0 > 0 ? Math.max(0, x0 - 1) : x0 + 1;
  let valx1 = ptukey(x1, nmeans, df) - p;
  let ans = 0;
  for (let iter = 1; iter < 50; iter++) {
    ans = x1 - (valx1 * (x1 - x0)) / (valx1 - valx0);
    valx0 = valx1;
    x0 = x1;
    if (ans < 0) ans = 0;
    valx1 = ptukey(ans, nmeans, df) - p;
    x1 = ans;
    if (Math.abs(x1 - x0) < 0.0001) return ans;
  }
  return ans;
}

/** One pairwise comparison of a post-hoc table: `level` minus `reference` ("B-A" in R's naming). */
export interface PairwiseComparison {
  level: string;
  reference: string;
  /** Mean difference (Tukey) or null where the test has no estimate. */
  diff: number | null;
  ci: [number, number] | null;
  statistic: number | null;
  /** Adjusted p-value. */
  p: number;
}

export interface TukeyResult { method: string; confLevel: number; df: number; mse: number; comparisons: PairwiseComparison[] }

/** Pairs (i < j) in R's order for k levels: (1,0), (2,0), …, (k-1,0), (2,1), … (lower triangle, column-major). */
export function levelPairs(k: number): [number, number][] {
  const out: [number, number][] = [];
  for (let i = 0; i < k; i++) for (let j = i + 1; j < k; j++) out.push([i, j]);
  return out;
}

/** TukeyHSD(aov(y ~ g), conf.level) for groups in level order (each with >= 1 value; df = N - k >= 2). */
export function tukeyHsd(groups: readonly { level: string; values: readonly number[] }[], conf = 0.95): TukeyResult {
  const k = groups.length;
  if (k < 2) throw new StatsError('Tukey HSD: needs at least 2 groups');
  const n = groups.map((g) => g.values.length);
  if (n.some((v) => v < 1)) throw new StatsError('Tukey HSD: every group needs at least one value');
  const means = groups.map((g) => g.values.reduce((a, b) => a + b, 0) / g.values.length);
  let sse = 0;
  groups.forEach((g, i) => { for (const v of g.values) sse += (v - means[i]) ** 2; });
  const df = n.reduce((a, b) => a + b, 0) - k;
  if (df < 2) throw new StatsError(`Tukey HSD: ${df} residual degree(s) of freedom (needs 2)`);
  const mse = sse / df;
  const qcrit = qtukey(conf, k, df);
  const comparisons = levelPairs(k).map(([i, j]) => {
    const diff = means[j] - means[i];
    const se = Math.sqrt((mse / 2) * (1 / n[i] + 1 / n[j]));
    const stat = Math.abs(diff) / se;
    return { level: groups[j].level, reference: groups[i].level, diff, ci: [diff - qcrit * se, diff + qcrit * se] as [number, number], statistic: stat, p: ptukey(stat, k, df, false) };
  });
  return { method: 'Tukey HSD', confLevel: conf, df, mse, comparisons };
}
