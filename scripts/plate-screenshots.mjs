#!/usr/bin/env node
/**
 * Screenshots of the plate editor's standard curves and replicate outliers, from real fixtures, without VS Code:
 * builds the host's pure state code (src/host/plateAnalysis.ts + plateEditor/plateView.ts) with esbuild, computes the
 * `plate/state` the extension would send, serves dist/webview/plate.js under the extension's CSP with a fake
 * `acquireVsCodeApi`, and checks what is drawn before writing:
 *   media/screenshots/plate-standards.png  (CFX_sample.txt: three curves, two out of range)
 *   media/screenshots/plate-outliers.png   (LightCycler_sample.txt, qpcr.outliers.method = grubbs)
 *   media/screenshots/plate-curves.png     (own_mix_a.rdml: amplification and melt curves, a well selected by a curve)
 * Run: node esbuild.mjs && node scripts/plate-screenshots.mjs
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';
import { chromium } from 'playwright-core';
import { servePlateWebview } from '../test/e2e/lib/plateHarness.mjs';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const shots = path.join(repo, 'media', 'screenshots');

/** The host's pure state builders, bundled to a temporary CommonJS file. */
async function hostModule() {
  const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'plate-shots-')), 'host.cjs');
  await esbuild.build({
    stdin: {
      contents: "export * from './src/host/plateAnalysis'; export { toPlateState, toCurvesView } from './src/host/plateEditor/plateView'; export { decodePlateState } from './src/shared/plateWells';",
      resolveDir: repo, loader: 'ts',
    },
    bundle: true, platform: 'node', format: 'cjs', target: 'node20', outfile: out, logLevel: 'warning',
  });
  return createRequire(import.meta.url)(out);
}

const QC = { maxCq: 35, replicateSd: 0.5, ntcMinCq: 35, minReplicates: 2, referenceTargets: [] };

function stateFor(host, rel, outliers) {
  const file = path.join(repo, rel);
  const text = rel.endsWith('.rdml') ? new Uint8Array(fs.readFileSync(file)) : fs.readFileSync(file, 'utf8');
  const r = host.analysePlate(text, file, QC, { outliers });
  if (!r.plate) throw new Error(`${rel} did not import`);
  return {
    analysis: r,
    state: host.toPlateState(r.plate, r.diagnostics, {
      fileName: path.basename(file), version: 1, readonly: rel.endsWith('.rdml'), qc: { replicateSd: QC.replicateSd, maxCq: QC.maxCq },
      standardCurves: host.standardCurveViews(r.plate, r.standardCurves),
      outliers: host.outlierView(r.outlierSettings, r.outliers),
    }),
  };
}

function check(cond, message) {
  if (!cond) throw new Error(message);
}

async function shoot(browser, { state, viewState, name, verify, curves, clip }) {
  const server = await servePlateWebview(state, viewState, 'plate-screenshots', curves);
  const problems = [];
  try {
    const p = await browser.newPage({ viewport: { width: 1280, height: Math.max(1000, clip?.height ?? 0) } });
    p.on('console', (m) => { if (m.type() === 'error') problems.push(m.text()); });
    p.on('pageerror', (e) => problems.push(String(e)));
    await p.goto(`http://127.0.0.1:${server.address().port}/`);
    await p.locator('svg.plate g.well').first().waitFor({ timeout: 10000 });
    await p.waitForTimeout(400);
    await verify(p);
    if (clip) await p.evaluate(() => window.scrollTo(0, 0));
    await p.screenshot({ path: path.join(shots, name), ...(clip ? { clip } : { fullPage: true }) });
    check(problems.length === 0, `console errors:\n${problems.join('\n')}`);
    await p.close();
  } finally {
    server.close();
  }
}

