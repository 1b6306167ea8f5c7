/**
 * Classical tests, each defined as R 4.2's stats package computes it (two-sided by default; t tests, Fisher 2x2 and
 * the rank tests take `alternative` 'less' | 'greater' as R's `alternative` argument, x being the first sample):
 *   tTest (t.test; Student by default as the seed papers, Welch by option), pairedT (t.test paired = TRUE),
 *   oneWayAnova (aov F test; Welch = oneway.test var.equal = FALSE), chisqTest (chisq.test on a matrix),
 *   fisherExact (fisher.test on a 2x2 table: p, conditional MLE odds ratio and its CI, including R's uniroot),
 *   mannWhitney (wilcox.test two-sample), wilcoxonSignedRank (wilcox.test one-sample / paired),
 *   kruskalWallis (kruskal.test).
 * Input: plain numeric arrays without missing values (NaN / Infinity throw StatsError); where R stops with an
 * error (too few observations, constant data) a StatsError is thrown with R's reason.
 */
import { StatsError } from './errors';
import { pt, ptTwoSided, qt, pfUpper, pchisqUpper, pnorm, pnormUpper, qnorm, lgamma } from './dist';
import { checkFinite, magnitudeScale, mean, variance, rank, sumExtended, tieSizes } from './basic';
import { maxOf, minOf } from '../../shared/extent';
import { medianSorted, sortedNumbers } from '../../shared/quantile';

export interface TestResult {
  /** Short label for reports: "Student t", "Welch t", "paired t", "ANOVA", "Welch ANOVA", "Pearson chi-square",
   * "chi-square (Yates)", "Fisher exact", "Mann-Whitney", "Wilcoxon signed-rank", "Kruskal-Wallis". */
  test: string;
  /** R's method line, e.g. "Wilcoxon rank sum exact test", "Welch Two Sample t-test". */
  method: string;
  /** Name of the statistic as R prints it ("t", "F", "X-squared", "W", "V", "Kruskal-Wallis chi-squared"); null for Fisher. */
  statisticName: string | null;
  statistic: number | null;
  df: number | [number, number] | null;
  p: number;
  /** Mean difference (t tests), conditional MLE odds ratio (Fisher); null otherwise. */
  estimate: number | null;
  estimateName: string | null;
  ci: [number, number] | null;
  confLevel: number | null;
  /** Observations used. */
  n: number;
  warnings: string[];
}

const EPS = 2.220446049250313e-16;

function base(test: string, method: string, statisticName: string | null, n: number): TestResult {
  return { test, method, statisticName, statistic: null, df: null, p: NaN, estimate: null, estimateName: null, ci: null, confLevel: null, n, warnings: [] };
}

/** R's `alternative`: the true location shift (or odds ratio, correlation) of x relative to y is ≠ / < / > the null. */
export type Alternative = 'two.sided' | 'less' | 'greater';

/** p and the CI (in standard errors, around 0) of a t statistic for the alternative, as t.test. */
function tTail(t: number, df: number, conf: number, alt: Alternative): { p: number; ci: [number, number] } {
  if (alt === 'less') return { p: pt(t, df), ci: [-Infinity, t + qt(conf, df)] };
  if (alt === 'greater') return { p: pt(-t, df), ci: [t - qt(conf, df), Infinity] };
  const q = qt(1 - (1 - conf) / 2, df);
  return { p: ptTwoSided(t, df), ci: [t - q, t + q] };
}

/** p of a standard normal statistic for the alternative. */
function normalTail(z: number, alt: Alternative): number {
  if (alt === 'less') return pnorm(z);
  if (alt === 'greater') return pnormUpper(z);
  return twoSidedNormal(z);
}

/** The continuity correction of the rank tests' normal approximation (R: sign(z)/2 two-sided, ±1/2 one-sided). */
function rankCorrection(z: number, alt: Alternative): number {
  return alt === 'two.sided' ? Math.sign(z) * 0.5 : alt === 'greater' ? 0.5 : -0.5;
}

function checkConf(conf: number): void {
  if (!(conf > 0 && conf < 1)) throw new StatsError(`confidence level must be between 0 and 1, got ${conf}`);
}

// ---------------------------------------------------------------------------------------------------------------
// t tests
// ---------------------------------------------------------------------------------------------------------------

export interface TTestOptions {
  /** Pooled-variance Student t (default true, as the seed papers and SPSS's first row). */
  varEqual?: boolean;
  /** Welch t (same as varEqual: false; R's default). */
  welch?: boolean;
  /** Confidence level of the CI of the mean difference (0.95). */
  conf?: number;
  /** 'less': mean(x) < mean(y); 'greater': mean(x) > mean(y) (one-sided CI, as t.test). */
  alternative?: Alternative;
}

