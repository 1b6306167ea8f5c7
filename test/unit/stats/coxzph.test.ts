/** The proportional-hazards test against survival's cox.zph (test/golden/coxzph.R), 1e-6 relative. */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { assertAllClose, assertClose, readGolden } from '../helpers';
import { coxZph, zphSmooth } from '../../../src/engine/stats/coxzph';

const G = readGolden<{ cases: any[] }>('coxzph.json').cases;
/** The case's ties, terms and (the last two cases) strata. */
const opts = (c: any) => ({ ties: c.ties, terms: c.terms.map((t: any) => ({ name: t.name, columns: [t.columns].flat() })), ...(Array.isArray(c.strata) ? { strata: c.strata } : {}) });

test('per-term and GLOBAL chi-square, df and p equal cox.zph (Efron, Breslow, a factor term, stratified fits)', () => {
  assert.equal(G.length, 6);
  for (const c of G) {
    const r = coxZph(c.time, c.status, c.X, c.beta, opts(c));
    const rows = [...r.terms, r.global];
    assert.equal(rows.length, c.chisq.length, c.name);
    rows.forEach((row, i) => {
      assert.equal(row.df, c.df[i], `${c.name} ${row.term} df`);
      assertClose(row.chisq, c.chisq[i], 1e-6, 0, `${c.name} ${row.term} chisq`);
      assertClose(row.p, c.p[i], 1e-6, 0, `${c.name} ${row.term} p`);
    });
    // the scaled Schoenfeld residuals the PH plot draws (cox.zph's x, time and y)
    assertAllClose(r.residuals.time, c.restime, 0, 0, `${c.name} residual times`);
    assertAllClose(r.residuals.x, c.resx, 1e-9, 1e-12, `${c.name} g(t)`);
    r.residuals.scaled.forEach((row, i) => assertAllClose(row, c.resy[i], 1e-6, 1e-9, `${c.name} residual ${i}`));
  }
});

test('the PH plot: cox.zph var and plot.cox.zph\'s natural-spline smooth (df 4, 40 points) with its ± 2 SE band', () => {
  for (const c of G) {
    const r = coxZph(c.time, c.status, c.X, c.beta, opts(c));
    r.residuals.variance.forEach((row, i) => assertAllClose(row, c.var[i], 1e-6, 1e-12, `${c.name} var ${i}`));
    c.smooth.forEach((sm: any, j: number) => {
      const s = zphSmooth(r.residuals.x, r.residuals.scaled.map((row) => row[j]), r.residuals.variance[j][j]);
      assert.ok(s, `${c.name} term ${j}: a smooth`);
      assertAllClose(s.x, sm.x, 1e-12, 1e-14, `${c.name} grid ${j}`);
      assertAllClose(s.fit, sm.fit, 1e-6, 1e-9, `${c.name} fit ${j}`);
      assertAllClose(s.lower, sm.lower, 1e-6, 1e-9, `${c.name} lower ${j}`);
      assertAllClose(s.upper, sm.upper, 1e-6, 1e-9, `${c.name} upper ${j}`);
    });
  }
});

test('zphSmooth: a singular spline (too few distinct x) is null, as plot.cox.zph skips the term', () => {
  assert.equal(zphSmooth([0.1, 0.1, 0.1, 0.1, 0.1], [1, 2, 3, 4, 5], 1), null);
});

test('cox.zph with strata: a covariate constant within a stratum is refused (R drops that stratum from the term\'s scaling)', () => {
  const X = [[1, 0], [2, 0], [3, 1], [4, 1], [5, 0], [6, 1]];
  assert.throws(() => coxZph([1, 2, 3, 4, 5, 6], [1, 1, 1, 0, 1, 1], X, [0.1, 0.2], { strata: ['a', 'a', 'b', 'b', 'a', 'b'] }), /constant within stratum/);
});
