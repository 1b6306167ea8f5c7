/**
 * "New Study from Plates" (src/engine/scaffold): on each bundled example's plates, clinical table and sample sheet
 * (its study.qstudy set aside), the generated study parses, checks and runs without errors, and so do its suggested
 * analyses once uncommented; the inferred design (sample fields, references, calibrator) is the example's, and its
 * fold-change rows equal the example's own (dCq, ddCq and the relative quantity, per sample and target) once it has
 * the example's QC choices (its `qc`, `nondetect` and `efficiency` lines: thresholds a user picks, not read off data).
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { repoRoot, assertClose } from '../helpers';
import { importPlate } from '../../../src/engine/plate';
import { parseStudy } from '../../../src/engine/study/parser';
import { runStudy } from '../../../src/engine/study/runner';
import { nodeStudyIO } from '../../../src/cli/nodeIO';
import { scaffoldStudy, type ScaffoldInput } from '../../../src/engine/scaffold/scaffold';
import { splitNames, platePatterns } from '../../../src/engine/scaffold/detect';
import { isErrorResult, type FoldChangeResult } from '../../../src/shared/report/types';

function filesUnder(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? filesUnder(path.join(dir, e.name)) : [path.join(dir, e.name)])).sort();
}

function exampleInput(name: string): { dir: string; input: ScaffoldInput } {
  const dir = path.join(repoRoot, 'examples', name);
  const plates = filesUnder(path.join(dir, 'plates')).map((f) => {
    const rel = path.relative(dir, f).split(path.sep).join('/');
    const { plate } = importPlate(fs.readFileSync(f), rel);
    assert.ok(plate, rel);
    return { path: rel, plate };
  });
  const table = (f: string) => (fs.existsSync(path.join(dir, f)) ? { path: f, data: fs.readFileSync(path.join(dir, f)) } : undefined);
  const input: ScaffoldInput = { plates, title: name };
  const clinical = table('clinical.csv'), sheet = table('samplesheet.csv');
  if (clinical) input.clinical = clinical;
  if (sheet) input.sampleSheet = sheet;
  return { dir, input };
}

const errors = (ds: { severity: string; message: string }[]) => ds.filter((d) => d.severity === 'error').map((d) => d.message);

/** The run of `text` (of its analyses on the lines `only`, when given), asserted to have no error. */
async function runText(text: string, studyPath: string, only?: number[]) {
  const out = await runStudy(text, studyPath, nodeStudyIO(), only ? { only } : {});
  assert.deepEqual(errors(out.diagnostics), [], text);
  assert.ok(out.report);
  const failed = out.report.results.filter(isErrorResult).map((r) => `${r.name}: ${r.error}`);
  assert.deepEqual(failed, []);
  return out.report;
}

/** The example's QC choices (qc, nondetect, efficiency lines: the user's, not the data's) put into the generated study. */
function withExampleQc(generated: string, example: string): string {
  const choice = /^(qc|nondetect|efficiency)\b/;
  const theirs = example.split('\n').filter((l) => choice.test(l) && !/^qc (hemolysis|spike-in)/.test(l));
  return generated.split('\n').filter((l) => !choice.test(l)).concat(theirs).join('\n');
}

const foldOf = (r: { results: unknown[] }, name: string) => r.results.find((x) => (x as FoldChangeResult).name === name) as FoldChangeResult;

const DESIGNS: Record<string, { references: string[]; samples: RegExp }> = {
  'tace-exosomal-mirna': { references: ['cel-miR-39'], samples: /^samples "\{patient\}-\{timepoint\}"/m },
  'sorafenib-mir221': { references: ['miR-16'], samples: /^samples "\{patient\}-\{timepoint\}"/m },
  'crc-liver-mets-capecitabine': { references: ['U6'], samples: /^samples "samplesheet.csv" key sample/m },
  'invitro-cell-line': { references: ['GAPDH', 'ACTB'], samples: /^samples "samplesheet.csv" key sample/m },
  'real-cfx-reference-genes': { references: ['PYY'], samples: /^samples "samplesheet.csv" key sample/m },
};

for (const name of Object.keys(DESIGNS)) {
  test(`new study from the ${name} example's data runs and gives its expression values`, async () => {
    const { dir, input } = exampleInput(name);
    const s = scaffoldStudy(input);
    const studyPath = path.join(dir, 'scaffold-test.qstudy');
    assert.deepEqual(errors(parseStudy(s.text, studyPath).diagnostics), []);
    const check = await runStudy(s.text, studyPath, nodeStudyIO(), { checkOnly: true });
    assert.deepEqual(errors(check.diagnostics), []);
    assert.match(s.text, DESIGNS[name].samples);
    assert.deepEqual(s.references, DESIGNS[name].references);
    await runText(s.text, studyPath);
    // The suggestions written commented out check too, once uncommented.
    const all = await runStudy(`${s.text}\n${s.suggestions.join('\n')}\n`, studyPath, nodeStudyIO(), { checkOnly: true });
    assert.deepEqual(errors(all.diagnostics), [], s.suggestions.join('\n'));
    // The example's own data and expression step, with a fold-change line over the same targets (the one analysis
    // run), against the generated study's.
    const example = fs.readFileSync(path.join(dir, 'study.qstudy'), 'utf8');
    const foldLine = example.split('\n').length;
    const expected = foldOf(await runText(`${example}\nzz_fold: foldchange ${s.targets.join(', ')}\n`, path.join(dir, 'study.qstudy'), [foldLine]), 'zz_fold');
    const actual = foldOf(await runText(withExampleQc(s.text, example), studyPath), 'fold');
    assert.equal(actual.quantity, expected.quantity);
    assert.equal(actual.samples.length, expected.samples.length);
    const key = (x: { sample: string; target: string }) => `${x.sample}\u0000${x.target}`;
    const mine = new Map(actual.samples.map((x) => [key(x), x]));
    for (const e of expected.samples) {
      const a = mine.get(key(e));
      assert.ok(a, `${e.sample} ${e.target}`);
      assertClose(a.dcq, e.dcq, 1e-9, 1e-12, `dcq ${e.sample} ${e.target}`);
      assertClose(a.ddcq ?? null, e.ddcq ?? null, 1e-9, 1e-12, `ddcq ${e.sample} ${e.target}`);
      assertClose(a.value, e.value, 1e-9, 1e-12, `value ${e.sample} ${e.target}`);
    }
  });
}

