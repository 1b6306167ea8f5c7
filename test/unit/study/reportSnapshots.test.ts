/**
 * Every example study's report.json, and its `check` diagnostics, are byte-identical to the committed baseline
 * (test/fixtures/report-baseline) except the `generated` timestamp. A refactor must not change a number; a change
 * that means to (a new statistic, a fixed bug) regenerates the baseline with QPCR_UPDATE_BASELINE=1 and says why
 * in its commit.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { repoRoot } from '../helpers';
import { runStudy } from '../../../src/engine/study/runner';
import { nodeStudyIO } from '../../../src/cli/nodeIO';
import { reportJson } from '../../../src/cli/main';
import { formatDiagnostic } from '../../../src/engine/common/diagnostic';
import { sharedExampleRun } from '../studyRuns';

const examples = fs.readdirSync(path.join(repoRoot, 'examples')).filter((d) => fs.existsSync(path.join(repoRoot, 'examples', d, 'study.qstudy')));
const baseline = (f: string) => path.join(repoRoot, 'test', 'fixtures', 'report-baseline', f);
const update = process.env.QPCR_UPDATE_BASELINE === '1';

function compare(file: string, actual: string): void {
  if (update) { fs.writeFileSync(baseline(file), actual); return; }
  assert.ok(fs.existsSync(baseline(file)), `${file}: no baseline (run with QPCR_UPDATE_BASELINE=1)`);
  const expected = fs.readFileSync(baseline(file), 'utf8');
  if (actual === expected) return;
  const a = actual.split('\n');
  const e = expected.split('\n');
  const i = a.findIndex((l, k) => l !== e[k]);
  assert.fail(`${file} differs from its baseline at line ${i + 1}:\n  expected: ${e[i]}\n  actual:   ${a[i]}`);
}

for (const name of examples) {
  test(`${name}: report.json equals the baseline except 'generated'`, async () => {
    const { report } = await sharedExampleRun(name);
    assert.ok(report);
    compare(`${name}.report.json`, reportJson({ ...report, generated: '(normalised)' }));
  });
  test(`${name}: check diagnostics equal the baseline`, async () => {
    const p = path.join(repoRoot, 'examples', name, 'study.qstudy');
    const { diagnostics } = await runStudy(fs.readFileSync(p, 'utf8'), p, nodeStudyIO(), { checkOnly: true });
    const rel = (f?: string) => (f ? path.relative(path.dirname(p), f).split(path.sep).join('/') : undefined);
    compare(`${name}.check.txt`, diagnostics.map((d) => formatDiagnostic({ ...d, file: rel(d.file) ?? 'study.qstudy' }, 'study.qstudy')).join('\n') + '\n');
  });
}
