/**
 * Hostile numerics: values near 1e300 (and 1e-150, and large offsets) against R (test/golden/numerics.R, 1e-6
 * relative), and Table 1 counts when a value is not finite (a clinical 1e309 reads as Infinity).
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { assertClose, readGolden } from '../helpers';
import { pearson, spearman } from '../../../src/engine/stats/correlation';
import { describeTable, magnitudeScale, mean, sd, variance } from '../../../src/engine/stats/descriptive';
import { oneWayAnova, pairedT, tTest } from '../../../src/engine/stats/tests';

interface HTest { statistic: number; df?: number; p: number; estimate: number | number[]; ci?: [number, number] }
interface Case {
  name: string; x: number[]; y: number[]; scale: number;
  pearson: HTest; spearman: HTest; student: HTest; welch: HTest; paired: HTest; mean: number[]; sd: number[];
}
const G = readGolden<{ cases: Case[] }>('numerics.json');

/** 1e-6 relative with no absolute slack: the tiny case's numbers are near 1e-151. */
const close = (a: number | null | undefined, e: number, msg: string) => assertClose(a, e, 1e-6, 0, msg);
const diff = (e: number | number[]) => (Array.isArray(e) ? e[0] - e[1] : e);

test('the golden has the cases the issue names (near 1e300, 1e±150, offsets 1e9 and 1e12)', () => {
  assert.equal(G.cases.length, 6);
  assert.ok(G.cases.some((c) => Math.abs(c.x[0]) > 1e299), 'a case near 1e300');
  assert.ok(G.cases.some((c) => Math.abs(c.x[0]) > 1e11 && Math.abs(c.x[0]) < 1e13), 'a large-offset case');
});

for (const c of G.cases) {
  test(`cor.test pearson and spearman as R: ${c.name}`, () => {
    const p = pearson(c.x, c.y);
    close(p.r, c.pearson.estimate as number, 'r');
    close(p.statistic, c.pearson.statistic, 't');
    close(p.p, c.pearson.p, 'p');
    close(p.ci![0], c.pearson.ci![0], 'ci lo');
    close(p.ci![1], c.pearson.ci![1], 'ci hi');
    const s = spearman(c.x, c.y);
    close(s.r, c.spearman.estimate as number, 'rho');
    close(s.statistic, c.spearman.statistic, 'S');
    close(s.p, c.spearman.p, 'p');
  });

  test(`t.test (Student, Welch, paired), mean and sd as R: ${c.name}`, () => {
    for (const [name, r, g] of [
      ['student', tTest(c.x, c.y), c.student], ['welch', tTest(c.x, c.y, { welch: true }), c.welch], ['paired', pairedT(c.x, c.y), c.paired],
    ] as const) {
      close(r.statistic, g.statistic, `${name} t`);
      close(r.df as number, g.df!, `${name} df`);
      close(r.p, g.p, `${name} p`);
      close(r.estimate, diff(g.estimate), `${name} estimate`);
      close(r.ci![0], g.ci![0], `${name} ci lo`);
      close(r.ci![1], g.ci![1], `${name} ci hi`);
    }
    close(mean(c.x), c.mean[0], 'mean x');
    close(mean(c.y), c.mean[1], 'mean y');
    close(sd(c.x), c.sd[0], 'sd x');
    close(sd(c.y), c.sd[1], 'sd y');
  });
}

test('beyond R (it overflows): near 1e300 the sd is finite and scales exactly; var is Infinity as the true value is', () => {
  const c = G.cases.find((k) => Math.abs(k.x[0]) > 1e299 && k.name.includes('magnitude'))!;
  const s = 2 ** 996;
  assert.equal(sd(c.x), sd(c.x.map((v) => v / s)) * s);
  assert.equal(variance(c.x), Infinity, 'the variance (about 1e600) is not a double');
  // a mean whose double sum overflows (1.7e308 + 1.6e308)
  const big = [1.7e308, 1.6e308, 1.5e308, 1.75e308];
  close(mean(big), 1.6375e308, 'mean near the largest double');
});

test('scaling leaves ordinary data bit-identical (power-of-two scale only beyond 1e±75)', () => {
  assert.equal(magnitudeScale([1, 2, 3e70]), 1);
  assert.equal(magnitudeScale([1e-70, -2e-70]), 1);
  assert.equal(magnitudeScale([1e300]), 2 ** 996);
  assert.equal(magnitudeScale([0, 0]), 1);
});

test('ANOVA near 1e300: F and p as on the rescaled data (not NaN)', () => {
  const c = G.cases.find((k) => Math.abs(k.x[0]) > 1e299 && k.name.includes('magnitude'))!;
  const s = 2 ** 996;
  const a = oneWayAnova([c.x, c.y]);
  const b = oneWayAnova([c.x.map((v) => v / s), c.y.map((v) => v / s)]);
  assert.ok(Number.isFinite(a.statistic!), `F ${a.statistic}`);
  assert.equal(a.statistic, b.statistic);
  assert.equal(a.p, b.p);
  // two groups: F = t² of Student's t (golden)
  close(a.statistic!, c.student.statistic ** 2, 'F = t²');
});

test('describe: a non-finite value (clinical 1e309 → Infinity) is dropped and counted, with a warning', () => {
  const rows = Array.from({ length: 30 }, (_, i) => ({ afp: i === 7 ? Number('1e309') : 10 + i, sex: i % 2 ? 'm' : 'f' }));
  const t = describeTable(rows, ['afp', 'sex']);
  assert.equal(t.n, 29);
  assert.equal(t.dropped, 1);
  assert.ok(t.warnings.some((w) => /afp: 1 non-finite value/.test(w)), t.warnings.join('\n'));
  assert.equal(t.rows[0].summary!.n, 29);
  const g = describeTable(rows, ['afp'], 'sex');
  assert.equal(g.n + g.dropped, 30);
  assert.equal(g.groupCounts.f + g.groupCounts.m, 29);
  const nan = describeTable([{ x: NaN }, { x: 1 }, { x: 2 }], ['x']);
  assert.equal(nan.dropped, 1);
});
