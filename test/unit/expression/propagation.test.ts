/**
 * Error propagation of relative quantities (expression/propagation.ts) against test/golden/propagation.json, which
 * test/golden/propagation.R computes by hand from the same data: Livak & Schmittgen's (2001) c-myc / GAPDH table and
 * the real-data example's CFX plates (efficiencies with their SE from the standard curves, two references, caecum
 * calibrators). Tolerance 1e-6 relative; 1e-12 absolute for values that are exactly 0 (a Cq SE of identical replicates).
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { assertClose, readGolden, repoRoot } from '../helpers';
import { importPlate } from '../../../src/engine/plate/index';
import { DEFAULT_QC } from '../../../src/engine/plate/model';
import { computeExpression } from '../../../src/engine/expression/expression';
import type { SampleExpression } from '../../../src/engine/expression/types';
import { geometricMeanRel, livakRange, powerRelSe, ratioCi } from '../../../src/engine/stats/propagation';
import { plate, reps } from './build';

const g = readGolden('propagation.json');
const REL = 1e-6;
const FIELDS = ['cqSe', 'rq', 'rqSe', 'nf', 'nfSe', 'nrq', 'nrqSe', 'calibratorNrq', 'calibratorNrqSe', 'cnrq', 'cnrqSe'] as const;

function compareRows(rows: SampleExpression[], golden: any[], target: string, label: string): void {
  const mine = new Map(rows.filter((r) => r.target === target && !r.reference).map((r) => [r.sample, r]));
  assert.equal(mine.size, golden.length, `${label}: rows`);
  for (const e of golden) {
    const p = mine.get(e.sample)?.propagation;
    assert.ok(p, `${label} ${e.sample}: propagation`);
    for (const f of FIELDS) if (f in e) assertClose(p[f] as number, e[f], REL, 1e-12, `${label} ${e.sample} ${f}`);
    for (const f of FIELDS) if (!(f in e)) assert.equal(p[f], undefined, `${label} ${e.sample} ${f} absent`);
    assertClose(p.ci![0], e.ci[0], REL, 0, `${label} ${e.sample} CI low`);
    assertClose(p.ci![1], e.ci[1], REL, 0, `${label} ${e.sample} CI high`);
  }
}

const livak = g.livak;
const livakPlate = plate('livak.csv', livak.tissue.flatMap((t: string, i: number) => [...reps(t, 'c-myc', [livak.cmyc[i]]), ...reps(t, 'GAPDH', [livak.gapdh[i]])]));
const livakRun = computeExpression([livakPlate], {
  references: ['GAPDH'], targets: ['c-myc'], calibrator: (_f, s) => s === 'brain',
  qc: { ...DEFAULT_QC, minReplicates: 1 }, nondetect: { policy: 'exclude' }, outliers: { method: 'none' }, propagate: true,
});

test('Livak & Schmittgen 2001, c-myc in kidney against brain: the published table (rounded as printed) and R at 1e-6', () => {
  const row = (s: string) => livakRun.samples.find((r) => r.sample === s && r.target === 'c-myc')!;
  const ref = (s: string) => livakRun.samples.find((r) => r.sample === s && r.target === 'GAPDH')!;
  // The paper: brain 30.49 ± 0.15, 23.63 ± 0.09, dCq 6.86 ± 0.17, 1.0 (0.9–1.1); kidney 27.03 ± 0.06, 22.66 ± 0.08,
  // dCq 4.37 ± 0.10, ddCq −2.50 ± 0.10, 5.6 (5.3–6.0).
  const printed = { brain: [30.49, 0.15, 23.63, 0.09, 6.86, 0.17, 0.00, 1.0, 0.9, 1.1], kidney: [27.03, 0.06, 22.66, 0.08, 4.37, 0.10, -2.50, 5.6, 5.3, 6.0] };
  for (const [s, p] of Object.entries(printed)) {
    const r = row(s), l = r.livak!;
    const got = [r.cqMean, r.cqSd, ref(s).cqMean, ref(s).cqSd, r.dcq, l.s, r.ddcq, r.expression, l.lower, l.upper] as number[];
    const decimals = [2, 2, 2, 2, 2, 2, 2, 1, 1, 1];
    got.forEach((x, i) => assert.equal(x.toFixed(decimals[i]), p[i].toFixed(decimals[i]), `${s} column ${i}`));
  }
  for (const e of livak.table) {
    const r = row(e.sample);
    assertClose(r.livak!.s, e.s, REL, 0, `${e.sample} s`);
    assertClose(r.ddcq, e.ddcq, REL, 1e-12, `${e.sample} ddCq`);
    assertClose(r.expression, e.fold, REL, 0, `${e.sample} fold`);
    assertClose(r.livak!.lower, e.lower, REL, 0, `${e.sample} lower`);
    assertClose(r.livak!.upper, e.upper, REL, 0, `${e.sample} upper`);
  }
  compareRows(livakRun.samples, livak.qbase, 'c-myc', 'Livak data, qbase+ model');
  // With E = 2 everywhere the calibrated NRQ is the 2^-ddCq fold change.
  assertClose(row('kidney').propagation!.cnrq, row('kidney').expression, 1e-12);
});

function loadExample() {
  const rel = 'examples/real-cfx-reference-genes/plates/CFX_sample.txt';
  const r = importPlate(fs.readFileSync(path.join(repoRoot, ...rel.split('/'))), 'CFX_sample.txt');
  assert.ok(r.plate);
  return r.plate!;
}
const site = (s: string) => s.replace(/^\d+-/, '').replace(/\d+$/, '');

test('real CFX example: efficiencies with their SE from the standard curves, as R (lm) by hand', () => {
  const res = computeExpression([loadExample()], { references: ['PYY'], targets: ['GLP1'], efficiency: 'standards', qc: { ...DEFAULT_QC, maxCq: 35 }, nondetect: { policy: 'max-cq' }, outliers: { method: 'none' }, propagate: true });
  for (const t of ['GLP1', 'PYY']) {
    const e = g.cfx.efficiency[t], used = res.efficiencies.find((x) => x.target === t)!;
    assertClose(used.value, e.E, REL, 0, `E ${t}`);
    assertClose(used.se, e.seE, REL, 0, `SE(E) ${t}`);
  }
  compareRows(res.samples, g.cfx.oneRef, 'GLP1', 'one reference, no calibrator');
  // Efficiencies differ from 2: no Livak range.
  assert.ok(res.samples.every((r) => r.livak === undefined));
});

test('real CFX example: two references (geometric mean), caecum calibrators (CNRQ) as R by hand', () => {
  const res = computeExpression([loadExample()], {
    references: ['PYY', 'TFF1'], targets: ['GLP1'], efficiency: 'standards', calibrator: (_f, s) => site(s) === 'Ce',
    qc: { ...DEFAULT_QC, maxCq: 35 }, nondetect: { policy: 'max-cq' }, outliers: { method: 'none' }, propagate: true,
  });
  assertClose(res.efficiencies.find((x) => x.target === 'TFF1')!.se, g.cfx.efficiency.TFF1.seE, REL, 0, 'SE(E) TFF1');
  compareRows(res.samples, g.cfx.twoRefs, 'GLP1', 'two references, calibrated');
  for (const r of res.samples.filter((x) => x.target === 'GLP1')) assertClose(r.propagation!.cnrq, r.expression, 1e-9, 0, `CNRQ = expression ${r.sample}`);
});

test('propagation building blocks: no SE when a replicate SD is unknown; hand-checkable values', () => {
  assert.equal(powerRelSe(2, 0, 1, null), null);
  assertClose(powerRelSe(2, 0, 5, 0.1), Math.LN2 * 0.1, 1e-12);
  assertClose(powerRelSe(2, 0.1, 3, 0), 0.15, 1e-12);
  const gm = geometricMeanRel([2, 8], [0.3, 0.4]);
  assertClose(gm.value, 4, 1e-12);
  assertClose(gm.rel, 0.25, 1e-12);
  assert.equal(geometricMeanRel([2, 8], [0.3, null]).rel, null);
  assert.equal(ratioCi(1, null), null);
  assert.equal(livakRange(0, 0.1, [null]), null);
  const l = livakRange(-1, 0.3, [0.4])!;
  assertClose(l.s, 0.5, 1e-12);
  assertClose(l.lower, 2 ** 0.5, 1e-12);
  assertClose(l.upper, 2 ** 1.5, 1e-12);
  // A single replicate: mean but no SD, so no SE, no CI and no Livak range, the value itself still there.
  const one = computeExpression([plate('p.csv', [...reps('A', 'T', [25]), ...reps('A', 'R', [20, 20.2])])], { references: ['R'], qc: { ...DEFAULT_QC, minReplicates: 1 }, nondetect: { policy: 'exclude' }, outliers: { method: 'none' }, propagate: true });
  const r = one.samples.find((x) => x.target === 'T')!;
  assert.equal(r.propagation!.rqSe, null);
  assert.equal(r.propagation!.ci, null);
  assert.deepEqual(r.livak, { s: null, lower: null, upper: null });
  assert.ok(r.propagation!.nrq > 0);
  // Without `propagate` (direct engine use, the bench) the rows carry no propagation.
  const off = computeExpression([plate('p.csv', [...reps('A', 'T', [25, 25.1]), ...reps('A', 'R', [20, 20.2])])], { references: ['R'], qc: DEFAULT_QC, nondetect: { policy: 'exclude' }, outliers: { method: 'none' } });
  assert.equal(off.samples[0].propagation, undefined);
});
