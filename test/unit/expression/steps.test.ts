/**
 * The step table (expression/steps.ts, shared/report/steps.ts): every replicate used or excluded with its code, the
 * references' Cqs, dCq, ddCq and the quantity, enough to recompute the fold change by hand.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { assertClose } from '../helpers';
import { DEFAULT_QC } from '../../../src/engine/plate/model';
import { computeExpression } from '../../../src/engine/expression/expression';
import { expressionSteps } from '../../../src/engine/expression/steps';
import { stepsTable } from '../../../src/shared/report/steps';
import { toCsv } from '../../../src/shared/report/format';
import { plate, reps } from './build';

const wells = [
  ...reps('ctrl', 'T', [25, 25.2, 25.1]), ...reps('ctrl', 'R1', [20, 20.2, 20.1]), ...reps('ctrl', 'R2', [22, 22, 22]),
  ...reps('=cmd|x', 'T', [23, 23.1, 27.5]), ...reps('=cmd|x', 'R1', [20.1, 20.3, null]), ...reps('=cmd|x', 'R2', [22.2, 22.1, 36]),
];
const res = computeExpression([plate('p.csv', wells)], {
  references: ['R1', 'R2'], targets: ['T'], calibrator: (_f, s) => s === 'ctrl', steps: true,
  qc: { ...DEFAULT_QC, maxCq: 35, minReplicates: 1 }, nondetect: { policy: 'max-cq' }, outliers: { method: 'distance', distance: 1 },
});
const steps = expressionSteps(res);
const row = (s: string, t: string) => steps.rows.find((r) => r.sample === s && r.target === t)!;

test('every replicate is listed: used (with substituted non-detects) or excluded with its code', () => {
  const t = row('=cmd|x', 'T');
  assert.deepEqual(t.replicates.map((w) => [w.well, w.cq, w.used, w.code ?? null]), [['A10', 23, 23, null], ['A11', 23.1, 23.1, null], ['A12', 27.5, null, 'outlier-distance']]);
  const r1 = row('=cmd|x', 'R1');
  assert.deepEqual(r1.replicates.map((w) => [w.cq, w.used, w.code ?? null]), [[20.1, 20.1, null], [20.3, 20.3, null], [null, 35, 'no-cq']]);
  const r2 = row('=cmd|x', 'R2');
  assert.deepEqual(r2.replicates.map((w) => [w.cq, w.used, w.code ?? null]), [[22.2, 22.2, null], [22.1, 22.1, null], [36, 35, 'late-cq']]);
  assert.equal(r2.reference, true);
  assert.equal(res.methods.exclusions[0].code, 'outlier-distance');
});

test('the row recomputes by hand: mean Cq, references, dCq, calibrator dCq, ddCq and 2^-ddCq', () => {
  const t = row('=cmd|x', 'T'), c = row('ctrl', 'T');
  const mean = (x: number[]) => x.reduce((a, b) => a + b, 0) / x.length;
  const used = (r: typeof t) => r.replicates.filter((w) => w.used !== null).map((w) => w.used as number);
  assertClose(t.cqMean, mean(used(t)), 1e-12);
  const refs = ['R1', 'R2'].map((g) => mean(used(row('=cmd|x', g))));
  assert.deepEqual(t.refs!.map((x) => x.target), ['R1', 'R2']);
  t.refs!.forEach((x, i) => assertClose(x.cqMean, refs[i], 1e-12));
  assertClose(t.refCq, mean(refs), 1e-12);
  assertClose(t.dcq, (t.cqMean as number) - mean(refs), 1e-12);
  assertClose(t.calibratorDcq, c.dcq, 1e-12);
  assertClose(t.ddcq, (t.dcq as number) - (c.dcq as number), 1e-12);
  assertClose(t.quantity, 2 ** -(t.ddcq as number), 1e-12);
});

test('the step table as CSV: one row per sample × gene, formula-looking names defused, the formula in the note', () => {
  const table = stepsTable(steps);
  assert.deepEqual(table.columns.slice(0, 5), ['Sample', 'Target', 'Role', 'Cqs used', 'Excluded (why)']);
  assert.ok(table.columns.includes('Cq R1') && table.columns.includes('ddCq'));
  assert.equal(table.rows.length, 6);
  const csv = toCsv(table);
  assert.ok(csv.includes('\r\n\'=cmd|x,T,target,'), csv.split('\r\n')[3]);
  assert.ok(!/\r\n=/.test(csv));
  assert.match(csv, /A12 27\.500: outlier-distance/);
  assert.match(table.note ?? '', /2\^-ddCq/);
});

test('a large run records the steps of the first stepsLimit groups only, and the table says so', () => {
  const cut = computeExpression([plate('p.csv', wells)], {
    references: ['R1', 'R2'], targets: ['T'], steps: true, stepsLimit: 4,
    qc: { ...DEFAULT_QC, maxCq: 35, minReplicates: 1 }, nondetect: { policy: 'max-cq' }, outliers: { method: 'none' },
  });
  const s = expressionSteps(cut);
  assert.equal(s.total, 6);
  assert.equal(s.rows.length, 4);
  assert.match(stepsTable(s).note ?? '', /Only 4 of 6 rows/);
  assert.equal(steps.total, steps.rows.length);
});
