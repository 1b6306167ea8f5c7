#!/usr/bin/env node
/**
 * "qPCR: New Study from Plates…" in a real VS Code (code-server) with the built extension, on the sorafenib example's
 * data with its study deleted: the palette command asks where the plates are; the Explorer's context menu on the
 * plates folder, then the clinical table and "no sample sheet" picked in the QuickPicks, writes study.qstudy and opens
 * it; "qPCR: Run Study" runs it (the results panel shows its fold-change section); and the written study, run by the
 * engine, gives the example's own dCq per sample and target.
 *
 *   node esbuild.mjs && node test/e2e/newStudy.e2e.mjs   (or QPCR_E2E_VSIX=$PWD/qpcr-studio.vsix after npm run package)
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createRequire } from 'node:module';
import { assertNoCspErrors, explorerRow, findInFrames, logger, repo, runCommand, e2eSession } from './lib/vscodeWeb.mjs';

const log = logger('newStudy');
const EXAMPLE = 'sorafenib-mir221';

function assert(cond, message) {
  if (!cond) throw new Error(message);
}

/** Picks the QuickPick row with this label. */
async function pick(page, label) {
  const row = page.locator('.quick-input-list .monaco-list-row').filter({ has: page.locator('.label-name').getByText(label, { exact: true }) }).first();
  await row.waitFor({ timeout: 30000 });
  await row.click();
}

async function paletteAsks(page) {
  await runCommand(page, 'qPCR: New Study from Plates…');
  await page.locator('.quick-input-list .monaco-list-row', { hasText: 'A folder of plate files' }).first().waitFor({ timeout: 30000 });
  await page.keyboard.press('Escape');
  log('the palette command asks for a folder or plate files');
}

async function fromContextMenu(page, workspace) {
  // The context menu sometimes ignores a click made while it is still laying out: press Enter on the item, retry.
  for (let attempt = 0; ; attempt++) {
    await explorerRow(page, 'plates').click({ button: 'right' });
    const item = page.locator('.monaco-menu .action-item', { hasText: 'New Study from Plates…' }).first();
    await item.hover({ timeout: 15000 });
    await page.keyboard.press('Enter');
    try {
      await page.locator('.quick-input-widget .quick-input-list').first().waitFor({ state: 'visible', timeout: 10000 });
      break;
    } catch (e) {
      if (attempt >= 2) throw e;
      await page.keyboard.press('Escape');
    }
  }
  await pick(page, 'clinical.csv');
  await pick(page, 'No sample sheet');
  await page.locator('.tabs-container .tab.active[data-resource-name="study.qstudy"]').first().waitFor({ timeout: 60000 });
  const file = path.join(workspace, 'study.qstudy');
  assert(fs.existsSync(file), 'study.qstudy was not written');
  const text = fs.readFileSync(file, 'utf8');
  for (const line of [/^plates "plates\/\*\.csv" format cfx/m, /^samples "\{patient\}-\{timepoint\}"/m, /^clinical "clinical.csv" key patient/m, /^reference miR-16/m, /^fold: foldchange miR-221 by timepoint$/m]) {
    assert(line.test(text), `study.qstudy lacks ${line}:\n${text}`);
  }
  log('the context menu on plates/ wrote and opened study.qstudy');
  return text;
}

async function runsInEditor(page) {
  await runCommand(page, 'qPCR: Run Study');
  const found = await findInFrames(page, 'section.result[data-name="fold"]', 120000);
  assert(found, 'the results panel has no fold section');
  log('Run Study shows the fold-change section');
}

/** The written study and the example's, both run by the compiled engine: the same dCq per sample and target. */
async function sameExpression(text, workspace) {
  const require = createRequire(import.meta.url);
  const { runStudy } = require(path.join(repo, 'out', 'src', 'engine', 'study', 'runner.js'));
  const { nodeStudyIO } = require(path.join(repo, 'out', 'src', 'cli', 'nodeIO.js'));
  const fold = async (t, p, name) => (await runStudy(t, p, nodeStudyIO())).report.results.find((r) => r.name === name);
  const example = path.join(repo, 'examples', EXAMPLE, 'study.qstudy');
  const expected = await fold(`${fs.readFileSync(example, 'utf8')}\nzz_fold: foldchange miR-221\n`, example, 'zz_fold');
  const actual = await fold(text, path.join(workspace, 'study.qstudy'), 'fold');
  const dcq = new Map(actual.samples.map((s) => [`${s.sample}|${s.target}`, s.dcq]));
  assert(expected.samples.length > 0 && actual.samples.length === expected.samples.length, `${actual.samples.length} vs ${expected.samples.length} rows`);
  for (const s of expected.samples) assert(Math.abs(dcq.get(`${s.sample}|${s.target}`) - s.dcq) <= 1e-9, `dCq of ${s.sample}`);
  log(`the written study gives the example's dCq (${expected.samples.length} rows)`);
}

await e2eSession('newStudy', log, {
  prepare(workspace) {
    fs.cpSync(path.join(repo, 'examples', EXAMPLE), workspace, { recursive: true });
    fs.rmSync(path.join(workspace, 'study.qstudy'));
  },
  start: { waitForExplorerRow: 'plates', required: ['dist/extension.js', 'dist/features.js', 'dist/webview/results.js'] },
  async body(vs, { workspace }) {
    await paletteAsks(vs.page);
    const text = await fromContextMenu(vs.page, workspace);
    await runsInEditor(vs.page);
    await sameExpression(text, workspace);
    assertNoCspErrors(vs.consoleErrors);
    log('PASS');
  },
});
