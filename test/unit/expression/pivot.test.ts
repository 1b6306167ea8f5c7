import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { assertClose } from '../helpers';
import { computeExpression } from '../../../src/engine/expression/expression';
import { pivotSubjects } from '../../../src/engine/expression/pivot';
import type { SampleExpression } from '../../../src/engine/expression/types';
import { compileSamplePattern } from '../../../src/engine/expression/samples';
import { DEFAULT_QC } from '../../../src/engine/plate/model';
import { plate, reps } from './build';

const p = plate('run.csv', [
  ...reps('P01-pre', 'miR-122', [25.0, 25.2]), ...reps('P01-pre', 'U6', [18.0, 18.2]),
  ...reps('P01-post', 'miR-122', [23.0, 23.4]), ...reps('P01-post', 'U6', [18.1, 18.3]),
  ...reps('P02-pre', 'miR-122', [26, 26]), ...reps('P02-pre', 'U6', [18.5, 18.5]),
  ...reps('HCC-7-post', 'miR-122', [24, 24]), ...reps('HCC-7-post', 'U6', [18, 18]),
]);
const pat = compileSamplePattern('{patient}-{timepoint}');
const r = computeExpression([p], { references: ['U6'], qc: DEFAULT_QC, nondetect: { policy: 'exclude' }, outliers: { method: 'none' }, sampleFields: pat.match });

test('pivot with a level field: T@level, dcq(T@level), cq(T@level); missing combinations are null', () => {
  const t = pivotSubjects(r.samples, 'patient', 'timepoint');
  assert.deepEqual(t.rows.map((x) => x.subject), ['P01', 'P02', 'HCC-7']);
  assert.deepEqual(t.variables, ['miR-122@pre', 'dcq(miR-122@pre)', 'cq(miR-122@pre)', 'miR-122@post', 'dcq(miR-122@post)', 'cq(miR-122@post)', 'cq(U6@pre)', 'cq(U6@post)']);
  const p01 = t.rows[0].values;
  assertClose(p01['dcq(miR-122@pre)'], 7.0, 1e-12);
  assertClose(p01['miR-122@pre'], Math.pow(2, -7), 1e-12);
  assertClose(p01['cq(miR-122@post)'], 23.2, 1e-12);
  assertClose(p01['dcq(miR-122@post)'], 5.0, 1e-12);
  assertClose(p01['cq(U6@post)'], 18.2, 1e-12);
  assert.equal(t.rows[1].values['miR-122@post'], null);
  assert.equal(t.rows[2].values['miR-122@pre'], null);
  assertClose(t.rows[2].values['dcq(miR-122@post)'], 6, 1e-12);
  assert.deepEqual(t.diagnostics, []);
});

test('pivot without a level field: T, dcq(T), cq(T); duplicates reported', () => {
  const q = plate('q', [...reps('A1', 'T', [20, 20]), ...reps('A1', 'R', [15, 15]), ...reps('A2', 'T', [21, 21]), ...reps('A2', 'R', [15, 15])]);
  const rr = computeExpression([q], { references: ['R'], qc: DEFAULT_QC, nondetect: { policy: 'exclude' }, outliers: { method: 'none' }, sampleFields: (s) => ({ id: s }) });
  const t = pivotSubjects(rr.samples, 'id');
  assert.deepEqual(t.variables, ['T', 'dcq(T)', 'cq(T)', 'cq(R)']);
  assertClose(t.rows[1].values['T'], Math.pow(2, -6), 1e-12);
  const dup = computeExpression([q], { references: ['R'], qc: DEFAULT_QC, nondetect: { policy: 'exclude' }, outliers: { method: 'none' }, sampleFields: () => ({ id: 'same' }) });
  const td = pivotSubjects(dup.samples, 'id');
  assert.equal(td.rows.length, 1);
  assertClose(td.rows[0].values['dcq(T)'], 5, 1e-12);
  assert.ok(td.diagnostics.some((d) => d.code === 'pivot-duplicate'));
  // A target whose samples all lack the reference keeps its expression variables (null), not only cq().
  const noref = computeExpression([plate('n', reps('A1', 'T', [20, 20]))], { references: ['R'], qc: DEFAULT_QC, nondetect: { policy: 'exclude' }, outliers: { method: 'none' }, sampleFields: (s) => ({ id: s }) });
  const tn = pivotSubjects(noref.samples, 'id');
  assert.deepEqual(tn.variables, ['T', 'dcq(T)', 'cq(T)']);
  assert.equal(tn.rows[0].values['T'], null);
  assertClose(tn.rows[0].values['cq(T)'], 20, 1e-12);
  const nokey = pivotSubjects(r.samples, 'subject');
  assert.equal(nokey.rows.length, 0);
  assert.equal(nokey.diagnostics.filter((d) => d.code === 'pivot-no-key').length, 4);
});

