/**
 * Pearson and Spearman correlation tests as R 4.2's cor.test (two-sided, or `alternative` 'less' | 'greater': the
 * correlation is negative / positive; one-sided Fisher-z CI, as cor.test).
 *
 * Pearson: r, t = sqrt(n - 2) r / sqrt(1 - r²) on n - 2 df, CI by Fisher's z: tanh(atanh r ± z_{(1+conf)/2} / sqrt(n - 3))
 * (only when n > 3, as R). Spearman: rho = Pearson r of the average ranks, S = (n³ - n)(1 - rho)/6; p as R's
 * pspearman: without ties and n <= 1290, AS 89 (exact enumeration of all n! permutations for n <= 9, Edgeworth
 * series for n >= 10, as R's prho.c); with ties (or exact = false / n > 1290) the t approximation. R gives no CI for
 * rho; `fisherCi: true` adds a Fisher-z interval with SE 1/sqrt(n - 3), labelled as such.
 */
import { StatsError } from './errors';
import { pt, ptTwoSided, qnorm, pnorm, pnormUpper } from './dist';
import { checkFinite, magnitudeScale, mean, rank } from './basic';
import type { Alternative } from './tests';

export interface CorrelationResult {
  method: 'pearson' | 'spearman';
  r: number;
  n: number;
  statistic: number;
  /** "t" (Pearson) or "S" (Spearman). */
  statisticName: 't' | 'S';
  /** n - 2 for Pearson, null for Spearman (R reports none). */
  df: number | null;
  p: number;
  /** How p was obtained, e.g. "t (n - 2 df)", "exact (all permutations)", "AS 89 Edgeworth series", "t approximation (ties)". */
  pMethod: string;
  ci: [number, number] | null;
  ciMethod: string | null;
  confLevel: number;
  warnings: string[];
}

function checkPair(x: readonly number[], y: readonly number[], fn: string): void {
  if (x.length !== y.length) throw new StatsError(`${fn}: x and y have different lengths (${x.length}, ${y.length})`);
  checkFinite(x, 'x'); checkFinite(y, 'y');
}

/**
 * Sample correlation coefficient, centred before multiplying as R's cor: refined means (R's cov.c), then sums of
 * products of deviations, each variable at a safe scale (magnitudeScale: r does not depend on it), so values near
 * 1e300 or with a large common offset give R's r. StatsError when a variable is constant.
 */
export function cor(x: readonly number[], y: readonly number[]): number {
  checkPair(x, y, 'correlation');
  const n = x.length;
  if (n < 2) throw new StatsError('correlation: needs at least 2 pairs');
  const cx = magnitudeScale(x), cy = magnitudeScale(y);
  const mx = mean(x) / cx, my = mean(y) / cy;
  let sxx = 0, syy = 0, sxy = 0;
  for (let i = 0; i < n; i++) {
    const dx = x[i] / cx - mx, dy = y[i] / cy - my;
    sxx += dx * dx; syy += dy * dy; sxy += dx * dy;
  }
  if (!(sxx > 0)) throw new StatsError('correlation: x is constant (standard deviation is zero)');
  if (!(syy > 0)) throw new StatsError('correlation: y is constant (standard deviation is zero)');
  const r = sxy / Math.sqrt(sxx * syy);
  return Math.max(-1, Math.min(1, r));
}

/** Fisher-z interval tanh(atanh r ± z / sqrt(n - 3)); null when n <= 3. */
export function fisherZCi(r: number, n: number, conf = 0.95, alternative: Alternative = 'two.sided'): [number, number] | null {
  if (!(conf > 0 && conf < 1)) throw new StatsError(`confidence level must be between 0 and 1, got ${conf}`);
  if (n <= 3) return null;
  const z = Math.atanh(r), sigma = 1 / Math.sqrt(n - 3);
  if (alternative === 'less') return [-1, Math.tanh(z + sigma * qnorm(conf))];
  if (alternative === 'greater') return [Math.tanh(z - sigma * qnorm(conf)), 1];
  const h = qnorm((1 + conf) / 2) * sigma;
  return [Math.tanh(z - h), Math.tanh(z + h)];
}

/**
 * Pearson test from r and n alone (what a paper prints): t, df, two-sided p and Fisher-z CI, by cor.test's formulas.
 * E.g. r = 0.3144, n = 75 gives CI 0.0942 to 0.5053, p = 0.006.
 */
export function pearsonFromR(r: number, n: number, conf = 0.95, alternative: Alternative = 'two.sided'): CorrelationResult {
  if (!Number.isFinite(r) || r < -1 || r > 1) throw new StatsError(`Pearson: r must be in [-1, 1], got ${r}`);
  if (!Number.isInteger(n) || n < 3) throw new StatsError(`Pearson: not enough finite observations (n = ${n}, need 3)`);
  const df = n - 2;
  const t = (Math.sqrt(df) * r) / Math.sqrt(1 - r * r);
  const p = alternative === 'less' ? pt(t, df) : alternative === 'greater' ? pt(-t, df) : ptTwoSided(t, df);
  return {
    method: 'pearson', r, n, statistic: t, statisticName: 't', df, p, pMethod: `t (${df} df)`,
    ci: fisherZCi(r, n, conf, alternative), ciMethod: n > 3 ? 'Fisher z' : null, confLevel: conf, warnings: [],
  };
}

