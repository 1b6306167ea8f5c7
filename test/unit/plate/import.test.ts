/** Importers on the real instrument exports in test/fixtures (unmodified copies; see each PROVENANCE.md). */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fixture, repoRoot } from '../helpers';
import { cellEdit, detectFormat, decodeText, importPlate } from '../../../src/engine/plate/index';
import { FORMATS, FORMAT_NAMES, plateFormat } from '../../../src/engine/plate/formats';
import { PLATE_FORMATS } from '../../../src/engine/study/vocabulary';
import type { ImportResult, Plate, Well } from '../../../src/engine/plate/model';
import { PLATE_FIXTURE_DIRS, rangeProblem } from '../../fuzz/plateFuzz';

const load = (rel: string): Uint8Array => new Uint8Array(fs.readFileSync(fixture(...rel.split('/'))));
const imp = (rel: string, opts?: Parameters<typeof importPlate>[2]): ImportResult => importPlate(load(rel), rel, opts);
function plateOf(rel: string, opts?: Parameters<typeof importPlate>[2]): Plate {
  const r = imp(rel, opts);
  assert.ok(r.plate, `${rel}: ${r.diagnostics.map((d) => d.message).join('; ')}`);
  return r.plate!;
}
function at(p: Plate, pos: string, target?: string): Well {
  const w = p.wells.find((x) => x.position === pos && (target === undefined || x.target === target));
  assert.ok(w, `no well ${pos} ${target ?? ''} in ${p.file}`);
  return w!;
}
/** The decoded file's lines (as VS Code would show them, BOM removed), read and split once per file. */
const linesCache = new Map<string, string[]>();
function linesOf(rel: string): string[] {
  let lines = linesCache.get(rel);
  if (!lines) { lines = decodeText(load(rel)).text.split(/\r\n|\r|\n/); linesCache.set(rel, lines); }
  return lines;
}
/** The text a range covers, read from the decoded file. */
function textOf(rel: string, r: { start: { line: number; character: number }; end: { line: number; character: number } } | undefined): string {
  assert.ok(r, 'range present');
  const lines = linesOf(rel);
  assert.equal(r!.start.line, r!.end.line);
  return lines[r!.start.line].slice(r!.start.character, r!.end.character);
}

function allFixtures(): string[] {
  const root = path.join(repoRoot, 'test', 'fixtures');
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) { if (d !== root || PLATE_FIXTURE_DIRS.includes(e.name)) walk(p); } else if (!e.name.endsWith('.md')) out.push(path.relative(root, p).split(path.sep).join('/'));
    }
  };
  walk(root);
  return out;
}

