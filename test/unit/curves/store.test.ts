/** The columnar curve store: layout in one buffer, per-well views, point ordering and the melt derivative. */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { CurveBuilder, curveIndex, curveOf, curvesAsArrays } from '../../../src/engine/curves/store';

test('CurveBuilder: curves keyed by well index, ascending, x sorted per curve, all views into one buffer', () => {
  const b = new CurveBuilder();
  const amp = b.amplification(['rn', 'deltaRn']);
  amp.add(7, 2, [1.2, 0.2]);
  amp.add(3, 1, [1.0, 0.0]);
  amp.add(7, 1, [1.1, 0.1]);
  amp.add(3, 2, [1.5]); // a missing readout value becomes NaN
  b.melt(['fluor']).add(3, 60.5, [100]);
  const c = b.build()!;
  const t = c.amplification!;
  assert.deepEqual([...t.wells], [3, 7]);
  assert.deepEqual([...t.offsets], [0, 2, 4]);
  assert.deepEqual(t.readouts, ['rn', 'deltaRn']);
  const w7 = curveOf(t, 7)!;
  assert.deepEqual([...w7.x], [1, 2]);
  assert.deepEqual([...w7.y].map((v) => Math.round(v * 100) / 100), [1.1, 1.2]);
  assert.ok(Number.isNaN(curveOf(t, 3, 'deltaRn')!.y[1]));
  assert.equal(curveOf(t, 5), null);
  assert.equal(curveIndex(t, 8), -1);
  assert.equal(t.x.buffer, c.melt!.x.buffer);
  assert.equal(t.y.rn!.buffer, t.wells.buffer);
  assert.equal(c.bytes, t.x.buffer.byteLength);
  assert.deepEqual(curvesAsArrays(c.melt!), [{ well: 3, x: [60.5], y: [100] }]);
});

test('CurveBuilder: nothing added → undefined; a 384 × 45 plate with two readouts stays well under 1 MB', () => {
  assert.equal(new CurveBuilder().build(), undefined);
  const b = new CurveBuilder();
  const amp = b.amplification(['rn', 'deltaRn']);
  for (let w = 0; w < 384; w++) for (let k = 1; k <= 45; k++) amp.add(w, k, [k, k - 1]);
  const c = b.build()!;
  assert.ok(c.bytes < 250_000, `${c.bytes} bytes`);
  assert.equal(curveOf(c.amplification, 383)!.x.length, 45);
});
