/**
 * The CLI process (bin.ts, as dist/cli.js) runs its command on a worker thread with a heap limit: an input too large
 * for it ends with one line and exit code 71 (never V8's fatal abort); exit codes and output are relayed;
 * QPCR_MEMORY_MB is checked.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { repoRoot, tempDir } from '../helpers';
import { EXIT_OUT_OF_MEMORY, heapLimitMb } from '../../../src/cli/thread';
import { USAGE } from '../../../src/cli/usage';

const CLI = path.join(repoRoot, 'out', 'src', 'cli', 'bin.js'); // the launcher, as dist/cli.js
const cli = (args: string[], env: Record<string, string> = {}) =>
  spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', env: { ...process.env, ...env }, timeout: 120_000 });

test('a run larger than the heap limit ends with exit 71 and one clear line, not a V8 abort', () => {
  const dir = tempDir('qpcr-cli-oom-');
  const rows = ['sample,target,well,cq'];
  for (let i = 0; i < 60_000; i++) rows.push(`S${Math.floor(i / 6)},${i % 2 ? 'miR-21' : 'RNU6B'},P${Math.floor(i / 384)}-${i % 384},${(20 + (i % 97) / 10).toFixed(2)}`);
  fs.writeFileSync(path.join(dir, 'wells.csv'), rows.join('\n') + '\n');
  fs.writeFileSync(path.join(dir, 's.qstudy'), 'study "big"\nplates "wells.csv" format tidy\nsamples "{sample}"\nreference RNU6B\n');
  const r = cli(['run', path.join(dir, 's.qstudy'), '--out', path.join(dir, 'out')], { QPCR_MEMORY_MB: '16' });
  assert.equal(r.status, EXIT_OUT_OF_MEMORY, r.stderr.slice(-2000));
  assert.match(r.stderr, /out of memory: the run needed more than its heap limit of 16 MB \(QPCR_MEMORY_MB\)/);
  assert.doesNotMatch(r.stderr, /FATAL ERROR|JavaScript heap|at /);
  const ok = cli(['check', path.join(dir, 's.qstudy')], { QPCR_MEMORY_MB: '256' });
  assert.equal(ok.status, 0, ok.stderr.slice(-2000));
  fs.rmSync(dir, { recursive: true, force: true });
});

test('exit codes and output come through the worker: usage 2, study errors 1; the launcher answers --version and --help', () => {
  const usage = cli(['frobnicate']);
  assert.equal(usage.status, 2);
  assert.match(usage.stderr, /unknown command "frobnicate"/);
  // Answered without the worker: a heap limit the worker could not be started with does not matter to them.
  const version = cli(['--version'], { QPCR_MEMORY_MB: 'lots' });
  assert.equal(version.status, 0, version.stderr);
  assert.match(version.stdout, /^qpcr-studio \S+\n$/);
  const help = cli(['check', '--help'], { QPCR_MEMORY_MB: 'lots' });
  assert.equal(help.status, 0, help.stderr);
  assert.equal(help.stdout, `${USAGE}\n`);
  const dir = tempDir('qpcr-cli-exit-');
  fs.writeFileSync(path.join(dir, 'bad.qstudy'), 'study "bad"\nplates "none/*.csv"\nfrobnicate everything\n');
  const bad = cli(['check', path.join(dir, 'bad.qstudy')]);
  assert.equal(bad.status, 1, bad.stderr + bad.stdout);
  fs.rmSync(dir, { recursive: true, force: true });
});

test('heapLimitMb: QPCR_MEMORY_MB when a whole number ≥ 16, else a message; by default at least V8\'s own limit', () => {
  assert.equal(heapLimitMb({ QPCR_MEMORY_MB: '2048' }), 2048);
  for (const bad of ['abc', '8', '1.5', '-4']) assert.match(String(heapLimitMb({ QPCR_MEMORY_MB: bad })), /QPCR_MEMORY_MB must be a whole number/);
  const dflt = heapLimitMb({});
  assert.ok(typeof dflt === 'number' && dflt >= Math.floor(os.totalmem() / 2 / 1048576) && dflt >= 512, String(dflt));
  const r = cli(['check', 'study.qstudy'], { QPCR_MEMORY_MB: 'lots' });
  assert.equal(r.status, 2);
  assert.match(r.stderr, /QPCR_MEMORY_MB must be a whole number of megabytes/);
});
