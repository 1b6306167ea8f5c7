import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { assertClose, assertAllClose, fixture, readGolden, tempDir } from '../helpers';
import { runStudy } from '../../../src/engine/study/runner';
import { nodeStudyIO } from '../../../src/cli/nodeIO';
import type { Report, AnalysisResult, ErrorResult, CompareResult, CorrelateResult, CoxResult, LogisticResult, KmResult, RocResult, DescribeResult, CalibrateResult, HosmerLemeshowResult, DcaResult, NomogramResult, StabilityResult } from '../../../src/shared/report/types';
import { isErrorResult } from '../../../src/shared/report/types';
import { pairedT } from '../../../src/engine/stats/tests';
import { pearson } from '../../../src/engine/stats/correlation';
import { kaplanMeier } from '../../../src/engine/stats/km';
import { roc } from '../../../src/engine/stats/roc';
import { logisticRegression } from '../../../src/engine/stats/logistic';
import { loadTable } from '../../../src/engine/expression';

const studyPath = fixture('runner', 'basic', 'study.qstudy');
const studyText = fs.readFileSync(studyPath, 'utf8');

let cached: Promise<{ report: Report | null; diagnostics: any[] }> | null = null;
function run() {
  cached ??= runStudy(studyText, studyPath, nodeStudyIO());
  return cached;
}
function result<T extends AnalysisResult>(r: Report, name: string): T {
  const x = r.results.find((y) => y.name === name);
  assert.ok(x, `no result ${name}`);
  assert.ok(!isErrorResult(x!), `${name} failed: ${(x as ErrorResult).error}`);
  return x as T;
}

test('the crafted study runs end to end: every analysis kind, no failed analysis', async () => {
  const { report, diagnostics } = await run();
  assert.ok(report, diagnostics.map((d) => d.message).join('\n'));
  assert.deepEqual(report!.results.filter(isErrorResult), []);
  const kinds = new Set(report!.results.map((r) => r.kind));
  for (const k of ['describe', 'compare', 'correlate', 'km', 'cox', 'logistic', 'nomogram', 'roc', 'calibrate', 'hosmer-lemeshow', 'dca', 'stability']) assert.ok(kinds.has(k as any), k);
  assert.equal(report!.version, 1);
  assert.equal(report!.study, 'Runner crafted study');
  assert.equal(report!.data.plates, 2);
  assert.equal(report!.data.wells, 482);
  assert.equal(report!.data.samples, 80);
  assert.equal(report!.data.subjects, 41);            // clinical rows (P41 has no qPCR)
  // QC entries carry file and 1-based line: the Undetermined replicate is on line 6 of plate2.csv.
  const few = report!.data.qc.find((q) => q.code === 'few-replicates');
  assert.ok(few && few.file.endsWith('plate2.csv') && few.line === 6, JSON.stringify(few));
  assert.ok(diagnostics.some((d) => d.code === 'study-subject-no-expression' && d.file.endsWith('clinical.csv') && d.range.start.line === 41));
  assert.deepEqual(report!.methods!.references, ['cel-miR-39']);
  // results carry their line in the study
  assert.equal(result(report!, 'coxAll').line, 28);
});

