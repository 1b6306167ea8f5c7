/**
 * Shared helpers for the end-to-end tests: a real VS Code (code-server, the web build; our extension runs in its
 * node extension host as in desktop VS Code) with this extension in a fresh extensions folder and a temp workspace,
 * driven by playwright-core in Debian's Chromium.
 *
 *   const vs = await startVsCode({ workspace, tmp, settings });   // server + browser, workbench loaded
 *   await runCommand(vs.page, 'qPCR: Run Study');
 *   await vs.stop();                                               // always (finally)
 */
import { spawn, execFileSync } from 'node:child_process';
import { codeServerEntry, webHome } from '../../../scripts/e2e-setup.mjs';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

export const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
/** The extension folder to install (package.json + dist + syntaxes + media); default: this repository. */
export const extRoot = path.resolve(process.env.QPCR_E2E_EXTENSION_ROOT ?? repo);
/**
 * Where screenshots go: media/screenshots (the README's pictures) only when QPCR_E2E_SCREENSHOTS=1, so that a test run
 * (`npm test` includes the e2e) leaves the working tree clean; otherwise the git-ignored test/e2e/screenshots-tmp.
 */
export const shotsDir = process.env.QPCR_E2E_SCREENSHOTS === '1'
  ? path.join(repo, 'media', 'screenshots')
  : path.join(repo, 'test', 'e2e', 'screenshots-tmp');

export function logger(tag) {
  return (...a) => console.log(`[${tag}]`, ...a);
}

// Where code-server is installed and its entry point: the repository's e2e set-up (scripts/e2e-setup.mjs) owns both.
export { codeServerEntry, webHome } from '../../../scripts/e2e-setup.mjs';

export function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => resolve(port)); });
  });
}

/**
 * Installs the extension into `extDir`: the packaged .vsix when QPCR_E2E_VSIX names one (what `npm run test:e2e`
 * does, so the test sees exactly what a user installs), through code-server's own `--install-extension`; otherwise a
 * copy of this folder (quick runs during development). Checks that the `required` files are in the installed folder.
 */
