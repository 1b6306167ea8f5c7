/** The MIQE checklist (report.json `miqe`): filled items come from the run's own numbers, the rest are by hand. */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fixture, repoRoot } from '../helpers';
import { runStudy } from '../../../src/engine/study/runner';
import { nodeStudyIO } from '../../../src/cli/nodeIO';
import { miqeTable } from '../../../src/shared/report/miqe';
import type { Report } from '../../../src/shared/report/types';

async function run(p: string): Promise<Report> {
  const { report } = await runStudy(fs.readFileSync(p, 'utf8'), p, nodeStudyIO());
  assert.ok(report);
  return report;
}
const item = (r: Report, name: string) => {
  const i = r.miqe!.items.find((x) => x.item.startsWith(name));
  assert.ok(i, `no MIQE item ${name}`);
  return i;
};

test('miqe: pre-analytical fixture (no standards): spike-in, haemolysis, NTCs filled; validation by hand', async () => {
  const r = await run(fixture('preanalytical', 'study.qstudy'));
  const m = r.miqe!;
  assert.equal(m.auto + m.byHand, m.items.length);
  assert.equal(m.items.filter((i) => i.status === 'auto').length, m.auto);
  assert.ok(m.items.every((i) => (i.status === 'auto') === (i.value !== undefined)));
  assert.match(item(r, 'Inhibition testing').value!, /cel-miR-39: robust z of its Cq across 6 samples, 1 outside ±3/);
  assert.match(item(r, 'Sample quality: haemolysis').value!, /2 of 6 samples flagged/);
  assert.equal(item(r, 'Cq of the no-template controls').value, 'miR-451a: no Cq; cel-miR-39: no Cq');
  assert.equal(item(r, 'Linear dynamic range').status, 'by hand');
  assert.equal(item(r, 'Limit of detection').status, 'by hand');
  assert.match(item(r, 'Analysis program').value!, /^qpcr-studio \d/);
  assert.match(item(r, 'Reference genes').value!, /cel-miR-39; stability not assessed/);
  assert.equal(item(r, 'Primer and probe sequences').status, 'by hand');
  assert.equal(miqeTable(m).rows.length, m.items.length);
});

test('miqe: standards and stability (real-cfx example) fill efficiency with CI, range, LOD and geNorm M from the run', async () => {
  const r = await run(path.join(repoRoot, 'examples', 'real-cfx-reference-genes', 'study.qstudy'));
  const c = r.methods!.standardCurves!.find((x) => x.target === 'PYY')!;
  const eff = item(r, 'PCR efficiency').value!;
  assert.ok(eff.includes(`PYY (${c.file}): E ${Number(c.efficiencyPercent!.toPrecision(4))} %, 95 % CI ${Number(((c.efficiencyCi![0] - 1) * 100).toPrecision(4))}`), eff);
  assert.match(item(r, 'Linear dynamic range').value!, /PYY: 0\.125 to 8/);
  assert.match(item(r, 'Limit of detection').value!, /PYY \(.*\): lowest quantity with every replicate amplified/);
  assert.match(item(r, 'Reference genes').value!, /^PYY; geNorm M PYY 2\.127/);
});