test('end to end against R (dCq -> 2^-dCq -> pivot -> join by hand; t.test paired, cor.test, coxph, glm)', async () => {
  const g = readGolden('runner.json');
  const { report } = await run();
  const r = report!;
  const pt = result<CompareResult>(r, 'paired');
  assert.equal(pt.test, 'paired t');
  assert.equal(pt.n, g.pairedT.n);
  assertClose(pt.statistic, g.pairedT.statistic, 1e-6, 0, 't');
  assertClose(pt.df as number, g.pairedT.df, 1e-12, 0, 'df');
  assertClose(pt.p, g.pairedT.p, 1e-6, 0, 'p');
  assertClose(pt.estimate, g.pairedT.estimate, 1e-6, 0, 'estimate');
  assertAllClose(pt.ci as number[], g.pairedT.ci, 1e-6, 0, 'ci');

  const c = result<CorrelateResult>(r, 'corr');
  const age = c.rows.find((x) => x.variable === 'age')!;
  const afp = c.rows.find((x) => x.variable === 'afp')!;
  assert.equal(age.n, g.corAge.n); assert.equal(afp.n, g.corAfp.n);
  assertClose(age.r, g.corAge.r, 1e-6, 0, 'r age'); assertClose(age.p, g.corAge.p, 1e-6, 0, 'p age');
  assertAllClose(age.ci as number[], g.corAge.ci, 1e-6, 0, 'ci age');
  assertClose(afp.r, g.corAfp.r, 1e-6, 0, 'r afp'); assertClose(afp.p, g.corAfp.p, 1e-6, 0, 'p afp');

  const cx = result<CoxResult>(r, 'coxAll');
  assert.equal(cx.n, g.cox.n); assert.equal(cx.events, g.cox.events);
  assert.deepEqual(cx.terms.map((t) => t.term), ['mir122_pre', 'age']);
  assertAllClose(cx.terms.map((t) => t.coef), g.cox.coef, 1e-6, 0, 'cox coef');
  assertAllClose(cx.terms.map((t) => t.se), g.cox.se, 1e-6, 0, 'cox se');
  assertAllClose(cx.terms.map((t) => t.p), g.cox.p, 1e-6, 0, 'cox p');
  assertAllClose(cx.terms.map((t) => t.ci[0]), g.cox.hrLo, 1e-6, 0, 'cox HR lo');
  assertAllClose(cx.terms.map((t) => t.ci[1]), g.cox.hrHi, 1e-6, 0, 'cox HR hi');
  assertClose(cx.lrt!.chisq, g.cox.lrt, 1e-6, 0, 'lrt');
  assertClose(cx.wald!.chisq, g.cox.wald, 1e-6, 0, 'wald');
  assertClose(cx.score!.chisq, g.cox.score, 1e-6, 0, 'score');
  assertClose(cx.concordance, g.cox.concordance, 1e-6, 0, 'concordance');

  const lg = result<LogisticResult>(r, 'glmAll');
  assert.equal(lg.n, g.glm.n);
  assert.deepEqual(lg.terms.map((t) => t.term), ['(Intercept)', 'mir21_pre', 'age']);
  assertAllClose(lg.terms.map((t) => t.coef), g.glm.coef, 1e-6, 0, 'glm coef');
  assertAllClose(lg.terms.map((t) => t.se), g.glm.se, 1e-6, 0, 'glm se');
  assertAllClose(lg.terms.map((t) => t.p), g.glm.p, 1e-6, 0, 'glm p');
  assertAllClose(lg.terms.map((t) => t.ci[0]), g.glm.ciLo, 1e-6, 0, 'glm ci lo');
  assertClose(lg.aic, g.glm.aic, 1e-6, 0, 'aic');
});

/** The subject table rebuilt from the runner's own outputs, for cross-checks against stats called directly. */
function clinical() {
  const t = loadTable(fs.readFileSync(fixture('runner', 'basic', 'clinical.csv'), 'utf8'), 'clinical.csv', { key: 'patient' });
  return new Map(t.rows.map((r) => [String(r.patient), r]));
}

test('compare, correlate, km and roc cross-checked against the stats module called directly', async () => {
  const { report } = await run();
  const r = report!;
  const pt = result<CompareResult>(r, 'paired');
  const direct = pairedT(pt.pairs!.map((p) => p.a), pt.pairs!.map((p) => p.b));
  assert.equal(pt.statistic, direct.statistic);
  assert.equal(pt.p, direct.p);

  const corr = result<CorrelateResult>(r, 'corr');
  const pts = corr.points!['afp'];
  const pc = pearson(pts.map((p) => p.x), pts.map((p) => p.y));
  assert.equal(corr.rows[1].r, pc.r);
  assert.equal(corr.rows[1].p, pc.p);
  assert.equal(corr.rows[1].n, 39); // P06 has afp NA
  assert.equal(corr.dropped, 1);

  // roc miR-21@pre predicts effective == roc on (mir21_pre, effective) pairs (log10 is monotone)
  const aux = result<CorrelateResult>(r, 'aux').points!['effective'];
  const rd = roc(aux.map((p) => p.y), aux.map((p) => p.x), { direction: 'auto' });
  const rc = result<RocResult>(r, 'roc 2');
  assert.equal(rc.evaluations[0].n, aux.length);
  assertClose(rc.evaluations[0].auc, rd.auc, 1e-12, 0, 'marker AUC');
  assertClose(rc.evaluations[0].sensitivity, rd.best.sensitivity, 1e-12, 0, 'sensitivity');
  assertClose(rc.evaluations[0].specificity, rd.best.specificity, 1e-12, 0, 'specificity'); // cutoffs differ: midpoints on another scale

  // glmAll = logisticRegression on the same pairs plus age
  const cl = clinical();
  const lgDirect = logisticRegression(aux.map((p) => p.y), aux.map((p) => [p.x, cl.get(p.id!)!.age as number]), ['mir21_pre', 'age']);
  const lg = result<LogisticResult>(r, 'glmAll');
  assertAllClose(lg.terms.map((t) => t.coef), lgDirect.coef, 1e-12, 0, 'glm coef');

  // km dss by mir122_low in lc: sizes, events and the log-rank statistic against km/logrank called directly
  const km = result<KmResult>(r, 'km 1');
  assert.deepEqual(km.groups.map((g) => g.label), ['mir122_low=0', 'mir122_low=1']);
  const lc = [...cl.values()].filter((x) => x.cirrhosis === 'yes' && x.patient !== 'P41');
  assert.equal(km.n, lc.length);
  assert.equal(km.groups[1].n, Math.ceil(lc.length / 2)); // median split within the LC cohort (no ties)
  const all = kaplanMeier(lc.map((x) => x.dss_months as number), lc.map((x) => x.dss_death as number));
  assert.equal(all.events, km.groups[0].events + km.groups[1].events);
  assert.ok(km.logrank && km.logrank.df === 1);
  assert.deepEqual(km.atRisk!.times, [0, 12, 24]);
  assert.deepEqual(km.atRisk!.rows.map((x) => x.n[0]), km.groups.map((g) => g.n));
});

