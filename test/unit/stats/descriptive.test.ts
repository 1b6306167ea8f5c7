import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { assertClose, assertAllClose } from '../helpers';
import { G } from './golden';
import {
  mean, variance, sd, median, quantile, iqr, min, max, rank, formatMeanSd, formatMedianIqr, formatCount,
  decimalsFor, describeTable, type Cell,
} from '../../../src/engine/stats/descriptive';
import { StatsError } from '../../../src/engine/stats/errors';
import { sumExtended } from '../../../src/engine/stats/basic';

test('descriptive statistics and type-7 quantiles match R', () => {
  assert.ok(G.descriptive.length >= 5);
  for (const c of G.descriptive) {
    const x: number[] = Array.isArray(c.x) ? c.x : [c.x];
    const tag = `x[0..]=${x.slice(0, 3).join(',')} (n ${x.length})`;
    assertAllClose(quantile(x, c.probs as number[]), c.quantile, 1e-12, 1e-14, `${tag} quantile`);
    assertClose(mean(x), c.mean, 1e-12, 1e-14, `${tag} mean`);
    assertClose(median(x), c.median, 1e-12, 1e-14, `${tag} median`);
    assertClose(iqr(x), c.iqr, 1e-12, 1e-14, `${tag} IQR`);
    assert.equal(min(x), c.min);
    assert.equal(max(x), c.max);
    assertAllClose(rank(x), Array.isArray(c.rank) ? c.rank : [c.rank], 0, 0, `${tag} rank`);
    if (x.length > 1) {
      assertClose(variance(x), c.var, 1e-12, 1e-14, `${tag} var`);
      assertClose(sd(x), c.sd, 1e-12, 1e-14, `${tag} sd`);
    } else {
      assert.throws(() => sd(x), StatsError);
    }
  }
});

test('quantile: single probability, bounds, bad input', () => {
  assert.equal(quantile([1, 2, 3, 4], 0.5), 2.5);
  assert.equal(quantile([1, 2, 3, 4], 1 / 3), 2);
  assert.throws(() => quantile([1, 2], 1.5), StatsError);
  assert.throws(() => quantile([], 0.5), StatsError);
  assert.throws(() => mean([1, NaN, 3]), /index 1/);
  assert.throws(() => median([1, Infinity]), StatsError);
});

test('Table 1 formatters: significant digits from the spread', () => {
  assert.equal(decimalsFor(10.24), 1);
  assert.equal(decimalsFor(0.0234), 4);
  assert.equal(decimalsFor(1234), 0);
  assert.equal(formatMeanSd([1, 2, 3, 4]), '2.50 ± 1.29');
  assert.equal(formatMeanSd([50, 60, 70]), '60.0 ± 10.0');
  assert.equal(formatMeanSd([1, 2, 3, 4], { decimals: 1 }), '2.5 ± 1.3');
  assert.equal(formatMeanSd([7]), '7.00');
  assert.equal(formatMedianIqr([1, 2, 3, 4, 100]), '3.00 [2.00, 4.00]');
  assert.equal(formatMedianIqr([0.001, 0.002, 0.004, 0.01]), '0.00300 [0.00175, 0.00550]');
  assert.equal(formatCount(12, 35), '12 (34.3%)');
  assert.equal(formatCount(0, 0), '0 (-)');
  assert.equal(formatMeanSd([-0.00001, 0.00001, -0.00002, 0.00002], { decimals: 2 }), '0.00 ± 0.00');
});

