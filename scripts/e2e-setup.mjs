#!/usr/bin/env node
/**
 * What the end-to-end suite needs, installed when missing: real VS Code for the web (code-server, from the npm
 * registry) and Debian's Chromium, which playwright-core drives.
 *
 *   node scripts/e2e-setup.mjs           install what is missing (idempotent), printing each step as it goes
 *   node scripts/e2e-setup.mjs --check   say what is missing and whether this machine can install it; exit 0 if ready
 *
 * It needs root and apt-get (a Debian-like system) for Chromium, a C++ toolchain and libkrb5-dev, because code-server's
 * native modules are built here with node-gyp against the local Node (the prebuilt binaries its postinstall would
 * download from the web are not used). Where that is impossible, it says why and `npm test` reports the e2e skipped.
 * code-server goes to $VSCODE_WEB_HOME, default ~/.cache/vscode-web (the layout and marker file of the workplace's
 * vscode-web.sh, so either installer sees the other's work). The first time: about 3 minutes and 320 MB for
 * code-server, plus about 0.4 GB for Chromium and its libraries from apt.
 */
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

export const CODE_SERVER_VERSION = '4.100.3'; // the last release that runs on Node 20
export const CHROMIUM = '/usr/bin/chromium';
/** Debian packages the set-up needs: Chromium itself, and what building code-server's native modules takes. */
const APT = [
  { pkg: 'chromium', runtime: true, present: () => fs.existsSync(CHROMIUM) },
  { pkg: 'fonts-dejavu-core', runtime: true, present: () => debInstalled('fonts-dejavu-core') },
  { pkg: 'libkrb5-dev', present: () => debInstalled('libkrb5-dev') },
  { pkg: 'ripgrep', present: () => has('rg') },
  { pkg: 'g++', present: () => has('g++') },
  { pkg: 'make', present: () => has('make') },
  { pkg: 'python3', present: () => has('python3') },
];
/** code-server's native modules (under lib/vscode/node_modules) rebuilt for the local Node. */
const NATIVE = ['kerberos', '@vscode/spdlog', 'native-watchdog', 'node-pty', '@vscode/deviceid'];

/** Where code-server is installed. */
export function webHome() {
  return process.env.VSCODE_WEB_HOME || path.join(os.homedir(), '.cache', 'vscode-web');
}

/** code-server's entry point (run it with node). */
export function codeServerEntry(home = webHome()) {
  return path.join(home, 'node_modules', 'code-server', 'out', 'node', 'entry.js');
}

const marker = (home) => path.join(home, `.ok-${CODE_SERVER_VERSION}`);
const has = (cmd) => spawnSync('sh', ['-c', `command -v '${cmd}'`], { stdio: 'ignore' }).status === 0;
const debInstalled = (pkg) => spawnSync('dpkg', ['-s', pkg], { stdio: 'ignore' }).status === 0;

/**
 * What is missing and whether it can be installed here:
 * { missing: string[], aptPackages: string[], cannot: string | null } (`cannot` is the reason, for a skip message).
 */
export function e2eStatus(home = webHome()) {
  const codeServer = fs.existsSync(marker(home)) && fs.existsSync(codeServerEntry(home));
  const chromium = fs.existsSync(CHROMIUM);
  const missing = [...(codeServer ? [] : [`code-server ${CODE_SERVER_VERSION} in ${home}`]), ...(chromium ? [] : [CHROMIUM])];
  const aptPackages = missing.length === 0 ? [] : APT.filter((a) => (a.runtime || !codeServer) && !a.present()).map((a) => a.pkg);
  let cannot = null;
  if (aptPackages.length > 0 && !has('apt-get')) {
    cannot = `apt-get not found: the e2e set-up installs ${aptPackages.join(', ')} with apt (a Debian-like system)`;
  } else if (aptPackages.length > 0 && process.getuid?.() !== 0) {
    cannot = `not root: install ${aptPackages.join(' ')} with \`sudo apt-get install -y ${aptPackages.join(' ')}\`, then run \`npm run e2e:setup\``;
  } else if (!codeServer && !has('npm')) {
    cannot = 'npm not found';
  }
  return { missing, aptPackages, cannot };
}

/**
 * Runs one step, its output kept in `logFile`; prints a line when it starts, every 30 s while it runs and when it
 * ends. Rejects with the log's tail when the command fails.
 */
