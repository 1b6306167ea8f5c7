/**
 * The study runner's own diagnostics (`study-*` codes raised by runner.ts, runnerData.ts, runnerAst.ts): one test
 * per code, each on the smallest realistic study that triggers it, run on in-memory files through `StudyIO`.
 * Every test asserts the code, the severity, a phrase of the message a user can act on, the file and the exact
 * range (0-based in the Range; the comments give the 1-based line:column an editor shows), and whether the run
 * still produces a report.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import type { EngineDiagnostic, Range } from '../../../src/engine/common/diagnostic';
import { runStudy, type RunOutcome } from '../../../src/engine/study/runner';
import { StopRun, type StudyIO } from '../../../src/engine/study/runnerData';
import { planFromAst } from '../../../src/engine/study/runnerAst';
import { parseStudy } from '../../../src/engine/study/parser';
import { isErrorResult, type ErrorResult } from '../../../src/shared/report/types';

// ---------------------------------------------------------------------------------------------------------------
// In-memory files

import { DIR, STUDY, memIO, plate } from './memIO';

const SUBJECTS = ['P01', 'P02', 'P03', 'P04', 'P05', 'P06', 'P07', 'P08'];

/** Clinical table: one row per subject (age numeric, sex categorical, height constant). */
function clinical(subjects = SUBJECTS, extraHeader = '', extra: (i: number) => string = () => ''): string {
  const rows = [`patient,age,sex,height${extraHeader ? ',' + extraHeader : ''}`];
  subjects.forEach((s, i) => rows.push(`${s},${50 + ((i * 11) % 23)},${i % 2 ? 'F' : 'M'},170${extraHeader ? ',' + extra(i) : ''}`));
  return rows.join('\n') + '\n';
}

/** The usual data files; `over` replaces or adds files. */
function files(over: Record<string, string> = {}): Record<string, string> {
  return { [`${DIR}/plates/p1.csv`]: plate(SUBJECTS), [`${DIR}/clinical.csv`]: clinical(), ...over };
}

const HEAD = [
  'study "diagnostics"',
  'plates "plates/*.csv" format tidy',
  'clinical "clinical.csv" key patient',
  'samples "{patient}-{timepoint}"',
  'reference cel-miR-39',
].join('\n') + '\n';

async function run(text: string, io: StudyIO): Promise<RunOutcome> {
  return runStudy(text, STUDY, io);
}

/** The single diagnostic with this code (fails with the whole list otherwise). */
function only(out: RunOutcome, code: string): EngineDiagnostic {
  const ds = out.diagnostics.filter((d) => d.code === code);
  assert.equal(ds.length, 1, `one ${code} expected, got: ${JSON.stringify(out.diagnostics, null, 1)}`);
  return ds[0];
}

/** Range of the `occurrence`-th `token` on 0-based line `line` of `text`. */
function at(text: string, line: number, token: string, occurrence = 1): Range {
  const l = text.split('\n')[line];
  let c = -1;
  for (let k = 0; k < occurrence; k++) c = l.indexOf(token, c + 1);
  assert.ok(c >= 0, `"${token}" not on line ${line}: ${l}`);
  return { start: { line, character: c }, end: { line, character: c + token.length } };
}

function assertAt(d: EngineDiagnostic, file: string, r: Range): void {
  assert.equal(d.file, file, `file of ${d.code}`);
  assert.deepEqual(d.range, r, `range of ${d.code}: ${d.message}`);
}

/** No error besides those with these codes. */
const noOtherErrors = (out: RunOutcome, ...codes: string[]) =>
  assert.deepEqual(out.diagnostics.filter((d) => d.severity === 'error' && !codes.includes(d.code)).map((d) => `${d.code}: ${d.message}`), []);

// ---------------------------------------------------------------------------------------------------------------
// Errors that stop the run (report null)

