/**
 * `cox … with subgroups "V1, V2"` from the study language: the wiring of stats/coxSubgroups.ts (checked against R in
 * test/unit/stats/coxSubgroups.test.ts): each level's HR equals a Cox model of the term alone in that cohort, the
 * table and the forest chart show every level and the interaction p, and bad uses are located errors.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { assertClose, fixture } from '../helpers';
import { runStudy } from '../../../src/engine/study/runner';
import { nodeStudyIO } from '../../../src/cli/nodeIO';
import { resultTables } from '../../../src/shared/report/kinds';
import { chartsFor } from '../../../src/shared/charts/specs';
import { isErrorResult, type CoxResult, type ErrorResult, type Report } from '../../../src/shared/report/types';

const studyPath = fixture('runner', 'basic', 'study.qstudy');
const EXTRA = [
  'cohort men = sex == "M"',
  'cohort women = sex == "F"',
  'sg: cox dss ~ mir122_pre + age with subgroups "sex, age_group"',
  'sm: cox dss ~ mir122_pre in men',
  'sw: cox dss ~ mir122_pre in women',
  'bad1: cox dss ~ age_group + age with subgroups sex',
  'bad2: cox dss ~ mir122_pre with subgroups age',
  'bad3: cox dss ~ mir122_pre with subgroups nosuchvar',
  'bad4: cox dss ~ mir122_pre + strata(sex) with subgroups age_group',
];

let cached: Promise<{ report: Report | null }> | null = null;
const run = () => (cached ??= runStudy(fs.readFileSync(studyPath, 'utf8') + '\n' + EXTRA.join('\n') + '\n', studyPath, nodeStudyIO()));
async function named(name: string): Promise<CoxResult | ErrorResult> {
  const { report } = await run();
  const r = report!.results.find((x) => x.name === name);
  assert.ok(r, name);
  return r as CoxResult | ErrorResult;
}

test('each level\'s HR, CI and p equal the term alone in that cohort; levels in order; interaction p per variable', async () => {
  const sg = await named('sg');
  assert.ok(!isErrorResult(sg), JSON.stringify(sg));
  const s = (sg as CoxResult).subgroups!;
  assert.equal(s.term, 'mir122_pre');
  assert.deepEqual(s.variables.map((v) => v.variable), ['sex', 'age_group']);
  const sex = s.variables[0];
  assert.deepEqual(sex.levels.map((l) => l.level), ['F', 'M']);
  for (const [level, name] of [['M', 'sm'], ['F', 'sw']] as const) {
    const alone = (await named(name)) as CoxResult;
    const l = sex.levels.find((x) => x.level === level)!;
    assert.equal(l.n, alone.n); assert.equal(l.events, alone.events);
    assertClose(l.hr!, alone.terms[0].hr!, 1e-9, 0, `${level} HR`);
    assertClose(l.ci[0]!, alone.terms[0].ci[0]!, 1e-9, 0, `${level} CI`);
    assertClose(l.p!, alone.terms[0].p!, 1e-9, 0, `${level} p`);
  }
  assert.equal(sex.interaction!.df, 1);
  assert.ok(sex.interaction!.p! > 0 && sex.interaction!.p! <= 1);
  assert.equal(s.variables[1].interaction!.df, s.variables[1].levels.length - 1);
  // the main model is unchanged by the option
  assert.deepEqual((sg as CoxResult).terms.map((t) => t.term), ['mir122_pre', 'age']);
  const table = resultTables(sg as CoxResult).find((t) => t.id === 'subgroups')!;
  assert.equal(table.rows.length, sex.levels.length + s.variables[1].levels.length);
  assert.equal(table.rows[0][0].text, 'sex');
  const chart = chartsFor(sg as CoxResult).find((c) => c.id === 'subgroups')!;
  const labels = chart.y.ticks!.map((t) => t.label);
  assert.ok(labels.some((l) => /^sex: p interaction = /.test(l)), labels.join(' | '));
  assert.ok(labels.some((l) => /^F \(n = \d+, \d+ events\)$/.test(l)));
});

test('a factor first term, a numeric variable with many values, an unknown name and strata are located errors', async () => {
  const want: [string, RegExp][] = [
    ['bad1', /first term with one coefficient; `age_group` has 2/],
    ['bad2', /`age` is numeric with \d+ values; use a categorical variable/],
    ['bad3', /`subgroups`: .*nosuchvar/],
    ['bad4', /does not combine with `strata/],
  ];
  for (const [name, re] of want) {
    const r = await named(name);
    assert.ok(isErrorResult(r), name);
    assert.match((r as ErrorResult).error, re, name);
    assert.ok((r as ErrorResult).line, `${name} is located`);
  }
});
