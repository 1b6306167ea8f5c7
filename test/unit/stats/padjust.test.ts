/** p.adjust against R (test/golden/padjust.R), 1e-6 relative. */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { assertAllClose, readGolden } from '../helpers';
import { pAdjust, type PAdjustMethod } from '../../../src/engine/stats/padjust';

interface Case { name: string[]; method: string[]; p: number[]; adjusted: number[] }
const G = readGolden<{ padjust: Case[] }>('padjust.json').padjust;

test('every method on every vector equals p.adjust', () => {
  assert.equal(G.length, 30);
  for (const c of G) {
    const m = c.method[0].toLowerCase() as PAdjustMethod;
    assertAllClose(pAdjust(c.p, m) as number[], c.adjusted, 1e-9, 1e-15, `${c.name[0]} ${m}`);
  }
});

test('missing p-values stay missing and do not count in n', () => {
  assert.deepEqual(pAdjust([0.01, null, 0.02], 'bonferroni'), [0.02, null, 0.04]);
  assert.deepEqual(pAdjust([null, null], 'bh'), [null, null]);
  assert.throws(() => pAdjust([1.5], 'holm'));
});
