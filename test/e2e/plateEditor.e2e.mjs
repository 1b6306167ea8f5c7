#!/usr/bin/env node
/**
 * End-to-end check of the plate editor in a real VS Code (code-server, the web build; our extension runs in
 * its remote, node extension host exactly as in desktop VS Code).
 *
 *   node esbuild.mjs && node test/e2e/plateEditor.e2e.mjs
 *
 * Needs `bash /work/shared/tools/vscode-web.sh install` (code-server + Chromium) done once. It copies the
 * extension (package.json, dist, syntaxes, media) into a fresh extensions folder (or $VSCODE_WEB_EXT), starts
 * code-server on a free port with a temp workspace holding a copy of test/e2e/fixtures/ExperimentWithNTC.txt,
 * opens the file, runs "qPCR: Open in Plate Editor" from the command palette, waits for the heat map inside
 * the webview, opens the Problems panel and expects a qPCR diagnostic. Screenshots go to media/screenshots/.
 * Exits non-zero on any failure; always stops the server and the browser.
 */
import { spawn, execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
/** The extension folder to install (package.json + dist + syntaxes + media); default: this repository. */
const extRoot = path.resolve(process.env.QPCR_E2E_EXTENSION_ROOT ?? repo);
const FIXTURE = 'appbio_quantstudio_example02.txt';
const RDML = 'matrix_gaps.rdml';
const STUDY = 'e2e.qstudy';
const BIG = 'big-export.csv';
const shots = path.join(repo, 'media', 'screenshots');
const pkg = JSON.parse(fs.readFileSync(path.join(extRoot, 'package.json'), 'utf8'));
const log = (...a) => console.log('[e2e]', ...a);

function webHome() {
  try {
    return execFileSync('bash', ['/work/shared/tools/vscode-web.sh', 'path'], { encoding: 'utf8' }).trim();
  } catch {
    return process.env.VSCODE_WEB_HOME ?? path.join(os.homedir(), '.cache', 'vscode-web');
  }
}

function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => resolve(port)); });
  });
}

function copyExtension(extDir) {
  for (const f of ['dist/extension.js', 'dist/webview/plate.js', 'dist/webview/plate.css']) {
    if (!fs.existsSync(path.join(extRoot, f))) throw new Error(`${path.join(extRoot, f)} is missing: run "node esbuild.mjs" first`);
  }
  const target = path.join(extDir, `${pkg.publisher}.${pkg.name}-${pkg.version}`);
  fs.rmSync(target, { recursive: true, force: true });
  fs.mkdirSync(target, { recursive: true });
  fs.copyFileSync(path.join(extRoot, 'package.json'), path.join(target, 'package.json'));
  for (const d of ['dist', 'syntaxes', 'media']) {
    if (fs.existsSync(path.join(extRoot, d))) fs.cpSync(path.join(extRoot, d), path.join(target, d), { recursive: true, filter: (src) => !src.includes(`${path.sep}screenshots`) });
  }
  return target;
}

async function waitHttp(url, ms) {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    try { if ((await fetch(url)).ok) return; } catch { /* not up yet */ }
    await new Promise((r) => setTimeout(r, 300));
  }
  throw new Error(`code-server did not answer ${url}`);
}

/** Polls every frame of the page for a selector (webviews are nested iframes). */
async function findInFrames(page, selector, ms, accept = async () => true) {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    for (const f of page.frames()) {
      try {
        const el = await f.$(selector);
        if (el && await accept(f)) return { frame: f, el };
      } catch { /* frame navigated away */ }
    }
    await page.waitForTimeout(300);
  }
  return null;
}

/** Runs a command from the palette; retries while the extension host is still starting (its commands not listed yet). */
async function runCommand(page, title, timeoutMs = 90000) {
  const end = Date.now() + timeoutMs;
  for (;;) {
    await page.keyboard.press('F1');
    const input = page.locator('.quick-input-widget input');
    await input.waitFor({ state: 'visible', timeout: 15000 });
    await input.fill(`>${title}`);
    const row = page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first();
    try {
      await row.waitFor({ timeout: 3000 });
      await page.keyboard.press('Enter');
      return;
    } catch (e) {
      await page.keyboard.press('Escape');
      if (Date.now() > end) throw new Error(`command "${title}" never appeared in the palette`);
      await page.waitForTimeout(1000);
    }
  }
}