export function installExtension(extDir, required = ['dist/extension.js'], entry) {
  const vsix = process.env.QPCR_E2E_VSIX;
  if (!vsix) return copyExtension(extDir, required);
  const file = path.resolve(repo, vsix);
  if (!fs.existsSync(file)) throw new Error(`${file} is missing: run "npm run package" first`);
  const pkg = JSON.parse(fs.readFileSync(path.join(extRoot, 'package.json'), 'utf8'));
  const id = `${pkg.publisher}.${pkg.name}`;
  fs.mkdirSync(extDir, { recursive: true });
  execFileSync(process.execPath, [entry, '--extensions-dir', extDir, '--install-extension', file, '--force'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  const target = fs.readdirSync(extDir).map((d) => path.join(extDir, d)).find((d) => path.basename(d).toLowerCase().startsWith(`${id.toLowerCase()}-`));
  if (!target) throw new Error(`code-server did not install ${id} from ${file} into ${extDir}`);
  for (const f of required) {
    if (!fs.existsSync(path.join(target, f))) throw new Error(`the installed .vsix lacks ${f} (check .vscodeignore)`);
  }
  for (const f of ['src', 'test', 'node_modules', 'examples']) {
    if (fs.existsSync(path.join(target, f))) throw new Error(`the installed .vsix contains ${f}/ (check .vscodeignore)`);
  }
  return `${target} (from ${path.basename(file)})`;
}

/** Copies package.json, dist, syntaxes and media (no screenshots) into `extDir`; checks `required` files exist. */
export function copyExtension(extDir, required = ['dist/extension.js']) {
  for (const f of required) {
    if (!fs.existsSync(path.join(extRoot, f))) throw new Error(`${path.join(extRoot, f)} is missing: run "node esbuild.mjs" first`);
  }
  const pkg = JSON.parse(fs.readFileSync(path.join(extRoot, 'package.json'), 'utf8'));
  const target = path.join(extDir, `${pkg.publisher}.${pkg.name}-${pkg.version}`);
  fs.rmSync(target, { recursive: true, force: true });
  fs.mkdirSync(target, { recursive: true });
  fs.copyFileSync(path.join(extRoot, 'package.json'), path.join(target, 'package.json'));
  for (const d of ['dist', 'syntaxes', 'media']) {
    if (fs.existsSync(path.join(extRoot, d))) fs.cpSync(path.join(extRoot, d), path.join(target, d), { recursive: true, filter: (src) => !src.includes(`${path.sep}screenshots`) });
  }
  return target;
}

export async function waitHttp(url, ms) {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    try { if ((await fetch(url)).ok) return; } catch { /* not up yet */ }
    await new Promise((r) => setTimeout(r, 300));
  }
  throw new Error(`code-server did not answer ${url}`);
}

/** Polls every frame of the page for a selector (webviews are nested iframes). */
export async function findInFrames(page, selector, ms, accept = async () => true) {
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

/**
 * Opens the command palette: F1, or (when the keyboard focus is inside a webview, which does not always forward
 * F1) a click on the command center in the title bar, which keeps the active editor.
 */
export async function openPalette(page) {
  const input = page.locator('.quick-input-widget input');
  await page.keyboard.press('F1');
  try {
    await input.waitFor({ state: 'visible', timeout: 4000 });
    return;
  } catch { /* focus in a webview */ }
  await page.locator('.command-center-center').first().click();
  await input.waitFor({ state: 'visible', timeout: 10000 });
}

/**
 * Runs a command from the palette; retries while the extension host is still starting (its commands not listed yet)
 * and when the palette closes at once (the keyboard focus was taken back by a webview).
 */
export async function runCommand(page, title, timeoutMs = 90000) {
  const end = Date.now() + timeoutMs;
  let last;
  for (;;) {
    try {
      await openPalette(page);
      await page.locator('.quick-input-widget input').fill(`>${title}`, { timeout: 5000 });
      // The row whose label is exactly `title` (fuzzy matching lists others, e.g. "Compare Active File with Saved").
      const row = page.locator('.quick-input-list .monaco-list-row').filter({ has: page.locator('.label-name').getByText(title, { exact: true }) }).first();
      await row.waitFor({ timeout: 3000 });
      await row.click({ timeout: 5000 });
      return;
    } catch (e) {
      last = e;
      await page.keyboard.press('Escape');
      if (Date.now() > end) throw new Error(`could not run "${title}" from the palette: ${last instanceof Error ? last.message.split('\n')[0] : last}`);
      await page.waitForTimeout(1000);
    }
  }
}

/** Default user settings: no trust prompt, no welcome page, no tips, a fixed theme. */
export const DEFAULT_SETTINGS = {
  'security.workspace.trust.enabled': false, 'workbench.startupEditor': 'none', 'telemetry.telemetryLevel': 'off',
  'extensions.autoUpdate': false, 'update.mode': 'none', 'workbench.tips.enabled': false, 'chat.commandCenter.enabled': false,
  // QPCR_E2E_THEME picks another theme for a run, e.g. "Default High Contrast" or "Default Light Modern".
  'workbench.colorTheme': process.env.QPCR_E2E_THEME || 'Default Dark Modern',
};

/**
 * Starts code-server on a free port with `workspace` open and this extension installed (then `afterInstall(extDir)`),
 * then Chromium on it.
 * Resolves when the workbench and the explorer are up. `stop()` closes the browser and kills the server.
 */
export async function startVsCode({ workspace, tmp, settings = {}, required, log = logger('e2e'), waitForExplorerRow, afterInstall }) {
  const home = webHome();
  const entry = codeServerEntry(home);
  if (!fs.existsSync(entry)) throw new Error(`code-server not installed in ${home}: run npm run e2e:setup`);
  const extDir = process.env.VSCODE_WEB_EXT ?? path.join(tmp, 'extensions');
  const userDir = path.join(tmp, 'user');
  fs.mkdirSync(path.join(userDir, 'User'), { recursive: true });
  fs.writeFileSync(path.join(userDir, 'User', 'settings.json'), JSON.stringify({ ...DEFAULT_SETTINGS, ...settings }));
  log('extension ->', installExtension(extDir, required, entry));
  // A test may change the installed copy before the server reads it (web.e2e.mjs: a `browser`-only manifest).
  afterInstall?.(extDir);
  fs.mkdirSync(shotsDir, { recursive: true });

  const port = await freePort();
  const server = spawn(process.execPath, [entry, '--auth', 'none', '--bind-addr', `127.0.0.1:${port}`, '--user-data-dir', userDir,
    '--extensions-dir', extDir, '--disable-telemetry', '--disable-update-check', '--disable-workspace-trust', workspace],
  { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let serverLog = '';
  server.stdout.on('data', (d) => { serverLog += d; });
  server.stderr.on('data', (d) => { serverLog += d; });
  const consoleErrors = [];
  let browser;
  const stop = async () => {
    if (browser) await browser.close().catch(() => {});
    browser = undefined;
    try { process.kill(-server.pid, 'SIGTERM'); } catch { /* already gone */ }
  };
  const vs = { page: undefined, browser: undefined, port, workspace, consoleErrors, serverLog: () => serverLog, stop };
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
    vs.browser = browser;
    const page = browser.pages()[0] ?? await browser.newPage();
    vs.page = page;
    page.on('console', (m) => { if (m.type() === 'error') consoleErrors.push(m.text()); });
    await page.goto(`http://127.0.0.1:${port}/?folder=${encodeURIComponent(workspace)}`);
    await page.locator('.monaco-workbench').waitFor({ timeout: 60000 });
    if (waitForExplorerRow) await explorerRow(page, waitForExplorerRow).waitFor({ timeout: 60000 });
    log('workbench up');
    return vs;
  } catch (e) {
    await failureShot(vs.page, log);
    await stop();
    throw e;
  }
}

/** The explorer row of a file or folder name. */
export function explorerRow(page, name) {
  return page.locator('.explorer-folders-view .monaco-list-row', { hasText: name }).first();
}

/** Saves a picture of the page for a failure (git-ignored folder). */
export async function failureShot(page, log = logger('e2e'), name = 'failure.png') {
  if (!page) return;
  const dir = path.join(repo, 'test', 'e2e', 'screenshots-tmp');
  fs.mkdirSync(dir, { recursive: true });
  await page.screenshot({ path: path.join(dir, name) }).catch(() => {});
  log('failure screenshot:', path.join(dir, name));
}

/** Screenshot into media/screenshots (the mouse parked on the empty part of the activity bar, so no hover shows). */
export async function shot(page, name, log = logger('e2e')) {
  await page.mouse.move(24, 520);
  await page.waitForTimeout(300);
  await page.screenshot({ path: path.join(shotsDir, name) });
  log('screenshot', name);
}

/** Fails on Content-Security-Policy violations seen in the console. */
export function assertNoCspErrors(consoleErrors) {
  const csp = consoleErrors.filter((e) => /Content Security Policy/i.test(e));
  if (csp.length) throw new Error(`CSP violations in the console:\n${csp.join('\n')}`);
}

/**
 * Opens a workspace file with Quick Open: `query` is typed (a name, or `folder/name` when several files share a
 * name), the first row naming `rowText` is taken, and the tab of the file's base name must become active.
 */
export async function quickOpen(page, query, rowText = query) {
  const name = query.split('/').pop();
  await page.keyboard.press('Control+P');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible', timeout: 10000 });
  await input.fill(query);
  await page.locator('.quick-input-list .monaco-list-row', { hasText: rowText }).first().waitFor({ timeout: 15000 });
  await page.keyboard.press('Enter');
  await page.locator(`.tabs-container .tab.active[data-resource-name="${name}"]`).first().waitFor({ timeout: 15000 });
}

/**
 * The frame of an e2e script: a temp folder whose `workspace/` `prepare(workspace, tmp)` fills, code-server started
 * on it (`start`: startVsCode's options besides workspace, tmp and log), then `body(vs, { workspace, tmp })`. On a
 * failure: a screenshot `<name>-failure.png`, the tail of the server log (or what `onFailure(vs, tmp)` prints
 * instead), `[name] FAIL: …` and exit code 1; always: code-server stopped and the temp folder removed.
 */
export async function e2eSession(name, log, { prepare, start, body, onFailure }) {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), `qpcr-${name.toLowerCase()}-`));
  const workspace = path.join(tmp, 'workspace');
  let vs;
  try {
    fs.mkdirSync(workspace, { recursive: true });
    await prepare(workspace, tmp);
    vs = await startVsCode({ workspace, tmp, log, ...start });
    await body(vs, { workspace, tmp });
  } catch (e) {
    await failureShot(vs?.page, log, `${name}-failure.png`);
    if (onFailure) onFailure(vs, tmp);
    else if (vs) console.error(vs.serverLog().split('\n').slice(-30).join('\n'));
    console.error(`[${name}] FAIL:`, e instanceof Error ? e.message : e);
    process.exitCode = 1;
  } finally {
    if (vs) await vs.stop();
    fs.rmSync(tmp, { recursive: true, force: true, maxRetries: 3 });
  }
}
