// The speed paths of the stats engine give exactly (bit for bit) what the straightforward code gives.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { countingSort, radixOrder, stableOrder } from '../../../src/engine/stats/order';
import { lowess } from '../../../src/engine/stats/lowess';
import { approxMany } from '../../../src/engine/stats/calibrate';
import { logisticFit, logisticRegression } from '../../../src/engine/stats/logistic';
import { Rng } from '../../../src/engine/stats/rng';
import { StatsError } from '../../../src/engine/stats/errors';

const comparatorOrder = (x: number[]): number[] => x.map((_, i) => i).sort((a, b) => x[a] - x[b] || a - b);

test('stableOrder is the comparator sort (ties in index order, −0 ties +0, ±Infinity, empty and tiny inputs)', () => {
  const rng = new Rng(5);
  const special = [0, -0, Infinity, -Infinity, 1e-300, -1e-300, 5e-324, -5e-324, Number.MAX_VALUE, -Number.MAX_VALUE];
  for (const n of [0, 1, 2, 3, 17, 300, 5000]) {
    for (const kind of ['ties', 'wide', 'special']) {
      const x = Array.from({ length: n }, () => {
        if (kind === 'ties') return Math.floor(rng.uniform() * 7) - 3;
        if (kind === 'wide') return (rng.uniform() - 0.5) * 10 ** Math.floor(rng.uniform() * 40 - 20);
        return special[rng.int(special.length)];
      });
      assert.deepEqual(Array.from(stableOrder(x)), comparatorOrder(x), `${kind} n = ${n}`);
      assert.deepEqual(Array.from(radixOrder(new Float64Array(x))), comparatorOrder(x), `radix ${kind} n = ${n}`);
    }
  }
});

test('countingSort is stable', () => {
  const keys = [2, 0, 1, 0, 2, 1, 0];
  const out = countingSort(keys, 3, Int32Array.from([6, 5, 4, 3, 2, 1, 0]));
  assert.deepEqual(Array.from(out), [6, 3, 1, 5, 2, 4, 0]);
});

test('lowess with `at` computes exactly the smoothed values approx() reads (ties, grid points on data values, outside)', () => {
  const rng = new Rng(11);
  for (const n of [2, 3, 12, 60, 252]) {
    for (const tieStep of [0, 0.05, 0.2]) {
      const x = Array.from({ length: n }, () => { const u = rng.uniform(); return tieStep ? Math.round(u / tieStep) * tieStep : u; });
      const y = x.map((v) => (rng.uniform() < v ? 1 : 0));
      const at = [-1, ...Array.from({ length: 50 }, (_, k) => k / 49), x[0], x[n - 1], 2];
      const full = lowess(x, y, { iter: 0 });
      const sparse = lowess(x, y, { iter: 0, at });
      assert.deepEqual(sparse.x, full.x);
      assert.deepEqual(approxMany(sparse.x, sparse.y, at, 'first'), approxMany(full.x, full.y, at, 'first'), `n = ${n}, ties ${tieStep}`);
      sparse.y.forEach((v, k) => { if (!Number.isNaN(v)) assert.equal(v, full.y[k]); });
      // robustness iterations need every residual: `at` is ignored there
      assert.deepEqual(lowess(x, y, { iter: 2, at }).y, lowess(x, y, { iter: 2 }).y);
    }
  }
});

test('logisticFit is logisticRegression\'s fit, with the same errors', () => {
  const rng = new Rng(3);
  const X = Array.from({ length: 80 }, () => [rng.uniform() * 4 - 2, rng.uniform()]);
  const y = X.map((r) => (rng.uniform() < 1 / (1 + Math.exp(-(0.5 + r[0] - r[1]))) ? 1 : 0));
  const full = logisticRegression(y, X, ['a', 'b']);
  const lean = logisticFit(y, X, ['a', 'b']);
  assert.deepEqual(lean.coef, full.coef);
  assert.deepEqual(lean.fitted, full.fitted);
  const separated = X.map((r) => (r[0] > 0 ? 1 : 0));
  assert.throws(() => logisticFit(separated, X, ['a', 'b']), (e: unknown) => e instanceof StatsError && /separation/.test(e.message));
  assert.throws(() => logisticFit(y, X.map((r) => [r[0], 2 * r[0]]), ['a', 'b']), StatsError);
});
