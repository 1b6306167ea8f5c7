/**
 * Linear regression against R's lm / summary.lm / confint, drop1(test = "F") and car::Anova type II, and the
 * adjusted means against emmeans (test/golden/linear.R), 1e-6 relative.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { assertAllClose, assertClose, readGolden } from '../helpers';
import { dropTermTests, linearCombination, linearRegression, type LinearModel } from '../../../src/engine/stats/linear';
import { StatsError } from '../../../src/engine/stats/errors';

interface Fit {
  names: string[]; X: number[][]; y: number[]; level: number; coef: number[]; se: number[]; t: number[]; p: number[]; ci: number[][];
  sigma: number; r2: number; adjR2: number; fStatistic: number; df1: number; df2: number; fP: number; n: number; rss: number; fitted: number[];
}
interface Drop { term: string[]; df: number[]; sumSq: number[]; f: number[]; p: number[] }
interface Emm { level: string[]; mean: number[]; se: number[]; lower: number[]; upper: number[] }
const G = readGolden<{
  full: Fit; full90: Fit; drop1: Drop & { rss: number[] }; anovaII: Omit<Drop, 'df'>; emmeans: Emm & { ageMean: number; bmiMean: number };
  two: Fit; twoDrop1: Drop; twoEmmeans: Emm; collinear: Fit; single: Fit;
}>('linear.json');

function checkFit(f: Fit, what: string): LinearModel {
  const m = linearRegression(f.y, f.X, f.names, { confLevel: f.level });
  assert.deepEqual(m.coefficients.map((c) => c.term), ['(Intercept)', ...f.names]);
  assertAllClose(m.coefficients.map((c) => c.coef), f.coef, 1e-6, 1e-12, `${what} coef`);
  assertAllClose(m.coefficients.map((c) => c.se), f.se, 1e-6, 1e-12, `${what} se`);
  assertAllClose(m.coefficients.map((c) => c.t), f.t, 1e-6, 1e-12, `${what} t`);
  assertAllClose(m.coefficients.map((c) => c.p), f.p, 1e-6, 1e-15, `${what} p`);
  assertAllClose(m.coefficients.flatMap((c) => c.ci), f.ci.flat(), 1e-6, 1e-12, `${what} ci`);
  for (const k of ['sigma', 'r2', 'adjR2', 'fStatistic', 'rss'] as const) assertClose(m[k], f[k], 1e-6, 1e-12, `${what} ${k}`);
  assertClose(m.fP, f.fP, 1e-6, 1e-15, `${what} F p`);
  assert.deepEqual([m.df1, m.df2, m.n], [f.df1, f.df2, f.n]);
  assertAllClose(m.fitted, f.fitted, 1e-6, 1e-12, `${what} fitted`);
  return m;
}

test('lm: coefficients, SE, t, p, CI, sigma, R², adjusted R², F test (factor + covariates; 95% and 90%)', () => {
  checkFit(G.full, 'full');
  checkFit(G.full90, 'full 90%');
  checkFit(G.single, 'single predictor');
  checkFit(G.two, 'two groups');
});

test('lm on moderately collinear columns (r ≈ 0.9999) still matches R at 1e-6', () => {
  checkFit(G.collinear, 'collinear');
});

test('drop1(test = "F") per term equals R, and equals car::Anova type II for the main-effects model', () => {
  const f = G.full;
  const m = linearRegression(f.y, f.X, f.names);
  const terms = [{ term: 'age', columns: [0] }, { term: 'bmi', columns: [1] }, { term: 'group', columns: [2, 3] }, { term: 'sex', columns: [4] }];
  const d = dropTermTests(f.y, f.X, f.names, terms, m);
  assert.deepEqual(d.map((x) => x.term), G.drop1.term);
  assert.deepEqual(d.map((x) => x.df), G.drop1.df);
  assertAllClose(d.map((x) => x.sumSq), G.drop1.sumSq, 1e-6, 1e-12, 'sum sq');
  assertAllClose(d.map((x) => x.rss), G.drop1.rss, 1e-6, 1e-12, 'rss');
  assertAllClose(d.map((x) => x.f), G.drop1.f, 1e-6, 1e-12, 'F');
  assertAllClose(d.map((x) => x.p), G.drop1.p, 1e-6, 1e-15, 'p');
  assertAllClose(d.map((x) => x.f), G.anovaII.f, 1e-6, 1e-12, 'F (car::Anova II)');
  assertAllClose(d.map((x) => x.p), G.anovaII.p, 1e-6, 1e-15, 'p (car::Anova II)');
});

test('adjusted means (covariates at their means, equal weights over sex) equal emmeans', () => {
  const f = G.full, e = G.emmeans;
  const m = linearRegression(f.y, f.X, f.names);
  e.level.forEach((l, k) => {
    const r = linearCombination(m, [1, e.ageMean, e.bmiMean, l === 'low' ? 1 : 0, l === 'high' ? 1 : 0, 0.5]);
    assertClose(r.estimate, e.mean[k], 1e-6, 1e-12, `${l} mean`);
    assertClose(r.se, e.se[k], 1e-6, 1e-12, `${l} se`);
    assertAllClose(r.ci, [e.lower[k], e.upper[k]], 1e-6, 1e-12, `${l} ci`);
  });
});

test('an aliased column, too few rows and a bad level are StatsErrors naming the problem', () => {
  const x = [1, 2, 3, 4, 5, 6];
  const y = [1, 3, 2, 5, 4, 6];
  assert.throws(() => linearRegression(y, x.map((v) => [v, 2 * v]), ['a', 'b']), (e: Error) => e instanceof StatsError && /"b" is collinear/.test(e.message));
  assert.throws(() => linearRegression(y.slice(0, 2), [[1], [2]], ['a']), StatsError);
  assert.throws(() => linearRegression(y, x.map((v) => [v]), ['a'], { confLevel: 1 }), StatsError);
  assert.throws(() => linearRegression(y, x.map((v) => [v === 3 ? NaN : v]), ['a']), StatsError);
});
