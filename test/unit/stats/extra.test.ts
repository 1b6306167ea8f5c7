/**
 * Pairwise log-rank, log-rank trend, RMST and cumulative counts against R (test/golden/survival-extra.R), 1e-6 relative
 * (counts exactly).
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { assertAllClose, assertClose, readGolden } from '../helpers';
import { logrankTrend, pairwiseLogrank, rmst, rmstDifference } from '../../../src/engine/stats/survivalTests';
import { cumulativeCounts, kaplanMeier, numbersAtRisk } from '../../../src/engine/stats/km';

const G = readGolden<any>('survival-extra.json').extra;

test('pairwise log-rank equals survminer::pairwise_survdiff (BH, none, Holm with rho = 1)', () => {
  const l = G.lung;
  assertAllClose(pairwiseLogrank(l.time, l.status, l.group, 'none').map((r) => r.p), l.pairwiseRaw, 1e-6, 1e-15, 'raw');
  assertAllClose(pairwiseLogrank(l.time, l.status, l.group, 'bh').map((r) => r.pAdjusted), l.pairwiseBH, 1e-6, 1e-15, 'BH');
  assertAllClose(pairwiseLogrank(l.time, l.status, l.group, 'holm', 1).map((r) => r.pAdjusted), l.pairwiseHolmRho1, 1e-6, 1e-15, 'Holm rho 1');
  const v = G.veteran;
  assertAllClose(pairwiseLogrank(v.time, v.status, v.group, 'bh').map((r) => r.pAdjusted), v.pairwiseBH, 1e-6, 1e-15, 'veteran');
});

test('log-rank trend (scores 1..k) equals the statistic from survdiff in R', () => {
  for (const d of [G.lung, G.veteran]) {
    const t = logrankTrend(d.time, d.status, d.group);
    assertClose(t.chisq, d.trend.chisq, 1e-6, 0, 'chisq');
    assertClose(t.p, d.trend.p, 1e-6, 0, 'p');
  }
});

test('RMST and its difference equal print(survfit, rmean = tau) at horizons inside and beyond follow-up', () => {
  const a = G.aml;
  const pick = (m: boolean) => a.time.map((_: number, i: number) => i).filter((i: number) => a.maintained[i] === m);
  const [g1, g0] = [pick(true), pick(false)];
  assert.equal(a.rmst.length, 4);
  for (const c of a.rmst) {
    const r1 = rmst(g1.map((i: number) => a.time[i]), g1.map((i: number) => a.status[i]), c.tau);
    const r0 = rmst(g0.map((i: number) => a.time[i]), g0.map((i: number) => a.status[i]), c.tau);
    assertClose(r1.rmst, c.maintained.rmean, 1e-9, 0, `tau ${c.tau} rmst`);
    assertClose(r1.se, c.maintained.se, 1e-6, 0, `tau ${c.tau} se`);
    assertClose(r0.rmst, c.nonmaintained.rmean, 1e-9, 0, `tau ${c.tau} rmst 0`);
    const d = rmstDifference(r1, r0);
    assertClose(d.diff, c.diff, 1e-9, 1e-12, 'diff');
    assertAllClose([d.lower, d.upper], [c.diffLower, c.diffUpper], 1e-6, 1e-12, 'diff CI');
    assertClose(d.p, c.p, 1e-6, 0, 'p');
  }
  const l = G.lungRmst;
  const r = rmst(l.time, l.status, l.tau);
  assertClose(r.rmst, l.rmst.rmean, 1e-9, 0, 'lung rmst');
  assertClose(r.se, l.rmst.se, 1e-6, 0, 'lung se');
});

test('cumulative events and censored at chosen times (within, between, at and beyond the data) equal survminer\'s, exactly', () => {
  for (const c of G.cumulative) {
    const groups = [...new Set<string>(c.group)].sort();
    groups.forEach((g, k) => {
      const ix = c.group.map((x: string, i: number) => (x === g ? i : -1)).filter((i: number) => i >= 0);
      const fit = kaplanMeier(ix.map((i: number) => c.time[i]), ix.map((i: number) => c.status[i]));
      const r = cumulativeCounts(fit, c.times);
      assert.equal(c.rows[k].group, g);
      assert.deepEqual(numbersAtRisk(fit, c.times), c.rows[k].atRisk, `${g} at risk`);
      assert.deepEqual(r.events, c.rows[k].events, `${g} events`);
      assert.deepEqual(r.censored, c.rows[k].censored, `${g} censored`);
    });
  }
});
