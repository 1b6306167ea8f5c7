#!/usr/bin/env node
/**
 * End-to-end user journeys in a real VS Code (code-server) with the built extension:
 *
 *   (a) a real QuantStudio export in the plate editor → a diagnostic in the Problems panel → its quick fix (Ctrl+.),
 *       undo, apply again, save → the file on disk differs from the original by exactly that fix;
 *   (b) the TACE example study: completion offers a plate target and a clinical column, a typo gives a diagnostic;
 *   (c) "qPCR: Run Study" from the command palette → the results panel with every analysis, tables with rows and
 *       charts drawn; "qPCR: Export Report" writes report.html and report.json;
 *   (d) "Developer: Reload Window" → the results panel is restored with its report.
 *
 *   node esbuild.mjs && node test/e2e/journeys.e2e.mjs
 *
 * Screenshots: media/screenshots/journey-*.png. Exits non-zero on failure; always stops code-server and Chromium.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  assertNoCspErrors, explorerRow, findInFrames, logger, repo, runCommand, e2eSession, shot,
} from './lib/vscodeWeb.mjs';

const log = logger('journeys');
const FIXTURE = 'appbio_quantstudio_example02.txt';
const STUDY_DIR = 'tace';
const BROKEN = 'broken.qstudy';
const STUDY_TITLE = 'Exosomal miR-122 and miR-21 in TACE-treated HCC';
const EXAMPLE = path.join(repo, 'examples', 'tace-exosomal-mirna');
/** The example's labelled analyses, in order (every analysis line of the example is labelled; read, not listed here). */
const ANALYSES = [...fs.readFileSync(path.join(EXAMPLE, 'study.qstudy'), 'utf8').matchAll(/^([A-Za-z_][\w]*):/gm)].map((m) => m[1]);

function assert(cond, message) {
  if (!cond) throw new Error(message);
}

/** Text of an element with runs of whitespace (and Monaco's non-breaking spaces) collapsed. */
async function textOf(locator) {
  return (await locator.innerText()).replace(/[\s\u00a0]+/g, ' ').trim();
}

