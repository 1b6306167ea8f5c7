/** The bundled example studies run end to end through the engine, every analysis succeeds. */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { assertClose, readGolden, repoRoot } from '../helpers';
import { sharedExampleRun } from '../studyRuns';
import { methodsLines } from '../../../src/shared/report/format';
import { isErrorResult, type AnalysisResult, type CompareResult, type LinearResult, type DescribeResult, type LogisticResult, type KmResult, type CorrelateResult, type CoxResult, type RocResult, type StabilityResult, type NomogramResult, type CalibrateResult, type FoldChangeResult } from '../../../src/shared/report/types';

async function run(name: string) {
  const { report, diagnostics } = await sharedExampleRun(name);
  assert.ok(report, `${name} did not run: ${diagnostics.filter((d) => d.severity === 'error').map((d) => d.message).join('; ')}`);
  const failed = report.results.filter(isErrorResult);
  assert.deepEqual(failed.map((f) => `${f.name}: ${f.error}`), []);
  return report;
}
const byName = <T extends AnalysisResult>(r: { results: unknown[] }, n: string) => r.results.find((x) => (x as AnalysisResult).name === n) as T;

test('seed 000 example (LightCycler, spike-in, KM, Cox) runs', async () => {
  const r = await run('tace-exosomal-mirna');
  assert.equal(r.data.subjects, 75);
  const km = byName<KmResult>(r, 'km_dss');
  assert.equal(km.groups.length, 2);
  assert.equal(km.cohort, 'lc');
  assert.equal(km.groups[0].n + km.groups[1].n, 57);
  // QC of the planted defects reaches the report, with paths relative to the study.
  assert.ok(r.data.qc.some((q) => q.code === 'ntc-amplified' && q.file.startsWith('plates/')));
  // The numbers quoted in examples/tace-exosomal-mirna/README.md.
  const alt = byName<CorrelateResult>(r, 'corr_mir122').rows.find((x) => x.variable === 'alt')!;
  assert.equal(alt.r!.toFixed(4), '0.3274');
  assert.equal(km.logrank!.p.toFixed(4), '0.0381');
  const cox = byName<CoxResult>(r, 'cox_univariate').terms.find((t) => t.term === 'mir122_low')!;
  assert.deepEqual([cox.hr, ...cox.ci].map((x) => x!.toFixed(3)), ['2.486', '1.059', '6.480']);
  const nom = byName<NomogramResult>(r, 'nomogram_dss');
  assert.deepEqual(nom.axes.map((a) => a.ticks[1].points.toFixed(1)), ['43.9', '7.4', '55.7', '32.7', '100.0']);
  assert.deepEqual(nom.survival![1].ticks.filter((t) => [0.85, 0.5].includes(Number(t.value.toFixed(2)))).map((t) => t.points.toFixed(1)), ['173.3', '16.2']);
  const cal = byName<CalibrateResult>(r, 'calibrate_dss').cox!;
  assert.deepEqual(cal.rows.map((x) => [x.predicted, x.observed, x.observedCorrected].map((v) => v!.toFixed(3))), [['0.484', '0.499', '0.612'], ['0.669', '0.602', '0.570'], ['0.815', '0.840', '0.771']]);
});

test('seed 001 example (CFX Maestro, Mann-Whitney, Wilcoxon, ROC) runs', async () => {
  const r = await run('sorafenib-mir221');
  assert.equal(r.data.subjects, 78);
  const roc = byName<RocResult>(r, 'roc_pre').evaluations[0];
  assert.equal(roc.auc!.toFixed(3), '0.819'); // as quoted in its README
  // linear regression and ANCOVA (README rows)
  const adj = byName<CompareResult>(r, 'pre_by_response_adj');
  assert.deepEqual([adj.statistic!.toFixed(1), adj.ancova!.means.map((m) => m.mean!.toFixed(2)).join(' ')], ['34.8', '6.99 8.17']);
  assert.equal(byName<LinearResult>(r, 'mir221_age').terms[1].coef!.toFixed(3), '-0.025');
});

test('seed 002 example (QuantStudio, sample sheet, ddCq, split, logistic, nomogram, calibration) runs', async () => {
  const r = await run('crc-liver-mets-capecitabine');
  const t1 = byName<DescribeResult>(r, 'table1_sets');
  assert.deepEqual(t1.groupLevels, ['train', 'validation']); // `by split`
  const m = byName<LogisticResult>(r, 'model1');
  assert.deepEqual(m.terms.map((t) => t.term), ['(Intercept)', 'cea', 'miR-21 > 2.0', 'miR-122 < 0.5', 'tumor_size', 'bmi', 'age']);
  assert.equal(m.n + m.dropped, 176); // the training set of a 70/30 split of 252
  assert.equal(m.terms[1].or!.toFixed(3), '0.902'); // as quoted in its README
  // `group` (patient/control) from the sample sheet is a calibrator field, not a level: variables are plain `miR-21`.
  assert.equal(r.methods?.expression.includes('ddCq') || r.methods?.expression.includes('calibrator'), true);
});

