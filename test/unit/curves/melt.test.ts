/**
 * Melt curves against the same definitions computed by hand in base R (test/golden/melt.R) on the 22 real melt curves
 * of own_mix_a.rdml and one constructed two-product curve, 1e-6 relative; flags and Tm outliers on constructed data.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { assertAllClose, assertClose, readGolden } from '../helpers';
import { findCurve, readCurves } from './goldenCurves';
import { analyseMelt, meltDerivative, movingAverage, tmOutliers } from '../../../src/engine/curves/melt';
import { StatsError } from '../../../src/engine/stats/errors';

interface Peak { tm: number; height: number; prominence: number; index: number }
interface Case { source: string; react: string; target: string; derivative: number[]; peaks: Peak[]; tmZ: number }
const G = readGolden<{ melt: Case[]; constructed: Case & { tmp: number[]; fluor: number[] } }>('melt.json');
const curves = readCurves('curves-melt.csv');

function comparePeaks(actual: Peak[], expected: Peak[], name: string): void {
  assert.equal(actual.length, expected.length, `${name}: number of peaks`);
  actual.forEach((p, k) => {
    assertClose(p.tm, expected[k].tm, 1e-6, 0, `${name} peak ${k} Tm`);
    assertClose(p.height, expected[k].height, 1e-6, 0, `${name} peak ${k} height`);
    assertClose(p.prominence, expected[k].prominence, 1e-6, 0, `${name} peak ${k} prominence`);
    assert.equal(p.index, expected[k].index, `${name} peak ${k} index`);
  });
}

test('-dF/dT, peaks and Tm robust z equal R on every real melt curve', () => {
  assert.equal(G.melt.length, 22);
  const tms = new Map<string, { id: string; tm: number }[]>();
  for (const g of G.melt) {
    const c = findCurve(curves, g.source, g.react);
    const a = analyseMelt(c.x, c.y);
    assertAllClose(a.derivative, g.derivative, 1e-6, 1e-9, `${g.react} -dF/dT`);
    comparePeaks(a.peaks, g.peaks, g.react);
    assert.equal(a.multiplePeaks, false);
    tms.set(g.target, [...(tms.get(g.target) ?? []), { id: g.react, tm: a.peaks[0].tm }]);
  }
  for (const group of tms.values()) {
    assert.deepEqual(tmOutliers(group), [], 'real replicates agree within 0.5 °C');
    const z = tmOutliers(group, { minDeviation: 0, zLimit: 0 });
    for (const o of z) assertClose(o.z, G.melt.find((g) => g.react === o.id)!.tmZ, 1e-6, 1e-9, `${o.id} z`);
  }
});

test('a product and a primer-dimer peak: both found as R finds them, flagged', () => {
  const k = G.constructed;
  const a = analyseMelt(k.tmp, k.fluor);
  assertAllClose(a.derivative, k.derivative, 1e-6, 1e-9, 'constructed -dF/dT');
  comparePeaks(a.peaks, k.peaks, 'constructed');
  assert.equal(a.multiplePeaks, true);
  assert.equal(a.primerDimer, true);
  assert.equal(analyseMelt(k.tmp, k.fluor, { dimerMaxTm: 70 }).primerDimer, false, 'second peak above the dimer Tm limit');
  const small = analyseMelt(k.tmp, k.fluor, { minProminence: 0.3 });
  assert.equal(small.multiplePeaks, false, 'second peak below the prominence floor');
});

test('two products close in Tm: multiple peaks but no primer-dimer', () => {
  const t = Array.from({ length: 120 }, (_, i) => 60 + i * 0.3);
  const f = t.map((x) => 1e5 / (1 + Math.exp((x - 84) / 0.5)) + 6e4 / (1 + Math.exp((x - 87) / 0.5)));
  const a = analyseMelt(t, f);
  assert.equal(a.peaks.length, 2);
  assert.equal(a.multiplePeaks, true);
  assert.equal(a.primerDimer, false);
});

test('Tm outliers: |robust z| > 3.5 and more than 0.5 °C from the median', () => {
  const r = (tm: number[]) => tm.map((v, i) => ({ id: `w${i}`, tm: v }));
  assert.deepEqual(tmOutliers(r([82.0, 82.1, 81.9, 82.05, 79.0])).map((o) => o.id), ['w4']);
  assert.deepEqual(tmOutliers(r([82.0, 82.1, 81.9, 82.05, 82.4])), [], 'z > 3.5 but only 0.35 °C away');
  assert.deepEqual(tmOutliers(r([82, 82, 82, 83])).map((o) => o.id), ['w3'], 'MAD 0: the deviation decides');
  assert.deepEqual(tmOutliers(r([82, 90])), [], 'fewer than 3 reactions');
});

test('smoothing and bad input', () => {
  assert.deepEqual(movingAverage([1, 2, 6, 4, 5], 3), [1, 3, 4, 5, 5]);
  assert.throws(() => movingAverage([1, 2], 4), /odd whole number/);
  assert.throws(() => meltDerivative([60, 61], [1, 2]), /at least 3/);
  assert.throws(() => meltDerivative([60, 61, 61], [1, 2, 3]), /index 2 does not increase/);
  assert.throws(() => meltDerivative([60, 61, 62], [1, Infinity, 3]), StatsError);
  assert.deepEqual(analyseMelt([60, 61, 62, 63], [1, 2, 3, 4]).peaks, [], 'rising fluorescence: no peak');
});
