/**
 * The committed example studies (examples/) must be exactly what scripts/generate-examples.mjs writes for its seeds,
 * and must have the shape of the instrument exports they imitate.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { execFileSync } from 'node:child_process';
import { repoRoot, tempDir } from '../helpers';

const examplesDir = path.join(repoRoot, 'examples');
const script = path.join(repoRoot, 'scripts', 'generate-examples.mjs');
const HAND_WRITTEN = new Set(['README.md', 'study.qstudy', '.gitattributes']);

function listFiles(dir: string, base = dir): string[] {
  const out: string[] = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...listFiles(p, base));
    else out.push(path.relative(base, p).split(path.sep).join('/'));
  }
  return out.sort();
}

const read = (rel: string): string => fs.readFileSync(path.join(examplesDir, rel), 'utf8');
const lines = (text: string, eol: string): string[] => {
  assert.ok(text.endsWith(eol), 'file ends with a line end');
  return text.slice(0, -eol.length).split(eol);
};
const sd = (xs: number[]): number => {
  const m = xs.reduce((s, x) => s + x, 0) / xs.length;
  return Math.sqrt(xs.reduce((s, x) => s + (x - m) ** 2, 0) / (xs.length - 1));
};
function csv(text: string): string[][] {
  return lines(text, '\n').map((l) => l.split(','));
}

test('the generator reproduces the committed example data byte for byte', () => {
  const tmp = tempDir('qpcr-examples-');
  try {
    execFileSync(process.execPath, [script, '--out', tmp], { stdio: 'pipe' });
    const generated = listFiles(tmp);
    assert.ok(generated.length >= 26, `generator wrote ${generated.length} files`);
    // real-*/ (real-cfx-reference-genes, real-rdml-linregpcr) hold real instrument exports (not generated): left out.
    const committed = listFiles(examplesDir).filter((f) => !HAND_WRITTEN.has(path.posix.basename(f)) && !f.startsWith('real-'));
    assert.deepEqual(committed, generated, 'the data files under examples/ are exactly the generated ones (no stale or missing files)');
    for (const f of generated) {
      const a = fs.readFileSync(path.join(tmp, f));
      const b = fs.readFileSync(path.join(examplesDir, f));
      assert.ok(a.equals(b), `${f} differs from the generator's output`);
    }
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
});

