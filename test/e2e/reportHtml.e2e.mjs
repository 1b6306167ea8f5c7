#!/usr/bin/env node
/**
 * Visual check of report.html: renders test/fixtures/report/sample-report.json (every result kind, real engine
 * output) with renderReportHtml and dist/webview/results.{js,css}, opens it in headless Chromium (file://, strict
 * CSP with hashes), screenshots it in light and dark (results-light.png, results-dark.png; into media/screenshots
 * with QPCR_E2E_SCREENSHOTS=1) and
 * exits non-zero if a section has an empty canvas or an empty table, on CSP violations or page errors, or if the
 * XSS fixture (names like `<img src=x onerror=alert(1)>`) runs script or creates elements.
 *   node esbuild.mjs --production && node test/e2e/reportHtml.e2e.mjs [--out DIR]
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import * as esbuild from 'esbuild';
import { chromium } from 'playwright-core';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const outArg = process.argv.indexOf('--out');
const outDir = outArg > 0 ? path.resolve(process.argv[outArg + 1]) : fs.mkdtempSync(path.join(os.tmpdir(), 'qpcr-report-'));
fs.mkdirSync(outDir, { recursive: true });
// The README's pictures are refreshed only with QPCR_E2E_SCREENSHOTS=1 (a test run leaves the tree clean).
const shots = process.env.QPCR_E2E_SCREENSHOTS === '1' ? path.join(repo, 'media', 'screenshots') : path.join(repo, 'test', 'e2e', 'screenshots-tmp');
fs.mkdirSync(shots, { recursive: true });

// renderReportHtml straight from the TypeScript source (bundled in memory)
const built = await esbuild.build({ entryPoints: [path.join(repo, 'src/engine/report/html.ts')], bundle: true, platform: 'node', format: 'esm', write: false, logLevel: 'error' });
const { renderReportHtml } = await import(`data:text/javascript;base64,${Buffer.from(built.outputFiles[0].text).toString('base64')}`);
const script = fs.readFileSync(path.join(repo, 'dist/webview/results.js'), 'utf8');
const css = fs.readFileSync(path.join(repo, 'dist/webview/results.css'), 'utf8');

function write(name, fixture) {
  const report = JSON.parse(fs.readFileSync(path.join(repo, 'test/fixtures/report', fixture), 'utf8'));
  const f = path.join(outDir, name);
  fs.writeFileSync(f, renderReportHtml(report, { script, css }));
  return { file: f, report };
}

const sample = write('report.html', 'sample-report.json');
const xss = write('xss.html', 'xss-report.json');

const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'qpcr-chromium-'));
const context = await chromium.launchPersistentContext(userDataDir, {
  executablePath: '/usr/bin/chromium', headless: true, viewport: { width: 1280, height: 900 }, deviceScaleFactor: 1,
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
const failures = [];
const fail = (m) => { failures.push(m); console.error(`FAIL ${m}`); };

async function open(file, colorScheme) {
  const page = await context.newPage();
  await page.emulateMedia({ colorScheme });
  page.on('console', (m) => { if (m.type() === 'error') fail(`${path.basename(file)} console error: ${m.text()}`); });
  page.on('pageerror', (e) => fail(`${path.basename(file)} page error: ${e.message}`));
  page.on('dialog', (d) => { fail(`${path.basename(file)}: a dialog opened (${d.message()}): script injection`); void d.dismiss(); });
  page.on('request', (r) => { if (!r.url().startsWith('file:') && !r.url().startsWith('data:') && !r.url().startsWith('blob:')) fail(`network request ${r.url()}`); });
  await page.goto(pathToFileURL(file).href);
  await page.waitForSelector('section.result');
  await page.waitForTimeout(800);
  return page;
}

/** Per section: canvases with drawn pixels (more than the background) and tables with rows. */
async function checkSections(page, label) {
  const res = await page.evaluate(() => [...document.querySelectorAll('section.result')].map((s) => {
    const canvases = [...s.querySelectorAll('canvas')].map((c) => {
      const ctx = c.getContext('2d');
      if (!c.width || !c.height) return 0;
      const d = ctx.getImageData(0, 0, c.width, c.height).data;
      const bg = [d[0], d[1], d[2]];
      let differ = 0;
      for (let i = 0; i < d.length; i += 4 * 7) if (Math.abs(d[i] - bg[0]) + Math.abs(d[i + 1] - bg[1]) + Math.abs(d[i + 2] - bg[2]) > 40) differ++;
      return differ;
    });
    const tables = [...s.querySelectorAll('table.data')].map((t) => t.querySelectorAll('tbody tr').length);
    return { name: s.dataset.name, kind: s.dataset.kind, canvases, tables, error: !!s.querySelector('.error-box') };
  }));
  for (const s of res) {
    if (s.error) continue;
    if (s.canvases.some((n) => n < 50)) fail(`${label}: ${s.name} (${s.kind}) has an empty canvas (${s.canvases.join(', ')} drawn samples)`);
    if (!s.tables.length || s.tables.some((n) => n === 0)) fail(`${label}: ${s.name} (${s.kind}) has an empty or no table (${s.tables.join(', ')})`);
    const needsChart = !['describe', 'hosmer-lemeshow'].includes(s.kind);
    if (needsChart && !s.canvases.length) fail(`${label}: ${s.name} (${s.kind}) has no chart`);
  }
  console.log(`${label}: ${res.length} sections; ${res.reduce((a, s) => a + s.canvases.length, 0)} charts; ${res.reduce((a, s) => a + s.tables.length, 0)} tables`);
  return res;
}

