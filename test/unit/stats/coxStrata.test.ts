/** Stratified Cox models against coxph with strata() (test/golden/cox-strata.R), 1e-6 relative. */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { assertAllClose, assertClose, readGolden } from '../helpers';
import { coxph } from '../../../src/engine/stats/cox';

const G = readGolden<{ cases: any[] }>('cox-strata.json').cases;

test('coefficients, SE, log-likelihoods, tests and within-strata concordance equal coxph(... + strata(s))', () => {
  assert.equal(G.length, 3);
  const arr = (v: unknown) => [v].flat() as number[];
  for (const c of G) {
    c.X = c.X.map(arr); c.coef = arr(c.coef); c.se = arr(c.se);
    const f = coxph(c.time, c.status, c.X, { ties: c.ties, strata: c.strata });
    assertAllClose(f.coef, c.coef, 1e-6, 1e-9, `${c.name} coef`);
    assertAllClose(f.se, c.se, 1e-6, 1e-9, `${c.name} se`);
    assertAllClose(f.loglik, c.loglik, 1e-9, 1e-9, `${c.name} loglik`);
    assertClose(f.lrt.chisq, c.lrt, 1e-6, 1e-9, `${c.name} LR`);
    assertClose(f.wald.chisq, c.wald, 1e-6, 1e-9, `${c.name} Wald`);
    assertClose(f.score.chisq, c.score, 1e-6, 1e-9, `${c.name} score`);
    assertClose(f.concordance.concordance, c.concordance, 1e-9, 0, `${c.name} C`);
    assertClose(f.concordance.se, c.concordanceSe, 1e-6, 0, `${c.name} C se`);
  }
});

test('without strata the fit is unchanged; a stratum per subject leaves no comparable pair', () => {
  const c = G[0];
  const plain = coxph(c.time, c.status, c.X);
  const one = coxph(c.time, c.status, c.X, { strata: c.time.map(() => 'all') });
  assertAllClose(one.coef, plain.coef, 1e-12, 1e-15, 'one stratum');
});
