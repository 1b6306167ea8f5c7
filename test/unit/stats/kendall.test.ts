/** Kendall's tau-b against R's cor.test(method = "kendall") (test/golden/kendall.R), 1e-6 relative. */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { assertClose, readGolden } from '../helpers';
import { kendall, kendallPairs, pkendall } from '../../../src/engine/stats/kendall';
import { StatsError } from '../../../src/engine/stats/errors';

interface Case { name: string; x: number[]; y: number[]; tau: number; statistic: number; statisticName: string; p: number; warning: string }
const G = readGolden<{ kendall: Case[] }>('kendall.json').kendall;

test('tau-b, statistic and p equal cor.test for every golden case (exact, normal, ties, n = 2)', () => {
  assert.ok(G.length >= 15);
  for (const c of G) {
    const k = kendall(c.x, c.y);
    assertClose(k.r, c.tau, 1e-9, 1e-12, `${c.name} tau`);
    assert.equal(k.statisticName, c.statisticName, `${c.name} statistic name`);
    assertClose(k.statistic, c.statistic, 1e-6, 1e-12, `${c.name} statistic`);
    assertClose(k.p, c.p, 1e-6, 0, `${c.name} p`);
    assert.equal(k.warnings.length > 0, c.warning !== '', `${c.name}: R ${c.warning ? 'warned' : 'did not warn'}`);
  }
});

test('Knight pair counts equal the O(n²) definition on random data with ties', () => {
  let seed = 7;
  const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
  for (let rep = 0; rep < 50; rep++) {
    const n = 2 + Math.floor(rnd() * 60);
    const x = Array.from({ length: n }, () => Math.floor(rnd() * 8));
    const y = Array.from({ length: n }, () => Math.floor(rnd() * 8));
    let s = 0;
    for (let i = 0; i < n; i++) for (let j = 0; j < i; j++) s += Math.sign(x[i] - x[j]) * Math.sign(y[i] - y[j]);
    assert.equal(kendallPairs(x, y).s, s);
  }
});

test('the exact distribution sums to 1 and is symmetric', () => {
  for (const n of [2, 5, 12, 30]) {
    const u = (n * (n - 1)) / 2;
    assertClose(pkendall(u, n), 1, 1e-12);
    for (let q = 0; q < u; q++) assertClose(pkendall(q, n), 1 - pkendall(u - q - 1, n), 1e-9, 1e-12, `n ${n} q ${q}`);
  }
});

test('constant or too short input is a StatsError', () => {
  assert.throws(() => kendall([1, 1, 1], [1, 2, 3]), StatsError);
  assert.throws(() => kendall([1], [1]), StatsError);
  assert.throws(() => kendall([1, 2], [1, Infinity]), StatsError);
});
