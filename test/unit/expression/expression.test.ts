import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { assertClose, readGolden } from '../helpers';
import { computeExpression } from '../../../src/engine/expression/expression';
import { compileSamplePattern } from '../../../src/engine/expression/samples';
import type { ExpressionOptions } from '../../../src/engine/expression/types';
import { DEFAULT_QC } from '../../../src/engine/plate/model';
import { plate, reps } from './build';

const golden = readGolden('expression.json');
const base: ExpressionOptions = { references: ['R'], qc: DEFAULT_QC, nondetect: { policy: 'exclude' }, outliers: { method: 'none' } };
const pat = compileSamplePattern('{patient}-{timepoint}');

// Worked Livak example, by hand:
//   P01-pre : T 25.0, 25.2 → 25.1 ; R 18.0, 18.2 → 18.1 ; dCq 7.0
//   P02-pre : T 26.0, 26.0 → 26.0 ; R 18.5, 18.5 → 18.5 ; dCq 7.5
//   P01-post: T 23.0, 23.4 → 23.2 ; R 18.1, 18.3 → 18.2 ; dCq 5.0
//   P02-post: T 27.0, 27.2 → 27.1 ; R 18.6, 18.6 → 18.6 ; dCq 8.5
//   calibrator = pre: mean dCq 7.25 → ddCq -0.25, 0.25, -2.25, 1.25 → 2^-ddCq 1.189207, 0.840896, 4.756828, 0.420448
const livak = plate('run1.csv', [
  ...reps('P01-pre', 'T', [25.0, 25.2]), ...reps('P01-pre', 'R', [18.0, 18.2]),
  ...reps('P02-pre', 'T', [26.0, 26.0]), ...reps('P02-pre', 'R', [18.5, 18.5]),
  ...reps('P01-post', 'T', [23.0, 23.4]), ...reps('P01-post', 'R', [18.1, 18.3]),
  ...reps('P02-post', 'T', [27.0, 27.2]), ...reps('P02-post', 'R', [18.6, 18.6]),
  { s: 'NTC', t: 'T', cq: 34.1, task: 'ntc' }, { s: 'NTC', t: 'R', cq: null, task: 'ntc' },
  { s: 'Std 1', t: 'T', cq: 15, task: 'standard', q: 1e6 },
]);

test('Livak worked example: dCq, ddCq against the pre samples, 2^-ddCq (checked by hand)', () => {
  const r = computeExpression([livak], { ...base, sampleFields: pat.match, calibrator: (f) => f.timepoint === 'pre' });
  const t = r.samples.filter((s) => s.target === 'T');
  assert.deepEqual(t.map((s) => s.sample), ['P01-pre', 'P02-pre', 'P01-post', 'P02-post']);
  const exp = { 'P01-pre': [7.0, -0.25, 1.189207115], 'P02-pre': [7.5, 0.25, 0.840896415], 'P01-post': [5.0, -2.25, 4.756828460], 'P02-post': [8.5, 1.25, 0.420448208] } as Record<string, number[]>;
  for (const s of t) {
    assertClose(s.dcq, exp[s.sample][0], 1e-9, 1e-12, `${s.sample} dcq`);
    assertClose(s.ddcq, exp[s.sample][1], 1e-9, 1e-12, `${s.sample} ddcq`);
    assertClose(s.expression, exp[s.sample][2], 1e-8, 0, `${s.sample} 2^-ddCq`);
    assert.equal(s.nUsed, 2);
  }
  assertClose(t[0].cqMean, 25.1, 1e-12);
  assertClose(t[0].cqSd, Math.sqrt(0.02), 1e-9);
  assertClose(t[0].refCq, 18.1, 1e-12);
  assert.deepEqual(t[0].fields, { patient: 'P01', timepoint: 'pre' });
  assert.deepEqual(t[0].wells, [{ file: 'run1.csv', index: 0 }, { file: 'run1.csv', index: 1 }]);
  // NTC and standards never enter sample expression.
  assert.ok(!r.samples.some((s) => s.sample === 'NTC' || s.sample === 'Std 1'));
  assert.deepEqual(r.methods.calibrators, ['P01-pre', 'P02-pre']);
  assert.match(r.methods.expression, /2\^-ddCq/);
  assert.deepEqual(r.methods.targets, ['T']);
  // Reference rows carry the Cq only.
  const ref = r.samples.find((s) => s.target === 'R' && s.sample === 'P01-post')!;
  assertClose(ref.cqMean, 18.2, 1e-12);
  assert.equal(ref.dcq, null);
  assert.equal(ref.reference, true);
  assert.equal(t[0].reference, undefined);
});

