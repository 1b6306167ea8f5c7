/**
 * `cox ... with ph-test`: survival's cox.zph per term (a factor's columns together) and GLOBAL, as a second table, and
 * a warning on the analysis when a term's p < 0.05 (stats/coxzph.ts is checked against R in test/unit/stats).
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { resultTables } from '../../../src/shared/report/kinds';
import { isErrorResult, type CoxResult } from '../../../src/shared/report/types';
import { runExtraLines } from './exampleRun';

test('cox with ph-test on the tace example: one row per term (etiology with 3 df), GLOBAL with every column, residuals per event', async () => {
  const { report, diagnostics } = await runExtraLines('tace-exosomal-mirna', 'ph: cox dss ~ age + etiology + mir122_low with ph-test');
  assert.ok(report, diagnostics.filter((d) => d.severity === 'error').map((d) => d.message).join('; '));
  const c = report.results.find((r) => r.name === 'ph') as CoxResult;
  assert.ok(!isErrorResult(c), JSON.stringify(c));
  assert.deepEqual(c.ph!.rows.map((r) => [r.term, r.df]), [['age', 1], ['etiology', 3], ['mir122_low', 1], ['GLOBAL', 5]]);
  for (const r of c.ph!.rows) assert.ok(r.p !== null && r.p > 0 && r.p <= 1);
  assert.equal(c.ph!.residuals!.time.length, c.events);
  assert.equal(c.ph!.residuals!.scaled[0].length, 3);
  assert.equal(resultTables(c)[1].id, 'ph-test');
  const flagged = c.ph!.rows.filter((r) => r.term !== 'GLOBAL' && (r.p as number) < 0.05).map((r) => r.term);
  assert.deepEqual((c.warnings ?? []).filter((w) => /proportional-hazards/.test(w)).map((w) => w.split(':')[0]), flagged);
});
