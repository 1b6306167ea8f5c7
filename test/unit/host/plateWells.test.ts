/** The plate state's wells as columns (src/shared/plateWells.ts): exact round trip, and the size it saves. */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { decodePlateState, decodePlateWells, encodePlateWells } from '../../../src/shared/plateWells';
import { toPlateState } from '../../../src/host/plateEditor/plateView';
import { importPlate } from '../../../src/engine/plate';
import { runQc } from '../../../src/engine/qc';
import { DEFAULT_QC } from '../../../src/engine/plate/model';
import type { PlateWellView } from '../../../src/shared/plateProtocol';

const repoRoot = path.resolve(__dirname, '..', '..', '..', '..');

function well(index: number, p: Partial<PlateWellView>): PlateWellView {
  return { index, position: null, row: null, col: null, sample: 'S', target: 'T', task: 'unknown', cq: null, cqText: '', omitted: false, flags: [], line: index + 1, canOmit: true, canEditCq: true, ...p };
}

/** Through JSON, as postMessage would carry it. */
const wire = <T>(x: T): T => JSON.parse(JSON.stringify(x)) as T;

test('encodePlateWells/decodePlateWells: every field back exactly, edge cases included', () => {
  const wells = [
    well(0, { position: 'A1', row: 0, col: 0, sample: 'P1', target: 'miR-21', cq: 23.456, cqText: '23.456', line: 12, flags: ['HIGHSD', 'NOAMP'] }),
    well(1, { position: 'A2', row: 0, col: 1, sample: 'P1', target: 'miR-21', cq: 23.5, cqText: '23,500', line: 13, omitted: true, canOmit: false }),
    well(2, { cq: null, cqText: 'Undetermined', noCq: 'undetermined', line: 13, canEditCq: false, flags: ['NOAMP', 'HIGHSD'] }),
    well(3, { sample: '', target: '', cq: 0, cqText: '0', line: 9, flags: ['HIGHSD', 'NOAMP'] }),
    well(4, { cq: null, cqText: '', noCq: 'empty', line: 0, task: 'ntc' }),
    well(5, { cq: 1e-7, cqText: '1e-7', position: 'H12', row: 7, col: 11 }),
  ];
  const back = decodePlateWells(wire(encodePlateWells(wells)));
  assert.deepEqual(back, wells);
  assert.ok(!('noCq' in back[0]), 'no noCq key where the well has none');
  const c = encodePlateWells(wells);
  assert.deepEqual(c.cqText.slice(0, 2), [-1, c.strings.indexOf('23,500')], 'a Cq written as its own number is not repeated');
  assert.equal(c.flagSets.length, 2, 'identical flag lists are stored once');
  assert.deepEqual(decodePlateWells(encodePlateWells([])), []);
  assert.throws(() => encodePlateWells([well(1, {})]), /index order/);
});

test('toPlateState sends columns a fraction of the size of one object per well, and they decode to the same wells', () => {
  const text = fs.readFileSync(path.join(repoRoot, 'test', 'e2e', 'fixtures', 'ExperimentWithNTC.txt'), 'utf8');
  const r = importPlate(text, 'ExperimentWithNTC.txt');
  assert.ok(r.plate);
  const qc = runQc(r.plate, DEFAULT_QC, text);
  const m = toPlateState(r.plate, [...r.diagnostics, ...qc], { fileName: 'x.txt', version: 1, readonly: false, qc: { replicateSd: 0.5, maxCq: 35 } });
  const s = decodePlateState(wire(m));
  assert.equal(s.wells.length, r.plate.wells.length);
  for (const w of r.plate.wells) {
    const v = s.wells[w.index];
    assert.deepEqual([v.index, v.position, v.row, v.col, v.sample, v.target, v.task, v.cq, v.cqText, v.noCq, v.omitted, v.flags, v.line],
      [w.index, w.position, w.row, w.col, w.sample, w.target, w.task, w.cq, w.cqText, w.noCq, w.omitted, w.flags, w.line]);
  }
  assert.deepEqual({ ...s, wells: undefined }, { ...wire(m), wells: undefined });
  const objects = JSON.stringify(s.wells).length;
  const columns = JSON.stringify(m.wells).length;
  assert.ok(columns < objects / 3, `columns ${columns} vs objects ${objects} characters`);
});
