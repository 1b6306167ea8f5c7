/** firstOccurrences: the in-place, partitioned grouping behind runQc and computeExpression. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { firstOccurrences, pairHash } from '../../../src/engine/plate/pairIndex';
import { Rng } from '../../../src/engine/stats/rng';

/** The answer of a plain Map in index order (the specification). */
function reference(keys: (string | null)[]): number[] {
  const seen = new Map<string, number>();
  return keys.map((k, i) => {
    if (k === null) return -1;
    const f = seen.get(k);
    if (f !== undefined) return f;
    seen.set(k, i);
    return i;
  });
}

function run(a: (string | null)[], b: string[], hashOf: (x: string, y: string) => number, runs: boolean): number[] {
  const n = a.length;
  const hash = new Int32Array(n), use = new Uint8Array(n);
  let last = -1;
  for (let i = 0; i < n; i++) {
    const x = a[i];
    if (x === null) continue;
    // use = 2 only for an item equal to the previous used item (the callers' contract).
    if (runs && last >= 0 && a[last] === x && b[last] === b[i]) use[i] = 2;
    else { use[i] = 1; hash[i] = hashOf(x, b[i]); }
    last = i;
  }
  const out = firstOccurrences(hash, use, (p, q) => a[p] === a[q] && b[p] === b[q]);
  assert.equal(out, hash, 'answers in place');
  return [...out];
}

test('firstOccurrences agrees with a Map: many partitions, unused items, runs, full hash collisions', () => {
  const rng = new Rng(11);
  for (const n of [0, 1, 5, 1000, 40000]) {
    const a: (string | null)[] = [], b: string[] = [];
    for (let i = 0; i < n; i++) {
      const r = rng.int(10);
      // Adjacent repeats (runs), far repeats, unused items, and the split point (ab|c vs a|bc).
      if (r === 0 && i > 0) { a.push(a[i - 1]); b.push(b[i - 1]); continue; }
      a.push(r === 1 ? null : r === 2 ? 'ab' : r === 3 ? 'a' : `S${rng.int(n / 3 + 1)}`);
      b.push(r === 2 ? 'c' : r === 3 ? 'bc' : ['U6', 'miR-21', ''][rng.int(3)]);
    }
    const keys = a.map((x, i) => (x === null ? null : JSON.stringify([x, b[i]])));
    const want = reference(keys);
    assert.deepEqual(run(a, b, pairHash, false), want, `n = ${n}`);
    assert.deepEqual(run(a, b, pairHash, true), want, `n = ${n}, runs`);
    if (n <= 1000) assert.deepEqual(run(a, b, () => 12345, true), want, `n = ${n}, one hash for all`);
  }
});