test('a model evaluated in other cohorts: fixed direction, train AUC = C-index, cohorts partition the subjects', async () => {
  const { report } = await run();
  const r = report!;
  const m1 = result<LogisticResult>(r, 'model1');
  assert.equal(m1.cohort, 'train');
  assert.deepEqual(m1.terms.map((t) => t.term), ['(Intercept)', 'mir21_pre', 'age', 'tumor_size > 3']);
  for (const t of m1.terms) { assertClose(t.or, Math.exp(t.coef!), 1e-12); assertClose(t.wald, (t.coef! / t.se!) ** 2, 1e-12); }
  const roc1 = result<RocResult>(r, 'roc 1');
  assert.deepEqual(roc1.evaluations.map((e) => e.cohort), ['train', 'validation']);
  assert.ok(roc1.evaluations.every((e) => e.direction === '<'));
  assertClose(roc1.evaluations[0].auc, m1.cIndex!, 1e-12, 0, 'train AUC = C-index');
  assert.equal(roc1.evaluations[0].n + roc1.evaluations[1].n, 40);
  assert.equal(m1.n + m1.dropped, 29); // 70 % of 41 clinical subjects by largest remainder = 29 (P41 has no qPCR)
});

test('model checks, nomogram, describe, univariate cox with a cut() factor, stability', async () => {
  const { report } = await run();
  const r = report!;
  const cal = result<CalibrateResult>(r, 'calibrate 1');
  assert.deepEqual(cal.evaluations.map((e) => [e.cohort, e.B]), [['train', 20], ['validation', 0]]);
  const hl = result<HosmerLemeshowResult>(r, 'hosmer-lemeshow 1');
  assert.equal(hl.evaluations.length, 2);
  const dca = result<DcaResult>(r, 'dca 1');
  assert.equal(dca.evaluations[0].thresholds.length, 19);
  assertClose(dca.evaluations[0].thresholds[18], 0.95, 1e-12);
  const nom = result<NomogramResult>(r, 'nomogram 1');
  assert.deepEqual(nom.axes.map((a) => a.term), ['mir21_pre', 'age', 'tumor_size > 3']);
  assert.deepEqual(nom.axes[2].ticks.map((t) => t.value), [0, 1]);
  assert.ok(Math.max(...nom.axes.flatMap((a) => a.ticks.map((t) => t.points))) <= 100 + 1e-9);
  const d = result<DescribeResult>(r, 'table1');
  assert.equal(d.by, 'effective');
  assert.deepEqual(d.groupLevels, ['0', '1']);
  assert.deepEqual(d.rows.map((x) => x.variable), ['age', 'sex', 'afp', 'child_pugh', 'cp_b']);
  assert.equal(d.rows[0].test, 'Student t');
  assert.equal(d.rows[3].type, 'categorical');
  const u = result<CoxResult>(r, 'cox 2');
  assert.equal(u.univariate, true);
  assert.deepEqual(u.terms.map((t) => t.term), ['mir122_pre', 'age_group[(50,65]]', 'age_group[(65,Inf]]', 'afp > 20']);
  assert.equal(u.terms.find((t) => t.term === 'afp > 20')!.n, 40);
  const st = result<StabilityResult>(r, 'stability 1');
  assert.ok(st.genorm && st.genorm.ranking.length === 3);
  const welch = result<CompareResult>(r, 'compare 3');
  assert.equal(welch.test, 'Welch t');
  const anova = result<CompareResult>(r, 'compare 2');
  assert.equal(anova.test, 'ANOVA');
  assert.deepEqual(anova.groups!.map((g) => g.label), ['A', 'B', 'C']);
});

// ---------------------------------------------------------------------------------------------------------------
// Errors with file:line:col

