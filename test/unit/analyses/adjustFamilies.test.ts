/**
 * `with adjust` on describe (the rows' tests) and on univariate Cox fits (their coefficient tests): the adjusted column
 * is p.adjust of the family's p-values (stats/padjust.ts, checked against R in test/golden/padjust.R) in the table, and
 * the option is refused where there is no family.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { runExampleWith } from './exampleRun';
import { pAdjust } from '../../../src/engine/stats/padjust';
import { resultTables } from '../../../src/shared/report/kinds';
import { isErrorResult, type CoxResult, type DescribeResult } from '../../../src/shared/report/types';

const run = (extra: string) => runExampleWith('tace-exosomal-mirna', extra);

test('describe … by G with adjust holm: pAdjusted = p.adjust(rows\' p, "holm"), an adjusted column in Table 1', async () => {
  const r = await run('t1adj: describe age, sex, afp, child_pugh_score, tumor_number by cirrhosis with adjust holm');
  const d = r.t1adj as DescribeResult;
  assert.equal(d.adjust, 'Holm');
  const expected = pAdjust(d.rows.map((x) => x.p), 'holm');
  d.rows.forEach((x, i) => assert.equal(x.pAdjusted, expected[i]));
  assert.ok(d.rows.some((x) => x.pAdjusted! > x.p!), 'Holm raises some p');
  const [table] = resultTables(d);
  assert.ok(table.columns.includes('p (Holm)'));
});

test('cox … with univariate, adjust bh: each term\'s p adjusted over the univariate fits; refused without univariate or by', async () => {
  const r = await run([
    'uadj: cox dss ~ cp_b + afp > 20 + dcp > 40 + tumor_diameter > 3 + mir122_low in lc   with univariate, ties breslow, adjust bh',
    'madj: cox dss ~ cp_b + mir122_low in lc   with adjust bh',
    'dadj: describe age, afp with adjust bh',
  ].join('\n'));
  const u = r.uadj as CoxResult;
  assert.equal(u.adjust, 'BH');
  const expected = pAdjust(u.terms.map((t) => t.p), 'bh');
  u.terms.forEach((t, i) => assert.equal(t.pAdjusted, expected[i]));
  assert.ok(resultTables(u)[0].columns.includes('p (BH)'));
  assert.ok(isErrorResult(r.madj) && /univariate/.test(r.madj.error), 'adjust on a multivariable model is an error');
  assert.ok(isErrorResult(r.dadj) && /by GROUP/.test(r.dadj.error), 'adjust without by is an error');
});
