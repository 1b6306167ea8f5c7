import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { assertClose, assertAllClose, readGolden } from '../helpers';
import { G, num, nums, isNull } from './golden';
import {
  tTest, pairedT, oneWayAnova, chisqTest, fisherExact, mannWhitney, wilcoxonSignedRank, kruskalWallis,
  pwilcox, psignrankExact, uniroot,
} from '../../../src/engine/stats/tests';
import psignrank = require('@stdlib/stats-base-dists-signrank-cdf'); // independent cross-check (stdlib's exact signed-rank CDF)
import { StatsError } from '../../../src/engine/stats/errors';

const REL = 1e-6;

test('two-sample t tests (Student default, Welch) match R t.test', () => {
  assert.ok(G.ttest.length >= 5);
  for (const c of G.ttest) {
    const x = Array.isArray(c.x) ? c.x : [c.x];
    const r = tTest(x, c.y, { varEqual: c.varEqual, conf: c.conf });
    assert.equal(r.test, c.varEqual ? 'Student t' : 'Welch t', c.name);
    assertClose(r.statistic, c.statistic, REL, 0, `${c.name} t`);
    assertClose(r.df as number, c.df, REL, 0, `${c.name} df`);
    assertClose(r.p, c.p, REL, 0, `${c.name} p`);
    assertClose(r.estimate, c.estimate, REL, 0, `${c.name} estimate`);
    assertAllClose(r.ci!, c.ci, REL, 0, `${c.name} ci`);
  }
  // default is Student (the seed papers), not R's Welch
  assert.equal(tTest([1, 2, 3, 5], [2, 4, 6, 9]).test, 'Student t');
  assert.equal(tTest([1, 2, 3, 5], [2, 4, 6, 9], { welch: true }).test, 'Welch t');
});

test('stats reference §2.9 sleep oracle numbers', () => {
  const s = G.ttest[0];
  const w = tTest(s.x, s.y, { welch: true });
  assertClose(w.statistic, -1.860813467, 1e-9, 0, 'Welch t');
  assertClose(w.df as number, 17.77647352, 1e-9, 0, 'Welch df');
  assertClose(w.p, 0.07939414, 1e-7, 0, 'Welch p');
  const p = pairedT(s.x, s.y);
  assertClose(p.statistic, -4.062127683, 1e-9, 0, 'paired t');
  assertClose(p.p, 0.002832890, 1e-6, 0, 'paired p');
  assertAllClose(p.ci!, [-2.4598858, -0.7001142], 1e-7, 0, 'paired ci');
});

test('paired t tests match R', () => {
  for (const c of G.paired) {
    const r = pairedT(c.x, c.y, { conf: c.conf });
    assert.equal(r.test, 'paired t');
    assertClose(r.statistic, c.statistic, REL, 0, `${c.name} t`);
    assert.equal(r.df, c.df);
    assertClose(r.p, c.p, REL, 0, `${c.name} p`);
    assertClose(r.estimate, c.estimate, REL, 0, `${c.name} estimate`);
    assertAllClose(r.ci!, c.ci, REL, 0, `${c.name} ci`);
  }
  assert.throws(() => pairedT([1, 2], [1]), StatsError);
});

test('one-way ANOVA and Welch ANOVA match aov / oneway.test', () => {
  for (const c of G.anova) {
    const a = oneWayAnova(c.groups);
    assert.equal(a.test, 'ANOVA');
    assertClose(a.statistic, c.F, REL, 0, `${c.name} F`);
    assertClose(a.statistic, c.onewayF, REL, 0, `${c.name} F (oneway.test)`);
    assert.deepEqual(a.df, c.df);
    assertClose(a.p, c.p, REL, 0, `${c.name} p`);
    assertClose(a.ssBetween, c.ssBetween, REL, 0, `${c.name} SSB`);
    assertClose(a.ssWithin, c.ssWithin, REL, 0, `${c.name} SSW`);
    const w = oneWayAnova(c.groups, { varEqual: false });
    assert.equal(w.test, 'Welch ANOVA');
    assertClose(w.statistic, c.welchF, REL, 0, `${c.name} Welch F`);
    assertAllClose(w.df as number[], c.welchDf, REL, 0, `${c.name} Welch df`);
    assertClose(w.p, c.welchP, REL, 0, `${c.name} Welch p`);
  }
  assertClose(oneWayAnova(G.anova[0].groups).statistic, 4.84609, 1e-5, 0, 'PlantGrowth F §2.9');
});

test('Kruskal-Wallis matches kruskal.test (tie-corrected)', () => {
  for (const c of G.kruskal) {
    const r = kruskalWallis(c.groups);
    assertClose(r.statistic, c.statistic, REL, 0, `${c.name} H`);
    assert.equal(r.df, c.df);
    assertClose(r.p, c.p, REL, 0, `${c.name} p`);
  }
  assertClose(kruskalWallis(G.kruskal[0].groups).statistic, 7.988228749, 1e-9, 0, 'PlantGrowth H §2.9');
});

