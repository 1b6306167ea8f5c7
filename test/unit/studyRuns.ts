/**
 * A study's run, once per test process. Several test files read the same example's run (its report, its data): each
 * ran it again, about 40 runs of the examples in a suite (8 s of CPU for the TACE study alone). Tests that only read
 * a run share it here.
 *
 * The run keeps its data (`keepData`, which only adds `RunOutcome.data`), so one run serves callers with and without
 * it. The report and the diagnostics are frozen, deeply: a test that changed them would change them for every later
 * reader, so it fails at once instead (copy before changing, as `{ ...report, generated: '…' }`). The data (plates,
 * the analysis table) is not frozen: its objects fill caches of their own when read.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { repoRoot } from './helpers';
import { runStudy, type RunOutcome } from '../../src/engine/study/runner';
import { nodeStudyIO } from '../../src/cli/nodeIO';

const runs = new Map<string, Promise<RunOutcome>>();

/** Object.freeze of `v` and of every plain object and array in it (typed arrays cannot be frozen, and need not be). */
function deepFreeze<T>(v: T): T {
  if (v === null || typeof v !== 'object' || Object.isFrozen(v) || ArrayBuffer.isView(v)) return v;
  for (const x of Object.values(v)) deepFreeze(x);
  return Object.freeze(v);
}

/** The run of `text` as the study at `studyPath` (read through the CLI's file access), once per process. */
export function sharedRun(text: string, studyPath: string): Promise<RunOutcome> {
  const key = `${studyPath}\u0000${text}`;
  let run = runs.get(key);
  if (!run) {
    run = runStudy(text, studyPath, nodeStudyIO(), { keepData: true }).then((o) => {
      deepFreeze(o.report);
      deepFreeze(o.diagnostics);
      return o;
    });
    runs.set(key, run);
  }
  return run;
}

/** The path of `examples/<name>/study.qstudy`. */
export const exampleStudy = (name: string): string => path.join(repoRoot, 'examples', name, 'study.qstudy');

/** The run of examples/<name>/study.qstudy, with `extra` lines appended, once per process. */
export function sharedExampleRun(name: string, extra = ''): Promise<RunOutcome> {
  const p = exampleStudy(name);
  return sharedRun(fs.readFileSync(p, 'utf8') + extra, p);
}
