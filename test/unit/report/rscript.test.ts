/**
 * The R-script export (src/engine/report/rscript): every analysis kind has an emitter or a stated reason; the
 * dataset holds the analyses' columns and cohorts; and the exported script of each example recomputes its numbers
 * equal to report.json at 1e-6 relative (every number the script writes is compared; the bootstrap kinds — calibrate,
 * validate — are not reproduced, their resamples come from the engine's PRNG). R's results are a golden keyed by the
 * script and dataset they came from: R runs again only when those change (see GOLDEN).
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { repoRoot, tempDir } from '../helpers';
import { nodeStudyIO } from '../../../src/cli/nodeIO';
import { ANALYSIS_KINDS } from '../../../src/engine/analyses';
import { documentWriter } from '../../../src/engine/report/documents';
import { analysisCsv, rEmitterOf, rScriptNames } from '../../../src/engine/report/rscript';
import type { Report } from '../../../src/shared/report/types';
import { documentTask } from '../../../src/host/worker/engineTasks';
import { main, type CliIO } from '../../../src/cli/main';
import { sharedExampleRun } from '../studyRuns';

const EXAMPLES = fs.readdirSync(path.join(repoRoot, 'examples')).filter((e) => fs.existsSync(path.join(repoRoot, 'examples', e, 'study.qstudy')));

async function exported(example: string, dir: string, extra = ''): Promise<Report> {
  const studyPath = path.join(repoRoot, 'examples', example, 'study.qstudy');
  const { report, data } = await sharedExampleRun(example, extra);
  assert.ok(report && data, example);
  for (const f of await documentWriter('rscript')({ report, data, studyPath })) fs.writeFileSync(path.join(dir, f.file), f.bytes);
  return report;
}

/** The value at a report.json path (`terms.1.ci`) of a result. */
function at(o: unknown, p: string): unknown {
  return p.split('.').reduce<unknown>((v, k) => (v === null || v === undefined ? undefined : (v as Record<string, unknown>)[k]), o);
}

function close(a: unknown, b: unknown): boolean {
  if (a === null || b === null || a === undefined || b === undefined) return (a ?? null) === (b ?? null);
  if (typeof a === 'string' && /^-?Inf$/.test(a)) return false;
  const x = Number(a), y = Number(b);
  return Math.abs(x - y) <= 1e-6 * Math.max(Math.abs(x), Math.abs(y)) + 1e-12;
}

test('every analysis kind has an R emitter or a stated reason it is not reproduced', () => {
  for (const k of ANALYSIS_KINDS) {
    const e = rEmitterOf(k);
    assert.ok(e, `no R emitter for ${k}`);
    if (typeof e !== 'function') assert.ok(e.notReproduced.length > 20, k);
  }
});

