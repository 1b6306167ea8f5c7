/**
 * RDML export (src/engine/plate/rdmlWrite.ts): valid against the RDML 1.3 schema (xmllint, test/schemas/rdml) and
 * read back by the project's own importer with the same Cq, position, target, sample, exclusion and standard
 * quantity per well as the plates the study read; user strings escaped; `qpcr-studio run` writes report.rdml.
 */
import { test, type TestContext } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { unzipSync, strFromU8 } from 'fflate';
import { fixture, repoRoot, tempDir } from '../helpers';
import { main } from '../../../src/cli/main';
import { nodeStudyIO } from '../../../src/cli/nodeIO';
import { importRdml } from '../../../src/engine/plate/rdml';
import { importPlate } from '../../../src/engine/plate/index';
import { plainWell } from '../../../src/engine/plate/wellStore';
import { float32Text, rdmlSampleIds, rdmlXml, rdmlZip, xmlEscape, type RdmlExportInput } from '../../../src/engine/plate/rdmlWrite';
import { curveOf, type CurveTable } from '../../../src/engine/curves/store';
import type { Plate, Well } from '../../../src/engine/plate/model';
import { sharedExampleRun } from '../studyRuns';

const XSD = path.join(repoRoot, 'test', 'schemas', 'rdml', 'RDML_v1_3_REC.xsd');

/**
 * xmllint --schema on each XML (one xmllint for all, so the schema is parsed once), each file named `what` in the
 * message when it fails; skips the test when xmllint is not installed.
 */
function validateAll(t: TestContext, docs: { what: string; xml: string }[]): boolean {
  const dir = tempDir('qpcr-rdml-');
  try {
    const files = docs.map((_, i) => path.join(dir, `rdml_data_${i}.xml`));
    docs.forEach((d, i) => fs.writeFileSync(files[i], d.xml));
    const r = spawnSync('xmllint', ['--noout', '--schema', XSD, ...files], { encoding: 'utf8' });
    if (r.error) { t.skip('xmllint not installed (Debian: libxml2-utils); schema validation skipped'); return false; }
    assert.equal(r.status, 0, `xmllint: ${docs.map((d, i) => r.stderr.includes(`${files[i]} validates`) ? '' : `${d.what}: `).join('')}${r.stderr}`);
    docs.forEach((d, i) => assert.ok(r.stderr.includes(`${files[i]} validates`), `${d.what}: xmllint did not say it validates`));
    return true;
  } finally { fs.rmSync(dir, { recursive: true, force: true }); }
}

const validate = (t: TestContext, xml: string): boolean => validateAll(t, [{ what: 'rdml_data.xml', xml }]);

async function studyInput(example: string): Promise<{ input: RdmlExportInput; excluded: Set<string> }> {
  const out = await sharedExampleRun(example);
  assert.ok(out.report && out.data, `${example} did not run`);
  const excluded = new Set(out.data.exclusions.map((x) => `${x.file}|${x.line}|${x.well}|${x.sample}|${x.target}`));
  return {
    input: { plates: out.data.plates, study: out.report.study, references: out.report.methods?.references ?? [], efficiencies: out.report.methods?.efficiencies ?? [],
      exclusions: out.data.exclusions, software: { name: 'qPCR Studio', version: 'test' }, date: '2026-01-01T00:00:00Z' },
    excluded,
  };
}

/** What must survive the round trip, one string per well. */
function key(w: Well, sample: string, omitted: boolean): string {
  return [w.position, sample, w.target, w.cq === null ? 'no Cq' : String(w.cq), omitted ? 'excluded' : 'used', w.task === 'standard' ? `qty ${w.quantity}` : ''].join('|');
}

