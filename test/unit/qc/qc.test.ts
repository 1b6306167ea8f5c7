/** QC rules, one by one, on small CRAFTED texts (code, severity, range), plus the quick fixes. */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { fixture } from '../helpers';
import { importPlate } from '../../../src/engine/plate/index';
import { DEFAULT_QC, type QcSettings } from '../../../src/engine/plate/model';
import { runQc } from '../../../src/engine/qc/index';
import type { EngineDiagnostic, Range } from '../../../src/engine/common/diagnostic';

function qc(text: string, settings: QcSettings = DEFAULT_QC, name = 'qc.csv'): { all: EngineDiagnostic[]; importDiags: EngineDiagnostic[] } {
  const r = importPlate(text, name);
  assert.ok(r.plate, r.diagnostics.map((d) => d.message).join('; '));
  return { all: runQc(r.plate!, settings, text), importDiags: r.diagnostics };
}
const R = (line: number, a: number, b: number): Range => ({ start: { line, character: a }, end: { line, character: b } });
const only = (ds: EngineDiagnostic[], code: string) => ds.filter((d) => d.code === code);
const apply = (text: string, d: EngineDiagnostic): string => {
  const lines = text.split('\n');
  const e = d.fixes![0].edits[0];
  const l = lines[e.range.start.line];
  lines[e.range.start.line] = l.slice(0, e.range.start.character) + e.newText + l.slice(e.range.end.character);
  return lines.join('\n');
};

const H = 'sample,target,cq,well,task\n';

test('clean plate: no QC findings', () => {
  const { all } = qc(H + 'S1,G,20.0,A1,unknown\nS1,G,20.2,A2,unknown\nS1,R,18.0,A3,unknown\nS1,R,18.1,A4,unknown\n', { ...DEFAULT_QC, referenceTargets: ['R'] });
  assert.deepEqual(all, []);
});

test('replicate-sd: SD above the threshold marks every Cq of the group', () => {
  const { all } = qc(H + 'S1,G,20.0,A1,\nS1,G,21.5,A2,\nS1,G,20.1,A3,\nS2,G,20.0,B1,\nS2,G,20.1,B2,\n');
  const d = only(all, 'replicate-sd');
  assert.deepEqual(d.map((x) => x.range), [R(1, 5, 9), R(2, 5, 9), R(3, 5, 9)]);
  assert.ok(d.every((x) => x.severity === 'warning'));
  assert.match(d[0].message, /SD 0\.839 > 0\.5/);
  // threshold respected
  assert.deepEqual(only(qc(H + 'S1,G,20.0,A1,\nS1,G,21.5,A2,\n', { ...DEFAULT_QC, replicateSd: 2 }).all, 'replicate-sd'), []);
});

test('late-cq: above maxCq (strictly), warning on the Cq cell', () => {
  const { all } = qc(H + 'S1,G,35.0,A1,\nS1,G,35.01,A2,\n', { ...DEFAULT_QC, replicateSd: 9 });
  const d = only(all, 'late-cq');
  assert.deepEqual(d.map((x) => [x.severity, x.range]), [['warning', R(2, 5, 10)]]);
});

test('ntc-amplified: error below ntcMinCq, warning at/above, nothing for Undetermined', () => {
  const { all } = qc(H + 'NTC,G,30.5,H10,NTC\nNTC,G,36.2,H11,NTC\nNTC,G,Undetermined,H12,NTC\n');
  const d = only(all, 'ntc-amplified');
  assert.deepEqual(d.map((x) => [x.severity, x.range]), [['error', R(1, 6, 10)], ['warning', R(2, 6, 10)]]);
  assert.deepEqual(only(all, 'late-cq'), []); // NTCs are not double-reported as late
});

test('no-reference: a sample without any reference target (only when reference targets are given)', () => {
  const text = H + 'S1,IL6,25,A1,\nS1,GAPDH,18,A2,\nS2,IL6,26,B1,\n';
  const d = only(qc(text, { ...DEFAULT_QC, referenceTargets: ['GAPDH', 'ACTB'] }).all, 'no-reference');
  assert.equal(d.length, 1);
  assert.deepEqual([d[0].severity, d[0].range], ['warning', R(3, 0, 2)]);
  assert.match(d[0].message, /S2 has IL6 but none of the reference targets \(GAPDH, ACTB\)/);
  assert.deepEqual(only(qc(text).all, 'no-reference'), []);
});

test('mixed-decimal: the minority decimal mark is reported on its Cq cell', () => {
  const text = 'sample;target;cq;well\nS1;G;20.1;A1\nS1;G;20.2;A2\nS2;G;21,3;B1\n';
  const d = only(qc(text, { ...DEFAULT_QC, replicateSd: 9 }).all, 'mixed-decimal');
  assert.deepEqual(d.map((x) => [x.severity, x.range]), [['warning', R(3, 5, 9)]]);
});

test('well-duplicate and well-outside-plate', () => {
  const text = H + 'S1,G,20,A1,\nS2,G,21,A1,\nS3,H,22,A1,\nS4,G,23,Q1,\n';
  const { all } = qc(text, { ...DEFAULT_QC, replicateSd: 9 });
  assert.deepEqual(only(all, 'well-duplicate').map((x) => [x.severity, x.range]), [['warning', R(2, 8, 10)]]); // A1/G twice; A1/H is a multiplex
  assert.deepEqual(only(all, 'well-outside-plate').map((x) => [x.severity, x.range]), [['error', R(4, 8, 10)]]); // row Q beyond P on a 384 plate
  // Block Type in a QuantStudio preamble fixes the geometry: I1 is outside a 96-well block.
  const qs = '* Block Type = 96-Well Block (0.2mL)\n\n[Results]\nWell\tWell Position\tOmit\tSample Name\tTarget Name\tTask\tCT\n1\tA1\tfalse\tS\tG\tUNKNOWN\t20\n2\tI1\tfalse\tS\tG\tUNKNOWN\t20.1\n';
  const o = only(qc(qs, DEFAULT_QC, 'q.txt').all, 'well-outside-plate');
  assert.deepEqual(o.map((x) => x.range), [R(5, 2, 4)]);
});