/** Two-sample t test of mean(x) - mean(y), as t.test(x, y, var.equal = ...). */
export function tTest(x: readonly number[], y: readonly number[], opts: TTestOptions = {}): TestResult {
  const varEqual = opts.welch ? false : (opts.varEqual ?? true);
  const conf = opts.conf ?? 0.95;
  checkConf(conf);
  checkFinite(x, 'x'); checkFinite(y, 'y');
  const nx = x.length, ny = y.length;
  if (nx < 1 || (!varEqual && nx < 2)) throw new StatsError("t test: not enough 'x' observations");
  if (ny < 1 || (!varEqual && ny < 2)) throw new StatsError("t test: not enough 'y' observations");
  if (varEqual && nx + ny < 3) throw new StatsError('t test: not enough observations');
  // Values near 1e300 would overflow the variances: test x / c and y / c (t, df and p do not depend on c).
  const c = magnitudeScale(x, y);
  if (c !== 1) return rescaled(tTest(x.map((v) => v / c), y.map((v) => v / c), opts), c);
  const mx = mean(x), my = mean(y);
  const vx = nx > 1 ? variance(x) : 0, vy = ny > 1 ? variance(y) : 0;
  let df: number, stderr: number;
  if (varEqual) {
    df = nx + ny - 2;
    const v = ((nx > 1 ? (nx - 1) * vx : 0) + (ny > 1 ? (ny - 1) * vy : 0)) / df;
    stderr = Math.sqrt(v * (1 / nx + 1 / ny));
  } else {
    const sx = Math.sqrt(vx / nx), sy = Math.sqrt(vy / ny);
    stderr = Math.sqrt(sx * sx + sy * sy);
    df = stderr ** 4 / (sx ** 4 / (nx - 1) + sy ** 4 / (ny - 1));
  }
  if (stderr < 10 * EPS * Math.max(Math.abs(mx), Math.abs(my)) || stderr === 0) throw new StatsError('t test: data are essentially constant');
  const t = (mx - my) / stderr;
  const r = base(varEqual ? 'Student t' : 'Welch t', varEqual ? 'Two Sample t-test' : 'Welch Two Sample t-test', 't', nx + ny);
  const tail = tTail(t, df, conf, opts.alternative ?? 'two.sided');
  return { ...r, statistic: t, df, p: tail.p, estimate: mx - my, estimateName: 'difference in means', ci: [tail.ci[0] * stderr, tail.ci[1] * stderr], confLevel: conf };
}

/** A location test's result on data divided by c, stated in the data's units (estimate and CI times c). */
function rescaled(r: TestResult, c: number): TestResult {
  const out: TestResult = { ...r };
  if (r.estimate !== null) out.estimate = r.estimate * c;
  if (r.ci) out.ci = [r.ci[0] * c, r.ci[1] * c];
  return out;
}

/** Paired t test of x - y, as t.test(x, y, paired = TRUE). */
export function pairedT(x: readonly number[], y: readonly number[], opts: { conf?: number; alternative?: Alternative } = {}): TestResult {
  if (x.length !== y.length) throw new StatsError(`paired t test: x and y have different lengths (${x.length}, ${y.length})`);
  checkFinite(x, 'x'); checkFinite(y, 'y');
  const d = x.map((v, i) => v - y[i]);
  return oneSampleT(d, 'paired t', 'Paired t-test', 'mean difference', opts.conf ?? 0.95, opts.alternative);
}

/** One-sample t test of mean(x) = 0 (used by pairedT; exported for differences already formed). */
export function oneSampleT(x: readonly number[], test = 'one-sample t', method = 'One Sample t-test', estimateName = 'mean of x', conf = 0.95, alternative: Alternative = 'two.sided'): TestResult {
  checkConf(conf);
  checkFinite(x, 'x');
  const n = x.length;
  if (n < 2) throw new StatsError("t test: not enough 'x' observations");
  const c = magnitudeScale(x);
  if (c !== 1) return rescaled(oneSampleT(x.map((v) => v / c), test, method, estimateName, conf, alternative), c);
  const m = mean(x);
  const df = n - 1;
  const stderr = Math.sqrt(variance(x) / n);
  if (stderr < 10 * EPS * Math.abs(m) || stderr === 0) throw new StatsError('t test: data are essentially constant');
  const t = m / stderr;
  const tail = tTail(t, df, conf, alternative);
  return { ...base(test, method, 't', n), statistic: t, df, p: tail.p, estimate: m, estimateName, ci: [tail.ci[0] * stderr, tail.ci[1] * stderr], confLevel: conf };
}

// ---------------------------------------------------------------------------------------------------------------
// One-way ANOVA
// ---------------------------------------------------------------------------------------------------------------

export interface AnovaResult extends TestResult {
  /** Classical ANOVA table (also filled for Welch, for reference). */
  ssBetween: number;
  ssWithin: number;
  groupMeans: number[];
  groupSizes: number[];
}

function checkGroups(groups: readonly (readonly number[])[], fn: string): void {
  if (groups.length < 2) throw new StatsError(`${fn}: needs at least 2 groups, got ${groups.length}`);
  groups.forEach((g, i) => {
    checkFinite(g, `group ${i + 1}`);
    if (g.length === 0) throw new StatsError(`${fn}: group ${i + 1} has no observations`);
  });
}

/**
 * One-way ANOVA F test (aov / oneway.test var.equal = TRUE); `varEqual: false` gives Welch's F
 * (oneway.test default): F = Σ w_i (m_i - m_w)² / ((k - 1)(1 + 2(k - 2) tmp)), df2 = 1 / (3 tmp).
 */
