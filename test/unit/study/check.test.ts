import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { checkStudy, parseStudy, type StudyContext } from '../../../src/engine/study';
import { SPEC_CONTEXT, SPEC_EXAMPLE } from '../../../src/engine/study/examples';
import type { EngineDiagnostic } from '../../../src/engine/common/diagnostic';

const HEADER = 'plates "p/*.txt"\nclinical "c.csv" key patient\nsamples "{patient}-{timepoint}"\n';
const HEADER_LINES = 3;

function check(body: string, ctx: StudyContext = SPEC_CONTEXT, header = HEADER): EngineDiagnostic[] {
  const r = parseStudy(header + body, 's.qstudy');
  assert.deepEqual(r.diagnostics, [], 'parse: ' + JSON.stringify(r.diagnostics));
  return checkStudy(r.ast, ctx);
}
/** The single diagnostic of `body`, asserted by code and (line in body, start, end). */
function one(body: string, code: string, line: number, start: number, end: number, ctx: StudyContext = SPEC_CONTEXT): EngineDiagnostic {
  const ds = check(body, ctx);
  assert.equal(ds.length, 1, JSON.stringify(ds, null, 1));
  const d = ds[0];
  assert.equal(d.code, code, d.message);
  assert.deepEqual(d.range, { start: { line: HEADER_LINES + line, character: start }, end: { line: HEADER_LINES + line, character: end } });
  assert.equal(d.file, 's.qstudy');
  return d;
}
function fixText(d: EngineDiagnostic): string | undefined {
  assert.ok((d.fixes?.length ?? 0) <= 1);
  return d.fixes?.[0]?.edits.map((e) => e.newText).join();
}

test('the spec example checks clean against a matching context', () => {
  const r = parseStudy(SPEC_EXAMPLE);
  assert.deepEqual(checkStudy(r.ast, SPEC_CONTEXT), []);
});

test('unknown context parts are not checked', () => {
  assert.deepEqual(check('let x = nonsense + whatever@pre\nreference nope\ndescribe zzz', {}), []);
});

test('study-unknown-target: reference, targets, T@level, with a certain fix', () => {
  const d = one('reference cel-miR-93', 'study-unknown-target', 0, 10, 20);
  assert.match(d.message, /Did you mean `cel-miR-39`/);
  assert.equal(fixText(d), 'cel-miR-39');
  assert.deepEqual(d.fixes?.[0].edits[0].range, d.range);
  const d2 = one('let a = log10(miR-212@pre)', 'study-unknown-target', 0, 14, 21);
  assert.equal(fixText(d2), 'miR-21', 'miR-21 is 1 edit away, miR-122 2: the closest is certain');
  const d4 = one('targets miR-12', 'study-unknown-target', 0, 8, 14, { ...SPEC_CONTEXT, targets: ['miR-122', 'miR-21', 'miR-121'] });
  assert.equal(fixText(d4), undefined, 'three targets one edit away: no certain fix');
  assert.match(d4.message, /Did you mean `miR-12[12]` or/);
  one('stability miR-122, RNU6B', 'study-unknown-target', 0, 19, 24);
});

test('study-unknown-level after @', () => {
  const d = one('let a = miR-122@pree', 'study-unknown-level', 0, 16, 20);
  assert.equal(fixText(d), 'pre');
});

test('study-unknown-column with did-you-mean by edit distance', () => {
  const d = one('describe agee, sex', 'study-unknown-column', 0, 9, 13);
  assert.match(d.message, /Did you mean `age`/);
  assert.equal(fixText(d), 'age');
  const far = one('describe qwertyuiop', 'study-unknown-column', 0, 9, 19);
  assert.equal(far.fixes, undefined);
  // backtick names resolve to the column as written
  assert.deepEqual(check('describe `age`'), []);
});

test('study-minus-without-spaces: a-b where both are known, with the spaced fix', () => {
  const d = one('let d = age-bmi', 'study-minus-without-spaces', 0, 8, 15);
  assert.equal(fixText(d), 'age - bmi');
  const d2 = one('let d = miR-21-age', 'study-minus-without-spaces', 0, 8, 18);
  assert.equal(fixText(d2), 'miR-21 - age');
  // a real dashed name is not flagged
  assert.deepEqual(check('let d = miR-122 - age'), []);
});

