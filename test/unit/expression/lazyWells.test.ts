// The expression rows' `wells`, made on first read (src/engine/common/lazyProperty.ts): every way of looking at a
// row sees the same object as when `wells` was a plain array: key order, JSON, spread, structured clone, deep
// equality, assignment; and the list is made once, only when read.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { lazyProperty } from '../../../src/engine/common/lazyProperty';
import { computeExpression } from '../../../src/engine/expression/expression';
import type { ExpressionOptions, SampleExpression } from '../../../src/engine/expression/types';
import { DEFAULT_QC } from '../../../src/engine/plate/model';
import { plate } from './build';

test('lazyProperty: made on first read from the stamped number, then a plain data property', () => {
  const made: number[] = [];
  const attach = lazyProperty('list', (n) => { made.push(n); return [n, n + 1]; });
  const a: Record<string, unknown> = { x: 1 }, b: Record<string, unknown> = { x: 2 };
  attach(a, 7);
  attach(b, 40);
  a.y = 'after';
  assert.deepEqual(made, [], 'nothing made before a read');
  assert.deepEqual(Object.keys(a), ['x', 'list', 'y']);
  assert.equal(JSON.stringify(a), '{"x":1,"list":[7,8],"y":"after"}');
  assert.deepEqual(made, [7]);
  assert.equal(a.list, a.list, 'kept: the same array on every read');
  assert.deepEqual(made, [7], 'made once');
  assert.deepEqual(Object.getOwnPropertyDescriptor(a, 'list'), { value: [7, 8], writable: true, enumerable: true, configurable: true });
  assert.deepEqual({ ...b }, { x: 2, list: [40, 41] });
  assert.deepEqual(structuredClone(b), { x: 2, list: [40, 41] });
  const c: Record<string, unknown> = {};
  attach(c, 3);
  c.list = 'set';
  assert.equal(c.list, 'set');
  assert.deepEqual(made, [7, 40], 'an assignment makes nothing');
  assert.deepEqual(Object.getOwnPropertySymbols(c), [], 'the number is not visible');
  const f: Record<string, unknown> = {};
  attach(f, 9);
  Object.freeze(f);
  assert.deepEqual(f.list, [9, 10], 'readable when frozen');
  assert.throws(() => { f.list = 1; }, TypeError);
});

test('lazyProperty: properties of one key made by different calls each read their own maker; pending knows its own', () => {
  const first = lazyProperty('list', (n: number) => ['first', n]), second = lazyProperty('list', (n: number) => ['second', n]);
  const a: Record<string, unknown> = {}, b: Record<string, unknown> = {};
  first(a, 1); second(b, 2);
  assert.equal(first.pending(a), 1);
  assert.equal(first.pending(b), undefined, 'stamped by the other maker');
  assert.equal(second.pending(b), 2);
  assert.equal(first.pending({ list: [] }), undefined, 'a plain data property');
  assert.deepEqual([a.list, b.list], [['first', 1], ['second', 2]]);
  assert.equal(first.pending(a), undefined, 'read: no longer pending');
});

test('expression rows: wells in key order, in JSON and clones, per row (a target that is also a reference has two rows)', () => {
  const p = plate('p.csv', [
    { s: 'A', t: 'T', cq: 20 }, { s: 'A', t: 'R', cq: 15 }, { s: 'A', t: 'T', cq: 20.4 }, { s: 'B', t: 'R', cq: 16 }, { s: 'B', t: 'T', cq: 21 },
  ]);
  const opts: ExpressionOptions = { references: ['R'], targets: ['T', 'R'], qc: DEFAULT_QC, nondetect: { policy: 'exclude' }, outliers: { method: 'none' }, calibrator: (_f, s) => s === 'B' };
  const rows = computeExpression([p], opts).samples;
  const want: Record<string, { file: string; index: number }[]> = {
    'A T': [{ file: 'p.csv', index: 0 }, { file: 'p.csv', index: 2 }], 'A R': [{ file: 'p.csv', index: 1 }],
    'B T': [{ file: 'p.csv', index: 4 }], 'B R': [{ file: 'p.csv', index: 3 }],
  };
  const keys = ['sample', 'fields', 'target', 'cqMean', 'cqSd', 'nUsed', 'nTotal', 'refCq', 'dcq', 'expression', 'wells'];
  for (const r of rows) {
    assert.deepEqual(Object.keys(r), r.reference ? [...keys, 'reference', 'ddcq'] : [...keys, 'ddcq']);
    const json = JSON.parse(JSON.stringify(r)) as SampleExpression;
    assert.deepEqual(json.wells, want[`${r.sample} ${r.target}`]);
    assert.deepEqual(structuredClone(r), json);
    assert.deepEqual(r, json);
  }
  const [aT, aR] = rows.filter((r) => r.sample === 'A' && r.target === 'R');
  assert.ok(aT && aR && aT !== aR);
  assert.deepEqual(aT.wells, aR.wells);
  aT.wells = [];
  assert.deepEqual(aT.wells, []);
  assert.deepEqual(aR.wells, want['A R'], 'each row its own list');
});