test('describeTable on mtcars by am reproduces R (t, Welch, Mann-Whitney, chi-square, Yates, Fisher)', () => {
  const T = G.table1;
  const rows = T.rows as Record<string, Cell>[];
  assert.equal(rows.length, 32);
  const t1 = describeTable(rows, ['mpg', { name: 'hp', summary: 'median' }, 'cyl', 'vs'], 'am');
  assert.deepEqual(t1.groupLevels, ['0', '1']);
  assert.deepEqual(t1.groupCounts, { 0: 19, 1: 13 });
  const [mpg, hp, cyl, vs] = t1.rows;
  assert.equal(mpg.type, 'numeric');
  assert.equal(mpg.test, 'Student t');
  assertClose(mpg.statistic, T.mpg.statistic, 1e-9, 0, 'mpg t');
  assertClose(mpg.p, T.mpg.p, 1e-9, 0, 'mpg p');
  assert.equal(mpg.groups['0'], `${T.mpgMean['0'].toFixed(2)} ± ${T.mpgSd['0'].toFixed(2)}`);
  assert.equal(mpg.groups['1'], `${T.mpgMean['1'].toFixed(2)} ± ${T.mpgSd['1'].toFixed(2)}`);
  assert.equal(hp.test, 'Mann-Whitney');
  assertClose(hp.statistic, T.hpMannWhitney.statistic, 1e-12, 0, 'hp W');
  assertClose(hp.p, T.hpMannWhitney.p, 1e-9, 0, 'hp p');
  const q0 = T.hpQ['0'] as number[];
  assert.equal(hp.groups['0'], `${q0[1].toFixed(1)} [${q0[0].toFixed(1)}, ${q0[2].toFixed(1)}]`);
  assert.equal(cyl.type, 'categorical');
  assert.equal(cyl.test, 'Pearson chi-square');
  assertClose(cyl.statistic, T.cyl.statistic, 1e-9, 0, 'cyl X2');
  assertClose(cyl.p, T.cyl.p, 1e-9, 0, 'cyl p');
  assert.equal(cyl.df, 2);
  assert.ok(cyl.warnings.some(w => /expected counts are below 5/.test(w)));
  assert.deepEqual(cyl.levels!.map(l => l.level), ['4', '6', '8']);
  assert.equal(cyl.levels![0].groups['0'], '3 (15.8%)');
  assert.equal(cyl.levels![0].overall, '11 (34.4%)');
  assertClose(vs.statistic, T.vs.statistic, 1e-9, 0, 'vs X2');
  assertClose(vs.p, T.vs.p, 1e-9, 0, 'vs p');

  const t2 = describeTable(rows, ['mpg', 'vs'], 'am', { numericTest: 'welch', categoricalTest: 'chisq-yates' });
  assert.equal(t2.rows[0].test, 'Welch t');
  assertClose(t2.rows[0].p, T.mpgWelch.p, 1e-9, 0, 'mpg Welch p');
  assertClose(t2.rows[0].df as number, T.mpgWelch.df, 1e-9, 0, 'mpg Welch df');
  assert.equal(t2.rows[1].test, 'chi-square (Yates)');
  assertClose(t2.rows[1].statistic, T.vsYates.statistic, 1e-9, 0, 'vs Yates');
  assertClose(t2.rows[1].p, T.vsYates.p, 1e-9, 0, 'vs Yates p');
  const t3 = describeTable(rows, ['vs'], 'am', { categoricalTest: 'fisher' });
  assert.equal(t3.rows[0].test, 'Fisher exact');
  assertClose(t3.rows[0].p, T.vsFisher.p, 1e-9, 0, 'vs Fisher p');
});

test('describeTable: missing values, >2 groups (ANOVA), constant variable, no by', () => {
  const rows: Record<string, Cell>[] = [
    { g: 'a', x: 1, y: 5, s: 'm' }, { g: 'a', x: 2, y: 5, s: 'f' }, { g: 'a', x: 3, y: 5, s: 'm' },
    { g: 'b', x: 4, y: 5, s: 'f' }, { g: 'b', x: 6, y: 5, s: null }, { g: 'b', x: null, y: 5, s: 'f' },
    { g: 'c', x: 7, y: 5, s: 'm' }, { g: 'c', x: 9, y: 5, s: 'm' }, { g: null, x: 100, y: 5, s: 'm' },
  ];
  const t = describeTable(rows, ['x', 'y', 's'], 'g');
  assert.equal(t.dropped, 1);
  assert.equal(t.n, 8);
  const [x, y, s] = t.rows;
  assert.equal(x.test, 'ANOVA');
  assert.equal(x.missing, 1);
  assert.equal(x.n, 7);
  // by hand: means 2, 5, 8; grand 32/7; SSB = 3(2-32/7)^2 + 2(5-32/7)^2 + 2(8-32/7)^2; SSW = 2 + 2 + 2
  const g = 32 / 7;
  const F = ((3 * (2 - g) ** 2 + 2 * (5 - g) ** 2 + 2 * (8 - g) ** 2) / 2) / (6 / 4);
  assertClose(x.statistic, F, 1e-12, 0, 'F by hand');
  assert.deepEqual(x.df, [2, 4]);
  assert.equal(y.test, null);
  assert.equal(y.p, null);
  assert.ok(y.warnings.some(w => /constant/.test(w)), y.warnings.join('; '));
  assert.equal(s.type, 'categorical');
  assert.equal(s.missing, 1);
  assert.equal(s.levels!.find(l => l.level === 'm')!.groups['a'], '2 (66.7%)');
  const overall = describeTable(rows, ['x']);
  assert.equal(overall.rows[0].test, null);
  assert.equal(overall.rows[0].n, 8);
  assert.throws(() => describeTable(rows, [{ name: 's', type: 'numeric' }], 'g'), StatsError);
});

test('sumExtended: the correctly rounded total, as R\'s sum() in long double, where a double loop drifts', () => {
  let plain = 0;
  for (let i = 0; i < 10; i++) plain += 0.1;
  assert.equal(plain, 0.9999999999999999);
  assert.equal(sumExtended(10, () => 0.1), 1); // R: sum(rep(0.1, 10)) == 1 is TRUE
  // Cancellation: 1e16 + 1 + (-1e16) loses the 1 in doubles; the separate error term keeps it.
  assert.equal(sumExtended(3, (i) => [1e16, 1, -1e16][i]), 1);
  assert.equal(sumExtended(0, () => 1), 0);
});
