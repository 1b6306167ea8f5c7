/** IntSet (src/engine/common/intSet.ts): the same answers as a Set<number> for any number, across the bitset's edges. */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { IntSet } from '../../../src/engine/common/intSet';

test('IntSet answers as a Set<number> does: small integers, word edges, growth, and numbers outside the bitset', () => {
  let a = 12345;
  const next = () => ((a = (Math.imul(a, 1103515245) + 12345) >>> 0) / 4294967296);
  const odd = [-1, -0, 0.5, NaN, Infinity, -Infinity, 2 ** 28, 2 ** 28 - 1, 2 ** 31, 2 ** 53, 31, 32, 33, 63, 64];
  for (let trial = 0; trial < 20; trial++) {
    const set = new Set<number>(), ints = new IntSet();
    const values = [...Array.from({ length: 500 }, () => Math.floor(next() * (trial < 10 ? 200 : 5_000_000))), ...odd.filter(() => next() < 0.5)];
    for (const v of values) { set.add(v); ints.add(v); }
    const probes = [...values, ...odd, ...Array.from({ length: 2000 }, () => Math.floor(next() * 6_000_000))];
    for (const p of probes) assert.equal(ints.has(p), set.has(p), `trial ${trial}: has(${p})`);
  }
});
