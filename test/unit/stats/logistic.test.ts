import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { readGolden, assertClose, assertAllClose } from '../helpers';
import { logisticRegression, predictLogistic, spline } from '../../../src/engine/stats/logistic';
import { seqLength } from '../../../src/engine/stats/pretty';
import { StatsError } from '../../../src/engine/stats/errors';

const g = readGolden('models.json');

function check(name: string, profile: boolean): void {
  const gm = g[name];
  const names: string[] = gm.names.slice(1);
  const X: number[][] = gm.X.map((r: number[]) => r.slice(1));
  const m = logisticRegression(gm.y, X, names, { ci: profile ? 'profile' : 'wald' });
  assert.deepEqual(m.names, gm.names);
  assert.ok(m.converged);
  assertAllClose(m.coef, gm.coef, 1e-6, 0, `${name} coef`);
  assertAllClose(m.terms.map((t) => t.se), gm.se, 1e-6, 0, `${name} se`);
  assertAllClose(m.terms.map((t) => t.wald), gm.wald, 1e-6, 0, `${name} wald`);
  assertAllClose(m.terms.map((t) => t.p), gm.p, 1e-6, 0, `${name} p`);
  assertAllClose(m.terms.map((t) => t.or), gm.or, 1e-6, 0, `${name} or`);
  m.terms.forEach((t, j) => assertAllClose(t.ciWald, gm.ciWald[j], 1e-6, 0, `${name} ciWald ${t.term}`));
  if (profile) {
    // MASS: fmm spline through the profile then linear inverse interpolation; reproduced step by step.
    m.terms.forEach((t, j) => assertAllClose(t.ciProfile as number[], gm.ciProfile[j], 1e-6, 0, `${name} ciProfile ${t.term}`));
    m.terms.forEach((t) => assert.deepEqual(t.ci, t.ciProfile));
  } else {
    m.terms.forEach((t) => { assert.deepEqual(t.ci, t.ciWald); assert.equal(t.ciProfile, undefined); });
  }
  m.vcov.forEach((r, j) => assertAllClose(r, gm.vcov[j], 1e-6, 1e-12, `${name} vcov row ${j}`));
  assertAllClose(m.fitted, gm.fitted, 1e-6, 0, `${name} fitted`);
  assertAllClose(m.linearPredictor, gm.lp, 1e-6, 1e-9, `${name} lp`);
  assertClose(m.deviance, gm.deviance, 1e-8, 0, 'deviance');
  assertClose(m.nullDeviance, gm.nullDeviance, 1e-10, 0, 'null deviance');
  assertClose(m.logLik, gm.logLik, 1e-8, 0, 'logLik');
  assertClose(m.aic, gm.aic, 1e-8, 0, 'aic');
  assertClose(m.r2Nagelkerke, gm.r2Nagelkerke, 1e-6, 0, 'R2N');
  assert.equal(m.n, gm.n);
  assert.equal(m.events, gm.events);
  assertAllClose(predictLogistic(m, X), gm.fitted, 1e-6, 0, 'predict');
}

test('birthwt full model (race factor) matches glm + confint.default', () => check('birthwtFull', false));
test('birthwt full model profile-likelihood CI matches MASS confint(glm)', () => check('birthwtFull', true));
test('birthwt 4-variable model matches glm, Wald and profile', () => { check('birthwt4', false); check('birthwt4', true); });
test('confLevel 0.90: Wald and profile CIs match confint.default / confint(glm, level = 0.9)', () => {
  const gm = g.birthwt4;
  const m = logisticRegression(gm.y, gm.X.map((r: number[]) => r.slice(1)), gm.names.slice(1), { ci: 'profile', confLevel: 0.9 });
  m.terms.forEach((t, j) => {
    assertAllClose(t.ciWald, g.birthwt4Level90.ciWald[j], 1e-6, 0, `wald90 ${t.term}`);
    assertAllClose(t.ciProfile as number[], g.birthwt4Level90.ciProfile[j], 1e-6, 0, `profile90 ${t.term}`);
  });
});
test('small n (10 rows) matches glm incl. profile CI', () => check('smallN', true));
test('fitted probabilities ~6e-13 without separation: fits as glm (no false separation error)', () => check('extremeNoSeparation', false));