test('study-no-plates: a study with a clinical table but no plates statement', async () => {
  const text = 'study "no plates"\nclinical "clinical.csv" key patient\ndescribe age, sex\n';
  const out = await run(text, memIO(files()));
  assert.equal(out.report, null);
  const d = only(out, 'study-no-plates');
  assert.equal(d.severity, 'error');
  assert.match(d.message, /no `plates` statement/);
  // 3:1, the analysis that needs the data (as study-missing-data), not the study's first character.
  assertAt(d, STUDY, { start: { line: 2, character: 0 }, end: { line: 2, character: 'describe age, sex'.length } });
  noOtherErrors(out, 'study-no-plates');
});

test('study-file-not-allowed: a clinical table outside the workspace (the untrusted-workspace guard)', async () => {
  const text = HEAD.replace('"clinical.csv"', '"/elsewhere/clinical.csv"') + 'describe age\n';
  const io = memIO(files({ '/elsewhere/clinical.csv': clinical() }), { isAllowed: (p) => p.startsWith(`${DIR}/`) });
  const out = await run(text, io);
  assert.equal(out.report, null);
  const d = only(out, 'study-file-not-allowed');
  assert.equal(d.severity, 'error');
  assert.match(d.message, /Reading "\/elsewhere\/clinical\.csv" is not allowed \(outside the workspace\)/);
  assertAt(d, STUDY, at(text, 2, '"/elsewhere/clinical.csv"'));   // 3:10, the path string
  assert.ok(!io.reads.includes('/elsewhere/clinical.csv'), 'the guarded file was read');
  noOtherErrors(out, 'study-file-not-allowed');
});

test('study-file-unreadable: a clinical table that does not exist', async () => {
  const text = HEAD.replace('"clinical.csv"', '"clinical_v2.csv"') + 'describe age\n';
  const out = await run(text, memIO(files()));
  assert.equal(out.report, null);
  const d = only(out, 'study-file-unreadable');
  assert.equal(d.severity, 'error');
  assert.match(d.message, /^Cannot read "\/proj\/clinical_v2\.csv": ENOENT/);
  assertAt(d, STUDY, at(text, 2, '"clinical_v2.csv"'));   // 3:10
  noOtherErrors(out, 'study-file-unreadable');

  // A folder that cannot be listed (the IO's glob throws): the same code at the plates glob, not a crash.
  const denied = memIO(files(), { glob: async () => { throw new Error('EACCES: permission denied, scandir \'/proj/plates\''); } });
  const out2 = await run(HEAD + 'describe age\n', denied);
  assert.equal(out2.report, null);
  const d2 = only(out2, 'study-file-unreadable');
  assert.equal(d2.severity, 'error');
  assert.match(d2.message, /^Cannot list the files matching "plates\/\*\.csv": EACCES/);
  assertAt(d2, STUDY, at(HEAD, 1, '"plates/*.csv"'));   // 2:8
});

test('study-clinical-errors: a duplicate key in the clinical table (pointer at the study line and the cell in the table)', async () => {
  const clin = clinical().replace('\nP03,', '\nP02,');
  const out = await run(HEAD + 'describe age\n', memIO(files({ [`${DIR}/clinical.csv`]: clin })));
  assert.equal(out.report, null);
  const d = only(out, 'study-clinical-errors');
  assert.equal(d.severity, 'error');
  // 1 error; first at clinical.csv line 4, column 1 (the duplicate key cell).
  assert.match(d.message, /^The clinical table has 1 error\(s\); first: \/proj\/clinical\.csv:4:1: Duplicate key "P02" in column "patient" \(first on line 3\)/);
  assertAt(d, STUDY, at(HEAD, 2, '"clinical.csv"'));   // 3:10
  const cell = only(out, 'table-duplicate-key');
  assert.equal(cell.severity, 'error');
  assertAt(cell, `${DIR}/clinical.csv`, at(clin, 3, 'P02'));
  noOtherErrors(out, 'study-clinical-errors', 'table-duplicate-key');
});

