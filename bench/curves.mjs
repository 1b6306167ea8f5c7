#!/usr/bin/env node
// npm run bench:curves -- [--wells=384] [--cycles=50] [--seed=1] [--runs=5] [--rdmlpython=DIR] [--python=/usr/bin/python3]
// LinRegPCR of one synthetic plate (seeded, realistic SYBR curves: 4 amplicons, 10-fold dilutions, NTCs, noise),
// timed and measured in the engine and, in the same run on the same data, in rdmlpython's Run.linRegPCR (through
// test/golden/rdmlpython/linregpcr.py --bench). rdmlpython is found from --rdmlpython or RDMLPYTHON_DIR (the folder
// that holds rdml.py); without it, or without numpy/scipy/lxml, the comparison is skipped with a note.
// Each side runs in its own process. Time: median of --runs analyses for the engine (after one warm-up), one
// analysis for rdmlpython (it takes seconds; its time includes reading the reactions from the parsed RDML tree,
// which is part of its linRegPCR). Memory, two measures: the peak RSS of each whole process (the same measure on
// both sides, runtime included: this is the ratio printed), and what the analysis itself adds: the engine's peak
// RSS growth over the analyses (maxRSS after minus before) and rdmlpython's tracemalloc peak (numpy included).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadPart, ROOT } from './lib/build.mjs';
import { mulberry32, normal } from './lib/gen.mjs';
import { flags, fmtMs, fmtRatio, median, runNode, table } from './lib/util.mjs';

const opt = flags(process.argv.slice(2), { wells: 384, cycles: 50, seed: 1, runs: 5, rdmlpython: process.env.RDMLPYTHON_DIR ?? '', python: '/usr/bin/python3', child: '' });

/** SYBR-like curves: baseline ~ 800 with a slight drift, efficiency ~ N(1.92, 0.02) per amplicon, starting copies
 * from 10^1 to 10^6 (dilution series), logistic plateau ~ 9000, Gaussian noise sd 4; one well in 48 is an NTC. */
function plate(wells, cycles, seed) {
  const u = mulberry32(seed), z = normal(u);
  const columns = wells > 96 ? 24 : 12;
  const reactions = [];
  for (let w = 0; w < wells; w++) {
    const target = `amp${w % 4}`, ntc = w % 48 === 47;
    const eff = [1.95, 1.9, 1.88, 1.93][w % 4] + 0.02 * z(), base = 800 + 50 * z(), drift = 0.5 * z();
    const copies = ntc ? 0 : 10 ** (1 + Math.floor(w / 4) % 6) * (1 + 0.1 * z()), plat = 9000 * (1 + 0.05 * z());
    const fluor = Array.from({ length: cycles }, (_, c) => {
      const x = 1e-9 * plat * copies * Math.pow(eff, c + 1);
      return Number((base + drift * c + (plat * x) / (plat + x) + 4 * z()).toFixed(3));
    });
    reactions.push({ id: String(w + 1), target, fluor });
  }
  return { columns, reactions };
}

async function child(file) {
  const { mod, error } = await loadPart('curves');
  if (error) { console.log(JSON.stringify({ error })); return; }
  const data = JSON.parse(readFileSync(file, 'utf8'));
  const input = data.reactions.map((r) => ({ ...r, fluor: Float64Array.from(r.fluor) }));
  mod.linRegPCR(input); // warm-up
  const before = process.resourceUsage().maxRSS, times = [];
  let res;
  const cpu = [];
  for (let i = 0; i < opt.runs; i++) {
    const t = performance.now(), c = process.cpuUsage();
    res = mod.linRegPCR(input);
    times.push(performance.now() - t);
    const d = process.cpuUsage(c);
    cpu.push((d.user + d.system) / 1000);
  }
  const peakBytes = (process.resourceUsage().maxRSS - before) * 1024;
  const results = res.reactions.map((r) => ({ id: r.id, indivEff: r.efficiency, td0: r.cq, meanEff: r.meanEfficiency }));
  const count = (f) => res.reactions.filter(f).length;
  const flagsText = `${count((r) => r.flags.amplification)} amplified, ${count((r) => r.flags.baselineError !== 0)} without a window, ${count((r) => r.flags.efficiencyExcluded)} efficiency outliers`;
  console.log(JSON.stringify({ ms: median(times), cpuMs: median(cpu), peakBytes, flagsText, rssBytes: process.resourceUsage().maxRSS * 1024, results }));
}

