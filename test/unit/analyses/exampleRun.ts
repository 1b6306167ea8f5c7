/**
 * Runs an example's study with extra lines appended (the analyses tests' shared helper). The whole study is parsed
 * and checked; only the appended lines' analyses run (the editor's "Run analysis", runStudy's `only`, with the model
 * lines they name), so each test pays for its own analyses, not for all of the example's.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { runStudy, type RunOutcome } from '../../../src/engine/study/runner';
import { nodeStudyIO } from '../../../src/cli/nodeIO';
import { exampleStudy } from '../studyRuns';
import { isErrorResult, type AnalysisResult, type ErrorResult } from '../../../src/shared/report/types';

/**
 * The run of `examples/<example>/study.qstudy` + `extra`, running the analyses of `extra`'s lines only, and of the
 * example's own lines that `keep` matches (a test that compares with the example's analyses).
 */
export function runExtraLines(example: string, extra: string, keep?: RegExp): Promise<RunOutcome> {
  const studyPath = exampleStudy(example);
  const base = fs.readFileSync(studyPath, 'utf8') + '\n';
  const lines = base.split('\n');
  const first = lines.length - 1;
  const kept = keep ? lines.flatMap((l, i) => (keep.test(l) ? [i] : [])) : [];
  const only = [...kept, ...extra.split('\n').map((_, i) => first + i)];
  return runStudy(base + extra + '\n', studyPath, nodeStudyIO(), { only });
}

/** runExtraLines' results (asserts the run gave a report). */
export async function runExampleResults(example: string, extra: string): Promise<(AnalysisResult | ErrorResult)[]> {
  const { report, diagnostics } = await runExtraLines(example, extra);
  assert.ok(report, diagnostics.filter((d) => d.severity === 'error').map((d) => d.message).join('; '));
  return report.results;
}

/** runExtraLines' results by name (asserts the run gave a report). */
export async function runExampleWith(example: string, extra: string): Promise<Record<string, AnalysisResult | ErrorResult>> {
  return Object.fromEntries((await runExampleResults(example, extra)).map((r) => [r.name, r]));
}

/** The result named `name`, asserted to exist and not to be an error. */
export function resultNamed<T>(rs: readonly (AnalysisResult | ErrorResult)[], name: string): T {
  const r = rs.find((x) => x.name === name);
  assert.ok(r && !isErrorResult(r), `${name}: ${JSON.stringify(r)}`);
  return r as T;
}