export function oneWayAnova(groups: readonly (readonly number[])[], opts: { varEqual?: boolean } = {}): AnovaResult {
  const varEqual = opts.varEqual ?? true;
  checkGroups(groups, 'ANOVA');
  const c = magnitudeScale(...groups);
  if (c !== 1) {
    // F, df and p do not depend on the scale; the sums of squares and means are stated in the data's units.
    const r = oneWayAnova(groups.map((g) => g.map((v) => v / c)), opts);
    return { ...r, ssBetween: r.ssBetween * c * c, ssWithin: r.ssWithin * c * c, groupMeans: r.groupMeans.map((m) => m * c) };
  }
  const k = groups.length;
  const ni = groups.map(g => g.length);
  const N = ni.reduce((a, b) => a + b, 0);
  const mi = groups.map(g => mean(g));
  const all = groups.flat();
  const grand = mean(all);
  let ssb = 0, ssw = 0;
  groups.forEach((g, i) => {
    ssb += ni[i] * (mi[i] - grand) ** 2;
    for (const v of g) ssw += (v - mi[i]) ** 2;
  });
  const extra = { ssBetween: ssb, ssWithin: ssw, groupMeans: mi, groupSizes: ni };
  if (varEqual) {
    if (N <= k) throw new StatsError('ANOVA: not enough observations (need more observations than groups)');
    const msw = ssw / (N - k);
    if (Math.sqrt(msw) < 10 * EPS * Math.max(...mi.map(Math.abs)) || msw === 0) throw new StatsError('ANOVA: data are essentially constant within groups');
    const F = (ssb / (k - 1)) / msw;
    return { ...base('ANOVA', 'One-way analysis of means', 'F', N), statistic: F, df: [k - 1, N - k], p: pfUpper(F, k - 1, N - k), ...extra };
  }
  if (ni.some(n => n < 2)) throw new StatsError('Welch ANOVA: not enough observations (every group needs at least 2)');
  const vi = groups.map(g => variance(g));
  vi.forEach((v, i) => {
    if (!(v > 0)) throw new StatsError(`Welch ANOVA: group ${i + 1} is constant (variance 0)`);
  });
  const wi = ni.map((n, i) => n / vi[i]);
  const sw = wi.reduce((a, b) => a + b, 0);
  const tmp = wi.reduce((a, w, i) => a + (1 - w / sw) ** 2 / (ni[i] - 1), 0) / (k * k - 1);
  const m = wi.reduce((a, w, i) => a + w * mi[i], 0) / sw;
  const F = wi.reduce((a, w, i) => a + w * (mi[i] - m) ** 2, 0) / ((k - 1) * (1 + 2 * (k - 2) * tmp));
  const df2 = 1 / (3 * tmp);
  return { ...base('Welch ANOVA', 'One-way analysis of means (not assuming equal variances)', 'F', N), statistic: F, df: [k - 1, df2], p: pfUpper(F, k - 1, df2), ...extra };
}

// ---------------------------------------------------------------------------------------------------------------
// Chi-square and Fisher
// ---------------------------------------------------------------------------------------------------------------

export interface ChisqResult extends TestResult {
  expected: number[][];
  observed: number[][];
}

function checkTable(table: readonly (readonly number[])[], fn: string): void {
  if (table.length < 2 || table[0].length < 2) throw new StatsError(`${fn}: needs at least a 2 x 2 table`);
  const nc = table[0].length;
  table.forEach((row, i) => {
    if (row.length !== nc) throw new StatsError(`${fn}: row ${i + 1} has ${row.length} columns, expected ${nc}`);
    row.forEach((v, j) => {
      if (!(Number.isInteger(v) && v >= 0)) throw new StatsError(`${fn}: cell [${i + 1}, ${j + 1}] is ${v}; counts must be non-negative integers`);
    });
  });
}

/**
 * Pearson chi-square test of independence on an r x c table of counts (rows x columns), as chisq.test(matrix).
 * `correct` (default true, as R) applies Yates' correction to 2x2 tables exactly as R: Y = min(0.5, min |O - E|);
 * it has no effect on larger tables. Pass `correct: false` for the uncorrected "Pearson Chi-Square" row SPSS prints
 * (describeTable does so by default). A zero row or column total throws (R gives NaN). Warns when an expected
 * count is < 5.
 */
export function chisqTest(table: readonly (readonly number[])[], opts: { correct?: boolean } = {}): ChisqResult {
  const correctOpt = opts.correct ?? true;
  checkTable(table, 'chi-square test');
  const nr = table.length, nc = table[0].length;
  const sr = table.map(r => r.reduce((a, b) => a + b, 0));
  const sc = Array.from({ length: nc }, (_, j) => table.reduce((a, r) => a + r[j], 0));
  const n = sr.reduce((a, b) => a + b, 0);
  sr.forEach((s, i) => { if (s === 0) throw new StatsError(`chi-square test: row ${i + 1} total is 0`); });
  sc.forEach((s, j) => { if (s === 0) throw new StatsError(`chi-square test: column ${j + 1} total is 0`); });
  const E = sr.map(a => sc.map(b => (a * b) / n));
  let yates = 0;
  const is2x2 = nr === 2 && nc === 2;
  if (correctOpt && is2x2) {
    let mn = Infinity;
    for (let i = 0; i < 2; i++) for (let j = 0; j < 2; j++) mn = Math.min(mn, Math.abs(table[i][j] - E[i][j]));
    yates = Math.min(0.5, mn);
  }
  let stat = 0;
  for (let i = 0; i < nr; i++) for (let j = 0; j < nc; j++) stat += (Math.abs(table[i][j] - E[i][j]) - yates) ** 2 / E[i][j];
  const df = (nr - 1) * (nc - 1);
  const corrected = correctOpt && is2x2;
  const r: ChisqResult = {
    ...base(corrected ? 'chi-square (Yates)' : 'Pearson chi-square',
      `Pearson's Chi-squared test${corrected && yates > 0 ? " with Yates' continuity correction" : ''}`, 'X-squared', n),
    statistic: stat, df, p: pchisqUpper(stat, df), expected: E, observed: table.map(r => r.slice()),
  };
  const small = E.flat().filter(e => e < 5);
  if (small.length > 0) {
    r.warnings.push(`${small.length} of ${nr * nc} expected counts are below 5 (smallest ${minOf(small).toPrecision(3)}): chi-square approximation may be incorrect${is2x2 ? '; consider Fisher\'s exact test' : ''}`);
  }
  return r;
}

/**
 * Brent's root finder with R's uniroot conventions (Forsythe, Malcolm & Moler's zeroin as in R_zeroin2: f at the
 * ends supplied, tolerance .Machine$double.eps^0.25 by default, 1000 iterations). fisher.test's odds ratio and CI
 * are uniroot results, so they are reproduced only by running the same iteration.
 */
