/**
 * VS Code for the web (package.json `browser` → dist/web/extension.js): the bundle builds from the same host code
 * with the web adapters of scripts/bundles.mjs and needs no Node; the in-process engine (src/host/web/engine.ts)
 * keeps the worker pool's contract (results, host calls, events, timeouts, cancellation, failures) and runs a study
 * whose files are read only through host calls, as workspace.fs reads them on the web; the path shim agrees with
 * node's path.posix.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { repoRoot } from '../helpers';
import { InProcessEngine } from '../../../src/host/web/engine';
import * as webPath from '../../../src/host/web/path';
import { ENGINE_TASKS, type RunTaskArgs, type RunTaskResult, type PlateTaskArgs, type PlateTaskResult } from '../../../src/host/worker/engineTasks';
import type { TaskContext } from '../../../src/host/worker/workerRuntime';
import { nodeStudyIO } from '../../../src/cli/nodeIO';
import { DEFAULT_QC } from '../../../src/engine/plate/model';
import { cancellable, failure } from './engineTasks.kit';
import { sharedRun } from '../studyRuns';

const pkg = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8'));

/** Runs `code` (an ES module body with scripts/bundles.mjs imported as `b`) in a fresh node, returns its stdout. */
function withBundles(code: string): string {
  const url = new URL(`file://${path.join(repoRoot, 'scripts', 'bundles.mjs').replace(/\\/g, '/')}`).href;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', `import * as b from ${JSON.stringify(url)};\n${code}`], { cwd: repoRoot, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout;
}

test('package.json: the browser entry is the web bundle, beside the Node entry', () => {
  assert.equal(pkg.browser, './dist/web/extension.js');
  assert.equal(pkg.main, './dist/extension.js');
});

test('the web bundle builds from src/web/extension.ts with the web adapters and needs nothing of Node', () => {
  const out = withBundles(`
    import * as esbuild from 'esbuild';
    const r = await esbuild.build({ ...b.webExtensionOptions(process.cwd()), write: false, metafile: true, logLevel: 'silent' });
    const code = r.outputFiles.find((f) => f.path.endsWith('extension.js')).text;
    console.log(JSON.stringify({ bad: b.nodeOnlyUses(code), inputs: Object.keys(r.metafile.inputs), size: code.length }));`);
  const { bad, inputs } = JSON.parse(out) as { bad: string[]; inputs: string[] };
  assert.deepEqual(bad, []);
  // Each Node adapter is replaced by its twin; the shared host code (features, study language, plate editor) is in.
  for (const m of ['src/host/web/engine.ts', 'src/host/web/localFiles.ts', 'src/host/web/path.ts', 'src/features.ts', 'src/host/study/studyLanguage.ts', 'src/host/plateEditor/plateSession.ts']) {
    assert.ok(inputs.includes(m), `${m} is not in the web bundle`);
  }
  for (const m of ['src/host/worker/nodeEngine.ts', 'src/host/worker/localFiles.ts', 'src/host/worker/workerPool.ts', 'src/cli/nodeIO.ts']) {
    assert.ok(!inputs.includes(m), `${m} (Node only) is in the web bundle`);
  }
});

test('nodeOnlyUses names what would need Node in a bundle (and passes vscode)', () => {
  const code = 'var v=require("vscode");var f=require("fs");var w=require(\'node:worker_threads\');var d=__dirname;require("./features.js");';
  const out = withBundles(`console.log(JSON.stringify(b.nodeOnlyUses(${JSON.stringify(code)})));`);
  assert.deepEqual(JSON.parse(out), ['require("fs")', 'require("node:worker_threads")', 'require("./features.js")', '__dirname']);
  // Buffer.from: a use guarded by `typeof Buffer` just before it (a library's optional Node output) passes; others not.
  const guarded = 'nodebuffer: (d) => { if (typeof Buffer === "undefined") throw e; return Buffer.from(d.buffer); }';
  const bare = `${guarded};${' '.repeat(300)}var b = Buffer.from(x);`;
  assert.deepEqual(JSON.parse(withBundles(`console.log(JSON.stringify([b.nodeOnlyUses(${JSON.stringify(guarded)}), b.nodeOnlyUses(${JSON.stringify(bare)})]));`)), [[], ['Buffer.from']]);
});

