/**
 * Absolute quantification (expression/absolute.ts) against test/golden/absolute.json, which test/golden/absolute.R
 * computes by hand from lm(cq ~ log10(q)) on five tenfold dilutions in triplicate (seeded noise): interpolated
 * quantity, SE of log10(quantity) and the 95 % inverse-regression prediction interval. Tolerance 1e-6 relative.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { assertClose, readGolden } from '../helpers';
import { standardCurve } from '../../../src/engine/expression/standards';
import { interpolateQuantity, plateAbsolute } from '../../../src/engine/expression/absolute';
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

test('plateAbsolute: per target and sample, mean of amplified non-omitted unknown replicates', () => {
  const p = plate('p.csv', [
    ...stdWells,
    { s: 'A', t: 'T', cq: 25.1 }, { s: 'A', t: 'T', cq: 25.3 }, { s: 'A', t: 'T', cq: 29, omitted: true }, { s: 'A', t: 'T', cq: null },
    { s: 'B', t: 'T', cq: null }, { s: 'A', t: 'U', cq: 20 },
  ]);
  const rows = plateAbsolute(p, [standardCurve(p.wells, { file: 'p.csv', target: 'T' })]);
  assert.deepEqual(rows.map((r) => [r.sample, r.reason ?? null]), [['A', null], ['B', 'no-cq']]);
  const a = rows[0].result!;
  assert.equal(a.replicates, 2);
  const ref = interpolateQuantity(curve, (25.1 + 25.3) / 2, 2)!;
  assertClose(a.quantity, ref.quantity, 1e-12, 0, 'A quantity');
  assertClose(a.ci[0], ref.ci[0], 1e-12, 0, 'A CI lo');
  assert.deepEqual(rows[0].wells.map((w) => w.index), [15, 16]);
});
