/**
 * Cox nomogram (rms::nomogram on cph with Survival/Quantile funs) and Cox calibration at a time point
 * (rms::calibrate(cph, u, cmethod = "KM")) against test/golden/cox-nomogram.json (Rscript test/golden/cox-nomogram.R).
 * The bootstrap part is compared exactly with R's own resample indices fed in, and statistically with the project's Rng.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { readGolden, assertClose, assertAllClose } from '../helpers';
import { coxph } from '../../../src/engine/stats/cox';
import { coxBaseline, cphCentring } from '../../../src/engine/stats/coxSurvival';
import { coxNomogram } from '../../../src/engine/stats/nomogram';
import { calibrateCox, coxResampleCalibration } from '../../../src/engine/stats/calibrateCox';
import { mean, sd } from '../../../src/engine/stats/basic';
import { Rng } from '../../../src/engine/stats/rng';

const g = readGolden('cox-nomogram.json');

for (const name of ['lung', 'sim'] as const) {
  const d = g[name];
  const nm = d.nomogram;
  const fit = coxph(d.time, d.status, d.X, { ties: d.ties, names: d.names });
  const c = cphCentring(d.X, fit.coef);

  test(`${name}: cph coefficients, centre and baseline survival (survfit.cph at the means)`, () => {
    assertAllClose(fit.coef, nm.coef, 1e-7, 0, 'coef');
    assertClose(c.center, nm.center, 1e-7, 0, 'center');
    assertAllClose(c.lp, nm.lp, 1e-7, 1e-9, 'centred linear predictors');
    const b = coxBaseline(d.time, d.status, c.lp, d.ties);
    assertAllClose(b.time, nm.baseTime, 0, 0, 'times');
    assertAllClose(b.surv, nm.baseSurv, 1e-7, 0, 'S0');
  });

  test(`${name}: nomogram points, total points and survival axes as rms (${d.ties} ties)`, () => {
    const b = coxBaseline(d.time, d.status, c.lp, d.ties);
    const n = coxNomogram({ coef: fit.coef, names: d.names, center: c.center, linearPredictor: c.lp }, d.ranges, b, { times: d.times, median: d.median });
    assertClose(n.pointsPerUnit, nm.sc, 1e-7, 0, 'sc');
    assertClose(n.intercept, nm.intercept, 1e-7, 1e-9, 'LP at 0 points');
    assertAllClose(n.lpAt, nm.lpAt, 1e-12, 1e-12, 'lp.at');
    assert.deepEqual(n.totalPointsAxis, nm.totalPoints);
    n.axes.forEach((a, k) => {
      assert.deepEqual(a.ticks.map((t) => t.value), nm.axes[k].values);
      assertAllClose(a.ticks.map((t) => t.points), nm.axes[k].points, 1e-7, 1e-9, `${a.term} points`);
    });
    assert.ok(Math.abs(Math.max(...n.axes.flatMap((a) => a.ticks.map((t) => t.points))) - 100) < 1e-9, 'the widest term spans 100 points');
    assert.equal(n.survival.length, nm.funs.length);
    n.survival.forEach((s, k) => {
      assertAllClose(s.ticks.map((t) => t.value), nm.funs[k].values, 1e-12, 1e-12, `${s.label} ticks`);
      assertAllClose(s.ticks.map((t) => t.points), nm.funs[k].points, 1e-6, 1e-8, `${s.label} points`);
    });
  });

  const cal = d.calibrate;
  test(`${name}: calibrate at u = ${cal.u}, m = ${cal.m}: apparent part and R's resamples fed in`, () => {
    const r = calibrateCox(d.time, d.status, d.X, fit.coef, d.ties, cal.u, { m: cal.m, resamples: cal.resamples.map((ix: number[]) => ix.map((i) => i - 1)) });
    assertAllClose(r.predicted, cal.predicted, 1e-7, 1e-10, 'predicted survival');
    assertAllClose(r.cuts, cal.cuts, 1e-7, 0, 'cuts');
    assertAllClose(r.groups.map((x) => x.n), cal.groupN, 0, 0, 'n per group');
    assertAllClose(r.groups.map((x) => x.meanPredicted), cal.meanPredicted, 1e-7, 0, 'mean predicted');
    assertAllClose(r.groups.map((x) => x.km), cal.KM, 1e-10, 0, 'KM');
    assertAllClose(r.groups.map((x) => x.stdErr), cal.stdErr, 1e-10, 0, 'std.err');
    assertAllClose(r.groups.map((x) => x.indexOrig), cal.indexOrig, 1e-6, 1e-9, 'index.orig');
    assertAllClose(r.groups.map((x) => x.resamples), cal.nResamples, 0, 0, 'resamples per group');
    assertAllClose(r.groups.map((x) => x.training), cal.training, 1e-6, 1e-9, 'training');
    assertAllClose(r.groups.map((x) => x.test), cal.test, 1e-6, 1e-9, 'test');
    assertAllClose(r.groups.map((x) => x.optimism), cal.optimism, 1e-6, 1e-9, 'optimism');
    assertAllClose(r.groups.map((x) => x.kmCorrected), cal.KMcorrected, 1e-6, 1e-9, 'KM.corrected');
  });
}

/**
 * The engine's own bootstrap (the project's seeded Rng, not R's Mersenne-Twister) against R's B = 200 run: per group,
 * each optimism is a mean of B per-resample differences (training − test), so the two means differ by a normal error
 * with sd ≈ sqrt(2) · s / sqrt(B) (s = the engine's per-resample sd). The test: |ours − R| < 4 such sd in every group
 * (a false alarm about once in 16,000 groups), and the engine's optimism equals the mean of its resample values.
 */
test('sim: seeded bootstrap optimism (B = 200) agrees with R\'s B = 200 run within Monte Carlo error', () => {
  const d = g.sim;
  const fit = coxph(d.time, d.status, d.X, { ties: d.ties, names: d.names });
  const cal = d.calibrate;
  const B = 200, seed = 5;
  const r = calibrateCox(d.time, d.status, d.X, fit.coef, d.ties, cal.u, { m: cal.m, B, seed });
  const rng = new Rng(seed);
  const diffs: number[][] = r.groups.map(() => []);
  for (let b = 0; b < B; b++) {
    const x = coxResampleCalibration(d.time, d.status, d.X, rng.resample(d.time.length), cal.u, r.cuts);
    if (!x) continue;
    x.training.forEach((tr, i) => { const te = x.test[i]; if (tr !== null && te !== null) diffs[i].push(tr - te); });
  }
  r.groups.forEach((grp, i) => {
    assert.equal(grp.resamples, diffs[i].length);
    assertClose(grp.optimism, mean(diffs[i]), 1e-9, 1e-12, `group ${i + 1} optimism = mean of resample values`);
    const se = Math.sqrt(2) * sd(diffs[i]) / Math.sqrt(diffs[i].length);
    const z = Math.abs((grp.optimism as number) - cal.optimism200[i]) / se;
    assert.ok(z < 4, `group ${i + 1}: |${grp.optimism} - ${cal.optimism200[i]}| = ${z.toFixed(2)} sd`);
  });
});
