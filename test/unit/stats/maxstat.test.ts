/** Maximally selected log-rank statistics against maxstat / survminer (test/golden/maxstat.R), 1e-6 relative. */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { assertAllClose, assertClose, readGolden } from '../helpers';
import { maxstatLogrank } from '../../../src/engine/stats/maxstat';

const G = readGolden<{ cases: any[] }>('maxstat.json').cases;

test('statistic, cut-point, Lau92/Lau94 p and the whole statistic curve equal maxstat.test; the cut equals surv_cutpoint', () => {
  assert.equal(G.length, 4);
  for (const c of G) {
    const r = maxstatLogrank(c.time, c.status, c.x, { minprop: c.minprop, maxprop: c.maxprop });
    assertClose(r.statistic, c.statistic, 1e-9, 0, `${c.name} M`);
    assert.equal(r.cutpoint, c.cutpoint, `${c.name} cut`);
    assert.equal(r.cutpoint, c.survminerCut, `${c.name} survminer cut`);
    assertClose(r.pLau92, c.pLau92, 1e-6, 0, `${c.name} Lau92`);
    assertClose(r.pLau94, c.pLau94, 1e-6, 0, `${c.name} Lau94`);
    assertAllClose(r.curve.map((p) => p.statistic), c.stats, 1e-9, 1e-12, `${c.name} curve`);
    assertAllClose(r.curve.map((p) => p.cut), c.cuts, 0, 0, `${c.name} cuts`);
  }
});
