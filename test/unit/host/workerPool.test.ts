/** The engine worker pool (src/host/worker/workerPool.ts) in plain Node, with a tiny test worker. */
import { after, test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import * as fs from 'node:fs';
import { execFileSync } from 'node:child_process';
import { WorkerPool } from '../../../src/host/worker/workerPool';
import {
  dataStatements, type ContextReadEvent, type PlateTaskArgs, type PlateTaskResult, type RunProgressEvent, type RunTaskArgs, type RunTaskResult,
  type StudyContextArgs, type StudyContextResult,
} from '../../../src/host/worker/engineTasks';
import { analysePlate } from '../../../src/host/plateAnalysis';
import { parseStudy } from '../../../src/engine/study';
import { DEFAULT_QC, type Plate } from '../../../src/engine/plate/model';
import { cellEdit, importPlate } from '../../../src/engine/plate';
import { repoRoot, tempDir } from '../helpers';
import { cancellable, failure } from './engineTasks.kit';
import { sharedRun } from '../studyRuns';

const script = path.join(__dirname, 'fixtures', 'poolTestWorker.js');

function pool(memoryMb = 64): WorkerPool {
  return new WorkerPool({ script, memoryMb, rssMarginMb: 128 });
}

test('a task returns its value, and the worker is reused for the next one', async () => {
  const p = pool();
  try {
    assert.equal(await p.run('echo', { value: 'a' }, { timeoutMs: 10_000 }), 'a');
    assert.equal(p.workerCount, 1);
    assert.deepEqual(await p.run('echo', { value: [1, { b: 2 }] }, { timeoutMs: 10_000 }), [1, { b: 2 }]);
    assert.equal(p.workerCount, 1);
  } finally {
    p.dispose();
  }
});

test('an idle worker is terminated after idleMs', async () => {
  const p = new WorkerPool({ script, memoryMb: 64, idleMs: 200 });
  try {
    assert.equal(await p.run('echo', { value: 1 }, { timeoutMs: 10_000 }), 1);
    assert.equal(p.workerCount, 1);
    await new Promise((r) => setTimeout(r, 400));
    assert.equal(p.workerCount, 0);
    assert.equal(await p.run('echo', { value: 2 }, { timeoutMs: 10_000 }), 2);
  } finally {
    p.dispose();
  }
});

test('what crosses: Maps, typed arrays and dates survive the structured clone', async () => {
  const p = pool();
  try {
    const r = await p.run<{ map: Map<string, number>; bytes: Uint8Array; date: Date; nested: unknown }>('shapes', {}, { timeoutMs: 10_000 });
    assert.ok(r.map instanceof Map);
    assert.equal(r.map.get('a'), 1);
    assert.deepEqual([...r.bytes], [1, 2, 3]);
    assert.equal(r.date.getTime(), 0);
    assert.deepEqual(r.nested, { list: [1, { x: 2 }] });
  } finally {
    p.dispose();
  }
});

test('a task that loops forever is terminated at its time budget, and the pool works again afterwards', async () => {
  const p = pool();
  try {
    const t0 = Date.now();
    const e = await failure(p.run('spin', {}, { timeoutMs: 300 }));
    const took = Date.now() - t0;
    assert.equal(e.kind, 'timeout');
    assert.match(e.message, /within 0\.3 s/);
    assert.ok(took >= 290 && took < 5000, `stopped after ${took} ms`);
    assert.equal(p.workerCount, 0, 'the spinning worker is gone');
    assert.equal(await p.run('echo', { value: 'after' }, { timeoutMs: 10_000 }), 'after');
  } finally {
    p.dispose();
  }
});

test('a task that allocates without bound dies at the heap limit and becomes a clean error', async () => {
  const p = pool(48);
  try {
    const e = await failure(p.run('allocateHeap', {}, { timeoutMs: 60_000 }));
    assert.equal(e.kind, 'memory');
    assert.match(e.message, /out of memory \(limit 48 MB\)/);
    assert.equal(e.limits.memoryMb, 48);
    assert.equal(await p.run('echo', { value: 'alive' }, { timeoutMs: 10_000 }), 'alive');
  } finally {
    p.dispose();
  }
});

test('memory outside the V8 heap (ArrayBuffers) is stopped by the resident-memory watch', async () => {
  const p = pool(48);
  try {
    const before = process.memoryUsage.rss();
    const e = await failure(p.run('allocateBuffers', {}, { timeoutMs: 60_000 }));
    assert.equal(e.kind, 'memory');
    assert.ok(process.memoryUsage.rss() - before < 1024 * 1024 * 1024, 'stopped well before a gigabyte');
    assert.equal(await p.run('echo', { value: 'alive' }, { timeoutMs: 10_000 }), 'alive');
  } finally {
    p.dispose();
  }
});

test('a worker may hold as much again as its heap limit outside the heap (a plate\'s columns): the watch lets it finish', () => {
  // 64 MB heap, 64 MB margin: 144 MB of ArrayBuffers is more than limit + margin (128 MB, the watch's allowance
  // before) and leaves 48 MB below twice the limit + margin (192 MB) for the worker's own start. Then, in a new pool,
  // 480 MB is stopped (the first task's freed memory, which it may reuse unseen, is far less than 480 − 192 MB).
  // In a fresh process: resident memory is the process's, and memory freed by an earlier test is reused unseen.
  const code = `const { WorkerPool } = require(${JSON.stringify(require.resolve('../../../src/host/worker/workerPool'))});
    const hold = async (mb) => {
      const p = new WorkerPool({ script: ${JSON.stringify(script)}, memoryMb: 64, rssMarginMb: 64, rssSampleMs: 20 });
      try { return 'held ' + await p.run('holdBuffers', { mb }, { timeoutMs: 60000 }); } catch (e) { return e.kind; } finally { p.dispose(); }
    };
    (async () => console.log(JSON.stringify([await hold(144), await hold(480)])))();`;
  assert.deepEqual(JSON.parse(execFileSync(process.execPath, ['-e', code], { encoding: 'utf8' })), ['held 144', 'memory']);
});

test('cancellation terminates the worker at once; a token cancelled before the start runs nothing', async () => {
  const p = pool();
  try {
    const s = cancellable();
    const running = p.run('spin', {}, { timeoutMs: 60_000, token: s.token });
    setTimeout(s.cancel, 100);
    const t0 = Date.now();
    const e = await failure(running);
    assert.equal(e.kind, 'cancelled');
    assert.ok(Date.now() - t0 < 5000);
    assert.equal(p.workerCount, 0);
    const e2 = await failure(p.run('echo', { value: 1 }, { timeoutMs: 1000, token: s.token }));
    assert.equal(e2.kind, 'cancelled');
    assert.equal(await p.run('echo', { value: 2 }, { timeoutMs: 10_000 }), 2);
  } finally {
    p.dispose();
  }
});

test('a worker that exits is a crash; a task that throws is a failure with its message and keeps the worker', async () => {
  const p = pool();
  try {
    const crash = await failure(p.run('exit', {}, { timeoutMs: 10_000 }));
    assert.equal(crash.kind, 'crashed');
    assert.match(crash.message, /exit code 3/);
    const failed = await failure(p.run('fail', {}, { timeoutMs: 10_000 }));
    assert.equal(failed.kind, 'failed');
    assert.equal(failed.message, 'bad input at line 3');
    assert.equal(p.workerCount, 1);
    const unknown = await failure(p.run('nope', {}, { timeoutMs: 10_000 }));
    assert.match(unknown.message, /unknown engine task "nope"/);
    assert.equal(await p.run('echo', { value: 'ok' }, { timeoutMs: 10_000 }), 'ok');
  } finally {
    p.dispose();
  }
});

test('a task can call host services and report events; a service that throws rejects in the worker', async () => {
  const p = pool();
  try {
    const events: unknown[] = [];
    const r = await p.run('ask', { question: 'q1' }, { timeoutMs: 10_000, onCall: async (m, a) => `${m}(${String(a)})`, onEvent: (e) => events.push(e) });
    assert.equal(r, 'answer: lookup(q1)');
    assert.deepEqual(events, [{ asking: 'q1' }]);
    const e = await failure(p.run('ask', { question: 'q2' }, { timeoutMs: 10_000, onCall: () => { throw new Error('no such file'); } }));
    assert.equal(e.kind, 'failed');
    assert.equal(e.message, 'no such file');
  } finally {
    p.dispose();
  }
});

test('tasks run side by side in separate workers; dispose cancels the running ones', async () => {
  const p = pool();
  const spinning = p.run('spin', {}, { timeoutMs: 60_000 });
  assert.deepEqual(await Promise.all([p.run('echo', { value: 1 }, { timeoutMs: 10_000 }), p.run('echo', { value: 2 }, { timeoutMs: 10_000 })]), [1, 2]);
  p.dispose();
  assert.equal((await failure(spinning)).kind, 'cancelled');
  assert.equal((await failure(p.run('echo', { value: 3 }, { timeoutMs: 1000 }))).kind, 'cancelled');
});

// ---------------------------------------------------------------------------------------------------------------
// The real engine worker (src/host/worker/engineWorker.ts, as tsc compiles it) and its tasks

const engineScript = path.join(repoRoot, 'out', 'src', 'host', 'worker', 'engineWorker.js');
const example = path.join(repoRoot, 'examples', 'tace-exosomal-mirna');
const local = { local: true, scheme: 'file', authority: '' };

/** One engine worker pool for the engine-worker tests below (the worker loads the engine once, not once per test). */
let enginePool: WorkerPool | undefined;
const engine = (): WorkerPool => (enginePool ??= new WorkerPool({ script: engineScript, memoryMb: 1024 }));
after(() => enginePool?.dispose());

function study(file: string): { text: string; ast: ReturnType<typeof parseStudy>['ast'] } {
  const text = fs.readFileSync(file, 'utf8');
  return { text, ast: parseStudy(text, file).ast };
}

test('engine worker: a plate from text gives the same findings as in-process, plus the plate and its view', async () => {
  const p = engine();
  const file = path.join(repoRoot, 'test', 'e2e', 'fixtures', 'ExperimentWithNTC.txt');
  const text = fs.readFileSync(file, 'utf8');
  const qc = { ...DEFAULT_QC, referenceTargets: [] };
  const args: PlateTaskArgs = { source: { text }, fileName: file, qc, options: {} };
  const r = await p.run<PlateTaskResult>('plate', args, { timeoutMs: 30_000 });
  assert.equal(r.recognised, true);
  assert.deepEqual(r.diagnostics, analysePlate(text, file, qc).diagnostics);
  const v = await p.run<PlateTaskResult>('plate', { ...args, source: { path: file, stream: false }, keepPlate: true, view: { fileName: 'x', version: 3, readonly: false, qc: { replicateSd: 0.5, maxCq: 35 } } }, { timeoutMs: 30_000 });
  assert.equal(v.state?.version, 3);
  assert.equal(v.state?.wells.bits.length, v.plate?.wells.length);
  // The plate editor edits the plate it got back: the wells' cell ranges must survive the structured clone.
  const direct = importPlate(text, file).plate as Plate;
  const back = v.plate as Plate;
  assert.deepEqual(back.wells.map((w) => w.ranges), JSON.parse(JSON.stringify(direct.wells.map((w) => w.ranges))));
  const i = direct.wells.findIndex((w) => cellEdit(direct, w, 'cq', '30') !== null);
  assert.ok(i >= 0);
  assert.deepEqual(cellEdit(back, back.wells[i], 'cq', '30'), cellEdit(direct, direct.wells[i], 'cq', '30'));
  const none = await p.run<PlateTaskResult>('plate', { ...args, source: { text: 'just,a\ncsv,file\n' } }, { timeoutMs: 30_000 });
  assert.equal(none.recognised, false);
});

test('engine worker: a study context lists the targets, columns and levels of its data, reporting each file it reads', async () => {
  const p = engine();
  const file = path.join(example, 'study.qstudy');
  const { ast } = study(file);
  const events: ContextReadEvent[] = [];
  const args: StudyContextArgs = { ...local, studyPath: file, ast: dataStatements(ast) };
  const { context: ctx, diagnostics } = await p.run<StudyContextResult>('studyContext', args, { timeoutMs: 60_000, onEvent: (e) => events.push(e as ContextReadEvent) });
  assert.deepEqual(diagnostics.filter((d) => d.severity === 'error'), []);
  assert.ok(ctx.targets?.includes('miR-122') && ctx.targets.includes('cel-miR-39'), String(ctx.targets));
  assert.ok(ctx.clinicalColumns?.some((c) => c.name === 'patient'));
  assert.deepEqual([...(ctx.levels?.timepoint ?? [])].sort(), ['post', 'pre']);
  assert.ok(events.some((e) => e.what === 'plate' && e.range.start.line === 3));
  assert.ok(events.some((e) => e.what === 'clinical' && e.file.endsWith('clinical.csv')));
  // Restricted Mode: nothing outside the allowed folder is read.
  const restricted = await p.run<StudyContextResult>('studyContext', { ...args, restrictTo: [{ uri: { scheme: 'file', authority: '', path: '/nonexistent-folder' } }], roots: ['/nonexistent-folder'] }, { timeoutMs: 60_000 });
  assert.deepEqual(restricted.context, {});
  assert.ok(restricted.diagnostics.some((d) => d.severity === 'error' && d.file === file && /workspace/.test(d.message)), JSON.stringify(restricted.diagnostics));
});

test('engine worker: a named plate that gives no plate stops the live inputs as `check` stops: one error on its plates statement', async () => {
  const p = engine();
  const dir = tempDir('qpcr-worker-');
  try {
    fs.writeFileSync(path.join(dir, 'notes.txt'), 'these are not Cq values\nat all\n');
    const file = path.join(dir, 'study.qstudy');
    const text = 'study "s"\nplates "notes.txt"\nreference x\n';
    const r = await p.run<StudyContextResult>('studyContext', { ...local, studyPath: file, ast: dataStatements(parseStudy(text, file).ast) }, { timeoutMs: 60_000 });
    assert.deepEqual(r.context, {});
    const onStudy = r.diagnostics.filter((d) => d.file === file);
    assert.equal(onStudy.length, 1, JSON.stringify(r.diagnostics));
    assert.equal(onStudy[0].code, 'study-plate-errors');
    assert.equal(onStudy[0].severity, 'error');
    assert.equal(onStudy[0].range.start.line, 1);
    assert.match(onStudy[0].message, /notes\.txt/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('engine worker: a run gives the report the in-process runner gives, and the files its globs matched', async () => {
  const p = engine();
  const file = path.join(example, 'study.qstudy');
  const { text } = study(file);
  const progress: RunProgressEvent[] = [];
  // The worker's run and the in-process one side by side (the worker is another thread).
  const [r, direct] = await Promise.all([
    p.run<RunTaskResult>('run', { ...local, text, studyPath: file } satisfies RunTaskArgs, { timeoutMs: 300_000, onEvent: (e) => progress.push(e as RunProgressEvent) }),
    sharedRun(text, file),
  ]);
  // Everything in the report is plain data: what crosses equals the structured clone of the in-process report.
  const expected = structuredClone(direct.report) as { generated?: unknown };
  assert.ok(r.report && expected);
  assert.deepEqual({ ...r.report, generated: undefined }, { ...expected, generated: undefined });
  // ... and nothing was lost on the way (a class whose data lives in getters or toJSON would serialise differently).
  assert.equal(JSON.stringify({ ...r.report, generated: 0 }), JSON.stringify({ ...direct.report, generated: 0 }));
  assert.ok(r.matched.length >= 3 && r.matched.every((m) => m.endsWith('.txt')));
  assert.ok(progress.length > 1 && progress[0].fraction === 0);
});

/**
 * A tidy table of `blocks` × 1,000 rows: sample `S<block><row, 3 digits>` (all distinct), target `T<i mod 7>`, one of
 * 100 Cq texts. A block's rows share their sample prefix, so a block is one join of its 1,000 row tails (seven tail
 * lists, by the block's offset mod 7) rather than a string made per row (1.5 M rows took a second).
 */
function bigTidyText(blocks: number): string {
  const cq = Array.from({ length: 100 }, (_, k) => (20 + k / 10).toFixed(2));
  const tails = Array.from({ length: 7 }, (_, off) => Array.from({ length: 1000 }, (_, k) => `${String(k).padStart(3, '0')},T${(off + k) % 7},${cq[k % 100]}`));
  const out = ['sample,target,cq'];
  for (let b = 0; b < blocks; b++) out.push(`S${b}${tails[(b * 1000) % 7].join(`\nS${b}`)}`);
  return out.join('\n');
}

test('engine worker: a plate whose import needs more memory than the limit is a memory error, not a crash', async () => {
  const p = new WorkerPool({ script: engineScript, memoryMb: 64, rssMarginMb: 64 });
  try {
    // A tidy plate of 1.5 M reactions (~40 MB of text), each its own sample: far more than 64 MB once imported.
    const e = await failure(p.run('plate', { source: { text: bigTidyText(1500) }, fileName: 'big.csv', qc: { ...DEFAULT_QC, referenceTargets: [] }, options: {} } satisfies PlateTaskArgs, { timeoutMs: 120_000 }));
    assert.equal(e.kind, 'memory');
  } finally {
    p.dispose();
  }
});
