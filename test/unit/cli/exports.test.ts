/** `qpcr-studio run --xlsx` writes report.xlsx (a zip holding the workbook); every run writes methods.txt. */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { unzipSync } from 'fflate';
import { repoRoot, tempDir } from '../helpers';
import { main, type CliIO } from '../../../src/cli/main';
import { nodeStudyIO } from '../../../src/cli/nodeIO';

function io(): CliIO & { outs: string[]; errs: string[] } {
  const outs: string[] = [], errs: string[] = [];
  return { outs, errs, out: (l) => outs.push(l), err: (l) => errs.push(l), study: nodeStudyIO(), assetDir: path.join(os.tmpdir(), 'no-assets') };
}

test('run --xlsx writes report.xlsx and methods.txt (the paragraph of report.json), and says so', async () => {
  const out = tempDir('qpcr-cli-xlsx-');
  const c = io();
  const code = await main(['run', path.join(repoRoot, 'examples', 'invitro-cell-line', 'study.qstudy'), '--out', out, '--xlsx'], c);
  assert.equal(code, 0, c.errs.join('\n'));
  const report = JSON.parse(fs.readFileSync(path.join(out, 'report.json'), 'utf8'));
  assert.equal(fs.readFileSync(path.join(out, 'methods.txt'), 'utf8'), `${report.methods.paragraph}\n`);
  const files = unzipSync(fs.readFileSync(path.join(out, 'report.xlsx')));
  assert.ok(files['xl/workbook.xml'] && files['xl/worksheets/sheet2.xml']);
  for (const f of ['report.xlsx', 'methods.txt']) assert.ok(c.outs.includes(`wrote ${path.join(out, f)}`), f);
});

test('run without --xlsx writes no workbook', async () => {
  const out = tempDir('qpcr-cli-xlsx-');
  const code = await main(['run', path.join(repoRoot, 'examples', 'invitro-cell-line', 'study.qstudy'), '--out', out], io());
  assert.equal(code, 0);
  assert.ok(!fs.existsSync(path.join(out, 'report.xlsx')));
  assert.ok(fs.existsSync(path.join(out, 'methods.txt')));
});