for (const [example, hasExclusions] of [['tace-exosomal-mirna', true], ['real-cfx-reference-genes', false]] as const) {
  test(`RDML export of ${example}: schema-valid and read back with the same wells`, async (t) => {
    const { input, excluded } = await studyInput(example);
    validate(t, rdmlXml(input));
    const back = importRdml(await rdmlZip(input), 'report.rdml', {});
    assert.ok(back.plate, JSON.stringify(back.diagnostics));
    assert.deepEqual(back.diagnostics.filter((d) => d.severity === 'error'), []);
    const sampleId = rdmlSampleIds(input.plates);
    let at = 0, nExcluded = 0;
    for (const p of input.plates) {
      // The importer reads runs in order into one plate: each plate's wells are the next slice.
      const slice = back.plate.wells.slice(at, at + p.wells.length);
      at += p.wells.length;
      const want = p.wells.map((w) => {
        const ex = w.omitted || excluded.has(`${p.file}|${w.line}|${w.position}|${w.sample}|${w.target}`);
        if (ex) nExcluded++;
        return key(w, sampleId(w), ex);
      }).sort();
      assert.deepEqual(slice.map((w) => key(w, w.sample, w.omitted)).sort(), want, p.file);
    }
    assert.equal(at, back.plate.wells.length);
    assert.equal(nExcluded > 0, hasExclusions, 'excluded wells');
    // Named samples keep their names.
    const named = new Set(input.plates.flatMap((p) => p.wells.filter((w) => w.sample.trim() !== '' && w.task !== 'standard').map((w) => w.sample)));
    for (const s of named) assert.ok(back.plate.wells.some((w) => w.sample === s), s);
  });
}

test('RDML export: references are ref targets, efficiencies from standard curves are written, defaults are not', async () => {
  const { input } = await studyInput('real-cfx-reference-genes');
  const xml = rdmlXml(input);
  const eff = input.efficiencies!.find((e) => e.target === 'GLP1')!;
  assert.match(eff.source, /^standard curve/);
  assert.ok(xml.includes(`<target id="GLP1"><type>toi</type><amplificationEfficiencyMethod>${xmlEscape(eff.source)}</amplificationEfficiencyMethod><amplificationEfficiency>${eff.value}</amplificationEfficiency>`));
  assert.ok(xml.includes('<target id="PYY"><type>ref</type>'));
  // Unnamed CFX standards become one sample per dilution, with their quantity.
  assert.ok(xml.includes('<sample id="unnamed std (0.125)"><type>std</type><quantity><value>0.125</value><unit>other</unit></quantity></sample>'));
  const tace = await studyInput('tace-exosomal-mirna');
  assert.ok(!rdmlXml(tace.input).includes('amplificationEfficiency'), 'default efficiencies (2) are not stated as known');
});

function hostilePlate(): Plate {
  const well = (i: number, sample: string, target: string, cq: number | null, task: Well['task'], extra: Partial<Well> = {}): Well => ({
    index: i, position: `A${i + 1}`, row: 0, col: i, sample, target, task, cq, cqText: cq === null ? '' : String(cq), omitted: false, flags: [], line: i + 1, ranges: {}, ...extra,
  });
  const evil = '<script>alert("x")</script> & \'q\' ]]> \u0001 \ud800';
  return {
    file: 'plates/<evil>&plate.csv', format: 'tidy-csv' as Plate['format'], rows: 8, cols: 12, meta: {}, instrument: 'Machine <"&">',
    conventions: { delimiter: ',', decimal: '.', lineEnding: '\n', bom: false },
    wells: [well(0, evil, 'a&b<c>', 24.5, 'unknown'), well(1, evil, 'a&b<c>', 25.25, 'unknown', { omitted: true }), well(2, 'NTC', 'a&b<c>', null, 'ntc')],
  };
}

