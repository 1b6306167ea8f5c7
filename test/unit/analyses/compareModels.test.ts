/**
 * `compare-models` and the multi-marker `roc` as analyses: the glue around the R-checked statistics
 * (test/unit/stats/compareModels.test.ts). Checked against the labelled fits of the same study: with no row lost
 * to the refit, the LR statistic is the difference of the models' deviances (Cox: 2 Δ log-likelihood), the AUCs
 * are those of `roc MODEL`, the ΔC's C is the cox line's concordance; located checker errors for wrong pairs.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { assertClose } from '../helpers';
import { resultNamed, runExtraLines } from './exampleRun';
import { checkStudy, parseStudy } from '../../../src/engine/study';
import { SPEC_CONTEXT } from '../../../src/engine/study/examples';
import { pchisqUpper } from '../../../src/engine/stats/dist';
import { resultTables } from '../../../src/shared/report/kinds';
import { type AnalysisResult, type CompareModelsResult, type CoxResult, type ErrorResult, type LogisticResult, type RocResult } from '../../../src/shared/report/types';

/** The example's run with `extra`: its analyses, and of the example's own those on the lines `keep` matches. */
async function run(example: string, extra: string, keep?: RegExp): Promise<(AnalysisResult | ErrorResult)[]> {
  const { report, diagnostics } = await runExtraLines(example, extra, keep);
  assert.ok(report, diagnostics.filter((d) => d.severity === 'error').map((d) => d.message).join('; '));
  return report.results;
}
const byName = resultNamed;

test('compare-models (logistic) on the crc example: LR test, paired ΔAUC per cohort, NRI/IDI, unpaired across fits', async () => {
  const rs = await run('crc-liver-mets-capecitabine', '\nrocm0: roc model0 in train, validation\nmv: logistic effective ~ cea + tumor_size + bmi + age in validation\ncmu: compare-models model0 vs mv\n'
    + 'rocms: roc model0, model1 in train, validation\nrocbad: roc model0, mv\n', /^(compare-models model0 vs model1|roc model1) in /);
  const cm = rs.find((r) => r.kind === 'compare-models' && r.name !== 'cmu') as CompareModelsResult;
  const m0 = byName<LogisticResult>(rs, 'model0'), m1 = byName<LogisticResult>(rs, 'model1');
  assert.equal(m0.n, m1.n, 'no row lost to the refit in this example');
  assert.equal(cm.nested, true);
  assertClose(cm.lrt!.chisq, m0.deviance! - m1.deviance!, 1e-9, 0, 'LR = Δ deviance');
  assert.equal(cm.lrt!.df, 2);
  assertClose(cm.lrt!.p, pchisqUpper(m0.deviance! - m1.deviance!, 2), 1e-9, 0, 'LR p');
  const roc1 = rs.find((r) => r.kind === 'roc' && (r as RocResult).model === 'model1') as RocResult;
  const roc0 = byName<RocResult>(rs, 'rocm0');
  assert.deepEqual(cm.evaluations.map((e) => e.cohort), ['train', 'validation']);
  cm.evaluations.forEach((e, k) => {
    assert.equal(e.paired, true);
    assert.equal(e.n, roc1.evaluations[k].n);
    assertClose(e.value1, roc0.evaluations[k].auc, 1e-12, 0, `${e.cohort} AUC model0`);
    assertClose(e.value2, roc1.evaluations[k].auc, 1e-12, 0, `${e.cohort} AUC model1`);
    assertClose(e.difference, (e.value2 as number) - (e.value1 as number), 1e-12, 0, 'ΔAUC');
    assert.ok(e.ci![0]! < e.difference! && e.difference! < e.ci![1]!);
    assert.deepEqual(e.nriCategorical!.cutoffs, [0.3, 0.6]);
    assert.ok(e.nri && e.idi && e.curves);
  });
  assert.deepEqual(resultTables(cm).map((t) => t.id), ['lrt', 'discrimination', 'reclassification']);
  const cmu = byName<CompareModelsResult>(rs, 'cmu');
  assert.equal(cmu.lrt, null);
  assert.equal(cmu.evaluations[0].paired, false);
  assert.equal(cmu.evaluations[0].test, 'DeLong unpaired');
  assert.equal(cmu.evaluations[0].ci, null);
  assertClose(cmu.evaluations[0].value1, roc0.evaluations[0].auc, 1e-12, 0, 'model0 in its own cohort');
  // the same pairs overlaid by `roc model0, model1`: the same AUCs, the same DeLong test (difference model0 − model1)
  const rocms = byName<RocResult>(rs, 'rocms');
  assert.deepEqual(rocms.evaluations.map((e) => `${e.marker}:${e.cohort}`), ['model0:train', 'model1:train', 'model0:validation', 'model1:validation']);
  rocms.comparisons!.forEach((c, k) => {
    assertClose(c.difference, -cm.evaluations[k].difference!, 1e-12, 0, 'ΔAUC');
    assertClose(c.p, cm.evaluations[k].p, 1e-12, 0, 'DeLong p');
  });
  const bad = rs.find((r) => r.name === 'rocbad') as ErrorResult;
  assert.match(bad.error, /fitted in different cohorts/);
});

