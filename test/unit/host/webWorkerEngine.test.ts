/**
 * The engine's Web Worker in VS Code for the web (src/host/web/engine.ts, src/web/engineWorker.ts): the worker bundle
 * builds with the web adapters and needs neither Node nor vscode; WebEngine runs tasks in workers through the same
 * TaskPool as Node (a busy task is stopped by terminating its worker while the host stays responsive; a timeout and a
 * cancellation give the pool's messages), runs a study in the real worker bundle with every file read through host
 * calls, and falls back to in-process only when no worker can be started. Web Workers are emulated with worker_threads
 * (a shim gives the script `postMessage` and `addEventListener('message')`, as a Web Worker's global scope does).
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import { repoRoot, tempDir } from '../helpers';
import { WebEngine } from '../../../src/host/web/engine';
import type { RunTaskArgs, RunTaskResult } from '../../../src/host/worker/engineTasks';
import { nodeStudyIO } from '../../../src/cli/nodeIO';
import { cancellable, failure } from './engineTasks.kit';
import { sharedRun } from '../studyRuns';

const SHIM = `const { parentPort } = require('node:worker_threads');
const listeners = [];
parentPort.on('message', (data) => { for (const l of listeners) l({ data }); });
globalThis.postMessage = (m) => parentPort.postMessage(m);
globalThis.addEventListener = (type, l) => { if (type === 'message') listeners.push(l); };
`;

/** Scripts by URL, and the workers started (a Web Worker as the browser gives it, run by worker_threads). */
const scripts = new Map<string, string>();
let started = 0;
let terminated = 0;

type Listener = (e: never) => void;
class EmulatedWebWorker {
  private readonly _w: Worker;
  private readonly _wrapped = new Map<Listener, (x: unknown) => void>();
  constructor(url: string) {
    const body = scripts.get(url);
    if (body === undefined) throw new Error(`refused to start a worker on ${url}`);
    this._w = new Worker(SHIM + body, { eval: true });
    started++;
  }
  postMessage(m: unknown): void { this._w.postMessage(m); }
  addEventListener(type: 'message' | 'error' | 'messageerror', l: Listener): void {
    const wrap = type === 'message' ? (data: unknown) => (l as (e: unknown) => void)({ data }) : (e: unknown) => (l as (e: unknown) => void)({ message: (e as Error).message });
    this._wrapped.set(l, wrap);
    this._w.on(type === 'message' ? 'message' : type, wrap);
  }
  removeEventListener(type: 'message' | 'error' | 'messageerror', l: Listener): void {
    const wrap = this._wrapped.get(l);
    if (wrap) this._w.off(type, wrap);
  }
  terminate(): void { terminated++; void this._w.terminate(); }
}

const taskServer = JSON.stringify(path.join(repoRoot, 'out', 'src', 'host', 'worker', 'taskServer.js'));
scripts.set('test:busy', `const { serveTasksOn } = require(${taskServer});
serveTasksOn({ postMessage: (m) => postMessage(m), onMessage: (l) => addEventListener('message', (e) => l(e.data)) }, {
  echo: (a) => a.value,
  spin: () => { for (;;) { /* busy */ } },
  die: () => { setTimeout(() => { throw new Error('boom'); }, 0); return new Promise(() => undefined); },
});`);
scripts.set('test:broken', 'throw new Error("Failed to load the worker script");');

const tiny = { echo: (a: { value: unknown }) => a.value };