test('without a calibrator: expression = 2^-dCq', () => {
  const r = computeExpression([livak], base);
  const s = r.samples.find((x) => x.sample === 'P01-pre' && x.target === 'T')!;
  assert.equal(s.ddcq, undefined);
  assertClose(s.expression, Math.pow(2, -7), 1e-9);
  assert.match(r.methods.expression, /2\^-dCq against R/);
});

test('several references: refCq = mean Cq, expression = target quantity / geometric mean of reference quantities', () => {
  const p = plate('p', [...reps('S', 'T', [25, 25]), ...reps('S', 'R1', [18, 18]), ...reps('S', 'R2', [20.5, 19.5])]);
  const r = computeExpression([p], { ...base, references: ['R1', 'R2'] });
  const s = r.samples.find((x) => x.target === 'T')!;
  assertClose(s.refCq, 19, 1e-12);
  assertClose(s.dcq, 6, 1e-12);
  const geo = Math.sqrt(Math.pow(2, -18) * Math.pow(2, -20));
  assertClose(s.expression, Math.pow(2, -25) / geo, 1e-12);
  assert.match(r.methods.expression, /geometric mean/);
  // A sample lacking one reference cannot be normalised.
  const q = plate('q', [...reps('S', 'T', [25, 25]), ...reps('S', 'R1', [18, 18])]);
  const r2 = computeExpression([q], { ...base, references: ['R1', 'R2'] });
  assert.equal(r2.samples.find((x) => x.target === 'T')!.expression, null);
  assert.ok(r2.diagnostics.some((d) => d.code === 'expr-no-reference'));
  assert.ok(r2.diagnostics.some((d) => d.code === 'expr-unknown-reference'));
});

test('Pfaffl: efficiencies per target, two references, calibrator (numbers from R)', () => {
  const cq: Record<string, Record<string, number[]>> = {
    S1: { T: [24.1, 24.3], R1: [18.0, 18.2], R2: [20.5, 20.7] },
    S2: { T: [22.0, 22.4], R1: [18.4, 18.6], R2: [21.0, 20.8] },
    S3: { T: [21.0, 21.2], R1: [17.9, 18.1], R2: [20.2, 20.4] },
  };
  const p = plate('p', Object.entries(cq).flatMap(([s, g]) => Object.entries(g).flatMap(([t, v]) => reps(s, t, v))));
  const opts = { ...base, references: ['R1', 'R2'], efficiency: { T: 1.93, R1: 2.0, R2: 1.87 } };
  const r = computeExpression([p], { ...opts, calibrator: (_f, s) => s === 'S1' || s === 'S2' });
  for (const s of r.samples.filter((x) => x.target === 'T')) {
    const g = golden.pfaffl[s.sample];
    assertClose(s.refCq, g.refCq, 1e-9, 0, `${s.sample} refCq`);
    assertClose(s.dcq, g.dcq, 1e-9, 0, `${s.sample} dcq`);
    assertClose(s.expression, g.expression, 1e-9, 0, `${s.sample} expression`);
  }
  assert.match(r.methods.expression, /Pfaffl/);
  assert.deepEqual(r.efficiencies.map((e) => [e.target, e.value, e.source]), [['T', 1.93, 'stated'], ['R1', 2, 'stated'], ['R2', 1.87, 'stated']]);
  const nocal = computeExpression([p], opts);
  for (const s of nocal.samples.filter((x) => x.target === 'T')) assertClose(s.expression, golden.pfaffl[s.sample].rq, 1e-9, 0, `${s.sample} rq`);
  // With every E = 2 the Pfaffl formula is Livak's.
  const two = computeExpression([p], { ...base, references: ['R1', 'R2'], efficiency: { T: 2 } });
  for (const s of two.samples.filter((x) => x.target === 'T')) assertClose(s.expression, Math.pow(2, -(s.dcq as number)), 1e-12);
  const bad = computeExpression([p], { ...base, references: ['R1', 'R2'], efficiency: { T: 97 } });
  assert.ok(bad.diagnostics.some((d) => d.code === 'efficiency-invalid'));
});

