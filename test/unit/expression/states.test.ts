// The pipeline's bookkeeping (expression.ts "states"): wells that are no state (controls, standards, targets not
// asked for) between the replicates of a sample, replicates across plates, a sample that comes back later, late and
// missing Cqs, the rows' wells, and the shape of the rows (ddcq with a calibrator, shared empty fields). Values by hand.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { assertClose } from '../helpers';
import { computeExpression } from '../../../src/engine/expression/expression';
import type { ExpressionOptions } from '../../../src/engine/expression/types';
import { DEFAULT_QC } from '../../../src/engine/plate/model';
import { plate } from './build';

const base: ExpressionOptions = { references: ['R'], targets: ['T'], qc: DEFAULT_QC, nondetect: { policy: 'exclude' }, outliers: { method: 'none' } };

// A/T: 20.0 (p1 #0), 20.2 (p1 #2), 20.4 (p2 #2) → 20.2; A/R: 15.0, 15.4 → 15.2; dCq 5.0.
// C/T: 40.5 is late (> max-cq 35), the other has no Cq: no value; C/R 16.
// B/T: 22 (p1 #10), 22.4 (p2 #1) → 22.2; B/R: 17 (p2 #0); dCq 5.2. Sample order: A, C, B.
const p1 = plate('p1.csv', [
  { s: 'A', t: 'T', cq: 20.0 }, { s: 'NTC', t: 'T', cq: null, task: 'ntc' }, { s: 'A', t: 'T', cq: 20.2 },
  { s: 'A', t: 'X', cq: 30 }, { s: 'A', t: 'R', cq: 15.0 }, { s: 'Std', t: 'T', cq: 18, task: 'standard', q: 100 },
  { s: 'A', t: 'R', cq: 15.4 }, { s: 'C', t: 'T', cq: 40.5 }, { s: 'C', t: 'T', cq: null }, { s: 'C', t: 'R', cq: 16 },
  { s: 'B', t: 'T', cq: 22 },
]);
const p2 = plate('p2.csv', [{ s: 'B', t: 'R', cq: 17 }, { s: 'B', t: 'T', cq: 22.4 }, { s: 'A', t: 'T', cq: 20.4 }]);

test('replicates split by other wells and across plates; a sample that comes back; late and missing Cqs', () => {
  const r = computeExpression([p1, p2], base);
  assert.deepEqual(r.samples.map((s) => [s.sample, s.target, s.nUsed, s.nTotal]), [
    ['A', 'T', 3, 3], ['A', 'R', 2, 2], ['C', 'T', 0, 2], ['C', 'R', 1, 1], ['B', 'T', 2, 2], ['B', 'R', 1, 1],
  ]);
  const [aT, , cT, , bT] = r.samples;
  assertClose(aT.cqMean, 20.2, 1e-12);
  assertClose(aT.cqSd, 0.2, 1e-9);
  assertClose(aT.dcq, 5.0, 1e-12);
  assertClose(aT.expression, 2 ** -5, 1e-12);
  assertClose(bT.dcq, 5.2, 1e-12);
  assert.equal(cT.cqMean, null);
  assert.equal(cT.dcq, null);
  assert.deepEqual(aT.wells, [{ file: 'p1.csv', index: 0 }, { file: 'p1.csv', index: 2 }, { file: 'p2.csv', index: 2 }]);
  assert.deepEqual(bT.wells, [{ file: 'p1.csv', index: 10 }, { file: 'p2.csv', index: 1 }]);
  assert.deepEqual(r.samples[3].wells, [{ file: 'p1.csv', index: 9 }]);
  assert.deepEqual(r.exclusions.map((e) => [e.file, e.line, e.sample, e.code]), [['p1.csv', 8, 'C', 'late-cq'], ['p1.csv', 9, 'C', 'no-cq']]);
  assert.match(r.exclusions[0].reason, /late Cq 40\.50 > max-cq 35/);
});

test('without a target list every sample target is one (X too); the standard and the NTC never enter', () => {
  const r = computeExpression([p1, p2], { ...base, targets: undefined });
  assert.deepEqual(r.methods.targets, ['T', 'X']);
  assert.deepEqual(r.samples.filter((s) => s.target === 'X').map((s) => [s.sample, s.cqMean, s.wells]), [['A', 30, [{ file: 'p1.csv', index: 3 }]]]);
  assert.equal(r.samples.some((s) => s.sample === 'NTC' || s.sample === 'Std'), false);
});