test('roc A, B predicts y: the single-marker AUCs, one DeLong paired test per pair, adjusted p', async () => {
  const rs = await run('crc-liver-mets-capecitabine', '\nroc3: roc miR-21, miR-122, cea predicts effective in train, validation with adjust holm\n', /^roc_(both|mir21|mir122):/);
  const both = byName<RocResult>(rs, 'roc_both');
  assert.deepEqual(both.evaluations.map((e) => e.auc), [byName<RocResult>(rs, 'roc_mir21'), byName<RocResult>(rs, 'roc_mir122')].map((r) => r.evaluations[0].auc));
  assert.equal(both.comparisons!.length, 1);
  assert.equal(both.adjust, undefined);
  // miR-21 is higher in the responders and miR-122 lower: pROC's roc.test warns about such a pair, and so do we.
  assert.deepEqual(both.evaluations.map((e) => e.direction), ['<', '>']);
  assert.deepEqual(both.warnings, ['In cohort all, miR-21 is higher in the cases and miR-122 lower (pROC directions < and >): DeLong\'s paired test '
    + 'compares the two AUCs as each curve was oriented by the data; pROC warns that it should not be applied to curves with a different direction']);
  const r3 = byName<RocResult>(rs, 'roc3');
  assert.deepEqual(r3.comparisons!.map((c) => `${c.cohort}:${c.marker1}/${c.marker2}`), ['train:miR-21/miR-122', 'train:miR-21/cea', 'train:miR-122/cea', 'validation:miR-21/miR-122', 'validation:miR-21/cea', 'validation:miR-122/cea']);
  assert.equal(r3.adjust, 'Holm');
  for (const c of r3.comparisons!) assert.ok(c.pAdjusted! >= c.p!);
  // one warning per pair of opposite directions in a cohort, none for a pair in the same direction
  const way = new Map(r3.evaluations.map((e) => [`${e.cohort}:${e.marker}`, e.direction]));
  const opposite = r3.comparisons!.filter((c) => way.get(`${c.cohort}:${c.marker1}`) !== way.get(`${c.cohort}:${c.marker2}`));
  assert.ok(opposite.length > 0 && opposite.length < r3.comparisons!.length, `${opposite.length} of ${r3.comparisons!.length} pairs in opposite directions`);
  assert.deepEqual(r3.warnings!.map((w) => /^In cohort (\w+), (\S+) is \w+ in the cases and (\S+) /.exec(w)!.slice(1).join(':')), opposite.map((c) => `${c.cohort}:${c.marker1}:${c.marker2}`));
  assert.deepEqual(resultTables(r3).map((t) => t.id), ['auc', 'comparisons']);
});