export function uniroot(f: (x: number) => number, lower: number, upper: number, tol = Math.pow(EPS, 0.25), maxit = 1000): number {
  let fa = f(lower), fb = f(upper);
  if (Number.isNaN(fa) || Number.isNaN(fb)) throw new StatsError('uniroot: function is NaN at an end point');
  if (fa * fb > 0) throw new StatsError('uniroot: function values at the end points are not of opposite sign');
  let a = lower, b = upper, c = a, fc = fa;
  if (fa === 0) return a;
  if (fb === 0) return b;
  for (let it = 0; it <= maxit; it++) {
    const prevStep = b - a;
    if (Math.abs(fc) < Math.abs(fb)) {
      a = b; b = c; c = a;
      fa = fb; fb = fc; fc = fa;
    }
    const tolAct = 2 * EPS * Math.abs(b) + tol / 2;
    let step = (c - b) / 2;
    if (Math.abs(step) <= tolAct || fb === 0) return b;
    if (Math.abs(prevStep) >= tolAct && Math.abs(fa) > Math.abs(fb)) {
      let p: number, q: number;
      const cb = c - b;
      if (a === c) {
        const t1 = fb / fa;
        p = cb * t1;
        q = 1 - t1;
      } else {
        const qq = fa / fc, t1 = fb / fc, t2 = fb / fa;
        p = t2 * (cb * qq * (qq - t1) - (b - a) * (t1 - 1));
        q = (qq - 1) * (t1 - 1) * (t2 - 1);
      }
      if (p > 0) q = -q; else p = -p;
      if (p < 0.75 * cb * q - Math.abs(tolAct * q) / 2 && p < Math.abs(prevStep * q / 2)) step = p / q;
    }
    if (Math.abs(step) < tolAct) step = step > 0 ? tolAct : -tolAct;
    a = b; fa = fb;
    b += step; fb = f(b);
    if ((fb > 0 && fc > 0) || (fb < 0 && fc < 0)) { c = a; fc = fa; }
  }
  return b;
}

function lchoose(n: number, k: number): number {
  return lgamma(n + 1) - lgamma(k + 1) - lgamma(n - k + 1);
}

/**
 * Fisher's exact test on a 2x2 table [[a, b], [c, d]] as fisher.test: two-sided p = Σ P(table) over tables with
 * P <= P(observed)·(1 + 1e-7); estimate = conditional maximum-likelihood odds ratio; CI from the non-central
 * hypergeometric tails, each found by R's uniroot (so they agree with R to its root tolerance path, not to a tighter
 * root). The sample odds ratio ad/bc is not what R reports and is not computed.
 */
