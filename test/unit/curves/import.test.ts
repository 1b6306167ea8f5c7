/**
 * Curve import (issue 20 part 1): RDML adp/mdp and QuantStudio [Amplification Data]/[Melt Curve Raw Data] into the
 * curve store. RDML points are checked against an independent reading of the same XML (one regular expression per
 * `<data>` element); values are compared after rounding to float32, the store's precision.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { strFromU8, unzipSync } from 'fflate';
import { fixture } from '../helpers';
import { cellEdit, importPlate } from '../../../src/engine/plate/index';
import { curveOf, type CurveTable } from '../../../src/engine/curves/store';
import type { Plate } from '../../../src/engine/plate/model';

const bytes = (...p: string[]) => new Uint8Array(fs.readFileSync(fixture(...p)));
const plateOf = (data: string | Uint8Array, name: string): { plate: Plate; codes: string[]; diags: ReturnType<typeof importPlate>['diagnostics'] } => {
  const r = importPlate(data, name);
  assert.ok(r.plate, r.diagnostics.map((d) => d.message).join('; '));
  return { plate: r.plate, codes: r.diagnostics.map((d) => d.code), diags: r.diagnostics };
};

/** Per `<data>` element in document order: its adp (cyc, fluor) and mdp (tmp, fluor) points. */
function expectedPoints(xml: string): { adp: number[][]; mdp: number[][] }[] {
  return [...xml.matchAll(/<data>([\s\S]*?)<\/data>/g)].map((m) => ({
    adp: [...m[1].matchAll(/<adp>\s*<cyc>([^<]*)<\/cyc>\s*(?:<tmp>[^<]*<\/tmp>\s*)?<fluor>([^<]*)<\/fluor>\s*<\/adp>/g)].map((a) => [Number(a[1]), Number(a[2])]),
    mdp: [...m[1].matchAll(/<mdp>\s*<tmp>([^<]*)<\/tmp>\s*<fluor>([^<]*)<\/fluor>\s*<\/mdp>/g)].map((a) => [Number(a[1]), Number(a[2])]),
  }));
}

function assertTable<R extends string>(t: CurveTable<R> | undefined, expected: number[][][], name: string): void {
  const withPoints = expected.map((p, i) => [i, p] as const).filter(([, p]) => p.length > 0);
  assert.equal(t?.wells.length ?? 0, withPoints.length, `${name}: curves`);
  for (const [well, pts] of withPoints) {
    const c = curveOf(t, well)!;
    const sorted = [...pts].sort((a, b) => a[0] - b[0]);
    assert.deepEqual([...c.x], sorted.map((p) => Math.fround(p[0])), `${name} well ${well} x`);
    assert.deepEqual([...c.y], sorted.map((p) => Math.fround(p[1])), `${name} well ${well} y`);
  }
}

for (const [name, reactions, withAdp, withMdp] of [
  ['matrix_gaps', 72, 71, 0], ['shifted_baseline', 144, 144, 0], ['sybr_stability', 64, 64, 0], ['own_mix_a', 22, 22, 22],
] as const) {
  test(`RDML ${name}: every adp/mdp point of every reaction, as the XML has them`, () => {
    const raw = bytes('rdml', `${name}.rdml`);
    const { plate } = plateOf(raw, `${name}.rdml`);
    const xml = strFromU8(unzipSync(raw)['rdml_data.xml']);
    const exp = expectedPoints(xml);
    assert.equal(plate.wells.length, reactions);
    assert.equal(exp.length, reactions);
    assert.equal(plate.curves?.amplification?.wells.length ?? 0, withAdp);
    assert.equal(plate.curves?.melt?.wells.length ?? 0, withMdp);
    assertTable(plate.curves?.amplification, exp.map((e) => e.adp), name);
    assertTable(plate.curves?.melt, exp.map((e) => e.mdp), name);
    assert.deepEqual(plate.curves?.amplification?.readouts, ['fluor']);
    assert.ok(plate.curves!.bytes < 1_000_000);
  });
}