test('RDML export escapes hostile names (<, &, quotes, ]]>, control characters, lone surrogates) and reads them back', async (t) => {
  const p = hostilePlate();
  const input: RdmlExportInput = {
    plates: [p], study: 'Study </rdml><x a="1">', references: [], software: { name: 'qPCR Studio', version: '1 & 2' },
    exclusions: [{ file: p.file, line: 1, well: 'A1', sample: p.wells[0].sample, target: 'a&b<c>', reason: 'outlier; by "Grubbs" <test>', code: 'outlier-grubbs' }],
  };
  const xml = rdmlXml(input);
  assert.ok(!xml.includes('<script>') && !xml.includes('</rdml><x'), 'no raw markup from user strings');
  validate(t, xml);
  const back = importRdml(await rdmlZip(input), 'h.rdml', {});
  assert.ok(back.plate);
  const cleaned = p.wells[0].sample.replace('\u0001', '\ufffd').replace('\ud800', '\ufffd');
  assert.deepEqual(back.plate.wells.map((w) => [w.position, w.sample, w.target, w.cq, w.omitted]), [
    ['A1', cleaned, 'a&b<c>', 24.5, true], ['A2', cleaned, 'a&b<c>', 25.25, true], ['A3', 'NTC', 'a&b<c>', null, false],
  ]);
  // The exclusion reason keeps its text; its ';' becomes ',' (';' separates reasons in RDML).
  assert.deepEqual(back.plate.wells[0].flags, ['EXCL:OUTLIER-GRUBBS: OUTLIER, BY "GRUBBS" <TEST>']);
  assert.deepEqual(back.plate.wells[1].flags, ['EXCL:OMITTED IN THE INSTRUMENT FILE']);
  assert.equal(back.plate.instrument, 'Machine <"&">');
});

test('qpcr-studio run writes report.rdml (a zip holding rdml_data.xml) and says so', async () => {
  const out = tempDir('qpcr-cli-rdml-');
  const outs: string[] = [], errs: string[] = [];
  const code = await main(['run', path.join(repoRoot, 'examples', 'real-cfx-reference-genes', 'study.qstudy'), '--out', out],
    { out: (l) => outs.push(l), err: (l) => errs.push(l), study: nodeStudyIO(), assetDir: path.join(os.tmpdir(), 'no-assets') });
  assert.equal(code, 0, errs.join('\n'));
  const file = path.join(out, 'report.rdml');
  assert.ok(outs.includes(`wrote ${file}`));
  const members = unzipSync(fs.readFileSync(file));
  assert.deepEqual(Object.keys(members), ['rdml_data.xml']);
  const xml = strFromU8(members['rdml_data.xml']);
  assert.ok(xml.includes('<run id="plates/CFX_sample.txt">'), 'run ids are paths relative to the study');
  assert.ok(!xml.includes(repoRoot), 'no absolute paths in the export');
});

/** Plate fixtures (test/fixtures, recursively; notes and report baselines excepted). */
function plateFixtures(): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) { if (e.name !== 'report-baseline') walk(p); } else if (!/\.md$/i.test(e.name)) out.push(p);
    }
  };
  walk(fixture());
  return out.sort();
}

test('every plate fixture exports to schema-valid RDML that reads back with the same sample, target and Cq per well', async (t) => {
  let n = 0;
  const docs: { what: string; xml: string }[] = [];
  for (const f of plateFixtures()) {
    const r = importPlate(new Uint8Array(fs.readFileSync(f)), f, {});
    if (!r.plate || r.plate.wells.length === 0) continue;
    n++;
    const input: RdmlExportInput = { plates: [r.plate], study: 's', references: [], software: { name: 'qPCR Studio', version: 'test' } };
    docs.push({ what: f, xml: rdmlXml(input) });
    const back = importRdml(await rdmlZip(input), 'x.rdml', {});
    assert.ok(back.plate, f);
    const sampleId = rdmlSampleIds(input.plates);
    // Positions survive on a lettered grid (A1); rotor slots and chambers are kept in a <note> only.
    const gridded = r.plate.wells.every((w) => w.row !== null && /^[A-Z]{1,2}\d+$/.test(w.position ?? ''));
    // An empty target name is written as the target `unnamed` (RDML ids are at least one character); a Cq of exactly
    // 40 is written as 40 but the RDML importer reads it as "no Cq" (the StepOne/LightCycler 96 convention, with a warning).
    const k = (w: Well, sample: string, target: string) => [gridded ? w.position : '', sample, target, w.cq === 40 ? null : w.cq].join('|');
    assert.deepEqual(back.plate.wells.map((w) => k(w, w.sample, w.target)).sort(),
      r.plate.wells.map((w) => k(w, sampleId(w), w.target.trim() === '' ? 'unnamed' : w.target)).sort(), f);
  }
  assert.ok(n >= 30, `${n} plate fixtures`);
  validateAll(t, docs);
});

