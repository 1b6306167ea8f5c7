/** Shapiro-Wilk against R's shapiro.test (test/golden/shapiro.R), 1e-6 relative. */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { assertClose, readGolden } from '../helpers';
import { shapiroWilk } from '../../../src/engine/stats/shapiro';
import { StatsError } from '../../../src/engine/stats/errors';

const G = readGolden<{ shapiro: { name: string; x: number[]; W: number; p: number }[] }>('shapiro.json').shapiro;

test('W and p equal shapiro.test for n = 3 … 5000 (exact n = 3, small-n and large-n transformations, ties, tiny range)', () => {
  assert.ok(G.length >= 16);
  for (const c of G) {
    const r = shapiroWilk(c.x);
    assertClose(r.statistic, c.W, 1e-7, 0, `${c.name} W`);
    assertClose(r.p, c.p, 1e-6, 1e-300, `${c.name} p`);
  }
});

test('fewer than 3, more than 5000 or identical values are StatsErrors', () => {
  assert.throws(() => shapiroWilk([1, 2]), StatsError);
  assert.throws(() => shapiroWilk([2, 2, 2, 2]), StatsError);
  assert.throws(() => shapiroWilk(new Array(5001).fill(0).map((_, i) => i)), StatsError);
});
