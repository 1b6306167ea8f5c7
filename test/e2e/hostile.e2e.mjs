#!/usr/bin/env node
/**
 * Hostile studies in a real VS Code (code-server) with the packaged extension: the extension host stays alive and
 * idle, and the problem shows in the Problems panel. The inputs are made at test time (nothing large is committed):
 *
 *   bomb     a 3-line study naming an RDML zip of ~0.4 MB whose XML member inflates to 400 MB of NULs;
 *   let      a `let` of 10,000 terms (`1 + 1 + …`), followed by a line that is not a statement;
 *   pattern  a sample pattern with nested quantifiers, `{patient:(a+)+}-{timepoint}`, against plates whose sample
 *            names are 40 a's and a letter that does not match (exponential for a backtracking matcher).
 *
 * For each case: open the study (and, for the bomb, the .rdml in its viewer), wait for the diagnostic, then sample
 * the extension-host process (found among code-server's children via /proc): the same pid as before (no crash and
 * restart) and, within 30 s, a 3-second window under 25 % of a core with under 1.5 GB resident.
 * QPCR_E2E_HOSTILE=bomb,pattern runs a subset.
 *
 *   npm run package && QPCR_E2E_VSIX=qpcr-studio.vsix node test/e2e/hostile.e2e.mjs
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Zip, ZipDeflate } from 'fflate';
import { explorerRow, findInFrames, logger, runCommand, e2eSession } from './lib/vscodeWeb.mjs';

const log = logger('hostile');
const MB = 1024 * 1024;
const MAX_CPU = 0.25;
const MAX_RSS_MB = 1536;

function assert(cond, message) {
  if (!cond) throw new Error(message);
}

/** An RDML zip whose one member, rdml_data.xml, inflates to `mb` MB of NULs (streamed: never held whole here). */
function rdmlBomb(mb) {
  const parts = [];
  const zip = new Zip((err, chunk) => { if (err) throw err; parts.push(chunk); });
  const member = new ZipDeflate('rdml_data.xml', { level: 1 });
  zip.add(member);
  const zeros = new Uint8Array(MB);
  for (let i = 0; i < mb; i++) member.push(zeros, i === mb - 1);
  zip.end();
  return Buffer.concat(parts);
}

/** A tidy plate whose sample names defeat a backtracking `(a+)+`: 40 a's, then a letter the pattern does not allow. */
function longSamplePlate() {
  const rows = ['sample,target,cq'];
  for (let i = 0; i < 24; i++) rows.push(`${'a'.repeat(40)}${String.fromCharCode(98 + (i % 20))}-pre,miR-${i % 3},${(22 + i / 10).toFixed(2)}`);
  return rows.join('\n') + '\n';
}

const CASES = {
  bomb: {
    files: () => ({ 'bomb.rdml': rdmlBomb(400), 'bomb.qstudy': 'study "zip bomb"\nplates "bomb.rdml"\nreference x\n' }),
    study: 'bomb.qstudy',
    // The RDML viewer (the default editor of .rdml) shows why there is no plate.
    viewer: { file: 'bomb.rdml', expect: /could not be read within|not recognised|too large|exceeds/i },
    // Uncapped inflate: the worker hits its memory limit. Capped: the import fails, "bomb.rdml gave no plate: …".
    expect: /bomb\.rdml.*could not be read within|bomb\.rdml|rdml_data\.xml/i,
  },
  let: {
    files: () => ({ 'long.qstudy': `study "long"\nlet big = ${Array(10000).fill('1').join(' + ')}\nfrobnicate 1\n` }),
    study: 'long.qstudy',
    // The check finished: the parser reports the statement after the long `let` (or the `let` itself, over a limit).
    expect: /frobnicate|too long|too deep|too many|limit/i,
  },
  pattern: {
    files: () => ({
      'names.csv': longSamplePlate(),
      'pattern.qstudy': 'study "pattern"\nplates "names.csv"\nsamples "{patient:(a+)+}-{timepoint}"\nreference miR-0\nfrobnicate 1\n',
    }),
    study: 'pattern.qstudy',
    // The live check publishes its diagnostics only after the study's data (the sample names matched against the
    // pattern) are loaded: the parse error on `frobnicate` shows the check finished (the matcher is linear), a refusal
    // of the pattern would show instead.
    expect: /frobnicate|quantifier|regular expression|backtrack/i,
  },
};

