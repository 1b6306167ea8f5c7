/**
 * `cox ... with ph-test`: survival's cox.zph per term (a factor's columns together) and GLOBAL, as a second table, and
 * a warning on the analysis when a term's p < 0.05 (stats/coxzph.ts is checked against R in test/unit/stats).
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { repoRoot } from '../helpers';
import { runStudy } from '../../../src/engine/study/runner';
import { nodeStudyIO } from '../../../src/cli/nodeIO';
import { resultTables } from '../../../src/shared/report/kinds';
import { isErrorResult, type CoxResult } from '../../../src/shared/report/types';

test('cox with ph-test on the tace example: one row per term (etiology with 3 df), GLOBAL with every column, residuals per event', async () => {
  const p = path.join(repoRoot, 'examples', 'tace-exosomal-mirna', 'study.qstudy');
  const text = fs.readFileSync(p, 'utf8') + '\nph: cox dss ~ age + etiology + mir122_low with ph-test\n';
  const { report, diagnostics } = await runStudy(text, p, nodeStudyIO());
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
