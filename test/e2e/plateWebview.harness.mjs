#!/usr/bin/env node
/**
 * Fast check of the plate webview bundle without VS Code: serves dist/webview with the same strict CSP the
 * extension uses, fakes `acquireVsCodeApi`, answers `ready` with a synthetic 96-well plate, and fails on CSP
 * violations or page errors. Screenshot: media/screenshots/plate-webview-harness.png.
 *   node esbuild.mjs && node test/e2e/plateWebview.harness.mjs
 */
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';
import { chromium } from 'playwright-core';
import { servePlateWebview } from './lib/plateHarness.mjs';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** src/shared/plateWells.ts, bundled on the fly: the host sends the wells as columns (`encodePlateWells`). */
async function plateWells() {
  const r = await esbuild.build({ entryPoints: [path.join(repo, 'src', 'shared', 'plateWells.ts')], bundle: true, format: 'esm', platform: 'node', write: false, logLevel: 'warning' });
  return import(`data:text/javascript;base64,${Buffer.from(r.outputFiles[0].text).toString('base64')}`);
}

function syntheticState({ encodePlateWells }) {
  const wells = [];
  const issues = [];
  const targets = ['miR-122', 'miR-21', 'cel-miR-39'];
  let i = 0;
  for (let r = 0; r < 8; r++) {
    for (let c = 0; c < 12; c++) {
      const target = targets[Math.floor(c / 4)];
      const sample = r === 7 ? 'NTC' : `P${String(r + 1).padStart(2, '0')}-${c % 2 ? 'post' : 'pre'}`;
      let cq = 18 + r * 2 + (c % 4) * 0.3 + Math.floor(c / 4) * 1.7;
      let cqText = cq.toFixed(3);
      if (r === 7) { cq = c === 5 ? 33.1 : null; cqText = c === 5 ? '33.100' : 'Undetermined'; }
      wells.push({ index: i, position: `${'ABCDEFGH'[r]}${c + 1}`, row: r, col: c, sample, target, task: r === 7 ? 'ntc' : 'unknown',
        cq, cqText, noCq: cq === null ? 'undetermined' : undefined, omitted: r === 2 && c === 3, flags: r === 3 && c === 0 ? ['HIGHSD'] : [], line: 10 + i, canOmit: true, canEditCq: true });
      i++;
    }
  }
  issues.push({ code: 'qc-ntc-amplified', severity: 'error', message: 'NTC amplified (Cq 33.10 < 35) <script>alert(1)</script>', line: 10 + 89, wells: [89] });
  issues.push({ code: 'qc-replicate-sd', severity: 'warning', message: 'Replicate SD 0.61 > 0.5', line: 46, wells: [36, 37] });
  return { fileName: 'run <7>.txt', version: 1, readonly: false, format: 'quantstudio', instrument: 'QuantStudio 7 Flex', rows: 8, cols: 12,
    conventions: { delimiter: '\t', decimal: '.', lineEnding: '\r\n', bom: false }, wells: encodePlateWells(wells), issues, qc: { replicateSd: 0.5, maxCq: 35 } };
}

async function main() {
  const server = await servePlateWebview(syntheticState(await plateWells()), undefined);
  const port = server.address().port;
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'] });
  const problems = [];
  try {
    const p = await browser.newPage({ viewport: { width: 1200, height: 1100 } });
    p.on('console', (m) => { if (m.type() === 'error') problems.push(m.text()); });
    p.on('pageerror', (e) => problems.push(String(e)));
    await p.goto(`http://127.0.0.1:${port}/`);
    await p.locator('svg.plate g.well').first().waitFor({ timeout: 10000 });
    const n = await p.locator('svg.plate g.well').count();
    if (n !== 96) throw new Error(`expected 96 positions, got ${n}`);
    // Our scripts: the fake API, plate.js and the components it loads (plate-elements.js).
    if ((await p.locator('script').count()) !== 3) throw new Error('user text became markup');
    await p.locator('svg.plate g.well').nth(89).hover();
    await p.waitForTimeout(300);
    const tip = await p.evaluate(() => { const t = document.querySelector('.tooltip'); return t.hidden ? '' : t.textContent; });
    await p.screenshot({ path: path.join(repo, 'media', 'screenshots', 'plate-webview-tooltip.png') });
    await p.locator('svg.plate g.well').nth(89).click();
    if (!tip.includes('<script>')) throw new Error(`tooltip does not show the message as text: ${tip}`);
    await p.locator('vscode-table-header-cell', { hasText: 'Cq' }).first().click();
    await p.waitForTimeout(300);
    await p.screenshot({ path: path.join(repo, 'media', 'screenshots', 'plate-webview-harness.png'), fullPage: true });
    const posted = await p.evaluate(() => window.__posted.map((m) => m.type));
    if (posted[0] !== 'ready') throw new Error(`first message was ${posted[0]}`);
    if (problems.length) throw new Error(`console errors:\n${problems.join('\n')}`);
    console.log('[harness] PASS: 96 wells, tooltip, sort, no CSP violations');
  } finally {
    await browser.close();
    server.close();
  }
}
main().catch((e) => { console.error('[harness] FAIL:', e.message); process.exitCode = 1; });