test('each web twin exports what its Node module exports (the path shim: functions node:path has)', () => {
  const out = withBundles('console.log(JSON.stringify(b.WEB_ADAPTERS));');
  for (const [node, web] of Object.entries(JSON.parse(out) as Record<string, string>)) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- modules named by the build script's table
    const load = (p: string) => require(p.startsWith('node:') ? p : path.join(repoRoot, 'out', p.replace(/\.ts$/, '.js'))) as object;
    const names = (m: object) => Object.keys(m).filter((k) => k !== 'default' && !k.startsWith('_'));
    const webNames = names(load(web));
    assert.ok(webNames.length > 0, web);
    // The path shim has a subset of node:path (the functions the host uses); the other twins export at least what
    // their Node module exports (an import the twin lacks would be undefined in the web bundle).
    if (node.startsWith('node:')) for (const n of webNames) assert.ok(n in load(node), `${web}: node:path has no ${n}`);
    else for (const n of names(load(node))) assert.ok(webNames.includes(n), `${web} lacks ${n} (exported by ${node})`);
  }
});

test('the path shim agrees with path.posix', () => {
  const cases = ['/a/b/c.csv', '/a/./b/../c//d/', 'a/../../b', '/', '', '.', 'a/b/', '/..', 'x.qstudy', '//a//b', '../a/./b'];
  for (const p of cases) {
    assert.equal(webPath.normalize(p), path.posix.normalize(p), `normalize(${p})`);
    assert.equal(webPath.basename(p), path.posix.basename(p), `basename(${p})`);
    assert.equal(webPath.dirname(p), path.posix.dirname(p), `dirname(${p})`);
    assert.equal(webPath.basename(p, '.csv'), path.posix.basename(p, '.csv'), `basename(${p}, .csv)`);
  }
  assert.equal(webPath.join('/a', 'b', '../c', 'd.txt'), path.posix.join('/a', 'b', '../c', 'd.txt'));
  assert.equal(webPath.join('', ''), path.posix.join('', ''));
  assert.equal(webPath.posix.basename('/x/y.qstudy'), 'y.qstudy');
});

// ---------------------------------------------------------------------------------------------------------------
// The in-process engine

class Shape { constructor(readonly x: number) {} get twice(): number { return this.x * 2; } }
// Unref'd: the engine settles a slow task at its timeout, cancellation or dispose, but cannot stop it (it runs in
// this thread); its timer must not keep the test process alive 5 s after the last test.
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms).unref());

const tasks = {
  echo: (args: { value: unknown }) => args.value,
  mutate: (args: { list: number[] }) => { args.list.push(99); return args.list.length; },
  shape: () => ({ s: new Shape(3), map: new Map([['a', 1]]) }),
  ask: async (args: { q: string }, ctx: TaskContext) => { ctx.emit({ asking: args.q }); return `answer: ${await ctx.call<string>('lookup', args.q)}`; },
  slow: async () => { await sleep(5_000); return 'late'; },
  fail: () => { throw new Error('bad input at line 3'); },
};

test('in-process engine: results, host calls, events; arguments and results are structured clones', async () => {
  const e = new InProcessEngine(tasks, () => 512);
  const list = [1, 2];
  assert.equal(await e.run('mutate', { list }, { timeoutMs: 1000 }), 3);
  assert.deepEqual(list, [1, 2], 'the task got a copy of its arguments, as a worker does');
  const shaped = await e.run<{ s: Shape; map: Map<string, number> }>('shape', {}, { timeoutMs: 1000 });
  assert.ok(!(shaped.s instanceof Shape) && (shaped.s as { twice?: number }).twice === undefined && shaped.map.get('a') === 1, 'class instances lose their prototype');
  const events: unknown[] = [];
  const answer = await e.run('ask', { q: 'x' }, { timeoutMs: 1000, onEvent: (ev) => events.push(ev), onCall: (m, a) => `${m}(${String(a)})` });
  assert.equal(answer, 'answer: lookup(x)');
  assert.deepEqual(events, [{ asking: 'x' }]);
  const noHost = await failure(e.run('ask', { q: 'x' }, { timeoutMs: 1000 }));
  assert.equal(noHost.kind, 'failed');
  assert.match(noHost.message, /the host offers no "lookup"/);
});