async function main() {
  const home = webHome();
  const entry = path.join(home, 'node_modules', 'code-server', 'out', 'node', 'entry.js');
  if (!fs.existsSync(entry)) throw new Error(`code-server not installed in ${home}: run bash /work/shared/tools/vscode-web.sh install`);
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'qpcr-e2e-'));
  const extDir = process.env.VSCODE_WEB_EXT ?? path.join(tmp, 'extensions');
  const userDir = path.join(tmp, 'user');
  const workspace = path.join(tmp, 'workspace');
  fs.mkdirSync(path.join(userDir, 'User'), { recursive: true });
  fs.mkdirSync(workspace, { recursive: true });
  fs.writeFileSync(path.join(userDir, 'User', 'settings.json'), JSON.stringify({
    'security.workspace.trust.enabled': false, 'workbench.startupEditor': 'none', 'telemetry.telemetryLevel': 'off',
    'extensions.autoUpdate': false, 'update.mode': 'none', 'workbench.tips.enabled': false, 'chat.commandCenter.enabled': false,
    'workbench.colorTheme': 'Default Dark Modern',
  }));
  for (const f of [FIXTURE, RDML]) fs.copyFileSync(path.join(repo, 'test', 'e2e', 'fixtures', f), path.join(workspace, f));
  // A study over the fixture with a misspelt target: the study checks know the plate's targets (IPC, TGFb).
  // Over 50 MB: VS Code cannot sync it to extensions, so the command must refuse with a message.
  const fd = fs.openSync(path.join(workspace, BIG), 'w');
  const chunk = Buffer.from('Sample,Target,Cq\n' + 'S1,miR-21,25.00\n'.repeat(65536));
  for (let written = 0; written <= 51 * 1024 * 1024; written += chunk.length) fs.writeSync(fd, chunk);
  fs.closeSync(fd);
  fs.writeFileSync(path.join(workspace, STUDY), `study "e2e"\nplates "${FIXTURE}"\nreference IPC\ntargets TGFx\n`);
  log('extension ->', copyExtension(extDir));
  fs.mkdirSync(shots, { recursive: true });

  const port = await freePort();
  const server = spawn(process.execPath, [entry, '--auth', 'none', '--bind-addr', `127.0.0.1:${port}`, '--user-data-dir', userDir,
    '--extensions-dir', extDir, '--disable-telemetry', '--disable-update-check', '--disable-workspace-trust', workspace],
  { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let serverLog = '';
  server.stdout.on('data', (d) => { serverLog += d; });
  server.stderr.on('data', (d) => { serverLog += d; });
  let browser;
  let page;
  try {
    await waitHttp(`http://127.0.0.1:${port}/healthz`, 30000);
    log('code-server on port', port);
    // A fresh Chromium profile per run (playwright passes it as --user-data-dir).
    browser = await chromium.launchPersistentContext(path.join(tmp, 'chromium'), {
      executablePath: '/usr/bin/chromium',
      viewport: { width: 1400, height: 900 },
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
        '--disable-component-update', '--disable-sync'],
    });
    page = browser.pages()[0] ?? await browser.newPage();
    const consoleErrors = [];
    page.on('console', (m) => { if (m.type() === 'error') consoleErrors.push(m.text()); });
    await page.goto(`http://127.0.0.1:${port}/?folder=${encodeURIComponent(workspace)}`);
    await page.locator('.monaco-workbench').waitFor({ timeout: 60000 });
    await page.locator('.explorer-folders-view .monaco-list-row', { hasText: FIXTURE }).first().waitFor({ timeout: 60000 });
    log('workbench up');

    // Open the file as text (the plate editor is an "option" for .txt), then switch with our command.
    await page.locator('.explorer-folders-view .monaco-list-row', { hasText: FIXTURE }).first().click();
    await page.locator('.tabs-container .tab', { hasText: FIXTURE }).first().waitFor({ timeout: 30000 });
    await runCommand(page, 'qPCR: Open in Plate Editor');
    log('command run; waiting for the heat map');
    const found = await findInFrames(page, 'svg.plate g.well', 60000);
    if (!found) {
      const err = await findInFrames(page, '.error-box', 1000);
      if (err) throw new Error(`plate editor showed an error: ${await err.el.innerText()}`);
      throw new Error('no heat map in any webview frame');
    }
    const frame = found.frame;
    const wells = await frame.$$eval('svg.plate g.well', (els) => els.length);
    const conventions = await frame.$eval('.conventions', (e) => e.textContent);
    log(`heat map with ${wells} positions; conventions: ${conventions}`);
    if (wells < 96) throw new Error(`expected a 96-well heat map, got ${wells} positions`);
    // Hover a well for its tooltip, and select it so the details panel shows.
    const firstWell = frame.locator('svg.plate g.well:not(:has(.vacant))').first();
    await firstWell.click();
    await firstWell.hover();
    await page.waitForTimeout(500);
    const tooltipShown = await frame.$eval('.tooltip', (e) => !e.hidden && e.textContent.length > 0);
    if (!tooltipShown) throw new Error('hovering a well shows no tooltip');
    await page.screenshot({ path: path.join(shots, 'plate-editor.png') });
    log('screenshot plate-editor.png');

    // An edit from the webview is a normal, undoable text edit: omit the selected well, then undo.
    const crosses = () => frame.$$eval('svg.plate .cross', (els) => els.length);
    const before = await crosses();
    await frame.locator('.details vscode-button', { hasText: 'Omit well' }).click();
    await frame.waitForFunction((n) => document.querySelectorAll('svg.plate .cross').length > n, before, { timeout: 15000 });
    await page.locator('.tabs-container .tab.dirty', { hasText: FIXTURE }).first().waitFor({ timeout: 10000 });
    log('omit well: heat map shows the cross and the document is dirty');
    await page.mouse.move(700, 20);
    await page.screenshot({ path: path.join(shots, 'plate-editor-omitted.png') });
    await runCommand(page, 'Undo');
    await frame.waitForFunction((n) => document.querySelectorAll('svg.plate .cross').length === n, before, { timeout: 15000 });
    log('undo restored the well');
    await page.mouse.move(700, 20);

    // Problems panel: at least one diagnostic from us.
    await runCommand(page, 'View: Focus Problems');
    const marker = page.locator('.markers-panel .monaco-list-row', { hasText: 'qPCR' }).first();
    await marker.waitFor({ timeout: 30000 });
    const count = await page.locator('.markers-panel .monaco-list-row').count();
    log(`Problems panel shows ${count} rows with a qPCR diagnostic`);
    await page.screenshot({ path: path.join(shots, 'problems.png') });
    log('screenshot problems.png');
    // .rdml opens in the read-only RDML viewer by default (bytes through workspace.fs).
    await page.keyboard.press('Escape');
    await page.locator('.explorer-folders-view .monaco-list-row', { hasText: RDML }).first().click();
    const rdml = await findInFrames(page, 'svg.plate g.well', 30000, async (f) => (await f.$eval('h1', (e) => e.textContent).catch(() => '')) === RDML);
    if (!rdml) throw new Error('the RDML viewer showed no heat map');
    const mode = await rdml.frame.$eval('.conventions', (e) => e.textContent);
    if (!/read-only/.test(mode) || !/rdml/.test(mode)) throw new Error(`RDML viewer conventions: ${mode}`);
    const rdmlWells = await rdml.frame.$$eval('svg.plate g.well', (els) => els.length);
    log(`RDML viewer: ${rdmlWells} positions, ${mode}`);
    await page.mouse.move(700, 20);
    await page.screenshot({ path: path.join(shots, 'rdml-viewer.png') });

    // The study language: a diagnostic that needs the plate's targets, and the engine's quick fix for it.
    await page.locator('.explorer-folders-view .monaco-list-row', { hasText: STUDY }).first().click();
    const studyMarker = page.locator('.markers-panel .monaco-list-row', { hasText: 'study-unknown-target' }).first();
    await studyMarker.waitFor({ timeout: 30000 });
    log('study diagnostic:', (await studyMarker.innerText()).replace(/\s+/g, ' '));
    await page.mouse.move(700, 20);
    await page.screenshot({ path: path.join(shots, 'study-diagnostics.png') });
    await studyMarker.click();
    await page.waitForTimeout(500);
    await page.keyboard.press('Control+.');
    // Ctrl+. on a Problems row opens its quick fixes (a context menu; in an editor it is the action widget).
    const fixRow = page.locator('.context-view, .action-widget').getByText(/TGFb/).first();
    await fixRow.waitFor({ timeout: 15000 });
    await fixRow.hover();
    await page.keyboard.press('Enter');
    await studyMarker.waitFor({ state: 'detached', timeout: 15000 });
    log('quick fix applied; the study diagnostic is gone');

    // Explorer context menu on a file over 50 MB: a clear message instead of a broken editor.
    await page.locator('.explorer-folders-view .monaco-list-row', { hasText: BIG }).first().click({ button: 'right' });
    await page.locator('.context-view').getByText('Open in Plate Editor').first().waitFor({ timeout: 10000 });
    await page.locator('.context-view').getByText('Open in Plate Editor').first().hover();
    await page.keyboard.press('Enter');
    const toast = page.locator('.notifications-toasts', { hasText: 'over 50 MB' }).first();
    await toast.waitFor({ timeout: 15000 });
    log('large file:', (await toast.innerText()).replace(/\s+/g, ' ').slice(0, 160));
    await page.waitForTimeout(800); // let the toast finish fading in
    await page.screenshot({ path: path.join(shots, 'large-file.png') });

    const csp = consoleErrors.filter((e) => /Content Security Policy/i.test(e));
    if (csp.length) throw new Error(`CSP violations in the console:\n${csp.join('\n')}`);
    log('PASS');
  } catch (e) {
    // Keep a picture of what went wrong (git-ignored folder).
    if (page) {
      const dir = path.join(repo, 'test', 'e2e', 'screenshots-tmp');
      fs.mkdirSync(dir, { recursive: true });
      await page.screenshot({ path: path.join(dir, 'failure.png') }).catch(() => {});
      log('failure screenshot:', path.join(dir, 'failure.png'));
    }
    throw e;
  } finally {
    if (browser) await browser.close().catch(() => {});
    try { process.kill(-server.pid, 'SIGTERM'); } catch { /* already gone */ }
    if (process.exitCode) console.error(serverLog.split('\n').slice(-30).join('\n'));
    fs.rmSync(tmp, { recursive: true, force: true, maxRetries: 3 });
  }
}

main().catch((e) => {
  console.error('[e2e] FAIL:', e instanceof Error ? e.message : e);
  process.exitCode = 1;
});
