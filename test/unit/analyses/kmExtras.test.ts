/**
 * `km ... with rho, pairwise, adjust, trend, rmst` on the tace example: the numbers of stats/logrank.ts and
 * stats/survivalTests.ts (checked against survival/survminer in test/unit/stats/extra.test.ts), reported as tables.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { runExtraLines } from './exampleRun';
import { resultTables } from '../../../src/shared/report/kinds';
import { isErrorResult, type KmResult } from '../../../src/shared/report/types';

test('km with rho 1, pairwise (holm), trend and rmst 36: Peto-Peto label, pairwise table, trend note, RMST table with a difference', async () => {
  const { report, diagnostics } = await runExtraLines('tace-exosomal-mirna', 'kx: km dss by etiology with rho 1, pairwise, adjust holm, trend, rmst 36\nk2: km dss by diabetes with rmst 36');
  assert.ok(report, diagnostics.filter((d) => d.severity === 'error').map((d) => d.message).join('; '));
  const k = report.results.find((r) => r.name === 'kx') as KmResult;
  assert.ok(!isErrorResult(k), JSON.stringify(k));
  assert.equal(k.logrank!.rho, 1);
  assert.equal(k.groups.length, 4);
  assert.equal(k.pairwise!.rows.length, 6);
  assert.equal(k.pairwise!.adjust, 'Holm');
  for (const row of k.pairwise!.rows) assert.ok(row.pAdjusted >= row.p && row.pAdjusted <= 1);
  assert.ok(k.trend && k.trend.p > 0 && k.trend.p <= 1);
  assert.equal(k.rmst!.groups.length, 4);
  assert.equal(k.rmst!.difference, undefined, 'a difference only for two groups');
  const tables = resultTables(k).map((t) => t.id);
  assert.deepEqual(tables.filter((id) => id === 'pairwise' || id === 'rmst'), ['pairwise', 'rmst']);
  assert.match(resultTables(k)[0].note ?? '', /Peto-Peto.*trend/);
  const k2 = report.results.find((r) => r.name === 'k2') as KmResult;
  const d = k2.rmst!.difference!;
  assert.ok(Math.abs(d.diff - (k2.rmst!.groups[1].rmst - k2.rmst!.groups[0].rmst)) < 1e-12);
  assert.ok(d.lower < d.diff && d.diff < d.upper);
});