// sample report, light and dark
for (const scheme of ['light', 'dark']) {
  const page = await open(sample.file, scheme);
  const sections = await checkSections(page, `sample/${scheme}`);
  if (sections.length !== sample.report.results.length) fail(`sample/${scheme}: ${sections.length} sections for ${sample.report.results.length} results`);
  const theme = await page.evaluate(() => document.body.dataset.theme);
  if (theme !== scheme) fail(`sample/${scheme}: body theme is ${theme}`);
  if (scheme === 'light') {
    // nomogram calculator: change an input, the total and probability follow (and stay consistent)
    const before = await page.locator('[data-probability]').first().getAttribute('data-probability');
    const field = page.locator('section.kind-nomogram vscode-textfield').first();
    await field.evaluate((el) => { el.value = '2'; el.dispatchEvent(new Event('input', { bubbles: true })); });
    await page.waitForTimeout(200);
    const after = await page.locator('[data-probability]').first().getAttribute('data-probability');
    if (!before || !after || before === after) fail(`nomogram calculator did not update (${before} -> ${after})`);
    // correlate: selecting a row re-plots
    const sec = page.locator('section.kind-correlate').first();
    await sec.locator('tbody tr').nth(3).click();
    await page.waitForTimeout(200);
    const sel = await page.locator('section.kind-correlate').first().locator('tr.selected td').first().textContent();
    const title = await page.locator('section.kind-correlate').first().locator('.chart-title').first().textContent();
    if (!sel || !title?.startsWith(sel.replace(' *', ''))) fail(`correlate selection: row "${sel}" but chart "${title}"`);
    // theme toggle re-colours without errors
    await page.locator('vscode-button', { hasText: 'Light / dark' }).click();
    await page.waitForTimeout(300);
    if (await page.evaluate(() => document.body.dataset.theme) !== 'dark') fail('theme toggle did not switch to dark');
    await page.locator('vscode-button', { hasText: 'Light / dark' }).click();
    await page.waitForTimeout(300);
    // an SVG export is a real vector document
    const [dl] = await Promise.all([page.waitForEvent('download'), page.locator('section.kind-km vscode-button', { hasText: 'SVG' }).first().click()]);
    const svgFile = path.join(outDir, dl.suggestedFilename());
    await dl.saveAs(svgFile);
    const svgText = fs.readFileSync(svgFile, 'utf8');
    if (!svgText.startsWith('<svg') || !svgText.includes('<path') || svgText.includes('<image')) fail('KM SVG export is not a vector SVG');
  }
  await page.evaluate(() => { window.scrollTo(0, 0); document.querySelectorAll('.status').forEach((e) => { e.hidden = true; }); });
  // the committed screenshots: the top of the report (header, methods, first sections); full pages and every
  // section go to the output folder for review
  await page.screenshot({ path: path.join(shots, `results-${scheme}.png`), clip: { x: 0, y: 0, width: 1280, height: 2200 }, fullPage: true });
  await page.screenshot({ path: path.join(outDir, `full-${scheme}.png`), fullPage: true });
  const n = await page.locator('section.result').count();
  for (let i = 0; i < n; i++) {
    const el = page.locator('section.result').nth(i);
    await el.screenshot({ path: path.join(outDir, `section-${scheme}-${String(i).padStart(2, '0')}-${await el.getAttribute('data-kind')}.png`) });
  }
  await page.close();
}

// XSS fixture: names render as text, nothing runs
{
  const page = await open(xss.file, 'light');
  const probe = await page.evaluate(() => ({
    imgs: document.querySelectorAll('img').length,
    scripts: document.querySelectorAll('script').length,
    h1: document.querySelector('h1')?.textContent,
    text: document.body.innerText,
  }));
  if (probe.imgs) fail(`xss: ${probe.imgs} <img> elements created`);
  if (probe.scripts !== 2) fail(`xss: ${probe.scripts} script elements (expected the data and the bundle)`);
  if (!probe.h1?.includes('<img src=x onerror=alert(1)>')) fail(`xss: the study name is not shown as text: ${probe.h1}`);
  if (!probe.text.includes('<img src=x onerror=alert(1)> failed')) fail('xss: the error text is not shown');
  await checkSections(page, 'xss');
  await page.close();
}

await context.close();
fs.rmSync(userDataDir, { recursive: true, force: true });
console.log(`report.html in ${outDir}; screenshots in ${shots}`);
if (failures.length) { console.error(`${failures.length} failure(s)`); process.exit(1); }
console.log('ok');
