#!/usr/bin/env node
/**
 * Issue 18's editor additions in a real VS Code (code-server) with the built extension, on the real CFX example:
 * the plate status bar item ("cfx · N wells · K QC", click → Problems panel), the walkthrough (5 steps, a link runs its
 * command, images load from the .vsix), the "▶ Run analysis" CodeLens (the
 * results panel shows only that analysis), the walkthrough's commands ("qPCR: Run Study", "qPCR: Show Methods" →
 * an untitled markdown editor with the methods).
 *
 *   node esbuild.mjs && node test/e2e/hostFeatures.e2e.mjs
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { assertNoCspErrors, findInFrames, logger, repo, runCommand, e2eSession, quickOpen } from './lib/vscodeWeb.mjs';

const log = logger('hostFeatures');
const PLATE = 'CFX_sample.txt';
/** The example's labelled analyses, in order (every analysis line of it is labelled; read, not listed here). */
const ANALYSES = [...fs.readFileSync(path.join(repo, 'examples', 'real-cfx-reference-genes', 'study.qstudy'), 'utf8')
  .matchAll(/^([A-Za-z_][\w]*):/gm)].map((m) => m[1]);

function assert(cond, message) {
  if (!cond) throw new Error(message);
}

async function statusBar(page) {
  await quickOpen(page, PLATE);
  const item = page.locator('.statusbar-item', { hasText: 'wells' }).first();
  await item.waitFor({ timeout: 90000 });
  const text = (await item.innerText()).replace(/\s+/g, ' ').trim();
  assert(/cfx · \d+ wells · \d+ QC/.test(text), `status bar: ${text}`);
  log('status bar:', text);
  await item.click();
  await page.locator('.markers-panel').first().waitFor({ timeout: 15000 });
  await quickOpen(page, 'samplesheet.csv');
  await item.waitFor({ state: 'hidden', timeout: 15000 });
  log('the item opens the Problems panel and hides on a non-plate csv');
}

/** The result sections of the results panel once it shows `n` of them. */
async function resultSections(page, n) {
  const found = await findInFrames(page, 'section.result', 120000);
  assert(found, 'no results panel');
  await found.frame.waitForFunction((k) => document.querySelectorAll('section.result').length === k, n, { timeout: 60000 });
  return found.frame.$$eval('section.result', (els) => els.map((e) => e.getAttribute('data-name')));
}

async function codeLensAndMethods(page) {
  await quickOpen(page, 'study.qstudy');
  const lens = page.locator('.contentWidgets .codelens-decoration a', { hasText: 'Run analysis' });
  await lens.nth(ANALYSES.length - 1).waitFor({ timeout: 60000 });
  assert(await lens.count() === ANALYSES.length, `${await lens.count()} CodeLenses`);
  await lens.nth(1).click();
  const names = await resultSections(page, 1);
  assert(JSON.stringify(names) === JSON.stringify(['sites']), `sections after Run analysis: ${names.join(', ')}`);
  log('Run analysis shows only its section');
  await quickOpen(page, 'study.qstudy');
  await runCommand(page, 'qPCR: Run Study');
  const all = await resultSections(page, ANALYSES.length);
  assert(JSON.stringify(all) === JSON.stringify(ANALYSES), `sections after Run Study: ${all.join(', ')}`);
  await runCommand(page, 'qPCR: Show Methods');
  const editor = page.locator('.editor-group-container.active .monaco-editor .view-lines').first();
  await page.locator('.tabs-container .tab.active', { hasText: 'Untitled' }).waitFor({ timeout: 20000 });
  let text = '';
  for (let end = Date.now() + 20000; !text.includes('# Methods: Reference-gene stability') && Date.now() < end; await page.waitForTimeout(500)) {
    text = (await editor.innerText()).replace(/\u00a0/g, ' ');
  }
  // The methods paragraph comes first (the summary lines follow, below the visible part of the editor).
  assert(/Cq values of 330 wells were read/.test(text) && /reference gene\s+PYY/.test(text), `methods editor: ${text.slice(0, 300)}`);
  log('Show Methods opens the methods as markdown');
}

/** The walkthrough opens, shows its steps with their images, and a step's command link runs the command. */
async function walkthrough(page) {
  await runCommand(page, 'View: Hide Panel');
  await page.locator('.markers-panel').first().waitFor({ state: 'hidden', timeout: 10000 });
  await runCommand(page, 'Welcome: Open Walkthrough...');
  const input = page.locator('.quick-input-widget input');
  await input.fill('qPCR');
  await page.locator('.quick-input-list .monaco-list-row', { hasText: 'Get started with qPCR Studio' }).first().click({ timeout: 15000 });
  const steps = page.locator('.gettingStartedContainer .getting-started-step');
  await steps.first().waitFor({ timeout: 20000 });
  const titles = await page.locator('.gettingStartedContainer .getting-started-step .step-title').allInnerTexts();
  assert(titles.length === 5 && titles[3] === 'Run it', `walkthrough steps: ${titles.join(' | ')}`);
  await steps.nth(1).click();
  const img = page.locator('.gettingStartedContainer .getting-started-media img').first();
  await img.waitFor({ timeout: 15000 });
  // The development copy of the extension leaves the screenshots out (lib/vscodeWeb.mjs); the packaged .vsix has them.
  if (process.env.QPCR_E2E_VSIX) await page.waitForFunction((el) => el.complete && el.naturalWidth > 0, await img.elementHandle(), { timeout: 15000 });
  await page.locator('.gettingStartedContainer .getting-started-step.expanded a, .gettingStartedContainer .getting-started-step.expanded .button-link', { hasText: 'Open the Problems panel' }).first().click();
  await page.locator('.markers-panel').first().waitFor({ state: 'visible', timeout: 15000 });
  log(`walkthrough: 5 steps${process.env.QPCR_E2E_VSIX ? ', images load' : ''}, a step's link runs its command`);
}

await e2eSession('hostFeatures', log, {
  prepare: (workspace) => fs.cpSync(path.join(repo, 'examples', 'real-cfx-reference-genes'), workspace, { recursive: true }),
  start: { waitForExplorerRow: 'study.qstudy', required: ['dist/extension.js', 'dist/features.js', 'dist/webview/results.js'] },
  async body(vs) {
    // The study first: it activates the extension (activation is inferred; a csv alone does not activate it).
    await codeLensAndMethods(vs.page);
    await statusBar(vs.page);
    await walkthrough(vs.page);
    assertNoCspErrors(vs.consoleErrors);
    log('PASS');
  },
  onFailure(vs, tmp) {
    if (vs) console.error(vs.serverLog().split('\n').slice(-30).join('\n'));
    for (const f of fs.readdirSync(path.join(tmp, 'user', 'logs'), { recursive: true }).filter((x) => /exthost\.log$|qPCR/.test(String(x)))) {
      console.error(`--- ${f}\n${fs.readFileSync(path.join(tmp, 'user', 'logs', String(f)), 'utf8').split('\n').slice(-20).join('\n')}`);
    }
  },
});