function step(log, label, cmd, args, opts = {}) {
  const t0 = Date.now();
  const secs = () => Math.round((Date.now() - t0) / 1000);
  log(`${label} ...`);
  return new Promise((resolve, reject) => {
    let out = '';
    const p = spawn(cmd, args, { ...opts, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
    p.stdout.on('data', (d) => { out += d; });
    p.stderr.on('data', (d) => { out += d; });
    const beat = setInterval(() => log(`  ... ${label}: still running (${secs()} s)`), 30_000);
    p.on('error', (e) => { clearInterval(beat); reject(new Error(`${label}: ${e.message}`)); });
    p.on('close', (code) => {
      clearInterval(beat);
      if (code === 0) { log(`  ${label}: done in ${secs()} s`); resolve(); return; }
      reject(new Error(`${label} failed (exit ${code}):\n${out.trim().split('\n').slice(-30).join('\n')}`));
    });
  });
}

/** npm's own node-gyp and the Node headers of the running node (the way code-server's modules build here). */
function gypArgs() {
  const npmDir = path.dirname(path.dirname(fs.realpathSync(spawnSync('sh', ['-c', 'command -v npm'], { encoding: 'utf8' }).stdout.trim())));
  const gyp = path.join(npmDir, 'node_modules', 'node-gyp', 'bin', 'node-gyp.js');
  const nodeDir = path.dirname(path.dirname(fs.realpathSync(process.execPath)));
  return [gyp, 'rebuild', `--nodedir=${nodeDir}`, '--jobs=max'];
}

async function installCodeServer(home, log, n, total) {
  const cs = path.join(home, 'node_modules', 'code-server');
  const vs = path.join(cs, 'lib', 'vscode');
  fs.mkdirSync(home, { recursive: true });
  const pkg = path.join(home, 'package.json');
  if (!fs.existsSync(pkg)) fs.writeFileSync(pkg, '{"name":"vscode-web","private":true}\n');
  // --ignore-scripts: the postinstall would download ripgrep and prebuilt binaries from the web; the same steps
  // are done below from the registry and Debian's packages.
  const npmI = ['install', '--ignore-scripts', '--no-audit', '--no-fund'];
  await step(log, `(${n}/${total}) code-server ${CODE_SERVER_VERSION} from the npm registry`, 'npm', [...npmI, `code-server@${CODE_SERVER_VERSION}`], { cwd: home });
  await step(log, `(${n + 1}/${total}) VS Code's own packages`, 'sh', ['-c', `npm ${npmI.join(' ')} --omit=dev && cd extensions && npm ${npmI.join(' ')} --omit=dev`], { cwd: vs });
  // The six native modules build at once, each with as many compiler jobs as cores: one after another with one job
  // each they took about 38 s on the 2-core machine, spdlog alone 22-33 s of it (18 s with --jobs=max).
  const [gyp, ...gypRest] = gypArgs();
  const argon2 = path.join(home, 'node_modules', 'argon2');
  const label = `(${n + 2}/${total}) native modules ${[...NATIVE, 'argon2'].join(', ')} (node-gyp, at once)`;
  log(`${label} ...`);
  const t0 = Date.now();
  await Promise.all([
    ...NATIVE.map((m) => step(log, `native module ${m}`, process.execPath, [gyp, ...gypRest], { cwd: path.join(vs, 'node_modules', m) })),
    step(log, 'native module argon2', process.execPath, [gyp, ...gypRest, '--module_name=argon2', '--module_path=lib/binding/napi-v3', '--napi_build_version=3'], { cwd: argon2 }),
  ]);
  log(`  native modules done in ${Math.round((Date.now() - t0) / 1000)} s`);
  fs.mkdirSync(path.join(argon2, 'lib', 'binding', 'napi-v3'), { recursive: true });
  fs.copyFileSync(path.join(argon2, 'build', 'Release', 'argon2.node'), path.join(argon2, 'lib', 'binding', 'napi-v3', 'argon2.node'));
  const rgDir = path.join(vs, 'node_modules', '@vscode', 'ripgrep', 'bin');
  fs.mkdirSync(rgDir, { recursive: true });
  fs.copyFileSync(spawnSync('sh', ['-c', 'command -v rg'], { encoding: 'utf8' }).stdout.trim(), path.join(rgDir, 'rg'));
  fs.chmodSync(path.join(rgDir, 'rg'), 0o755);
  const link = (target, at) => { fs.rmSync(at, { force: true }); fs.symlinkSync(target, at); };
  link('node_modules', path.join(vs, 'node_modules.asar'));
  link('code-linux.sh', path.join(vs, 'bin', 'remote-cli', 'code-server'));
  link('browser-linux.sh', path.join(vs, 'bin', 'helpers', 'browser.sh'));
  fs.writeFileSync(marker(home), '');
}

/**
 * Installs what e2eStatus() reports missing. Resolves when everything is there; rejects with the reason when this
 * machine cannot install it (see e2eStatus().cannot) or a step fails.
 */
export async function setupE2e({ home = webHome(), log = (m) => console.error(`[e2e-setup] ${m}`) } = {}) {
  const s = e2eStatus(home);
  if (s.missing.length === 0) { log(`ready: code-server ${CODE_SERVER_VERSION} in ${home}, ${CHROMIUM}`); return; }
  if (s.cannot) throw new Error(`cannot install ${s.missing.join(' and ')}: ${s.cannot}`);
  const t0 = Date.now();
  const codeServer = s.missing.some((m) => m.startsWith('code-server'));
  const total = (s.aptPackages.length ? 2 : 0) + (codeServer ? 3 : 0);
  log(`installing ${s.missing.join(' and ')} (the first time: about 3 minutes, 320 MB for code-server, 0.4 GB for Chromium)`);
  let n = 1;
  if (s.aptPackages.length) {
    await step(log, `(${n++}/${total}) apt-get update`, 'apt-get', ['update', '-qq']);
    await step(log, `(${n++}/${total}) apt-get install ${s.aptPackages.join(' ')}`, 'apt-get', ['install', '-y', '-qq', ...s.aptPackages]);
  }
  if (codeServer) await installCodeServer(home, log, n, total);
  const left = e2eStatus(home).missing;
  if (left.length) throw new Error(`still missing after the install: ${left.join(', ')}`);
  log(`ready after ${Math.round((Date.now() - t0) / 1000)} s: code-server ${CODE_SERVER_VERSION} in ${home}, ${CHROMIUM}`);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  if (process.argv.includes('--check')) {
    const s = e2eStatus();
    console.log(s.missing.length === 0 ? 'e2e: ready' : `e2e: missing ${s.missing.join(', ')}${s.cannot ? `; cannot install here: ${s.cannot}` : '; `npm run e2e:setup` installs it'}`);
    process.exit(s.missing.length === 0 ? 0 : 1);
  }
  setupE2e().catch((e) => { console.error(`[e2e-setup] ${e.message}`); process.exit(1); });
}