test('chi-square (Pearson, Yates as R) and the expected-count warning', () => {
  for (const c of G.chisq) {
    const r = chisqTest(c.table, { correct: c.correct });
    assertClose(r.statistic, c.statistic, REL, 0, `${c.name} X2`);
    assert.equal(r.df, c.df);
    assertClose(r.p, c.p, REL, 0, `${c.name} p`);
    for (let i = 0; i < c.expected.length; i++) assertAllClose(r.expected[i], c.expected[i], 1e-12, 0, `${c.name} E[${i}]`);
    assert.equal(r.warnings.length > 0, c.smallExpectedWarning, `${c.name} warning`);
  }
  // default as R: Yates on for 2x2 (no effect on larger tables)
  const d = chisqTest(G.chisq[1].table);
  assert.equal(d.test, 'chi-square (Yates)');
  assertClose(d.statistic, 1.455996379, 1e-9, 0, 'Yates §2.9');
  assert.equal(chisqTest(G.chisq[0].table, { correct: false }).test, 'Pearson chi-square');
  assertClose(chisqTest(G.chisq[0].table, { correct: false }).statistic, 2.43057552, 1e-8, 0, 'Pearson §2.9');
  assert.equal(chisqTest(G.chisq[3].table).test, 'Pearson chi-square');
  assert.throws(() => chisqTest([[1, 0], [2, 0]]), /column 2 total is 0/);
  assert.throws(() => chisqTest([[1.5, 2], [2, 3]]), StatsError);
});

test('Fisher exact 2x2: p, conditional MLE odds ratio and CI as fisher.test', () => {
  for (const c of G.fisher) {
    const r = fisherExact(c.table, { conf: c.conf });
    assertClose(r.p, c.p, REL, 0, `${c.name} p`);
    assertClose(r.estimate, num(c.estimate), REL, 0, `${c.name} OR`);
    assertAllClose(r.ci!, nums(c.ci)!, REL, 0, `${c.name} CI`);
  }
  // §2.9 oracle
  const f = fisherExact([[12, 7], [5, 9]]);
  assertClose(f.p, 0.1663201, 1e-6, 0, 'p');
  assertClose(f.estimate, 2.976547, 1e-6, 0, 'OR');
  assertAllClose(f.ci!, [0.5992625, 16.6454802], 1e-6, 0, 'CI');
});

test('uniroot follows R (Brent): root of a cubic and end-point roots', () => {
  const r = uniroot(x => x * x * x - 2, 0, 2, 1e-12);
  assertClose(r, Math.cbrt(2), 1e-10, 0, 'cbrt 2');
  assert.equal(uniroot(x => x, 0, 1), 0);
  assert.throws(() => uniroot(x => x + 5, 0, 1), StatsError);
});

test('exact distributions: pwilcox and psignrank', () => {
  // m = n = 2: U in {0,1,2,2,3,4}/6 -> P(U <= 1) = 2/6
  assertClose(pwilcox(1, 2, 2), 2 / 6, 1e-15, 0, 'pwilcox');
  assertClose(pwilcox(1, 2, 2, true), 4 / 6, 1e-15, 0, 'pwilcox upper');
  // symmetric in (m, n); P(U <= 3) for m = 3, n = 4 by enumeration of the 35 subsets
  const subsets: number[][] = [];
  const pick = (start: number, acc: number[]): void => {
    if (acc.length === 3) { subsets.push(acc); return; }
    for (let v = start; v <= 7; v++) pick(v + 1, [...acc, v]);
  };
  pick(1, []);
  const U = subsets.map(s => s.reduce((a, b) => a + b, 0) - 6);
  assertClose(pwilcox(3, 3, 4), U.filter(u => u <= 3).length / 35, 1e-15, 0, 'pwilcox(3; 3, 4)');
  assertClose(pwilcox(3, 4, 3), pwilcox(3, 3, 4), 1e-15, 0, 'symmetry');
  // forced exact on a huge sample falls back with a warning instead of allocating
  const big = Array.from({ length: 300 }, (_, i) => i + 0.5), big2 = Array.from({ length: 200 }, (_, i) => i * 1.37 + 0.001);
  const mw = mannWhitney(big, big2, { exact: true });
  assert.match(mw.method, /continuity correction/);
  assert.ok(mw.warnings.some(w => /limit/.test(w)));
  for (const n of [1, 5, 10, 20]) {
    for (const v of [0, 3, Math.floor(n * (n + 1) / 4)]) {
      assertClose(psignrankExact(v, n), psignrank(v, n), 1e-10, 1e-15, `psignrank(${v}, ${n}) vs stdlib`);
    }
  }
});

test('Mann-Whitney matches wilcox.test (exact / normal, continuity correction, W)', () => {
  for (const c of G.mannWhitney) {
    const r = mannWhitney(c.x, c.y, { correct: c.correct, exact: isNull(c.exact) ? undefined : c.exact });
    assert.equal(r.method, c.method, c.name);
    assertClose(r.statistic, c.statistic, 1e-12, 0, `${c.name} W`);
    assertClose(r.p, c.p, REL, 0, `${c.name} p`);
    assert.equal(r.estimate, null, 'no estimate unless confInt (R default)');
    const h = mannWhitney(c.x, c.y, { correct: c.correct, exact: isNull(c.exact) ? undefined : c.exact, confInt: true });
    assertClose(h.p, c.p, REL, 0, `${c.name} p with confInt`);
    assertClose(h.estimate, c.estimate, REL, 1e-12, `${c.name} Hodges-Lehmann`);
    assertAllClose(h.ci!, c.ci, REL, 1e-12, `${c.name} CI`);
  }
  assert.throws(() => mannWhitney([1, 1, 1], [1, 1, 1]), StatsError);
});

