/** The CLI's terminal progress line: throttled, control characters escaped, erased at the end; a run reports to it. */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as os from 'node:os';
import * as path from 'node:path';
import { repoRoot, tempDir } from '../helpers';
import { main, terminalProgress } from '../../../src/cli/main';
import { nodeStudyIO } from '../../../src/cli/nodeIO';

test('terminalProgress: percent and step on one line, redrawn at most every 100 ms, erased at 100 %', () => {
  const out: string[] = [];
  const p = terminalProgress((s) => out.push(s), 40);
  p(0.5, 'km_os: Kaplan\u2013Meier \u001b[31mred');
  p(0.6, 'too soon');
  assert.equal(out.length, 1);
  assert.match(out[0], /^\r\x1b\[K\[ 50%\] km_os: Kaplan–Meier /);
  assert.ok(!out[0].slice(4).includes('\u001b'), 'an escape in a user string is shown, not sent');
  assert.ok(out[0].length - 4 <= 39, 'cut to the terminal width');
  p(1, '');
  assert.equal(out[1], '\r\x1b[K');
});

test('run: the progress sink sees the analyses in order and ends at 100 %', async () => {
  const seen: [number, string][] = [];
  const outs: string[] = [], errs: string[] = [];
  const dir = tempDir('qpcr-cli-progress-');
  const code = await main(['run', path.join(repoRoot, 'examples', 'invitro-cell-line', 'study.qstudy'), '--out', dir], {
    out: (l) => outs.push(l), err: (l) => errs.push(l), study: nodeStudyIO(), assetDir: path.join(os.tmpdir(), 'no-assets'),
    progress: (f, m) => seen.push([f, m]),
  });
  assert.equal(code, 0, errs.join('\n'));
  assert.ok(seen.length >= 3);
  for (let i = 1; i < seen.length; i++) assert.ok(seen[i][0] >= seen[i - 1][0], 'fractions never go back');
  assert.deepEqual(seen.at(-1), [1, '']);
  assert.ok(outs.every((l) => !l.includes('%]')), 'progress never reaches stdout');
});