async function main() {
  const host = await hostModule();
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  try {
    // 1. Standard curves: CFX sample, every target shown.
    const cfx = stateFor(host, 'test/fixtures/htqpcr/CFX_sample.txt', { method: 'none' });
    await shoot(browser, {
      name: 'plate-standards.png', state: cfx.state, viewState: { v: 1, target: '\u0000all' },
      verify: async (p) => {
        const cards = p.locator('figure.curve');
        check(await cards.count() === cfx.state.standardCurves.length, 'one card per standard curve');
        check(await p.locator('figure.curve.bad').count() === cfx.state.standardCurves.filter((c) => c.efficiencyOutOfRange || c.r2Low).length, 'flagged cards');
        const text = await cards.first().innerText();
        const c0 = cfx.analysis.standardCurves[0];
        check(text.includes(c0.efficiencyPercent.toFixed(1)) && text.includes(c0.r2.toFixed(4)), `first card shows the engine's numbers: ${text}`);
        // The canvas is drawn: count non-background pixels.
        const inked = await p.evaluate(() => {
          const c = document.querySelector('canvas.curve-plot');
          const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
          let n = 0;
          for (let i = 3; i < d.length; i += 4) if (d[i] > 0) n++;
          return n;
        });
        check(inked > 2000, `curve canvas looks empty (${inked} pixels)`);
        await p.locator('figure.curve').first().scrollIntoViewIfNeeded();
      },
    });
    // 2. Replicate outliers: LightCycler sample with Grubbs; the flagged well selected.
    const lc = stateFor(host, 'test/fixtures/htqpcr/LightCycler_sample.txt', { method: 'grubbs', alpha: 0.05 });
    const flagged = lc.state.outliers.wells[0]?.well;
    check(flagged !== undefined, 'Grubbs flags a well in the LightCycler sample');
    await shoot(browser, {
      name: 'plate-outliers.png', state: lc.state, viewState: { v: 1, target: '\u0000all', selected: flagged },
      verify: async (p) => {
        check(await p.locator('svg.plate circle.outlier-ring').count() === lc.state.outliers.wells.length, 'one ring per outlier');
        check(await p.locator('vscode-table-row.has-outlier').count() >= 1, 'replicate row marked');
        const details = await p.locator('aside.details').innerText();
        check(details.includes('replicate-outlier') && details.includes('Grubbs'), `details show the reason: ${details}`);
        await p.locator('aside.details vscode-button', { hasText: 'Omit well' }).click();
        const posted = await p.evaluate(() => window.__posted);
        check(posted.some((m) => m.type === 'plate/omitWell' && m.well === flagged && m.omit === true), 'Omit well posts plate/omitWell');
      },
    });
    // 3. Curves: a real RDML file with amplification and melt data; the curve view opened, a well selected by a curve.
    const rdml = stateFor(host, 'test/fixtures/rdml/own_mix_a.rdml', { method: 'none' });
    const curves = host.toCurvesView(rdml.analysis.plate.curves);
    check(rdml.state.curves && curves?.melt, 'own_mix_a.rdml has amplification and melt curves');
    await shoot(browser, {
      name: 'plate-curves.png', state: rdml.state, curves, viewState: { v: 1, target: '\u0000all' }, clip: { x: 0, y: 0, width: 1280, height: 1330 },
      verify: async (p) => {
        check(!(await p.evaluate(() => window.__posted)).some((m) => m.type === 'plate/curves'), 'curves are not asked for before the view is opened');
        await p.locator('.curve-view vscode-button').first().click();
        await p.locator('canvas.curve-canvas').nth(1).waitFor({ timeout: 10000 });
        await p.waitForTimeout(300);
        const box = await p.locator('canvas.curve-canvas').first().boundingBox();
        let picked = null;
        for (let y = 0.9; y > 0.05 && !picked; y -= 0.01) {
          await p.mouse.click(box.x + box.width * 0.85, box.y + box.height * y);
          picked = await p.evaluate(() => window.__state?.selected ?? null);
        }
        check(picked !== null, 'clicking a curve selects its well');
        const details = await p.locator('aside.details h2').innerText();
        check(details.includes(host.decodePlateState(rdml.state).wells[picked].position), `details show the picked well: ${details}`);
      },
    });
    console.log('[plate-screenshots] wrote media/screenshots/plate-standards.png, plate-outliers.png and plate-curves.png');
  } finally {
    await browser.close();
  }
}

main().catch((e) => { console.error('[plate-screenshots] FAIL:', e.message); process.exitCode = 1; });
