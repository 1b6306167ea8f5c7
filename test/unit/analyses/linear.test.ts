/**
 * `linear` and `compare ... adjusting` (ANCOVA) through the study language on the tace example's clinical table,
 * against R's lm / drop1(test = "F") / emmeans on the same rows (test/golden/linear.R, "study" and "studyAncova"),
 * 1e-6 relative; and the located errors of both.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { runExtraLines } from './exampleRun';
import { assertAllClose, assertClose, readGolden } from '../helpers';
import { resultTables } from '../../../src/shared/report/kinds';
import { isErrorResult, type CompareResult, type LinearResult } from '../../../src/shared/report/types';

interface Fit { names: string[]; coef: number[]; se: number[]; t: number[]; p: number[]; ci: number[][]; sigma: number; r2: number; adjR2: number; fStatistic: number; fP: number; n: number; df1: number; df2: number }
interface Ancova { term: string[]; df: number[]; sumSq: number[]; f: number[]; p: number[]; r2: number; dfResidual: number; n: number; level: string[]; mean: number[]; se: number[]; lower: number[]; upper: number[] }
const G = readGolden<{ study: Fit; studyAncova: Ancova }>('linear.json');

const run = (extra: string) => runExtraLines('tace-exosomal-mirna', extra);
async function result<R>(extra: string, name: string): Promise<R> {
  const { report, diagnostics } = await run(extra);
  assert.ok(report, diagnostics.filter((d) => d.severity === 'error').map((d) => d.message).join('; '));
  const r = report.results.find((x) => x.name === name);
  assert.ok(r, name);
  return r as R;
}

test('linear log10(afp) ~ age + sex + etiology + alb equals lm (coefficients, CI, R², F, sigma)', async () => {
  const r = await result<LinearResult>('lt: linear log10(afp) ~ age + sex + etiology + alb', 'lt');
  assert.ok(!isErrorResult(r));
  const g = G.study;
  assert.equal(r.n, g.n);
  assert.deepEqual(r.terms.map((t) => t.term), ['(Intercept)', 'age', 'sex[M]', 'etiology[HBV]', 'etiology[HCV]', 'etiology[NBNC]', 'alb']);
  assertAllClose(r.terms.map((t) => t.coef), g.coef, 1e-6, 1e-12, 'coef');
  assertAllClose(r.terms.map((t) => t.se), g.se, 1e-6, 1e-12, 'se');
  assertAllClose(r.terms.map((t) => t.t), g.t, 1e-6, 1e-12, 't');
  assertAllClose(r.terms.map((t) => t.p), g.p, 1e-6, 1e-15, 'p');
  assertAllClose(r.terms.flatMap((t) => t.ci), g.ci.flat(), 1e-6, 1e-12, 'ci');
  for (const [a, b, w] of [[r.r2, g.r2, 'R²'], [r.adjR2, g.adjR2, 'adj R²'], [r.sigma, g.sigma, 'sigma'], [r.f.statistic, g.fStatistic, 'F'], [r.f.p, g.fP, 'F p']] as const) assertClose(a, b, 1e-6, 1e-15, w);
  assert.deepEqual([r.f.df1, r.f.df2], [g.df1, g.df2]);
  assert.deepEqual(r.termTests.map((t) => [t.term, t.df]), [['age', 1], ['sex', 1], ['etiology', 3], ['alb', 1]]);
  assert.equal(r.points, undefined, 'no scatter with several predictors');
  assert.deepEqual(resultTables(r).map((t) => t.id), ['coefficients', 'terms']);
});

test('compare log10(afp) by etiology adjusting age, sex, alb equals drop1(lm, test = "F") and emmeans', async () => {
  const r = await result<CompareResult>('at: compare log10(afp) by etiology adjusting age, sex, alb', 'at');
  const g = G.studyAncova;
  assert.equal(r.n, g.n);
  assertClose(r.statistic, g.f[0], 1e-6, 1e-12, 'group F');
  assertClose(r.p, g.p[0], 1e-6, 1e-15, 'group p');
  assert.deepEqual(r.df, [3, g.dfResidual]);
  assert.equal(r.estimate, null, 'no single estimate for 4 groups');
  const a = r.ancova!;
  assert.deepEqual(a.terms.map((t) => t.term), g.term);
  assertAllClose(a.terms.map((t) => t.f), g.f, 1e-6, 1e-12, 'F');
  assertAllClose(a.terms.map((t) => t.p), g.p, 1e-6, 1e-15, 'p');
  assertAllClose(a.terms.map((t) => t.sumSq), g.sumSq, 1e-6, 1e-12, 'sum sq');
  assertClose(a.r2, g.r2, 1e-6, 1e-12, 'R²');
  assert.deepEqual(a.means.map((m) => m.level), g.level);
  assertAllClose(a.means.map((m) => m.mean), g.mean, 1e-6, 1e-12, 'adjusted means');
  assertAllClose(a.means.map((m) => m.se), g.se, 1e-6, 1e-12, 'SE');
  assertAllClose(a.means.flatMap((m) => m.ci), g.lower.flatMap((l, k) => [l, g.upper[k]]), 1e-6, 1e-12, 'CI');
  assert.deepEqual(resultTables(r).map((t) => t.id), ['test', 'ancova', 'adjusted-means']);
});

test('two groups: the estimate is the adjusted difference first − second, the difference of the adjusted means', async () => {
  const r = await result<CompareResult>('a2: compare log10(afp) by sex adjusting age', 'a2');
  const [f, m] = r.ancova!.means;
  assertClose(r.estimate, (f.mean as number) - (m.mean as number), 1e-9, 1e-12, 'estimate');
  assert.ok((r.ci![0] as number) < (r.estimate as number) && (r.estimate as number) < (r.ci![1] as number));
  assert.equal(r.estimateName, 'adjusted difference in means');
});

test('one numeric predictor: the points for the scatter with the fitted line', async () => {
  const r = await result<LinearResult>('l1: linear log10(afp) ~ age with conf 0.9', 'l1');
  assert.equal(r.predictor, 'age');
  assert.equal(r.points!.length, r.n);
  assert.equal(r.conf, 0.9);
});

test('errors: a categorical outcome (checker), posthoc with adjusting, an aliased term (located at the line)', async () => {
  const bad = await run('linear etiology ~ age');
  assert.ok(bad.diagnostics.some((d) => d.severity === 'error' && /categorical|number/i.test(d.message)), bad.diagnostics.map((d) => d.message).join('; '));
  const { report, diagnostics } = await run('let age2 = 2 * age\nph: compare log10(afp) by etiology adjusting age with posthoc tukey\nal: linear log10(afp) ~ age + age2');
  assert.ok(report);
  const ph = report.results.find((x) => x.name === 'ph')!;
  assert.ok(isErrorResult(ph) && /posthoc/.test(ph.error));
  const al = report.results.find((x) => x.name === 'al')!;
  assert.ok(isErrorResult(al) && /"age2" is collinear/.test(al.error), JSON.stringify(al));
  assert.ok(diagnostics.some((d) => d.severity === 'error' && /al: .*collinear/.test(d.message)));
});