const BARE = [
  '<rdml version="1.3"><experiment id="e"><run id="r"><pcrFormat><rows>8</rows><columns>12</columns><rowLabel>ABC</rowLabel><columnLabel>123</columnLabel></pcrFormat>',
  '<react id="1"><sample id="s"/><data><tar id="t"/><cq>20</cq>',
  '<adp><cyc>2</cyc><fluor>1.5</fluor></adp><adp><cyc>1</cyc><fluor>1.25</fluor></adp>',
  '<adp><cyc>3</cyc><fluor>x1</fluor></adp></data></react>',
  '<react id="2"><sample id="s"/><data><tar id="t"/><cq>21</cq><mdp><tmp>60</tmp><fluor>9</fluor></mdp><mdp><fluor>8</fluor></mdp></data></react>',
  '</run></experiment></rdml>',
].join('\n');

test('RDML bare XML: points sorted by cycle, bad points skipped with a warning at their line and column', () => {
  const { plate, diags } = plateOf(BARE, 'bare.rdml');
  const a = curveOf(plate.curves!.amplification, 0)!;
  assert.deepEqual([...a.x], [1, 2]);
  assert.deepEqual([...a.y], [1.25, 1.5]);
  assert.deepEqual([...curveOf(plate.curves!.melt, 1)!.x], [60]);
  const bad = diags.filter((d) => d.code === 'rdml-curve-point');
  assert.equal(bad.length, 2);
  assert.equal(bad[0].range.start.line, 3);
  assert.equal(bad[0].range.start.character, BARE.split('\n')[3].indexOf('x1'));
  assert.match(bad[0].message, /<fluor>x1<\/fluor>, not a number/);
  assert.equal(bad[1].range.start.line, 4);
  assert.match(bad[1].message, /without <tmp>/);
});

test('RDML: a <data> element the importer does not read → curves not attached, with a warning (never misattributed)', () => {
  const odd = BARE.replace('<experiment id="e">', '<data><adp><cyc>1</cyc><fluor>1</fluor></adp></data><experiment id="e">');
  const { plate, codes } = plateOf(odd, 'odd.rdml');
  assert.equal(plate.curves, undefined);
  assert.ok(codes.includes('rdml-curves-unmatched'));
});

test('QuantStudio [Amplification Data]: Rn and ΔRn per reaction, matched by Well number and target', () => {
  const { plate, codes } = plateOf(bytes('allotropy', 'appbio_quantstudio_example01.txt'), 'ex01.txt');
  const t = plate.curves!.amplification!;
  assert.deepEqual(t.readouts, ['rn', 'deltaRn']);
  assert.equal(t.wells.length, 8);
  const a1 = plate.wells.findIndex((w) => w.position === 'A1');
  assert.deepEqual([...curveOf(t, a1)!.y], [0.612, 0.619, 0.626].map(Math.fround));
  assert.deepEqual([...curveOf(t, a1, 'deltaRn')!.y], [-0.007, -0.005, -0.001].map(Math.fround));
  const a8 = plate.wells.findIndex((w) => w.position === 'A8');
  assert.deepEqual([...curveOf(t, a8)!.x], [1, 2, 3]);
  assert.equal(curveOf(t, plate.wells.findIndex((w) => w.position === 'A9')), null);
  assert.equal(plate.curves!.melt, undefined); // its [Melt Curve Raw Data] section has a header only
  assert.deepEqual(codes, []);
  // Multiplexed wells: example02 has IPC and a second target per well.
  const two = plateOf(bytes('allotropy', 'appbio_quantstudio_example02.txt'), 'ex02.txt').plate;
  for (const w of two.curves!.amplification!.wells) {
    const c = curveOf(two.curves!.amplification, w)!;
    assert.equal(c.x.length, 40, `${two.wells[w].position} ${two.wells[w].target}`);
  }
  assert.ok(new Set([...two.curves!.amplification!.wells].map((w) => two.wells[w].target)).size >= 2);
});

test('QuantStudio: omitting a well leaves the curves as they were (the edit touches one [Results] cell)', () => {
  const text = fs.readFileSync(fixture('allotropy', 'appbio_quantstudio_example01.txt'), 'utf8');
  const { plate } = plateOf(text, 'ex01.txt');
  const fix = cellEdit(plate, plate.wells[0], 'omit')!;
  const lines = text.split('\n');
  const e = fix.edits[0];
  const l = lines[e.range.start.line];
  lines[e.range.start.line] = l.slice(0, e.range.start.character) + e.newText + l.slice(e.range.end.character);
  const after = plateOf(lines.join('\n'), 'ex01.txt').plate;
  assert.equal(after.wells[0].omitted, true);
  assert.deepEqual([...after.curves!.amplification!.y.rn!], [...plate.curves!.amplification!.y.rn!]);
});

