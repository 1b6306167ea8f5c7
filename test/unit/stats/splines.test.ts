/** Restricted cubic splines and nonlinearity tests against rms (test/golden/splines.R). */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { assertAllClose, assertClose, readGolden } from '../helpers';
import { logisticVcovAt, rcsBasis, rcsKnots, waldTest } from '../../../src/engine/stats/splines';
import { logisticRegression } from '../../../src/engine/stats/logistic';

const G = readGolden<any>('splines.json').splines;

test('default knots equal rcspline.eval for k = 3..7 (n < 100, n >= 100, a tied lower end)', () => {
  assert.equal(G.knots.length, 15);
  for (const c of G.knots) assertAllClose(rcsKnots(c.x, c.k), [c.knots].flat(), 1e-12, 1e-12, `${c.name} k = ${c.k}`);
});

test('the basis equals rcspline.eval(x, knots, inclx = TRUE)', () => {
  G.basis.x.forEach((x: number, i: number) => assertAllClose([x, ...rcsBasis(x, G.basis.knots)], G.basis.values[i], 1e-12, 1e-12, `x = ${x}`));
});

test('an lrm with two rcs terms: knots, coefficients and every rms::anova Wald line (per-term nonlinear, totals)', () => {
  const L = G.lrm;
  const ka = rcsKnots(L.age, 4), kb = rcsKnots(L.bmi, 3);
  assertAllClose(ka, L.knotsAge, 1e-12, 0, 'age knots');
  assertAllClose(kb, L.knotsBmi, 1e-12, 0, 'bmi knots');
  const X = L.age.map((a: number, i: number) => [a, ...rcsBasis(a, ka), L.bmi[i], ...rcsBasis(L.bmi[i], kb), L.mir[i]]);
  const m = logisticRegression(L.y, X, ['age', "age'", "age''", 'bmi', "bmi'", 'mir']);
  // glm's IRLS (epsilon 1e-8) and lrm's Newton stop at slightly different points: 1e-6 relative still holds
  assertAllClose(m.coef, L.coef, 1e-6, 1e-9, 'coef');
  const V = logisticVcovAt(X, m.coef);
  const rows: [string, number[]][] = [['age', [1, 2, 3]], [' Nonlinear', [2, 3]], ['bmi', [4, 5]], [' Nonlinear', [5]], ['mir', [6]], ['TOTAL NONLINEAR', [2, 3, 5]], ['TOTAL', [1, 2, 3, 4, 5, 6]]];
  rows.forEach(([name, idx], i) => {
    const w = waldTest(m.coef, V, idx);
    const r = L.anova[i];
    assert.equal(r.row, name);
    assert.equal(w.df, r.df, `${name} df`);
    assertClose(w.chisq, r.chisq, 1e-6, 0, `${name} chi-square`);
    assertClose(w.p, r.p, 1e-6, 0, `${name} p`);
  });
});

test('knots of 300,000 distinct values: the quantiles at 0.05 … 0.95, in linear time (each value\'s share was counted by a pass over all values: quadratic, minutes at this n)', () => {
  const x = Array.from({ length: 300_000 }, (_, i) => Math.sin(i * 1.7) * 10 + i * 1e-9);
  const t = performance.now();
  const knots = rcsKnots(x, 4);
  const ms = performance.now() - t;
  const s = x.slice().sort((a, b) => a - b);
  const q = (p: number): number => { const h = (s.length - 1) * p, lo = Math.floor(h); return h > lo ? (1 - (h - lo)) * s[lo] + (h - lo) * s[lo + 1] : s[lo]; };
  assertAllClose(knots, [0.05, 0.35, 0.65, 0.95].map(q), 0, 0, 'type 7 quantiles');
  assert.ok(ms < 10_000, `${ms.toFixed(0)} ms (a hang guard; about 0.1 s)`);
});