test('real-data example: `foldchange GLP1, TFF1 by site` gives per-site geometric mean NRQs with SE and CI as R by hand', async () => {
  const r = await run('real-cfx-reference-genes');
  const f = byName<FoldChangeResult>(r, 'fold');
  const g = readGolden('propagation.json').cfx;
  assert.equal(f.quantity, 'NRQ');
  for (const e of g.groupsOneRef) {
    const mine = f.groups.find((x) => x.target === 'GLP1' && x.group === e.group)!;
    assert.equal(mine.n, e.n);
    assertClose(mine.value, e.value, 1e-6, 0, `GM ${e.group}`);
    assertClose(mine.se, e.se, 1e-6, 0, `SE ${e.group}`);
    assertClose(mine.ci![0], e.ci[0], 1e-6, 0, `CI low ${e.group}`);
    assertClose(mine.ci![1], e.ci[1], 1e-6, 0, `CI high ${e.group}`);
  }
  for (const e of g.oneRef) {
    const mine = f.samples.find((x) => x.target === 'GLP1' && x.sample === e.sample)!;
    assertClose(mine.value, e.nrq, 1e-6, 0, `NRQ ${e.sample}`);
    assertClose(mine.se, e.nrqSe, 1e-6, 0, `SE ${e.sample}`);
  }
  // The methods lines give each efficiency with its standard-curve SE.
  assert.match(methodsLines(r).find((l) => l.label === 'Amplification efficiency')!.text, /GLP1: E = 2\.268 per cycle, SE 0\.099 \(standard curve/);
  // The geNorm table of the same study: PYY (lowest M) and GLP1 share rank 1, TFF1 is rank 3 (issue 14 item 8).
  const st = byName<StabilityResult>(r, 'stab');
  assert.deepEqual(st.genorm!.ranks, [{ target: 'GLP1', rank: 1 }, { target: 'PYY', rank: 1 }, { target: 'TFF1', rank: 3 }]);
});

test('real-data example (HTqPCR CFX export: standard curves, stability, non-detects as max-cq) runs', async () => {
  const r = await run('real-cfx-reference-genes');
  assert.equal(r.data.samples, 47);
  // The bytes are the HTqPCR file the expression fixtures use (test/fixtures/expression/PROVENANCE.md).
  assert.ok(fs.readFileSync(path.join(repoRoot, 'examples', 'real-cfx-reference-genes', 'plates', 'CFX_sample.txt'))
    .equals(fs.readFileSync(path.join(repoRoot, 'test', 'fixtures', 'expression', 'CFX_sample.txt'))));
  // The numbers quoted in examples/real-cfx-reference-genes/README.md.
  const curves = Object.fromEntries(r.methods!.standardCurves!.map((c) => [c.target, c]));
  assert.deepEqual([curves.GLP1.slope!.toFixed(3), curves.GLP1.r2!.toFixed(4), curves.GLP1.efficiencyPercent!.toFixed(1)], ['-2.811', '0.9668', '126.8']);
  assert.deepEqual(curves.GLP1.efficiencyCi!.map((e) => ((e - 1) * 100).toFixed(1)), ['108.2', '152.7']);
  assert.deepEqual([curves.PYY.slope!.toFixed(3), curves.PYY.r2!.toFixed(4), curves.PYY.efficiencyPercent!.toFixed(1)], ['-3.183', '0.9868', '106.2']);
  assert.deepEqual([curves.TFF1.slope!.toFixed(3), curves.TFF1.r2!.toFixed(4), curves.TFF1.efficiencyPercent!.toFixed(1)], ['-3.072', '0.9601', '111.6']);
  assert.ok(r.data.qc.some((q) => q.code === 'std-efficiency' && /GLP1/.test(q.message)));
  const st = byName<StabilityResult>(r, 'stab');
  assert.deepEqual(st.normfinder!.stability.map((x) => [x.target, x.value.toFixed(3)]), [['PYY', '0.787'], ['GLP1', '1.212'], ['TFF1', '1.290']]);
  assert.deepEqual(st.normfinder!.bestPair, ['GLP1', 'PYY']);
  assert.equal(st.normfinder!.bestPairValue!.toFixed(3), '0.769');
  assert.deepEqual(st.genorm!.m.map((x) => [x.target, x.m.toFixed(2)]), [['PYY', '2.13'], ['GLP1', '2.72'], ['TFF1', '3.02']]);
  assert.deepEqual(st.genorm!.ranking.slice(0, 2), ['GLP1', 'PYY']);
  assert.equal(st.genorm!.v[0].v.toFixed(2), '0.98');
  const sites = byName<DescribeResult>(r, 'sites');
  assert.deepEqual(sites.rows.map((x) => [x.variable, x.test, x.p!.toFixed(4)]), [['GLP1', 'Kruskal-Wallis', '0.0010'], ['TFF1', 'Kruskal-Wallis', '0.1800']]);
  assert.match(r.methods!.nondetect, /35/);
  // Against R reading the same file (test/golden/expression-real.R, "example"): efficiencies and Kruskal-Wallis.
  const g = readGolden('expression-real.json').example;
  for (const e of r.methods!.efficiencies) assertClose(e.value, g.efficiency[e.target], 1e-6, 0, `E ${e.target}`);
  for (const row of sites.rows) {
    const k = g.kruskal[row.variable];
    assert.equal(sites.n, k.n);
    assertClose(row.statistic, k.statistic, 1e-6, 0, `${row.variable} H`);
    assertClose(row.p, k.p, 1e-6, 0, `${row.variable} p`);
  }
});
