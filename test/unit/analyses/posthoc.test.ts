/**
 * Multiple testing and post-hoc comparisons through the study language, on the tace example: `correlate ... with
 * adjust bh` (p.adjust over the rows), `compare X by GROUP with posthoc ...` (stats/tukey.ts, stats/pairwise.ts, each
 * checked against R in test/unit/stats/posthoc.test.ts) and the Hodges-Lehmann estimate of rank tests.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { runExtraLines } from './exampleRun';
import { pAdjust } from '../../../src/engine/stats/padjust';
import { tukeyHsd } from '../../../src/engine/stats/tukey';
import { dunnTest } from '../../../src/engine/stats/pairwise';
import { mannWhitney } from '../../../src/engine/stats/tests';
import { resultTables } from '../../../src/shared/report/kinds';
import { isErrorResult, type CompareResult, type CorrelateResult } from '../../../src/shared/report/types';

async function run(extra: string) {
  const { report, diagnostics } = await runExtraLines('tace-exosomal-mirna', extra);
  assert.ok(report, diagnostics.filter((d) => d.severity === 'error').map((d) => d.message).join('; '));
  return report;
}

test('correlate with adjust bh: every row carries p.adjust(p, "BH") and the table a column for it', async () => {
  const r = (await run('adj: correlate mir122_pre with age, hba1c, ast, alt, t_bil, alb with adjust bh')).results.find((x) => x.name === 'adj') as CorrelateResult;
  assert.equal(r.adjust, 'BH');
  assert.deepEqual(r.rows.map((x) => x.pAdjusted), pAdjust(r.rows.map((x) => x.p), 'bh'));
  const t = resultTables(r)[0];
  assert.equal(t.columns[t.columns.length - 1], 'p (BH)');
});

test('compare by group with posthoc tukey / dunn: the comparisons of stats/tukey.ts and stats/pairwise.ts, in a second table', async () => {
  const rep = await run('ph_t: compare log10(miR-122@pre) by etiology with posthoc tukey\nph_d: compare log10(miR-122@pre) by etiology with test kruskal, posthoc dunn, adjust bonferroni');
  const tk = rep.results.find((x) => x.name === 'ph_t') as CompareResult;
  assert.ok(!isErrorResult(tk));
  const groups = tk.groups!.map((g) => ({ level: g.label, values: g.values }));
  assert.equal(groups.length, 4);
  assert.equal(tk.posthoc!.comparisons.length, 6);
  const want = tukeyHsd(groups);
  assert.deepEqual(tk.posthoc!.comparisons.map((c) => c.p), want.comparisons.map((c) => c.p));
  assert.deepEqual(tk.posthoc!.comparisons.map((c) => c.diff), want.comparisons.map((c) => c.diff));
  assert.equal(resultTables(tk)[1].id, 'posthoc');
  const dn = rep.results.find((x) => x.name === 'ph_d') as CompareResult;
  assert.equal(dn.posthoc!.adjust, 'Bonferroni');
  assert.deepEqual(dn.posthoc!.comparisons.map((c) => c.p), dunnTest(groups, 'bonferroni').comparisons.map((c) => c.p));
});

test('Mann-Whitney reports the Hodges-Lehmann shift and its CI (wilcox.test(conf.int = TRUE)); posthoc on `vs` is an error', async () => {
  const rep = await run('hl: compare log10(miR-122@pre) by sex with test mann-whitney\nbad: compare mir122_pre vs mir122_post paired with posthoc tukey');
  const hl = rep.results.find((x) => x.name === 'hl') as CompareResult;
  const [a, b] = hl.groups!;
  const want = mannWhitney(a.values, b.values, { confInt: true });
  assert.equal(hl.estimate, want.estimate);
  assert.deepEqual(hl.ci, want.ci);
  assert.ok(hl.estimate !== null && hl.ci !== null);
  assert.match(hl.estimateName ?? '', /location|shift/i);
  const bad = rep.results.find((x) => x.name === 'bad');
  assert.ok(bad && isErrorResult(bad) && /posthoc/.test(bad.error));
});
