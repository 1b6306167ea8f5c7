import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { assertClose, readGolden } from '../helpers';
import { distanceOutliers, grubbsCritical, grubbsOutliers, grubbsStatistic } from '../../../src/engine/expression/outliers';

const golden = readGolden('expression.json');

test('Grubbs two-sided critical values match the formula evaluated in R (n 3..10, alpha 0.05 and 0.01)', () => {
  for (const g of golden.grubbs) {
    assertClose(grubbsCritical(g.n, 0.05), g.a05, 1e-6, 0, `n=${g.n} a=.05`);
    assertClose(grubbsCritical(g.n, 0.01), g.a01, 1e-6, 0, `n=${g.n} a=.01`);
  }
  // Published table value (Grubbs 1969, two-sided 5 %, n = 3): 1.155; n = 5: 1.715.
  assertClose(grubbsCritical(3, 0.05), 1.1543, 1e-3);
  assertClose(grubbsCritical(5, 0.05), 1.7150, 1e-3);
});

test('Grubbs removes a clear outlier among 5 replicates and keeps a tight triplicate', () => {
  const x = [20.1, 20.2, 20.15, 20.05, 22.0];
  const { g, index } = grubbsStatistic(x);
  assert.equal(index, 4);
  const m = x.reduce((a, b) => a + b) / 5;
  const s = Math.sqrt(x.reduce((a, b) => a + (b - m) ** 2, 0) / 4);
  assertClose(g, (22 - m) / s, 1e-12);
  const r = grubbsOutliers(x, 0.05);
  assert.deepEqual(r.excluded.map((e) => e.index), [4]);
  assert.match(r.excluded[0].reason, /Grubbs/);
  assert.deepEqual(grubbsOutliers([20.1, 20.2, 20.3]).excluded, []);
  assert.deepEqual(grubbsOutliers([20.1, 25]).excluded, []); // n < 3: never
});

test('distance rule: the farthest from the median of the others goes if > d; ties → nothing excluded', () => {
  assert.deepEqual(distanceOutliers([20.0, 20.2, 21.5], 0.5).excluded.map((e) => e.index), [2]);
  // 20.6 is 0.5 from the median of the others (20.1): not farther than 0.5.
  assert.deepEqual(distanceOutliers([20.0, 20.2, 20.6], 0.5).excluded, []);
  // Two outliers among five, removed one at a time (largest first).
  assert.deepEqual(distanceOutliers([20.0, 20.1, 20.2, 23.0, 21.5], 0.5).excluded.map((e) => e.index), [3, 4]);
  const spread = distanceOutliers([20, 21, 22], 0.5);
  assert.deepEqual(spread.excluded, []);
  assert.ok(spread.warning);
  const two = distanceOutliers([20, 21], 0.5);
  assert.deepEqual(two.excluded, []);
  assert.ok(two.warning);
  assert.equal(distanceOutliers([20, 20.3], 0.5).warning, undefined);
});

test('distance rule on random groups (ties, repeated values, up to 40 replicates) equals the median of the others taken literally', () => {
  const median = (x: number[]) => { const s = [...x].sort((a, b) => a - b), n = s.length; return n % 2 ? s[(n - 1) / 2] : (s[n / 2 - 1] + s[n / 2]) / 2; };
  /** The rule as its doc states it: every replicate's distance to the median of the others, re-sorted each time. */
  const literal = (values: number[], d: number) => {
    const idx = values.map((_, i) => i), out: number[] = [];
    while (idx.length >= 3) {
      const dist = idx.map((i) => Math.abs(values[i] - median(idx.filter((j) => j !== i).map((j) => values[j]))));
      const max = Math.max(...dist);
      if (!(max > d) || dist.filter((x) => x === max).length > 1) break;
      out.push(idx[dist.indexOf(max)]);
      idx.splice(dist.indexOf(max), 1);
    }
    return out;
  };
  let s = 12345, excluded = 0;
  const rnd = () => (s = (s * 16807) % 2147483647) / 2147483647;
  for (let c = 0; c < 400; c++) {
    const n = 3 + Math.floor(rnd() * 38);
    const values = Array.from({ length: n }, () => (rnd() < 0.3 ? 20 + Math.floor(rnd() * 4) * 0.5 : 18 + rnd() * 6 + (rnd() < 0.1 ? 5 : 0)));
    const got = distanceOutliers(values, 0.5).excluded.map((e) => e.index);
    assert.deepEqual(got, literal(values, 0.5), values.join(', '));
    excluded += got.length;
  }
  assert.ok(excluded > 100, `only ${excluded} exclusions compared`);
});
