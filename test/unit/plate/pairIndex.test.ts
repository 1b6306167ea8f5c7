/** StringPairIndex: dense ids for string pairs, the grouping key of QC and the expression pipeline. */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { StringPairIndex } from '../../../src/engine/plate/pairIndex';
import { firstOfStrings } from '../../../src/shared/pairIndex';
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
