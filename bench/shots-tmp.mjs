import { chromium } from 'playwright-core';
const [file, out, ...names] = process.argv.slice(2);
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
const pg = await browser.newPage({ viewport: { width: 1300, height: 900 } });
await pg.goto('file://' + file); await pg.waitForTimeout(2500);
for (const n of names) {
  const el = await pg.$(`section.result[data-name="${n}"]`);
  if (!el) { console.log('no section', n); continue; }
  await el.screenshot({ path: `${out}-${n}.png` });
}
await browser.close();