test('in-process engine: a throw is `failed` with its message, an unknown task too; limits are reported', async () => {
  const e = new InProcessEngine(tasks, () => 256);
  const f = await failure(e.run('fail', {}, { timeoutMs: 1000 }));
  assert.equal(f.kind, 'failed');
  assert.equal(f.message, 'bad input at line 3');
  assert.deepEqual(f.limits, { memoryMb: 256, timeoutMs: 1000 });
  const u = await failure(e.run('toString', {}, { timeoutMs: 1000 }));
  assert.match(u.message, /unknown engine task "toString"/);
});

test('in-process engine: timeout, cancellation and dispose settle the task at once', async () => {
  const e = new InProcessEngine(tasks, () => 512);
  const t0 = Date.now();
  assert.equal((await failure(e.run('slow', {}, { timeoutMs: 50 }))).kind, 'timeout');
  assert.ok(Date.now() - t0 < 2_000);
  const c = cancellable();
  const running = e.run('slow', {}, { timeoutMs: 10_000, token: c.token });
  setTimeout(c.cancel, 20);
  assert.equal((await failure(running)).kind, 'cancelled');
  assert.equal((await failure(e.run('echo', { value: 1 }, { timeoutMs: 1000, token: c.token }))).kind, 'cancelled', 'an already cancelled token');
  const pending = e.run('slow', {}, { timeoutMs: 10_000 });
  e.dispose();
  assert.equal((await failure(pending)).kind, 'cancelled');
  assert.equal((await failure(e.run('echo', { value: 1 }, { timeoutMs: 1000 }))).kind, 'cancelled', 'refused after dispose');
});

/** Host calls as hostFileCalls answers them through workspace.fs (here: node's fs), counting the reads. */
function hostCalls(reads: string[]): (method: string, args: unknown) => Promise<unknown> {
  const io = nodeStudyIO();
  return async (method, args) => {
    if (method === 'readFile') { const { path: p } = args as { path: string }; reads.push(p); return { bytes: await io.readFile(p) }; }
    if (method === 'glob') { const { pattern, baseDir } = args as { pattern: string; baseDir: string }; return io.glob(pattern, baseDir); }
    throw new Error(`unknown host call "${method}"`);
  };
}

test('in-process engine, web file access: a study run reads every file through host calls and gives the CLI report', async () => {
  const e = new InProcessEngine(ENGINE_TASKS, () => 1024);
  const file = path.join(repoRoot, 'examples', 'tace-exosomal-mirna', 'study.qstudy');
  const text = fs.readFileSync(file, 'utf8');
  const reads: string[] = [];
  const args: RunTaskArgs = { local: false, scheme: 'vscode-remote', authority: 'localhost', text, studyPath: file };
  const r = await e.run<RunTaskResult>('run', args, { timeoutMs: 300_000, onCall: hostCalls(reads) });
  const direct = await sharedRun(text, file);
  assert.ok(r.report && direct.report);
  assert.equal(JSON.stringify({ ...r.report, generated: 0 }), JSON.stringify({ ...direct.report, generated: 0 }));
  assert.ok(r.matched.length >= 3);
  for (const m of r.matched) assert.ok(reads.includes(m), `${m} was not read through a host call`);
});

test('in-process engine: a plate from bytes the host read is imported with its findings', async () => {
  const e = new InProcessEngine(ENGINE_TASKS, () => 1024);
  const name = 'miR-21.txt';
  const bytes = new Uint8Array(fs.readFileSync(path.join(repoRoot, 'examples', 'tace-exosomal-mirna', 'plates', 'run1', name)));
  const args: PlateTaskArgs = { source: { bytes }, fileName: name, qc: DEFAULT_QC, options: {} };
  const r = await e.run<PlateTaskResult>('plate', args, { timeoutMs: 60_000 });
  assert.equal(r.recognised, true);
  assert.ok((r.summary?.wells ?? 0) > 0);
  assert.deepEqual(r, await ENGINE_TASKS.plate(args));
});
