/** StringPairIndex: dense ids for string pairs, the grouping key of QC and the expression pipeline. */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { StringPairIndex } from '../../../src/engine/plate/pairIndex';
import { firstOfStrings, matchStrings } from '../../../src/shared/pairIndex';
import { Rng } from '../../../src/engine/stats/rng';

test('StringPairIndex: ids in order of first insertion, find without inserting', () => {
  const ix = new StringPairIndex();
  assert.equal(ix.id('A1', 'miR-21'), 0);
  assert.equal(ix.id('A1', 'U6'), 1);
  assert.equal(ix.id('A1', 'miR-21'), 0);
  assert.equal(ix.find('A2', 'miR-21'), -1);
  assert.equal(ix.size, 2);
  assert.equal(ix.id('A2', 'miR-21'), 2);
  assert.equal(ix.find('A2', 'miR-21'), 2);
});

test('StringPairIndex: the split point matters (ab|c is not a|bc), empty strings are pairs', () => {
  const ix = new StringPairIndex();
  const a = ix.id('ab', 'c'), b = ix.id('a', 'bc'), c = ix.id('', 'abc'), d = ix.id('abc', ''), e = ix.id('', '');
  assert.deepEqual(new Set([a, b, c, d, e]).size, 5);
  assert.equal(ix.find('a', 'bc'), b);
  assert.equal(ix.find('', ''), e);
});

test('StringPairIndex agrees with a Map over 50,000 random pairs (growth from the smallest table)', () => {
  const ix = new StringPairIndex(1);
  const ref = new Map<string, number>();
  const rng = new Rng(7);
  for (let i = 0; i < 50000; i++) {
    const a = `S${rng.int(3000)}`, b = ['miR-21', 'miR-122', 'U6', 'cel-miR-39', ''][rng.int(5)];
    const key = JSON.stringify([a, b]);
    const want = ref.get(key) ?? ref.size;
    if (!ref.has(key)) ref.set(key, want);
    assert.equal(ix.id(a, b), want);
  }
  assert.equal(ix.size, ref.size);
  for (const [key, id] of ref) {
    const [a, b] = JSON.parse(key) as [string, string];
    assert.equal(ix.find(a, b), id);
  }
});

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
