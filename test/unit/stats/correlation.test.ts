import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { assertClose, assertAllClose } from '../helpers';
import { G, isNull } from './golden';
import { pearson, pearsonFromR, spearman, prho } from '../../../src/engine/stats/correlation';
import { StatsError } from '../../../src/engine/stats/errors';

const REL = 1e-6;

test('Pearson matches cor.test (t, df, p, Fisher-z CI; no CI for n = 3)', () => {
  assert.ok(G.pearson.length >= 8);
  for (const c of G.pearson) {
    const r = pearson(c.x, c.y, { conf: c.conf });
    assertClose(r.r, c.r, 1e-9, 1e-12, `${c.name} r`);
    assertClose(r.statistic, c.statistic, REL, 0, `${c.name} t`);
    assert.equal(r.df, c.df);
    assertClose(r.p, c.p, REL, 0, `${c.name} p`);
    if (isNull(c.ci)) assert.equal(r.ci, null, `${c.name} no CI`);
    else assertAllClose(r.ci!, c.ci, REL, 0, `${c.name} CI`);
  }
});

test('pearsonFromR: the paper oracles (r and n only) and R on data with that r', () => {
  const a = pearsonFromR(0.3144, 75);
  assert.equal(a.ci![0].toFixed(4), '0.0942');
  assert.equal(a.ci![1].toFixed(4), '0.5053');
  assert.equal(a.p.toFixed(3), '0.006');
  const b = pearsonFromR(0.3365, 75);
  assert.equal(b.ci![0].toFixed(4), '0.1186');
  assert.equal(b.ci![1].toFixed(4), '0.5235');
  assert.equal(b.p.toFixed(3), '0.003');
  // Child-Pugh r = -0.2838 printed CI -0.4798 to -0.0607: from the rounded r the lower end is -0.47986, so only
  // agreement to the paper's rounding of r (about 1e-4) can be asked.
  const c = pearsonFromR(-0.2838, 75);
  assertAllClose(c.ci!, [-0.4798, -0.0607], 0, 1e-4, 'Child-Pugh CI');
  // R's cor.test on data constructed to have exactly these r (golden cases 5..7)
  for (const g of G.pearson.slice(5, 8)) {
    const r = pearsonFromR(g.r, g.x.length);
    assertClose(r.p, g.p, REL, 0, `${g.name} p`);
    assertAllClose(r.ci!, g.ci, REL, 0, `${g.name} CI`);
  }
  assert.throws(() => pearsonFromR(1.2, 10), StatsError);
  assert.throws(() => pearsonFromR(0.5, 2), StatsError);
});

test('stats reference §2.9 stdlib example', () => {
  const c = G.pearson[0];
  const r = pearson(c.x, c.y);
  assertClose(r.r, 0.7951702058, 1e-9, 0, 'r');
  assertClose(r.statistic, 3.708990428, 1e-9, 0, 't');
  assertClose(r.p, 0.005964996, 1e-6, 0, 'p');
  assertAllClose(r.ci!, [0.3315254742, 0.9494465336], 1e-9, 0, 'CI');
  const s = spearman(c.x, c.y, { fisherCi: true });
  assertClose(s.r, 0.7818182, 1e-7, 0, 'rho');
  assertClose(s.statistic, 36, 1e-12, 0, 'S');
  assertClose(s.p, 0.01165127, 1e-6, 0, 'AS 89 p');
  assertAllClose(s.ci!, [0.2997398, 0.9458478], 1e-6, 0, 'Fisher z CI');
  assertClose(spearman(c.x, c.y, { exact: false }).p, 0.007547008, 1e-6, 0, 't approx p');
});

test('Spearman matches cor.test method spearman (exact n <= 9, Edgeworth, ties -> t, n > 1290 -> t)', () => {
  assert.ok(G.spearman.length >= 10);
  for (const c of G.spearman) {
    const r = spearman(c.x, c.y, { exact: isNull(c.exact) ? undefined : c.exact, fisherCi: true });
    assertClose(r.r, c.rho, 1e-9, 1e-12, `${c.name} rho`);
    assertClose(r.statistic, c.statistic, 1e-9, 1e-9, `${c.name} S`);
    assertClose(r.p, c.p, REL, 0, `${c.name} p`);
    assert.equal(r.warnings.length > 0, c.tiesWarning, `${c.name} ties warning`);
    if (isNull(c.fisherCi)) assert.equal(r.ci, null);
    else assertAllClose(r.ci!, c.fisherCi, REL, 0, `${c.name} Fisher-z CI`);
    assert.equal(r.ciMethod === null, isNull(c.fisherCi));
  }
  assert.equal(spearman(G.spearman[0].x, G.spearman[0].y).ci, null, 'no CI unless asked (R gives none)');
});

test('prho: exact tails are complementary and match a brute-force count for n = 4', () => {
  // n = 4: S = sum d^2 over 24 permutations
  const perms = (a: number[]): number[][] => a.length <= 1 ? [a] : a.flatMap((v, i) => perms([...a.slice(0, i), ...a.slice(i + 1)]).map(p => [v, ...p]));
  const S = perms([1, 2, 3, 4]).map(p => p.reduce((s, v, i) => s + (i + 1 - v) ** 2, 0));
  for (const is of [1, 2, 6, 10, 14, 20]) {
    assertClose(prho(4, is, false), S.filter(s => s >= is).length / 24, 1e-15, 0, `P(S >= ${is})`);
    assertClose(prho(4, is, true) + prho(4, is, false), 1, 1e-15, 0, 'complement');
  }
});

test('bad input: constant column, n too small, unequal lengths', () => {
  assert.ok(G.errors.pearsonConstant && G.errors.spearmanConstant && G.errors.pearsonN2);
  assert.throws(() => pearson([1, 1, 1, 1], [1, 2, 3, 4]), /x is constant/);
  assert.throws(() => spearman([1, 1, 1, 1], [1, 2, 3, 4]), /constant/);
  assert.throws(() => pearson([1, 2], [3, 4]), /not enough/);
  assert.throws(() => spearman([1], [3]), /not enough/);
  assert.throws(() => pearson([1, 2, 3], [1, 2]), StatsError);
  assert.throws(() => pearson([1, 2, NaN, 4], [1, 2, 3, 4]), StatsError);
});