/** Every process's parent, from /proc. */
function parents() {
  const out = new Map();
  for (const d of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${d}/stat`, 'utf8');
      out.set(Number(d), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    } catch { /* gone */ }
  }
  return out;
}

function cmdline(pid) {
  try { return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' '); } catch { return ''; }
}

/** The extension host: a descendant of the code-server started with our user-data dir, `--type=extensionHost`. */
function extensionHostPid(userDir) {
  const ppid = parents();
  const server = [...ppid.keys()].find((p) => cmdline(p).includes(`--user-data-dir ${userDir}`));
  assert(server, 'code-server process not found in /proc');
  const isBelow = (p) => { for (let q = ppid.get(p); q; q = ppid.get(q)) if (q === server) return true; return false; };
  const hosts = [...ppid.keys()].filter((p) => isBelow(p) && /extensionHost/.test(cmdline(p)));
  assert(hosts.length === 1, `expected one extension host below code-server ${server}, found ${hosts.length}`);
  return hosts[0];
}

async function waitForExtensionHost(page, userDir) {
  const end = Date.now() + 60000;
  for (;;) {
    try {
      return extensionHostPid(userDir);
    } catch (e) {
      if (Date.now() > end) throw e;
      await page.waitForTimeout(500);
    }
  }
}

/** CPU time (seconds) and resident memory (MB) of a process. */
function usage(pid) {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(f[11]) + Number(f[12]); // utime, stime (fields 14 and 15)
  const rss = Number(/VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))[1]) / 1024;
  return { cpu: ticks / 100, rssMb: rss };
}

/**
 * Alive and idle: within 30 s (a stopped worker's memory takes a moment to be returned), some 3-second window in
 * which the extension host uses under MAX_CPU of a core and holds under MAX_RSS_MB.
 */
async function idleCheck(page, pid, name) {
  let last = '';
  for (let i = 0; i < 10; i++) {
    assert(fs.existsSync(`/proc/${pid}`), `${name}: the extension host (pid ${pid}) is gone`);
    const a = usage(pid);
    await page.waitForTimeout(3000);
    const b = usage(pid);
    const cpu = (b.cpu - a.cpu) / 3;
    last = `${(cpu * 100).toFixed(0)} % CPU over 3 s, ${b.rssMb.toFixed(0)} MB resident`;
    if (cpu < MAX_CPU && b.rssMb < MAX_RSS_MB) {
      log(`${name}: extension host pid ${pid} idle after ${3 * (i + 1)} s: ${last}`);
      return;
    }
    log(`${name}: extension host pid ${pid} not idle yet: ${last}`);
  }
  throw new Error(`${name}: the extension host did not become idle within 30 s (${last})`);
}

/** The first problem (a row with a `[Ln …, Col …]` location, not a file row) whose text matches `expect`. */
async function waitForProblem(page, file, expect, ms) {
  await runCommand(page, 'View: Focus Problems');
  await page.locator('.markers-panel').first().waitFor({ timeout: 15000 });
  const end = Date.now() + ms;
  while (Date.now() < end) {
    const texts = await page.locator('.markers-panel .monaco-list-row').allInnerTexts();
    const hit = texts.map((t) => t.replace(/\s+/g, ' ')).find((t) => /\[Ln \d+, Col \d+\]/.test(t) && expect.test(t));
    if (hit) return hit;
    await page.waitForTimeout(1000);
  }
  const seen = (await page.locator('.markers-panel .monaco-list-row').allInnerTexts()).join(' | ');
  throw new Error(`${file}: no problem matching ${expect} within ${ms / 1000} s; the panel shows: ${seen.slice(0, 600)}`);
}

/** One hostile case: its study's problem appears, the extension host stays the same process and goes idle. */
async function hostileCase(page, tmp, pid, n) {
  const c = CASES[n];
  const t = Date.now();
  await explorerRow(page, c.study).click();
  await page.locator(`[data-uri$="/${c.study}"]`).first().waitFor({ timeout: 60000 });
  const problem = await waitForProblem(page, c.study, c.expect, 90000);
  log(`${n}: problem after ${((Date.now() - t) / 1000).toFixed(1)} s: ${problem.slice(0, 200)}`);
  await idleCheck(page, pid, n);
  assert(extensionHostPid(path.join(tmp, 'user')) === pid, `${n}: the extension host was restarted`);
  await runCommand(page, 'View: Close All Editors');
  if (c.viewer) {
    await explorerRow(page, c.viewer.file).click();
    const shown = await findInFrames(page, 'body', 90000, async (f) => c.viewer.expect.test(await f.$eval('body', (b) => b.innerText).catch(() => '')));
    assert(shown, `${n}: the viewer of ${c.viewer.file} did not say why there is no plate`);
    log(`${n}: the viewer of ${c.viewer.file} says: ${(await shown.frame.$eval('body', (b) => b.innerText)).replace(/\s+/g, ' ').slice(0, 200)}`);
    await idleCheck(page, pid, `${n} (viewer)`);
    await runCommand(page, 'View: Close All Editors');
  }
  log(`case ${n} passed in ${((Date.now() - t) / 1000).toFixed(1)} s`);
}

const t0 = Date.now();
const only = (process.env.QPCR_E2E_HOSTILE ?? '').split(',').filter(Boolean);
const names = Object.keys(CASES).filter((n) => !only.length || only.includes(n));
await e2eSession('hostile', log, {
  prepare(workspace) {
    for (const n of names) {
      for (const [f, data] of Object.entries(CASES[n].files())) fs.writeFileSync(path.join(workspace, f), data);
    }
    log('workspace:', fs.readdirSync(workspace).map((f) => `${f} (${(fs.statSync(path.join(workspace, f)).size / 1024).toFixed(0)} KB)`).join(', '));
  },
  start: { waitForExplorerRow: CASES[names[0]].study, required: ['dist/extension.js', 'dist/engineWorker.js'] },
  async body({ page }, { tmp }) {
    const pid = await waitForExtensionHost(page, path.join(tmp, 'user'));
    log('extension host pid', pid);
    for (const n of names) await hostileCase(page, tmp, pid, n);
    log(`PASS in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  },
});