test('compare-models (Cox) on the tace example: LR test = 2 Δ log-likelihood, ΔC with the cox lines\' concordance', async () => {
  const rs = await run('tace-exosomal-mirna', '\nc0: cox dss ~ cp_b + tumor_diameter > 3 in lc\nc1: cox dss ~ cp_b + tumor_diameter > 3 + mir122_low in lc\ncc: compare-models c0 vs c1\n'
    + 'c2: cox dss ~ cp_b + mir122_low in lc\ncn: compare-models c0 vs c2\nca: cox dss ~ cp_b + tumor_diameter > 3\ncu: compare-models c0 vs ca\n');
  const c0 = byName<CoxResult>(rs, 'c0'), c1 = byName<CoxResult>(rs, 'c1'), cc = byName<CompareModelsResult>(rs, 'cc');
  assert.equal(c0.n, c1.n);
  assertClose(cc.lrt!.chisq, 2 * (c1.loglik![1]! - c0.loglik![1]!), 1e-9, 0, 'LR');
  assert.equal(cc.lrt!.df, 1);
  const e = cc.evaluations[0];
  assert.equal(e.measure, 'C');
  assertClose(e.value1, c0.concordance, 1e-12, 0, 'C c0');
  assertClose(e.value2, c1.concordance, 1e-12, 0, 'C c1');
  assert.ok(e.p !== null && e.p > 0 && e.p <= 1 && e.nri === undefined);
  const cn = byName<CompareModelsResult>(rs, 'cn');
  assert.equal(cn.nested, false);
  assert.equal(cn.lrt, null);
  assert.ok(cn.notes!.some((x) => /not nested/.test(x)));
  assert.equal(cn.evaluations[0].paired, true);
  const cu = byName<CompareModelsResult>(rs, 'cu'), ca = byName<CoxResult>(rs, 'ca');
  assert.equal(cu.evaluations[0].paired, false);
  assert.equal(cu.evaluations[0].cohort, 'lc vs all');
  assertClose(cu.evaluations[0].value1, c0.concordance, 1e-12, 0, 'c0 in lc');
  assertClose(cu.evaluations[0].value2, ca.concordance, 1e-12, 0, 'ca in all');
  assert.equal(cu.evaluations[0].ci, null);
});

test('the checker: models of different kinds or outcomes, the same model twice, an unknown model → located errors', () => {
  const text = 'plates "p/*.txt"\nclinical "c.csv" key patient\noutcome dss = time dss_months event dss_death\n'
    + 'm1: logistic effective ~ age\nm2: cox dss ~ age\nm3: logistic dss_death ~ age\n'
    + 'compare-models m1 vs m2\ncompare-models m1 vs m3\ncompare-models m1 vs m1\ncompare-models m1 vs nope\ncompare-models m1 m3\n'
    + 'm4: cox dss ~ age + bmi\ncompare-models m2 vs m4 with cutoffs 0.2\nroc age predicts effective with adjust holm\nroc m1, m3\n';
  const { ast, diagnostics } = parseStudy(text, 's.qstudy');
  assert.deepEqual(diagnostics.map((d) => [d.code, d.range.start.line]), [['study-syntax', 10]]);
  const d = checkStudy(ast, SPEC_CONTEXT).map((x) => [x.code, x.range.start.line, x.range.start.character, /same kind|same outcome|two different|No model|logistic models only|several markers/.exec(x.message)?.[0]]);
  assert.deepEqual(d, [
    ['study-type', 6, 21, 'same kind'], ['study-type', 7, 21, 'same outcome'], ['study-type', 8, 21, 'two different'], ['study-unknown-model', 9, 21, 'No model'],
    ['study-type', 12, 29, 'logistic models only'], ['study-type', 13, 32, 'several markers'], ['study-type', 14, 8, 'same outcome'],
  ]);
});