/** Pearson product-moment correlation test, as cor.test(x, y). Needs n >= 3; constant x or y throws. */
export function pearson(x: readonly number[], y: readonly number[], opts: { conf?: number; alternative?: Alternative } = {}): CorrelationResult {
  checkPair(x, y, 'Pearson');
  if (x.length < 3) throw new StatsError(`Pearson: not enough finite observations (n = ${x.length}, need 3)`);
  return pearsonFromR(cor(x, y), x.length, opts.conf ?? 0.95, opts.alternative);
}

/**
 * R's prho (AS 89): P(S >= is), or P(S < is) when `lowerTail`, for Spearman's S = (n³ - n)(1 - rho)/6.
 * n <= 9: exact count over all n! permutations; n >= 10: Edgeworth series (Best & Roberts 1975), clamped to [0, 1].
 */
export function prho(n: number, is: number, lowerTail: boolean): number {
  const pv = lowerTail ? 0 : 1;
  if (n <= 1) return pv;
  if (is <= 0) return pv;
  const n3 = (n * (n * n - 1)) / 3;
  if (is > n3) return 1 - pv;
  if (n <= 9) {
    // Heap's algorithm over all permutations l of 1..n; count sum (i - l_i)² >= is.
    const l = Array.from({ length: n }, (_, i) => i + 1);
    const c = new Array<number>(n).fill(0);
    let nfac = 0, ifr = 0;
    const visit = (): void => {
      nfac++;
      let ise = 0;
      for (let i = 0; i < n; i++) { const d = i + 1 - l[i]; ise += d * d; }
      if (is <= ise) ifr++;
    };
    visit();
    let i = 0;
    while (i < n) {
      if (c[i] < i) {
        const j = i % 2 === 0 ? 0 : c[i];
        const t = l[j]; l[j] = l[i]; l[i] = t;
        visit();
        c[i]++;
        i = 0;
      } else {
        c[i] = 0;
        i++;
      }
    }
    return (lowerTail ? nfac - ifr : ifr) / nfac;
  }
  const c1 = 0.2274, c2 = 0.2531, c3 = 0.1745, c4 = 0.0758, c5 = 0.1033, c6 = 0.3932,
    c7 = 0.0879, c8 = 0.0151, c9 = 0.0072, c10 = 0.0831, c11 = 0.0131, c12 = 4.6e-4;
  let y = n;
  const b = 1 / y;
  const x = ((6 * (is - 1) * b) / (y * y - 1) - 1) * Math.sqrt(y - 1);
  y = x * x;
  const u = x * b * (c1 + b * (c2 + c3 * b) +
    y * (-c4 + b * (c5 + c6 * b) - y * b * (c7 + c8 * b - y * (c9 - c10 * b + y * b * (c11 - c12 * y)))));
  const e = u / Math.exp(y / 2);
  let p = (lowerTail ? -e : e) + (lowerTail ? pnorm(x) : pnormUpper(x));
  if (p < 0) p = 0;
  if (p > 1) p = 1;
  return p;
}

export interface SpearmanOptions {
  /** AS 89 p when there are no ties and n <= 1290 (default true, R's default); false: t approximation. */
  exact?: boolean;
  /** Add a Fisher-z CI for rho (SE 1/sqrt(n - 3)); R's cor.test gives none. Default false. */
  fisherCi?: boolean;
  conf?: number;
  alternative?: Alternative;
}

/** Spearman rank correlation test, as cor.test(x, y, method = "spearman"). Needs n >= 2; constant x or y throws. */
export function spearman(x: readonly number[], y: readonly number[], opts: SpearmanOptions = {}): CorrelationResult {
  checkPair(x, y, 'Spearman');
  const n = x.length;
  if (n < 2) throw new StatsError(`Spearman: not enough finite observations (n = ${n}, need 2)`);
  const conf = opts.conf ?? 0.95;
  const warnings: string[] = [];
  const r = cor(rank(x), rank(y));
  const q = ((n ** 3 - n) * (1 - r)) / 6;
  const ties = new Set(x).size < n || new Set(y).size < n;
  let exact = opts.exact ?? true;
  if (ties && exact) {
    exact = false;
    warnings.push('cannot compute exact p-value with ties: t approximation used');
  }
  const alt = opts.alternative ?? 'two.sided';
  // R's pspearman: the lower tail of S (large rho) or its upper tail
  const pS = (lowerTail: boolean): number => {
    if (exact && n <= 1290) return prho(n, Math.round(q) + (lowerTail ? 2 : 0), lowerTail);
    const den = (n * (n * n - 1)) / 6;
    const rr = 1 - q / den;
    const t = rr / Math.sqrt((1 - rr * rr) / (n - 2));
    return lowerTail ? pt(-t, n - 2) : pt(t, n - 2);
  };
  const pMethod = exact && n <= 1290 ? (n <= 9 ? 'exact (all permutations, AS 89)' : 'AS 89 Edgeworth series') : `t approximation (${n - 2} df)${ties ? ', ties' : ''}`;
  const p = alt === 'greater' ? pS(true) : alt === 'less' ? pS(false) : Math.min(1, 2 * pS(!(q > (n ** 3 - n) / 6)));
  const ci = opts.fisherCi ? fisherZCi(r, n, conf, alt) : null;
  return {
    method: 'spearman', r, n, statistic: q, statisticName: 'S', df: null, p, pMethod,
    ci, ciMethod: ci ? 'Fisher z (SE 1/sqrt(n - 3))' : null, confLevel: conf, warnings,
  };
}
