/**
 * `rcs(x, k)` terms in logistic and cox formulas, run through the study language on the data of
 * test/golden/rcs-models.R, against rms::lrm / rms::cph: knots, coefficients, SEs, rms::anova's Wald rows and
 * rms::Predict's partial effects (other terms at datadist's adjust-to values).
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { assertAllClose, readGolden } from '../helpers';
import { runStudy } from '../../../src/engine/study/runner';
import { resultTables } from '../../../src/shared/report/kinds';
import { isErrorResult, type AnalysisResult, type CoxResult, type ErrorResult, type LogisticResult, type PartialEffect } from '../../../src/shared/report/types';
import { DIR, memIO, plate, STUDY } from '../study/memIO';

const G = readGolden<any>('rcs-models.json');
const TOL = 1e-6;

function csv(): string {
  const cols = ['patient', 'age', 'cea', 'bmi', 'sex', 'stage', 'y', 'time', 'event'];
  return [cols.join(','), ...G.data.map((r: Record<string, unknown>) => cols.map((c) => String(r[c === 'patient' ? 'id' : c])).join(','))].join('\n') + '\n';
}

const STUDY_TEXT = `study "rcs"
plates "plates/*.csv"
clinical "clinical.csv" key patient
samples "{patient}-{timepoint}"
reference cel-miR-39
outcome os = time time event event
m1: logistic y ~ rcs(age, 4) + rcs(cea, 3) + sex + stage
m2: cox os ~ rcs(age) + rcs(cea, 3) + stage
m3: logistic y ~ rcs(bmi, 3)
`;

let cached: (AnalysisResult | ErrorResult)[] | undefined;
async function results(): Promise<(AnalysisResult | ErrorResult)[]> {
  if (cached) return cached;
  const { report, diagnostics } = await runStudy(STUDY_TEXT, STUDY, memIO({ [`${DIR}/plates/p1.csv`]: plate(G.data.map((r: { id: string }) => r.id)), [`${DIR}/clinical.csv`]: csv() }));
  assert.ok(report, diagnostics.filter((d) => d.severity === 'error').map((d) => d.message).join('; '));
  cached = report.results;
  return cached;
}
async function result<R extends AnalysisResult>(name: string): Promise<R> {
  const r = (await results()).find((x) => x.name === name);
  assert.ok(r && !isErrorResult(r), JSON.stringify(r));
  return r as R;
}

function checkAnova(rows: NonNullable<LogisticResult['anova']>, want: { row: string; chisq: number; df: number; p: number }[], what: string): void {
  assert.deepEqual(rows.map((r) => [r.row, r.df]), want.map((r) => [r.row, r.df]), `${what} anova rows`);
  assertAllClose(rows.map((r) => r.chisq as number), want.map((r) => r.chisq), TOL, 0, `${what} anova chi-square`);
  assertAllClose(rows.map((r) => r.p as number), want.map((r) => r.p), TOL, 1e-300, `${what} anova p`);
}

function checkPredict(got: PartialEffect[], want: { variable: string; x: number[]; y: number[]; lo: number[]; hi: number[] }[], what: string): void {
  assert.deepEqual(got.map((e) => e.variable), want.map((w) => w.variable));
  got.forEach((e, k) => {
    const w = want[k];
    assertAllClose(e.points.map((p) => p.x), w.x, 1e-12, 1e-12, `${what} ${w.variable} grid`);
    // 1e-6 relative, and 1e-7 absolute where the curve crosses 0 (log-odds of order 1; lrm's Newton and the engine's
    // IRLS stop ~1e-7 apart on the coefficients)
    assertAllClose(e.points.map((p) => p.y), w.y, TOL, 1e-7, `${what} ${w.variable} yhat`);
    assertAllClose(e.points.map((p) => p.lo), w.lo, TOL, 1e-7, `${what} ${w.variable} lower`);
    assertAllClose(e.points.map((p) => p.hi), w.hi, TOL, 1e-7, `${what} ${w.variable} upper`);
  });
}

test('logistic with rcs terms = rms::lrm: columns named as rms, knots, coefficients, SEs (glm\'s), anova, Predict', async () => {
  const r = await result<LogisticResult>('m1');
  const L = G.logistic;
  assert.deepEqual(r.terms.map((t) => t.term), ['(Intercept)', 'age', "age'", "age''", 'cea', "cea'", 'sex[M]', 'stage[II]', 'stage[III]']);
  assert.deepEqual(r.splines!.map((s) => s.term), ['rcs(age, 4)', 'rcs(cea, 3)']);
  assertAllClose(r.splines![0].knots, L.knots.age, 1e-12, 0, 'age knots');
  assertAllClose(r.splines![1].knots, L.knots.cea, 1e-12, 0, 'cea knots');
  assertAllClose(r.terms.map((t) => t.coef as number), L.coef, TOL, 1e-9, 'coef');
  // the table's SEs are glm's (the covariance of the last IRLS step, as for every logistic model); lrm's differ < 1e-6 here
  assertAllClose(r.terms.map((t) => t.se as number), L.glmSe, TOL, 0, 'se (glm)');
  assertAllClose(r.terms.map((t) => t.se as number), L.se, 2e-6, 0, 'se (lrm)');
  checkAnova(r.anova!, L.anova, 'lrm');
  checkPredict(r.partialEffects!, L.predict, 'lrm');
  assert.deepEqual(r.partialEffects![0].adjustTo.map((a) => [a.term, a.value]), [['rcs(cea, 3)', 4.59], ['sex', 'M'], ['stage', 'II']]);
  assert.deepEqual(resultTables(r).map((t) => t.id), ['terms', 'anova']);
});

test('cox with rcs terms = rms::cph: rcs(x) has 5 knots as rms, coefficients, SEs, anova, Predict centred as cph', async () => {
  const r = await result<CoxResult>('m2');
  const C = G.cox;
  assert.deepEqual(r.terms.map((t) => t.term), ['age', "age'", "age''", "age'''", 'cea', "cea'", 'stage[II]', 'stage[III]']);
  assertAllClose(r.splines![0].knots, C.knots.age, 1e-12, 0, 'age knots');
  assertAllClose(r.terms.map((t) => t.coef as number), C.coef, TOL, 1e-9, 'coef');
  assertAllClose(r.terms.map((t) => t.se as number), C.se, TOL, 0, 'se');
  checkAnova(r.anova!, C.anova, 'cph');
  checkPredict(r.partialEffects!, C.predict, 'cph');
  assert.deepEqual(resultTables(r).map((t) => t.id), ['terms', 'anova']);
});

test('a single spline term: the term, its Nonlinear line and TOTAL (no TOTAL NONLINEAR), as rms::anova', async () => {
  const r = await result<LogisticResult>('m3');
  assertAllClose(r.terms.map((t) => t.coef as number), G.single.coef, TOL, 1e-9, 'coef');
  checkAnova(r.anova!, G.single.anova, 'single');
});
