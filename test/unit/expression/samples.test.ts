import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { compileSamplePattern, SamplePatternError } from '../../../src/engine/expression/samples';
import { sampleGlob } from '../../../src/engine/expression/interrun';

test('{patient}-{timepoint}: simple names, names with dashes (extra separators go to the first field)', () => {
  const p = compileSamplePattern('{patient}-{timepoint}');
  assert.deepEqual(p.fields, ['patient', 'timepoint']);
  assert.deepEqual(p.match('P01-pre'), { patient: 'P01', timepoint: 'pre' });
  assert.deepEqual(p.match(' P01-post '), { patient: 'P01', timepoint: 'post' });
  assert.deepEqual(p.match('HCC-012-pre'), { patient: 'HCC-012', timepoint: 'pre' });
  assert.equal(p.match('P01'), null);
  assert.equal(p.match('P01-'), null);
  assert.equal(p.match('-pre'), null);
});

test('three fields; later fields non-greedy; literal prefix and suffix; ignored field', () => {
  const p = compileSamplePattern('{patient}-{timepoint}-{rep}');
  assert.deepEqual(p.match('HCC-012-pre-2'), { patient: 'HCC-012', timepoint: 'pre', rep: '2' });
  const q = compileSamplePattern('plate{_}_{patient}.{timepoint}');
  assert.deepEqual(q.fields, ['patient', 'timepoint']);
  assert.deepEqual(q.match('plate3_P7.w12'), { patient: 'P7', timepoint: 'w12' });
  assert.equal(q.match('plat3_P7.w12'), null);
});

test('constrained fields put separators in later fields', () => {
  const p = compileSamplePattern('{patient:P\\d+}_{site}');
  assert.deepEqual(p.match('P7_left_lobe'), { patient: 'P7', site: 'left_lobe' });
  assert.equal(p.match('X7_left'), null);
  const q = compileSamplePattern('{patient}-{timepoint:pre|post}');
  assert.deepEqual(q.match('A-1-post'), { patient: 'A-1', timepoint: 'post' });
  assert.equal(q.match('A-1-mid'), null);
  const r = compileSamplePattern('{tp:(pre|post)}-{patient}');
  assert.deepEqual(r.match('pre-A-1'), { tp: 'pre', patient: 'A-1' });
});

test('pattern errors', () => {
  assert.throws(() => compileSamplePattern('{patient-{tp}'), SamplePatternError);
  assert.throws(() => compileSamplePattern('{a}-{a}'), /twice/);
  assert.throws(() => compileSamplePattern('{a}{b}'), /ambiguous/);
  assert.throws(() => compileSamplePattern('{a:(}'), /regular expression/);
  assert.throws(() => compileSamplePattern('a}'), SamplePatternError);
  assert.doesNotThrow(() => compileSamplePattern('{a:P\\d+}{b}'));
});

test('glob for inter-run calibrators', () => {
  assert.ok(sampleGlob('IRC*').test('IRC-1'));
  assert.ok(sampleGlob('IRC?').test('IRC2'));
  assert.ok(!sampleGlob('IRC?').test('IRC22'));
  assert.ok(!sampleGlob('IRC*').test('xIRC'));
  assert.ok(sampleGlob('a.b').test('a.b') && !sampleGlob('a.b').test('axb'));
});
