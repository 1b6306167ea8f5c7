import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { fixture } from '../helpers';
import { runStudy } from '../../../src/engine/study/runner';
import { nodeStudyIO } from '../../../src/cli/nodeIO';

const studyPath = fixture('runner', 'basic', 'study.qstudy');
const studyText = fs.readFileSync(studyPath, 'utf8');
const lineOf = (start: string) => studyText.split('\n').findIndex((l) => l.startsWith(start));

test('`only` runs exactly the analyses on those lines plus the labelled models they use, under their full-run names', async () => {
  const nomogramLine = lineOf('nomogram model1');
  const correlateLine = lineOf('correlate mir122_pre with age with method spearman');
  const [full, part] = await Promise.all([
    runStudy(studyText, studyPath, nodeStudyIO()),
    runStudy(studyText, studyPath, nodeStudyIO(), { only: [nomogramLine, correlateLine] }),
  ]);
  assert.ok(full.report && part.report, part.diagnostics.map((d) => d.message).join('\n'));
  // model1 is on its own line before the nomogram; the unlabelled correlate keeps its default name "correlate 2".
  assert.deepEqual(part.report.results.map((r) => `${r.name}@${r.line}`), [`correlate 2@${correlateLine + 1}`, `model1@${lineOf('model1:') + 1}`, `nomogram 1@${nomogramLine + 1}`]);
  for (const r of part.report.results) {
    const same: unknown = full.report.results.find((f) => f.line === r.line);
    assert.deepEqual(r, same, `line ${r.line}`);
  }
});

test('`only` with a plain line runs no model; an empty selection runs nothing', async () => {
  const table1 = lineOf('table1:');
  const one = await runStudy(studyText, studyPath, nodeStudyIO(), { only: [table1] });
  assert.deepEqual(one.report?.results.map((r) => r.name), ['table1']);
  const none = await runStudy(studyText, studyPath, nodeStudyIO(), { only: [lineOf('study ')] });
  assert.deepEqual(none.report?.results, []);
});
