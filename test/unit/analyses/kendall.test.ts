/**
 * `correlate ... with method kendall` end to end: parsed, checked, run on the tace example and reported, with the
 * numbers of stats/kendall.ts (checked against R's cor.test in test/unit/stats/kendall.test.ts).
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { runExtraLines } from './exampleRun';
import { parseStudy, checkStudy } from '../../../src/engine/study';
import { kendall } from '../../../src/engine/stats/kendall';
import { resultTables } from '../../../src/shared/report/kinds';
import { correlateMethodLabel } from '../../../src/shared/report/kinds/correlate';
import type { CorrelateResult } from '../../../src/shared/report/types';

test('kendall runs through the registry: rows carry tau-b and p of stats/kendall, the label is Kendall τ', async () => {
  const { report, diagnostics } = await runExtraLines('tace-exosomal-mirna', 'tau_check: correlate mir122_pre with age, alt with method kendall');
  assert.ok(report, diagnostics.map((d) => d.message).join('; '));
  const r = report.results.find((x) => x.name === 'tau_check') as CorrelateResult;
  assert.equal(r.rows.length, 2);
  for (const row of r.rows) {
    assert.equal(row.method, 'kendall');
    const pts = r.points![row.variable];
    const k = kendall(pts.map((p) => p.x), pts.map((p) => p.y));
    assert.equal(row.r, k.r);
    assert.equal(row.p, k.p);
    assert.equal(row.ci, null);
  }
  assert.equal(correlateMethodLabel('kendall'), 'Kendall τ');
  assert.equal(resultTables(r)[0].rows[0][1].text, 'kendall');
});

test('the checker offers kendall and corrects a misspelt method', () => {
  const { ast } = parseStudy('correlate a with b with method kendal\n');
  const ds = checkStudy(ast, {});
  const d = ds.find((x) => /kendal/.test(x.message));
  assert.ok(d, ds.map((x) => x.message).join('; '));
  assert.match(d!.message, /kendall/);
});
