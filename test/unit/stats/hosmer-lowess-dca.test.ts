import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { readGolden, assertClose, assertAllClose } from '../helpers';
import { hosmerLemeshow, formatG } from '../../../src/engine/stats/hosmer';
import { lowess } from '../../../src/engine/stats/lowess';
import { decisionCurve, defaultDcaThresholds } from '../../../src/engine/stats/dca';
import { StatsError } from '../../../src/engine/stats/errors';

const g = readGolden('models.json');

function checkHl(label: string, gh: any, y: number[], p: number[]): void {
  const h = hosmerLemeshow(y, p, 10);
  if (gh.chisq === 'NaN' || gh.chisq === null) assert.equal(h.chisq, null, `${label}: R gives NaN`);
  else assertClose(h.chisq, gh.chisq, 1e-9, 0, `${label} chisq`);
  assert.equal(h.df, gh.df);
  if (gh.p === 'NaN' || gh.p === null) assert.equal(h.p, null, `${label}: R gives NaN`);
  else assertClose(h.p, gh.p, 1e-8, 0, `${label} p`);
  assert.equal(h.groups, gh.groups);
  assert.deepEqual(h.table.map((t) => t.group), gh.group, `${label} labels`);
  assert.deepEqual(h.table.map((t) => t.n), gh.n);
  assert.deepEqual(h.table.map((t) => t.observed), gh.obs1);
  assertAllClose(h.table.map((t) => t.expected), gh.exp1, 1e-9, 0, `${label} expected`);
}

test('Hosmer-Lemeshow on both birthwt models matches the hoslem.test restatement', () => {
  checkHl('full', g.hoslemFull, g.birthwtFull.y, g.birthwtFull.fitted);
  checkHl('4var', g.hoslem4, g.birthwt4.y, g.birthwt4.fitted);
  const h = hosmerLemeshow(g.birthwtFull.y, g.birthwtFull.fitted);
  assertClose(h.chisq, 10.39833559, 1e-9, 0, 'doc chisq');
  assertClose(h.p, 0.2381731, 1e-6, 0, 'doc p');
  assert.equal(h.warning, undefined);
});

test('Hosmer-Lemeshow with tied predictions: fewer groups, df = groups - 2, warning', () => {
  const t = g.hoslemTies2;
  checkHl('ties', t, t.yy, t.pp);
  const h = hosmerLemeshow(t.yy, t.pp);
  assert.equal(h.df, 3);
  assert.equal(h.groups, 5);
  assert.match(h.warning ?? '', /only 5 groups/);
  assert.ok(Math.abs((h.p as number) - t.pResourceSelection) > 1e-3, 'ResourceSelection would use g - 2 = 8 df');
});

test('Hosmer-Lemeshow with ties leaving empty intervals: null like R NaN, table keeps the empty groups', () => {
  const t = g.hoslemTies;
  checkHl('ties-empty', t, t.yy, t.pp);
  const h = hosmerLemeshow(t.yy, t.pp);
  assert.equal(h.p, null);
  assert.equal(h.table.length, 7);
  assert.match(h.warning ?? '', /empty group/);
});

test('Hosmer-Lemeshow bad input', () => {
  assert.throws(() => hosmerLemeshow([0, 1, 0], [0.5, 0.5, 0.5]), StatsError);
  assert.throws(() => hosmerLemeshow([0, 1, 0], [0.5, 1.5, 0.5]), StatsError);
  assert.throws(() => hosmerLemeshow([0, 1], [0.5, 0.2, 0.1]), StatsError);
  // tiny sample with interpolated quantiles -> an empty group: documented null, not a number
  const h = hosmerLemeshow([0, 1, 0, 1], [0.1, 0.2, 0.3, 0.9]);
  assert.equal(h.chisq, null);
  assert.equal(h.p, null);
  assert.match(h.warning ?? '', /empty group/);
});

test('formatG behaves like C %g', () => {
  assert.equal(formatG(0.0272, 3), '0.0272');
  assert.equal(formatG(0.17, 3), '0.17');
  assert.equal(formatG(123456, 3), '1.23e+05');
  assert.equal(formatG(0.00001234, 3), '1.23e-05');
  assert.equal(formatG(100, 3), '100');
});

test('lowess reproduces R on 11 inputs (iter 0/3/5, ties in x, f, delta, unsorted x, constant y)', () => {
  g.lowess.forEach((c: any, k: number) => {
    const r = lowess(c.x, c.y, { f: c.f, iter: c.iter, delta: c.delta });
    assertAllClose(r.x, c.outX, 0, 0, `case ${k} x`);
    assertAllClose(r.y, c.outY, 1e-9, 1e-12, `case ${k} y`);
  });
});

test('lowess default delta = 1% of the range, bad input', () => {
  const c = g.lowess[0];
  assertAllClose(lowess(c.x, c.y).y, c.outY, 1e-9, 1e-12, 'defaults');
  assert.throws(() => lowess([1, 2], [1]), StatsError);
  assert.throws(() => lowess([1, NaN], [1, 2]), StatsError);
});

test('decision curve on birthwt full model matches dcurves restatement at 0.01..0.99', () => {
  const d = g.dca;
  const r = decisionCurve(d.y, d.p, d.thresholds);
  assertAllClose(r.model as number[], d.model, 1e-9, 1e-12, 'model');
  assertAllClose(r.all as number[], d.all, 1e-9, 1e-12, 'all');
  assert.deepEqual(r.none, d.none);
  // reference numbers (pt 0.1..0.5)
  const doc = decisionCurve(d.y, d.p, [0.1, 0.2, 0.3, 0.4, 0.5]);
  assertAllClose(doc.model as number[], [0.23927102, 0.16137566, 0.12169312, 0.08465609, 0.04761905], 1e-7, 0, 'doc model');
  assertAllClose(doc.all as number[], [0.23574368, 0.14021164, 0.01738473, -0.14638448, -0.37566138], 1e-7, 0, 'doc all');
});

test('decision curve: risk exactly at the threshold counts as positive; pt = 1 is null; bad input', () => {
  const r = decisionCurve([1, 0, 0, 1], [0.2, 0.2, 0.1, 0.9], [0.2, 1]);
  // positives at 0.2: rows 1, 2, 4 -> TP 2, FP 1 -> 2/4 - 1/4 * 0.25
  assertClose(r.model[0], 0.5 - 0.25 * 0.25, 1e-15);
  assert.equal(r.model[1], null);
  assert.equal(defaultDcaThresholds().length, 100);
  assert.throws(() => decisionCurve([1, 0], [0.2, 1.2], [0.1]), StatsError);
  assert.throws(() => decisionCurve([1, 0], [0.2, 0.3], [-0.1]), StatsError);
});
