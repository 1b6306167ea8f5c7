/** `qpcr-studio new`: a study on stdout for plate folders (paths relative to --dir) that runs; usage errors exit 2. */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as os from 'node:os';
import * as path from 'node:path';
import { repoRoot } from '../helpers';
import { main, type CliIO } from '../../../src/cli/main';
import { nodeStudyIO } from '../../../src/cli/nodeIO';
import { runStudy } from '../../../src/engine/study/runner';

function io(): CliIO & { outs: string[]; errs: string[] } {
  const outs: string[] = [], errs: string[] = [];
  return { outs, errs, out: (l) => outs.push(l), err: (l) => errs.push(l), study: nodeStudyIO(), assetDir: path.join(os.tmpdir(), 'no-assets') };
}

test('new: the sorafenib example\'s plate folder and clinical table give a study that runs', async () => {
  const dir = path.join(repoRoot, 'examples', 'sorafenib-mir221');
  const c = io();
  assert.equal(await main(['new', path.join(dir, 'plates'), '--clinical', path.join(dir, 'clinical.csv'), '--dir', dir, '--title', 'miR-221'], c), 0, c.errs.join('\n'));
  const text = c.outs.join('\n');
  assert.match(text, /^study "miR-221"$/m);
  assert.match(text, /^plates "plates\/\*\.csv" format cfx/m);
  assert.match(text, /^clinical "clinical.csv" key patient/m);
  assert.match(text, /^reference miR-16/m);
  const { report, diagnostics } = await runStudy(text, path.join(dir, 'generated.qstudy'), nodeStudyIO());
  assert.deepEqual(diagnostics.filter((d) => d.severity === 'error').map((d) => d.message), []);
  assert.ok(report?.results.some((r) => r.name === 'fold' && r.kind === 'foldchange'));
});

test('new: usage errors exit 2; no recognised plate exits 1 with the reason', async () => {
  for (const argv of [['new'], ['new', 'x', '--clinical'], ['new', 'x', '--bogus']]) {
    const c = io();
    assert.equal(await main(argv, c), 2, argv.join(' '));
    assert.ok(c.errs.some((l) => l.startsWith('qpcr-studio new:')), argv.join(' '));
  }
  const c = io();
  assert.equal(await main(['new', path.join(repoRoot, 'examples', 'sorafenib-mir221', 'clinical.csv')], c), 1);
  assert.match(c.errs.join('\n'), /not a Cq export[\s\S]*No plate file/);
});
