/**
 * `forest`: subgroup forests against test/golden/subgroup.R (coxph per subgroup with Breslow ties and profile CIs,
 * anova() of the marker × subgroup interaction) on the tace example's own lines, the multi-model forest against the
 * labelled cox lines, a logistic subgroup against the same logistic model fitted in a cohort, and the checker's errors.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { assertClose, readGolden } from '../helpers';
import { resultNamed, runExampleResults } from './exampleRun';
import { checkStudy, parseStudy } from '../../../src/engine/study';
import { SPEC_CONTEXT } from '../../../src/engine/study/examples';
import { resultTables } from '../../../src/shared/report/kinds';
import { chartsFor } from '../../../src/shared/charts/specs';
import { type AnalysisResult, type CoxResult, type ErrorResult, type ForestResult, type ForestRow, type LogisticResult } from '../../../src/shared/report/types';
import { sharedExampleRun } from '../studyRuns';

/** The tace example's own run (shared: studyRuns.ts), for the two tests that read its forest lines. */
async function taceResults(): Promise<readonly (AnalysisResult | ErrorResult)[]> {
  const { report, diagnostics } = await sharedExampleRun('tace-exosomal-mirna');
  assert.ok(report, diagnostics.filter((d) => d.severity === 'error').map((d) => d.message).join('; '));
  return report.results;
}
const run = runExampleResults;
const byName = resultNamed;

interface GoldenRow { n: number; events: number; hr: number; p: number; lo: number; hi: number }
interface GoldenModel { model: string; all: GoldenRow; groups: { variable: string; levels: (GoldenRow & { level: string })[]; interaction: { chisq: number; df: number; p: number } }[] }
const golden = readGolden<{ models: GoldenModel[] }>('subgroup.json');

function sameRow(row: ForestRow, g: GoldenRow, what: string): void {
  assert.equal(row.n, g.n, `${what} n`);
  assert.equal(row.events, g.events, `${what} events`);
  assertClose(row.estimate, g.hr, 1e-6, 0, `${what} HR`);
  assertClose(row.p, g.p, 1e-6, 0, `${what} p`);
  assertClose(row.ci[0], g.lo, 1e-6, 0, `${what} lower`);
  assertClose(row.ci[1], g.hi, 1e-6, 0, `${what} upper`);
}

test('forest by subgroups on the tace example = coxph per subgroup and anova of the interaction (R)', async () => {
  const rs = await taceResults();
  for (const [name, g] of [['forest_subgroups', golden.models[0]], ['forest_subgroups_adj', golden.models[1]]] as const) {
    const f = byName<ForestResult>(rs, name);
    assert.equal(f.mode, 'subgroups');
    assert.equal(f.measure, 'HR');
    assert.equal(f.marker, 'mir122_low');
    assert.equal(f.rows[0].label, 'All patients');
    sameRow(f.rows[0], g.all, `${name} all`);
    for (const gr of g.groups) {
      const rows = f.rows.filter((r) => r.variable === gr.variable);
      assert.deepEqual(rows.map((r) => r.label), gr.levels.map((l) => l.level), `${name} ${gr.variable} levels`);
      gr.levels.forEach((l, k) => sameRow(rows[k], l, `${name} ${gr.variable} = ${l.level}`));
      const it = rows[0].interaction!;
      assert.equal(it.df, gr.interaction.df);
      assertClose(it.chisq, gr.interaction.chisq, 1e-6, 1e-9, `${name} ${gr.variable} interaction χ²`);
      assertClose(it.p, gr.interaction.p, 1e-6, 0, `${name} ${gr.variable} interaction p`);
    }
    const t = resultTables(f)[0];
    assert.deepEqual(t.columns, ['Subgroup', 'n', 'Events', 'HR', '95% CI', 'p', 'p for interaction']);
    assert.equal(t.rows.length, 1 + 3 + 6);
  }
  // the chart: a header row per variable with its p for interaction, the levels below it, one mark per estimate
  const spec = chartsFor(byName<ForestResult>(rs, 'forest_subgroups'))[0];
  const labels = spec.y.ticks!.map((t) => t.label);
  assert.deepEqual(labels.slice(0, 4), ['All patients', 'sex (interaction p = 0.75)', '\u00a0\u00a0\u00a0F', '\u00a0\u00a0\u00a0M']);
  assert.equal(spec.series.find((s) => s.type === 'scatter')!.points!.length, 7);
  // the adjusted model within Child-Pugh A / B: cp_b is constant there and left out of the fit (R: NA coefficient)
  assert.ok(byName<ForestResult>(rs, 'forest_subgroups_adj').notes.some((n) => /child_pugh_grade = A: cp_b constant/.test(n)));
});

