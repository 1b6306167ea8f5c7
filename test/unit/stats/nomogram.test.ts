import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { readGolden, assertClose, assertAllClose } from '../helpers';
import { nomogram, nomogramScore } from '../../../src/engine/stats/nomogram';
import { logisticRegression } from '../../../src/engine/stats/logistic';
import { StatsError } from '../../../src/engine/stats/errors';

const g = readGolden('models.json');
const nm = g.nomogram;
const m4 = g.birthwt4;
const model = logisticRegression(m4.y, m4.X.map((r: number[]) => r.slice(1)), m4.names.slice(1));
const ranges = [
  { term: 'age', min: 14, max: 45 }, { term: 'lwt', min: 80, max: 250 },
  { term: 'smoke', discrete: [0, 1] }, { term: 'ht', discrete: [0, 1] },
];

test('golden ranges are the full data ranges used by datadist', () => {
  assert.deepEqual(nm.ranges.map((r: any) => [r.term, r.min, r.max]), [['age', 14, 45], ['lwt', 80, 250], ['smoke', 0, 1], ['ht', 0, 1]]);
});

test('rms nomogram(lrm(low ~ age + lwt + smoke + ht), fun = plogis): scale, axes, totals, probabilities', () => {
  const n = nomogram(model, ranges);
  assertClose(n.pointsPerUnit, nm.sc, 1e-7, 0, 'points per unit LP');
  assertClose(n.pointsPerUnit, 32.76626, 1e-6, 0, 'doc sc');
  assertClose(n.intercept, nm.interceptAdj, 1e-7, 0, 'intercept');
  assertAllClose(n.lpAt, nm.lpAt, 1e-12, 0, 'lp.at');
  n.axes.forEach((a, k) => {
    assert.equal(a.term, nm.axes[k].term);
    assert.deepEqual(a.ticks.map((t) => t.value), nm.axes[k].values);
    assertAllClose(a.ticks.map((t) => t.points), nm.axes[k].points, 1e-7, 1e-9, `${a.term} points`);
  });
  assert.deepEqual(n.totalPointsAxis, nm.totalPoints);
  assertAllClose(n.total.map((t) => t.probability), nm.funAt, 1e-12, 0, 'fun.at');
  assertAllClose(n.total.map((t) => t.points), nm.funPoints, 1e-7, 0, 'points for probabilities (rms approx)');
  // exact inverse differs from rms's 1000-point approx only slightly
  n.total.forEach((t) => assert.ok(Math.abs(t.points - t.pointsExact) < 0.05));
});

test('patient score: points -> LP -> probability equals predict(lrm)', () => {
  const n = nomogram(model, ranges);
  const s = nomogramScore(n, model, { age: 30, lwt: 120, smoke: 1, ht: 0 });
  assertClose(s.lp, nm.patient.lp, 1e-7, 0, 'lp');
  assertClose(s.probability, nm.patient.prob, 1e-7, 0, 'prob');
  assertClose(s.points.lwt, 77.7777777777778, 1e-7, 0, 'lwt 120 points');
});

test('factor with dummy columns (birthwt race) as one axis', () => {
  const f = g.birthwtFull;
  const mf = logisticRegression(f.y, f.X.map((r: number[]) => r.slice(1)), f.names.slice(1));
  const n = nomogram(mf, [
    { term: 'age', min: 14, max: 45 }, { term: 'lwt', min: 80, max: 250 },
    { term: 'race', levels: [{ label: 'white', x: { raceblack: 0, raceother: 0 } }, { label: 'black', x: { raceblack: 1, raceother: 0 } }, { label: 'other', x: { raceblack: 0, raceother: 1 } }] },
    { term: 'smoke', discrete: [0, 1] }, { term: 'ptl', discrete: [0, 1, 2, 3] }, { term: 'ht', discrete: [0, 1] }, { term: 'ui', discrete: [0, 1] },
  ]);
  const race = n.axes[2];
  assertClose(race.ticks[1].points, 1.2632194 * n.pointsPerUnit, 1e-6, 0, 'black');
  assert.equal(race.ticks[0].points, 0);
  const s = nomogramScore(n, mf, { age: 20, lwt: 100, race: 'other', smoke: 0, ptl: 1, ht: 0, ui: 1 });
  const lp = mf.coef[0] + mf.coef[1] * 20 + mf.coef[2] * 100 + mf.coef[4] + mf.coef[6] + mf.coef[8];
  assertClose(s.lp, lp, 1e-10, 0, 'lp');
});

test('nomogram bad input', () => {
  assert.throws(() => nomogram(model, ranges.slice(0, 3)), /no axis given for 'ht'/);
  assert.throws(() => nomogram(model, [...ranges, { term: 'bmi', min: 1, max: 2 }]), StatsError);
  assert.throws(() => nomogram(model, [{ term: 'age' }, ...ranges.slice(1)]), StatsError);
  const n = nomogram(model, ranges);
  assert.throws(() => nomogramScore(n, model, { age: 30, lwt: 120, smoke: 1 }), StatsError);
});
