/** Nomogram calculator arithmetic (src/shared/charts/nomogramCalc.ts) on the sample report's rms-scaled nomogram. */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { assertClose, fixture } from '../helpers';
import type { NomogramResult, Report } from '../../../src/shared/report/types';
import { interp, nomogramInputs, nomogramLayout, nomogramScore, predictorPoints, probabilityAt } from '../../../src/shared/charts/nomogramCalc';

const sample = JSON.parse(fs.readFileSync(fixture('report', 'sample-report.json'), 'utf8')) as Report;
const nom = sample.results.find((r) => r.kind === 'nomogram') as NomogramResult;
const plogis = (x: number) => 1 / (1 + Math.exp(-x));

test('inputs: numeric axes with their range, 0/1 indicator terms as levels', () => {
  const inputs = nomogramInputs(nom);
  assert.equal(inputs.length, nom.axes.length);
  const age = inputs.find((i) => i.term === 'age');
  assert.deepEqual(age && age.kind === 'numeric' ? [age.min, age.max] : null, [30, 80]);
  const ind = inputs.find((i) => i.term.includes('> 2.0'));
  assert.equal(ind?.kind, 'levels');
  assert.deepEqual(ind && ind.kind === 'levels' ? ind.levels.map((l) => l.label) : null, ['no (0)', 'yes (1)']);
});

test('predictor points: the exact rms formula reproduces every numeric tick', () => {
  for (const a of nom.axes) {
    for (const t of a.ticks) {
      const v = typeof t.value === 'number' && a.ticks.length > 2 ? t.value : (t.value === 1 ? 'yes (1)' : 'no (0)');
      assertClose(predictorPoints(nom, a.term, v), t.points, 1e-9, 1e-9, `${a.term}=${t.value}`);
    }
  }
});

test('score: total is the sum of the axis points; probability = plogis(intercept + total / pointsPerUnit)', () => {
  const values = { cea: 5, 'miR-21 > 2.0': 'yes (1)', 'miR-122 < 0.5': 'no (0)', tumor_size: 4.5, bmi: 23, age: 61 };
  const s = nomogramScore(nom, values);
  const terms = Object.fromEntries(nom.terms!.map((t) => [t.term, t]));
  const pts = (term: string, x: number) => (terms[term].coef * x - terms[term].min) * nom.pointsPerUnit!;
  const ind = nom.axes.find((a) => a.term === 'miR-21 > 2.0')!.ticks.find((t) => t.value === 1)!.points;
  const expected = pts('cea', 5) + ind + 0 + pts('tumor_size', 4.5) + pts('bmi', 23) + pts('age', 61);
  assertClose(s.total, expected, 1e-12);
  assertClose(s.probability, plogis(nom.intercept! + expected / nom.pointsPerUnit!), 1e-12);
  assert.deepEqual(s.outOfRange, []);
  assert.deepEqual(nomogramScore(nom, { ...values, age: 95 }).outOfRange, ['age']);
});

test('the probability axis of the report is reproduced at its total points (rms approx on a 1000-point grid)', () => {
  for (const t of nom.total) assertClose(probabilityAt(nom, t.points), t.probability, 2e-3, 0, `p at ${t.points}`);
});

test('without intercept/terms: interpolation on the axis ticks and on the logit of the total axis', () => {
  const bare: NomogramResult = { ...nom, intercept: undefined, pointsPerUnit: undefined, terms: undefined };
  // axes are linear in the value, so interpolation equals the exact points
  assertClose(predictorPoints(bare, 'age', 61), predictorPoints(nom, 'age', 61), 1e-9, 1e-9);
  for (const t of nom.total) assertClose(probabilityAt(bare, t.points), t.probability, 1e-12, 1e-12);
  const mid = (nom.total[2].points + nom.total[3].points) / 2;
  const p = probabilityAt(bare, mid)!;
  assert.ok(p > nom.total[2].probability && p < nom.total[3].probability);
  assert.equal(interp([0, 10], [0, 100], 15), 150, 'extrapolates');
});

test('layout: Points, one axis per predictor, Total points and Probability; totals rescaled onto the points width', () => {
  const L = nomogramLayout(nom)!;
  assert.deepEqual(L.rows.map((r) => r.kind), ['points', ...nom.axes.map(() => 'predictor'), 'total', 'probability']);
  assert.equal(L.rows[0].ticks.at(-1)!.x, 100);
  const total = L.rows.find((r) => r.kind === 'total')!;
  assertClose(total.ticks.at(-1)!.x, 100, 1e-12);
  assert.ok(L.totalMax >= nom.axes.reduce((s, a) => s + Math.max(...a.ticks.map((t) => t.points)), 0));
  const prob = L.rows.find((r) => r.kind === 'probability')!;
  assertClose(prob.ticks[0].x, nom.total[0].points * L.totalScale, 1e-12);
});
