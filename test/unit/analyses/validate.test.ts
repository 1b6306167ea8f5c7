/**
 * `validate MODEL with bootstrap B, seed S`: the kind around stats/validate.ts (checked against rms in
 * test/unit/stats/validate.test.ts): the model's own rows, the apparent C equal to the model's C, the seed, the
 * tables (C beside Dxy), the checker's refusals and the run-time errors.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { runExampleResults } from './exampleRun';
import { checkStudy, parseStudy } from '../../../src/engine/study';
import { SPEC_CONTEXT } from '../../../src/engine/study/examples';
import { resultTables } from '../../../src/shared/report/kinds';
import { isErrorResult, type AnalysisResult, type CoxResult, type ErrorResult, type LogisticResult, type ValidateResult } from '../../../src/shared/report/types';

const run = runExampleResults;
const byName = <T>(rs: (AnalysisResult | ErrorResult)[], name: string): T => rs.find((r) => r.name === name) as T;

test('validate a logistic model (crc example): rms rows, apparent C = the model\'s C, n = the model\'s n, seeded', async () => {
  const rs = await run('crc-liver-mets-capecitabine', 'v1: validate model1 with bootstrap 25, seed 7\nv2: validate model1 with bootstrap 25, seed 7\nv3: validate model1 with bootstrap 25, seed 8, conf 90%');
  const m = byName<LogisticResult>(rs, 'model1');
  const v = byName<ValidateResult>(rs, 'v1');
  assert.ok(!isErrorResult(v), JSON.stringify(v));
  assert.deepEqual(v.indexes.map((i) => i.index), ['Dxy', 'R2', 'Intercept', 'Slope', 'Emax', 'D', 'U', 'Q', 'B', 'g', 'gp']);
  assert.equal(v.modelKind, 'logistic');
  assert.equal(v.cohort, 'train');
  assert.equal(v.n, m.n);
  assert.equal(v.B, 25);
  assert.equal(v.seed, 7);
  assert.ok(Math.abs((v.cIndex.indexOrig as number) - (m.cIndex as number)) < 1e-12, `${v.cIndex.indexOrig} vs ${m.cIndex}`);
  assert.ok(Math.abs((v.indexes[1].indexOrig as number) - (m.r2Nagelkerke as number)) < 1e-12, 'apparent R2 = Nagelkerke R2 of the fit');
  assert.ok((v.cIndex.optimism as number) > 0 && (v.cIndex.indexCorrected as number) < (v.cIndex.indexOrig as number));
  const [lo, hi] = v.cIndex.ci as [number, number];
  assert.ok(lo < (v.cIndex.indexOrig as number) && (v.cIndex.indexOrig as number) < hi);
  assert.deepEqual(byName<ValidateResult>(rs, 'v2').indexes, v.indexes, 'same seed, same numbers');
  const v3 = byName<ValidateResult>(rs, 'v3');
  assert.notDeepEqual(v3.indexes, v.indexes, 'another seed, other resamples');
  assert.equal(v3.cIndex.conf, 0.9);
  const [t1, t2] = resultTables(v);
  assert.deepEqual(t1.rows.slice(0, 3).map((r) => r[0].text), ['Dxy', 'C (Dxy/2 + 0.5)', 'R2']);
  assert.equal(t1.rows[1][1].raw, v.cIndex.indexOrig);
  assert.equal(t2.columns[1], '95% CI (bootstrap percentile)');
});

test('validate a Cox model (tace example): rms rows, apparent C = coxph\'s concordance', async () => {
  const rs = await run('tace-exosomal-mirna', 'cm: cox dss ~ age + mir122_low in lc\nvc: validate cm with bootstrap 20, seed 1\ncu: cox dss ~ age + mir122_low in lc with univariate\nvu: validate cu\nvin: validate cm in lc\ncohort other = cirrhosis == "no"\nvout: validate cm with bootstrap 5 in other');
  const c = byName<CoxResult>(rs, 'cm');
  const v = byName<ValidateResult>(rs, 'vc');
  assert.ok(!isErrorResult(v), JSON.stringify(v));
  assert.deepEqual(v.indexes.map((i) => i.index), ['Dxy', 'R2', 'Slope', 'D', 'U', 'Q', 'g']);
  assert.equal(v.modelKind, 'cox');
  assert.equal(v.n, c.n);
  assert.ok(Math.abs((v.cIndex.indexOrig as number) - (c.concordance as number)) < 1e-12, `${v.cIndex.indexOrig} vs ${c.concordance}`);
  assert.match((byName<ErrorResult>(rs, 'vu')).error, /with univariate/);
  assert.ok(!isErrorResult(byName<ValidateResult>(rs, 'vin')), 'in the fitting cohort: allowed');
  assert.match((byName<ErrorResult>(rs, 'vout')).error, /resamples the rows cm was fitted on/);
});

test('the checker refuses validate of a non-model and of an unknown model, at the model name', () => {
  const header = 'plates "p/*.txt"\nclinical "c.csv" key patient\nsamples "{patient}-{timepoint}"\n';
  const diags = (body: string) => {
    const r = parseStudy(header + body, 's.qstudy');
    assert.deepEqual(r.diagnostics, []);
    return checkStudy(r.ast, SPEC_CONTEXT).map((d) => [d.code, d.range.start.line - 3, d.range.start.character, d.range.end.character]);
  };
  assert.deepEqual(diags('t1: describe age\nvalidate t1 with bootstrap 10'), [['study-type', 1, 9, 11]]);
  assert.deepEqual(diags('m1: logistic effective ~ age\nvalidate m2'), [['study-unknown-model', 1, 9, 11]]);
  assert.deepEqual(diags('m1: logistic effective ~ age\nvalidate m1 with bootstrap 0'), [['study-option-value', 1, 27, 28]]);
  assert.deepEqual(diags('outcome os = time age event effective\ncm: cox os ~ age\nvalidate cm with bootstrap 10, seed 2'), []);
});
