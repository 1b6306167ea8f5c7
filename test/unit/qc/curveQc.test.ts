/**
 * The curve QC rule (src/engine/qc/rules/curveQc.ts, issue 20 part 3): curve findings in runQc's diagnostics, at the
 * well's row, with "Omit well" where the format has an Omit column; omitted wells and negative controls unchecked.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { fixture } from '../helpers';
import { importPlate } from '../../../src/engine/plate/index';
import { runQc } from '../../../src/engine/qc';
import { DEFAULT_QC, type Plate } from '../../../src/engine/plate/model';
import { linregPlate } from '../../../src/engine/curves/plateAnalysis';
import { plainWell } from '../../../src/engine/plate/wellStore';

const load = (...p: string[]): { plate: Plate; text: string } => {
  const file = fixture(...p);
  const r = importPlate(new Uint8Array(fs.readFileSync(file)), file);
  assert.ok(r.plate);
  return { plate: r.plate, text: fs.readFileSync(file, 'utf8') };
};
const curveFindings = (plate: Plate, text?: string) => runQc(plate, DEFAULT_QC, text).filter((d) => /^qc-(curve|melt)-/.test(d.code));

test('QuantStudio with amplification data: a flat curve is "no amplification" at its row, with the Omit fix', () => {
  const { plate, text } = load('allotropy', 'appbio_quantstudio_example02.txt');
  const found = curveFindings(plate, text);
  const w = plate.wells.find((x) => x.position === 'A2' && x.target === 'TGFb')!;
  const d = found.find((x) => x.code === 'qc-curve-no-amplification' && x.message.includes('A2/TGFb'));
  assert.ok(d, JSON.stringify(found.map((x) => x.message)));
  assert.deepEqual(d.range, w.ranges.row);
  assert.equal(d.fixes?.[0].title, 'Omit well A2');
  assert.deepEqual(d.fixes[0].edits[0].range.start.line, w.line);
  // the efficiency finding quotes LinRegPCR's individual efficiency of that reaction
  const { curves, run } = linregPlate(plate);
  const ipc = curves.findIndex((c) => c.well.position === 'A2' && c.well.target === 'IPC');
  const e = found.find((x) => x.code === 'qc-curve-efficiency-range' && x.message.includes('A2/IPC'))!;
  assert.ok(e.message.includes(run.reactions[ipc].efficiency.toFixed(3)), e.message);
});

test('omitted wells and negative controls are not checked; a plate without curves has no curve findings', () => {
  const { plate, text } = load('allotropy', 'appbio_quantstudio_example02.txt');
  const before = curveFindings(plate, text).length;
  assert.ok(before > 0);
  const quiet: Plate = { ...plate, wells: plate.wells.map((w) => (w.position === 'A2' ? { ...plainWell(w), omitted: true } : w.position === 'A1' ? { ...plainWell(w), task: 'ntc' as const } : w)) };
  const after = curveFindings(quiet, text);
  assert.ok(after.every((d) => !/\bA[12]\b|A[12]\//.test(d.message)), JSON.stringify(after.map((x) => x.message)));
  assert.equal(curveFindings({ ...plate, curves: undefined }, text).length, 0);
});

test('RDML curves: findings for every fixture, in well order, without fixes (RDML has no Omit column)', () => {
  for (const name of ['matrix_gaps', 'own_mix_a', 'shifted_baseline', 'sybr_stability']) {
    const { plate } = load('rdml', `${name}.rdml`);
    const found = curveFindings(plate);
    assert.ok(found.length > 0, name);
    assert.ok(found.every((d) => !d.fixes?.length && d.severity === 'warning'), name);
  }
});

test('linregPlate runs LinRegPCR once per plate and inputs: a second caller gets the same run, an omitted well a new one', () => {
  const plate = importPlate(new Uint8Array(fs.readFileSync(fixture('rdml', 'own_mix_a.rdml'))), 'own_mix_a.rdml').plate!;
  const first = linregPlate(plate);
  assert.equal(linregPlate(plate), first, 'the QC rule and the runner share one run');
  const w = first.curves[0].well;
  w.omitted = true;
  const again = linregPlate(plate);
  assert.notEqual(again, first);
  assert.equal(again.run.reactions.length, first.run.reactions.length);
  w.omitted = false;
  const copy = importPlate(new Uint8Array(fs.readFileSync(fixture('rdml', 'own_mix_a.rdml'))), 'own_mix_a.rdml').plate!;
  assert.deepEqual(linregPlate(copy).run.reactions.map((r) => r.cq), first.run.reactions.map((r) => r.cq), 'a fresh plate, the same numbers');
});