test('reference-document oracle numbers (birthwt full model)', () => {
  const gm = g.birthwtFull;
  const m = logisticRegression(gm.y, gm.X.map((r: number[]) => r.slice(1)), gm.names.slice(1));
  assertClose(m.coef[2], -0.0151826, 1e-5, 0, 'lwt B');
  assertClose(m.terms[7].wald, 7.026481, 1e-6, 0, 'ht Wald');
  assertClose(m.deviance, 201.42695, 1e-7, 0, 'deviance');
  assertClose(m.terms[3].ciWald[0], 1.260327, 1e-6, 0, 'black CI lo');
});

test('perfect separation throws StatsError naming the term', () => {
  const s = g.separation;
  assert.throws(() => logisticRegression(s.y, s.x.map((v: number) => [v]), ['marker']), (e: unknown) => e instanceof StatsError && /separation/.test(e.message) && /'marker'/.test(e.message));
});
test('quasi-complete separation throws StatsError naming the term', () => {
  const s = g.quasiSeparation;
  assert.throws(() => logisticRegression(s.y, s.x.map((v: number) => [v]), ['marker']), (e: unknown) => e instanceof StatsError && /separation/.test(e.message) && /'marker'/.test(e.message));
});
test('separation by one term inside a multivariable model names that term', () => {
  const y = [0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 0, 1];
  const a = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 2.5, 9.5];
  const b = [3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5, 8];
  assert.throws(() => logisticRegression(y, a.map((v, i) => [b[i], v]), ['noise', 'dct']), (e: unknown) => e instanceof StatsError && /'dct'/.test(e.message) && !/'noise'/.test(e.message));
});
test('constant column throws StatsError naming the term (R gives NA)', () => {
  const c = g.constantColumn;
  assert.equal(c.rCoef[2], 'NA');
  assert.throws(() => logisticRegression(c.y, c.x.map((v: number, i: number) => [v, c.z[i]]), ['x', 'z']), (e: unknown) => e instanceof StatsError && /'z' is constant/.test(e.message));
});
test('collinear column throws StatsError naming the later term', () => {
  const y = [0, 1, 0, 1, 1, 0, 1, 0];
  const x = [1, 2, 3, 4, 5, 6, 7, 9];
  const w = [2, 1, 2, 5, 3, 4, 1, 1];
  assert.throws(() => logisticRegression(y, x.map((v, i) => [v, w[i], 2 * v - w[i] + 1]), ['x', 'w', 'combo']), (e: unknown) => e instanceof StatsError && /'combo' is collinear/.test(e.message));
});
test('bad input: single class, non-binary outcome, NaN, n <= p', () => {
  assert.throws(() => logisticRegression([0, 0, 0, 0], [[1], [2], [3], [4]], ['x']), StatsError);
  assert.throws(() => logisticRegression([0, 2, 1, 0], [[1], [2], [3], [4]], ['x']), StatsError);
  assert.throws(() => logisticRegression([0, 1, 1, 0], [[1], [NaN], [3], [4]], ['x']), /'x' has a missing/);
  assert.throws(() => logisticRegression([0, 1], [[1], [2]], ['x']), StatsError);
  assert.throws(() => logisticRegression([0, 1, 1, 0, 1], [[1, 2], [2, 1], [3, 5], [4, 4], [5, 1]], ['x', 'x']), /duplicate/);
  assert.throws(() => logisticRegression([0, 1, 1, 0, 1], [[1, 2], [2, 1], [3, 5], [4, 4], [5, 1]], ['x']), /row 1 of X has 2 values/);
});

test('spline (fmm) and seq helpers reproduce R on a small case', () => {
  // R: spline(c(1,2,4,7,8), c(0,1,0,3,2), n=4)$y = 0, 0.2240217619, 1.7702215712, 2
  const s = spline([1, 2, 4, 7, 8], [0, 1, 0, 3, 2], 4);
  assertAllClose(s.x, [1, 10 / 3, 17 / 3, 8], 1e-12);
  assertAllClose(s.y, [0, 0.2240217619, 1.7702215712, 2], 1e-9, 1e-12, 'spline y');
  assertAllClose(seqLength(0, 1, 5), [0, 0.25, 0.5, 0.75, 1], 1e-15);
});
