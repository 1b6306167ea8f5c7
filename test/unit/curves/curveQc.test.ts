/** Curve QC: constructed curves that make every flag fire and not fire, and the real golden curves. */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { readCurves } from './goldenCurves';
import { cqDifferenceFinding, curveShapeFindings, efficiencyFindings } from '../../../src/engine/curves/curveQc';

const cycles = Array.from({ length: 40 }, (_, i) => i + 1);
/** A clean sigmoid: baseline 1000 with ±1 alternating noise, amplitude 20000, midpoint 25. */
const clean = cycles.map((c) => 1000 + (c % 2 ? 1 : -1) + 20000 / (1 + Math.exp(-(c - 25) / 1.5)));
const codes = (f: { code: string }[]) => f.map((x) => x.code);

test('a clean sigmoid raises no shape finding', () => {
  assert.deepEqual(curveShapeFindings('A1', cycles, clean), []);
});

test('no amplification: flat noise, and a rise below 20 % of the background', () => {
  const flat = cycles.map((c) => 1000 + (c % 2 ? 3 : -3));
  const f = curveShapeFindings('A2', cycles, flat);
  assert.deepEqual(codes(f), ['qc-curve-no-amplification']);
  assert.match(f[0].message, /A2.*10 × the baseline SD/);
  const small = cycles.map((c) => 1000 + (c % 2 ? 1 : -1) + 150 / (1 + Math.exp(-(c - 25) / 1.5)));
  assert.match(curveShapeFindings('A3', cycles, small)[0].message, /20 % of the baseline level/);
  const enough = cycles.map((c) => 1000 + (c % 2 ? 1 : -1) + 300 / (1 + Math.exp(-(c - 25) / 1.5)));
  assert.deepEqual(curveShapeFindings('A4', cycles, enough), []);
});

test('no plateau: a curve still growing at the last cycle', () => {
  const late = cycles.map((c) => 1000 + (c % 2 ? 1 : -1) + 20000 / (1 + Math.exp(-(c - 38) / 1.5)));
  const f = curveShapeFindings('B1', cycles, late);
  assert.deepEqual(codes(f), ['qc-curve-no-plateau']);
  assert.equal(f[0].cycle, 40);
});

test('baseline drift: a sloping baseline over 5 % of the amplitude, not below', () => {
  const drift = (s: number) => cycles.map((c, i) => clean[i] + s * c);
  assert.deepEqual(codes(curveShapeFindings('C1', cycles, drift(40))), ['qc-curve-baseline-drift']);
  assert.deepEqual(curveShapeFindings('C2', cycles, drift(15)), []);
});

test('irregular shape: a spike, a dip, a fall before the top; located at the cycle', () => {
  const spike = clean.slice(); spike[9] += 4000;
  let f = curveShapeFindings('D1', cycles, spike);
  assert.deepEqual(codes(f), ['qc-curve-irregular']);
  assert.equal(f[0].cycle, 10);
  assert.match(f[0].message, /spike/);
  const dip = clean.slice(); dip[34] -= 4000;
  f = curveShapeFindings('D2', cycles, dip);
  assert.equal(f[0].cycle, 35);
  assert.match(f[0].message, /dip/);
  const ramp = [1500, 3000, 3000, 3000, 1500];
  const fall = clean.map((v, i) => (i >= 32 && i <= 36 ? v - ramp[i - 32] : v));
  f = curveShapeFindings('D3', cycles, fall);
  assert.deepEqual(codes(f), ['qc-curve-irregular']);
  assert.equal(f[0].cycle, 34);
  assert.match(f[0].message, /falls 1\d\.\d % of the amplitude before its maximum/);
  const small = clean.slice(); small[9] += 1500;
  assert.deepEqual(curveShapeFindings('D4', cycles, small), [], '7.5 % spike is below the 10 % limit');
});

test('efficiency outside the range and outliers within a target', () => {
  const r = (reaction: string, target: string, efficiency: number) => ({ reaction, target, efficiency });
  const f = efficiencyFindings([
    r('A1', 'GAPDH', 1.92), r('A2', 'GAPDH', 1.93), r('A3', 'GAPDH', 1.91), r('A4', 'GAPDH', 1.925), r('A5', 'GAPDH', 1.78),
    r('B1', 'ACTB', 1.95), r('B2', 'ACTB', 1.95), r('B3', 'ACTB', 1.95), r('B4', 'ACTB', 2.02),
    r('C1', 'TP53', 2.3), r('C2', 'TP53', 1.9),
  ]);
  assert.deepEqual(f.map((x) => `${x.code} ${x.reaction}`), [
    'qc-curve-efficiency-range A5', 'qc-curve-efficiency-range C1',
    'qc-curve-efficiency-outlier A5', 'qc-curve-efficiency-outlier B4',
  ]);
  assert.match(f[3].message, /the others are identical/);
  assert.deepEqual(efficiencyFindings([r('A1', 'G', 1.9), r('A2', 'G', 1.95), r('A3', 'G', 1.93), r('A4', 'G', 1.97)]), [], 'spread within 0.05');
});

test('late and early Cq relative to the instrument', () => {
  assert.equal(cqDifferenceFinding('A1', 25.4, 24.9), null);
  assert.equal(cqDifferenceFinding('A1', null, 24.9), null);
  assert.equal(cqDifferenceFinding('A1', 26.2, 24.9)?.code, 'qc-curve-late-cq');
  assert.equal(cqDifferenceFinding('A1', 23.5, 24.9)?.code, 'qc-curve-early-cq');
  assert.match(cqDifferenceFinding('A1', 26.2, 24.9)!.message, /1\.30 cycles later than the instrument's 24\.90/);
  assert.equal(cqDifferenceFinding('A1', 26.2, 24.9, { maxCqDifference: 2 }), null);
});

test('real curves of the RDML fixtures all amplify, plateau and have a regular shape', () => {
  for (const c of readCurves('curves-amplification.csv')) {
    const f = curveShapeFindings(c.react, c.x, c.y).filter((x) => x.code !== 'qc-curve-baseline-drift');
    assert.deepEqual(f, [], `${c.source} ${c.react}`);
  }
});

test('a curve with a missing value is a located StatsError, not a crash', () => {
  const bad = clean.slice(); bad[12] = NaN;
  assert.throws(() => curveShapeFindings('E1', cycles, bad), /index 12 \(cycle 13\)/);
});
