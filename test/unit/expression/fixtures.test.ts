/** The pipeline on real instrument exports through the project's importer (src/engine/plate). */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { assertClose, fixture, readGolden } from '../helpers';
import { importPlate } from '../../../src/engine/plate/index';
import { computeExpression } from '../../../src/engine/expression/expression';
import { pivotSubjects } from '../../../src/engine/expression/pivot';
import { compileSamplePattern } from '../../../src/engine/expression/samples';
import { plateStandardCurves } from '../../../src/engine/expression/standards';
import { DEFAULT_QC } from '../../../src/engine/plate/model';

const golden = readGolden('expression.json');
const load = (f: string) => {
  const r = importPlate(fs.readFileSync(fixture('expression', f)), f);
  assert.ok(r.plate, `${f}: ${r.diagnostics.map((d) => d.message).join('; ')}`);
  return r.plate!;
};

test('CFX fixture through importPlate: standard curves match R lm', () => {
  const curves = plateStandardCurves(load('CFX_sample.txt'), 35);
  assert.deepEqual(curves.map((c) => c.target), ['GLP1', 'PYY', 'TFF1']);
  for (const c of curves) {
    const g = golden.cfx[c.target];
    assert.equal(c.n, g.n);
    assertClose(c.slope, g.slope, 1e-6, 0, `${c.target} slope`);
    assertClose(c.efficiency, g.efficiency, 1e-6, 0, `${c.target} E`);
    assertClose(c.r2, g.r2, 1e-6, 0, `${c.target} R2`);
    assert.equal(c.lod, g.lod);
    // diagnostics point into the file at a standard well's row
    for (const d of c.diagnostics) { assert.equal(d.file, 'CFX_sample.txt'); assert.ok(d.range.start.line > 0); }
  }
});

test('CFX fixture end to end: PYY reference, efficiencies from standards, max-cq 35, ddCq vs *-SI1 (R golden)', () => {
  const p = load('CFX_sample.txt');
  const r = computeExpression([p], {
    references: ['PYY'], targets: ['GLP1', 'TFF1'], efficiency: 'standards',
    calibrator: (_f, s) => s.endsWith('-SI1'), sampleFields: compileSamplePattern('{animal}-{region}').match,
    qc: DEFAULT_QC, nondetect: { policy: 'exclude' }, outliers: { method: 'none' },
  });
  for (const [t, e] of Object.entries(golden.cfxPipeline.efficiency)) assertClose(r.efficiencies.find((x) => x.target === t)!.value, e as number, 1e-6, 0, `E ${t}`);
  const rows = r.samples.filter((s) => s.target !== 'PYY');
  assert.equal(rows.length, golden.cfxPipeline.rows.length);
  let compared = 0;
  for (const g of golden.cfxPipeline.rows) {
    const s = rows.find((x) => x.sample === g.sample && x.target === g.target);
    assert.ok(s, `${g.sample} ${g.target}`);
    assert.equal(s.nUsed, g.nUsed, `${g.sample} ${g.target} nUsed`);
    for (const k of ['cqMean', 'refCq', 'dcq', 'ddcq', 'expression'] as const) assertClose(s[k] as number | null, g[k], 1e-6, 1e-9, `${g.sample} ${g.target} ${k}`);
    if (g.expression !== null) compared++;
  }
  assert.ok(compared > 50);
  // Negative controls and standards (sample "") never enter; late Cqs are listed as exclusions with their line.
  assert.ok(!r.samples.some((s) => s.sample === ''));
  const late = r.exclusions.filter((e) => /late Cq/.test(e.reason));
  assert.ok(late.length > 0 && late.every((e) => e.file === 'CFX_sample.txt' && e.line > 0 && e.well !== null));
  assert.match(r.methods.expression, /Pfaffl/);
  // Pivot: one row per animal, variables per region.
  const t = pivotSubjects(r.samples, 'animal', 'region');
  assert.deepEqual(t.rows.map((x) => x.subject), ['1', '2', '3']);
  const g3 = golden.cfxPipeline.rows.find((x: any) => x.sample === '3-SI1' && x.target === 'GLP1');
  assertClose(t.rows[2].values['dcq(GLP1@SI1)'], g3.dcq, 1e-9);
});

test('LightCycler fixture through importPlate: standard curve matches R lm', () => {
  const curves = plateStandardCurves(load('LightCycler_sample.txt'), 35);
  assert.equal(curves.length, 1);
  assertClose(curves[0].slope, golden.lightcycler.slope, 1e-6);
  assertClose(curves[0].efficiency, golden.lightcycler.efficiency, 1e-6);
});