test('Wilcoxon signed rank matches wilcox.test paired (zeros dropped, V)', () => {
  for (const c of G.signedRank) {
    const r = wilcoxonSignedRank(c.x, c.y, { correct: c.correct, exact: isNull(c.exact) ? undefined : c.exact });
    assert.equal(r.method, c.method, c.name);
    assertClose(r.statistic, c.statistic, 1e-12, 0, `${c.name} V`);
    assertClose(r.p, c.p, REL, 0, `${c.name} p`);
    const h = wilcoxonSignedRank(c.x, c.y, { correct: c.correct, exact: isNull(c.exact) ? undefined : c.exact, confInt: true });
    assertClose(h.estimate, c.estimate, REL, 1e-12, `${c.name} pseudomedian`);
    assertAllClose(h.ci!, c.ci, REL, 1e-12, `${c.name} CI`);
  }
  const s = G.signedRank[0];
  const r = wilcoxonSignedRank(s.x.map((v: number, i: number) => v - s.y[i]));
  assertClose(r.p, 0.009090698, 1e-6, 0, 'differences form, §2.9');
  assert.ok(r.warnings.some(w => /zero/.test(w)));
  assert.throws(() => wilcoxonSignedRank([1, 2], [1, 2]), /all differences are zero/);
});

test('bad input throws StatsError where R stops or returns NA', () => {
  const E = G.errors;
  assert.ok(E.tConstant && E.pairedConstant && E.welchN1 && E.wilcoxAllTied && E.kruskalAllTied);
  assert.throws(() => tTest([1, 1, 1], [1, 1, 1]), /essentially constant/);
  assert.throws(() => pairedT([2, 3, 4], [1, 2, 3]), /essentially constant/);
  assert.throws(() => tTest([1], [1, 2, 3], { welch: true }), /not enough 'x'/);
  assert.throws(() => kruskalWallis([[1, 1], [1, 1]]), StatsError);
  assert.throws(() => oneWayAnova([[1, 2], []]), StatsError);
  assert.throws(() => oneWayAnova([[1, 1], [2, 2]], { varEqual: false }), /constant/);
  assert.throws(() => tTest([1, NaN], [1, 2]), StatsError);
});

test('biobank-sized data: Fisher\'s test of a 2 × 2 table of 280,000 (a support of 140,001 counts) gives its p and CI instead of overflowing the stack (Math.max over every count as arguments)', () => {
  const r = fisherExact([[70000, 70000], [70000, 70000]]);
  assert.equal(r.p, 1); // R: 1 (its sum() in long double); a plain double sum of the 140,001 terms gave 0.9999999999999999
  assert.equal(fisherExact([[700, 700], [700, 700]]).p, 1); // R: 1 (plain sum: 0.9999999999999996)
  assert.ok(r.ci![0] < 1 && r.ci![1] > 1 && r.ci![1] - r.ci![0] < 0.05, `CI ${r.ci}`);
  assert.equal(r.estimate, 1);
  const want = LARGE_FISHER.find((c) => c.name === 'balanced280k')!;
  assert.equal(r.p, want.p);
  assertAllClose(r.ci!, want.ci, 1e-6, 0, 'balanced280k CI');
});

/** fisher.test on large 2 × 2 tables (test/golden/fisher-large.R): the sums of up to 140,001 terms, as R's long double ones. */
const LARGE_FISHER = readGolden<{ fisher: { name: string; table: number[][]; p: number; pLess: number; pGreater: number; estimate: number; ci: number[] }[] }>('fisher-large.json').fisher;

test('Fisher exact 2 × 2 on tables of 1,400 to 20,000: p of each alternative, MLE and CI as fisher.test (a balanced table\'s p is exactly R\'s 1)', () => {
  for (const c of LARGE_FISHER.filter((x) => x.name !== 'balanced280k')) { // the 280,000 table: the test above (1 s a call)
    const r = fisherExact(c.table);
    if (c.p === 1) assert.equal(r.p, 1, c.name);
    assertClose(r.p, c.p, 1e-6, 0, `${c.name} p`);
    assertClose(fisherExact(c.table, { alternative: 'less' }).p, c.pLess, 1e-6, 0, `${c.name} p less`);
    assertClose(fisherExact(c.table, { alternative: 'greater' }).p, c.pGreater, 1e-6, 0, `${c.name} p greater`);
    assertClose(r.estimate, c.estimate, 1e-6, 0, `${c.name} estimate`);
    assertAllClose(r.ci!, c.ci, 1e-6, 0, `${c.name} CI`);
  }
});
