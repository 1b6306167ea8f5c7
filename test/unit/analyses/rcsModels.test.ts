/**
 * `rcs(x, k)` terms in logistic and cox formulas, run through the study language on the data of
 * test/golden/rcs-models.R, against rms::lrm / rms::cph: knots, coefficients, SEs, rms::anova's Wald rows and
 * rms::Predict's partial effects (other terms at datadist's adjust-to values).
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { assertAllClose, assertClose, readGolden } from '../helpers';
import { runStudy } from '../../../src/engine/study/runner';
import { resultTables } from '../../../src/shared/report/kinds';
import { isErrorResult, type AnalysisResult, type CoxResult, type ErrorResult, type LogisticResult, type NomogramResult, type PartialEffect, type RocResult } from '../../../src/shared/report/types';
import { predictorPoints, probabilityAt } from '../../../src/shared/charts/nomogramCalc';
import { nomogram, nomogramScore } from '../../../src/engine/stats/nomogram';
import { logisticRegression } from '../../../src/engine/stats/logistic';
import { rcsBasis, rcsKnots } from '../../../src/engine/stats/splines';
import { DIR, memIO, plate, STUDY } from '../study/memIO';
import { checkStudy, parseStudy } from '../../../src/engine/study';
import { completions } from '../../../src/engine/study/complete';
import { hover } from '../../../src/engine/study/hover';
import { SPEC_CONTEXT } from '../../../src/engine/study/examples';
import type { Statement, Term } from '../../../src/engine/study/ast';
import type { EngineDiagnostic } from '../../../src/engine/common/diagnostic';
import { chartsFor } from '../../../src/shared/charts/specs';
import { chartToSvg } from '../../../src/shared/charts/svg';
import { OKABE_ITO_LIGHT, type ThemeColours } from '../../../src/shared/charts/chartSpec';

const THEME: ThemeColours = { fg: '#1f1f1f', muted: '#616161', grid: '#e0e0e0', bg: '#ffffff', palette: OKABE_ITO_LIGHT, font: 'sans-serif', lineScale: 1 };

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
nomogram m1
cohort older = age > 60
roc m1 in older
u: cox os ~ rcs(age, 4) + stage with univariate
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
  assert.deepEqual(r.splines!.map((s) => [s.term, s.columns]), [['rcs(age, 4)', ['age', "age'", "age''"]], ['rcs(cea, 3)', ['cea', "cea'"]]]);
  assertAllClose(r.splines![0].knots, L.knots.age, 1e-12, 0, 'age knots');
  assertAllClose(r.splines![1].knots, L.knots.cea, 1e-12, 0, 'cea knots');
  assertAllClose(r.terms.map((t) => t.coef as number), L.coef, TOL, 1e-9, 'coef');
  // the table's SEs are glm's (the covariance of the last IRLS step, as for every logistic model); lrm's differ < 1e-6 here
  assertAllClose(r.terms.map((t) => t.se as number), L.glmSe, TOL, 0, 'se (glm)');
  assertAllClose(r.terms.map((t) => t.se as number), L.se, 2e-6, 0, 'se (lrm)');
  checkAnova(r.anova!, L.anova, 'lrm');
  checkPredict(r.partialEffects!, L.predict, 'lrm');
  assert.deepEqual(r.partialEffects![0].adjustTo.map((a) => [a.term, a.value]), [['cea', 4.59], ['sex', 'M'], ['stage', 'II']]);
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

test('nomogram of a model with spline terms = rms::nomogram: non-monotone spline axes, totals, probabilities; calculator', async () => {
  const r = await result<NomogramResult>('nomogram 1');
  const N = G.logistic.nomogram;
  assertClose(r.pointsPerUnit!, N.sc, TOL, 0, 'points per unit');
  assert.deepEqual(r.axes.map((a) => a.term), ['age', 'cea', 'sex', 'stage']);
  r.axes.forEach((a, k) => {
    assert.deepEqual(a.ticks.map((t) => t.value), N.axes[k].values, `${a.term} values`);
    assertAllClose(a.ticks.map((t) => t.points), N.axes[k].points, TOL, 1e-6, `${a.term} points`);
  });
  const age = r.axes[0].ticks.map((t) => t.points);
  assert.ok(age[0] > age[4] && age[4] < age[11], 'the age axis is U-shaped (non-monotone)');
  assertAllClose(r.total.map((t) => t.probability), N.funAt, 1e-12, 0, 'fun.at');
  assertAllClose(r.total.map((t) => t.points), N.funPoints, TOL, 0, 'points of each probability');
  // the calculator: spline points interpolated on the axis curve (201 values), the rest exact
  const p = N.patient;
  const total = (predictorPoints(r, 'age', p.age) as number) + (predictorPoints(r, 'cea', p.cea) as number) +
    (predictorPoints(r, 'sex', p.sex) as number) + (predictorPoints(r, 'stage', p.stage) as number);
  const lp = r.intercept! + total / r.pointsPerUnit!;
  assertClose(lp, p.lp, 0, 1e-4, 'patient linear predictor (curve interpolation)');
  assertClose(probabilityAt(r, total) as number, 1 / (1 + Math.exp(-lp)), 1e-12, 0, 'probability');
});

test('stats nomogram with spline axes: a patient\'s exact score equals predict(lrm)', () => {
  const D = G.data as { age: number; cea: number; sex: string; stage: string; y: number }[];
  const ka = rcsKnots(D.map((d) => d.age), 4), kc = rcsKnots(D.map((d) => d.cea), 3);
  const row = (d: { age: number; cea: number; sex: string; stage: string }) => [d.age, ...rcsBasis(d.age, ka), d.cea, ...rcsBasis(d.cea, kc), +(d.sex === 'M'), +(d.stage === 'II'), +(d.stage === 'III')];
  const names = ['age', "age'", "age''", 'cea', "cea'", 'sex[M]', 'stage[II]', 'stage[III]'];
  const m = logisticRegression(D.map((d) => d.y), D.map(row), names);
  const range = (v: number[]) => ({ min: Math.min(...v), max: Math.max(...v) });
  const nom = nomogram(m, [
    { term: 'age', ...range(D.map((d) => d.age)), spline: { columns: names.slice(0, 3), knots: ka } },
    { term: 'cea', ...range(D.map((d) => d.cea)), spline: { columns: names.slice(3, 5), knots: kc } },
    { term: 'sex', levels: [{ label: 'F', x: { 'sex[M]': 0 } }, { label: 'M', x: { 'sex[M]': 1 } }] },
    { term: 'stage', levels: ['I', 'II', 'III'].map((l) => ({ label: l, x: { 'stage[II]': +(l === 'II'), 'stage[III]': +(l === 'III') } })) },
  ]);
  const p = G.logistic.nomogram.patient;
  assertClose(nomogramScore(nom, m, { age: p.age, cea: p.cea, sex: p.sex, stage: p.stage }).lp, p.lp, TOL, 0, 'lp');
  assert.throws(() => nomogram(m, [{ term: 'age', min: 30, max: 90, spline: { columns: ['age', "age'"], knots: ka } }]), /k - 1 columns/);
});

test('a spline model evaluated in another cohort keeps the fit\'s knots (roc in a sub-cohort = R); univariate cox', async () => {
  const r = await result<RocResult>('roc 1');
  assertClose(r.evaluations[0].auc, G.logistic.aucOlder, 1e-12, 0, 'AUC among age > 60');
  const u = await result<CoxResult>('u');
  assert.deepEqual(u.terms.map((t) => t.term), ['age', "age'", "age''", 'stage[II]', 'stage[III]']);
  assert.equal(u.anova, undefined);
});

// ---------------------------------------------------------------------------------------------------------
// The study language: parser, checker, completion, hover; the partial-effect charts

const HEADER = 'plates "p/*.txt"\nclinical "c.csv" key patient\nsamples "{patient}-{timepoint}"\noutcome dss = time dss_months event dss_death\n';
const LINE = 4; // the body's first line (0-based)

function diagnose(body: string): EngineDiagnostic[] {
  const r = parseStudy(HEADER + body, 's.qstudy');
  return [...r.diagnostics, ...checkStudy(r.ast, SPEC_CONTEXT)];
}

test('parser: rcs(x, k) terms carry the variable and knots; rcs(x) has 5; a bad k is a located error', () => {
  const r = parseStudy(HEADER + 'm: logistic effective ~ rcs(age, 4) + rcs(cea) + sex\n');
  const a = r.ast.statements[4] as Extract<Statement, { kind: 'analysis' }> & { terms: Term[] };
  assert.deepEqual(a.terms.map((t) => [t.text, t.spline?.x.text, t.spline?.knots]), [['rcs(age, 4)', 'age', 4], ['rcs(cea)', 'cea', 5], ['sex', undefined, undefined]]);
  for (const [k, from] of [['8', 32], ['2', 32], ['3.5', 32], ['50%', 32]] as const) {
    const ds = diagnose(`m: cox dss ~ age + rcs(cea, ${k})\n`);
    assert.equal(ds.length, 1, JSON.stringify(ds));
    assert.match(ds[0].message, /knots of `rcs` must be a whole number from 3 to 7/);
    assert.deepEqual(ds[0].range, { start: { line: LINE, character: from - 4 }, end: { line: LINE, character: from - 4 + k.length } });
  }
  assert.match(diagnose('m: cox dss ~ rcs(cea, 3, 4)\n')[0].message, /at most 2 arguments/);
  assert.match(diagnose('m: cox dss ~ rcs()\n')[0].message, /needs a variable/);
});

test('checker: a spline of a categorical variable, and rcs outside a model formula, are located errors', () => {
  const cat = diagnose('m: logistic effective ~ rcs(sex, 3) + age\n');
  assert.equal(cat.length, 1, JSON.stringify(cat));
  assert.deepEqual([cat[0].code, cat[0].range.start.character, cat[0].range.end.character], ['study-type', 28, 31]);
  const let_ = diagnose('let z = rcs(age, 3)\n');
  assert.equal(let_.length, 1, JSON.stringify(let_));
  assert.match(let_[0].message, /is a model term/);
  assert.deepEqual(diagnose('m: logistic effective ~ rcs(age, 3) + rcs(log2(cea), 4) + sex\nn: cox dss ~ rcs(bmi) + age\n'), []);
});

test('completion offers rcs after ~ and +; hover documents it', () => {
  const text = HEADER + 'm: logistic effective ~ age + ';
  const items = completions(text, { line: LINE, character: text.split('\n')[LINE].length }, SPEC_CONTEXT);
  assert.ok(items.some((i) => i.label === 'rcs'), items.map((i) => i.label).join(' '));
  const coxText = HEADER + 'm: cox dss ~ ';
  assert.ok(completions(coxText, { line: LINE, character: coxText.split('\n')[LINE].length }, SPEC_CONTEXT).some((i) => i.label === 'rcs'));
  const h = hover(HEADER + 'm: logistic effective ~ rcs(age, 4)\n', { line: LINE, character: 25 }, SPEC_CONTEXT);
  assert.match(JSON.stringify(h), /rcs\(x, k\)/);
});

test('partial-effect charts: one per spline term after the forest plot, band and line over the Predict grid; SVG renders', async () => {
  for (const name of ['m1', 'm2']) {
    const r = await result<LogisticResult | CoxResult>(name);
    const charts = chartsFor(r);
    assert.deepEqual(charts.map((c) => c.id), ['forest', 'partial-effect-1', 'partial-effect-2']);
    assert.deepEqual(charts[0].y.ticks!.map((t) => t.label), name === 'm1' ? ['sex[M]', 'stage[II]', 'stage[III]'] : ['stage[II]', 'stage[III]'], 'spline columns are not in the forest plot');
    const pe = charts[1];
    assert.deepEqual(pe.series.map((s) => s.type), ['band', 'line']);
    assert.equal((pe.series[1] as { points: unknown[] }).points.length, 200);
    assert.match(pe.y.label, name === 'm1' ? /log odds/ : /log relative hazard/);
    assert.match(chartToSvg(pe, THEME), /^<svg/);
  }
});
