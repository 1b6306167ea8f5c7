import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { readGolden, assertAllClose } from '../helpers';
import { pretty } from '../../../src/engine/stats/pretty';
import { StatsError } from '../../../src/engine/stats/errors';

const g = readGolden('models.json');

test('pretty() reproduces R 4.2 on 32 ranges x 4 values of n', () => {
  assert.ok(g.pretty.length >= 120);
  for (const c of g.pretty) {
    const out = Array.isArray(c.out) ? c.out : [c.out];
    assertAllClose(pretty(c.lo, c.hi, c.n), out, 1e-12, 1e-300, `pretty(c(${c.lo}, ${c.hi}), n = ${c.n})`);
  }
});

test('pretty() nomogram axes (rms nint = 10) and zeros are exact', () => {
  assert.deepEqual(pretty(80, 250, 10), [80, 100, 120, 140, 160, 180, 200, 220, 240, 260]);
  assert.deepEqual(pretty(14, 45, 10), [10, 15, 20, 25, 30, 35, 40, 45]);
  assert.ok(pretty(-0.2, 0.2, 5).some((v) => Object.is(v, 0)));
  assert.throws(() => pretty(0, Infinity), StatsError);
});