export function fisherExact(table: readonly (readonly number[])[], opts: { conf?: number; alternative?: Alternative } = {}): TestResult {
  const conf = opts.conf ?? 0.95;
  checkConf(conf);
  checkTable(table, 'Fisher exact test');
  if (table.length !== 2 || table[0].length !== 2) throw new StatsError('Fisher exact test: only 2 x 2 tables are implemented');
  const m = table[0][0] + table[1][0];
  const n = table[0][1] + table[1][1];
  const k = table[0][0] + table[0][1];
  const x = table[0][0];
  const lo = Math.max(0, k - n), hi = Math.min(k, m);
  const support: number[] = [];
  for (let s = lo; s <= hi; s++) support.push(s);
  const logdc = support.map(s => lchoose(m, s) + lchoose(n, k - s) - lchoose(m + n, k));
  const dnhyper = (ncp: number): number[] => {
    const d = logdc.map((l, i) => l + Math.log(ncp) * support[i]);
    const mx = maxOf(d);
    const e = d.map(v => Math.exp(v - mx));
    const s = sumExtended(e.length, (i) => e[i]);
    return e.map(v => v / s);
  };
  // Each sum as R's sum() (see sumExtended): the support runs to 140,001 points for a table of 280,000.
  const mnhyper = (ncp: number): number => {
    if (ncp === 0) return lo;
    if (ncp === Infinity) return hi;
    const d = dnhyper(ncp);
    return sumExtended(d.length, (i) => support[i] * d[i]);
  };
  const pnhyper = (q: number, ncp: number, upper = false): number => {
    if (ncp === 0) return upper ? Number(q <= lo) : Number(q >= lo);
    if (ncp === Infinity) return upper ? Number(q <= hi) : Number(q >= hi);
    const d = dnhyper(ncp);
    return sumExtended(d.length, (i) => (upper ? support[i] >= q : support[i] <= q) ? d[i] : 0);
  };
  const alt = opts.alternative ?? 'two.sided';
  const d1 = dnhyper(1);
  const dx = d1[x - lo] * (1 + 1e-7);
  let p = 0;
  if (alt === 'two.sided') p = sumExtended(d1.length, (i) => (d1[i] <= dx ? d1[i] : 0));
  else p = pnhyper(x, 1, alt === 'greater');
  p = Math.min(1, p);
  const mle = (): number => {
    if (x === lo) return 0;
    if (x === hi) return Infinity;
    const mu = mnhyper(1);
    if (mu > x) return uniroot(t => mnhyper(t) - x, 0, 1);
    if (mu < x) return 1 / uniroot(t => mnhyper(1 / t) - x, EPS, 1);
    return 1;
  };
  const ncpU = (alpha: number): number => {
    if (x === hi) return Infinity;
    const p1 = pnhyper(x, 1);
    if (p1 < alpha) return uniroot(t => pnhyper(x, t) - alpha, 0, 1);
    if (p1 > alpha) return 1 / uniroot(t => pnhyper(x, 1 / t) - alpha, EPS, 1);
    return 1;
  };
  const ncpL = (alpha: number): number => {
    if (x === lo) return 0;
    const p1 = pnhyper(x, 1, true);
    if (p1 > alpha) return uniroot(t => pnhyper(x, t, true) - alpha, 0, 1);
    if (p1 < alpha) return 1 / uniroot(t => pnhyper(x, 1 / t, true) - alpha, EPS, 1);
    return 1;
  };
  const alpha = (1 - conf) / 2;
  const ci: [number, number] = alt === 'less' ? [0, ncpU(1 - conf)] : alt === 'greater' ? [ncpL(1 - conf), Infinity] : [ncpL(alpha), ncpU(alpha)];
  return {
    ...base('Fisher exact', "Fisher's Exact Test for Count Data", null, m + n),
    p, estimate: mle(), estimateName: 'odds ratio (conditional MLE)', ci, confLevel: conf,
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Rank tests
// ---------------------------------------------------------------------------------------------------------------

/**
 * Exact null distribution of the Mann-Whitney U (= W) for sample sizes m, n: counts[u] for u = 0..mn, from the
 * number of m-subsets of ranks 1..m+n with each rank sum (additions only, so no cancellation).
 */
export function wilcoxCounts(m0: number, n0: number): number[] {
  // U_{m,n} and U_{n,m} have the same distribution: choose subsets of the smaller size.
  const m = Math.min(m0, n0), n = Math.max(m0, n0);
  const N = m + n;
  const maxS = (m * (2 * N - m + 1)) / 2;
  const dp: Float64Array[] = Array.from({ length: m + 1 }, () => new Float64Array(maxS + 1));
  dp[0][0] = 1;
  for (let v = 1; v <= N; v++) {
    for (let j = Math.min(v, m); j >= 1; j--) {
      const prev = dp[j - 1], cur = dp[j];
      for (let s = maxS; s >= v; s--) if (prev[s - v] !== 0) cur[s] += prev[s - v];
    }
  }
  const off = (m * (m + 1)) / 2;
  return Array.from({ length: m * n + 1 }, (_, u) => dp[m][u + off]);
}

/** P(W <= q) (lower) or P(W > q) (upper), as R's pwilcox. */
export function pwilcox(q: number, m: number, n: number, upper = false): number {
  const c = wilcoxCounts(m, n);
  const total = c.reduce((a, b) => a + b, 0);
  const qf = Math.floor(q + 1e-7);
  let s = 0;
  for (let u = 0; u < c.length; u++) if (upper ? u > qf : u <= qf) s += c[u];
  return s / total;
}

/** Counts of the signed-rank statistic V = 0..n(n+1)/2 over the 2^n sign patterns. */
export function signrankCounts(n: number): number[] {
  const maxV = (n * (n + 1)) / 2;
  const c = new Float64Array(maxV + 1);
  c[0] = 1;
  for (let v = 1; v <= n; v++) for (let s = maxV; s >= v; s--) c[s] += c[s - v];
  return Array.from(c);
}

/** P(V <= q) (lower) or P(V > q) (upper), as R's psignrank. */
export function psignrankExact(q: number, n: number, upper = false): number {
  const c = signrankCounts(n);
  const total = Math.pow(2, n);
  const qf = Math.floor(q + 1e-7);
  let s = 0;
  for (let v = 0; v < c.length; v++) if (upper ? v > qf : v <= qf) s += c[v];
  return s / total;
}

/** Size limits for a forced exact p (R's own rule, n < 50, is far below them): beyond, normal approximation + warning. */
const MAX_EXACT_MN = 40000;
const MAX_EXACT_SIGNRANK = 1000;

export interface RankTestOptions {
  /** Continuity correction of the normal approximation (R's default true). */
  correct?: boolean;
  /** Force exact (true) or normal approximation (false); default as R: exact when n < 50 (each sample) and no ties. */
  exact?: boolean;
  /**
   * Hodges-Lehmann estimate and CI as wilcox.test(conf.int = TRUE) (default false, as R): exact branch from the
   * sorted Walsh averages / pairwise differences with qwilcox / qsignrank; normal branch by R's uniroot on the
   * standardised statistic (tol.root 1e-4), with R's quirks (the estimate's root uses no continuity correction).
   */
  confInt?: boolean;
  /** Confidence level of that CI (0.95). */
  conf?: number;
  /** 'less' / 'greater': x is shifted below / above y (paired: the differences x - y below / above 0); one-sided CI. */
  alternative?: Alternative;
}

const TOL_ROOT = 1e-4;

/** Smallest q with P(W <= q) >= p (R's qwilcox, including its 10 eps fuzz), for p <= 0.5. */
function qwilcoxLower(p: number, m: number, n: number): number {
  const c = wilcoxCounts(m, n);
  const total = c.reduce((a, b) => a + b, 0);
  const x = p - 10 * EPS;
  let acc = 0;
  for (let q = 0; q < c.length; q++) {
    acc += c[q] / total;
    if (acc >= x) return q;
  }
  return c.length - 1;
}

/** Smallest q with P(V <= q) >= p (R's qsignrank, including its 10 eps fuzz), for p <= 0.5. */
function qsignrankLower(p: number, n: number): number {
  const c = signrankCounts(n);
  const f = Math.exp(-n * Math.LN2);
  const x = p - 10 * EPS;
  let acc = 0;
  for (let q = 0; q < c.length; q++) {
    acc += c[q] * f;
    if (acc >= x) return q;
  }
  return c.length - 1;
}

/** qnorm(p) (lower = true) or qnorm(p, lower.tail = FALSE). */
function qnormLower(p: number, lower = true): number {
  return lower ? qnorm(p) : -qnorm(p);
}

function twoSidedNormal(z: number): number {
  return 2 * Math.min(pnorm(z), pnormUpper(z));
}

/** The SD of W under the null, tie-corrected (`tieSum` = Σ (t³ - t) over the tie groups), as wilcox.test. */
function rankSumSd(nx: number, ny: number, tieSum: number): number {
  return Math.sqrt((nx * ny / 12) * ((nx + ny + 1) - tieSum / ((nx + ny) * (nx + ny - 1))));
}

/** The SD of V under the null for n non-zero differences, tie-corrected (`tieSum` = Σ (t³ - t)), as wilcox.test. */
function signedRankSd(n: number, tieSum: number): number {
  return Math.sqrt((n * (n + 1) * (2 * n + 1)) / 24 - tieSum / 48);
}

/**
 * For the Hodges-Lehmann CI of the normal branch, where R's wilcox.test ranks the shifted sample again at every step
 * of uniroot: W of (x - d) against y and the ties' Σ (t³ - t), from x and y sorted ascending, in one merge.
 * W = Σ over x of #(y < x - d) + ½ #(y = x - d), which is the rank sum of x - d in the combined sample less
 * nx(nx + 1)/2. The numbers are rank()'s and tieSizes()'s: half-integer sums (exact below 2^53) and the tie groups in
 * ascending order, as R's table() of the ranks.
 */
function shiftedRankSum(xs: Float64Array, ys: Float64Array, d: number): { w: number; ties: number } {
  const nx = xs.length, ny = ys.length;
  let i = 0, k = 0, w2 = 0, ties = 0;
  while (i < nx || k < ny) {
    const v = k >= ny || (i < nx && xs[i] - d <= ys[k]) ? xs[i] - d : ys[k];
    const below = k;
    let cx = 0, cy = 0;
    while (i < nx && xs[i] - d === v) { i++; cx++; }
    while (k < ny && ys[k] === v) { k++; cy++; }
    w2 += cx * (2 * below + cy);
    const t = cx + cy;
    if (t > 1) ties = ties + t ** 3 - t;
  }
  return { w: w2 / 2, ties };
}

/**
 * The signed-rank statistic of s - d centred (V - m(m + 1)/4), the number m of non-zero differences and the ties'
 * Σ (t³ - t), from s sorted ascending: the negative differences read backwards and the positive ones forwards are
 * both ascending in |s - d|, so one merge ranks them (midranks across the two sides), where R ranks |x - d| again at
 * every step of uniroot. Exact as rank() and tieSizes(): quarter-integer sums, tie groups in ascending order.
 */
function shiftedSignedRanks(s: Float64Array, d: number): { zd: number; m: number; ties: number } {
  const n = s.length;
  let p = 0;
  while (p < n && s[p] - d < 0) p++;
  let q = p;
  while (q < n && s[q] - d === 0) q++;
  const m = p + n - q;
  let a = p - 1, b = q, before = 0, zd = -(m * (m + 1)) / 4, ties = 0;
  while (a >= 0 || b < n) {
    const neg = a >= 0 ? -(s[a] - d) : Infinity, pos = b < n ? s[b] - d : Infinity;
    const v = neg <= pos ? neg : pos;
    let cn = 0, cp = 0;
    while (a >= 0 && -(s[a] - d) === v) { a--; cn++; }
    while (b < n && s[b] - d === v) { b++; cp++; }
    const t = cn + cp;
    zd += cp * (before + (t + 1) / 2);
    if (t > 1) ties = ties + t ** 3 - t;
    before += t;
  }
  return { zd, m, ties };
}

/**
 * Mann-Whitney / Wilcoxon rank-sum test as wilcox.test(x, y): W = R_x - n_x(n_x + 1)/2. Exact p when both samples
 * have fewer than 50 values and there are no ties, otherwise the normal approximation with tie-corrected variance and
 * (by default) continuity correction. No location estimate / CI (R gives one only with conf.int = TRUE).
 */
export function mannWhitney(x: readonly number[], y: readonly number[], opts: RankTestOptions = {}): TestResult {
  checkFinite(x, 'x'); checkFinite(y, 'y');
  if (x.length < 1) throw new StatsError("Mann-Whitney: not enough 'x' observations");
  if (y.length < 1) throw new StatsError("Mann-Whitney: not enough 'y' observations");
  const correct = opts.correct ?? true;
  const nx = x.length, ny = y.length;
  const all = [...x, ...y];
  const r = rank(all);
  let rx = 0;
  for (let i = 0; i < nx; i++) rx += r[i];
  const W = rx - (nx * (nx + 1)) / 2;
  const ties = tieSizes(all);
  let exact = opts.exact ?? (nx < 50 && ny < 50);
  const res = base('Mann-Whitney', '', 'W', nx + ny);
  if (exact && ties.length > 0) {
    res.warnings.push('cannot compute exact p-value with ties: normal approximation used');
    exact = false;
  }
  if (exact && nx * ny > MAX_EXACT_MN) {
    res.warnings.push(`exact p-value not computed for ${nx} x ${ny} observations (limit m·n <= ${MAX_EXACT_MN}): normal approximation used`);
    exact = false;
  }
  const conf = opts.conf ?? 0.95;
  const alt = opts.alternative ?? 'two.sided';
  if (opts.confInt) checkConf(conf);
  if (exact) {
    const p = alt === 'less' ? pwilcox(W, nx, ny) : alt === 'greater' ? pwilcox(W - 1, nx, ny, true)
      : Math.min(1, 2 * (W > (nx * ny) / 2 ? pwilcox(W - 1, nx, ny, true) : pwilcox(W, nx, ny)));
    const out: TestResult = { ...res, method: 'Wilcoxon rank sum exact test', statistic: W, p };
    if (opts.confInt) rankSumExactCi(out, x, y, conf, alt);
    return out;
  }
  const z0 = W - (nx * ny) / 2;
  const tieSum = ties.reduce((a, t) => a + t ** 3 - t, 0);
  const sigma = rankSumSd(nx, ny, tieSum);
  if (!(sigma > 0)) throw new StatsError('Mann-Whitney: all observations are tied');
  const corr = correct ? rankCorrection(z0, alt) : 0;
  const z = (z0 - corr) / sigma;
  const out: TestResult = { ...res, method: `Wilcoxon rank sum test${correct ? ' with continuity correction' : ''}`, statistic: W, p: normalTail(z, alt) };
  if (opts.confInt) rankSumNormalCi(out, x, y, conf, alt, correct);
  return out;
}

const SHIFT_NAME = 'difference in location (Hodges-Lehmann)';

/** wilcox.test(x, y, conf.int = TRUE)'s exact branch: the estimate and CI from the sorted pairwise differences. */
function rankSumExactCi(out: TestResult, x: readonly number[], y: readonly number[], conf: number, alt: Alternative): void {
  const nx = x.length, ny = y.length;
  const alpha = 1 - conf, sides = alt === 'two.sided' ? 2 : 1;
  const diffs: number[] = [];
  for (const a of x) for (const b of y) diffs.push(a - b);
  diffs.sort((a, b) => a - b);
  let qu = qwilcoxLower(alpha / sides, nx, ny);
  if (qu === 0) qu = 1;
  const ql = nx * ny - qu;
  const achieved = sides * pwilcox(Math.trunc(qu) - 1, nx, ny);
  let level = conf;
  if (achieved - alpha > alpha / 2) {
    level = 1 - achieved;
    out.warnings.push(`requested confidence level not achievable: ${level.toPrecision(3)} used`);
  }
  const ci = [alt === 'less' ? -Infinity : diffs[qu - 1], alt === 'greater' ? Infinity : diffs[ql]];
  Object.assign(out, { estimate: medianSorted(diffs), estimateName: SHIFT_NAME, ci, confLevel: level });
}

/** wilcox.test(x, y, conf.int = TRUE)'s normal branch: uniroot on the standardised statistic of x - d against y. */
function rankSumNormalCi(out: TestResult, x: readonly number[], y: readonly number[], conf: number, alt: Alternative, correct: boolean): void {
  const nx = x.length, ny = y.length;
  const alpha = 1 - conf;
  const mumin = minOf(x) - maxOf(y);
  const mumax = maxOf(x) - minOf(y);
  const xs = sortedNumbers(x), ys = sortedNumbers(y);
  const Wd = (d: number, corrected: boolean): number => {
    const { w, ties } = shiftedRankSum(xs, ys, d);
    const dz = w - (nx * ny) / 2;
    return (dz - (corrected ? rankCorrection(dz, alt) : 0)) / rankSumSd(nx, ny, ties);
  };
  const wmin = Wd(mumin, correct), wmax = Wd(mumax, correct);
  const root = (zq: number): number => {
    if (wmin - zq <= 0) return mumin;
    if (wmax - zq >= 0) return mumax;
    return uniroot(d => Wd(d, correct) - zq, mumin, mumax, TOL_ROOT);
  };
  const ci: [number, number] = alt === 'less' ? [-Infinity, root(qnormLower(alpha))] : alt === 'greater' ? [root(-qnormLower(alpha)), Infinity]
    : [root(-qnormLower(alpha / 2)), root(qnormLower(alpha / 2))];
  Object.assign(out, { estimate: uniroot(d => Wd(d, false), mumin, mumax, TOL_ROOT), estimateName: SHIFT_NAME, ci, confLevel: conf });
}

/**
 * Wilcoxon signed-rank test as wilcox.test(x, y, paired = TRUE) (or wilcox.test(d) when y is omitted): zero
 * differences dropped, V = sum of ranks of |d| with d > 0. Exact when fewer than 50 non-zero differences and no
 * ties or zeros, else normal approximation with tie-corrected variance and (default) continuity correction.
 */
export function wilcoxonSignedRank(x: readonly number[], y?: readonly number[], opts: RankTestOptions = {}): TestResult {
  checkFinite(x, 'x');
  let d: number[];
  if (y !== undefined) {
    checkFinite(y, 'y');
    if (x.length !== y.length) throw new StatsError(`Wilcoxon signed-rank: x and y have different lengths (${x.length}, ${y.length})`);
    d = x.map((v, i) => v - y[i]);
  } else d = x.slice();
  if (d.length < 1) throw new StatsError("Wilcoxon signed-rank: not enough 'x' observations");
  const correct = opts.correct ?? true;
  const zeroes = d.some(v => v === 0);
  const nz = d.filter(v => v !== 0);
  const n = nz.length;
  let exact = opts.exact ?? n < 50;
  const abs = nz.map(Math.abs);
  const r = rank(abs);
  let V = 0;
  for (let i = 0; i < n; i++) if (nz[i] > 0) V += r[i];
  const ties = tieSizes(r);
  const res = base('Wilcoxon signed-rank', '', 'V', d.length);
  if (exact && (ties.length > 0 || zeroes)) {
    if (ties.length > 0) res.warnings.push('cannot compute exact p-value with ties: normal approximation used');
    if (zeroes) res.warnings.push(`cannot compute exact p-value with zeroes (${d.length - n} zero difference(s) dropped): normal approximation used`);
    exact = false;
  } else if (zeroes) res.warnings.push(`${d.length - n} zero difference(s) dropped`);
  if (exact && n > MAX_EXACT_SIGNRANK) {
    res.warnings.push(`exact p-value not computed for ${n} differences (limit ${MAX_EXACT_SIGNRANK}): normal approximation used`);
    exact = false;
  }
  if (n === 0) throw new StatsError('Wilcoxon signed-rank: all differences are zero');
  const conf = opts.conf ?? 0.95;
  const alt = opts.alternative ?? 'two.sided';
  if (opts.confInt) checkConf(conf);
  if (exact) {
    const p = alt === 'less' ? psignrankExact(V, n) : alt === 'greater' ? psignrankExact(V - 1, n, true)
      : Math.min(1, 2 * (V > (n * (n + 1)) / 4 ? psignrankExact(V - 1, n, true) : psignrankExact(V, n)));
    const out: TestResult = { ...res, method: 'Wilcoxon signed rank exact test', statistic: V, p };
    if (opts.confInt) signedRankExactCi(out, nz, conf, alt);
    return out;
  }
  const z0 = V - (n * (n + 1)) / 4;
  const sigma = signedRankSd(n, ties.reduce((a, t) => a + t ** 3 - t, 0));
  if (!(sigma > 0)) throw new StatsError('Wilcoxon signed-rank: all non-zero differences are tied and the variance is zero');
  const corr = correct ? rankCorrection(z0, alt) : 0;
  const z = (z0 - corr) / sigma;
  const out: TestResult = { ...res, method: `Wilcoxon signed rank test${correct ? ' with continuity correction' : ''}`, statistic: V, p: normalTail(z, alt) };
  if (opts.confInt) signedRankNormalCi(out, nz, conf, alt, correct);
  return out;
}

const PSEUDOMEDIAN_NAME = '(pseudo)median (Hodges-Lehmann)';

/** wilcox.test(d, conf.int = TRUE)'s exact branch: the estimate and CI from the sorted Walsh averages. */
function signedRankExactCi(out: TestResult, nz: readonly number[], conf: number, alt: Alternative): void {
  const n = nz.length;
  const alpha = 1 - conf, sides = alt === 'two.sided' ? 2 : 1;
  const walsh: number[] = [];
  for (let i = 0; i < n; i++) for (let j = i; j < n; j++) walsh.push((nz[i] + nz[j]) / 2);
  walsh.sort((a, b) => a - b);
  let qu = qsignrankLower(alpha / sides, n);
  if (qu === 0) qu = 1;
  const ql = (n * (n + 1)) / 2 - qu;
  const achieved = sides * psignrankExact(Math.trunc(qu) - 1, n);
  let level = conf;
  if (achieved - alpha > alpha / 2) {
    level = 1 - Number(achieved.toPrecision(2));
    out.warnings.push(`requested confidence level not achievable: ${level} used`);
  }
  const ci = [alt === 'less' ? -Infinity : walsh[qu - 1], alt === 'greater' ? Infinity : walsh[ql]];
  Object.assign(out, { estimate: medianSorted(walsh), estimateName: PSEUDOMEDIAN_NAME, ci, confLevel: level });
}

/**
 * wilcox.test(d, conf.int = TRUE)'s normal branch: uniroot on the standardised statistic of d - shift, after R's
 * loop widening alpha while the requested level cannot be reached (including its 'less' branch testing qnorm(alpha / 2)).
 */
function signedRankNormalCi(out: TestResult, nz: readonly number[], conf: number, alt: Alternative, correct: boolean): void {
  let alpha = 1 - conf;
  let level = conf;
  const mumin = minOf(nz), mumax = maxOf(nz);
  const sorted = sortedNumbers(nz);
  const Wd = (dd: number, corrected: boolean): number => {
    const { zd, m, ties } = shiftedSignedRanks(sorted, dd);
    return (zd - (corrected ? rankCorrection(zd, alt) : 0)) / signedRankSd(m, ties);
  };
  const wmin = Wd(mumin, correct);
  const wmax = Number.isFinite(wmin) ? Wd(mumax, correct) : NaN;
  if (!Number.isFinite(wmax)) throw new StatsError('Wilcoxon signed-rank: cannot compute a confidence interval (all observations tied)');
  const widen = (): boolean => (alt === 'greater' ? wmin - qnormLower(alpha, false) < 0 : alt === 'less' ? wmax - qnormLower(alpha / 2) > 0
    : wmin - qnormLower(alpha / 2, false) < 0 || wmax - qnormLower(alpha / 2) > 0);
  while (widen()) alpha *= 2;
  if (alpha >= 1 || 1 - conf < alpha * 0.75) {
    level = 1 - Math.min(1, alpha);
    out.warnings.push(`requested confidence level not achievable: ${level} used`);
  }
  const root = (zq: number): number => uniroot(d => Wd(d, correct) - zq, mumin, mumax, TOL_ROOT);
  const med = medianSorted(sorted);
  const ci: [number, number] = alt === 'greater' ? [alpha < 1 ? root(qnormLower(alpha, false)) : med, Infinity]
    : alt === 'less' ? [-Infinity, alpha < 1 ? root(qnormLower(alpha)) : med]
      : alpha < 1 ? [root(qnormLower(alpha / 2, false)), root(qnormLower(alpha / 2))] : [med, med];
  Object.assign(out, { estimate: uniroot(d => Wd(d, false), mumin, mumax, TOL_ROOT), estimateName: PSEUDOMEDIAN_NAME, ci, confLevel: level });
}

/** Kruskal-Wallis rank-sum test as kruskal.test(list of groups): tie-corrected H, chi-square with k - 1 df. */
export function kruskalWallis(groups: readonly (readonly number[])[]): TestResult {
  checkGroups(groups, 'Kruskal-Wallis');
  const all = groups.flat();
  const n = all.length;
  if (n < 2) throw new StatsError('Kruskal-Wallis: not enough observations');
  const r = rank(all);
  let s = 0, off = 0;
  for (const g of groups) {
    let rs = 0;
    for (let i = 0; i < g.length; i++) rs += r[off + i];
    s += (rs * rs) / g.length;
    off += g.length;
  }
  const tieSum = tieSizes(all).reduce((a, t) => a + t ** 3 - t, 0);
  const denom = 1 - tieSum / (n ** 3 - n);
  if (!(denom > 0)) throw new StatsError('Kruskal-Wallis: all observations are tied');
  const H = ((12 * s) / (n * (n + 1)) - 3 * (n + 1)) / denom;
  const df = groups.length - 1;
  return { ...base('Kruskal-Wallis', 'Kruskal-Wallis rank sum test', 'Kruskal-Wallis chi-squared', n), statistic: H, df, p: pchisqUpper(H, df) };
}