async function timed(name, fn) {
  const t0 = Date.now();
  await fn();
  log(`journey ${name} passed in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
}

/** Splits text into lines keeping each line's end-of-line sequence. */
function splitKeepEol(text) {
  return text.match(/[^\r\n]*(?:\r\n|\n|\r|$)/g).filter((l, i, a) => l !== '' || i < a.length - 1);
}

/** The Problems panel, focused, and its rows. */
async function problems(page) {
  await runCommand(page, 'View: Focus Problems');
  await page.locator('.markers-panel').first().waitFor({ timeout: 15000 });
  return page.locator('.markers-panel .monaco-list-row');
}

/** Shows only the Problems rows containing `text` (the panel's filter box, as a person would narrow the list). */
async function filterProblems(page, text) {
  const input = page.locator('.panel .viewpane-filter input').first();
  await input.fill(text);
  await page.waitForTimeout(400);
}

/** Right-clicks `target` and clicks the menu item `label`; retries while the extension's menus are not there yet. */
async function contextMenu(page, target, label, timeoutMs = 15000) {
  const end = Date.now() + timeoutMs;
  for (;;) {
    await target.click({ button: 'right' });
    const item = page.locator('.context-view .action-item', { hasText: label }).first();
    try {
      await item.waitFor({ timeout: 3000 });
      // Monaco menus act on the highlighted item: hover it, then Enter.
      await item.hover();
      await page.keyboard.press('Enter');
      return;
    } catch {
      await page.keyboard.press('Escape');
      if (Date.now() > end) throw new Error(`no "${label}" in the context menu`);
      await page.waitForTimeout(1000);
    }
  }
}

/** Applies `fix` to a Problems row from its context menu (right click: the row's quick fixes are listed first). */
async function applyQuickFixFromProblems(page, marker, fix) {
  await contextMenu(page, marker, fix);
}

/** Waits until the plate editor's heat map shows a number of omitted-well crosses accepted by `ok`. */
async function waitCrosses(page, ok, message) {
  const end = Date.now() + 15000;
  let n = -1;
  while (Date.now() < end) {
    const found = await findInFrames(page, 'svg.plate g.well', 5000);
    n = found ? await found.frame.$$eval('svg.plate .cross', (els) => els.length).catch(() => -1) : -1;
    if (n >= 0 && ok(n)) return n;
    await page.waitForTimeout(300);
  }
  throw new Error(`${message} (crosses: ${n})`);
}

async function journeyQuickFix(vs, workspace) {
  const { page } = vs;
  const file = path.join(workspace, FIXTURE);
  const original = fs.readFileSync(file, 'utf8');
  // The Explorer's context menu on the export: "Open in Plate Editor".
  await contextMenu(page, explorerRow(page, FIXTURE), 'Open in Plate Editor', 90000);
  const plate = await findInFrames(page, 'svg.plate g.well', 60000);
  assert(plate, 'the plate editor showed no heat map');
  log('plate editor open with', await plate.frame.$$eval('svg.plate g.well', (els) => els.length), 'positions');
  const crossesBefore = await plate.frame.$$eval('svg.plate .cross', (els) => els.length);
  await shot(page, 'journey-a1-plate-editor.png', log);

  // A diagnostic with a certain fix: an instrument flag on a well of a format with an Omit column.
  const rows = await problems(page);
  const flag = rows.filter({ hasText: 'instrument-flag' }).filter({ hasNotText: 'already omitted' }).first();
  await flag.waitFor({ timeout: 30000 });
  const message = await textOf(flag);
  const m = /The instrument flagged (\S+) \((.*?) \/ (.*?)\): /.exec(message);
  assert(m, `unexpected instrument-flag message: ${message}`);
  const [, well, sample, target] = m;
  log(`Problems: ${message.slice(0, 140)}`);
  await shot(page, 'journey-a2-problems.png', log);

  const fixTitle = `Omit well ${well}`;
  // Only this well's flag in the list from here on.
  await filterProblems(page, `flagged ${well} (${sample} / ${target})`);
  const omittedMarker = rows.filter({ hasText: 'already omitted' }).first();
  const flagMarker = () => rows.filter({ hasText: `The instrument flagged ${well} (${sample} / ${target})` }).filter({ hasNotText: 'already omitted' }).first();
  await flagMarker().waitFor({ timeout: 10000 });
  assert(await rows.filter({ hasText: 'instrument-flag' }).count() === 1, 'the Problems filter did not narrow the list to one flag');
  const dirtyTab = page.locator('.tabs-container .tab.dirty', { hasText: FIXTURE }).first();

  await applyQuickFixFromProblems(page, flagMarker(), fixTitle);
  await omittedMarker.waitFor({ timeout: 15000 });
  await dirtyTab.waitFor({ timeout: 10000 });
  // VS Code opened the text at the marker to apply the fix; the plate editor shows the omitted well too.
  await page.locator('.tabs-container .tab', { hasText: FIXTURE }).first().click();
  await waitCrosses(page, (n) => n > crossesBefore, 'the plate editor shows no cross on the omitted well');
  log(`quick fix "${fixTitle}" applied: the diagnostic now says the well is omitted, the file is dirty`);
  await shot(page, 'journey-a3-fix-applied.png', log);

  // Undo from the editor: the diagnostic is back and the document is clean again.
  await page.locator('.tabs-container .tab', { hasText: FIXTURE }).first().click();
  await runCommand(page, 'Undo');
  await omittedMarker.waitFor({ state: 'detached', timeout: 15000 });
  await dirtyTab.waitFor({ state: 'detached', timeout: 10000 });
  await waitCrosses(page, (n) => n === crossesBefore, 'the plate editor still shows the well omitted after undo');
  assert(fs.readFileSync(file, 'utf8') === original, 'the file on disk changed before it was saved');
  log('undo: the warning is back and the document is not dirty');

  // Again, then save.
  await problems(page);
  await applyQuickFixFromProblems(page, flagMarker(), fixTitle);
  await omittedMarker.waitFor({ timeout: 15000 });
  await page.locator('.tabs-container .tab', { hasText: FIXTURE }).first().click();
  await runCommand(page, 'File: Save');
  await dirtyTab.waitFor({ state: 'detached', timeout: 15000 });
  await shot(page, 'journey-a4-saved.png', log);
  await filterProblems(page, '');

  // On disk: exactly one cell changed, the Omit cell of the flagged well's row, false → true; every other byte kept.
  const saved = fs.readFileSync(file, 'utf8');
  const before = splitKeepEol(original);
  const after = splitKeepEol(saved);
  assert(before.length === after.length, `the save changed the number of lines (${before.length} → ${after.length})`);
  const changed = before.map((l, i) => (l === after[i] ? -1 : i)).filter((i) => i >= 0);
  assert(changed.length === 1, `expected exactly one changed line, got ${changed.length}`);
  const i = changed[0];
  const header = before.slice(0, i).reverse().find((l) => /^Well\tWell Position\t/.test(l));
  assert(header, 'the changed line is not in a table with a Well Position column');
  const cols = header.replace(/\r?\n$/, '').split('\t');
  const omitCol = cols.indexOf('Omit');
  const b = before[i].split('\t');
  const a = after[i].split('\t');
  assert(a.length === b.length, 'the changed line has a different number of cells');
  const diffCells = b.map((c, k) => (c === a[k] ? -1 : k)).filter((k) => k >= 0);
  assert(diffCells.length === 1 && diffCells[0] === omitCol, `expected only the Omit cell to change, cells ${diffCells.join(',')} changed`);
  assert(b[omitCol] === 'false' && a[omitCol] === 'true', `Omit cell: "${b[omitCol]}" → "${a[omitCol]}"`);
  assert(b[cols.indexOf('Well Position')] === well && b[cols.indexOf('Target Name')] === target && b[cols.indexOf('Sample Name')] === sample,
    `the changed row is ${b[cols.indexOf('Well Position')]} / ${b[cols.indexOf('Target Name')]}, not ${well} / ${target}`);
  log(`on disk: line ${i + 1} (${well} / ${target}) Omit false → true, nothing else changed`);
}

/** Clicks the end of the study and starts a new line. */
async function newLineAtEnd(page) {
  await page.keyboard.press('Escape');
  await page.keyboard.press('Control+End');
  await page.keyboard.press('Enter');
}

/** Types text with the suggest widget closed afterwards, then asks for completions. */
async function completeAfter(page, text, expectLabel) {
  await page.keyboard.type(text, { delay: 20 });
  await page.keyboard.press('Escape');
  await page.waitForTimeout(300);
  await page.keyboard.press('Control+Space');
  const row = page.locator('.suggest-widget.visible .monaco-list-row', { hasText: expectLabel }).first();
  await row.waitFor({ timeout: 20000 });
  return row;
}

async function journeyStudyEditing(vs) {
  const { page } = vs;
  await explorerRow(page, STUDY_DIR).click();
  await explorerRow(page, 'study.qstudy').click();
  // The editor's view carries its document's URI.
  const editor = page.locator('[data-uri$="/tace/study.qstudy"]').first();
  await editor.locator('.view-line', { hasText: 'study "Exosomal' }).first().waitFor({ timeout: 30000 });
  await editor.locator('.view-lines').click();
  await newLineAtEnd(page);

  // A target from the plates (LightCycler files: the target is the file stem) ...
  const target = await completeAfter(page, 'let journey_x = log10(miR-1', 'miR-122');
  log('completion offers:', (await textOf(page.locator('.suggest-widget.visible .monaco-list-rows'))).slice(0, 160));
  await shot(page, 'journey-b1-completion-target.png', log);
  await target.click();
  const line = page.locator('.view-line', { hasText: 'journey_x' }).first();
  await page.waitForFunction((el) => el.textContent.includes('miR-122'), await line.elementHandle(), { timeout: 10000 });
  log('accepted:', await textOf(line));

  // ... and a column of the clinical table.
  await page.keyboard.press('End');
  await page.keyboard.press('Enter');
  const column = await completeAfter(page, 'let journey_y = t_b', 't_bil');
  log('column suggestion:', await textOf(column));
  await shot(page, 'journey-b2-completion-column.png', log);
  await page.keyboard.press('Escape');

  // A target that is on no plate: a diagnostic in the editor and the Problems panel.
  await page.keyboard.press('End');
  await page.keyboard.press('Enter');
  await page.keyboard.type('let journey_z = log10(miR-999@pre', { delay: 20 });
  await page.keyboard.press('Escape');
  await editor.locator('.squiggly-error').first().waitFor({ timeout: 20000 });
  const rows = await problems(page);
  const marker = rows.filter({ hasText: 'miR-999' }).first();
  await marker.waitFor({ timeout: 20000 });
  const text = await textOf(marker);
  assert(/study-unknown-target/.test(text), `expected study-unknown-target, got: ${text}`);
  log('Problems:', text);
  await shot(page, 'journey-b3-diagnostic.png', log);

  // Put the study back as it was (the user's own edits, reverted from the editor).
  await editor.locator('.view-lines').click();
  await runCommand(page, 'File: Revert File');
  await marker.waitFor({ state: 'detached', timeout: 20000 });
  await page.locator('.tabs-container .tab.dirty', { hasText: 'study.qstudy' }).waitFor({ state: 'detached', timeout: 10000 });
  log('study reverted; the diagnostic is gone');
}

/** The results webview frame showing this study's report, with every analysis rendered. */
async function resultsFrame(page, ms) {
  const found = await findInFrames(page, 'section.result', ms,
    async (f) => (await f.$eval('h1', (e) => e.textContent).catch(() => '')).startsWith(STUDY_TITLE));
  if (!found) {
    const msg = await findInFrames(page, '.empty, .error-box', 1000);
    throw new Error(`no results panel with the report${msg ? `; it says: ${await msg.el.innerText()}` : ''}`);
  }
  const frame = found.frame;
  await frame.waitForFunction((n) => document.querySelectorAll('section.result').length === n, ANALYSES.length, { timeout: 30000 });
  return frame;
}

/** What a reader sees: a section per analysis, no failed ones, tables with rows, charts with pixels drawn. */
async function checkResults(frame) {
  const names = await frame.$$eval('section.result', (els) => els.map((e) => e.getAttribute('data-name')));
  assert(JSON.stringify(names) === JSON.stringify(ANALYSES), `sections ${names.join(', ')}`);
  const failed = await frame.$$eval('section.result .error-box', (els) => els.map((e) => e.textContent));
  assert(failed.length === 0, `failed analyses shown: ${failed.join(' | ')}`);
  const tables = await frame.$$eval('section.result table', (ts) => ts.map((t) => t.querySelectorAll('tbody tr').length));
  assert(tables.length >= ANALYSES.length && tables.every((n) => n > 0), `tables and their rows: ${tables.join(',')}`);
  // Chart.js draws when the canvas is laid out; wait until every canvas has pixels.
  await frame.waitForFunction(() => {
    const cs = [...document.querySelectorAll('section.result canvas')];
    if (cs.length < 3) return false;
    return cs.every((c) => {
      if (!c.width || !c.height) return false;
      const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
      let n = 0;
      for (let i = 3; i < d.length; i += 4 * 7) if (d[i] > 0) n++;
      return n > 200;
    });
  }, undefined, { timeout: 30000 });
  const canvases = await frame.$$eval('section.result canvas', (cs) => cs.map((c) => `${c.closest('section').getAttribute('data-name')} ${c.width}x${c.height}`));
  const km = await frame.$eval('section.result[data-name="km_dss"]', (s) => s.textContent);
  assert(/log-rank|Log-rank/i.test(km), 'the KM section has no log-rank line');
  return { tables, canvases };
}

async function journeyRun(vs, workspace) {
  const { page } = vs;
  // A study whose plates glob matches nothing: the run stops with a message, and its problem is on the study line.
  await explorerRow(page, BROKEN).click();
  await page.locator('[data-uri$="/broken.qstudy"] .view-line', { hasText: 'missing/' }).first().waitFor({ timeout: 20000 });
  await runCommand(page, 'qPCR: Run Study');
  const toast = page.locator('.notifications-toasts', { hasText: 'No file matches' }).first();
  await toast.waitFor({ timeout: 30000 });
  log('failed run says:', (await textOf(toast.locator('.notification-list-item-message').first())).slice(0, 160));
  // The progress notification of the run ends with it.
  await page.locator('.notifications-toasts .notification-list-item', { hasText: 'running broken.qstudy' }).first().waitFor({ state: 'detached', timeout: 10000 });
  const rows = await problems(page);
  const glob = rows.filter({ hasText: 'study-glob-empty' }).first();
  await glob.waitFor({ timeout: 15000 });
  const where = await textOf(glob);
  assert(/\[Ln 2, Col 8\]/.test(where), `the glob problem is not on the plates line: ${where}`);
  log('Problems:', where);
  // The run's copy of the problem and the live check's are one row, whichever came first.
  await page.waitForTimeout(2000);
  const globRows = await rows.filter({ hasText: 'study-glob-empty' }).count();
  assert(globRows === 1, `the glob problem is listed ${globRows} times`);
  await shot(page, 'journey-c0-run-error.png', log);
  await page.keyboard.press('Escape');

  // Room for the results: the Problems panel closed, the failed run's message dismissed.
  await runCommand(page, 'Notifications: Clear All Notifications');
  await runCommand(page, 'View: Hide Panel');
  await page.locator('.tabs-container .tab', { hasText: 'study.qstudy' }).first().click();
  const t0 = Date.now();
  await runCommand(page, 'qPCR: Run Study');
  const frame = await resultsFrame(page, 120000);
  const { tables, canvases } = await checkResults(frame);
  log(`results panel after ${((Date.now() - t0) / 1000).toFixed(1)} s: ${ANALYSES.length} sections, ${tables.length} tables (rows ${tables.join(',')}), ${canvases.length} charts drawn`);
  await shot(page, 'journey-c1-results.png', log);
  await frame.$eval('section.result[data-name="km_dss"]', (s) => s.scrollIntoView());
  await shot(page, 'journey-c2-results-km.png', log);

  // Export Report: report.html through the save dialog (VS Code's own in the browser), report.json beside it.
  await page.locator('.tabs-container .tab', { hasText: 'study.qstudy' }).first().click();
  await runCommand(page, 'qPCR: Export Report');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible', timeout: 15000 });
  await page.waitForFunction((el) => /study-report\.html$/.test(el.value), await input.elementHandle(), { timeout: 10000 });
  const target = await input.inputValue();
  await page.keyboard.press('Enter');
  const html = path.join(workspace, STUDY_DIR, 'study-report.html');
  const json = path.join(workspace, STUDY_DIR, 'study-report.json');
  const end = Date.now() + 20000;
  while (!(fs.existsSync(html) && fs.existsSync(json)) && Date.now() < end) await page.waitForTimeout(300);
  assert(fs.existsSync(html), `no report.html written (dialog said ${target})`);
  assert(fs.existsSync(json), 'no report.json written beside report.html');
  const report = JSON.parse(fs.readFileSync(json, 'utf8'));
  assert(report.results.length === ANALYSES.length && report.study.startsWith(STUDY_TITLE), 'report.json is not this study\'s report');
  const htmlText = fs.readFileSync(html, 'utf8');
  assert(/^<!DOCTYPE html>/i.test(htmlText) && htmlText.includes('km_dss'), 'report.html is not a standalone report');
  await page.locator('.notifications-toasts', { hasText: 'study-report' }).first().waitFor({ timeout: 10000 });
  log(`exported ${path.basename(html)} (${htmlText.length} chars) and ${path.basename(json)}`);
  await shot(page, 'journey-c3-exported.png', log);
}

async function journeyReload(vs) {
  const { page } = vs;
  await runCommand(page, 'Developer: Reload Window');
  await page.waitForTimeout(1500);
  await page.locator('.monaco-workbench').waitFor({ timeout: 60000 });
  const frame = await resultsFrame(page, 90000);
  const { canvases } = await checkResults(frame);
  log(`after reload: the results panel is back with ${ANALYSES.length} sections and ${canvases.length} charts`);
  await shot(page, 'journey-d1-restored.png', log);
}

const t0 = Date.now();
await e2eSession('journeys', log, {
  prepare(workspace) {
    fs.copyFileSync(path.join(repo, 'test', 'e2e', 'fixtures', FIXTURE), path.join(workspace, FIXTURE));
    fs.cpSync(EXAMPLE, path.join(workspace, STUDY_DIR), { recursive: true });
    fs.writeFileSync(path.join(workspace, BROKEN), 'study "broken"\nplates "missing/*.txt"\nreference cel-miR-39\ntargets miR-122\n');
  },
  start: {
    waitForExplorerRow: FIXTURE,
    // The desktop default (the web build saves after a delay): dirty, undo and save are the user's to do.
    settings: { 'files.autoSave': 'off' },
    required: ['dist/extension.js', 'dist/webview/plate.js', 'dist/webview/results.js', 'dist/webview/results.css'],
  },
  async body(vs, { workspace }) {
    await timed('a (plate editor quick fix, undo, save)', () => journeyQuickFix(vs, workspace));
    await timed('b (study completion and diagnostics)', () => journeyStudyEditing(vs));
    await timed('c (run errors, run study, results panel, export)', () => journeyRun(vs, workspace));
    await timed('d (reload restores the results)', () => journeyReload(vs));
    assertNoCspErrors(vs.consoleErrors);
    log(`PASS in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  },
});
