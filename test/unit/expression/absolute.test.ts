/**
 * Absolute quantification (expression/absolute.ts) against test/golden/absolute.json, which test/golden/absolute.R
 * computes by hand from lm(cq ~ log10(q)) on five tenfold dilutions in triplicate (seeded noise): interpolated
 * quantity, SE of log10(quantity) and the 95 % inverse-regression prediction interval. Tolerance 1e-6 relative.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { assertClose, readGolden } from '../helpers';
import { standardCurve } from '../../../src/engine/expression/standards';
import { interpolateQuantity, sampleAbsolute } from '../../../src/engine/expression/absolute';
import { checkStudy, parseStudy } from '../../../src/engine/study';
import { SPEC_CONTEXT } from '../../../src/engine/study/examples';
import type { SampleExpression } from '../../../src/engine/expression/types';
import { plate, type W } from './build';

const g = readGolden('absolute.json');
const REL = 1e-6;
const stdWells: W[] = g.standards.cq.map((cq: number, i: number) => ({ s: `Std${i}`, t: 'T', cq, task: 'standard', q: g.standards.quantity[i] }));
const curve = standardCurve(plate('std.csv', stdWells).wells, { file: 'std.csv', target: 'T' });

test('the curve matches R lm (slope, intercept, n)', () => {
  assertClose(curve.slope, g.slope, REL, 0, 'slope');
  assertClose(curve.intercept, g.intercept, REL, 0, 'intercept');
  assert.equal(curve.n, g.n);
});

test('interpolated quantities, SE and prediction intervals match R by hand', () => {
  for (const [i, u] of (g.unknowns as any[]).entries()) {
    const r = interpolateQuantity({ ...curve, lod: null }, u.cq, u.m);
    assert.ok(r, `unknown ${i}`);
    assertClose(r.log10q, u.log10q, REL, 1e-12, `unknown ${i} log10q`);
    assertClose(r.quantity, u.quantity, REL, 0, `unknown ${i} quantity`);
    assertClose(r.log10Se, u.log10Se, REL, 0, `unknown ${i} se`);
    assertClose(r.ci[0], u.ci[0], REL, 0, `unknown ${i} CI lo`);
    assertClose(r.ci[1], u.ci[1], REL, 0, `unknown ${i} CI hi`);
    assert.equal(r.flags.includes('outside-range'), u.outsideRange, `unknown ${i} outside-range`);
    assert.equal(r.replicates, u.m);
  }
  // the golden exercises both sides of the range
  assert.ok((g.unknowns as any[]).filter((u) => u.outsideRange).length >= 2);
});

test('below-lod flags quantities under the curve LOD; more replicates narrow the interval', () => {
  const withLod = { ...curve, lod: 100 };
  assert.deepEqual(interpolateQuantity(withLod, 33.4, 3)!.flags, ['outside-range', 'below-lod']);
  assert.deepEqual(interpolateQuantity(withLod, 25.2, 1)!.flags, []);
  const one = interpolateQuantity(curve, 25.2, 1)!, three = interpolateQuantity(curve, 25.2, 3)!;
  assert.ok(three.ci[1] - three.ci[0] < one.ci[1] - one.ci[0]);
});

test('curves that cannot be inverted and bad input give null, never a crash', () => {
  assert.equal(interpolateQuantity({ ...curve, slope: null }, 25), null);
  assert.equal(interpolateQuantity({ ...curve, slope: 0 }, 25), null);
  assert.equal(interpolateQuantity(curve, NaN), null);
  assert.equal(interpolateQuantity(curve, 25, 0), null);
  const few = standardCurve(plate('f.csv', stdWells.slice(0, 2)).wells, { file: 'f.csv', target: 'T' });
  assert.equal(interpolateQuantity(few, 25), null);
});

function row(sample: string, target: string, cqMean: number | null, nUsed: number, file = 'p.csv'): SampleExpression {
  return { sample, target, cqMean, nUsed, nTotal: nUsed, fields: {}, cqSd: null, refCq: null, dcq: null, expression: null, wells: [{ file, index: 0 }] };
}

test('sampleAbsolute: the curve of the same plate, else the only curve of the target; reasons otherwise', () => {
  const c1 = { ...curve, file: 'p.csv' }, c2 = { ...curve, file: 'q.csv', intercept: curve.intercept! + 1 };
  const rows = sampleAbsolute([row('A', 'T', 25.2, 2), row('B', 'T', 25.2, 2, 'r.csv'), row('C', 'T', null, 0), row('D', 'U', 20, 1)], [c1]);
  assert.deepEqual(rows.map((r) => [r.sample, r.curveFile, r.reason ?? null]), [['A', 'p.csv', null], ['B', 'p.csv', null], ['C', 'p.csv', 'no-cq'], ['D', null, 'no-curve']]);
  const ref = interpolateQuantity(curve, 25.2, 2)!;
  assertClose(rows[0].result!.quantity, ref.quantity, 1e-12, 0, 'A quantity');
  assertClose(rows[0].result!.ci[1], ref.ci[1], 1e-12, 0, 'A CI hi');
  const two = sampleAbsolute([row('A', 'T', 25.2, 2, 'q.csv'), row('B', 'T', 25.2, 2, 'r.csv')], [c1, c2]);
  assert.deepEqual(two.map((r) => [r.curveFile, r.reason ?? null]), [['q.csv', null], [null, 'ambiguous-curve']]);
  assertClose(two[0].result!.log10q, ref.log10q + 1 / -curve.slope!, 1e-9, 0, 'shifted intercept moves log10q by 1/|b|');
});

test('`absolute T by FIELD` is a located check error (one quantity per sample); without `by` it checks clean', () => {
  const header = 'plates "p/*.txt"\nclinical "c.csv" key patient\nsamples "{patient}-{timepoint}"\n';
  const run = (body: string) => { const r = parseStudy(header + body, 's.qstudy'); assert.deepEqual(r.diagnostics, []); return checkStudy(r.ast, SPEC_CONTEXT); };
  assert.deepEqual(run('absolute miR-122, miR-21'), []);
  const d = run('absolute miR-122 by timepoint');
  assert.deepEqual(d.map((x) => [x.code, x.range.start.line, x.range.start.character, x.range.end.character]), [['study-type', 3, 20, 29]]);
});