test('RDML round trip: an apostrophe name (literal or as &#39;) and a sample typed per target (<type targetId>)', (t) => {
  const p = hostilePlate();
  const name = "O'Brien's <\"mix\"> & 'co'";
  const w = (i: number, target: string, task: Well['task'], cq: number | null): Well => ({ ...plainWell(p.wells[0]), index: i, position: `B${i + 1}`, row: 1, col: i, sample: name, target, task, cq, cqText: cq === null ? '' : String(cq) });
  p.wells = [w(0, "it's", 'ntc', null), w(1, 'GAPDH', 'unknown', 18.5), w(2, "it's", 'positive', 22.25)];
  p.wells[2].sample = 'P';
  const input: RdmlExportInput = { plates: [p], study: "Study's", references: ['GAPDH'], software: { name: 'qPCR Studio', version: 'test' } };
  const xml = rdmlXml(input);
  assert.ok(xml.includes(`<type targetId="it's">ntc</type>`), 'per-target types written');
  validate(t, xml);
  const asRefs = xml.replace(/'/g, '&#39;');
  assert.ok(asRefs.includes('&#39;') && !asRefs.includes("'"));
  for (const [what, text] of [['literal', xml], ['&#39;', asRefs]] as const) {
    const back = importRdml(text, 'rt.xml', {});
    assert.ok(back.plate, what);
    assert.deepEqual(back.plate.wells.map((x) => [x.position, x.sample, x.target, x.task, x.cq]), [
      ['B1', name, "it's", 'ntc', null], ['B2', name, 'GAPDH', 'reference', 18.5], ['B3', 'P', "it's", 'positive', 22.25],
    ], what);
    assert.equal(back.plate.meta['Experiment'], "Study's", what);
  }
});

test('RDML export writes the curves a plate has (adp/mdp): schema-valid, read back with the same points', async (t) => {
  const cases: [string, string][] = [['rdml', 'own_mix_a.rdml'], ['rdml', 'sybr_stability.rdml'], ['allotropy', 'appbio_quantstudio_example02.txt']];
  for (const [dir, name] of cases) {
    const r = importPlate(new Uint8Array(fs.readFileSync(fixture(dir, name))), name, {});
    assert.ok(r.plate?.curves, name);
    const input: RdmlExportInput = { plates: [r.plate], study: 's', references: [], software: { name: 'qPCR Studio', version: 'test' } };
    const xml = rdmlXml(input);
    assert.ok(xml.includes('<adp><cyc>'), name);
    if (!validate(t, xml)) return;
    const back = importRdml(await rdmlZip(input), 'x.rdml', {});
    assert.ok(back.plate?.curves, name);
    // Reactions are written in react-id order, so match wells by position and target.
    const key = (p: Plate, i: number) => `${p.wells[i].position}|${p.wells[i].target}`;
    const curves = (p: Plate, kind: 'amplification' | 'melt') => {
      const t = p.curves?.[kind];
      const m = new Map<string, [number[], number[]]>();
      for (const w of t?.wells ?? []) {
        const c = curveOf(t as CurveTable<string>, w, kind === 'melt' ? 'fluor' : undefined);
        if (c) m.set(key(p, w), [[...c.x], [...c.y]]);
      }
      return [...m].sort((a, b) => (a[0] < b[0] ? -1 : 1));
    };
    assert.deepEqual(curves(back.plate, 'amplification'), curves(r.plate, 'amplification'), name);
    assert.deepEqual(curves(back.plate, 'melt'), curves(r.plate, 'melt'), name);
    assert.ok(curves(r.plate, 'amplification').length > 0);
  }
});

test('float32Text: the shortest decimal that reads back as the same float32', () => {
  for (const v of [0.612, -0.007, 31348.445, 60.1745, 1e-30, 3.4e38, 1, 0]) {
    const f = Math.fround(v);
    const s = float32Text(f);
    assert.equal(Math.fround(Number(s)), f, s);
    assert.ok(s.length <= String(v).length + 1, `${v} → ${s}`);
  }
});

test('RDML reactions: the grid, else one per position, else one per well, in react-id order with the wells in file order', () => {
  const well = (i: number, position: string | null, row: number | null, col: number | null, target: string): Well => ({
    index: i, position, row, col, sample: `S${i}`, target, task: 'unknown', cq: 20 + i, cqText: String(20 + i), quantity: null,
    omitted: false, flags: [], line: i + 1, ranges: {},
  });
  const plate = (file: string, wells: Well[]): Plate => ({ file, format: 'tidy', rows: null, cols: null, meta: {}, conventions: { delimiter: ',', decimal: '.', lineEnding: '\n', bom: false }, wells });
  const reacts = (p: Plate) => [...rdmlXml({ plates: [p], study: 's', references: [], software: { name: 'q', version: '1' } })
    .matchAll(/<react id="(\d+)"><sample id="([^"]*)"\/>(.*?)<\/react>/g)].map((m) => [Number(m[1]), m[2], [...m[3].matchAll(/<tar id="([^"]*)"\/><cq>([^<]*)</g)].map((d) => `${d[1]}:${d[2]}`).join(' ')]);
  // Grid: B1 (row 1) after A2 in react-id order, A1's two targets together.
  assert.deepEqual(reacts(plate('g.csv', [well(0, 'B1', 1, 0, 'T'), well(1, 'A1', 0, 0, 'T'), well(2, 'A2', 0, 1, 'T'), well(3, 'A1', 0, 0, 'R')])),
    [[1, 'S1', 'T:21 R:23'], [2, 'S2', 'T:22'], [13, 'S0', 'T:20']]);
  // A grid position with one target twice: one reaction per position (file order of first appearance).
  assert.deepEqual(reacts(plate('p.csv', [well(0, 'P1-A1', 0, 0, 'T'), well(1, 'P2-A1', 0, 0, 'T'), well(2, 'P1-A1', 0, 0, 'R'), well(3, null, null, null, 'T')])),
    [[1, 'S0', 'T:20 R:22'], [2, 'S1', 'T:21'], [3, 'S3', 'T:23']]);
  // A position with one target twice: one reaction per well.
  assert.deepEqual(reacts(plate('w.csv', [well(0, 'X', null, null, 'T'), well(1, 'X', null, null, 'T'), well(2, 'Y', null, null, 'T')])),
    [[1, 'S0', 'T:20'], [2, 'S1', 'T:21'], [3, 'S2', 'T:22']]);
});

test('RDML sample types: one <type> when each target\'s first well agrees, one per target when they differ', () => {
  const csv = [
    'sample,target,well,cq,task',
    'S1,A,A1,20,unknown', 'S1,B,A2,21,unknown', 'S1,B,A3,21.5,ntc', // B's first well is unkn: one type
    'S2,A,B1,25,unknown', 'S2,B,B2,,ntc', 'S2,A,B3,25.2,ntc', // A unkn, B ntc: a type per target
    'S3,A,C1,30,ntc',
  ].join('\n');
  const r = importPlate(new TextEncoder().encode(csv), 'types.csv', { format: 'tidy' });
  assert.ok(r.plate, JSON.stringify(r.diagnostics));
  const xml = rdmlXml({ plates: [r.plate], study: 's', references: [], software: { name: 'q', version: '1' } });
  const samples = xml.split('\n').filter((l) => l.trimStart().startsWith('<sample '));
  assert.deepEqual(samples.map((l) => l.trim()), [
    '<sample id="S1"><type>unkn</type></sample>',
    '<sample id="S2"><type targetId="A">unkn</type><type targetId="B">ntc</type></sample>',
    '<sample id="S3"><type>ntc</type></sample>',
  ]);
});