test('the dataset: subject key, the analyses\' columns as written, the cohorts as 0/1 columns; names follow the saved file', async () => {
  const { report, data } = await sharedExampleRun('crc-liver-mets-capecitabine');
  assert.ok(report && data);
  const csv = analysisCsv(data.table).split('\n');
  const header = csv[0];
  for (const c of ['"patient"', '"miR-21 > 2.0"', '"effective"', '"cohort:train"', '"cohort:validation"', '"cohort:all"']) assert.ok(header.includes(c), c);
  assert.equal(csv.length - 2, report.data.subjects);
  const m1 = data.table.analyses.find((a) => a.name === 'model1');
  assert.equal(m1?.vars['terms.1'], 'miR-21 > 2.0');
  const files = await documentWriter('rscript')({ report, data, fileName: 'crc-analysis.R' });
  assert.deepEqual(files.map((f) => f.file), ['crc-analysis.R', 'crc-analysis-data.csv']);
  const script = new TextDecoder().decode(files[0].bytes);
  assert.match(script, /read\.csv\("crc-analysis-data\.csv"/);
  assert.match(script, /# ---- calibrate 1 \(calibrate\), study line \d+: .*\n# not reproduced: .*bootstrap/);
  assert.deepEqual(rScriptNames('analysis.R'), { script: 'analysis.R', data: 'analysis-data.csv', results: 'analysis-results.json' });
  await assert.rejects(async () => documentWriter('rscript')({ report }), /needs the run's data/);
});

const hasR = spawnSync('Rscript', ['--version']).status === 0;
/** QPCR_UPDATE_BASELINE=1 (which also remakes the report baselines) with R on PATH: R runs every script again. */
const remakeGolden = process.env.QPCR_UPDATE_BASELINE === '1' && hasR;

/** sorafenib with two analyses whose `by` expression (an aggregate) differs between cohorts. */
const AGGREGATE = '\nhigh_c1: describe age by mir221_high in c1\nhigh_c2: describe age by mir221_high in c2\n';

/**
 * R's results of each exported script (analysis-results.json), committed with the key of the script and data that
 * gave them: the script without its comment lines (its header names the day it was written) and the dataset, hashed.
 * R's output is a function of those two files, so an unchanged key needs no R run, and machines without R still
 * compare the report with R. A changed key runs R (when on PATH) and fails until the golden is refreshed with
 * QPCR_UPDATE_BASELINE=1 and R on PATH, which runs R on every script again (without R, that variable leaves the
 * golden as it is: it still serves the scripts that did not change).
 */
const GOLDEN = path.join(repoRoot, 'test', 'golden', 'rscript-results.json');
interface RGolden { madeBy: string; r: string; runs: Record<string, { key: string; results: Record<string, unknown> }> }
const golden: RGolden = fs.existsSync(GOLDEN) ? JSON.parse(fs.readFileSync(GOLDEN, 'utf8')) as RGolden : { madeBy: '', r: '', runs: {} };

function scriptKey(dir: string): string {
  const script = fs.readFileSync(path.join(dir, 'analysis.R'), 'utf8').split('\n').filter((l) => !l.startsWith('#')).join('\n');
  return createHash('sha256').update(script).update('\u0000').update(fs.readFileSync(path.join(dir, 'analysis-data.csv'))).digest('hex');
}

interface RRun { report: Report; key: string; results: Record<string, unknown> | null; stale: boolean }

/**
 * Every example's exported script, and the AGGREGATE study's, with R's results: the golden's when its key is the
 * script's, else R's own (one R process for all of them: R's start-up and package loading dominate a single script's
 * time; null when R is not on PATH). Made once for the tests that read them (the folder is a tempDir).
 */
let batch: Promise<Map<string, RRun>> | undefined;
function rResults(): Promise<Map<string, RRun>> {
  batch ??= (async () => {
    const root = tempDir('qpcr-rscript-');
    const runs = new Map<string, RRun>();
    const exportTo = async (name: string, example: string, extra = '') => {
      const dir = path.join(root, name);
      fs.mkdirSync(dir);
      const report = await exported(example, dir, extra);
      const key = scriptKey(dir);
      const g = golden.runs[name];
      const stale = g?.key !== key;
      runs.set(name, { report, key, results: stale || remakeGolden ? null : g.results, stale });
    };
    for (const ex of EXAMPLES) await exportTo(ex, ex);
    await exportTo('aggregate', 'sorafenib-mir221', AGGREGATE);
    const toRun = [...runs].filter(([, r]) => r.results === null).map(([name]) => name);
    if (toRun.length && hasR) {
      const dirs = toRun.map((e) => JSON.stringify(path.join(root, e))).join(', ');
      const r = await rscript(`for (dir in c(${dirs})) { setwd(dir); source("analysis.R", local = new.env()) }`);
      assert.equal(r.status, 0, r.stderr);
      for (const name of toRun) runs.get(name)!.results = JSON.parse(fs.readFileSync(path.join(root, name, 'analysis-results.json'), 'utf8')) as Record<string, unknown>;
    }
    return runs;
  })();
  return batch;
}

/** `Rscript -e code` without blocking this process: the other tests of the file's process run meanwhile. */
function rscript(code: string): Promise<{ status: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('Rscript', ['-e', code], { stdio: ['ignore', 'ignore', 'pipe'], timeout: 300_000 });
    const err: Buffer[] = [];
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stderr: Buffer.concat(err).toString('utf8') }));
  });
}

// Started when the file loads, so that R (about 6 s, when a script changed) works beside the tests that run before
// the ones reading it; a failure reaches those tests (the catch only keeps it from being reported as unhandled first).
rResults().catch(() => undefined);

/** Writes the golden from R's results (remakeGolden), or fails naming the runs whose scripts changed. */
function checkGolden(runs: Map<string, RRun>): void {
  const stale = [...runs].filter(([, r]) => r.stale).map(([name]) => name);
  if (remakeGolden) {
    const r = spawnSync('Rscript', ['--version'], { encoding: 'utf8' });
    const out: RGolden = {
      madeBy: 'test/unit/report/rscript.test.ts with QPCR_UPDATE_BASELINE=1: each run\'s exported analysis.R and analysis-data.csv, run by Rscript',
      r: `${r.stdout}${r.stderr}`.trim().split('\n')[0],
      runs: Object.fromEntries([...runs].map(([name, x]) => [name, { key: x.key, results: x.results! }])),
    };
    fs.writeFileSync(GOLDEN, JSON.stringify(out, null, 1) + '\n');
    return;
  }
  assert.deepEqual(stale, [], `the exported scripts of these runs changed since R's results were recorded: rerun with QPCR_UPDATE_BASELINE=1 and Rscript on PATH to remake ${path.relative(repoRoot, GOLDEN)}`);
}