test('efficiency from standards: the mean of the plate curves', () => {
  const slope = -3.5;
  const std = [1e4, 1e3, 1e2].flatMap((q) => reps(`Std ${q}`, 'T', [30 + slope * Math.log10(q), 30 + slope * Math.log10(q)], { task: 'standard', q }));
  const p = plate('p', [...std, ...reps('S', 'T', [25, 25]), ...reps('S', 'R', [18, 18])]);
  const r = computeExpression([p], { ...base, efficiency: 'standards' });
  const e = Math.pow(10, 1 / 3.5);
  assertClose(r.efficiencies.find((x) => x.target === 'T')!.value, e, 1e-12);
  assert.equal(r.standardCurves.length, 1);
  assert.ok(r.diagnostics.some((d) => d.code === 'efficiency-no-standards' && /R/.test(d.message)));
  assertClose(r.samples.find((x) => x.target === 'T')!.expression, Math.pow(e, -25) / Math.pow(2, -18), 1e-12);
});

test('non-detect policies: exclude, value, max-cq, impute (late Cq above max-cq counts as a non-detect)', () => {
  const p = plate('nd.txt', [
    ...reps('S', 'T', [30, null, 36]), ...reps('S', 'R', [20, 20]),
    ...reps('Z', 'T', [null, null]), ...reps('Z', 'R', [21, 21]),
    { s: 'S', t: 'T', cq: 29, omitted: true },
  ]);
  const get = (r: ReturnType<typeof computeExpression>, s: string) => r.samples.find((x) => x.sample === s && x.target === 'T')!;

  const ex = computeExpression([p], { ...base, nondetect: { policy: 'exclude' } });
  assertClose(get(ex, 'S').cqMean, 30, 1e-12);
  assert.equal(get(ex, 'S').nUsed, 1);
  assert.equal(get(ex, 'S').nTotal, 4);
  assert.equal(get(ex, 'Z').cqMean, null);
  assert.equal(get(ex, 'Z').expression, null);
  const reasons = ex.exclusions.filter((e) => e.sample === 'S').map((e) => e.reason);
  assert.equal(reasons.length, 3);
  assert.ok(reasons.some((x) => /omitted/.test(x)));
  assert.ok(reasons.some((x) => /no Cq \(Undetermined\)/.test(x)));
  assert.ok(reasons.some((x) => /late Cq 36\.00 > max-cq 35/.test(x)));
  assert.equal(ex.exclusions.find((e) => /omitted/.test(e.reason))!.well, 'A10'); // the 10th well built
  assert.ok(ex.diagnostics.some((d) => d.code === 'expr-min-replicates' && d.file === 'nd.txt'));
  assert.match(ex.methods.nondetect, /excluded.*above max-cq 35/);

  const val = computeExpression([p], { ...base, nondetect: { policy: 'value', value: 40 } });
  assertClose(get(val, 'S').cqMean, (30 + 40 + 40) / 3, 1e-12);
  assertClose(get(val, 'Z').cqMean, 40, 1e-12);
  assertClose(get(val, 'Z').dcq, 19, 1e-12);

  const mx = computeExpression([p], { ...base, nondetect: { policy: 'max-cq' } });
  assertClose(get(mx, 'S').cqMean, (30 + 35 + 35) / 3, 1e-12);
  assert.equal(get(mx, 'S').nUsed, 3);

  const im = computeExpression([p], { ...base, nondetect: { policy: 'impute' } });
  assertClose(get(im, 'S').cqMean, 30, 1e-12);
  assertClose(get(im, 'Z').cqMean, 35, 1e-12);
  assertClose(get(im, 'Z').expression, Math.pow(2, -(35 - 21)), 1e-12);

  const nov = computeExpression([p], { ...base, nondetect: { policy: 'value' } });
  assert.ok(nov.diagnostics.some((d) => d.code === 'nondetect-no-value'));
});