const MELT = [
  '[Melt Curve Raw Data]',
  'Well\tWell Position\tReading\tTemperature\tFluorescence\tDerivative',
  '1\tA1\t2\t60.5\t1,200.5\t0.1',
  '1\tA1\t1\t60.2\t1,250.0\t0.05',
  '2\tA2\t1\t60.2\tabc\t0.2',
  '99\tH12\t1\t60.2\t1.0\t0.2',
].join('\n');

test('QuantStudio [Melt Curve Raw Data]: temperature, fluorescence and derivative; bad rows located', () => {
  const text = fs.readFileSync(fixture('allotropy', 'appbio_quantstudio_example01.txt'), 'utf8').replace(/\[Melt Curve Raw Data\][^\n]*\n[^\n]*\n?/, `${MELT}\n`);
  const { plate, diags } = plateOf(text, 'melt.txt');
  const m = plate.curves!.melt!;
  assert.deepEqual(m.readouts, ['fluor', 'derivative']);
  assert.deepEqual([...curveOf(m, 0)!.x], [60.2, 60.5].map(Math.fround));
  assert.deepEqual([...curveOf(m, 0)!.y], [1250, 1200.5]);
  assert.deepEqual([...curveOf(m, 0, 'derivative')!.y], [0.05, 0.1].map(Math.fround));
  const lines = text.split('\n');
  const at = lines.indexOf(MELT.split('\n')[4]);
  const bad = diags.filter((d) => d.code === 'curve-row');
  assert.equal(bad.length, 2);
  assert.deepEqual(bad[0].range.start, { line: at, character: lines[at].indexOf('abc') });
  assert.match(bad[0].message, /"abc" in column fluorescence is not a number/);
  assert.equal(bad[1].range.start.line, at + 1);
  assert.match(bad[1].message, /well 99: no such reaction/);
});

test('files without curve sections get no store', () => {
  assert.equal(plateOf(bytes('allotropy', 'example_quantsudio_results_only.txt'), 'r.txt').plate.curves, undefined);
  assert.equal(plateOf(BARE.replace(/<adp>.*?<\/adp>|<mdp>.*?<\/mdp>/g, ''), 'n.rdml').plate.curves, undefined);
});

test('RDML: 384 reactions × 50 cycles (19,200 points) import with their curves in well under a second per plate', () => {
  const parts = ['<rdml version="1.3"><experiment id="e"><run id="r"><pcrFormat><rows>16</rows><columns>24</columns><rowLabel>ABC</rowLabel><columnLabel>123</columnLabel></pcrFormat>'];
  for (let r = 1; r <= 384; r++) {
    parts.push(`<react id="${r}"><sample id="s${r % 7}"/><data><tar id="t"/><cq>${20 + (r % 10)}</cq>`);
    for (let c = 1; c <= 50; c++) parts.push(`<adp><cyc>${c}</cyc><fluor>${(1 + 1 / (1 + Math.exp(25 - c))).toFixed(4)}</fluor></adp>`);
    parts.push('</data></react>');
  }
  parts.push('</run></experiment></rdml>');
  const xml = parts.join('\n');
  importPlate(xml, 'warm.rdml');
  const t0 = performance.now();
  const { plate } = plateOf(xml, 'big.rdml');
  const ms = performance.now() - t0;
  assert.equal(plate.curves!.amplification!.wells.length, 384);
  assert.equal(plate.curves!.amplification!.x.length, 384 * 50);
  assert.ok(plate.curves!.bytes < 200_000, `${plate.curves!.bytes} bytes`);
  assert.ok(ms < 2000, `${ms.toFixed(0)} ms`); // ~50 ms unloaded; generous for a shared CI machine
});

test('QuantStudio: a [Results] table without a Well column → the curve sections are not read, with a located warning', () => {
  const text = fs.readFileSync(fixture('allotropy', 'appbio_quantstudio_example01.txt'), 'utf8')
    .replace(/^Well\tWell Position\tOmit/m, 'Nr\tWell Position\tOmit');
  const { plate, diags } = plateOf(text, 'nowell.txt');
  assert.equal(plate.curves, undefined);
  const d = diags.find((x) => x.code === 'curves-unmatched')!;
  assert.equal(text.split('\n')[d.range.start.line], '[Amplification Data]');
});
