/** Issue 18's host additions that plain node reaches: Show Methods' text, the plate status bar's summary, the walkthrough. */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fixture, repoRoot } from '../helpers';
import { runStudy } from '../../../src/engine/study/runner';
import { nodeStudyIO } from '../../../src/cli/nodeIO';
import { DEFAULT_QC } from '../../../src/engine/plate/model';
import { methodsMarkdown } from '../../../src/host/methodsText';
import { plateTask } from '../../../src/host/worker/engineTasks';
import { COMMAND_IDS } from '../../../src/host/contributions';

const pkg = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8'));

test('Show Methods: the summary lines as markdown, after the methods paragraph when the report has one', async () => {
  const studyPath = fixture('runner', 'basic', 'study.qstudy');
  const { report } = await runStudy(fs.readFileSync(studyPath, 'utf8'), studyPath, nodeStudyIO(), { only: [] });
  assert.ok(report);
  // A run's report has the methods paragraph: it comes first, then the summary lines.
  assert.ok(report.methods?.paragraph);
  const md = methodsMarkdown(report);
  assert.ok(md.startsWith(`# Methods: Runner crafted study\n\n${report.methods!.paragraph}\n\n- **Data**: 2 plates, 482 wells, 80 samples, 41 subjects`));
  const withoutParagraph = methodsMarkdown({ ...report, methods: { ...report.methods!, paragraph: undefined } as typeof report.methods });
  assert.match(withoutParagraph, /^# Methods: Runner crafted study\n\n- \*\*Data\*\*: 2 plates, 482 wells, 80 samples, 41 subjects/);
  assert.match(md, /\n- \*\*Reference genes\*\*: cel-miR-39\n/);
  const withParagraph = methodsMarkdown({ ...report, methods: { ...report.methods!, paragraph: 'Cq values were exported.' } as typeof report.methods });
  assert.match(withParagraph, /^# Methods: Runner crafted study\n\nCq values were exported\.\n\n- \*\*Data\*\*/);
});

test('the plate task reports the format and well count the status bar shows', async () => {
  const file = path.join(repoRoot, 'examples', 'real-cfx-reference-genes', 'plates', 'CFX_sample.txt');
  const r = await plateTask({ source: { path: file, stream: false }, fileName: file, qc: DEFAULT_QC, options: {} });
  assert.equal(r.recognised, true);
  assert.equal(r.summary?.format, 'cfx');
  assert.ok(r.summary && r.summary.wells > 0);
  const notPlate = await plateTask({ source: { text: 'a,b\n1,2\n' }, fileName: 'x.csv', qc: DEFAULT_QC, options: {} });
  assert.equal(notPlate.summary, undefined);
});

test('walkthrough: every step links commands that exist, completes on one, and its image is in the .vsix', () => {
  const ignore = fs.readFileSync(path.join(repoRoot, '.vscodeignore'), 'utf8').split('\n');
  const known = (id: string) => (COMMAND_IDS as readonly string[]).includes(id) || id.startsWith('workbench.');
  const [walkthrough] = pkg.contributes.walkthroughs as { steps: { id: string; description: string; media: { image: string }; completionEvents: string[] }[] }[];
  assert.ok(walkthrough.steps.length >= 4 && walkthrough.steps.length <= 5);
  for (const step of walkthrough.steps) {
    const links = [...step.description.matchAll(/\(command:([\w.]+)/g)].map((m) => m[1]);
    assert.ok(links.length > 0, step.id);
    for (const id of links) assert.ok(known(id), `${step.id}: ${id}`);
    for (const e of step.completionEvents.filter((x) => x.startsWith('onCommand:'))) assert.ok(known(e.slice('onCommand:'.length)), `${step.id}: ${e}`);
    assert.ok(fs.existsSync(path.join(repoRoot, step.media.image)), step.media.image);
    assert.ok(ignore.includes(`!${step.media.image}`), `.vscodeignore keeps ${step.media.image}`);
  }
  assert.ok(fs.existsSync(path.join(repoRoot, pkg.icon)) && !ignore.includes(pkg.icon));
});
