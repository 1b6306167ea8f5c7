/**
 * Runs an example's study with extra lines appended: the results by name (the analyses tests' shared helper). The
 * whole study is parsed and checked; only the appended lines' analyses run (the editor's "Run analysis", `only`, with
 * the model lines they name), so each test pays for its own analyses, not for all of the example's.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { repoRoot } from '../helpers';
import { runStudy } from '../../../src/engine/study/runner';
import { nodeStudyIO } from '../../../src/cli/nodeIO';
import type { AnalysisResult, ErrorResult } from '../../../src/shared/report/types';

export async function runExampleWith(example: string, extra: string): Promise<Record<string, AnalysisResult | ErrorResult>> {
  const studyPath = path.join(repoRoot, 'examples', example, 'study.qstudy');
  const base = fs.readFileSync(studyPath, 'utf8') + '\n';
  const first = base.split('\n').length - 1;
  const only = extra.split('\n').map((_, i) => first + i);
  const { report, diagnostics } = await runStudy(base + extra + '\n', studyPath, nodeStudyIO(), { only });
  assert.ok(report, diagnostics.filter((d) => d.severity === 'error').map((d) => d.message).join('; '));
  return Object.fromEntries(report.results.map((r) => [r.name, r]));
}
