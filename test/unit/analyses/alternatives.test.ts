/**
 * One-sided alternatives, Dunnett and Shapiro-Wilk through the study language (the statistics are checked against R
 * in test/unit/stats/alternatives.test.ts and dunnett.test.ts): on the tace example.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { runExampleWith } from './exampleRun';
import { mannWhitney, pairedT, tTest } from '../../../src/engine/stats/tests';
import { pearson } from '../../../src/engine/stats/correlation';
import { dunnett } from '../../../src/engine/stats/dunnett';
import { shapiroWilk } from '../../../src/engine/stats/shapiro';
import { resultTables } from '../../../src/shared/report/kinds';
import { isErrorResult, type CompareResult, type CorrelateResult, type DescribeResult } from '../../../src/shared/report/types';

const run = (extra: string) => runExampleWith('tace-exosomal-mirna', extra);

test('compare with alternative: the first group level (or A of `A vs B`) against the second, one-sided CI', async () => {
  const r = await run([
    'lt: compare log10(miR-122@pre) by sex with alternative less',
    'mw: compare log10(miR-122@pre) by sex with test mann-whitney, alternative greater',
    'pr: compare mir122_post vs mir122_pre paired with alternative greater',
    'k3: compare log10(miR-122@pre) by etiology with alternative less',
  ].join('\n'));
  const lt = r.lt as CompareResult, mw = r.mw as CompareResult, pt = r.pr as CompareResult;
  const [a, b] = lt.groups!;
  assert.equal(lt.alternative, 'less');
  assert.equal(lt.p, tTest(a.values, b.values, { alternative: 'less' }).p);
  assert.equal(lt.ci![0], null, 'the lower bound is -Inf');
  assert.match(resultTables(lt)[0].rows[0][6].text, /^−∞ to /);
  assert.match(resultTables(lt)[0].note ?? '', new RegExp(`One-sided: ${a.label} below ${b.label}`));
  const want = mannWhitney(mw.groups![0].values, mw.groups![1].values, { alternative: 'greater', confInt: true });
  assert.equal(mw.p, want.p);
  assert.equal(mw.estimate, want.estimate);
  assert.equal(mw.ci![1], null);
  assert.equal(pt.p, pairedT(pt.pairs!.map((x) => x.a), pt.pairs!.map((x) => x.b), { alternative: 'greater' }).p);
  assert.ok(isErrorResult(r.k3) && /needs two groups/.test(r.k3.error));
});

test('correlate and describe with alternative; describe refuses it for k groups and chi-square', async () => {
  const r = await run([
    'c1: correlate mir122_pre with alt with alternative greater',
    'd1: describe age by sex with alternative less',
    'd2: describe age, etiology by sex with alternative less',
  ].join('\n'));
  const c1 = r.c1 as CorrelateResult;
  assert.equal(c1.alternative, 'greater');
  assert.equal(c1.rows[0].ci![1], 1);
  const pts = c1.points!.alt;
  assert.equal(c1.rows[0].p, pearson(pts.map((p) => p.x), pts.map((p) => p.y), { alternative: 'greater' }).p);
  const d1 = r.d1 as DescribeResult;
  assert.match(d1.rows[0].test ?? '', /one-sided \(less\)/);
  assert.ok(isErrorResult(r.d2) && /etiology.*chi-square/.test(r.d2.error));
});

test('compare with posthoc dunnett and control: stats/dunnett.ts against the named level; normality per group', async () => {
  const r = await run([
    'dn: compare log10(miR-122@pre) by etiology with posthoc dunnett, control "NBNC", normality',
    'bad: compare log10(miR-122@pre) by etiology with posthoc dunnett, control "nope"',
    'bad2: compare log10(miR-122@pre) by etiology with posthoc tukey, control "HCV"',
  ].join('\n'));
  const dn = r.dn as CompareResult;
  assert.ok(!isErrorResult(dn));
  const groups = dn.groups!.map((g) => ({ level: g.label, values: g.values }));
  const want = dunnett(groups, 'NBNC');
  assert.equal(dn.posthoc!.control, 'NBNC');
  assert.deepEqual(dn.posthoc!.comparisons.map((c) => c.p), want.comparisons.map((c) => c.p));
  assert.ok(dn.posthoc!.comparisons.every((c) => c.reference === 'NBNC'));
  assert.deepEqual(resultTables(dn)[1].columns, ['Comparison', 'Difference', 'SE', '95% CI', 't', 'p (single-step)']);
  assert.deepEqual(dn.normality!.map((x) => x.p), groups.map((g) => shapiroWilk(g.values).p));
  assert.equal(resultTables(dn)[2].id, 'normality');
  assert.ok(isErrorResult(r.bad) && /"nope" is not a group/.test(r.bad.error));
  assert.ok(isErrorResult(r.bad2) && /control/.test(r.bad2.error));
});
