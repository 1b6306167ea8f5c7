/**
 * `describe ... by G with test ...` through the runner: every documented test choice runs and gives the same numbers
 * as calling the statistics directly (whose R goldens are in test/golden/basic.json); `digits` sets the decimals.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { runStudy } from '../../../src/engine/study/runner';
import { isErrorResult, type DescribeResult } from '../../../src/shared/report/types';
import { chisqTest, fisherExact, kruskalWallis, mannWhitney, oneWayAnova, tTest } from '../../../src/engine/stats/tests';
import { DIR, STUDY, memIO, plate } from './memIO';

const SUBJECTS = Array.from({ length: 24 }, (_, i) => `P${String(i + 1).padStart(2, '0')}`);
const AGE = SUBJECTS.map((_, i) => 40 + ((i * 17) % 31));
const SEX = SUBJECTS.map((_, i) => (i % 3 === 0 ? 'F' : 'M'));
const ARM = SUBJECTS.map((_, i) => (i < 12 ? 'A' : 'B'));
const STAGE = SUBJECTS.map((_, i) => ['I', 'II', 'III'][i % 3]);

const files = {
  [`${DIR}/plates/p1.csv`]: plate(SUBJECTS),
  [`${DIR}/clinical.csv`]: ['patient,age,sex,arm,stage', ...SUBJECTS.map((s, i) => `${s},${AGE[i]},${SEX[i]},${ARM[i]},${STAGE[i]}`)].join('\n') + '\n',
};

async function describe(line: string): Promise<DescribeResult> {
  const text = ['study "describe options"', 'plates "plates/*.csv"', 'clinical "clinical.csv" key patient', 'samples "{patient}-{timepoint}"', 'reference cel-miR-39', line].join('\n') + '\n';
  const out = await runStudy(text, STUDY, memIO(files));
  const errors = out.diagnostics.filter((d) => d.severity === 'error');
  assert.deepEqual(errors, [], `${line}: ${JSON.stringify(errors)}`);
  const r = out.report!.results[0];
  assert.ok(!isErrorResult(r), `${line}: ${JSON.stringify(r)}`);
  return r as DescribeResult;
}

const by = <T>(xs: T[], g: string[], level: string) => xs.filter((_, i) => g[i] === level);
const close = (a: number | null, b: number, what: string) => assert.ok(a !== null && Math.abs(a - b) <= 1e-12 * Math.max(1, Math.abs(b)), `${what}: ${a} vs ${b}`);
const counts = (levels: string[]) => ['F', 'M'].map((s) => levels.map((a) => SUBJECTS.filter((_, i) => SEX[i] === s && ARM[i] === a).length));

test('describe with test student (default) / welch / mann-whitney; categorical rows chisq / chisq-yates / fisher', async () => {
  const def = await describe('describe age, sex by arm');
  close(def.rows[0].p, tTest(by(AGE, ARM, 'A'), by(AGE, ARM, 'B'), { varEqual: true }).p, 'Student t');
  close(def.rows[1].p, chisqTest(counts(['A', 'B']), { correct: false }).p, 'Pearson chi-square');
  assert.match(def.rows[0].overall, /±|\(/);

  const welch = await describe('describe age by arm with test welch');
  close(welch.rows[0].p, tTest(by(AGE, ARM, 'A'), by(AGE, ARM, 'B'), { varEqual: false }).p, 'Welch t');

  const mw = await describe('describe age by arm with test mann-whitney');
  close(mw.rows[0].p, mannWhitney(by(AGE, ARM, 'A'), by(AGE, ARM, 'B')).p, 'Mann-Whitney');
  assert.match(mw.rows[0].overall, /\(.*–|\(.*-|\[/, 'rank tests show median (IQR)');

  const yates = await describe('describe sex by arm with test chisq-yates');
  close(yates.rows[0].p, chisqTest(counts(['A', 'B']), { correct: true }).p, 'Yates');
  const fisher = await describe('describe sex by arm with test fisher');
  close(fisher.rows[0].p, fisherExact(counts(['A', 'B'])).p, 'Fisher');
  const both = await describe('describe age, sex by arm with test welch, categorical fisher');
  close(both.rows[0].p, tTest(by(AGE, ARM, 'A'), by(AGE, ARM, 'B'), { varEqual: false }).p, 'Welch t with categorical fisher');
  close(both.rows[1].p, fisherExact(counts(['A', 'B'])).p, 'Fisher with test welch');
});

test('describe with three groups: anova (= student) and kruskal', async () => {
  const groups = ['I', 'II', 'III'].map((l) => by(AGE, STAGE, l));
  const anova = await describe('describe age by stage with test anova');
  close(anova.rows[0].p, oneWayAnova(groups, { varEqual: true }).p, 'ANOVA');
  const kw = await describe('describe age by stage with test kruskal');
  close(kw.rows[0].p, kruskalWallis(groups).p, 'Kruskal-Wallis');
});

test('describe with digits N: the decimals of the summaries', async () => {
  const d0 = await describe('describe age with digits 0');
  const d3 = await describe('describe age with digits 3');
  assert.doesNotMatch(d0.rows[0].overall, /\.\d/, d0.rows[0].overall);
  assert.match(d3.rows[0].overall, /^\d+\.\d{3} ± \d+\.\d{3}$/, d3.rows[0].overall);
});