test('few-replicates: a group with fewer usable Cqs than minReplicates', () => {
  const d = only(qc(H + 'S1,G,20,A1,\nS1,G,Undetermined,A2,\nS1,G,Undetermined,A3,\n').all, 'few-replicates');
  assert.deepEqual(d.map((x) => [x.severity, x.range]), [['warning', R(1, 5, 7)]]);
});

test('instrument-flag with an omit-flagged quick fix where the format has an Omit column (QuantStudio)', () => {
  const qs = '* Instrument Type = sds7500\n\n[Results]\nWell\tWell Position\tOmit\tSample Name\tTarget Name\tTask\tCт\tHIGHSD\tNOAMP\n'
    + '1\tA1\tfalse\tS\tG\tUNKNOWN\t20\tY\tN\n2\tA2\ttrue\tS\tG\tUNKNOWN\t20.1\tN\tY\n3\tA3\tfalse\tS\tG\tUNKNOWN\t20.2\tN\tN\n';
  const d = only(qc(qs, DEFAULT_QC, 'q.txt').all, 'instrument-flag');
  assert.equal(d.length, 2);
  assert.deepEqual([d[0].severity, d[0].range], ['warning', R(4, 0, 29)]);
  assert.match(d[0].message, /HIGHSD/);
  assert.equal(d[0].fixes!.length, 1);
  assert.match(d[0].fixes![0].title, /omit-flagged/);
  assert.deepEqual(d[0].fixes![0].edits, [{ range: R(4, 5, 10), newText: 'true' }]);
  const fixed = apply(qs, d[0]);
  assert.equal(importPlate(fixed, 'q.txt').plate!.wells[0].omitted, true);
  // already omitted → info, no fix
  assert.deepEqual([d[1].severity, d[1].fixes], ['info', undefined]);
  // BioMark Call Fail is a flag but BioMark has no Omit column → no fix.
  const bm = importPlate(new Uint8Array(fs.readFileSync(fixture('htqpcr', 'BioMark_sample.csv'))), 'b.csv').plate!;
  const f = runQc(bm, DEFAULT_QC).filter((x) => x.code === 'instrument-flag');
  assert.ok(f.length > 0 && f.every((x) => !x.fixes));
  assert.match(f[0].message, /CALL:FAIL/);
});

test('nocq-variant: a variant spelling gets a certain fix to the dominant spelling; applying it clears the finding', () => {
  const text = H + 'S1,G,Undetermined,A1,\nS1,G,Undetermined,A2,\nS2,G,UNDETERMINED ,A3,\nS2,G,undet.,A4,\nS3,G,20,A5,\n';
  const d = only(qc(text).all, 'nocq-variant');
  assert.equal(d.length, 2);
  assert.deepEqual(d.map((x) => x.range), [R(3, 5, 18), R(4, 5, 11)]);
  assert.deepEqual(d[0].fixes![0].edits, [{ range: R(3, 5, 18), newText: 'Undetermined' }]);
  let t = text;
  for (const x of [...d].reverse()) t = apply(t, x);
  assert.equal(t, text.replace('UNDETERMINED ', 'Undetermined').replace('undet.', 'Undetermined'));
  assert.deepEqual(only(qc(t).all, 'nocq-variant'), []);
  // If the document text no longer matches the range, the fix is not offered (it would not be certain).
  const r = importPlate(text, 'qc.csv').plate!;
  const stale = runQc(r, DEFAULT_QC, text.replace('UNDETERMINED ', 'XUNDETERMINED'));
  assert.ok(only(stale, 'nocq-variant').some((x) => !x.fixes));
});

test('import problems are not repeated by QC; every QC finding on real fixtures has a range inside the file', () => {
  const text = H + 'S1,G,2O.5,A1,\nS1,G\n';
  const { all, importDiags } = qc(text);
  assert.deepEqual(importDiags.map((d) => d.code).sort(), ['cq-unparseable', 'row-not-a-well']);
  assert.ok(!all.some((d) => d.code === 'cq-unparseable' || d.code === 'row-not-a-well'));
  for (const f of [['ddct', 'QuantStudio_File1.txt'], ['qs-design-analysis', 'Results_20240213_184604.csv'], ['htqpcr', 'SDS_sample.txt']]) {
    const t = new TextDecoder().decode(fs.readFileSync(fixture(...f)));
    const p = importPlate(t, f[1]).plate!;
    const lines = t.split(/\r\n|\r|\n/);
    const ds = runQc(p, DEFAULT_QC, t);
    assert.ok(ds.length > 0, f[1]);
    for (const d of ds) {
      assert.ok(d.range.start.line < lines.length && d.range.end.character <= lines[d.range.end.line].length, `${f[1]} ${d.code}`);
      assert.ok(['error', 'warning', 'info'].includes(d.severity));
    }
  }
  // The real D&A file: UNDETERMINED wells with NO_AMP flags get omit fixes (it has an Omit column).
  const t = new TextDecoder().decode(fs.readFileSync(fixture('qs-design-analysis', 'Results_20240213_184604.csv')));
  const ds = runQc(importPlate(t, 'r.csv').plate!, DEFAULT_QC, t);
  const a4 = ds.find((d) => d.code === 'instrument-flag' && d.range.start.line === 29)!;
  assert.deepEqual(a4.fixes![0].edits[0], { range: R(29, 5, 10), newText: 'TRUE' });
});