test('study-sample-pattern: an unclosed brace points at the brace inside the pattern string', async () => {
  const text = HEAD.replace('"{patient}-{timepoint}"', '"{patient}-{timepoint"') + 'describe age\n';
  const out = await run(text, memIO(files()));
  assert.equal(out.report, null);
  const d = only(out, 'study-sample-pattern');
  assert.equal(d.severity, 'error');
  assert.match(d.message, /Unclosed "\{" in sample pattern "\{patient\}-\{timepoint"/);
  assertAt(d, STUDY, at(text, 3, '{', 2));   // 4:20, the second `{`
  noOtherErrors(out, 'study-sample-pattern');

  // Two adjacent fields: the second field.
  const text2 = HEAD.replace('"{patient}-{timepoint}"', '"{patient}{timepoint}"') + 'describe age\n';
  const d2 = only(await run(text2, memIO(files())), 'study-sample-pattern');
  assert.match(d2.message, /Two fields without text between them are ambiguous/);
  assertAt(d2, STUDY, at(text2, 3, '{', 2));
  // An escape in the string: offsets in the value are not columns in the file; the whole string is the location.
  const text3 = HEAD.replace('"{patient}-{timepoint}"', '"\\"{patient}-{timepoint"') + 'describe age\n';
  const d3 = only(await run(text3, memIO(files())), 'study-sample-pattern');
  assertAt(d3, STUDY, at(text3, 3, '"\\"{patient}-{timepoint"'));
});

test('study-sample-key: a sample pattern without the clinical key field', async () => {
  const text = HEAD.replace('"{patient}-{timepoint}"', '"{id}-{timepoint}"') + 'describe age\n';
  const out = await run(text, memIO(files()));
  assert.equal(out.report, null);
  const d = only(out, 'study-sample-key');
  assert.equal(d.severity, 'error');
  assert.match(d.message, /gives the fields "id", "timepoint" but none is the clinical key "patient"; name one field \{patient\}/);
  assertAt(d, STUDY, at(text, 3, '"{id}-{timepoint}"'));   // 4:9
  noOtherErrors(out, 'study-sample-key');
});

test('study-sheet-errors: a sample sheet with a duplicate sample name', async () => {
  const sheet = ['sample,patient,timepoint', ...SUBJECTS.flatMap((s) => [`${s}-pre,${s},pre`, `${s}-post,${s},post`])];
  sheet[4] = sheet[3];   // P02-pre twice (lines 4 and 5)
  const sheetText = sheet.join('\n') + '\n';
  const text = HEAD.replace('samples "{patient}-{timepoint}"', 'samples "sheet.csv" key sample') + 'describe age\n';
  const out = await run(text, memIO(files({ [`${DIR}/sheet.csv`]: sheetText })));
  assert.equal(out.report, null);
  const d = only(out, 'study-sheet-errors');
  assert.equal(d.severity, 'error');
  assert.match(d.message, /^The sample sheet has 1 error\(s\); first: \/proj\/sheet\.csv:5: Duplicate key "P02-pre" in column "sample"/);
  assertAt(d, STUDY, at(text, 3, '"sheet.csv"'));   // 4:9
  const cell = only(out, 'table-duplicate-key');
  assertAt(cell, `${DIR}/sheet.csv`, at(sheetText, 4, 'P02-pre'));
  noOtherErrors(out, 'study-sheet-errors', 'table-duplicate-key');
});

test('study-calibrator: a calibrator comparing a text field with a number stops the run at the comparison', async () => {
  // An unknown field is caught by the checker (study-unknown-column); a type clash is only a warning there, and the
  // calibrator fails when the samples are evaluated.
  const text = HEAD + 'calibrator timepoint == 1\ndescribe age\n';
  const out = await run(text, memIO(files()));
  assert.equal(out.report, null);
  const d = only(out, 'study-calibrator');
  assert.equal(d.severity, 'error');
  assert.match(d.message, /^calibrator: Cannot compare categorical "timepoint" with numeric "1"; quote the level/);
  assertAt(d, STUDY, at(text, 5, 'timepoint == 1'));   // 6:12
  const w = only(out, 'study-type');
  assert.equal(w.severity, 'warning');
  assertAt(w, STUDY, at(text, 5, 'timepoint == 1'));
  noOtherErrors(out, 'study-calibrator');
});

