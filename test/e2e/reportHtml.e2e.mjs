#!/usr/bin/env node
/**
 * Visual check of report.html: renders test/fixtures/report/sample-report.json (every result kind, real engine
 * output) with renderReportHtml and dist/webview/results.{js,css}, opens it in headless Chromium (file://, strict
 * CSP with hashes), screenshots it in light and dark (results-light.png, results-dark.png; into media/screenshots
 * with QPCR_E2E_SCREENSHOTS=1) and
 * exits non-zero if a section has an empty canvas or an empty table, on CSP violations or page errors, or if the
 * XSS fixture (names like `<img src=x onerror=alert(1)>`) runs script or creates elements. Layout checks (issue 15),
 * at a 1300-px window in light and dark: a table wider than its column (a scroll box hiding columns), text
 * overflowing its cell or box, a canvas drawn up to its bottom edge (a clipped numbers-at-risk row), and, on the
 * SVG of every chart (same spec and scales as the canvas), a marker cut by the plot area or text outside the figure.
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

// the chart specs and the SVG serialiser, for the geometry checks below
const chartsBuilt = await esbuild.build({
  stdin: { contents: "export { chartsFor } from './src/shared/charts/specs'; export { chartToSvg } from './src/shared/charts/svg'; export { OKABE_ITO_LIGHT, OKABE_ITO_DARK } from './src/shared/charts/chartSpec';", resolveDir: repo, loader: 'ts' },
  bundle: true, platform: 'node', format: 'esm', write: false, logLevel: 'error',
});
const charts = await import(`data:text/javascript;base64,${Buffer.from(chartsBuilt.outputFiles[0].text).toString('base64')}`);
const xss = write('xss.html', 'xss-report.json');

/** The window width of the layout checks (issue 15: the logistic table's CI column was cut at 1300 px). */
const WIDTH = 1300;
const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'qpcr-chromium-'));
const context = await chromium.launchPersistentContext(userDataDir, {
  executablePath: '/usr/bin/chromium', headless: true, viewport: { width: WIDTH, height: 900 }, deviceScaleFactor: 1,
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

/**
 * Boxes that hide part of their content: a table scroll box narrower than its table (a column hidden), a table cell,
 * heading, chart title or note whose text is wider than its box; and canvases drawn up to their bottom edge.
 */
async function checkLayout(page, label) {
  const res = await page.evaluate(() => {
    const name = (el) => `${el.closest('section.result')?.dataset.name ?? 'header'}: ${el.tagName.toLowerCase()}.${[...el.classList].join('.')} "${(el.textContent ?? '').trim().slice(0, 40)}"`;
    const over = (el) => el.scrollWidth > el.clientWidth + 1;
    const tables = [...document.querySelectorAll('.table-scroll')].filter(over).map((el) => `${name(el)} is ${el.scrollWidth} px wide in a ${el.clientWidth} px column`);
    const texts = [...document.querySelectorAll('table.data th, table.data td, .chart-title, .block-head h4, h1, h2, .note, pre.title, dl.methods dd, .meta')]
      .filter((el) => el.clientWidth > 0 && over(el)).map((el) => `${name(el)} overflows its box (${el.scrollWidth} > ${el.clientWidth} px)`);
    const canvases = [...document.querySelectorAll('section.result canvas')].flatMap((c) => {
      const ctx = c.getContext('2d');
      if (!c.width || !c.height) return [];
      const d = ctx.getImageData(0, 0, c.width, c.height).data;
      const bg = [d[0], d[1], d[2]];
      const rows = Math.max(2, Math.round(c.height / c.clientHeight * 2));
      let drawn = 0;
      for (let i = (c.height - rows) * c.width * 4; i < d.length; i += 4) if (Math.abs(d[i] - bg[0]) + Math.abs(d[i + 1] - bg[1]) + Math.abs(d[i + 2] - bg[2]) > 40) drawn++;
      return drawn ? [`${name(c.closest('figure') ?? c)}: drawn up to the bottom edge of the canvas (${drawn} pixels in the last ${rows} rows: clipped)`] : [];
    });
    return [...tables, ...texts, ...canvases];
  });
  for (const m of res) fail(`${label}: ${m}`);
}

/**
 * The SVG of every chart of every result (and every correlate row): each marker (circle, square, diamond) lies
 * inside its clip rectangle, and each text inside the figure, so nothing is cut off.
 */
function checkSvgGeometry(report, scheme) {
  const t = { fg: '#000000', muted: '#666666', grid: '#dddddd', bg: '#ffffff', palette: scheme === 'dark' ? charts.OKABE_ITO_DARK : charts.OKABE_ITO_LIGHT, font: 'sans-serif', lineScale: 1 };
  let n = 0;
  for (const r of report.results) {
    if (r.error) continue;
    const opts = r.kind === 'correlate' ? r.rows.map((x) => ({ selectedRow: x.variable })) : [{ showCi: true }];
    for (const o of opts) {
      for (const spec of charts.chartsFor(r, o)) {
        n++;
        const svg = charts.chartToSvg(spec, t);
        const clips = new Map([...svg.matchAll(/<clipPath id="([^"]+)"><rect x="([-\d.]+)" y="([-\d.]+)" width="([\d.]+)" height="([\d.]+)"\/>/g)]
          .map((m) => [m[1], { x0: +m[2], y0: +m[3], x1: +m[2] + +m[4], y1: +m[3] + +m[5] }]));
        const bad = [];
        for (const g of svg.matchAll(/<g clip-path="url\(#([^)]+)\)">(.*?)<\/g>/g)) {
          const c = clips.get(g[1]);
          const boxes = [
            ...[...g[2].matchAll(/<circle cx="([-\d.]+)" cy="([-\d.]+)" r="([\d.]+)"/g)].map((m) => [+m[1] - +m[3], +m[2] - +m[3], +m[1] + +m[3], +m[2] + +m[3]]),
            ...[...g[2].matchAll(/<rect x="([-\d.]+)" y="([-\d.]+)" width="([\d.]+)" height="([\d.]+)" fill="[^"]+"\/>/g)].map((m) => [+m[1], +m[2], +m[1] + +m[3], +m[2] + +m[4]]),
          ];
          for (const [x0, y0, x1, y1] of boxes) {
            const inside = x0 >= c.x0 - 0.01 && x1 <= c.x1 + 0.01 && y0 >= c.y0 - 0.01 && y1 <= c.y1 + 0.01;
            const outside = x1 < c.x0 || x0 > c.x1 || y1 < c.y0 || y0 > c.y1;
            if (!inside && !outside) bad.push(`marker at (${x0.toFixed(1)}, ${y0.toFixed(1)}) cut by the plot area`);
          }
        }
        for (const m of svg.matchAll(/<text x="([-\d.]+)" y="([-\d.]+)"[^>]*>/g)) {
          if (+m[2] > spec.height - 2 || +m[2] < 8 || +m[1] < 0 || +m[1] > spec.width) bad.push(`text at (${m[1]}, ${m[2]}) outside the ${spec.width}×${spec.height} figure`);
        }
        if (bad.length) fail(`svg/${scheme}: ${r.name}/${spec.id}: ${bad.length} problem(s), e.g. ${bad.slice(0, 3).join('; ')}`);
      }
    }
  }
  console.log(`svg/${scheme}: ${n} charts checked for clipped markers and text outside the figure`);
}

// sample report, light and dark
for (const scheme of ['light', 'dark']) {
  const page = await open(sample.file, scheme);
  const sections = await checkSections(page, `sample/${scheme}`);
  await checkLayout(page, `sample/${scheme} at ${WIDTH} px`);
  checkSvgGeometry(sample.report, scheme);
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
  await page.screenshot({ path: path.join(shots, `results-${scheme}.png`), clip: { x: 0, y: 0, width: WIDTH, height: 2200 }, fullPage: true });
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
// The rendered report and its downloads stay for a look when asked for (--out) or when a check failed; a passing run
// without --out leaves nothing in the temp dir.
if (outArg < 0 && !failures.length) {
  fs.rmSync(outDir, { recursive: true, force: true });
  console.log(`screenshots in ${shots}`);
} else console.log(`report.html in ${outDir}; screenshots in ${shots}`);
if (failures.length) { console.error(`${failures.length} failure(s)`); process.exit(1); }
console.log('ok');
