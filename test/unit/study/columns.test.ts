/**
 * A study reads the clinical table and the subject table as columns: neither table's row objects are made (for a
 * biobank-sized table they took more memory than the columns), and the analysis table's columns are made on first use.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { parseStudy } from '../../../src/engine/study/parser';
import { planFromAst } from '../../../src/engine/study/runnerAst';
import { loadStudyData } from '../../../src/engine/study/runnerData';
import type { EngineDiagnostic } from '../../../src/engine/common/diagnostic';
import { DIR, STUDY, memIO, plate } from './memIO';

const SUBJECTS = ['P01', 'P02', 'P03'];
const files = () => ({
  [`${DIR}/plates/p1.csv`]: plate(SUBJECTS),
  [`${DIR}/clinical.csv`]: 'patient,age,sex\nP01,61,F\nP02,NA,M\nP03,70,F\nP04,55,M\n',
});
const TEXT = 'study "columns"\nplates "plates/*.csv" format tidy\nclinical "clinical.csv" key patient\nsamples "{patient}-{timepoint}"\nreference cel-miR-39\ndescribe age, miR-122@pre\n';

test('the run reads the clinical and subject tables as columns: no row objects are made', async () => {
  const { plan, diagnostics } = planFromAst(parseStudy(TEXT).ast, TEXT, STUDY);
  assert.deepEqual(diagnostics, []);
  const diags: EngineDiagnostic[] = [];
  const data = await loadStudyData(plan, STUDY, memIO(files()), diags, () => undefined, () => false);
  assert.deepEqual(data.subjects, ['P01', 'P02', 'P03', 'P04']);
  assert.deepEqual(data.scope.column('age')?.values, [61, null, 70, 55]);
  assert.deepEqual(data.scope.column('sex')?.values, ['F', 'M', 'F', 'M']);
  const pre = data.scope.column('dcq(miR-122@pre)')!.values as (number | null)[];
  assert.equal(pre.length, 4);
  assert.equal(pre[3], null, 'P04 has no qPCR samples');
  assert.ok(pre.slice(0, 3).every((v) => typeof v === 'number'));
  assert.ok(Object.getOwnPropertyDescriptor(data.clinical!, 'rows')?.get, 'the clinical table\'s rows were made');
  assert.ok(Object.getOwnPropertyDescriptor(data.pivot, 'rows')?.get, 'the subject table\'s rows were made');
  assert.ok(diags.some((d) => d.code === 'study-subject-no-expression'));
});