test('sample names split into subject and level only when the levels are few and repeated', () => {
  const names = ['P01-pre', 'P01-post', 'P02-pre', 'P02-post', 'P03-pre', 'P03-post', 'P04-pre', 'P04-post', 'P05-pre', 'NTC'];
  assert.deepEqual(splitNames(names), { sep: '-', subjects: ['P01', 'P02', 'P03', 'P04', 'P05'], levels: ['pre', 'post'], matched: 9 });
  assert.equal(splitNames([...names, 'NTC2']), null, 'fewer than 90% of the names split');
  assert.equal(splitNames(['untreated-1', 'untreated-2', 'low-1', 'low-2', 'high-1', 'high-2']), null);
  assert.equal(splitNames(['LM0001', 'LM0002', 'HC01', 'HC02', 'HC03']), null);
});

test('a folder glob is written only when it matches exactly the chosen files', () => {
  const { input } = exampleInput('crc-liver-mets-capecitabine');
  const two = input.plates.slice(0, 2);
  assert.deepEqual(platePatterns(two).map((p) => p.pattern), ['plates/*.txt']);
  const listing = { plates: input.plates.map((p) => p.path) };
  assert.deepEqual(platePatterns(two, listing).map((p) => p.pattern), two.map((p) => p.path));
  assert.deepEqual(platePatterns(input.plates, listing).map((p) => p.pattern), ['plates/*.txt']);
  // Another chosen file of the folder and extension in another format: no glob (it would read that file as this format).
  const other = { ...two[1], plate: { ...two[1].plate, format: 'cfx' as const } };
  assert.deepEqual(platePatterns([two[0], other, input.plates[2]]).map((p) => p.pattern), [two[0].path, input.plates[2].path, other.path]);
});

test('no plates, or plates without sample wells, is an error, not a crash', () => {
  assert.throws(() => scaffoldStudy({ plates: [] }), /No plate file/);
  const { plate } = importPlate('well,sample,target,task,cq\nA1,NTC,miR-1,ntc,\n', 'x.csv');
  assert.ok(plate);
  assert.throws(() => scaffoldStudy({ plates: [{ path: 'x.csv', plate }] }), /no sample wells/);
  const one = importPlate('well,sample,target,task,cq\nA1,S1,miR-1,unknown,25\n', 'y.csv').plate;
  assert.ok(one);
  assert.throws(() => scaffoldStudy({ plates: [{ path: 'y.csv', plate: one }] }), /one target \(miR-1\)/);
});

test('a clinical table or a sample sheet that links to no sample is written commented out, and the study runs', async () => {
  const { dir, input } = exampleInput('sorafenib-mir221');
  const other = (f: string) => ({ path: `../${f}`, data: fs.readFileSync(path.join(repoRoot, 'examples', f)) });
  const unlinked = scaffoldStudy({ plates: input.plates, clinical: other('tace-exosomal-mirna/clinical.csv') });
  assert.match(unlinked.text, /^# clinical "\.\.\/tace-exosomal-mirna\/clinical\.csv" key patient .*CHECK/m);
  assert.match(unlinked.text, /^samples "\{subject\}-\{timepoint\}"/m);
  await runText(unlinked.text, path.join(dir, 'scaffold-test.qstudy'));
  const wrongSheet = scaffoldStudy({ ...input, sampleSheet: other('crc-liver-mets-capecitabine/samplesheet.csv') });
  assert.match(wrongSheet.text, /^# samples "\.\.\/crc-liver-mets-capecitabine\/samplesheet\.csv".*CHECK/m);
  assert.match(wrongSheet.text, /^samples "\{patient\}-\{timepoint\}"/m);
  assert.doesNotMatch(wrongSheet.text, /^calibrator/m);
  await runText(wrongSheet.text, path.join(dir, 'scaffold-test.qstudy'));
});

test('plates with amplification curves and no Cq: `cq from linregpcr`, and `efficiency from linregpcr` offered', () => {
  const file = path.join(repoRoot, 'test', 'fixtures', 'rdml', 'own_mix_a.rdml');
  const { plate } = importPlate(new Uint8Array(fs.readFileSync(file)), 'own_mix_a.rdml');
  assert.ok(plate?.curves?.amplification && plate.wells.every((w) => w.cq === null));
  const { text } = scaffoldStudy({ plates: [{ path: 'own_mix_a.rdml', plate }] });
  assert.match(text, /^cq from linregpcr\s+#/m);
  assert.match(text, /^# efficiency from linregpcr\s+#/m);
  assert.deepEqual(parseStudy(text).diagnostics.filter((d) => d.severity === 'error'), []);
  const noCurves = scaffoldStudy({ plates: exampleInput('sorafenib-mir221').input.plates }).text;
  assert.doesNotMatch(noCurves, /linregpcr/);
});
