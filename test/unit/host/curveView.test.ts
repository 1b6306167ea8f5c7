/**
 * The plate editor's curve view: the host's `toCurvesView` (curves as plain arrays, melt -dF/dT from the file or
 * computed), the state's curve counts, and the webview's pure helpers (webview/plate/curveModel.ts).
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { fixture } from '../helpers';
import { importPlate } from '../../../src/engine/plate/index';
import { DEFAULT_QC } from '../../../src/engine/plate/model';
import { runQc } from '../../../src/engine/qc/index';
import { CurveBuilder, curveOf } from '../../../src/engine/curves/store';
import { analyseMelt, meltDerivative } from '../../../src/engine/curves/melt';
import { toCurvesView, toPlateState } from '../../../src/host/plateEditor/plateView';
import { curveWells, logTicks, nearestCurve, plotFrame } from '../../../webview/plate/curveModel';
import type { PlateWellView } from '../../../src/shared/plateProtocol';

const view = { fileName: 'f', version: 0, readonly: true, qc: { replicateSd: 0.5, maxCq: 35 } };

test('toCurvesView: every readout, 7 significant digits, melt derivative computed when the file has none', () => {
  const plate = importPlate(new Uint8Array(fs.readFileSync(fixture('rdml', 'own_mix_a.rdml'))), 'own_mix_a.rdml').plate!;
  const v = toCurvesView(plate.curves)!;
  assert.equal(v.amplification!.length, 1);
  assert.equal(v.amplification![0].curves.length, 22);
  const first = v.amplification![0].curves[0];
  const c = curveOf(plate.curves!.amplification, first.well)!;
  assert.deepEqual(first.x, [...c.x]);
  assert.ok(first.y.every((y, i) => Math.abs(y - c.y[i]) <= 1e-6 * Math.abs(c.y[i])));
  assert.equal(v.melt!.derivative, 'computed');
  const m = curveOf(plate.curves!.melt, v.melt!.curves[0].well)!;
  const d = meltDerivative(Array.from(m.x), Array.from(m.y)); // melt.ts's, the curve the Tm calls are made on
  assert.ok(v.melt!.curves[0].y.every((y, i) => Math.abs(y - d[i]) <= 1e-6 * Math.abs(d[i]) + 1e-9));
  // the plotted curve is the one the Tm is called on: its highest point is analyseMelt's main peak
  const top = v.melt!.curves[0].y.reduce((best, y, i, a) => (y > a[best] ? i : best), 0);
  assert.equal(top, analyseMelt(Array.from(m.x), Array.from(m.y)).peaks[0].index);
  // Only wells below maxWells (what a truncated state carries).
  assert.ok(toCurvesView(plate.curves, 0)!.amplification![0].curves.length === 0);
  // The first state carries counts only.
  const s = toPlateState(plate, [], view);
  assert.deepEqual(s.curves, { amplification: 22, melt: 22 });
  assert.ok(!JSON.stringify(s).includes('"x":'));
  assert.equal(toCurvesView(undefined), null);
});

test('toCurvesView: the file\'s own melt derivative is preferred; QuantStudio readouts are labelled', () => {
  const b = new CurveBuilder();
  b.melt(['fluor', 'derivative']).add(0, 60, [10, 0.5]);
  b.amplification(['rn', 'deltaRn']).add(0, 1, [1, 0]);
  const v = toCurvesView(b.build())!;
  assert.deepEqual(v.melt, { derivative: 'file', curves: [{ well: 0, x: [60], y: [0.5] }] });
  assert.deepEqual(v.amplification!.map((a) => a.label), ['Rn', '\u0394Rn']);
});

const w = (index: number, sample: string, target: string): PlateWellView => ({ index, position: null, row: null, col: null, sample, target, task: 'unknown', cq: null, cqText: '', omitted: false, flags: [], line: index, canOmit: false, canEditCq: false });

test('curveWells: the target filter, the selected well\'s replicate group, or the well', () => {
  const all = [w(0, 'a', 'T'), w(1, 'a', 'T'), w(2, 'b', 'T'), w(3, 'a', 'U')];
  assert.deepEqual([...curveWells('shown', all.slice(0, 3), all, 1)], [0, 1, 2]);
  assert.deepEqual([...curveWells('group', all, all, 1)], [0, 1]);
  assert.deepEqual([...curveWells('well', all, all, 3)], [3]);
  assert.deepEqual([...curveWells('group', all, all, undefined)], []);
});

test('plotFrame and nearestCurve: log axis drops non-positive values; the curve under the mouse is found', () => {
  const box = { width: 110, height: 110, left: 10, right: 0, top: 0, bottom: 10 };
  const series = [{ well: 4, x: [0, 10], y: [1, 100] }, { well: 7, x: [0, 10], y: [-5, 10] }];
  const lin = plotFrame(series, box, false)!;
  assert.equal(lin.px(0), 10);
  assert.equal(lin.px(10), 110);
  const log = plotFrame(series, box, true)!;
  assert.equal(log.py(-5), null);
  assert.ok(log.y0 < 0 && log.y1 > 2); // log10 1 … log10 100, padded
  // Midway along well 4's segment on the linear frame.
  const mx = lin.px(5), my = lin.py(50.5)!;
  assert.equal(nearestCurve(series, lin, mx, my), 4);
  assert.equal(nearestCurve(series, lin, mx, my - 40), null);
  assert.equal(plotFrame([{ well: 0, x: [1], y: [0] }], box, true), null);
  assert.deepEqual(logTicks(-0.1, 2.1), [0, 1, 2]);
});

test('toCurvesView: a melt curve melt.ts cannot take (2 points) plots as NaN instead of failing the view', () => {
  const b = new CurveBuilder();
  const m = b.melt(['fluor']);
  m.add(0, 60, [10]);
  m.add(0, 61, [8]);
  const v = toCurvesView(b.build())!;
  assert.equal(v.melt!.derivative, 'computed');
  assert.ok(v.melt!.curves[0].y.every((y) => Number.isNaN(y)));
});

test('toPlateState on a zipped RDML (no source lines): QC findings attach to the wells they name, file-level ones to none', () => {
  const r = importPlate(new Uint8Array(fs.readFileSync(fixture('rdml', 'own_mix_a.rdml'))), 'own_mix_a.rdml');
  const plate = r.plate!;
  assert.ok(new Set(plate.wells.map((w) => w.line)).size === 1, 'every well on one line');
  const qc = runQc(plate, DEFAULT_QC);
  assert.ok(qc.length > 3 && qc.every((d) => d.wells?.length === 1), 'each QC finding names its well');
  const s = toPlateState(plate, [...r.diagnostics, ...qc], view);
  for (const issue of s.issues) {
    const d = [...r.diagnostics, ...qc].find((x) => x.message === issue.message)!;
    assert.deepEqual(issue.wells, d.wells ?? [], issue.code);
  }
  const fileLevel = s.issues.find((i) => i.code === 'rdml-no-cq');
  assert.ok(fileLevel && fileLevel.wells.length === 0, 'the file-level note is not listed under every well');
  // On a text plate, attaching by line (the findings stripped of their wells) gives the wells the findings name.
  const text = fs.readFileSync(fixture('htqpcr', 'CFX_sample.txt'), 'utf8');
  const tp = importPlate(text, 'CFX_sample.txt').plate!;
  const tqc = runQc(tp, DEFAULT_QC, text);
  assert.ok(tqc.length > 10);
  const ts = toPlateState(tp, tqc.map(({ wells: _w, ...d }) => d), view);
  for (const [k, issue] of ts.issues.entries()) assert.deepEqual(issue.wells, tqc[k].wells, tqc[k].code);
});