function python(file) {
  const dir = opt.rdmlpython;
  if (!dir) return { note: 'rdmlpython not compared: give --rdmlpython=DIR or RDMLPYTHON_DIR (the folder with rdml.py)' };
  const p = spawnSync(opt.python, [join(ROOT, 'test', 'golden', 'rdmlpython', 'linregpcr.py'), '--rdmlpython', dir, '--bench', file], { encoding: 'utf8', maxBuffer: 1 << 26 });
  if (p.error || p.status !== 0) return { note: `rdmlpython not compared: ${p.error?.message ?? p.stderr.trim().split('\n').slice(-1)[0]}` };
  return JSON.parse(p.stdout.trim().split('\n').slice(-1)[0]);
}

/** Largest relative difference of a field between the two result lists (both missing = equal). */
function maxRel(a, b, key) {
  let m = 0;
  a.forEach((r, i) => {
    const x = r[key], y = b[i][key];
    const none = (v) => v === null || v === undefined || Number.isNaN(v) || v === -1 || (key === 'indivEff' && v === 1);
    if (none(x) && none(y)) return;
    m = Math.max(m, none(x) || none(y) ? Infinity : Math.abs(x - y) / Math.abs(y));
  });
  return m;
}

async function main() {
  if (opt.child) return child(opt.child);
  const tmp = mkdtempSync(join(tmpdir(), 'qpcr-bench-curves-'));
  try {
    const file = join(tmp, 'plate.json');
    writeFileSync(file, JSON.stringify(plate(opt.wells, opt.cycles, opt.seed)));
    console.log(`LinRegPCR: ${opt.wells} wells × ${opt.cycles} cycles, 4 amplicons, seed ${opt.seed}`);
    const ts = (await runNode([join(ROOT, 'bench', 'curves.mjs'), `--child=${file}`, `--runs=${opt.runs}`])).lines[0] ?? { error: 'no output' };
    if (ts.error) { console.error(`engine: ${ts.error}`); process.exitCode = 1; return; }
    const py = python(file);
    const mb = (b) => (b == null ? '-' : `${(b / 2 ** 20).toFixed(1)} MB`);
    const ratio = (a, b) => (a && b ? (a / b < 0.1 ? `${(a / b).toPrecision(2)}× (${fmtRatio(b / a)} less)` : fmtRatio(a / b)) : '-');
    table(['', 'engine (TS)', 'rdmlpython', 'TS / rdmlpython'], [
      [`time (TS median of ${opt.runs})`, fmtMs(ts.ms), fmtMs(py.ms), ratio(ts.ms, py.ms)],
      ['CPU time (shared machine: the steadier one)', fmtMs(ts.cpuMs), fmtMs(py.cpuMs), ratio(ts.cpuMs, py.cpuMs)],
      ['peak RSS of the process', mb(ts.rssBytes), mb(py.rssBytes), ratio(ts.rssBytes, py.rssBytes)],
      ['added by the analysis', `${mb(ts.peakBytes)} (RSS growth)`, `${mb(py.peakBytes)} (tracemalloc)`, '-'],
    ]);
    console.log(`engine: ${ts.flagsText} (of ${opt.wells})`);
    if (py.note) console.log(py.note);
    else console.log(`agreement: max relative difference efficiency ${maxRel(ts.results, py.results, 'indivEff').toExponential(1)}, Cq ${maxRel(ts.results, py.results, 'td0').toExponential(1)}, mean efficiency ${maxRel(ts.results, py.results, 'meanEff').toExponential(1)}`);
  } finally { rmSync(tmp, { recursive: true, force: true }); }
}

await main();