test('every file in ../shared/fixtures (when present beside the repository) has a copy here and imports (plate, or a located error)', () => {
  const shared = path.resolve(repoRoot, '..', 'shared', 'fixtures');
  if (fs.existsSync(shared)) {
    for (const d of fs.readdirSync(shared, { withFileTypes: true })) {
      if (!d.isDirectory()) continue;
      for (const f of fs.readdirSync(path.join(shared, d.name))) {
        assert.ok(fs.existsSync(fixture(d.name, f)), `missing copy of ${d.name}/${f}`);
        assert.deepEqual(load(`${d.name}/${f}`), new Uint8Array(fs.readFileSync(path.join(shared, d.name, f))), `${d.name}/${f} differs from the shared copy`);
      }
    }
  }
  const files = allFixtures();
  assert.ok(files.length >= 30, `only ${files.length} fixtures`);
  for (const rel of files) {
    const r = imp(rel);
    const isZip = rel.endsWith('.rdml');
    const lines = isZip ? null : linesOf(rel);
    for (const d of r.diagnostics) assert.equal(rangeProblem(d.range, lines), null, `${rel}: ${d.code}`);
    if (rel.endsWith('appbio_quantstudio_minimal_missing_results.txt')) { assert.equal(r.plate, null); continue; }
    assert.ok(r.plate, `${rel}: ${r.diagnostics.map((d) => d.message).join('; ')}`);
    assert.ok(r.plate!.wells.length > 0, rel);
    for (const w of r.plate!.wells) {
      for (const k of ['row', 'cq', 'position', 'sample', 'target', 'omit'] as const) assert.equal(rangeProblem(w.ranges[k] ?? w.ranges.row ?? { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, lines), null, `${rel} well ${w.index} ${k}`);
      if (!isZip) assert.equal(textOf(rel, w.ranges.cq).trim(), w.cqText.trim(), `${rel} well ${w.index} cq range`);
      if (w.cq === null && w.noCq === undefined) assert.ok(r.diagnostics.some((d) => (d.code === 'cq-unparseable' || d.code === 'cq-implausible') && d.range.start.line === w.line), `${rel}: unexplained null cq`);
    }
  }
});

test('QuantStudio classic (ViiA 7 ΔΔCт, QS7 Flex P/A, relative std curve, results-only): wells, Cq, Undetermined, flags, thousands', () => {
  const p1 = plateOf('allotropy/appbio_quantstudio_example01.txt');
  assert.equal(p1.format, 'quantstudio');
  assert.equal(p1.wells.length, 16);
  const a1 = at(p1, 'A1');
  assert.deepEqual([a1.sample, a1.target, a1.cq, a1.line, a1.task], ['1SAMPLE_1.1', 'TARGET_1', 18.717, 109, 'unknown']);
  assert.equal(textOf('allotropy/appbio_quantstudio_example01.txt', a1.ranges.cq), '18.717');
  assert.equal(textOf('allotropy/appbio_quantstudio_example01.txt', a1.ranges.omit), 'false');
  assert.equal(p1.instrument, 'ViiA 7');

  const p2 = plateOf('allotropy/appbio_quantstudio_example02.txt');
  assert.equal(p2.wells.length, 96);
  const ipc = at(p2, 'A1', 'IPC');
  assert.deepEqual([ipc.cq, ipc.noCq, ipc.cqText], [null, 'undetermined', 'Undetermined']);
  assert.equal(at(p2, 'D12', 'TGFb').cq, 27.989);
  assert.equal(at(p2, 'A1', 'TGFb').task, 'ntc');

  const p5 = plateOf('allotropy/appbio_quantstudio_example05.txt');
  assert.equal(p5.wells.length, 16);
  assert.equal(at(p5, 'D3').cq, 30.087);
  assert.equal(at(p5, 'D3').sample, 'Lung');
  assert.equal(p5.meta['Experiment Type'], 'Comparative C\u0442 (\u0394\u0394C\u0442)');

  const p7 = plateOf('allotropy/appbio_quantstudio_example07.txt');
  assert.equal(at(p7, 'A2', 'RNaseP').cq, 31.404);
  assert.equal(at(p7, 'A11', 'IPC').quantity, 1250); // written `1,250.000` in a tab file
  assert.equal(at(p7, 'A11', 'IPC').task, 'standard');

  const ro = plateOf('allotropy/example_quantsudio_results_only.txt');
  assert.equal(ro.wells.length, 24);
  assert.equal(at(ro, 'A1').target, "3'UTR"); // first of the two `Target Name` columns
  assert.equal(at(ro, 'A1').quantity, 100000000);
  assert.equal(at(ro, 'B12').cq, 26.592);
  assert.equal(ro.rows, 8);
});

test('QuantStudio 12K Flex OpenArray + SDS 2.x (headed, header-less, CR-only): flags, Omit, targets', () => {
  const qs = plateOf('ddct/QuantStudio_File1.txt');
  assert.equal(qs.wells.length, 3072);
  assert.equal(qs.conventions.lineEnding, '\r\n');
  const a = at(qs, 'A1a1');
  assert.deepEqual([a.cq, a.flags], [29.099, ['HIGHSD']]);
  const u = at(qs, 'A1a3');
  assert.deepEqual([u.cq, u.noCq, u.flags], [null, 'undetermined', ['CRTAMPLITUDE', 'CRTNOISE']]);
  assert.equal(qs.meta['Analysis Type'], 'Singleplex'); // trailing key = value block
  assert.equal(qs.instrument, 'QuantStudio 12K Flex');

  const sds = plateOf('htqpcr/SDS_sample.txt');
  assert.equal(sds.conventions.lineEnding, '\r');
  assert.equal(sds.wells.length, 384);
  assert.deepEqual([at(sds, 'A1').cq, at(sds, 'A1').task, at(sds, 'A1').target], [11.463166, 'reference', 'Gene1']);
  assert.deepEqual([at(sds, 'A9').noCq, at(sds, 'A9').flags], ['undetermined', ['SDS:FLAGGED']]);
  assert.equal(at(sds, 'F9').cq, 27.961891);
  assert.equal(textOf('htqpcr/SDS_sample.txt', at(sds, 'A9').ranges.omit), 'FALSE');

  const bare = imp('htqpcr/sample1.txt');
  assert.equal(detectFormat(decodeText(load('htqpcr/sample1.txt')).text, 'sample1.txt'), 'quantstudio');
  assert.ok(bare.diagnostics.some((d) => d.code === 'no-header' && d.severity === 'info'));
  assert.equal(bare.plate!.wells.length, 384);
  assert.equal(at(bare.plate!, 'A1').line, 0);
  assert.equal(at(bare.plate!, 'A1').cq, 11.463166);

  const e1 = plateOf('ddct/Experiment1.txt');
  assert.equal(e1.wells.length, 18);
  assert.deepEqual([e1.wells[0].sample, e1.wells[0].target, e1.wells[0].cq], ['Sample1', 'Gene3', 35.52575]);
  const ntc = plateOf('ddct/ExperimentWithNTC.txt');
  assert.equal(ntc.wells.length, 21);
  assert.deepEqual([ntc.wells[20].sample, ntc.wells[20].cq], ['NTC', 45.032213]);
});

test('QuantStudio export whose [Results] has no Cq column (genotyping) and one with no [Results] at all: located errors', () => {
  const r = imp('allotropy/appbio_quantstudio_minimal_missing_results.txt');
  assert.equal(r.plate, null);
  const e = r.diagnostics.find((d) => d.severity === 'error')!;
  assert.equal(e.code, 'no-cq-column');
  assert.equal(e.range.start.line, 39); // the header row under [Results] (1-based line 40)
  assert.match(e.message, /genotyping/);
  // Crafted from the same file: cut just before [Results].
  const text = decodeText(load('allotropy/appbio_quantstudio_minimal_missing_results.txt')).text;
  const cut = text.slice(0, text.indexOf('[Results]'));
  const r2 = importPlate(cut, 'cut.txt');
  assert.equal(r2.plate, null);
  assert.equal(r2.diagnostics[0].code, 'no-results');
  assert.equal(r2.diagnostics[0].severity, 'error');
  assert.match(r2.diagnostics[0].message, /\[Sample Setup\], \[Amplification Data\]/);
  assert.ok(r2.diagnostics[0].range.start.line > 0);
});

test('Design & Analysis CSV: # preamble, UNDETERMINED, Amp Status flags, Omit FALSE', () => {
  const rel = 'qs-design-analysis/Results_20240213_184604.csv';
  const p = plateOf(rel);
  assert.equal(p.format, 'quantstudio-da');
  assert.equal(p.wells.length, 384);
  assert.deepEqual([p.rows, p.cols], [16, 24]);
  assert.equal(p.instrument, 'QuantStudio\u2122 7 Pro System');
  const a4 = at(p, 'A4');
  assert.deepEqual([a4.sample, a4.target, a4.cq, a4.noCq, a4.cqText, a4.flags], ['s17', '1', null, 'undetermined', 'UNDETERMINED', ['AMP_STATUS:NO_AMP']]);
  assert.equal(a4.line, 29);
  assert.equal(textOf(rel, a4.ranges.omit), 'FALSE');
  assert.equal(at(p, 'P24').cq, 28.532094);
  assert.equal(p.wells.filter((w) => w.noCq === 'undetermined').length, 35);
});

test('CFX Manager (N/A, CRLF) and CFX Maestro (NaN, empty Target → Fluor): leading empty column', () => {
  const m = plateOf('allotropy/cfxmaestro_example01.csv');
  assert.equal(m.format, 'cfx');
  assert.equal(m.wells.length, 48);
  const a1 = at(m, 'A1');
  assert.deepEqual([a1.cq, a1.sample, a1.target], [21.1877528266099, 'M3905 R Ctx', 'FAM']);
  assert.equal(textOf('allotropy/cfxmaestro_example01.csv', a1.ranges.position), 'A01');
  const c = plateOf('htqpcr/CFX_sample.txt');
  assert.equal(c.wells.length, 330);
  assert.deepEqual([at(c, 'A1').cq, at(c, 'A1').target], [37.42, 'GLP1']);
  const a7 = at(c, 'A7');
  assert.deepEqual([a7.cq, a7.noCq, a7.task], [null, 'na', 'negative']);
});

test('LightCycler 480 (CR-only, ragged rows, no target column): target from the file name or opts.target; Standard column', () => {
  const rel = 'htqpcr/LightCycler_sample.txt';
  const p = plateOf(rel);
  assert.equal(p.format, 'lightcycler');
  assert.equal(p.conventions.lineEnding, '\r');
  assert.equal(p.wells.length, 384);
  assert.deepEqual([at(p, 'A1').cq, at(p, 'A1').target, at(p, 'A1').sample], [16.13, 'LightCycler_sample', 'Sample 1']);
  assert.deepEqual([at(p, 'A2').cq, at(p, 'A2').noCq], [null, 'empty']);
  assert.deepEqual([at(p, 'F9').task, at(p, 'F9').quantity, at(p, 'F9').cq], ['standard', 1000000, 12.64]);
  assert.equal(at(p, 'P24').task, 'ntc'); // "no template control"
  assert.equal(p.meta['Selected Filter'], 'SYBR Green (483-533)');
  assert.equal(textOf(rel, at(p, 'A1').ranges.omit), 'True');
  assert.equal(plateOf(rel, { target: 'miR-21' }).wells[0].target, 'miR-21');
  assert.equal(importPlate(load(rel), 'plates/run1/miR-122.txt').plate!.wells[0].target, 'miR-122');
});

test('BioMark: three-row header, 999 = no call, Call Fail → flag, chamber IDs', () => {
  const p = plateOf('htqpcr/BioMark_sample.csv');
  assert.equal(p.format, 'biomark');
  assert.equal(p.wells.length, 2304);
  assert.deepEqual([p.rows, p.cols], [null, null]);
  const w1 = at(p, 'S48-A01');
  assert.deepEqual([w1.sample, w1.target, w1.cq, w1.flags], ['no preamp', 'b actin', 34.6154024701642, []]);
  const w2 = at(p, 'S48-A02');
  assert.deepEqual([w2.cq, w2.noCq, w2.cqText, w2.flags], [null, 'sentinel', '999', ['CALL:FAIL']]);
  assert.equal(at(p, 'S22-A48').cq, 21.6047140982225);
  assert.equal(p.meta['Application Version'], '2.1.1');
});

test('Rotor-Gene: ; preamble, target from the channel line, multi-assay sections, BOM', () => {
  const p = plateOf('rotor-gene/28S_irregular.csv');
  assert.equal(p.format, 'rotorgene');
  assert.equal(p.wells.length, 24);
  assert.deepEqual([p.wells[0].position, p.wells[0].sample, p.wells[0].target, p.wells[0].cq], ['25', 'NK1', '28S', 7.49]);
  assert.deepEqual([p.rows, p.cols, p.wells[0].col], [1, 72, 24]);
  const m = plateOf('rotor-gene/irregular_multi_assay.csv');
  assert.equal(m.conventions.bom, true);
  assert.equal(m.wells.length, 72);
  assert.deepEqual([...new Set(m.wells.map((w) => w.target))], ['28S', 'HNRNPL protein', 'HNRNPL NMD']);
  const last = m.wells[71];
  assert.deepEqual([last.position, last.cq, last.line], ['48', 22.39, 90]);
  assert.equal(textOf('rotor-gene/irregular_multi_assay.csv', last.ranges.cq), '22.39');
});

test('RDML zips: no-Cq fluorescence-only runs, positions from pcrFormat, reference targets, Cq values', () => {
  const g = imp('rdml/matrix_gaps.rdml');
  assert.equal(g.plate!.format, 'rdml');
  assert.equal(g.plate!.wells.length, 72);
  assert.ok(g.plate!.wells.every((w) => w.cq === null && w.noCq === 'empty'));
  assert.ok(g.diagnostics.some((d) => d.code === 'rdml-no-cq' && d.severity === 'warning'));
  const s = plateOf('rdml/shifted_baseline.rdml');
  assert.equal(s.wells.length, 144);
  assert.deepEqual([s.rows, s.cols], [16, 24]);
  // Its 72 <cq> values are 0.06 to 1.57 cycles: not plausible Cqs, so errors at their reactions (values dropped).
  const low = imp('rdml/shifted_baseline.rdml').diagnostics.filter((d) => d.code === 'cq-implausible');
  assert.equal(low.length, 72);
  assert.ok(low.every((d) => d.severity === 'error'));
  assert.equal(s.wells.filter((w) => w.cq !== null).length, 0);
  const s0 = importPlate(load('rdml/shifted_baseline.rdml'), 'shifted_baseline.rdml', { minCq: 0 }).plate!;
  assert.equal(s0.wells.filter((w) => w.cq !== null).length, 72);
  const r170 = s0.wells.find((w) => w.target === 'FSTL_1_D_105 X' && w.cq !== null)!;
  assert.equal(r170.cq, 0.06); // react 170 = row 7 (H), column 2
  assert.equal(r170.position, 'H2');
  assert.equal(plateOf('rdml/own_mix_a.rdml').wells.length, 22);
  assert.equal(plateOf('rdml/sybr_stability.rdml').wells.length, 64); // mixes rdml: prefixes
});

test('OpenArray CSV (dotted column names) imports as a tidy table', () => {
  const p = plateOf('htqpcr/OpenArray_sample.csv');
  assert.equal(p.format, 'tidy');
  assert.equal(p.conventions.lineEnding, '\r');
  assert.equal(p.wells.length, 5076);
  assert.deepEqual([p.wells[0].target, p.wells[0].cq, p.wells[0].position], ['hsa-miR-126', 14.234, 'A10a2']);
});

test('format registry: one entry per format name, the study vocabulary derives from it, every fixture imports through it', () => {
  assert.deepEqual(FORMATS.map((f) => f.name), [...FORMAT_NAMES]);
  assert.deepEqual(PLATE_FORMATS, [...FORMAT_NAMES]);
  for (const f of FORMATS) assert.equal(f.importer === null, f.name === 'rdml', f.name);
  const seen = new Set<string>();
  for (const rel of allFixtures()) {
    const p = imp(rel).plate;
    if (!p) continue;
    seen.add(p.format);
    const omittable = p.wells.some((w) => cellEdit(p, w, 'omit') !== null);
    if (omittable) assert.notEqual(plateFormat(p.format).omitColumn, null, `${rel}: omit edit without an omit column`);
  }
  assert.deepEqual([...seen].sort(), [...FORMAT_NAMES].sort(), 'every format has a fixture');
});
