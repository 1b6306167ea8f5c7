/**
 * Baseline correction, automatic threshold and threshold Cq against base R (test/golden/threshold.R) on 46 real curves
 * from the RDML fixtures, 1e-6 relative; plus constructed curves for the crossing rules.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { assertClose, readGolden } from '../helpers';
import { findCurve, readCurves } from './goldenCurves';
import { autoThreshold, baselineCorrect, thresholdCq } from '../../../src/engine/curves/threshold';
import { StatsError } from '../../../src/engine/stats/errors';

interface Case {
  source: string; react: string; target: string; intercept: number; slope: number; sd: number; meanBaseline: number; meanSd: number;
  threshold: number; cqLinear: number | null; cqLog: number | null; cqMeanBaseline: number | null;
}
const G = readGolden<{ threshold: Case[] }>('threshold.json').threshold;
const curves = readCurves('curves-amplification.csv');

test('baselines, automatic thresholds and Cq equal R on every golden curve', () => {
  assert.equal(G.length, 46);
  const sds = new Map<string, number[]>();
  const base = G.map((g) => {
    const c = findCurve(curves, g.source, g.react);
    const b = baselineCorrect(c.x, c.y);
    const key = `${g.source} ${g.target}`;
    sds.set(key, [...(sds.get(key) ?? []), b.sd]);
    return { g, c, b, key };
  });
  for (const { g, c, b, key } of base) {
    const name = `${g.source} ${g.react}`;
    assertClose(b.intercept, g.intercept, 1e-6, 0, `${name} intercept`);
    assertClose(b.slope, g.slope, 1e-6, 0, `${name} slope`);
    assertClose(b.sd, g.sd, 1e-6, 0, `${name} sd`);
    const m = baselineCorrect(c.x, c.y, { method: 'mean' });
    assertClose(m.intercept, g.meanBaseline, 1e-9, 0, `${name} mean baseline`);
    assert.equal(m.slope, 0);
    assertClose(m.sd, g.meanSd, 1e-6, 0, `${name} mean sd`);
    const t = autoThreshold(sds.get(key)!);
    assertClose(t, g.threshold, 1e-6, 0, `${name} threshold`);
    assertClose(thresholdCq(c.x, b.corrected, t), g.cqLinear, 1e-6, 0, `${name} Cq linear`);
    assertClose(thresholdCq(c.x, b.corrected, t, 'log'), g.cqLog, 1e-6, 0, `${name} Cq log`);
    assertClose(thresholdCq(c.x, m.corrected, t), g.cqMeanBaseline, 1e-6, 0, `${name} Cq mean baseline`);
  }
});

test('the crossing is the last upward one before the maximum, interpolated linearly or in log', () => {
  const x = [1, 2, 3, 4, 5, 6, 7, 8];
  const y = [0, 3, 0, 1, 2, 4, 8, 8];
  assert.equal(thresholdCq(x, y, 2.5), 5.25);
  assertClose(thresholdCq(x, y, 3, 'log'), 5 + Math.log(3 / 2) / Math.log(2), 1e-12);
  assert.equal(thresholdCq(x, y, 9), null, 'never reached');
  assert.equal(thresholdCq(x, [5, 6, 7, 8, 9, 9, 9, 9], 4), null, 'above at the first cycle');
  assert.equal(thresholdCq(x, y, 0.5, 'log'), 3.5, 'value below the crossing is 0: linear');
});

test('a linear baseline removes a drift exactly; the mean baseline does not', () => {
  const x = Array.from({ length: 40 }, (_, i) => i + 1);
  const y = x.map((c) => 100 - 2 * c + (c > 20 ? 2 ** (c - 20) : 0));
  const b = baselineCorrect(x, y);
  assertClose(b.slope, -2, 1e-12);
  assertClose(b.intercept, 100, 1e-12);
  assert.ok(b.sd < 1e-10);
  assert.ok(Math.abs(b.corrected[9]) < 1e-10);
  assert.ok(baselineCorrect(x, y, { method: 'mean' }).sd > 7);
});

test('bad input is a located StatsError', () => {
  assert.throws(() => baselineCorrect([1, 2, 3], [1, 2]), /3 cycles but 2/);
  assert.throws(() => baselineCorrect([1, 2, 3, 4], [1, NaN, 2, 3]), /index 1/);
  assert.throws(() => baselineCorrect([1, 2, 3, 4], [1, 2, 3, 4], { start: 3, end: 4 }), /hold 2 point/);
  assert.throws(() => baselineCorrect([1, 2, 3, 4], [1, 2, 3, 4], { start: 5, end: 4 }), /after end/);
  assert.throws(() => autoThreshold([]), StatsError);
  assert.throws(() => thresholdCq([1, 2], [1, 2], NaN), /not a finite/);
});
