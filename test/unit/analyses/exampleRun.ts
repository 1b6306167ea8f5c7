/** Runs an example's study with extra lines appended: the results by name (the analyses tests' shared helper). */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { repoRoot } from '../helpers';
import { runStudy } from '../../../src/engine/study/runner';
import { nodeStudyIO } from '../../../src/cli/nodeIO';
import type { AnalysisResult, ErrorResult } from '../../../src/shared/report/types';

export async function runExampleWith(example: string, extra: string): Promise<Record<string, AnalysisResult | ErrorResult>> {
  const studyPath = path.join(repoRoot, 'examples', example, 'study.qstudy');
  const { report, diagnostics } = await runStudy(fs.readFileSync(studyPath, 'utf8') + '\n' + extra + '\n', studyPath, nodeStudyIO());
  assert.ok(report, diagnostics.filter((d) => d.severity === 'error').map((d) => d.message).join('; '));
  return Object.fromEntries(report.results.map((r) => [r.name, r]));
}