test('study-type: arithmetic on a categorical column, km on a non-outcome, roc on a cox model', () => {
  const d = one('let x = sex + 1', 'study-type', 0, 8, 11);
  assert.match(d.message, /categorical/);
  one('km age by sex', 'study-type', 0, 3, 6);
  const d3 = one('outcome os = time dss_months event dss_death\nkm oss by sex', 'study-type', 1, 3, 6);
  assert.equal(fixText(d3), 'os');
  one('outcome os = time dss_months event dss_death\nm: cox os ~ age\nroc m', 'study-type', 2, 4, 5);
  one('correlate age with sex', 'study-type', 0, 19, 22);
  one('let a = log10(response)', 'study-type', 0, 14, 22);
  one('let a = log10(age, 2)', 'study-type', 0, 8, 21);
});

test('study-unknown-level: comparing a categorical column with a level it lacks', () => {
  const d = one('cohort b = child_pugh_grade == "b"', 'study-unknown-level', 0, 31, 34);
  assert.equal(d.severity, 'warning');
  assert.equal(fixText(d), '"B"');
});

test('study-unknown-cohort with a fix; study-empty-cohort from cohortSizes', () => {
  const d = one('cohort lc = cirrhosis == "yes"\ndescribe age in lcc', 'study-unknown-cohort', 1, 16, 19);
  assert.equal(fixText(d), 'lc');
  const ds = check('cohort lc = cirrhosis == "yes"\ndescribe age in lc', { ...SPEC_CONTEXT, cohortSizes: { lc: 0 } });
  assert.deepEqual(ds.map((x) => [x.code, x.severity, x.range.start.line - HEADER_LINES, x.range.start.character]), [
    ['study-empty-cohort', 'warning', 0, 7],
    ['study-empty-cohort', 'error', 1, 16],
  ]);
  assert.deepEqual(check('cohort lc = cirrhosis == "yes"\ndescribe age in lc', { ...SPEC_CONTEXT, cohortSizes: { lc: 12 } }), []);
});

test('study-unknown-model with a fix; a non-model label is a type error', () => {
  const d = one('model1: logistic effective ~ age\nnomogram modle1', 'study-unknown-model', 1, 9, 15);
  assert.equal(fixText(d), 'model1');
  one('t1: describe age\nroc t1', 'study-type', 1, 4, 6);
});

test('nomogram and calibrate of a Cox model: survival times / a time point are required, and refused for a logistic model', () => {
  const cox = 'outcome os = time age event effective\ncm: cox os ~ age\n';
  const d = one(`${cox}nomogram cm`, 'study-type', 2, 9, 11);
  assert.equal(d.severity, 'error');
  assert.equal(d.message, 'A nomogram of the Cox model `cm` needs survival times (`with times 12, 36`) or `median`.');
  assert.deepEqual(check(`${cox}nomogram cm with times 12, 36\nnomogram cm with median\ncalibrate cm at 36 with groups 3, bootstrap 10`), []);
  assert.equal(one(`${cox}calibrate cm with groups 2`, 'study-type', 2, 10, 12).message, 'Calibration of the Cox model `cm` needs a time point: `calibrate cm at 36`.');
  assert.deepEqual(check('m: logistic effective ~ age\nnomogram m'), []);
  assert.equal(one('m: logistic effective ~ age\nnomogram m with times 12', 'study-type', 1, 16, 21).message, '`times` is for Cox models; `m` is a logistic model.');
  one('m: logistic effective ~ age\ncalibrate m at 12', 'study-type', 1, 15, 17);
  one('m: logistic effective ~ age\ncalibrate m with groups 2', 'study-type', 1, 17, 23);
});

test('study-duplicate-name across lets, cohorts, splits, outcomes and labels', () => {
  const ds = check('let a = 1\ncohort a = age > 1\nsplit b / c = 1 / 1 seed 3\nc: describe age');
  assert.deepEqual(ds.map((x) => [x.code, x.range.start.line - HEADER_LINES, x.range.start.character, x.range.end.character]), [
    ['study-duplicate-name', 1, 7, 8],
    ['study-duplicate-name', 3, 0, 1],
  ]);
});

