#!/usr/bin/env node
/**
 * End-to-end check of the plate editor in a real VS Code (code-server, the web build; our extension runs in
 * its remote, node extension host exactly as in desktop VS Code).
 *
 *   node esbuild.mjs && node test/e2e/plateEditor.e2e.mjs
 *
 * Needs `npm run e2e:setup` (code-server + Chromium) done once. It copies the
 * extension (package.json, dist, syntaxes, media) into a fresh extensions folder (or $VSCODE_WEB_EXT), starts
 * code-server on a free port with a temp workspace holding a copy of test/e2e/fixtures/ExperimentWithNTC.txt,
 * opens the file, runs "qPCR: Open in Plate Editor" from the command palette, waits for the heat map inside
 * the webview, opens the Problems panel and expects a qPCR diagnostic. Screenshots go to media/screenshots/ with
 * QPCR_E2E_SCREENSHOTS=1 (else test/e2e/screenshots-tmp).
 * Exits non-zero on any failure; always stops the server and the browser.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { assertNoCspErrors, failureShot, findInFrames, logger, repo, runCommand, shotsDir as shots, startVsCode } from './lib/vscodeWeb.mjs';

const FIXTURE = 'appbio_quantstudio_example02.txt';
const RDML = 'matrix_gaps.rdml';
const STUDY = 'e2e.qstudy';
const BIG = 'big-export.csv';
const CR_ONLY = 'LightCycler_sample.txt';
const log = logger('e2e');

async function main() {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'qpcr-e2e-'));
  const workspace = path.join(tmp, 'workspace');
  fs.mkdirSync(workspace, { recursive: true });
  for (const f of [FIXTURE, RDML]) fs.copyFileSync(path.join(repo, 'test', 'e2e', 'fixtures', f), path.join(workspace, f));
  // A real LightCycler 480 export with CR-only line ends: the editor must say that a save from VS Code rewrites them.
  fs.copyFileSync(path.join(repo, 'test', 'fixtures', 'expression', CR_ONLY), path.join(workspace, CR_ONLY));
  // A study over the fixture with a misspelt target: the study checks know the plate's targets (IPC, TGFb).
  // Over 50 MB: VS Code does not sync it to extensions, so the command opens the read-only viewer with a message.
  // A tidy CSV of about 1.1 M reactions (patients × triplicates of three targets).
  const fd = fs.openSync(path.join(workspace, BIG), 'w');
  fs.writeSync(fd, 'sample,target,cq\n');
  const targets = ['hsa-miR-21-5p', 'hsa-miR-122-5p', 'RNU6B'];
  let written = 0;
  for (let block = 0; written <= 51 * 1024 * 1024; block++) {
    let rows = '';
    for (let i = 0; i < 2000; i++) {
      const patient = `Patient-${String(block * 2000 + i).padStart(7, '0')}-serum`;
      for (const t of targets) for (let r = 0; r < 3; r++) rows += `${patient},${t},${(22 + ((block + i + r) % 97) / 10).toFixed(2)}\n`;
    }
    written += fs.writeSync(fd, rows);
  }
  fs.closeSync(fd);
  fs.writeFileSync(path.join(workspace, STUDY), `study "e2e"\nplates "${FIXTURE}"\nreference IPC\ntargets TGFx\n`);

  let vs;
  let page;
  try {
    vs = await startVsCode({ workspace, tmp, log, waitForExplorerRow: FIXTURE, required: ['dist/extension.js', 'dist/webview/plate.js', 'dist/webview/plate.css'] });
    page = vs.page;
    const consoleErrors = vs.consoleErrors;

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
    // Its curves (71 amplification curves): asked for only when the Curves section is opened, then drawn.
    const curvesBefore = await rdml.frame.$$eval('canvas.curve-canvas', (els) => els.length);
    if (curvesBefore !== 0) throw new Error('curves were drawn before the Curves section was opened');
    await rdml.frame.locator('.curve-view vscode-button').first().click();
    await rdml.frame.locator('canvas.curve-canvas').first().waitFor({ timeout: 30000 });
    await page.waitForTimeout(500);
    const inked = await rdml.frame.$eval('canvas.curve-canvas', (c) => {
      const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
      let n = 0;
      for (let i = 3; i < d.length; i += 4) if (d[i] > 0) n++;
      return n;
    });
    const caption = await rdml.frame.$eval('.curve-view figcaption', (e) => e.textContent);
    if (inked < 2000 || !/71 curves/.test(caption)) throw new Error(`RDML curves: ${caption}, ${inked} pixels inked`);
    log(`RDML curve view: ${caption}`);
    await rdml.frame.locator('.curve-view').scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(shots, 'rdml-curves.png') });

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

    // A CR-only export: the plate editor opens it and warns that saving from VS Code rewrites the line ends.
    await page.locator('.explorer-folders-view .monaco-list-row', { hasText: CR_ONLY }).first().click();
    await page.locator('.tabs-container .tab', { hasText: CR_ONLY }).first().waitFor({ timeout: 30000 });
    await runCommand(page, 'qPCR: Open in Plate Editor');
    const caveat = await findInFrames(page, 'p.notice.caveat', 60000, async (f) => (await f.$eval('h1', (e) => e.textContent).catch(() => '')) === CR_ONLY);
    if (!caveat) throw new Error('no line-end caveat in the plate editor of a CR-only file');
    const caveatText = await caveat.el.innerText();
    if (!/CR only/.test(caveatText)) throw new Error(`unexpected caveat: ${caveatText}`);
    log('CR-only file:', caveatText.slice(0, 120));

    // Explorer context menu on a file over 50 MB: a clear message instead of a broken editor.
    await page.locator('.explorer-folders-view .monaco-list-row', { hasText: BIG }).first().click({ button: 'right' });
    await page.locator('.context-view').getByText('Open in Plate Editor').first().waitFor({ timeout: 10000 });
    await page.locator('.context-view').getByText('Open in Plate Editor').first().hover();
    await page.keyboard.press('Enter');
    const toast = page.locator('.notifications-toasts', { hasText: 'over 50 MB' }).first();
    await toast.waitFor({ timeout: 15000 });
    log('large file:', (await toast.innerText()).replace(/\s+/g, ' ').slice(0, 160));
    // The read-only viewer: the first wells in the table, the whole file in the QC counts, and why it is read-only.
    const notice = await findInFrames(page, 'p.notice', 120000, async (f) => /Showing the first 20,000 of/.test(await f.$eval('p.notice', (e) => e.textContent ?? '')));
    if (!notice) throw new Error('the large file did not open in the read-only viewer');
    const noticeText = await notice.el.innerText();
    if (!/read-only \(streamed from disk\)/.test(noticeText)) throw new Error(`the viewer does not say it is read-only and streamed: ${noticeText}`);
    const header = await notice.frame.$eval('.conventions', (e) => e.textContent ?? '');
    if (!/Moderead-only/.test(header) || !/Reactions1,\d{3},\d{3}/.test(header)) throw new Error(`the viewer header is not a read-only view of the whole file: ${header}`);
    log('large file viewer:', noticeText.replace(/\s+/g, ' ').slice(0, 200));
    await page.waitForTimeout(800); // let the toast finish fading in
    await page.screenshot({ path: path.join(shots, 'large-file.png') });

    assertNoCspErrors(consoleErrors);
    log('PASS');
  } catch (e) {
    // Keep a picture of what went wrong (git-ignored folder).
    await failureShot(page, log);
    if (vs) console.error(vs.serverLog().split('\n').slice(-30).join('\n'));
    throw e;
  } finally {
    if (vs) await vs.stop();
    fs.rmSync(tmp, { recursive: true, force: true, maxRetries: 3 });
  }
}

main().catch((e) => {
  console.error('[e2e] FAIL:', e instanceof Error ? e.message : e);
  process.exitCode = 1;
});