test('forest across models: each row is the marker\'s HR of the labelled cox line', async () => {
  const rs = await taceResults();
  const f = byName<ForestResult>(rs, 'forest_models');
  assert.equal(f.mode, 'models');
  assert.deepEqual(f.rows.map((r) => r.label), ['cox_mir122', 'cox_mir122_adj', 'cox_multivariate']);
  for (const row of f.rows) {
    const c = byName<CoxResult>(rs, row.label), t = c.terms.find((x) => x.term === 'mir122_low')!;
    assert.equal(row.estimate, t.hr);
    assert.deepEqual(row.ci, t.ci);
    assert.equal(row.p, t.p);
    assert.equal(row.n, c.n);
    assert.equal(row.events, c.events);
  }
});

test('forest of a logistic model: the OR in a subgroup is that of the model fitted on the subgroup\'s rows', async () => {
  const rs = await run('crc-liver-mets-capecitabine', '\ncohort women = sex == "F"\nml: logistic effective ~ cea + age\nlw: logistic effective ~ cea + age in women\nfl: forest ml by sex\nfc: forest ml by sex in women\n');
  const f = byName<ForestResult>(rs, 'fl'), lw = byName<LogisticResult>(rs, 'lw'), ml = byName<LogisticResult>(rs, 'ml');
  assert.equal(f.measure, 'OR');
  const cea = (r: LogisticResult) => r.terms.find((t) => t.term === 'cea')!;
  assertClose(f.rows[0].estimate, cea(ml).or, 1e-12, 0, 'all');
  const women = f.rows.find((r) => r.variable === 'sex' && r.label === 'F')!;
  assert.equal(women.n, lw.n);
  assertClose(women.estimate, cea(lw).or, 1e-9, 0, 'women OR');
  assertClose(women.ci[0], cea(lw).ci[0], 1e-9, 0, 'women CI');
  assert.ok(women.interaction && women.interaction.df === 1 && women.interaction.p !== null);
  const fc = rs.find((r) => r.name === 'fc') as ErrorResult;
  assert.match(fc.error, /cohort each model was fitted in/);
});

test('the checker: models without the marker, of another kind, several models with `by`, one model without `by`', () => {
  const text = 'plates "p/*.txt"\nclinical "c.csv" key patient\noutcome dss = time dss_months event dss_death\n'
    + 'm1: cox dss ~ age + bmi\nm2: cox dss ~ bmi\nm3: logistic effective ~ age\n'
    + 'forest m1, m2\nforest m1, m3\nforest m1, m2 by sex\nforest m1\nforest m1 by age\nforest m1, m1 by sex\n';
  const { ast } = parseStudy(text, 's.qstudy');
  const d = checkStudy(ast, SPEC_CONTEXT).map((x) => [x.range.start.line, /no such term|one kind|takes one model|needs `by|categorical/.exec(x.message)?.[0]]);
  assert.deepEqual(d, [[6, 'no such term'], [7, 'one kind'], [8, 'takes one model'], [9, 'needs `by'], [10, 'categorical'], [11, 'takes one model']]);
});