test('study-eval: a cohort that compares a categorical column with a number stops the run at the comparison', async () => {
  const text = HEAD + 'cohort men = sex == 1\ndescribe age in men\n';
  const out = await run(text, memIO(files()));
  assert.equal(out.report, null);
  const d = only(out, 'study-eval');
  assert.equal(d.severity, 'error');
  assert.match(d.message, /Cannot compare categorical "sex" with numeric "1"; quote the level/);
  assertAt(d, STUDY, at(text, 5, 'sex == 1'));   // 6:14
  noOtherErrors(out, 'study-eval');
});

test('study-eval: an analysis whose outcome is categorical fails alone, at the outcome; the next analysis runs', async () => {
  const text = HEAD + 'logistic sex ~ age\ncompare age by sex\n';
  const out = await run(text, memIO(files()));
  assert.ok(out.report, JSON.stringify(out.diagnostics));
  const d = only(out, 'study-eval');
  assert.equal(d.severity, 'error');
  assert.match(d.message, /^logistic 1: The outcome "sex" is categorical .*write it as a comparison/);
  assert.doesNotMatch(d.message, /internal error/);
  assertAt(d, STUDY, at(text, 5, 'sex'));   // 6:10
  const [a, b] = out.report!.results;
  assert.ok(isErrorResult(a));
  assert.equal((a as ErrorResult).line, 6);
  assert.ok(!isErrorResult(b), JSON.stringify(b));
  noOtherErrors(out, 'study-eval');
});

test('study-analysis-failed: a comparison in a cohort with a single group fails alone (its line); the others run', async () => {
  const text = HEAD + 'cohort men = sex == "M"\ndescribe age\ncompare age by sex in men\ncompare age by sex\n';
  const out = await run(text, memIO(files()));
  assert.ok(out.report, JSON.stringify(out.diagnostics));
  const d = only(out, 'study-analysis-failed');
  assert.equal(d.severity, 'error');
  assert.match(d.message, /^compare 1: "sex" has 1 group\(s\) among the 4 complete rows; at least 2 are needed\.$/);
  assertAt(d, STUDY, at(text, 7, 'compare age by sex in men'));   // 8:1, the analysis statement
  const r = out.report!.results;
  assert.deepEqual(r.map((x) => [x.name, isErrorResult(x)]), [['describe 1', false], ['compare 1', true], ['compare 2', false]]);
  assert.equal((r[1] as ErrorResult).line, 8);
  assert.equal((r[1] as ErrorResult).cohort, 'men');
  noOtherErrors(out, 'study-analysis-failed');
});

test('study-plan: a clinical statement without its key column', async () => {
  const text = HEAD.replace('clinical "clinical.csv" key patient', 'clinical "clinical.csv"') + 'describe age\n';
  const io = memIO(files());
  const out = await run(text, io);
  assert.equal(out.report, null);
  const d = only(out, 'study-plan');
  assert.equal(d.severity, 'error');
  assert.match(d.message, /clinical "file\.csv" key COLUMN: the key column is required/);
  assertAt(d, STUDY, at(text, 2, 'clinical "clinical.csv"'));   // 3:1, the statement
  assert.deepEqual(io.reads, [], 'a plan error stops before any file is read');
  noOtherErrors(out, 'study-plan');

  // Another PlanError (unknown plate format) is caught first by the checker; planFromAst still reports it at the name.
  const t2 = 'study "p"\nplates "p/*.csv" format nanodrop\n';
  const p2 = planFromAst(parseStudy(t2, STUDY).ast, t2, STUDY);
  const d2 = p2.diagnostics.find((x) => x.code === 'study-plan');
  assert.ok(d2, JSON.stringify(p2.diagnostics));
  assert.match(d2.message, /Unknown plate format "nanodrop"/);
  assertAt(d2, STUDY, at(t2, 1, 'nanodrop'));
});

test('study-stopped: a stop without an error of its own still gives one error (fallback)', async () => {
  // No input reaches it today (every StopRun carries or follows an error); an IO that stops the run is the hook.
  const io = memIO(files(), { glob: async () => { throw new StopRun([]); } });
  const out = await run(HEAD + 'describe age\n', io);
  assert.equal(out.report, null);
  const d = only(out, 'study-stopped');
  assert.equal(d.severity, 'error');
  assert.match(d.message, /stopped/);
  assertAt(d, STUDY, { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } });
});

