// Renders media/icon.svg to media/icon.png (128×128) with Chromium (playwright-core): `node scripts/render-icon.mjs`.
// CHROMIUM=/path/to/chromium overrides the browser (default /usr/bin/chromium).
import { chromium } from 'playwright-core';
import { readFile, writeFile } from 'node:fs/promises';

const svg = await readFile(new URL('../media/icon.svg', import.meta.url), 'utf8');
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium' });
try {
  const page = await browser.newPage({ viewport: { width: 128, height: 128 }, deviceScaleFactor: 1 });
  await page.setContent(`<html><body style="margin:0;background:transparent">${svg}</body></html>`);
  const png = await page.locator('svg').screenshot({ omitBackground: true });
  await writeFile(new URL('../media/icon.png', import.meta.url), png);
} finally {
  await browser.close();
}
