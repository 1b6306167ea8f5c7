/**
 * Dunnett's comparisons against multcomp::glht(aov, mcp(g = "Dunnett")) single-step (test/golden/dunnett.R). R's
 * multivariate t probabilities are randomised (Genz-Bretz, run at abseps 1e-7): p is compared at 1e-5 absolute, the
 * critical value (R: uniroot on pmvt) at 1e-5, glht's own CI bounds at 1e-3 absolute (its qmvt stops at ptol 1e-3);
 * estimates, SE and t at 1e-6 relative. The
 * engine's deterministic integral is also checked where it has a closed form (one comparison = the t test).
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { assertClose, readGolden } from '../helpers';
import { dunnett } from '../../../src/engine/stats/dunnett';
import { tTest } from '../../../src/engine/stats/tests';
import { qt } from '../../../src/engine/stats/dist';

const G: any = readGolden('dunnett.json');

test('Dunnett single-step matches glht (estimates, SE, t; p and simultaneous CIs within the stated tolerance)', () => {
  assert.ok(Object.keys(G.sets).length >= 5);
  for (const [name, s] of Object.entries<any>(G.sets)) {
    const groups = s.levels.map((level: string) => ({ level, values: s.y.filter((_: number, i: number) => s.g[i] === level) }));
    const r = dunnett(groups, s.control);
    assert.equal(r.df, s.df, `${name} df`);
    assert.deepEqual(r.comparisons.map((c) => `${c.level} - ${c.reference}`), s.names, `${name} names`);
    r.comparisons.forEach((c, i) => {
      assertClose(c.diff, s.estimate[i], 1e-6, 1e-12, `${name} ${c.level} estimate`);
      assertClose(c.se, s.se[i], 1e-6, 0, `${name} ${c.level} SE`);
      assertClose(c.statistic, s.t[i], 1e-6, 0, `${name} ${c.level} t`);
      assertClose(c.p, s.p[i], 0, 1e-5, `${name} ${c.level} p`);
      assertClose(c.ci![0], s.lwr[i], 0, 1e-3, `${name} ${c.level} lwr`);
      assertClose(c.ci![1], s.upr[i], 0, 1e-3, `${name} ${c.level} upr`);
    });
    assertClose(r.critical, s.critical, 0, 1e-5, `${name} critical value`);
  }
});

test('Dunnett with one comparison is the pooled t test (the integral against a closed form, 1e-9)', () => {
  const a = [4.17, 5.58, 5.18, 6.11, 4.5], b = [4.81, 4.17, 4.41, 3.59, 5.87, 3.83];
  const r = dunnett([{ level: 'a', values: a }, { level: 'b', values: b }], 'a');
  assertClose(r.comparisons[0].p, tTest(b, a).p, 1e-9, 0, 'p');
  assertClose(r.critical, qt(0.975, 9), 1e-9, 0, 'critical value');
});

test('Dunnett refuses an unknown control and a layout without residual df', () => {
  assert.throws(() => dunnett([{ level: 'a', values: [1, 2] }, { level: 'b', values: [3, 4] }], 'c'), /not one of the groups/);
  assert.throws(() => dunnett([{ level: 'a', values: [1] }, { level: 'b', values: [3] }], 'a'), /degrees of freedom/);
});