function tempStudy(files: Record<string, string>): string {
  const dir = tempDir('qpcr-runner-');
  for (const [f, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, f)), { recursive: true });
    fs.writeFileSync(path.join(dir, f), text);
  }
  return dir;
}

const basicDir = fixture('runner', 'basic');
const header = (plates: string) => `study "err"\nplates "${plates}"\nclinical "${path.join(basicDir, 'clinical.csv').replace(/\\/g, '/')}" key patient\nsamples "{patient}-{timepoint}"\nreference cel-miR-39\n`;

test('a glob matching nothing is an error at the plates statement', async () => {
  const dir = tempStudy({ 'study.qstudy': header('nothing/*.csv') + 'describe age\n' });
  const p = path.join(dir, 'study.qstudy');
  const { report, diagnostics } = await runStudy(fs.readFileSync(p, 'utf8'), p, nodeStudyIO());
  assert.equal(report, null);
  const e = diagnostics.find((d) => d.code === 'study-glob-empty');
  assert.ok(e, JSON.stringify(diagnostics));
  assert.equal(e.file, p);
  assert.equal(e.range.start.line, 1);
  assert.equal(e.range.start.character, 7);
});

test('an unknown column is an error with its exact range', async () => {
  const plates = path.join(basicDir, 'plates', '*.csv').replace(/\\/g, '/');
  const dir = tempStudy({ 'study.qstudy': header(plates) + 'compare age by sexx\n' });
  const p = path.join(dir, 'study.qstudy');
  const { report, diagnostics } = await runStudy(fs.readFileSync(p, 'utf8'), p, nodeStudyIO());
  const errs = diagnostics.filter((d) => d.severity === 'error');
  assert.ok(errs.length >= 1, JSON.stringify(diagnostics));
  const e = errs.find((d) => /sexx/.test(d.message))!;
  assert.ok(e, JSON.stringify(errs));
  assert.equal(e.file, p);
  assert.equal(e.range.start.line, 5);
  assert.equal(e.range.start.character, 15);
  if (report) assert.ok(report.results.every(isErrorResult));
});

test('a malformed plate is an import error with the plate file and line', async () => {
  const dir = tempStudy({
    'study.qstudy': header('plates/*.csv') + 'describe age\n',
    'plates/p1.csv': 'sample,target,cq\nP01-pre,cel-miR-39,24.1\nP01-pre,cel-miR-39,2x.5\n',
  });
  const p = path.join(dir, 'study.qstudy');
  const { report, diagnostics } = await runStudy(fs.readFileSync(p, 'utf8'), p, nodeStudyIO());
  assert.equal(report, null);
  const e = diagnostics.find((d) => d.code === 'cq-unparseable');
  assert.ok(e, JSON.stringify(diagnostics));
  assert.equal(e.file, path.join(dir, 'plates', 'p1.csv'));
  assert.equal(e.range.start.line, 2);
  assert.equal(e.range.start.character, 19);
  const s = diagnostics.find((d) => d.code === 'study-plate-errors')!;
  assert.equal(s.file, p);
  assert.equal(s.range.start.line, 1);
});

test('a failing analysis becomes an ErrorResult with its line; the others still run', async () => {
  const plates = path.join(basicDir, 'plates', '*.csv').replace(/\\/g, '/');
  const dir = tempStudy({ 'study.qstudy': header(plates) + 'logistic sex ~ age\ncompare age by sex\n' });
  const p = path.join(dir, 'study.qstudy');
  const { report, diagnostics } = await runStudy(fs.readFileSync(p, 'utf8'), p, nodeStudyIO());
  if (!report) { assert.ok(diagnostics.some((d) => d.severity === 'error' && d.range.start.line === 5), JSON.stringify(diagnostics)); return; }
  const [a, b] = report.results;
  assert.ok(isErrorResult(a));
  assert.equal((a as ErrorResult).line, 6);
  assert.match((a as ErrorResult).error, /categorical/);
  assert.ok(!isErrorResult(b));
});

test('cancellation stops the run with a diagnostic', async () => {
  const { report, diagnostics } = await runStudy(studyText, studyPath, nodeStudyIO(), { isCancelled: () => true });
  assert.equal(report, null);
  assert.ok(diagnostics.some((d) => d.code === 'study-cancelled'));
});

test('progress is reported in [0, 1] and reaches 1', async () => {
  const seen: number[] = [];
  const { report } = await runStudy(studyText, studyPath, nodeStudyIO(), { onProgress: (f) => seen.push(f) });
  assert.ok(report);
  assert.ok(seen.every((f) => f >= 0 && f <= 1));
  assert.equal(seen[seen.length - 1], 1);
  for (let i = 1; i < seen.length; i++) assert.ok(seen[i] >= seen[i - 1]);
});
