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
