// The expression rows as columns (src/engine/expression/table.ts): the row objects made from the table are the rows
// as they always were (keys, order, values), the table's accessors read the same values, the pivot of the table is
// the pivot of the rows, and a study run that no analysis of rows needs never makes them.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { computeExpression } from '../../../src/engine/expression/expression';
import { pivotSubjects } from '../../../src/engine/expression/pivot';
import { attachRows, ExpressionTable } from '../../../src/engine/expression/table';
import type { ExpressionOptions, SampleExpression } from '../../../src/engine/expression/types';
import { DEFAULT_QC } from '../../../src/engine/plate/model';
import { runStudy } from '../../../src/engine/study/runner';
import { nodeStudyIO } from '../../../src/cli/nodeIO';
import { mulberry32 } from '../../fuzz/studyFuzz';
import { repoRoot } from '../helpers';
import { plate, type W } from './build';

const BASE = ['sample', 'fields', 'target', 'cqMean', 'cqSd', 'nUsed', 'nTotal', 'refCq', 'dcq', 'expression', 'wells'];

/** Random wells: samples `P<k>_<n>_<pre|post>`, targets T, U and R, 1–3 replicates, some non-detects. */
function randomWells(seed: number): W[] {
  const r = mulberry32(seed), ws: W[] = [];
  const n = 3 + Math.floor(r() * 8);
  for (let s = 0; s < n; s++) {
    const name = `P${s % 3}_${s}_${r() < 0.5 ? 'pre' : 'post'}`;
    for (const t of ['T', 'R', 'U']) {
      if (r() < 0.15) continue;
      const reps = 1 + Math.floor(r() * 3);
      for (let k = 0; k < reps; k++) ws.push({ s: name, t, cq: r() < 0.1 ? null : Math.round((20 + r() * 18) * 1000) / 1000 });
    }
  }
  return ws;
}
const fieldsOf = (s: string) => { const m = /^P(\d)_(\d+)_(\w+)$/.exec(s); return m ? { p: m[1], id: m[2], tp: m[3] } : null; };
const OPTS: ExpressionOptions = { references: ['R'], qc: DEFAULT_QC, nondetect: { policy: 'exclude' }, outliers: { method: 'none' } };

test('rows made from the table keep their keys in order: ddcq last, after wells, reference and replicates', () => {
  // A target that is also a reference (T), a calibrator, and a step table for the first two groups only.
  const p = plate('p.csv', [
    { s: 'A', t: 'T', cq: 20 }, { s: 'A', t: 'R', cq: 15 }, { s: 'A', t: 'T', cq: 20.4 },
    { s: 'B', t: 'R', cq: 16 }, { s: 'B', t: 'T', cq: 21 }, { s: 'B', t: 'U', cq: 25 },
  ]);
  const ex = computeExpression([p], { ...OPTS, targets: ['T', 'U', 'R'], references: ['T'], calibrator: (_f, s) => s === 'B', steps: true, stepsLimit: 2 });
  const keys = ex.samples.map((s) => `${s.sample} ${s.target}${s.reference ? ' ref' : ''}: ${Object.keys(s).slice(BASE.length).join(',')}`);
  assert.deepEqual(Object.keys(ex.samples[0]).slice(0, BASE.length), BASE);
  assert.deepEqual(keys, [
    'A T: replicates,ddcq', 'A R: replicates,ddcq', 'A T ref: reference,replicates,ddcq', // T's group has a step table
    'B T: ddcq', 'B U: ddcq', 'B R: ddcq', 'B T ref: reference,ddcq',
  ]);
  const noCal = computeExpression([p], { ...OPTS, targets: ['U'], references: ['T', 'R'], steps: true, stepsLimit: 1 });
  // A has no U: its references only.
  assert.deepEqual(noCal.samples.map((s) => Object.keys(s).slice(BASE.length).join(',')), ['reference,replicates', 'reference', '', 'reference', 'reference']);
});

test('the table reads what the rows hold; `samples` is made once, on its first read, and is not the table', () => {
  for (let seed = 1; seed <= 60; seed++) {
    const p = plate('p.csv', randomWells(seed));
    const cal = seed % 2 === 0 ? { calibrator: (f: Record<string, string>) => f.tp === 'pre' } : {};
    const ex = computeExpression([p], { ...OPTS, targets: ['T', 'U', 'R'], sampleFields: fieldsOf, steps: true, stepsLimit: 4, ...cal });
    const t = ex.table;
    assert.ok(t instanceof ExpressionTable);
    assert.equal(attachRows.pending(ex), t, 'rows not made before a read');
    assert.deepEqual(Object.keys(ex), ['samples', 'sampleCount', 'exclusions', 'efficiencies', 'standardCurves', 'diagnostics', 'methods'], 'the table is not enumerable');
    const rows = ex.samples;
    assert.equal(ex.samples, rows, 'kept');
    assert.equal(attachRows.pending(ex), undefined);
    assert.equal(rows.length, t.length);
    rows.forEach((s, i) => {
      const got = {
        sample: t.sampleAt(i), fields: t.fieldsAt(i), target: t.targetAt(i), reference: t.isReferenceAt(i), cqMean: t.cqMeanAt(i), dcq: t.dcqAt(i),
        expression: t.expressionAt(i), wells: t.wellsAt(i), steps: t.hasStepsAt(i),
      };
      const want = { sample: s.sample, fields: s.fields, target: s.target, reference: s.reference === true, cqMean: s.cqMean, dcq: s.dcq, expression: s.expression, wells: s.wells, steps: s.replicates !== undefined };
      assert.deepEqual(got, want, `seed ${seed} row ${i}`);
      assert.deepEqual(t.row(i), s);
    });
  }
});

test('pivotSubjects: the table and the rows give the same subject table (duplicates, missing keys and levels included)', () => {
  for (let seed = 1; seed <= 80; seed++) {
    const p = plate('p.csv', randomWells(seed));
    const ex = computeExpression([p], { ...OPTS, sampleFields: fieldsOf, ...(seed % 3 === 0 ? { calibrator: (f: Record<string, string>) => f.tp === 'post' } : {}) });
    const rows: SampleExpression[] = JSON.parse(JSON.stringify(ex.samples)); // plain objects, not the table's
    for (const [key, level] of [['id', 'tp'], ['id', undefined], ['p', 'tp'], ['p', undefined], ['none', undefined], ['id', 'none']] as const) {
      const a = pivotSubjects(ex.table, key, level), b = pivotSubjects(rows, key, level);
      assert.deepEqual(a, b, `seed ${seed} ${key} ${level}`);
    }
  }
});

test('a study run pivots the table: the row objects are made only for an analysis that reads them', async (t) => {
  let made = 0;
  const rows = ExpressionTable.prototype.rows;
  ExpressionTable.prototype.rows = function (this: ExpressionTable) { made++; return rows.call(this); };
  t.after(() => { ExpressionTable.prototype.rows = rows; });
  const run = async (name: string) => {
    made = 0;
    const p = path.join(repoRoot, 'examples', name, 'study.qstudy');
    const { report } = await runStudy(fs.readFileSync(p, 'utf8'), p, nodeStudyIO());
    assert.ok(report);
    return made;
  };
  assert.equal(await run('sorafenib-mir221'), 0, 'compare, describe, km, linear, roc: no rows');
  assert.equal(await run('real-cfx-reference-genes'), 1, 'foldchange and stability read the rows: made once');
});