test('every example has a README that says the data are simulated, and a study file', () => {
  const simulated = fs.readdirSync(examplesDir).filter((d) => fs.existsSync(path.join(examplesDir, d, 'study.qstudy')) && !d.startsWith('real-'));
  assert.ok(simulated.length >= 4, simulated.join(', '));
  for (const dir of simulated) {
    const readme = read(`${dir}/README.md`);
    assert.match(readme, /SIMULATED/);
    assert.match(readme, /generate-examples\.mjs/);
    assert.match(readme, /\| Result \| Paper reported \| This example yields \|/);
    assert.doesNotMatch(readme, /filled in when/, 'the yields column is filled from a real run');
    const study = read(`${dir}/study.qstudy`);
    assert.match(study, /^study "/m);
    assert.match(study, /^clinical "(clinical\.csv" key patient|samplesheet\.csv" key sample)$/m);
    assert.match(read('README.md'), new RegExp(dir));
  }
});

test('seed 000: LightCycler 480 exports, one file per target per run, and the clinical table', () => {
  const header = 'Include\tColor\tPos\tName\tCp\tConcentration\tStandard\tStatus';
  const cq = new Map<string, number[]>(); // sample|target -> Cp values
  let ntcWithCp = 0, emptySampleCp = 0;
  for (const run of [1, 2, 3]) {
    for (const target of ['miR-122', 'miR-21', 'cel-miR-39']) {
      const text = read(`tace-exosomal-mirna/plates/run${run}/${target}.txt`);
      assert.ok(!/[^\r]\n/.test(text), 'CRLF line ends only');
      const ls = lines(text, '\r\n');
      assert.match(ls[0], /^Experiment: .+ Selected Filter: .+\t{7}$/);
      assert.equal(ls[1], header);
      const rows = ls.slice(2).map((l) => l.split('\t'));
      assert.equal(rows.length, 25 * 2 * 3 + 2);
      const seen = new Set<string>();
      for (const r of rows) {
        assert.equal(r.length, 8);
        assert.match(r[2], /^[A-P]([1-9]|1[0-9]|2[0-4])$/);
        assert.ok(!seen.has(r[2]), `well ${r[2]} used once`); seen.add(r[2]);
        assert.match(r[4], /^$|^\d+\.\d{2}$/);
        if (r[3] === 'NTC') { if (r[4] !== '') { ntcWithCp++; assert.ok(Number(r[4]) > 35 && Number(r[4]) < 40); } continue; }
        assert.match(r[3], /^P\d{2}-(pre|post)$/);
        const patient = Number(r[3].slice(1, 3));
        assert.equal(Math.floor((patient - 1) / 25) + 1, run, `${r[3]} is in run ${run}`);
        if (r[4] === '') { emptySampleCp++; continue; }
        const k = `${r[3]}|${target}`;
        cq.set(k, [...(cq.get(k) ?? []), Number(r[4])]);
      }
      assert.equal(rows.filter((r) => r[3] === 'NTC').length, 2);
    }
  }
  assert.equal(ntcWithCp, 1, 'exactly one NTC with a late Cp');
  assert.equal(emptySampleCp, 1, 'exactly one undetermined sample replicate');
  const highSd = [...cq].filter(([, v]) => v.length === 3 && sd(v) > 0.5);
  assert.equal(highSd.length, 1, 'exactly one high-SD triplicate');
  assert.ok(sd(highSd[0][1]) > 0.8 && sd(highSd[0][1]) < 1.0);
  const mean = (k: string): number => { const v = cq.get(k)!; return v.reduce((s, x) => s + x, 0) / v.length; };
  const tab = csv(read('tace-exosomal-mirna/clinical.csv'));
  assert.deepEqual(tab[0], ['patient', 'age', 'sex', 'cirrhosis', 'etiology', 'bclc', 'diabetes', 'ast', 'alt', 'hba1c', 't_bil', 'alb', 'pt',
    'plt', 'child_pugh_score', 'child_pugh_grade', 'afp', 'dcp', 'tumor_diameter', 'tumor_number', 'dss_months', 'dss_death']);
  const body = tab.slice(1);
  assert.equal(body.length, 75);
  assert.equal(body.filter((r) => r[3] === 'yes').length, 57);
  for (const r of body) {
    const score = Number(r[14]);
    assert.ok(score >= 5 && score <= 9);
    assert.equal(r[15], score <= 6 ? 'A' : 'B');
    assert.ok(['HBV', 'HCV', 'NBNC', 'alcohol'].includes(r[4]));
    assert.ok(['A', 'B', 'C'].includes(r[5]));
    assert.ok(['0', '1'].includes(r[21]));
    for (const lv of ['pre', 'post']) {
      for (const t of ['miR-122', 'miR-21']) {
        const dcq = mean(`${r[0]}-${lv}|${t}`) - mean(`${r[0]}-${lv}|cel-miR-39`);
        assert.ok(dcq > 0, `dCq of ${r[0]}-${lv} ${t} is positive`);
      }
    }
  }
  assert.ok(Math.abs(mean('P10-pre|cel-miR-39') - 22) < 2);
});

test('seed 001: CFX Maestro Quantification Cq Results and the clinical table', () => {
  const header = ',Well,Fluor,Target,Content,Sample,Biological Set Name,Cq,Cq Mean,Cq Std. Dev,Starting Quantity (SQ),Log Starting Quantity,SQ Mean,SQ Std. Dev,Set Point,Well Note';
  const files = listFiles(path.join(examplesDir, 'sorafenib-mir221', 'plates'));
  assert.equal(files.length, 8);
  const have = new Set<string>();
  let nanSample = 0;
  for (const f of files) {
    assert.match(f, /^C[12]-plate[1-4]_Quantification_Cq_Results\.csv$/);
    const ls = lines(read(`sorafenib-mir221/plates/${f}`), '\n');
    assert.equal(ls[0], header);
    for (const l of ls.slice(1)) {
      const r = l.split(',');
      assert.equal(r.length, 16);
      assert.equal(r[0], '');
      assert.match(r[1], /^[A-H](0[1-9]|1[0-2])$/);
      assert.ok(['miR-221', 'miR-16'].includes(r[3]));
      assert.match(r[7], /^NaN$|^\d+\.\d+$/);
      if (r[4] === 'NTC') { assert.equal(r[5], ''); continue; }
      assert.match(r[4], /^Unkn-\d{2}$/);
      assert.match(r[5], /^S\d{3}-(pre|m2)$/);
      if (r[7] === 'NaN') nanSample++;
      have.add(`${r[5]}|${r[3]}`);
      // Cq Mean is the mean of the group's non-NaN Cq values
      const grp = ls.slice(1).map((x) => x.split(',')).filter((x) => x[5] === r[5] && x[3] === r[3] && x[7] !== 'NaN').map((x) => Number(x[7]));
      assert.ok(Math.abs(Number(r[8]) - grp.reduce((s, x) => s + x, 0) / grp.length) < 1e-9);
    }
  }
  assert.equal(nanSample, 1);
  const tab = csv(read('sorafenib-mir221/clinical.csv'));
  assert.deepEqual(tab[0], ['patient', 'cohort', 'age', 'sex', 'child_pugh', 'bclc', 'afp', 'response', 'pfs_months', 'progression']);
  const body = tab.slice(1);
  assert.equal(body.filter((r) => r[1] === '1').length, 40);
  assert.equal(body.filter((r) => r[1] === '2').length, 38);
  for (const r of body) {
    assert.ok(['responder', 'non-responder'].includes(r[7]));
    for (const lv of ['pre', 'm2']) for (const t of ['miR-221', 'miR-16']) assert.ok(have.has(`${r[0]}-${lv}|${t}`), `${r[0]}-${lv} ${t} on a plate`);
  }
  assert.equal(have.size, 78 * 2 * 2);
});

test('seed 002: QuantStudio 7 Flex exports, sample sheet with healthy-control calibrators, clinical table', () => {
  const header = ['Well', 'Well Position', 'Omit', 'Sample Name', 'Target Name', 'Task', 'Reporter', 'Quencher', 'CT', 'Ct Mean', 'Ct SD',
    'Quantity', 'Quantity Mean', 'Quantity SD', 'Automatic Ct Threshold', 'Ct Threshold', 'Automatic Baseline', 'Baseline Start',
    'Baseline End', 'Comments', 'Y-Intercept', 'R(superscript 2)', 'Slope', 'Efficiency', 'Amp Score', 'Cq Conf', 'Biogroup Color',
    'Biogroup Name', 'Sample Color', 'Target Color', 'Target Name', 'Task'];
  const sheet = csv(read('crc-liver-mets-capecitabine/samplesheet.csv'));
  assert.deepEqual(sheet[0], ['sample', 'patient', 'group']);
  const bySample = new Map(sheet.slice(1).map((r) => [r[0], r]));
  assert.equal(sheet.slice(1).filter((r) => r[2] === 'control').length, 12);
  assert.equal(sheet.slice(1).filter((r) => r[2] === 'patient').length, 252);
  const onPlates = new Map<string, number>();
  const controlPlates = new Set<number>();
  for (let p = 1; p <= 5; p++) {
    const ls = lines(read(`crc-liver-mets-capecitabine/plates/CRLM_miRNA_plate${p}.txt`), '\n');
    const res = ls.indexOf('[Results]');
    assert.ok(res > 0);
    for (const l of ls.slice(0, res - 1)) assert.match(l, /^\* [^=]+ = /);
    assert.equal(ls[res - 1], '');
    assert.ok(ls.includes('* Instrument Type = QuantStudio(TM) 7 Flex System'));
    assert.deepEqual(ls[res + 1].split('\t'), header);
    for (const l of ls.slice(res + 2)) {
      const r = l.split('\t');
      assert.equal(r.length, header.length);
      const well = Number(r[0]);
      assert.ok(well >= 1 && well <= 384);
      assert.equal(r[1], `${'ABCDEFGHIJKLMNOP'[Math.floor((well - 1) / 24)]}${((well - 1) % 24) + 1}`);
      assert.match(r[8], /^Undetermined$|^\d+\.\d{3}$/);
      assert.equal(r[30], r[4]);
      assert.equal(r[31], r[5]);
      if (r[5] === 'NTC') continue;
      assert.equal(r[5], 'UNKNOWN');
      assert.ok(bySample.has(r[3]), `${r[3]} is in the sample sheet`);
      if (bySample.get(r[3])![2] === 'control') controlPlates.add(p);
      onPlates.set(r[3], (onPlates.get(r[3]) ?? 0) + 1);
    }
  }
  assert.equal(controlPlates.size, 5, 'calibrators on every plate');
  assert.equal(onPlates.size, 264);
  for (const [s, n] of onPlates) assert.equal(n, 6, `${s}: 3 targets in duplicate`);
  const tab = csv(read('crc-liver-mets-capecitabine/clinical.csv'));
  assert.deepEqual(tab[0], ['patient', 'age', 'sex', 'bmi', 'cea', 'ca19_9', 'tumor_size', 'tumor_number', 'primary_site', 'kras', 'response', 'effective']);
  assert.equal(tab.length - 1, 252);
  const patients = new Set(sheet.slice(1).filter((r) => r[2] === 'patient').map((r) => r[1]));
  for (const r of tab.slice(1)) {
    assert.ok(patients.has(r[0]));
    assert.equal(r[11], r[10] === 'CR' || r[10] === 'PR' ? '1' : '0');
  }
});

test('--check recomputes the planted effects from the generated data', () => {
  const out = execFileSync(process.execPath, [script, '--check'], { encoding: 'utf8' });
  const num = (re: RegExp): number => { const m = re.exec(out); assert.ok(m, `${re} in --check output`); return Number(m[1]); };
  assert.ok(num(/miR-122@pre ~ alt: r = ([-\d.]+)/) > 0.2);
  assert.ok(num(/miR-122@pre ~ child_pugh_score: r = ([-\d.]+)/) < -0.2);
  assert.ok(num(/paired t log10 miR-122 post - pre: mean ([-\d.]+)/) < 0);
  assert.ok(num(/paired t log10 miR-21 {2}post - pre: mean [-\d.]+, t = [-\d.]+, df 74, p = ([\d.]+)/) > 0.05);
  assert.ok(num(/HR \(O\/E\) low vs high ([\d.]+)/) > 1.5);
  assert.ok(num(/ROC miR-21 predicts effective: AUC ([\d.]+) \(higher in cases\)/) > 0.7);
  assert.ok(num(/ROC miR-122 predicts effective: AUC ([\d.]+) \(lower in cases\)/) > 0.65);
  assert.ok(num(/ROC miR-221@pre predicts responder \(all 78\): AUC ([\d.]+) \(lower in cases\)/) > 0.7);
});

test('seed 003: one tidy 384-well plate, 12 samples x 4 genes in triplicate, planted dose effects in the raw Cq', () => {
  const rows = csv(read('invitro-cell-line/plates/plate1.csv'));
  assert.deepEqual(rows[0], ['well', 'sample', 'target', 'task', 'cq']);
  const data = rows.slice(1).filter((r) => r[3] === 'UNKNOWN');
  assert.equal(data.length, 12 * 4 * 3);
  assert.equal(rows.slice(1).filter((r) => r[3] === 'NTC' && r[4] === '').length, 8);
  const meanCq = (g: string, t: string): number => {
    const v = data.filter((r) => r[1].startsWith(`${g}-`) && r[2] === t).map((r) => Number(r[4]));
    return v.reduce((s, x) => s + x, 0) / v.length;
  };
  const dcq = (g: string, t: string): number => meanCq(g, t) - (meanCq(g, 'GAPDH') + meanCq(g, 'ACTB')) / 2;
  // CDKN1A rises with dose (dCq falls), MKI67 falls (dCq rises), at the planted size within 0.5 cycle
  assert.ok(Math.abs(dcq('untreated', 'CDKN1A') - dcq('high', 'CDKN1A') - 2.0) < 0.5);
  assert.ok(Math.abs(dcq('high', 'MKI67') - dcq('untreated', 'MKI67') - 1.5) < 0.5);
  const sheet = csv(read('invitro-cell-line/samplesheet.csv'));
  assert.deepEqual(sheet[0], ['sample', 'treatment', 'dose', 'bio_rep']);
  assert.equal(sheet.length - 1, 12);
});