test('each example\'s exported R script reproduces report.json at 1e-6', async () => {
  const runs = await rResults();
  let compared = 0;
  const bad: string[] = [];
  for (const ex of EXAMPLES) {
    const { report, results } = runs.get(ex)!;
    if (!results) continue; // its script changed and R is not here: checkGolden says so
    const byName = new Map(report.results.map((x) => [x.name, x]));
    for (const [key, value] of Object.entries(results)) {
      const [name, p] = key.split(' :: ');
      const want = at(byName.get(name), p);
      const ws = Array.isArray(want) ? want : [want];
      const vs = Array.isArray(value) ? value : [value];
      compared++;
      if (ws.length !== vs.length || ws.some((w, i) => !close(w, vs[i]))) bad.push(`${ex} ${key}: R ${JSON.stringify(value)}, report ${JSON.stringify(want)}`);
    }
  }
  assert.deepEqual(bad, []);
  checkGolden(runs);
  assert.ok(compared > 300, `only ${compared} numbers compared`);
});

test('the worker\'s document task (results panel): runs the study again with its data and returns the files, or the run\'s errors', async () => {
  const studyPath = path.join(repoRoot, 'examples', 'sorafenib-mir221', 'study.qstudy');
  const ctx = { call: () => Promise.reject(new Error('no host calls for local files')), emit: () => undefined };
  const access = { local: true, scheme: 'file', authority: '' };
  const text = fs.readFileSync(studyPath, 'utf8');
  const rs = await documentTask({ ...access, text, studyPath, id: 'rscript', fileName: 'sorafenib-analysis.R' }, ctx);
  assert.deepEqual(rs.files?.map((f) => f.file), ['sorafenib-analysis.R', 'sorafenib-analysis-data.csv']);
  const rdml = await documentTask({ ...access, text, studyPath, id: 'rdml', fileName: 'x.rdml' }, ctx);
  assert.deepEqual(rdml.files?.map((f) => f.file), ['x.rdml']);
  assert.deepEqual([...rdml.files![0].bytes.slice(0, 2)], [0x50, 0x4b]); // a zip (PK)
  const broken = await documentTask({ ...access, text: text.replace('reference miR-16', 'reference'), studyPath, id: 'rscript', fileName: 'a.R' }, ctx);
  assert.equal(broken.files, null);
  assert.ok(broken.errors.length > 0);
});

test('an expression whose aggregate differs between cohorts gets one column per cohort, and its script still reproduces', async () => {
  // mir221_high = miR-221@pre > median(miR-221@pre): the median of c1 is not the median of c2
  const { report, data } = await sharedExampleRun('sorafenib-mir221', AGGREGATE);
  assert.ok(report && data);
  const c1 = data.table.analyses.find((a) => a.name === 'high_c1')!.vars.by;
  const c2 = data.table.analyses.find((a) => a.name === 'high_c2')!.vars.by;
  assert.equal(c1, 'mir221_high [c1]'); // the km on all subjects named the column first
  assert.equal(c2, 'mir221_high [c2]');
  const got = (await rResults()).get('aggregate')!.results;
  assert.ok(got, 'the aggregate study\'s script changed and R is not on PATH (see the test above)');
  for (const name of ['high_c1', 'high_c2']) {
    const res = report.results.find((x) => x.name === name);
    assert.ok(close(got[`${name} :: rows.0.p`], at(res, 'rows.0.p')), name);
  }
});

test('qpcr-studio run --r-script writes analysis.R and analysis-data.csv beside report.json (and report.rdml, always), and says so; --rdml is accepted', async () => {
  const out = tempDir('qpcr-cli-rscript-');
  const outs: string[] = [], errs: string[] = [];
  const io: CliIO = { out: (l) => outs.push(l), err: (l) => errs.push(l), study: nodeStudyIO(), assetDir: path.join(os.tmpdir(), 'no-assets') };
  const code = await main(['run', path.join(repoRoot, 'examples', 'invitro-cell-line', 'study.qstudy'), '--out', out, '--r-script', '--rdml'], io);
  assert.equal(code, 0, errs.join('\n'));
  for (const f of ['analysis.R', 'analysis-data.csv', 'report.rdml']) {
    assert.ok(fs.existsSync(path.join(out, f)), f);
    assert.ok(outs.includes(`wrote ${path.join(out, f)}`), f);
  }
  assert.match(fs.readFileSync(path.join(out, 'analysis.R'), 'utf8'), /^# Dose response of CDKN1A/);
  const plain = tempDir('qpcr-cli-rscript-');
  assert.equal(await main(['run', path.join(repoRoot, 'examples', 'invitro-cell-line', 'study.qstudy'), '--out', plain], io), 0);
  assert.ok(!fs.existsSync(path.join(plain, 'analysis.R')) && fs.existsSync(path.join(plain, 'report.rdml')));
  fs.rmSync(out, { recursive: true, force: true });
  fs.rmSync(plain, { recursive: true, force: true });
});
