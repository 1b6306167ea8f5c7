// The speed paths of the stats engine give exactly (bit for bit) what the straightforward code gives.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { countingSort, radixOrder, RadixWork, stableOrder } from '../../../src/engine/stats/order';
import { lowess, LowessAt } from '../../../src/engine/stats/lowess';
import { approxMany, calibrateLogistic, calibrationGrid } from '../../../src/engine/stats/calibrate';
import { logisticFit, LogisticRefits, logisticRegression, predictLogistic } from '../../../src/engine/stats/logistic';
import { Rng } from '../../../src/engine/stats/rng';
import { roc } from '../../../src/engine/stats/roc';
import { timefix } from '../../../src/engine/stats/km';
import { concordance } from '../../../src/engine/stats/concordance';
import { StatsError } from '../../../src/engine/stats/errors';

const comparatorOrder = (x: number[]): number[] => x.map((_, i) => i).sort((a, b) => x[a] - x[b] || a - b);

test('stableOrder is the comparator sort (ties in index order, −0 ties +0, ±Infinity, empty and tiny inputs; 8-bit and, from 16,384 keys, 11-bit digits)', () => {
  const rng = new Rng(5);
  const work = new RadixWork(5000), wideWork = new RadixWork(20000);
  const special = [0, -0, Infinity, -Infinity, 1e-300, -1e-300, 5e-324, -5e-324, Number.MAX_VALUE, -Number.MAX_VALUE];
  for (const n of [0, 1, 2, 3, 17, 300, 5000, 16383, 16384, 20000]) {
    for (const kind of ['ties', 'wide', 'special']) {
      const x = Array.from({ length: n }, () => {
        if (kind === 'ties') return Math.floor(rng.uniform() * 7) - 3;
        if (kind === 'wide') return (rng.uniform() - 0.5) * 10 ** Math.floor(rng.uniform() * 40 - 20);
        return special[rng.int(special.length)];
      });
      assert.deepEqual(Array.from(stableOrder(x)), comparatorOrder(x), `${kind} n = ${n}`);
      assert.deepEqual(Array.from(radixOrder(new Float64Array(x))), comparatorOrder(x), `radix ${kind} n = ${n}`);
      assert.deepEqual(Array.from(radixOrder(new Float64Array(x), n <= 5000 ? work : wideWork)), comparatorOrder(x), `radix with reused buffers ${kind} n = ${n}`);
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

/** R's clowess (stats/src/lowess.c) with iter = 0, transcribed as the C code is written (1-based, one point at a time). */
function clowessReference(x0: number[], y0: number[], f: number, delta: number): number[] {
  const n = x0.length;
  const o = comparatorOrder(x0);
  const x = [NaN, ...o.map((i) => x0[i])], y = [NaN, ...o.map((i) => y0[i])];
  if (n < 2) return y.slice(1);
  const cube = (v: number): number => v * v * v;
  const ns = Math.max(2, Math.min(n, Math.trunc(f * n + 1e-7)));
  const ys = new Array<number>(n + 1).fill(0), w = new Array<number>(n + 1).fill(0);
  const lowest = (xs: number, nleft: number, nright: number): number | null => {
    const range = x[n] - x[1], h = Math.max(xs - x[nleft], x[nright] - xs), h9 = 0.999 * h, h1 = 0.001 * h;
    let a = 0, j = nleft;
    while (j <= n) {
      w[j] = 0;
      const r = Math.abs(x[j] - xs);
      if (r <= h9) { w[j] = r <= h1 ? 1 : cube(1 - cube(r / h)); a += w[j]; } else if (x[j] > xs) break;
      j++;
    }
    const nrt = j - 1;
    if (a <= 0) return null;
    for (j = nleft; j <= nrt; j++) w[j] /= a;
    if (h > 0) {
      a = 0;
      for (j = nleft; j <= nrt; j++) a += w[j] * x[j];
      let b = xs - a, c = 0;
      for (j = nleft; j <= nrt; j++) c += w[j] * (x[j] - a) * (x[j] - a);
      if (Math.sqrt(c) > 0.001 * range) { b /= c; for (j = nleft; j <= nrt; j++) w[j] *= b * (x[j] - a) + 1; }
    }
    let s = 0;
    for (j = nleft; j <= nrt; j++) s += w[j] * y[j];
    return s;
  };
  let nleft = 1, nright = ns, last = 0, i = 1;
  for (;;) {
    if (nright < n && x[i] - x[nleft] > x[nright + 1] - x[i]) { nleft++; nright++; continue; }
    const fit = lowest(x[i], nleft, nright);
    ys[i] = fit === null ? y[i] : fit;
    if (last < i - 1) {
      const denom = x[i] - x[last];
      for (let j = last + 1; j < i; j++) { const alpha = (x[j] - x[last]) / denom; ys[j] = alpha * ys[i] + (1 - alpha) * ys[last]; }
    }
    last = i;
    const cut = x[last] + delta;
    for (i = last + 1; i <= n; i++) {
      if (x[i] > cut) break;
      if (x[i] === x[last]) { ys[i] = ys[last]; last = i; }
    }
    i = Math.max(last + 1, i - 1);
    if (last >= n) break;
  }
  return ys.slice(1);
}

const tiedUniforms = (rng: Rng, n: number, tieStep: number): number[] => Array.from({ length: n }, () => { const u = rng.uniform(); return tieStep ? Math.round(u / tieStep) * tieStep : u; });

test('lowess with iter = 0 (points fitted in pairs) is R\'s clowess transcribed, bit for bit', () => {
  const rng = new Rng(17);
  for (const n of [2, 3, 5, 12, 60, 252, 600]) {
    for (const tieStep of [0, 0.01, 0.2]) {
      for (const f of [2 / 3, 0.25, 1]) {
        const x = tiedUniforms(rng, n, tieStep);
        const y = x.map((v) => (rng.uniform() < v ? 1 : 0) + (n % 2 ? rng.uniform() : 0));
        const range = Math.max(...x) - Math.min(...x);
        for (const delta of [0.01 * range, 0]) {
          assert.deepEqual(lowess(x, y, { f, iter: 0, delta }).y, clowessReference(x, y, f, delta), `n = ${n}, ties ${tieStep}, f ${f}, delta ${delta}`);
        }
      }
    }
  }
});

test('LowessAt is approx(lowess(x, y, iter = 0), at, ties = "first") exactly, with buffers reused and with a given order', () => {
  const rng = new Rng(23);
  for (const n of [2, 11, 60, 252]) {
    const at = [-1, ...Array.from({ length: 50 }, (_, k) => k / 49), 2];
    const smooth = new LowessAt(n, at);
    for (const tieStep of [0, 0.05, 0.2]) {
      const x = tiedUniforms(rng, n, tieStep);
      const y = x.map((v) => (rng.uniform() < v ? 1 : 0));
      const full = lowess(x, y, { iter: 0 });
      const expected = approxMany(full.x, full.y, at, 'first').map((v) => (v === null ? NaN : v));
      const out = new Float64Array(at.length);
      smooth.run(Float64Array.from(x), Float64Array.from(y), out);
      assert.deepEqual(Array.from(out), expected, `n = ${n}, ties ${tieStep}`);
      out.fill(0);
      smooth.run(x, y, out, stableOrder(x));
      assert.deepEqual(Array.from(out), expected, `given order, n = ${n}, ties ${tieStep}`);
      if (n > 2) assert.throws(() => smooth.run(x, y, out, stableOrder(x).reverse()), /not the stable order/);
    }
  }
  assert.throws(() => new LowessAt(5, [0.5]).run([1, 2, NaN, 4, 5], [0, 1, 0, 1, 0], new Float64Array(1)), StatsError);
});

test('LogisticRefits.fit is logisticFit on the resample\'s rows: the same coefficients and fitted values, and false where it throws', () => {
  const rng = new Rng(29);
  const n = 40;
  const X = Array.from({ length: n }, () => [rng.uniform() * 4 - 2, rng.uniform() < 0.15 ? 1 : 0, rng.uniform()]);
  const y = X.map((r) => (rng.uniform() < 1 / (1 + Math.exp(-(-1 + 1.5 * r[0] + r[1]))) ? 1 : 0));
  const names = ['a', 'b', 'c'];
  const refits = new LogisticRefits(y, X, names);
  let failures = 0;
  for (let b = 0; b < 300; b++) {
    const rows = rng.resample(n);
    const ok = refits.fit(rows);
    let expected: { coef: number[]; fitted: number[] } | null = null;
    try { expected = logisticFit(rows.map((i) => y[i]), rows.map((i) => X[i]), names); } catch (e) { if (!(e instanceof StatsError)) throw e; }
    assert.equal(ok, expected !== null, `resample ${b}`);
    if (!expected) { failures++; continue; }
    assert.deepEqual(Array.from(refits.coef), expected.coef, `resample ${b}`);
    assert.deepEqual(Array.from(refits.fitted), expected.fitted, `resample ${b}`);
  }
  assert.ok(failures > 0 && failures < 300, `some resamples fail (constant b, separation): ${failures}`);
  assert.throws(() => new LogisticRefits(y.map(() => 1), X, names), StatsError);
});

test('calibrateLogistic is the straightforward bootstrap (logisticFit, clowess and approx per resample), bit for bit', () => {
  const rng = new Rng(31);
  for (const [n, k, B] of [[60, 2, 40], [252, 4, 25], [30, 3, 60]]) {
    const names = Array.from({ length: k }, (_, j) => `x${j + 1}`);
    const X = Array.from({ length: n }, () => names.map((_, j) => (j === k - 1 ? (rng.uniform() < 0.2 ? 1 : 0) : Math.round((rng.uniform() * 4 - 2) * 1e4) / 1e4)));
    const y = X.map((r) => (rng.uniform() < 1 / (1 + Math.exp(-(-0.3 + 0.8 * r[0] - (k > 2 ? 0.5 * r[1] : 0)))) ? 1 : 0));
    const predy = calibrationGrid(logisticRegression(y, X, names).fitted);
    const calError = (p: number[], yy: number[]): (number | null)[] => {
      const o = comparatorOrder(p);
      const range = Math.max(...p) - Math.min(...p);
      const cal = approxMany(o.map((i) => p[i]), clowessReference(p, yy, 2 / 3, 0.01 * range), predy, 'first');
      return cal.map((c, i) => (c === null ? null : c - predy[i]));
    };
    const trainSum = predy.map(() => 0), testSum = predy.map(() => 0), num = predy.map(() => 0);
    const draws = new Rng(7);
    let ok = 0, failed = 0;
    for (let b = 0; b < B; b++) {
      const idx = draws.resample(n);
      let fit: { coef: number[]; fitted: number[] };
      try { fit = logisticFit(idx.map((i) => y[i]), idx.map((i) => X[i]), names); } catch (e) { if (e instanceof StatsError) { failed++; continue; } throw e; }
      ok++;
      const train = calError(fit.fitted, idx.map((i) => y[i]));
      const test = calError(predictLogistic({ coef: fit.coef, names: ['(Intercept)', ...names] }, X), y);
      predy.forEach((_, i) => { const tr = train[i], te = test[i]; if (tr !== null && te !== null) { trainSum[i] += tr; testSum[i] += te; num[i]++; } });
    }
    const r = calibrateLogistic(y, X, names, { B, seed: 7 });
    assert.deepEqual([r.successfulResamples, r.failedResamples], [ok, failed], `n = ${n}`);
    assert.deepEqual(r.nPerPoint, num, `n = ${n}`);
    assert.deepEqual(r.optimism, predy.map((_, i) => (num[i] > 0 ? (trainSum[i] - testSum[i]) / num[i] : null)), `n = ${n}`);
  }
});

test('timefix given the order of the times gives what it gives sorting them (near-ties merged or not)', () => {
  const rng = new Rng(11);
  for (const n of [1, 2, 5, 300]) {
    for (const kind of ['distinct', 'near-ties', 'ties']) {
      const t = Array.from({ length: n }, () => {
        const v = Math.floor(rng.uniform() * 50) / 10;
        return kind === 'near-ties' && rng.uniform() < 0.3 ? v + 1e-12 : kind === 'ties' ? v : v + rng.uniform();
      });
      const expected = timefix(t);
      const given = timefix(t, undefined, stableOrder(t));
      assert.deepEqual(given, expected, `${kind} n = ${n}`);
      assert.equal(given === t, expected === t, `${kind} n = ${n}: the input returned when nothing changes`);
    }
  }
});

test('concordance given the order of the times equals concordance sorting them', () => {
  const rng = new Rng(12);
  const n = 400;
  const time = Array.from({ length: n }, () => Math.floor(rng.uniform() * 60) / 4 + 0.25);
  const status = Array.from({ length: n }, () => (rng.uniform() < 0.6 ? 1 : 0));
  const score = Array.from({ length: n }, () => Math.floor(rng.uniform() * 30) / 3);
  for (const reverse of [false, true]) {
    assert.deepEqual(concordance(time, status, score, { reverse, timeOrder: stableOrder(time) }), concordance(time, status, score, { reverse }));
  }
});

test('roc: the curve\'s point objects, made on first access, are the thresholds with their sensitivity and specificity', () => {
  const rng = new Rng(13);
  for (const direction of ['<', '>'] as const) {
    const y = Array.from({ length: 200 }, (_, i) => (i % 3 === 0 ? 1 : 0));
    const x = y.map((v) => Math.floor((rng.uniform() + (direction === '<' ? v : -v)) * 8) / 8);   // ties
    const r = roc(y, x, { direction });
    const json = JSON.parse(JSON.stringify(r));
    assert.deepEqual(Object.keys(json).slice(0, 8), ['auc', 'variance', 'ci', 'confLevel', 'direction', 'thresholds', 'curve', 'best']);
    assert.equal(r.curve.length, r.thresholds.length);
    assert.equal(r.curve, r.curve, 'made once');
    assert.deepEqual(r.curve.map((p) => p.threshold), r.thresholds);
    // each point from the counts at its threshold (positive = x >= t for '<', x <= t for '>')
    const cases = x.filter((_, i) => y[i] === 1), controls = x.filter((_, i) => y[i] === 0);
    for (const p of r.curve) {
      const pos = (v: number) => (direction === '<' ? v >= p.threshold : v <= p.threshold);
      assert.equal(p.sensitivity, cases.filter(pos).length / cases.length);
      assert.equal(p.specificity, controls.filter((v) => !pos(v)).length / controls.length);
    }
    const top = Math.max(...r.curve.map((p) => p.sensitivity + p.specificity));
    assert.deepEqual(r.best.all, r.curve.filter((p) => p.sensitivity + p.specificity === top));
    r.curve = [];
    assert.deepEqual(r.curve, [], 'assignable');
  }
});