test('outliers in the pipeline: Grubbs excludes a replicate and lists it; replicate-SD warning otherwise', () => {
  const p = plate('o', [...reps('S', 'T', [20.1, 20.2, 20.15, 20.05, 22.0]), ...reps('S', 'R', [15, 15])]);
  const r = computeExpression([p], { ...base, outliers: { method: 'grubbs', alpha: 0.05 } });
  const s = r.samples.find((x) => x.target === 'T')!;
  assertClose(s.cqMean, 20.125, 1e-12);
  assert.equal(s.nUsed, 4);
  assert.equal(r.exclusions.length, 1);
  assert.match(r.exclusions[0].reason, /Grubbs/);
  assert.equal(r.exclusions[0].line, 5);
  const none = computeExpression([p], base);
  assert.ok(none.diagnostics.some((d) => d.code === 'expr-replicate-sd'));
  const dist = computeExpression([p], { ...base, outliers: { method: 'distance', distance: 0.5 } });
  assertClose(dist.samples.find((x) => x.target === 'T')!.cqMean, 20.125, 1e-12);
});

test('inter-run calibration: plate factors subtracted before dCq; irc-missing on a plate without calibrators', () => {
  const a = plate('A.csv', [...reps('IRC1', 'T', [20, 20]), ...reps('IRC1', 'R', [15, 15]), ...reps('S1', 'T', [24, 24]), ...reps('S1', 'R', [16, 16])]);
  const b = plate('B.csv', [...reps('IRC1', 'T', [21, 21]), ...reps('IRC1', 'R', [15.4, 15.4]), ...reps('S2', 'T', [25.5, 25.5]), ...reps('S2', 'R', [16.4, 16.4])]);
  const c = plate('C.csv', [...reps('S3', 'T', [25, 25]), ...reps('S3', 'R', [16, 16])]);
  const r = computeExpression([a, b, c], { ...base, interRunCalibrator: 'IRC*' });
  const f = (file: string, t: string) => r.interRun!.find((x) => x.file === file && x.target === t)!.factor;
  assertClose(f('A.csv', 'T'), -0.5, 1e-12);
  assertClose(f('B.csv', 'T'), 0.5, 1e-12);
  assertClose(f('A.csv', 'R'), -0.2, 1e-9);
  assertClose(f('B.csv', 'R'), 0.2, 1e-9);
  assert.equal(f('C.csv', 'T'), null);
  const s2 = r.samples.find((x) => x.sample === 'S2' && x.target === 'T')!;
  assertClose(s2.cqMean, 25.0, 1e-12);
  assertClose(s2.refCq, 16.2, 1e-9);
  assertClose(s2.dcq, 8.8, 1e-9);
  const s1 = r.samples.find((x) => x.sample === 'S1' && x.target === 'T')!;
  assertClose(s1.dcq, 24.5 - 16.2, 1e-9);
  // The calibrator itself ends up identical on both plates.
  const irc = r.samples.find((x) => x.sample === 'IRC1' && x.target === 'T')!;
  assertClose(irc.cqMean, 20.5, 1e-12);
  assert.equal(irc.cqSd, 0);
  const miss = r.diagnostics.filter((d) => d.code === 'irc-missing');
  assert.equal(miss.length, 1);
  assert.equal(miss[0].file, 'C.csv');
  assert.deepEqual(miss[0].range.start, { line: 0, character: 0 });
  // S3 on C is uncorrected.
  assertClose(r.samples.find((x) => x.sample === 'S3' && x.target === 'T')!.dcq, 9, 1e-12);
});

test('samples not matching the pattern get a warning and no fields', () => {
  const p = plate('p', [...reps('P01-pre', 'T', [25, 25]), ...reps('P01-pre', 'R', [18, 18]), ...reps('weird', 'T', [25, 25]), ...reps('weird', 'R', [18, 18])]);
  const r = computeExpression([p], { ...base, sampleFields: pat.match });
  assert.equal(r.diagnostics.filter((d) => d.code === 'sample-pattern').length, 1);
  assert.deepEqual(r.samples.find((x) => x.sample === 'weird')!.fields, {});
});

test('calibrator without any calibrator sample: ddCq null and an error', () => {
  const r = computeExpression([livak], { ...base, sampleFields: pat.match, calibrator: (f) => f.timepoint === 'baseline' });
  assert.ok(r.samples.filter((s) => s.target === 'T').every((s) => s.ddcq === null && s.expression === null));
  assert.ok(r.diagnostics.some((d) => d.code === 'expr-no-calibrator' && d.severity === 'error'));
});
