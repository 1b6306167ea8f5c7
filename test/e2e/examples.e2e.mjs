#!/usr/bin/env node
/**
 * Every example, opened and run in a real VS Code (code-server) with the built extension: the results panel shows
 * the same analyses, in the same order, with the same n and the same failures as the CLI's report.json for that
 * example (test/fixtures/report-baseline, which the unit tests pin to the CLI's output). The editor and the CLI must
 * agree; an example added to examples/ is picked up here without a list to keep in step.
 *
 *   node esbuild.mjs && node test/e2e/examples.e2e.mjs
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { unzipSync } from 'fflate';
import { assertNoCspErrors, findInFrames, logger, repo, runCommand, e2eSession, quickOpen } from './lib/vscodeWeb.mjs';

const log = logger('examples');
const EXAMPLES = fs.readdirSync(path.join(repo, 'examples'), { withFileTypes: true })
  .filter((d) => d.isDirectory() && fs.existsSync(path.join(repo, 'examples', d.name, 'study.qstudy'))).map((d) => d.name).sort();

function assert(cond, message) {
  if (!cond) throw new Error(message);
}

/** What the CLI reported for an example: each result's name, n and whether it failed. */
function cliResults(name) {
  const report = JSON.parse(fs.readFileSync(path.join(repo, 'test', 'fixtures', 'report-baseline', `${name}.report.json`), 'utf8'));
  return report.results.map((r) => ({ name: r.name, n: r.n, error: typeof r.error === 'string' }));
}

/** The example whose panel exports are checked (every model kind: Table 1, logistic, Cox, ROC …). */
const EXPORTS_EXAMPLE = 'crc-liver-mets-capecitabine';

/**
 * The results panel's document buttons (the registry's Excel, Word, R script, RDML): each opens VS Code's save dialog
 * with `study-<file>` proposed beside the study; Enter writes it. Checks each file is what it claims to be, and that
 * the Word document carries the webview's PNG renderings of the charts (not the blank frames the CLI writes).
 */
async function panelExports(page, frame, dir) {
  const wanted = [
    ['Excel', 'study-report.xlsx', (b) => Boolean(unzipSync(b)['xl/workbook.xml'])],
    ['Word', 'study-report.docx', (b) => {
      const z = unzipSync(b);
      const pngs = Object.entries(z).filter(([f]) => /^word\/media\/.*\.png$/.test(f));
      return Boolean(z['word/document.xml']) && pngs.length > 3 && pngs.every(([, p]) => p.length > 4000);
    }],
    ['R script', 'study-analysis.R', (b) => new TextDecoder().decode(b).includes('library(survival)') && fs.existsSync(path.join(dir, 'study-analysis-data.csv'))],
    ['RDML', 'study-report.rdml', (b) => Boolean(unzipSync(b)['rdml_data.xml'])],
  ];
  const labels = await frame.$$eval('vscode-button', (els) => els.map((e) => (e.textContent ?? '').trim()));
  for (const [label, file, ok] of wanted) {
    const at = labels.indexOf(label);
    assert(at >= 0, `no "${label}" button in the results panel (buttons: ${labels.slice(0, 20).join(', ')})`);
    await frame.locator('vscode-button').nth(at).click();
    const input = page.locator('.quick-input-widget input');
    await input.waitFor({ state: 'visible', timeout: 30000 });
    await page.waitForFunction(([el, f]) => el.value.endsWith(f), [await input.elementHandle(), file], { timeout: 15000 });
    await page.keyboard.press('Enter');
    const target = path.join(dir, file);
    for (const end = Date.now() + 60000; !fs.existsSync(target) && Date.now() < end;) await page.waitForTimeout(300);
    await page.waitForTimeout(500); // the write completes
    assert(fs.existsSync(target), `${label}: ${file} was not written`);
    assert(ok(new Uint8Array(fs.readFileSync(target))), `${label}: ${file} is not the expected document`);
    log(`panel export ${label}: ${file} (${fs.statSync(target).size} bytes)`);
  }
}

async function checkExample(page, name, workspace) {
  const want = cliResults(name);
  await quickOpen(page, `${name}/study.qstudy`, name); // every example's study has the same file name
  await runCommand(page, 'qPCR: Run Study');
  const found = await findInFrames(page, 'section.result', 180000);
  assert(found, `${name}: no results panel`);
  await found.frame.waitForFunction((k) => document.querySelectorAll('section.result').length === k, want.length, { timeout: 120000 });
  const got = await found.frame.$$eval('section.result', (els) => els.map((e) => ({
    name: e.getAttribute('data-name'), head: (e.querySelector('h2, h3')?.parentElement?.textContent ?? e.textContent ?? '').slice(0, 400),
    error: e.querySelector('.error-box') !== null,
  })));
  for (let i = 0; i < want.length; i++) {
    assert(got[i].name === want[i].name, `${name}: section ${i + 1} is ${got[i].name}, the CLI has ${want[i].name}`);
    if (!want[i].error) assert(got[i].head.includes(`n = ${want[i].n}`), `${name}/${want[i].name}: the panel does not show n = ${want[i].n}: ${got[i].head.slice(0, 160)}`);
    assert(got[i].error === want[i].error, `${name}/${want[i].name}: ${want[i].error ? 'the CLI failed, the panel did not' : 'the panel shows an error the CLI did not have'}`);
  }
  log(`${name}: ${want.length} analyses, names, order, n and failures as the CLI`);
  if (name === EXPORTS_EXAMPLE) await panelExports(page, found.frame, path.join(workspace, name));
  await runCommand(page, 'View: Close All Editors');
}

assert(EXAMPLES.length >= 6, `only ${EXAMPLES.length} examples found`);
assert(EXAMPLES.includes(EXPORTS_EXAMPLE), `no ${EXPORTS_EXAMPLE} example`);
await e2eSession('examples', log, {
  prepare: (workspace) => fs.cpSync(path.join(repo, 'examples'), workspace, { recursive: true }),
  start: { waitForExplorerRow: EXAMPLES[0], required: ['dist/extension.js', 'dist/features.js', 'dist/webview/results.js'] },
  async body(vs, { workspace }) {
    for (const name of EXAMPLES) await checkExample(vs.page, name, workspace);
    assertNoCspErrors(vs.consoleErrors);
    log('PASS');
  },
});
