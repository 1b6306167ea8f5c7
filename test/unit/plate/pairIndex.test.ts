/** The hash groupings of shared/pairIndex.ts: firstOfStrings and matchStrings (firstOccurrences: test/unit/qc). */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { firstOfStrings, matchStrings } from '../../../src/shared/pairIndex';

test('firstOfStrings: each string its first occurrence, null not grouped, runs and later repeats alike', () => {
  const s = ['a', 'a', null, 'b', 'a', null, 'b', 'c', 'c', 'a'];
  assert.deepEqual(Array.from(firstOfStrings(s.length, (i) => s[i])), [0, 0, -1, 3, 0, -1, 3, 7, 7, 0]);
  assert.deepEqual(Array.from(firstOfStrings(0, () => 'x')), []);
});

test('matchStrings: each b in a (its last occurrence there), each a in b (its first), -1 where absent, against maps', () => {
  const a = ['S1', 'S2', 'S1', 'S3', '', 'S9'], b = ['S3', 'S4', 'S1', 'S3', ''];
  const { inA, inB } = matchStrings(a, b);
  assert.deepEqual(Array.from(inA), [3, -1, 2, 3, 4]);
  assert.deepEqual(Array.from(inB), [2, -1, 2, 0, 4, -1]);
  // Random lists with many repeats, against the two maps the join used to build.
  let seed = 7;
  const rnd = (n: number) => { seed = (seed * 1103515245 + 12345) & 0x7fffffff; return seed % n; };
  for (let t = 0; t < 50; t++) {
    const x = Array.from({ length: rnd(60) }, () => `k${rnd(30)}`), y = Array.from({ length: rnd(60) }, () => `k${rnd(40)}`);
    const lastInX = new Map<string, number>(), firstInY = new Map<string, number>();
    x.forEach((s, j) => lastInX.set(s, j));
    y.forEach((s, i) => { if (!firstInY.has(s)) firstInY.set(s, i); });
    const m = matchStrings(x, y);
    assert.deepEqual(Array.from(m.inA), y.map((s) => lastInX.get(s) ?? -1));
    assert.deepEqual(Array.from(m.inB), x.map((s) => firstInY.get(s) ?? -1));
  }
});
