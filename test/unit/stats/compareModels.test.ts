/**
 * Model comparison statistics against test/golden/compare-models.R: glm/coxph anova LRT, pROC roc.test (paired with
 * the CI of the difference, unpaired), Hmisc::improveProb (continuous NRI, IDI; categorical NRI by cut-offs) and
 * survival::concordance(fit0, fit1) (ΔC with its jackknife covariance). Relative tolerance 1e-6.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { readGolden, assertClose, assertAllClose } from '../helpers';
import { logisticRegression } from '../../../src/engine/stats/logistic';
import { coxph } from '../../../src/engine/stats/cox';
import { roc, delongTest, delongUnpaired } from '../../../src/engine/stats/roc';
import { improveProb, riskCategory, type ImproveIndex } from '../../../src/engine/stats/reclassification';
import { concordanceDifference } from '../../../src/engine/stats/modelComparison';
import { pchisqUpper } from '../../../src/engine/stats/dist';
import { StatsError } from '../../../src/engine/stats/errors';

const g = readGolden('compare-models.json');
const TOL = 1e-6;

function fits() {
  const L = g.logistic;
  const m0 = logisticRegression(L.y, L.X0, ['age', 'lwt']);
  const m1 = logisticRegression(L.y, L.X1, ['age', 'lwt', 'smoke', 'ht', 'ui']);
  return { L, m0, m1 };
}

function sameIndex(a: ImproveIndex, e: any, what: string): void {
  assertClose(a.index, e.index, TOL, 1e-12, `${what} index`);
  assertClose(a.se, e.se, TOL, 1e-12, `${what} se`);
  assertClose(a.z, e.z, TOL, 1e-12, `${what} z`);
  assertClose(a.p, e.p, TOL, 1e-15, `${what} p`);
  assertAllClose(a.ci, e.ci, TOL, 1e-12, `${what} ci`);
}

test('glm anova LRT of nested models (MASS::birthwt)', () => {
  const { L, m0, m1 } = fits();
  assertAllClose(m0.fitted, L.p0, TOL, 1e-12, 'p0');
  assertAllClose([m0.deviance, m1.deviance], L.anova.residDev, TOL, 0, 'deviances');
  const chisq = m0.deviance - m1.deviance;
  assertClose(chisq, L.anova.deviance, TOL, 0, 'LR chi-square');
  assertClose(pchisqUpper(chisq, 3), L.anova.p, TOL, 0, 'LR p');
});

test('pROC roc.test paired DeLong: z, p and the CI of the difference (95% and 90%)', () => {
  const { L, m0, m1 } = fits();
  const t = delongTest(roc(L.y, m1.fitted, { direction: '<' }), roc(L.y, m0.fitted, { direction: '<' }));
  assertClose(t.auc1, g.paired.auc1, TOL, 0, 'auc1');
  assertClose(t.auc2, g.paired.auc2, TOL, 0, 'auc2');
  assertClose(t.z, g.paired.z, TOL, 0, 'z');
  assertClose(t.p, g.paired.p, TOL, 0, 'p');
  assertAllClose(t.ci, g.paired.ci, TOL, 0, 'ci');
  const t90 = delongTest(roc(L.y, m1.fitted, { direction: '<' }), roc(L.y, m0.fitted, { direction: '<' }), 0.9);
  assertAllClose(t90.ci, g.paired90.ci, TOL, 0, 'ci 90%');
});

test('pROC roc.test paired DeLong between two markers with their own (auto) directions', () => {
  const M = g.markers;
  const rl = roc(g.logistic.y, M.lwt), ra = roc(g.logistic.y, M.age);
  assert.deepEqual([rl.direction, ra.direction], M.directions);
  assertAllClose([rl.auc, ra.auc], M.auc, TOL, 0, 'auc');
  const t = delongTest(rl, ra);
  assertClose(t.z, M.z, TOL, 0, 'z');
  assertClose(t.p, M.p, TOL, 0, 'p');
  assertAllClose(t.ci, M.ci, TOL, 0, 'ci');
});

test('pROC roc.test unpaired DeLong: statistic, Welch df, p', () => {
  const { L, m1 } = fits();
  const odd = L.y.map((_: number, i: number) => i).filter((i: number) => i % 2 === 0);
  const even = L.y.map((_: number, i: number) => i).filter((i: number) => i % 2 === 1);
  const r = (ix: number[]) => roc(ix.map((i) => L.y[i]), ix.map((i) => m1.fitted[i]), { direction: '<' });
  const t = delongUnpaired(r(odd), r(even));
  assertClose(t.statistic, g.unpaired.statistic, TOL, 0, 'D');
  assertClose(t.df, g.unpaired.df, TOL, 0, 'df');
  assertClose(t.p, g.unpaired.p, TOL, 0, 'p');
  assertClose(t.difference, g.unpaired.aucA - g.unpaired.aucB, TOL, 0, 'difference');
});

test('Hmisc::improveProb: continuous NRI (overall, events, non-events), IDI, improveSens/Spec, CI level', () => {
  const { L, m0, m1 } = fits();
  const r = improveProb(m0.fitted, m1.fitted, L.y);
  const C = g.improve.continuous;
  for (const k of ['upEvents', 'downEvents', 'upNonEvents', 'downNonEvents'] as const) assertClose(r.continuous[k], C[k], TOL, 0, k);
  sameIndex(r.continuous.nri, C.nri, 'NRI');
  sameIndex(r.continuous.events, C.events, 'NRI events');
  sameIndex(r.continuous.nonEvents, C.nonEvents, 'NRI non-events');
  sameIndex(r.idi, g.improve.idi, 'IDI');
  assertClose(r.improveSens, g.improve.improveSens, TOL, 0, 'improveSens');
  assertClose(r.improveSpec, g.improve.improveSpec, TOL, 0, 'improveSpec');
  sameIndex(improveProb(m0.fitted, m1.fitted, L.y, { confLevel: 0.9 }).idi, g.improve.idi90, 'IDI 90%');
});

test('categorical NRI by cut-offs = improveProb on the category codes (Pencina 2008)', () => {
  const { L, m0, m1 } = fits();
  const r = improveProb(m0.fitted, m1.fitted, L.y, { cutoffs: [0.4, 0.2] }).categorical!;
  assert.deepEqual(r.cutoffs, g.categorical.cutoffs);
  sameIndex(r.nri, g.categorical.nri, 'categorical NRI');
  sameIndex(r.events, g.categorical.events, 'categorical NRI events');
  sameIndex(r.nonEvents, g.categorical.nonEvents, 'categorical NRI non-events');
  assert.deepEqual([0.1, 0.2, 0.3, 0.4, 0.9].map((p) => riskCategory(p, [0.2, 0.4])), [0, 0, 1, 1, 2]);
  assert.throws(() => improveProb(m0.fitted, m1.fitted, L.y, { cutoffs: [0.2, 1.5] }), StatsError);
  assert.throws(() => improveProb([0.1, 1.2], [0.1, 0.2], [0, 1]), StatsError);
});

test('coxph anova LRT and survival::concordance(fit0, fit1): ΔC with its jackknife covariance (lung)', () => {
  const C = g.cox;
  const f0 = coxph(C.time, C.status, C.X0), f1 = coxph(C.time, C.status, C.X1);
  assertAllClose([f0.loglik[1], f1.loglik[1]], C.anova.loglik, TOL, 0, 'loglik');
  const chisq = 2 * (f1.loglik[1] - f0.loglik[1]);
  assertClose(chisq, C.anova.chisq, TOL, 0, 'LR chi-square');
  assertClose(pchisqUpper(chisq, 2), C.anova.p, TOL, 0, 'LR p');
  const d = concordanceDifference(C.time, C.status, f0.linearPredictors, f1.linearPredictors);
  assertAllClose([d.c1, d.c2], C.concordance, TOL, 0, 'C');
  assertAllClose(d.var.flat(), C.var.flat(), TOL, 0, 'var');
  assertClose(d.difference, C.deltaC, TOL, 0, 'ΔC');
  assertClose(d.se, C.seDeltaC, TOL, 0, 'se');
  assertClose(d.p, C.pDeltaC, TOL, 0, 'p');
  assertAllClose(d.ci, C.ciDeltaC, TOL, 0, 'ci');
});
