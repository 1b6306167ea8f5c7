/**
 * Dunnett's many-to-one comparisons for a one-way layout, as multcomp::glht(aov(y ~ g), linfct = mcp(g = "Dunnett"))
 * with the single-step adjustment (summary.glht) and simultaneous intervals (confint.glht): each treatment mean minus
 * the control's, its standard error from the pooled residual variance (df = N - k), t, the adjusted p-value
 * P(max_i |T_i| >= |t|) and estimate ± c·SE with P(max_i |T_i| <= c) = conf.
 *
 * R integrates the multivariate t by Genz-Bretz's randomised lattice rule (stochastic, error ~1e-3 by default). Here
 * the probability is computed deterministically: with n_0 the control's size, the contrasts' correlations are
 * λ_i λ_j, λ_i = sqrt(n_i / (n_i + n_0)), so Z_i = λ_i Z_0 + sqrt(1 - λ_i²) X_i with independent standard normals
 * and, given S = s/σ (S² ~ χ²_df / df) and Z_0 = z, the Z_i are independent. The tail probability is then the double
 * integral ∫ f_S(s) ∫ φ(z) [1 - Π_i P(|Z_i| <= c s | z)] dz ds, computed by adaptive Gauss-Kronrod (7/15) quadrature
 * to ~1e-12 absolute (the product's complement through log1p/expm1, so small p keep their digits).
 */
import { StatsError } from './errors';
import { lgamma, pnorm, pnormUpper } from './dist';
import { uniroot } from './tests';
import { mean } from './basic';
import type { PairwiseComparison } from './tukey';

// Gauss-Kronrod 7/15 nodes and weights (QUADPACK's qk15), to double precision
const XGK = [0.9914553711208126, 0.9491079123427585, 0.8648644233597691, 0.7415311855993945, 0.5860872354676911,
  0.4058451513773972, 0.20778495500789848, 0];
const WGK = [0.022935322010529224, 0.06309209262997856, 0.10479001032225019, 0.14065325971552592, 0.1690047266392679,
  0.19035057806478542, 0.20443294007529889, 0.20948214108472782];
const WG = [0.1294849661688697, 0.27970539148927664, 0.3818300505051189, 0.4179591836734694];

/**
 * ∫_a^b f by adaptive Gauss-Kronrod 7/15: bisects until the Kronrod-Gauss difference (a pessimistic estimate of the
 * Kronrod rule's error) is below tol on each piece, at most `depth` halvings deep.
 */
export function integrate(f: (x: number) => number, a: number, b: number, tol = 1e-13, depth = 16): number {
  const c = (a + b) / 2, h = (b - a) / 2;
  let k = 0, g = 0;
  for (let i = 0; i < 8; i++) {
    const fx = i === 7 ? f(c) : f(c - h * XGK[i]) + f(c + h * XGK[i]);
    k += WGK[i] * fx;
    if (i % 2 === 1) g += WG[(i - 1) / 2] * fx;
  }
  k *= h; g *= h;
  if (Math.abs(k - g) <= tol || depth <= 0) return k;
  return integrate(f, a, c, tol, depth - 1) + integrate(f, c, b, tol, depth - 1);
}

/** ∫ over consecutive break points. */
function integratePieces(f: (x: number) => number, breaks: number[], tol: number): number {
  let s = 0;
  for (let i = 1; i < breaks.length; i++) s += integrate(f, breaks[i - 1], breaks[i], tol);
  return s;
}

/**
 * P(max_i |T_i| >= c) for T_i = Z_i / S with corr(Z_i, Z_j) = λ_i λ_j (i ≠ j), S² ~ χ²_df / df (df = Infinity: S = 1).
 */
