/**
 * The end-to-end suite as node:test tests (so CI counts them with the unit tests), part of `npm test`:
 *
 *   1. installs real VS Code for the web (code-server from the npm registry) and Debian's Chromium with
 *      scripts/e2e-setup.mjs when they are missing (idempotent; root and apt, about 3 minutes the first time). Where
 *      they are missing and cannot be installed (not root, no apt-get), every e2e test is reported skipped with the
 *      reason, and the rest of `npm test` (lint, unit suite) still counts;
 *   2. packages the extension as `npm run package` does (→ qpcr-studio.vsix), without its type-check: the production
 *      bundles (esbuild from the sources) and `npm run vsix`. Type-checking is `npm run build`'s work, which `npm test`
 *      has just done (the type-check again took about 20 s of the first `npm test`);
 *   3. runs each e2e script with QPCR_E2E_VSIX set, so code-server installs the .vsix a user would install, not this
 *      folder.
 *
 * The scripts run two at a time (QPCR_E2E_JOBS=N to change it; 1 runs them one after another), longest first: each
 * has its own code-server, port, profile and workspace, and spends most of its time waiting on the UI (journeys: 32 s
 * of CPU in 66 s), so two share the 2-core machine well.
 *
 * Each script's output is kept in test/e2e/screenshots-tmp/<name>.log and its tail is shown when it fails.
 * QPCR_E2E_RUNS=N repeats the sequence (the reliability check: N passes in a row); QPCR_E2E_SCREENSHOTS=1 refreshes
 * the README's pictures in media/screenshots.
 */
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { unzipSync } from 'fflate';
import { e2eStatus, setupE2e } from '../../scripts/e2e-setup.mjs';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const runs = Math.max(1, Number(process.env.QPCR_E2E_RUNS ?? 1) || 1);
const jobs = Math.max(1, Number(process.env.QPCR_E2E_JOBS ?? 2) || 1);
// Longest first (their times in a run one at a time: 66, 45, 42, 37, 37, 30, 26, 22 s), so the two lanes end together.
// reportHtml: report.html in headless Chromium (every section drawn, CSP, the XSS fixture stays text).
const scripts = ['journeys.e2e.mjs', 'examples.e2e.mjs', 'plateEditor.e2e.mjs', 'web.e2e.mjs', 'hostile.e2e.mjs', 'hostFeatures.e2e.mjs', 'reportHtml.e2e.mjs', 'newStudy.e2e.mjs'];
const logDir = path.join(repo, 'test', 'e2e', 'screenshots-tmp');

/** Runs a command with its output on stderr (stdout carries the test runner's report); throws on failure. */
function sh(cmd, args, what) {
  const r = spawnSync(cmd, args, { cwd: repo, stdio: ['ignore', process.stderr, process.stderr] });
  if (r.status !== 0) throw new Error(`${what} failed (exit ${r.status ?? r.signal})`);
}

const status = e2eStatus();
const skip = status.cannot ? `${status.missing.join(' and ')} missing, cannot install here: ${status.cannot}` : false;
if (skip) console.error(`[e2e] skipped: ${skip}`);

before(async () => {
  if (skip) return;
  await setupE2e();
  sh(process.execPath, ['esbuild.mjs', '--production'], 'the production bundles (node esbuild.mjs --production)');
  sh('npm', ['run', 'vsix'], 'npm run vsix');
  fs.mkdirSync(logDir, { recursive: true });
});

test('the packaged .vsix carries every image README.md shows, and no sources, tests, benchmarks or fixtures', { skip }, () => {
  const entries = [];
  unzipSync(fs.readFileSync(path.join(repo, 'qpcr-studio.vsix')), { filter: (f) => { entries.push(f.name); return false; } });
  const names = entries.filter((n) => n.startsWith('extension/')).map((n) => n.slice('extension/'.length));
  const readme = fs.readFileSync(path.join(repo, 'README.md'), 'utf8');
  const images = [...readme.matchAll(/\]\((media\/[^)\s]+)\)|src="(media\/[^"]+)"/g)].map((m) => m[1] ?? m[2]);
  assert.ok(images.length > 0, 'README.md shows images');
  for (const img of images) assert.ok(names.includes(img), `${img} (shown by README.md) is not in the .vsix`);
  const unwanted = names.filter((n) => /^(src|test|bench|examples|out|scripts|webview|node_modules)\/|\.map$|\.ts$/.test(n));
  assert.deepEqual(unwanted, []);
  assert.ok(names.includes('dist/extension.js') && names.includes('dist/features.js'), 'both node bundles are packaged');
  assert.ok(names.includes('dist/web/extension.js'), 'the web bundle (package.json browser) is packaged');
  assert.ok(names.includes('dist/web/engineWorker.js'), 'the web engine worker (started by dist/web/extension.js) is packaged');
});

/** Runs one e2e script to its end: its exit status and everything it printed. */
function runScript(script) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join('test', 'e2e', script)], {
      cwd: repo, env: { ...process.env, QPCR_E2E_VSIX: 'qpcr-studio.vsix' }, stdio: ['ignore', 'pipe', 'pipe'],
    });
    const parts = [];
    child.stdout.on('data', (b) => parts.push(b));
    child.stderr.on('data', (b) => parts.push(b));
    const timer = setTimeout(() => child.kill('SIGKILL'), 10 * 60 * 1000);
    child.on('error', (e) => { clearTimeout(timer); reject(e); });
    child.on('close', (code, signal) => { clearTimeout(timer); resolve({ status: code, signal, out: Buffer.concat(parts).toString('utf8') }); });
  });
}

for (let run = 1; run <= runs; run++) {
  describe(`e2e${runs > 1 ? ` run ${run}/${runs}` : ''}, ${jobs} at a time`, { concurrency: jobs }, () => {
    for (const script of scripts) {
      const where = script === 'reportHtml.e2e.mjs' ? 'report.html in Chromium' : 'in code-server with the packaged .vsix';
      test(`e2e: ${script} ${where}`, { skip }, async (t) => {
        const r = await runScript(script);
        fs.writeFileSync(path.join(logDir, `${script}.log`), r.out);
        const lines = r.out.trim().split('\n');
        if (r.status !== 0) {
          throw new Error(`${script} failed (exit ${r.status ?? r.signal}); last lines of test/e2e/screenshots-tmp/${script}.log:\n${lines.slice(-40).join('\n')}`);
        }
        for (const l of lines.filter((x) => /passed in|PASS|sections/.test(x))) t.diagnostic(l);
      });
    }
  });
}