test('the engine worker bundle builds from src/web/engineWorker.ts with the web adapters, needing neither Node nor vscode', () => {
  const url = new URL(`file://${path.join(repoRoot, 'scripts', 'bundles.mjs').replace(/\\/g, '/')}`).href;
  const out = tempDir('qpcr-webworker-');
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', `import * as b from ${JSON.stringify(url)};
    import * as esbuild from 'esbuild';
    const r = await esbuild.build({ ...b.webEngineWorkerOptions(process.cwd()), outdir: ${JSON.stringify(out)}, metafile: true, logLevel: 'silent' });
    const fs = await import('node:fs');
    const code = fs.readFileSync(${JSON.stringify(path.join(out, 'engineWorker.js'))}, 'utf8');
    console.log(JSON.stringify({ bad: b.nodeOnlyUses(code), vscode: code.includes('require("vscode")'), inputs: Object.keys(r.metafile.inputs), bundles: b.WEB_BUNDLES }));`], { cwd: repoRoot, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  const { bad, vscode, inputs, bundles } = JSON.parse(r.stdout) as { bad: string[]; vscode: boolean; inputs: string[]; bundles: string[] };
  assert.deepEqual(bad, []);
  assert.equal(vscode, false);
  for (const m of ['src/web/engineWorker.ts', 'src/host/worker/engineTasks.ts', 'src/host/worker/taskServer.ts', 'src/host/web/localFiles.ts']) assert.ok(inputs.includes(m), `${m} is not in the worker bundle`);
  for (const m of ['src/host/worker/localFiles.ts', 'src/host/worker/workerRuntime.ts', 'src/cli/nodeIO.ts']) assert.ok(!inputs.includes(m), `${m} (Node only) is in the worker bundle`);
  assert.deepEqual(bundles, ['dist/web/extension.js', 'dist/web/engineWorker.js']);
  scripts.set('test:engine', fs.readFileSync(path.join(out, 'engineWorker.js'), 'utf8'));
  fs.rmSync(out, { recursive: true, force: true });
});

test('web engine: a study runs in the worker bundle, every file read through host calls, with the CLI report', async (t) => {
  if (!scripts.has('test:engine')) { t.skip('the worker bundle did not build'); return; }
  const logs: string[] = [];
  const e = new WebEngine(EmulatedWebWorker, 'test:engine', () => 1024, {}, (m) => logs.push(m));
  const file = path.join(repoRoot, 'examples', 'tace-exosomal-mirna', 'study.qstudy');
  const text = fs.readFileSync(file, 'utf8');
  const reads: string[] = [];
  const io = nodeStudyIO();
  const onCall = async (method: string, args: unknown): Promise<unknown> => {
    if (method === 'readFile') { const p = (args as { path: string }).path; reads.push(p); return { bytes: await io.readFile(p) }; }
    const { pattern, baseDir } = args as { pattern: string; baseDir: string };
    return io.glob(pattern, baseDir);
  };
  const args: RunTaskArgs = { local: false, scheme: 'vscode-remote', authority: 'localhost', text, studyPath: file };
  try {
    // No in-process tasks are given ({}): the result can only come from the worker.
    const r = await e.run<RunTaskResult>('run', args, { timeoutMs: 300_000, onCall });
    const direct = await sharedRun(text, file);
    assert.ok(r.report && direct.report);
    assert.equal(JSON.stringify({ ...r.report, generated: 0 }), JSON.stringify({ ...direct.report, generated: 0 }));
    for (const m of r.matched) assert.ok(reads.includes(m), `${m} was not read through a host call`);
    assert.ok(e.usesWorkers);
    assert.deepEqual(logs, ['qPCR Studio: engine tasks run in a Web Worker (dist/web/engineWorker.js)']);
  } finally {
    e.dispose();
  }
});

test('web engine: a busy task is stopped by terminating its worker (timeout, cancel) while the host keeps running', async () => {
  const e = new WebEngine(EmulatedWebWorker, 'test:busy', () => 512, tiny, () => undefined);
  try {
    assert.equal(await e.run('echo', { value: 7 }, { timeoutMs: 5_000 }), 7);
    let ticks = 0;
    const tick = setInterval(() => ticks++, 10);
    const before = terminated;
    const t = await failure(e.run('spin', {}, { timeoutMs: 400 }));
    clearInterval(tick);
    assert.equal(t.kind, 'timeout');
    assert.equal(t.message, 'did not finish within 0.4 s');
    assert.deepEqual(t.limits, { memoryMb: 512, timeoutMs: 400 });
    assert.ok(ticks >= 10, `the host's event loop ran only ${ticks} times during the busy task`);
    assert.equal(terminated, before + 1, 'the busy worker was terminated');
    const c = cancellable();
    const running = e.run('spin', {}, { timeoutMs: 60_000, token: c.token });
    setTimeout(c.cancel, 100);
    const x = await failure(running);
    assert.equal(x.kind, 'cancelled');
    assert.equal(x.message, 'cancelled');
    assert.equal(terminated, before + 2);
    // The next task gets a fresh worker.
    assert.equal(await e.run('echo', { value: 'again' }, { timeoutMs: 5_000 }), 'again');
    // Once a worker has answered, a worker that dies is the task's failure (no silent rerun in-process).
    const d = await failure(e.run('die', {}, { timeoutMs: 5_000 }));
    assert.equal(d.kind, 'crashed');
    assert.equal(d.message, 'the worker crashed: boom');
    assert.ok(e.usesWorkers);
  } finally {
    e.dispose();
  }
});

test('web engine: where no worker can be started, tasks run in-process and the reason is logged', async () => {
  const noWorker: string[] = [];
  const a = new WebEngine(undefined, 'test:busy', () => 256, tiny, (m) => noWorker.push(m));
  assert.equal(a.usesWorkers, false);
  assert.equal(await a.run('echo', { value: 1 }, { timeoutMs: 1000 }), 1);
  assert.match(noWorker.join('\n'), /in the extension host \(no Web Worker in this host\)/);

  const refused: string[] = [];
  const b = new WebEngine(EmulatedWebWorker, 'test:unknown', () => 256, tiny, (m) => refused.push(m));
  assert.equal(await b.run('echo', { value: 2 }, { timeoutMs: 1000 }), 2);
  assert.equal(b.usesWorkers, false);
  assert.match(refused.join('\n'), /could not be started \(refused to start a worker on test:unknown\)/);

  const broken: string[] = [];
  const s0 = started;
  const c = new WebEngine(EmulatedWebWorker, 'test:broken', () => 256, tiny, (m) => broken.push(m));
  assert.equal(await c.run('echo', { value: 3 }, { timeoutMs: 5_000 }), 3, 'the task ran again in-process');
  assert.equal(c.usesWorkers, false);
  assert.equal(started, s0 + 1);
  assert.match(broken.join('\n'), /could not be started \(the worker crashed: Failed to load the worker script\)/);
  assert.equal(await c.run('echo', { value: 4 }, { timeoutMs: 5_000 }), 4);
  assert.equal(started, s0 + 1, 'no second attempt');
  // The URL can come later (read through workspace.fs into a Blob URL): a promise of it, or of its failure.
  const d = new WebEngine(EmulatedWebWorker, Promise.resolve('test:busy'), () => 256, {}, () => undefined);
  assert.equal(await d.run('echo', { value: 5 }, { timeoutMs: 5_000 }), 5);
  assert.equal(d.usesWorkers, true);
  const unread: string[] = [];
  const f = new WebEngine(EmulatedWebWorker, Promise.reject(new Error('cannot read dist/web/engineWorker.js')), () => 256, tiny, (m) => unread.push(m));
  assert.equal(await f.run('echo', { value: 6 }, { timeoutMs: 5_000 }), 6);
  assert.equal(f.usesWorkers, false);
  assert.match(unread.join('\n'), /could not be started \(cannot read dist\/web\/engineWorker.js\)/);
  for (const x of [a, b, c, d, f]) x.dispose();
});