export function dunnettTail(c: number, lambda: readonly number[], df: number): number {
  if (!(c > 0)) return 1;
  const r = lambda.map((l) => Math.sqrt(1 - l * l));
  // P(max |Z_i| > x | Z_0 = z) times φ(z), integrated over z in the pieces -10, -3, 0, 3, 10. The integrand is even
  // bit for bit (at -z it adds the same two normal tails in the other order), and the quadrature nodes and bisections
  // of a piece below 0 mirror those of its twin above exactly, so each lower piece is its twin's value: the pieces
  // are summed in their order as before, from half the integrand evaluations.
  // Groups of equal size have equal λ: each distinct λ's term is computed once per z and added where it was before
  // (the same sum, bit for bit), which divides the normal tails' cost by k in a balanced design.
  const first = lambda.map((l) => lambda.indexOf(l));
  const terms = new Float64Array(lambda.length);
  const given = (x: number): number => {
    const f = (z: number): number => {
      let logq = 0;
      for (let i = 0; i < lambda.length; i++) {
        if (first[i] === i) {
          const out = pnorm((-x - lambda[i] * z) / r[i]) + pnormUpper((x - lambda[i] * z) / r[i]);
          terms[i] = Math.log1p(-Math.min(out, 1));
        }
        logq += terms[first[i]];
      }
      return -Math.expm1(logq) * Math.exp(-z * z / 2) / Math.sqrt(2 * Math.PI);
    };
    const outer = integrate(f, 3, 10, 1e-11), inner = integrate(f, 0, 3, 1e-11);
    return outer + inner + inner + outer;
  };
  if (df === Infinity) return given(c);
  // density of S = sqrt(χ²_df / df), split around its mode (sd ~ 1/sqrt(2 df))
  const logK = Math.log(2) + (df / 2) * Math.log(df / 2) - lgamma(df / 2);
  const fs = (s: number): number => (s <= 0 ? 0 : Math.exp(logK + (df - 1) * Math.log(s) - (df * s * s) / 2));
  const sd = 1 / Math.sqrt(2 * df);
  const breaks = [0, ...[-8, -3, 0, 3, 8, 16].map((k) => 1 + k * sd).filter((s) => s > 0 && s < 12), 12];
  return Math.min(1, integratePieces((s) => fs(s) * given(c * s), breaks, 1e-11));
}

export interface DunnettComparison extends PairwiseComparison { se: number }
export interface DunnettResult { method: string; control: string; confLevel: number; df: number; sigma: number; critical: number; comparisons: DunnettComparison[] }

/** Dunnett's comparisons of every group with `control` (a level of groups), in level order, single-step adjusted. */
export function dunnett(groups: readonly { level: string; values: readonly number[] }[], control: string, conf = 0.95): DunnettResult {
  if (!(conf > 0 && conf < 1)) throw new StatsError(`confidence level must be between 0 and 1, got ${conf}`);
  const c0 = groups.findIndex((g) => g.level === control);
  if (c0 < 0) throw new StatsError(`Dunnett: the control "${control}" is not one of the groups (${groups.map((g) => g.level).join(', ')})`);
  if (groups.length < 2) throw new StatsError('Dunnett: needs a control and at least one other group');
  if (groups.some((g) => g.values.length < 1)) throw new StatsError('Dunnett: every group needs at least one value');
  const means = groups.map((g) => mean(g.values));
  let sse = 0, n = 0;
  groups.forEach((g, i) => { for (const v of g.values) sse += (v - means[i]) ** 2; n += g.values.length; });
  const df = n - groups.length;
  if (df < 1) throw new StatsError('Dunnett: no residual degrees of freedom');
  const sigma = Math.sqrt(sse / df);
  if (!(sigma > 0)) throw new StatsError('Dunnett: the residual variance is zero');
  const n0 = groups[c0].values.length;
  const others = groups.map((g, i) => ({ g, i })).filter((x) => x.i !== c0);
  const lambda = others.map(({ g }) => Math.sqrt(g.values.length / (g.values.length + n0)));
  // Each tail is a double integral; the bracket search's last point is uniroot's upper end, evaluated there again.
  const tails = new Map<number, number>();
  const tail = (x: number): number => {
    let v = tails.get(x);
    if (v === undefined) tails.set(x, v = dunnettTail(x, lambda, df));
    return v;
  };
  const alpha = 1 - conf;
  let hi = 4;
  while (tail(hi) > alpha && hi < 1e6) hi *= 2;
  const critical = uniroot((x) => tail(x) - alpha, 1e-6, hi, 1e-10);
  const comparisons = others.map(({ g, i }) => {
    const diff = means[i] - means[c0];
    const se = sigma * Math.sqrt(1 / g.values.length + 1 / n0);
    const t = diff / se;
    return { level: g.level, reference: control, diff, se, ci: [diff - critical * se, diff + critical * se] as [number, number], statistic: t, p: tail(Math.abs(t)) };
  });
  return { method: 'Dunnett (single-step)', control, confLevel: conf, df, sigma, critical, comparisons };
}
