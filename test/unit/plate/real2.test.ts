/**
 * Second real instrument file per format (test/fixtures/real2; provenance and what may differ from the original
 * bytes in test/fixtures/real2/README.md). Expected values were read off the files by hand.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { fixture } from '../helpers';
import { detectFormat, decodeText, importPlate } from '../../../src/engine/plate/index';
import type { Plate, Well } from '../../../src/engine/plate/model';
import { rangeProblem } from '../../fuzz/plateFuzz';

const load = (rel: string): Uint8Array => new Uint8Array(fs.readFileSync(fixture(...rel.split('/'))));
function at(p: Plate, pos: string): Well {
  const w = p.wells.find((x) => x.position === pos);
  assert.ok(w, `no well ${pos} in ${p.file}`);
  return w!;
}

const LC = 'real2/lightcycler/Stuart_dAgr_glyS_spoVG_5S_individualWells_Cq.txt';
const LC_STEM = 'Stuart_dAgr_glyS_spoVG_5S_individualWells_Cq';

test('real2 LightCycler 480 (tidyqpcr, 96 wells): format, wells, Cp values, empty Cp, samples, target', () => {
  const bytes = load(LC);
  const text = decodeText(bytes).text;
  assert.equal(detectFormat(text, 'Stuart_dAgr_glyS_spoVG_5S_individualWells_Cq.txt'), 'lightcycler');
  const r = importPlate(bytes, `${LC_STEM}.txt`);
  assert.ok(r.plate, r.diagnostics.map((d) => d.message).join('; '));
  assert.equal(r.diagnostics.filter((d) => d.severity === 'error').length, 0);
  const p = r.plate!;
  assert.equal(p.format, 'lightcycler');
  assert.equal(p.instrument, 'Roche LightCycler 480');
  assert.equal(p.wells.length, 96);
  assert.deepEqual([p.rows, p.cols], [8, 12]);
  assert.equal(p.conventions.delimiter, '\t');
  assert.equal(p.meta['Experiment'], 'Stuart_WT_dAgr_spoVG_glyS_5S');
  assert.equal(p.meta['Selected Filter'], 'SYBR Green I / HRM Dye (483-533)');

  // Cp values at named wells (file lines 3, 15, 33, 50, 95).
  assert.deepEqual([at(p, 'A1').sample, at(p, 'A1').cq, at(p, 'A1').line], ['WT OD0.5 glyS', 13.98, 2]);
  assert.deepEqual([at(p, 'B2').sample, at(p, 'B2').cq, at(p, 'B2').cqText], ['WT ODON glyS', 19, '19.00']);
  // Cp < 10 is right-aligned with two leading spaces in this export.
  const c7 = at(p, 'C7');
  assert.deepEqual([c7.sample, c7.cq, c7.cqText], ['WT OD0.5 5S', 4.91, '  4.91']);
  assert.equal(at(p, 'E3').cq, 14);
  assert.deepEqual([at(p, 'H9').sample, at(p, 'H9').cq], ['dAgr ODON 5S', 5.19]);
  // The Cq range covers exactly the Cp cell, padding included.
  const lines = text.split(/\r\n|\r|\n/);
  const rc = c7.ranges.cq!;
  assert.equal(lines[rc.start.line].slice(rc.start.character, rc.end.character), '  4.91');

  // No Cp: the six empty wells (color 65280, "Sample 46/47/48/94/95/96").
  const noCp = p.wells.filter((w) => w.cq === null);
  assert.deepEqual(noCp.map((w) => w.position), ['D10', 'D11', 'D12', 'H10', 'H11', 'H12']);
  for (const w of noCp) assert.equal(w.noCq, 'empty', w.position!);
  assert.deepEqual([at(p, 'D10').sample, at(p, 'H12').sample], ['Sample 46', 'Sample 96']);
  assert.equal(p.wells.filter((w) => w.cq !== null).length, 90);

  // Include = True everywhere: nothing omitted.
  assert.equal(p.wells.filter((w) => w.omitted).length, 0);
  // 2 strains x 5 ODs x 3 genes = 30 named samples, plus 6 unnamed wells.
  assert.equal(new Set(p.wells.map((w) => w.sample)).size, 36);
  // No target column: one target, the file-name stem (or opts.target).
  assert.deepEqual([...new Set(p.wells.map((w) => w.target))], [LC_STEM]);
  const named = importPlate(bytes, 'x.txt', { target: 'glyS/spoVG/5S' }).plate!;
  assert.deepEqual([...new Set(named.wells.map((w) => w.target))], ['glyS/spoVG/5S']);

  for (const d of r.diagnostics) assert.equal(rangeProblem(d.range, lines), null, d.code);
  for (const w of p.wells) assert.equal(rangeProblem(w.ranges.cq!, lines), null, `${w.position} cq range`);
});

test('real2 LightCycler 480: CRLF line ends (inferred from the retrieved length, see README)', () => {
  const bytes = load(LC);
  assert.equal(bytes.length, 3684);
  const p = importPlate(bytes, `${LC_STEM}.txt`).plate!;
  assert.equal(p.conventions.lineEnding, '\r\n');
  assert.equal(p.conventions.bom, false);
});
