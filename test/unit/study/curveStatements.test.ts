/**
 * `cq from ...` and `efficiency from linregpcr` (issue 20 part 4): parsing, the located error on a plate without
 * curves, and the example examples/real-rdml-linregpcr against rdmlpython's LinRegPCR (test/golden/linregpcr-*.json).
 *
 * Tolerance for the efficiencies: 1e-6 relative, not linreg.test.ts's 1e-12, because the study reads the curves
 * from the plate's curve store, which holds Float32 (store.ts), while the golden's input is the file's decimals in
 * float64; the rounding of the fluorescence to float32 (≤ 6e-8 relative) moves the mean efficiency by 1e-9 to 4e-7 and
 * its SD (a spread of values that agree to 0.5–4 %) by up to 9e-7 absolute: 1e-5 relative or 2e-6 absolute.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { assertClose, readGolden, repoRoot } from '../helpers';
import { parseStudy, type Statement } from '../../../src/engine/study';
import { runStudy } from '../../../src/engine/study/runner';
import { nodeStudyIO } from '../../../src/cli/nodeIO';
import { importPlate } from '../../../src/engine/plate/index';
import type { Plate } from '../../../src/engine/plate/model';
import { linregEfficiencies, curveCqs, amplificationCurves } from '../../../src/engine/curves/plateAnalysis';
import { autoThreshold, baselineCorrect, thresholdCq } from '../../../src/engine/curves/threshold';

const plateOf = (file: string): Plate => {
  const r = importPlate(new Uint8Array(fs.readFileSync(file)), file);
  assert.ok(r.plate, r.diagnostics.map((d) => d.message).join('; '));
  return r.plate;
};
const only = (text: string): Statement => {
  const r = parseStudy(text);
  assert.deepEqual(r.diagnostics, [], JSON.stringify(r.diagnostics));
  return r.ast.statements[0];
};

test('cq from instrument | threshold T | threshold auto | linregpcr and efficiency from linregpcr parse', () => {
  assert.deepEqual(['instrument', 'threshold 0.25', 'threshold auto', 'linregpcr'].map((s) => {
    const st = only(`cq from ${s}`);
    return st.kind === 'cq' ? [st.source, st.threshold?.value] : null;
  }), [['instrument', undefined], ['threshold', 0.25], ['threshold-auto', undefined], ['linregpcr', undefined]]);
  const e = only('efficiency from linregpcr');
  assert.ok(e.kind === 'efficiency' && e.fromLinreg && !e.fromStandards);
  const bad = parseStudy('cq from sigmoid').diagnostics;
  assert.equal(bad.length, 1);
  assert.match(bad[0].message, /instrument.*threshold.*linregpcr/);
  assert.equal(parseStudy('efficiency from linreg').diagnostics.length, 1);
});

const GOLDEN = (name: string) => readGolden<{ runs: { reactions: { target: string; out: { meanEff: number; sdEff: number | null; usedForMean: boolean; exclEff: boolean } }[] }[] }>(`linregpcr-${name}.json`);

for (const name of ['matrix_gaps', 'own_mix_a', 'sybr_stability']) {
  test(`${name}: LinRegPCR mean efficiency (1e-6) and SD (2e-6 absolute) per amplicon from the imported curves equal rdmlpython's`, () => {
    const file = path.join(repoRoot, 'test', 'fixtures', 'rdml', `${name}.rdml`);
    const effs = linregEfficiencies([plateOf(file)]);
    const g = GOLDEN(name).runs[0].reactions;
    for (const target of new Set(g.map((r) => r.target))) {
      const rs = g.filter((r) => r.target === target), e = effs.find((x) => x.target === target)!;
      const mean = rs[0].out.meanEff;
      assertClose(e.mean, mean === -1 ? NaN : mean, 1e-6, 0, `${target} mean`);
      assertClose(e.sd, rs[0].out.sdEff ?? NaN, 1e-5, 2e-6, `${target} SD`);
      // which reactions entered the mean is checked by the mean itself (a mean of n values to 1e-7)
    }
  });
}

const example = path.join(repoRoot, 'examples', 'real-rdml-linregpcr', 'study.qstudy');

test('examples/real-rdml-linregpcr: report.json methods.curves and the efficiency used equal rdmlpython (matrix_gaps)', async () => {
  const { report, diagnostics } = await runStudy(fs.readFileSync(example, 'utf8'), example, nodeStudyIO());
  assert.ok(report, diagnostics.map((d) => d.message).join('; '));
  const c = report.methods!.curves!;
  assert.equal(c.cq, 'linregpcr');
  const g = GOLDEN('matrix_gaps').runs[0].reactions;
  assert.equal(c.efficiencies!.length, 1);
  assertClose(c.efficiencies![0].mean, g[0].out.meanEff, 1e-7, 0, 'mean efficiency');
  assertClose(c.efficiencies![0].sd, g[0].out.sdEff, 1e-5, 0, 'SD');
  assert.equal(c.efficiencies![0].n, 58);
  const used = report.methods!.efficiencies.find((e) => e.target === 'tar1')!;
  assertClose(used.value, g[0].out.meanEff, 1e-7, 0, 'factor used by the expression step');
  assert.match(used.source, /^LinRegPCR mean of 58 reactions/);
  assert.ok(report.methods!.notes!.some((n) => n.startsWith('Cq: LinRegPCR')));
  assert.match(report.methods!.paragraph!, /LinRegPCR/);
});

test('cq from threshold auto: the Cq of every well is the threshold crossing of its baseline-corrected curve', async () => {
  const text = fs.readFileSync(example, 'utf8').replace('cq from linregpcr', 'cq from threshold auto');
  const { report } = await runStudy(text, example, nodeStudyIO());
  assert.ok(report);
  assert.equal(report.methods!.curves!.cq, 'threshold-auto');
  const file = path.join(repoRoot, 'examples', 'real-rdml-linregpcr', 'plates', 'matrix_gaps.rdml');
  const plate = plateOf(file);
  const curves = amplificationCurves(plate);
  // matrix_gaps has curves with missing cycles: those without baseline points get no Cq
  const base = curves.map((c) => { try { return baselineCorrect(c.cycles, c.fluor); } catch { return null; } });
  assert.ok(base.filter((b) => b === null).length > 0 && base.filter((b) => b !== null).length > 40);
  const t = autoThreshold(base.flatMap((b) => (b ? [b.sd] : [])));
  const cqs = curveCqs(plate, { kind: 'threshold-auto' });
  curves.forEach((c, k) => assert.equal(cqs.get(c.well.index), base[k] ? thresholdCq(c.cycles, base[k].corrected, t) : null));
  // the step table shows those Cqs (the well's first replicate of the first sample)
  const row = report.steps!.rows.find((r) => r.sample === 'tis1-100x')!;
  const w = curves.find((c) => c.well.position === row.replicates[0].well)!;
  assertClose(row.replicates[0].cq, cqs.get(w.well.index), 1e-12, 0, 'step table Cq');
});

test('a plate without curves: a located error at the statement, naming the plate', async () => {
  const cfx = path.join(repoRoot, 'examples', 'real-cfx-reference-genes', 'study.qstudy');
  const text = fs.readFileSync(cfx, 'utf8').replace('efficiency from standards', 'efficiency from linregpcr');
  const line = text.split('\n').findIndex((l) => l.startsWith('efficiency from linregpcr'));
  const { report, diagnostics } = await runStudy(text, cfx, nodeStudyIO());
  assert.equal(report, null);
  const d = diagnostics.find((x) => x.code === 'study-no-curves')!;
  assert.ok(d, JSON.stringify(diagnostics.map((x) => x.code)));
  assert.equal(d.range.start.line, line);
  assert.match(d.message, /CFX_sample\.txt has none/);
});
