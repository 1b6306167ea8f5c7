#!/usr/bin/env node
// npm run bench:scaling -- [--max=10000000] [--seed=1] [--timeout=600]
// Issue 17 goal 6: import, QC, expression and a full study at 10³ … 10⁷ wells: time and peak RSS per size, each
// stage in its own process (peak RSS is the process's own VmHWM, bench/lib/util.mjs peakRssMB). Growth is shown as
// the time per well and the ratio of each size's time to the previous size's (10× the wells: 10× the time is linear
// growth). The files are streamed from disk (engine-stream: 1 MiB chunks), as a study reads a file over 50 MB.
import { closeSync, mkdtempSync, openSync, rmSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from './lib/build.mjs';
import { tidyCsv } from './lib/gen.mjs';
import { flags, fmtMs, fmtRatio, runNode, table } from './lib/util.mjs';

const opt = flags(process.argv.slice(2), { max: 10_000_000, seed: 1, timeout: 600 });
const tmp = mkdtempSync(join(tmpdir(), 'qpcr-scaling-'));
const part = (p) => join(ROOT, 'bench', 'parts', p);
const sizes = [1e3, 1e4, 1e5, 1e6, 1e7].filter((n) => n <= opt.max);

/** A study over one generated file: 9 wells per sample (3 targets × triplicates), one subject per sample. */
function writeStudy(dir, wells, csv) {
  const samples = Math.ceil(wells / 9);
  let clinical = 'sample,group\n';
  for (let s = 1; s <= samples; s++) clinical += `S${String(s).padStart(6, '0')},${s % 2 ? 'A' : 'B'}\n`;
  writeFileSync(join(dir, 'clinical.csv'), clinical);
  const study = join(dir, 'scale.qstudy');
  writeFileSync(study, [`study "scaling ${wells}"`, `plates "${csv}" format tidy`, 'clinical "clinical.csv" key sample',
    'samples "{sample}"', 'reference RNU6B', 'targets miR-21-5p, miR-122-5p', 'by_group: compare miR-21-5p by group', ''].join('\n'));
  return study;
}

const rows = [];
let prev = null;
for (const n of sizes) {
  const dir = mkdtempSync(join(tmp, `n${n}-`));
  const csv = join(dir, 'wells.csv');
  const fd = openSync(csv, 'w');
  tidyCsv(n, (c) => writeSync(fd, c), { seed: opt.seed });
  closeSync(fd);
  const mb = statSync(csv).size / 1048576;
  const eng = await runNode([part('import.mjs'), csv, 'engine-stream'], { timeoutMs: opt.timeout * 1000 });
  const st = (s) => eng.lines.find((l) => l.stage === s);
  const imp = st('import'), qc = st('qc'), ex = st('expr');
  const study = await runNode([part('study.mjs'), writeStudy(dir, n, 'wells.csv')], { timeoutMs: opt.timeout * 1000 });
  const sr = study.lines.find((l) => l.stage === 'study' || l.stage === 'error');
  const total = imp && qc && ex ? imp.ms + qc.ms + ex.ms : NaN;
  const growth = prev && Number.isFinite(total) ? fmtRatio(total / prev) : '-';
  rows.push([n.toLocaleString('en'), `${mb.toFixed(1)} MB`, fmtMs(imp?.ms), fmtMs(qc?.ms), fmtMs(ex?.ms), ex ? `${ex.maxRssMB} MB` : (eng.timedOut ? 'timed out' : 'failed'),
    Number.isFinite(total) ? `${(total * 1000 / n).toFixed(2)} µs` : '-', growth,
    sr?.stage === 'study' ? fmtMs(sr.ms) : `failed: ${(sr?.error ?? study.stderr.split('\n').slice(-2).join(' ')).slice(0, 60)}`, sr?.stage === 'study' ? `${sr.maxRssMB} MB` : '-']);
  prev = total;
  rmSync(dir, { recursive: true, force: true });
  console.log(`done ${n.toLocaleString('en')} wells`);
}
console.log('\n== scaling (import + QC + expression streamed from disk; study = runStudy with a clinical table and one compare)');
table(['wells', 'file', 'import', 'QC', 'expression', 'peak RSS', 'per well', 'time ×', 'study', 'study peak RSS'], rows);
console.log('time ×: (import + QC + expression) over the previous size\'s; 10× the wells at ~10× the time is linear.');
rmSync(tmp, { recursive: true, force: true });