test('rows: ddcq on every target row with a calibrator, after wells; samples without fields share one frozen {}', () => {
  const r = computeExpression([p1, p2], { ...base, calibrator: (_f, s) => s === 'A' });
  const keys = ['sample', 'fields', 'target', 'cqMean', 'cqSd', 'nUsed', 'nTotal', 'refCq', 'dcq', 'expression', 'wells'];
  for (const s of r.samples) assert.deepEqual(Object.keys(s), s.reference ? [...keys, 'reference'] : [...keys, 'ddcq'], `${s.sample} ${s.target}`);
  assertClose(r.samples[4].ddcq, 0.2, 1e-9);
  assertClose(r.samples[4].expression, 2 ** -0.2, 1e-9);
  assert.equal(r.samples[2].ddcq, null);
  assert.deepEqual(r.methods.calibrators, ['A']);
  assert.deepEqual(r.samples[0].fields, {});
  assert.ok(Object.isFrozen(r.samples[0].fields), 'nothing may write to a row\'s fields');
  assert.equal(r.samples[0].fields, r.samples[5].fields);
  // A target that is also a reference: its two rows show the same wells.
  const both = computeExpression([p1, p2], { ...base, targets: ['T', 'R'] });
  const aR = both.samples.filter((s) => s.sample === 'A' && s.target === 'R');
  assert.equal(aR.length, 2);
  assert.deepEqual(aR[0].wells, aR[1].wells);
  assert.deepEqual(aR[0].wells, [{ file: 'p1.csv', index: 4 }, { file: 'p1.csv', index: 6 }]);
});

test('rows are a dense array: one per group and listed target or reference, duplicates in the lists included', () => {
  // `samples` is made at its counted length and filled in order: the count must match the rows made.
  const r = computeExpression([p1, p2], { ...base, targets: ['T', 'R', 'T'], references: ['R', 'R'] });
  assert.equal(Object.keys(r.samples).length, r.samples.length, 'no hole');
  // A: T, R (as a target), T again, then R twice as a reference; C and B the same.
  assert.deepEqual(r.samples.slice(0, 5).map((s) => [s.sample, s.target, s.reference === true]), [
    ['A', 'T', false], ['A', 'R', false], ['A', 'T', false], ['A', 'R', true], ['A', 'R', true],
  ]);
  assert.equal(r.samples.length, 15);
  assertClose(r.samples[0].dcq, 5.0, 1e-12);
});

test('groups read in place (every well a state, replicates adjacent) give the same rows as groups sorted by a list', () => {
  // In place: no per-state list; an NTC after the sample wells makes the states not every well, so a list is built.
  const wells = [
    { s: 'A', t: 'T', cq: 20.0 }, { s: 'A', t: 'T', cq: 20.4 }, { s: 'A', t: 'R', cq: 15.0 }, { s: 'A', t: 'R', cq: null },
    { s: 'B', t: 'T', cq: 21.0 }, { s: 'B', t: 'R', cq: 16.0 }, { s: 'B', t: 'R', cq: 16.2 },
  ];
  const inPlace = computeExpression([plate('x.csv', wells)], base);
  const listed = computeExpression([plate('x.csv', [...wells, { s: 'NTC', t: 'T', cq: null, task: 'ntc' }])], base);
  assert.deepEqual(inPlace.samples, listed.samples);
  assert.deepEqual(inPlace.exclusions, listed.exclusions);
  assert.deepEqual(inPlace.samples.map((s) => [s.sample, s.target, s.nUsed, s.nTotal, s.wells.map((w) => w.index)]), [
    ['A', 'T', 2, 2, [0, 1]], ['A', 'R', 1, 2, [2, 3]], ['B', 'T', 1, 1, [4]], ['B', 'R', 2, 2, [5, 6]],
  ]);
  assertClose(inPlace.samples[0].dcq, 5.2, 1e-12);
  // A group of 300 replicates (nUsed in a 16-bit array) and one of 70,000 (32-bit).
  const big = computeExpression([plate('y.csv', [
    ...Array.from({ length: 300 }, (_, i) => ({ s: 'A', t: 'T', cq: 20 + (i % 2) })), { s: 'A', t: 'R', cq: 15 },
  ])], base);
  assert.deepEqual(big.samples.map((s) => [s.nUsed, s.nTotal]), [[300, 300], [1, 1]]);
  assertClose(big.samples[0].cqMean, 20.5, 1e-12);
  const huge = computeExpression([plate('z.csv', [
    ...Array.from({ length: 70000 }, () => ({ s: 'A', t: 'T', cq: 20 })), { s: 'A', t: 'R', cq: 15 },
  ])], base);
  assert.deepEqual(huge.samples.map((s) => [s.nUsed, s.nTotal]), [[70000, 70000], [1, 1]]);
});
