import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { tidyQc } from '../../../src/engine/study/runner';

test('report QC entries: relative to the study folder, one per finding', () => {
  const q = (file: string, line: number, message = 'Replicates of P01 / miR-122 have SD 0.9') => ({ code: 'replicate-sd', message, file, line, severity: 'warning' });
  const out = tidyQc([q('/w/ex/plates/a.txt', 6), q('/w/ex/plates/a.txt', 7), q('/w/ex/plates/a.txt', 8, 'other group'), q('/elsewhere/b.txt', 3)], '/w/ex/study.qstudy');
  assert.deepEqual(out.map((e) => [e.file, e.line, e.message]), [
    ['plates/a.txt', 6, 'Replicates of P01 / miR-122 have SD 0.9'],
    ['plates/a.txt', 8, 'other group'],
    ['/elsewhere/b.txt', 3, 'Replicates of P01 / miR-122 have SD 0.9'],
  ]);
});

test('tidyMethods: relative paths in exclusions and efficiency sources, standard curves (CFX fixture) in report.json and the methods lines', async () => {
  const fs = await import('node:fs');
  const { tidyMethods } = await import('../../../src/engine/study/runner');
  const { importPlate } = await import('../../../src/engine/plate');
  const { plateStandardCurves } = await import('../../../src/engine/expression/standards');
  const { methodsLines } = await import('../../../src/shared/report/format');
  const { fixture } = await import('../helpers');
  const abs = '/home/me/study/plates/CFX_sample.txt';
  const plate = importPlate(fs.readFileSync(fixture('expression', 'CFX_sample.txt')), abs).plate!;
  const curves = plateStandardCurves(plate, 35);
  const m = tidyMethods({
    references: ['PYY'], targets: ['GLP1'], expression: '2^-dCq', nondetect: 'excluded', qc: {},
    efficiencies: [{ target: 'GLP1', value: 2.27, source: `standard curve (${abs})` }],
    exclusions: [{ file: abs, line: 3, well: 'A1', sample: 'S', target: 'GLP1', reason: 'late' }, { file: '/elsewhere/x.txt', line: 1, well: null, sample: 'S', target: 'T', reason: 'r' }],
  }, curves, '/home/me/study/study.qstudy');
  assert.equal(m.efficiencies[0].source, 'standard curve (plates/CFX_sample.txt)');
  assert.deepEqual(m.exclusions.map((x) => x.file), ['plates/CFX_sample.txt', '/elsewhere/x.txt'], 'files outside the study folder keep their path');
  assert.deepEqual(m.standardCurves!.map((c) => [c.file, c.target, c.n, c.levels, c.lod]), [
    ['plates/CFX_sample.txt', 'GLP1', 14, 7, 0.125], ['plates/CFX_sample.txt', 'PYY', 14, 7, 0.125], ['plates/CFX_sample.txt', 'TFF1', 13, 7, 1],
  ]);
  const glp1 = m.standardCurves![0];
  assert.ok(Math.abs(glp1.slope! - curves[0].slope!) < 1e-15 && glp1.efficiencyCi![0] < glp1.efficiency! && glp1.efficiency! < glp1.efficiencyCi![1]);
  const lines = methodsLines({ study: 's', version: 1, engine: 'e', generated: '', methods: m, data: { plates: 1, wells: 330, samples: 47, subjects: 47, qc: [] }, results: [] });
  const std = lines.filter((l) => l.label === 'Standard curve').map((l) => l.text);
  assert.equal(std.length, 3);
  assert.match(std[0], /^GLP1 in plates\/CFX_sample\.txt: slope -2\.811, R² 0\.9668, efficiency 127 % \(95% CI 108 to 153\), 14 wells at 7 levels, LOD 0\.125$/);
  assert.equal(tidyMethods(m, [], 'study.qstudy').standardCurves, m.standardCurves, 'no curves: the field is left as it was');
});

test('methods lines: efficiencies read as factors per cycle with their source', async () => {
  const { methodsLines } = await import('../../../src/shared/report/format');
  const lines = methodsLines({ study: 's', version: 1, engine: 'e', methods: {
    references: ['U6'], targets: ['miR-21'], expression: '2^-dCq', nondetect: 'excluded', qc: {}, exclusions: [],
    efficiencies: [{ target: 'miR-21', value: 1.97, source: 'stated' }, { target: 'U6', value: 2, source: 'default' }],
  }, data: { plates: 1, wells: 2, samples: 1, subjects: 1, qc: [] }, results: [] });
  assert.equal(lines.find((l) => l.label === 'Amplification efficiency')!.text, 'miR-21: E = 1.97 per cycle (stated); U6: E = 2 per cycle (default)');
});