// ---------------------------------------------------------------------------------------------------------------
// Warnings (the run goes on)

test('study-level-fields: a pattern with two fields besides the key; the first is the level and the run goes on', async () => {
  const p = plate(SUBJECTS, ['pre', 'post'], (s, t) => `${s}-${t}-1`);
  const text = HEAD.replace('"{patient}-{timepoint}"', '"{patient}-{timepoint}-{rep}"') + 'compare miR-122@post vs miR-122@pre paired\n';
  const out = await run(text, memIO(files({ [`${DIR}/plates/p1.csv`]: p })));
  assert.ok(out.report, JSON.stringify(out.diagnostics));
  const d = only(out, 'study-level-fields');
  assert.equal(d.severity, 'warning');
  assert.match(d.message, /\(timepoint, rep\); "timepoint" is used as the level \(T@level\)/);
  assertAt(d, STUDY, at(text, 3, '"{patient}-{timepoint}-{rep}"'));   // 4:9
  assert.ok(!isErrorResult(out.report!.results[0]), JSON.stringify(out.report!.results[0]));
  noOtherErrors(out);
});

test('study-subject-no-clinical: qPCR subjects without a clinical row are left out with a warning', async () => {
  const p = plate([...SUBJECTS, 'P98', 'P99']);
  const text = HEAD + 'describe age\n';
  const out = await run(text, memIO(files({ [`${DIR}/plates/p1.csv`]: p })));
  assert.ok(out.report, JSON.stringify(out.diagnostics));
  const d = only(out, 'study-subject-no-clinical');
  assert.equal(d.severity, 'warning');
  assert.match(d.message, /^2 subject\(s\) with qPCR samples have no row in the clinical table and are left out: P98, P99\./);
  assertAt(d, STUDY, at(text, 2, '"clinical.csv"'));   // 3:10
  assert.equal(out.report!.data.subjects, SUBJECTS.length);
  assert.ok(!isErrorResult(out.report!.results[0]));
  noOtherErrors(out);
});

test('study-name-clash: a clinical column named like a qPCR variable; the clinical column is used', async () => {
  // Without a samples statement the sample name is the key and a target is its own variable (`miR-122`).
  const p = plate(SUBJECTS, ['x'], (s) => s);
  const clin = clinical(SUBJECTS, 'miR-122', (i) => String(i + 1));
  const text = 'study "clash"\nplates "plates/*.csv" format tidy\nclinical "clinical.csv" key patient\nreference cel-miR-39\ndescribe `miR-122`\n';
  const out = await run(text, memIO(files({ [`${DIR}/plates/p1.csv`]: p, [`${DIR}/clinical.csv`]: clin })));
  assert.ok(out.report, JSON.stringify(out.diagnostics));
  const d = only(out, 'study-name-clash');
  assert.equal(d.severity, 'warning');
  assert.match(d.message, /Clinical column "miR-122" has the name of a qPCR variable; the clinical column is used/);
  assertAt(d, STUDY, at(text, 2, '"clinical.csv"'));   // 3:10
  const desc = out.report!.results[0];
  assert.ok(!isErrorResult(desc), JSON.stringify(desc));
  assert.equal((desc as any).rows[0].overall, '4.50 ± 2.45');   // mean ± SD of the clinical values 1..8, not expression
  noOtherErrors(out);
});

test('study-analysis-warning: a correlation with a constant column is reported at its line; the run goes on', async () => {
  const text = HEAD + 'corr: correlate age with height, miR-122@pre\n';
  const out = await run(text, memIO(files()));
  const d = only(out, 'study-analysis-warning');
  assert.equal(d.severity, 'warning');
  assert.equal(d.file, STUDY);
  assert.equal(d.range.start.line, 5); // 6:1
  assert.equal(d.range.start.character, 0);
  assert.match(d.message, /^corr: height: /);
  assert.ok(out.report, 'the report is written');
  const r = out.report!.results[0] as { rows: { variable: string; r: number | null }[] };
  assert.equal(r.rows.find((x) => x.variable === 'height')!.r, null);
  assert.ok(r.rows.find((x) => x.variable === 'miR-122@pre')!.r !== null, 'the other correlation is computed');
});
