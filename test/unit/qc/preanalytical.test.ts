/**
 * Pre-analytical QC (`qc hemolysis`, `qc spike-in`): the numbers against test/golden/preanalytical.R (by hand in R,
 * same fixture, 1e-6 relative), the findings' ranges, the statement's parse and check, and the report section.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { assertAllClose, assertClose, fixture, readGolden } from '../helpers';
import { importPlate } from '../../../src/engine/plate/index';
import type { Plate } from '../../../src/engine/plate/model';
import { runHemolysis, runSpikeIn } from '../../../src/engine/qc/preanalytical';
import { mad, robustZ } from '../../../src/engine/stats/robust';
import { checkStudy, parseStudy } from '../../../src/engine/study';
import { completions } from '../../../src/engine/study/complete';
import { runStudy } from '../../../src/engine/study/runner';
import { nodeStudyIO } from '../../../src/cli/nodeIO';

const G = readGolden('preanalytical.json');
const plates: Plate[] = ['plate1.csv', 'plate2.csv'].map((f) => {
  const p = fixture('preanalytical', f);
  const r = importPlate(fs.readFileSync(p, 'utf8'), p);
  assert.ok(r.plate);
  return r.plate!;
});

test('robust z: median, mad and z as R (1e-6)', () => {
  const v = G.vector;
  assertClose(mad(v.x), v.mad);
  const r = robustZ(v.x);
  assertClose(r.median, v.median);
  assertAllClose(r.z as number[], v.z);
  assert.deepEqual(robustZ([1, 1, 1, 2]).z, [null, null, null, null]); // MAD 0: z undefined, not Infinity
});

test('hemolysis: per-sample dCq miR-23a − miR-451a and > 7 flags as R', () => {
  const { check, diagnostics } = runHemolysis(plates, { high: 'miR-23a', low: 'miR-451a', op: '>', threshold: 7, line: 7 });
  assert.deepEqual(check.rows.map((r) => r.sample), G.hemolysis.map((r: any) => r.sample));
  check.rows.forEach((r, i) => {
    const g = G.hemolysis[i];
    assertClose(r.high, g.high, 1e-6, 1e-12, r.sample);
    assertClose(r.low, g.low);
    assertClose(r.dcq, g.dcq);
    assert.equal(r.flagged, g.flagged, r.sample);
  });
  assert.equal(check.flagged, 2);
  // S2 and S4 flagged on the Cq cells of their 2 + 2 wells (S2: lines 8-11 of plate1.csv, Cq in column 3)
  assert.deepEqual(diagnostics.map((d) => d.code), Array(8).fill('hemolysis'));
  const s2 = diagnostics.filter((d) => /Sample S2/.test(d.message));
  assert.deepEqual(s2.map((d) => d.range.start.line), [7, 8, 9, 10]);
  assert.ok(s2.every((d) => d.file!.endsWith('plate1.csv') && d.range.start.character > 0 && d.severity === 'warning'));
  // direction: `<` flags the others (S6 has no miR-23a Cq: never flagged)
  const lt = runHemolysis(plates, { high: 'miR-23a', low: 'miR-451a', op: '<', threshold: 7, line: 1 }).check;
  assert.deepEqual(lt.rows.filter((r) => r.flagged).map((r) => r.sample), ['S1', 'S3', 'S5']);
});

test('spike-in: robust z of the mean Cq per sample across both plates as R', () => {
  const { check, diagnostics } = runSpikeIn(plates, { target: 'cel-miR-39', limit: 3, line: 8 });
  assertClose(check.median, G.spikeIn.median);
  assertClose(check.mad, G.spikeIn.mad);
  assert.deepEqual(check.rows.map((r) => r.sample), G.spikeIn.rows.map((r: any) => r.sample));
  check.rows.forEach((r, i) => {
    assertClose(r.cq, G.spikeIn.rows[i].cq);
    assertClose(r.z, G.spikeIn.rows[i].z);
    assert.equal(r.flagged, G.spikeIn.rows[i].flagged);
  });
  assert.deepEqual(diagnostics.map((d) => [d.code, d.range.start.line]), [['spike-in-outlier', 11], ['spike-in-outlier', 12]]);
  assert.ok(diagnostics.every((d) => d.file!.endsWith('plate2.csv')));
  assert.deepEqual(runSpikeIn(plates, { target: 'absent', limit: 3, line: 1 }).check.rows, []);
});

test('qc hemolysis / spike-in: parsed, checked (unknown target, bad limit), located errors', () => {
  const ctx = { targets: ['miR-23a', 'miR-451a', 'cel-miR-39'] };
  const ok = parseStudy('plates "p/*.csv"\nqc hemolysis miR-23a - miR-451a > 7\nqc spike-in cel-miR-39 robust-z 3\n');
  assert.deepEqual(ok.diagnostics, []);
  assert.deepEqual(checkStudy(ok.ast, ctx), []);
  const qc = ok.ast.statements.filter((s) => s.kind === 'qc');
  assert.equal(qc[0].kind === 'qc' && qc[0].hemolysis?.threshold.value, 7);
  assert.equal(qc[1].kind === 'qc' && qc[1].spikeIn?.target.name, 'cel-miR-39');
  const bad = parseStudy('plates "p/*.csv"\nqc hemolysis miR-23a - miR-45 > 7\nqc spike-in cel-miR-39 robust-z 0\n');
  const codes = checkStudy(bad.ast, ctx).map((d) => [d.code, d.range.start.line]);
  assert.deepEqual(codes, [['study-unknown-target', 1], ['study-option-value', 2]]);
  const err = parseStudy('qc hemolysis miR-23a miR-451a > 7\n');
  assert.equal(err.diagnostics.length, 1);
  assert.equal(err.diagnostics[0].range.start.line, 0);
  assert.match(err.diagnostics[0].message, /`-` between the two targets/);
});

test('study run: report.preanalytical and the QC findings of the fixture study', async () => {
  const p = fixture('preanalytical', 'study.qstudy');
  const { report } = await runStudy(fs.readFileSync(p, 'utf8'), p, nodeStudyIO());
  assert.ok(report?.preanalytical);
  assert.deepEqual(report.preanalytical.hemolysis.map((c) => [c.line, c.flagged]), [[7, 2]]);
  assert.deepEqual(report.preanalytical.spikeIns.map((c) => [c.line, c.flagged, c.rows[4].files]), [[8, 1, ['plate2.csv']]]);
  const codes = report.data.qc.map((q) => q.code);
  assert.equal(codes.filter((c) => c === 'hemolysis').length, 2); // one entry per sample and file
  assert.equal(codes.filter((c) => c === 'spike-in-outlier').length, 1);
});

test('completion: qc offers hemolysis / spike-in, then targets, then robust-z', () => {
  const ctx = { targets: ['miR-23a', 'miR-451a', 'cel-miR-39'] };
  const at = (text: string) => completions(text, { line: 0, character: text.length }, ctx).map((c) => c.label);
  assert.ok(at('qc ').includes('hemolysis') && at('qc ').includes('spike-in') && at('qc ').includes('max-cq'));
  assert.deepEqual(at('qc hemolysis '), ctx.targets);
  assert.deepEqual(at('qc hemolysis miR-23a - '), ctx.targets);
  assert.deepEqual(at('qc spike-in '), ctx.targets);
  assert.deepEqual(at('qc spike-in cel-miR-39 '), ['robust-z']);
});