test('pivot values: targets named like Object.prototype members are own keys (__proto__ included), set and serialised', () => {
  const q = plate('q', [...reps('A1', '__proto__', [20, 20]), ...reps('A1', 'constructor', [15, 15]), ...reps('A2', '__proto__', [21, 21]), ...reps('A2', 'constructor', [15, 15])]);
  const rr = computeExpression([q], { references: ['constructor'], qc: DEFAULT_QC, nondetect: { policy: 'exclude' }, outliers: { method: 'none' }, sampleFields: (s) => ({ id: s }) });
  const t = pivotSubjects(rr.samples, 'id');
  assert.deepEqual(t.variables, ['__proto__', 'dcq(__proto__)', 'cq(__proto__)', 'cq(constructor)']);
  const v = t.rows[1].values;
  assert.deepEqual(Object.keys(v), t.variables);
  assert.ok(Object.hasOwn(v, '__proto__'));
  assert.equal(Object.getPrototypeOf(v), null, 'nothing inherited (a variable named like a member of Object.prototype)');
  assertClose(v['__proto__'], Math.pow(2, -6), 1e-12);
  assertClose(v['cq(constructor)'], 15, 1e-12);
  assert.deepEqual(JSON.parse(JSON.stringify(v)), { ['__proto__']: Math.pow(2, -6), 'dcq(__proto__)': 6, 'cq(__proto__)': 21, 'cq(constructor)': 15 });
  // Each row has its own values object.
  assert.notEqual(t.rows[0].values, t.rows[1].values);
  assertClose(t.rows[0].values['cq(__proto__)'], 20, 1e-12);
});

test('pivot: subjects numbered in order of first appearance however their samples are spread; first sample per cell kept', () => {
  // Random rows (a subject's samples apart, rows without the key or the level, repeated cells) against a restatement
  // of the pivot with maps.
  let seed = 11;
  const rnd = (n: number) => { seed = (seed * 1103515245 + 12345) & 0x7fffffff; return seed % n; };
  for (let t = 0; t < 30; t++) {
    const withLevel = t % 2 === 0;
    const samples = Array.from({ length: 1 + rnd(80) }, (_, i) => {
      const fields: Record<string, string> = {};
      if (rnd(10) > 0) fields.id = `p${rnd(12)}`;
      if (rnd(10) > 0) fields.tp = ['pre', 'post'][rnd(2)];
      return { sample: `s${i}`, fields, target: ['T', 'U'][rnd(2)], cqMean: i, cqSd: null, nUsed: 1, nTotal: 1, refCq: null, dcq: null, expression: null, wells: [] } as SampleExpression;
    });
    const level = withLevel ? 'tp' : undefined;
    const got = pivotSubjects(samples, 'id', level);
    const order: string[] = [], cell = new Map<string, number>();
    let dups = 0;
    for (const s of samples) {
      const id = s.fields.id, lv = level ? s.fields.tp : undefined;
      if (id === undefined || (level && lv === undefined)) continue;
      if (!order.includes(id)) order.push(id);
      const k = `${id} cq(${lv === undefined ? s.target : `${s.target}@${lv}`})`;
      if (cell.has(k)) dups++; else cell.set(k, s.cqMean as number);
    }
    assert.deepEqual(got.rows.map((r) => r.subject), order);
    for (const r of got.rows) for (const [v, x] of Object.entries(r.values)) if (v.startsWith('cq(')) assert.equal(x, cell.get(`${r.subject} ${v}`) ?? null, `${r.subject} ${v}`);
    assert.equal(got.diagnostics.filter((d) => d.code === 'pivot-duplicate').length, dups);
  }
});

test('the subject table is columns (NaN: missing); its row objects are made on the first read of `rows`, equal to the columns', () => {
  const t = pivotSubjects(r.table, 'patient', 'timepoint');
  assert.ok(Object.getOwnPropertyDescriptor(t, 'rows')?.get, 'rows not made by the pivot');
  assert.deepEqual(t.subjects, ['P01', 'P02', 'HCC-7']);
  assert.equal(t.columns.length, t.variables.length);
  const j = t.variables.indexOf('dcq(miR-122@post)');
  assert.ok(t.columns[j] instanceof Float64Array);
  assertClose(t.columns[j][0], 5.0, 1e-12);
  assert.ok(Number.isNaN(t.columns[j][1]), 'P02 has no post sample');
  t.subjects.forEach((s, k) => {
    assert.equal(t.rows[k].subject, s);
    t.variables.forEach((v, jj) => assert.equal(t.rows[k].values[v], Number.isNaN(t.columns[jj][k]) ? null : t.columns[jj][k]));
  });
  assert.equal(Object.getPrototypeOf(t.rows[0].values), null);
});
