/** `qpcr-studio run --figures[=…]` writes DIR/figures/: each chart as SVG and PDF at each width, multi-panel figures. */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { repoRoot, tempDir } from '../helpers';
import { main, type CliIO } from '../../../src/cli/main';
import { nodeStudyIO } from '../../../src/cli/nodeIO';
import { chartsFor } from '../../../src/shared/charts/specs';
import { isErrorResult, type AnalysisResult, type Report } from '../../../src/shared/report/types';

function io(): CliIO & { outs: string[]; errs: string[] } {
  const outs: string[] = [], errs: string[] = [];
  return { outs, errs, out: (l) => outs.push(l), err: (l) => errs.push(l), study: nodeStudyIO(), assetDir: path.join(os.tmpdir(), 'no-assets') };
}

const study = (name: string) => path.join(repoRoot, 'examples', name, 'study.qstudy');

test('run --figures writes every chart at 85 and 174 mm as SVG and PDF, and says so', async () => {
  const out = tempDir('qpcr-cli-fig-');
  const c = io();
  const code = await main(['run', study('invitro-cell-line'), '--out', out, '--figures'], c);
  assert.equal(code, 0, c.errs.join('\n'));
  const report = JSON.parse(fs.readFileSync(path.join(out, 'report.json'), 'utf8')) as Report;
  const charts = report.results.filter((r): r is AnalysisResult => !isErrorResult(r)).flatMap((r) => chartsFor(r));
  assert.ok(charts.length > 0);
  const files = fs.readdirSync(path.join(out, 'figures')).sort();
  assert.equal(files.length, charts.length * 2 * 2);
  for (const f of files.filter((x) => x.endsWith('.pdf'))) assert.equal(fs.readFileSync(path.join(out, 'figures', f), 'latin1').slice(0, 8), '%PDF-1.4');
  for (const f of files.filter((x) => x.endsWith('-174mm.svg'))) assert.match(fs.readFileSync(path.join(out, 'figures', f), 'utf8'), /<svg xmlns="http:\/\/www.w3.org\/2000\/svg" width="174mm"/);
  assert.ok(c.outs.some((l) => l.startsWith(`wrote ${path.join(out, 'figures')}`) && l.includes(`(${files.length} files)`)));
});

test('run --figures=… with panels, options merged over repeated flags; a bad item or chart → exit 1 naming it', async () => {
  const out = tempDir('qpcr-cli-fig-');
  const c = io();
  const code = await main(['run', study('tace-exosomal-mirna'), '--out', out, '--figures=114,gray', '--figures=panels:km_dss+cox_multivariate/forest'], c);
  assert.equal(code, 0, c.errs.join('\n'));
  const files = fs.readdirSync(path.join(out, 'figures'));
  assert.ok(files.includes('panels-1-114mm.pdf') && files.includes('km_dss-km-114mm.svg'));
  assert.ok(files.every((f) => f.includes('-114mm.')));
  assert.doesNotMatch(fs.readFileSync(path.join(out, 'figures', 'km_dss-km-114mm.svg'), 'utf8'), /#0072B2/i, 'grayscale: no palette blue');
  for (const [arg, msg] of [['--figures=85,blue', /--figures: unknown item "blue"/], ['--figures=panels:km_dss/nope', /km_dss has the charts km/]] as const) {
    const bad = io();
    assert.equal(await main(['run', study('tace-exosomal-mirna'), '--out', tempDir('qpcr-cli-fig-'), '-q', arg], bad), 1);
    assert.match(bad.errs.join('\n'), msg);
  }
});