test('study-unknown-option (fix) and study-option-value', () => {
  const d = one('m: logistic effective ~ age\ncalibrate m with bootstrp 100', 'study-unknown-option', 1, 17, 25);
  assert.equal(fixText(d), 'bootstrap');
  const d2 = one('m: logistic effective ~ age\nhosmer-lemeshow m with groups 2', 'study-option-value', 1, 30, 31);
  assert.match(d2.message, /between 3 and 1000/);
  const d3 = one('correlate age with bmi with method spearmann', 'study-option-value', 0, 35, 44);
  assert.equal(fixText(d3), 'spearman');
  one('qc max-cq 35, replicate-sd 0.5, min-replicates 1.5', 'study-option-value', 0, 47, 50);
  one('qc max-cqq 35', 'study-unknown-option', 0, 3, 10);
  one('m: logistic effective ~ age\ndca m with thresholds 0.95 to 0.05 by 0.01', 'study-option-value', 1, 22, 42);
  one('plates "x.txt" format lightcyler', 'study-option-value', 0, 22, 32);
  one('efficiency miR-21 = 0.97', 'study-option-value', 0, 20, 24);
  one('outliers grubbs alpha 5', 'study-option-value', 0, 22, 23);
  one('cox dss ~ age with univariate 3\noutcome dss = time dss_months event dss_death', 'study-option-value', 0, 30, 31);
});

test('study-missing-data: no plates for Cq variables, no data at all, no clinical table for a column', () => {
  const noPlates = checkStudy(parseStudy('clinical "c.csv" key patient\nlet a = miR-21@pre').ast, SPEC_CONTEXT);
  assert.deepEqual(noPlates.map((d) => [d.code, d.range.start.line, d.range.start.character]), [['study-missing-data', 1, 8]]);
  const nothing = checkStudy(parseStudy('describe age').ast, {});
  assert.deepEqual(nothing.map((d) => [d.code, d.range.start.line, d.range.start.character, d.range.end.character]), [['study-missing-data', 0, 0, 8]]);
  const noClinical = checkStudy(parseStudy('plates "p/*.txt"\ndescribe age, miR-21').ast, { targets: ['miR-21'] });
  assert.deepEqual(noClinical.map((d) => [d.code, d.range.start.line, d.range.start.character]), [['study-missing-data', 1, 9]]);
});

test('study-unknown-function with a fix', () => {
  const d = one('let a = lg10(age)', 'study-unknown-function', 0, 8, 12);
  assert.equal(fixText(d), 'log10');
});

test('calibrator names are sample fields', () => {
  assert.deepEqual(check('calibrator timepoint == "pre"'), []);
  const d = one('calibrator timepoin == "pre"', 'study-unknown-column', 0, 11, 19);
  assert.equal(fixText(d), 'timepoint');
  const l = one('calibrator timepoint == "pr"', 'study-unknown-level', 0, 24, 28);
  assert.match(l.message, /Sample field `timepoint` has no level "pr"/);
  assert.equal(fixText(l), '"pre"');
});

test('let types propagate: a categorical let in arithmetic', () => {
  one('let g = cut(age, 40, 60)\nlet h = g * 2', 'study-type', 1, 8, 9);
  assert.deepEqual(check('let r = age > 50\nlet s = r * 2'), []);
});

test('outcome used in an expression and cohort used as a variable are type errors', () => {
  one('outcome os = time dss_months event dss_death\nlet a = os + 1', 'study-type', 1, 8, 10);
  one('cohort lc = age > 1\nlet a = lc', 'study-type', 1, 8, 10);
});

test('study-sample-sheet-key: a samples file name without `key` (read as a pattern with no fields)', () => {
  const header = 'plates "p/*.txt"\nclinical "c.csv" key patient\n';
  const r = parseStudy(header + 'samples "samplesheet.csv"\n', 's.qstudy');
  const ds = checkStudy(r.ast, SPEC_CONTEXT).filter((d) => d.code === 'study-sample-sheet-key');
  assert.equal(ds.length, 1);
  assert.deepEqual(ds[0].range, { start: { line: 2, character: 8 }, end: { line: 2, character: 25 } });
  assert.match(ds[0].message, /add `key COLUMN`.*`samples "samplesheet.csv" key sample`/);
  for (const ok of ['samples "samplesheet.csv" key sample\n', 'samples "{patient}-{timepoint}"\n', 'samples "{patient}.csv"\n']) {
    const r2 = parseStudy(header + ok, 's.qstudy');
    assert.deepEqual(checkStudy(r2.ast, SPEC_CONTEXT).filter((d) => d.code === 'study-sample-sheet-key'), [], ok);
  }
});
