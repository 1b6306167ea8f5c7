import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { readGolden, assertClose, assertAllClose } from '../helpers';
import { roc, coordsAt, delongTest, delongUnpaired, cIndexBinary } from '../../../src/engine/stats/roc';
import { toRocEvaluation } from '../../../src/engine/analyses/roc';
import { StatsError } from '../../../src/engine/stats/errors';

const g = readGolden('models.json');
const num = (v: number | string): number => (v === 'Inf' ? Infinity : v === '-Inf' ? -Infinity : (v as number));

function check(label: string, gr: any, y: number[], x: number[]): void {
  const r = roc(y, x);
  assert.equal(r.direction, gr.direction, `${label} direction`);
  assertClose(r.auc, gr.auc, 1e-12, 0, `${label} auc`);
  assertClose(r.variance, gr.variance, 1e-9, 0, `${label} var`);
  assertAllClose(r.ci!, gr.ci, 1e-9, 0, `${label} ci`);
  // jsonlite writes 15 significant digits, so midpoints are compared at 1e-12, infinities exactly
  const gt = gr.thresholds.map(num);
  assert.equal(r.thresholds.length, gt.length, `${label} number of thresholds`);
  assert.equal(r.thresholds[0], gt[0]);
  assert.equal(r.thresholds[gt.length - 1], gt[gt.length - 1]);
  assertAllClose(r.thresholds.slice(1, -1), gt.slice(1, -1), 1e-12, 1e-15, `${label} thresholds`);
  assertAllClose(r.curve.map((p) => p.sensitivity), gr.sensitivities, 1e-12, 0, `${label} se`);
  assertAllClose(r.curve.map((p) => p.specificity), gr.specificities, 1e-12, 0, `${label} sp`);
  assert.equal(r.best.ties, 1, `${label} single best`);
  assertClose(r.best.threshold, gr.best.threshold, 1e-12, 0, `${label} best threshold`);
  assertClose(r.best.sensitivity, gr.best.sensitivity, 1e-12, 0, `${label} best se`);
  assertClose(r.best.specificity, gr.best.specificity, 1e-12, 0, `${label} best sp`);
  assert.equal(r.cases, gr.cases);
  assert.equal(r.controls, gr.controls);
}

test('pROC aSAH s100b, ndka, wfns: AUC, DeLong var/CI, curve, Youden', () => {
  const a = g.asah;
  check('s100b', a.rocS100b, a.y, a.s100b);
  check('ndka', a.rocNdka, a.y, a.ndka);
  check('wfns', a.rocWfns, a.y, a.wfns);
  // reference-document numbers
  const r = roc(a.y, a.s100b);
  assertClose(r.auc, 0.731368563686, 1e-11, 0, 'doc auc');
  assertClose(r.variance, 0.00266868245717244, 1e-9, 0, 'doc var');
  assertClose(r.best.threshold, 0.205, 1e-12, 0, 'doc best threshold');
});

test('auto direction picks ">" for a reversed predictor, same AUC, thresholds listed decreasing as pROC', () => {
  const a = g.asah;
  check('-s100b', a.rocS100bReversed, a.y, a.s100b.map((v: number) => -v));
  const forced = roc(a.y, a.s100b.map((v: number) => -v), { direction: '<' });
  assertClose(forced.auc, 1 - a.rocS100b.auc, 1e-12, 0, 'forced < gives 1 - AUC');
});

test('coordsAt matches pROC coords(input = "threshold")', () => {
  const a = g.asah;
  const c = coordsAt(roc(a.y, a.s100b), 0.3);
  assertClose(c.sensitivity, a['coordsS100b_0.3'].sensitivity, 1e-12);
  assertClose(c.specificity, a['coordsS100b_0.3'].specificity, 1e-12);
});

test('DeLong paired test s100b vs ndka matches pROC roc.test', () => {
  const a = g.asah;
  const t = delongTest(roc(a.y, a.s100b), roc(a.y, a.ndka));
  assertClose(t.z, a.delongTest.z, 1e-9, 0, 'z');
  assertClose(t.p, a.delongTest.p, 1e-8, 0, 'p');
  const t0 = delongTest(roc(a.y, a.s100b), roc(a.y, a.s100b));
  assert.equal(t0.z, 0);
  assert.throws(() => delongTest(roc(a.y, a.s100b), roc(a.y.slice().reverse(), a.ndka)), StatsError);
});

test('birthwt models: AUC (= C-index) and DeLong CI of fitted risk with fixed direction "<"', () => {
  for (const k of ['birthwtFull', 'birthwt4']) {
    const m = g[k];
    const r = roc(m.y, m.fitted, { direction: '<' });
    assertClose(r.auc, m.auc, 1e-9, 0, `${k} auc`);
    assertClose(r.variance, m.aucVar, 1e-7, 0, `${k} var`);
    assertAllClose(r.ci!, m.aucCi, 1e-7, 0, `${k} ci`);
    assertClose(cIndexBinary(m.y, m.fitted), m.auc, 1e-9, 0, `${k} C-index`);
  }
});

test('all-tied predictor: AUC 0.5, variance 0, thresholds -Inf/+Inf as pROC', () => {
  const t = g.rocAllTies;
  const r = roc(t.y, t.x);
  assert.equal(r.auc, t.auc);
  assert.equal(r.variance, t.variance);
  assert.deepEqual(r.ci, [0.5, 0.5]);
  assert.deepEqual(r.thresholds, t.thresholds.map(num));
  assert.deepEqual(r.curve.map((p) => p.sensitivity), t.sensitivities);
  assert.equal(r.best.ties, 2, 'both thresholds give se + sp = 1');
});

test('Youden ties are all reported, first one as best', () => {
  // cases 2,4 ; controls 1,3 -> thresholds 1.5 and 3.5 both give se+sp = 1.5
  const r = roc([0, 1, 0, 1], [1, 2, 3, 4]);
  assert.equal(r.best.ties, 2);
  assert.equal(r.best.threshold, 1.5);
  assert.deepEqual(r.best.all.map((p) => p.threshold), [1.5, 3.5]);
});

test('single-class response is an error, as in pROC', () => {
  const s = g.rocSingleClass;
  assert.match(s.rError, /two levels/);
  assert.throws(() => roc(s.y, s.x), (e: unknown) => e instanceof StatsError && /no control/.test(e.message));
});

test('bad input: single class, NaN, non-binary, length mismatch', () => {
  assert.throws(() => roc([1, 1, 1], [1, 2, 3]), /no control/);
  assert.throws(() => roc([0, 0, 0], [1, 2, 3]), /no case/);
  assert.throws(() => roc([0, 1, 0], [1, NaN, 3]), StatsError);
  assert.throws(() => roc([0, 2, 0], [1, 2, 3]), StatsError);
  assert.throws(() => roc([0, 1], [1, 2, 3]), StatsError);
});

test('single case: DeLong variance and CI are null (pROC NaN); DeLong test refuses', () => {
  const r = roc([0, 0, 0, 1], [1, 2, 3, 4]);
  assert.equal(r.auc, 1);
  assert.equal(r.variance, null);
  assert.equal(r.ci, null);
  assert.throws(() => delongTest(r, roc([0, 0, 0, 1], [4, 2, 3, 1])), StatsError);
});

test('report.json shape: infinite thresholds as strings, Youden cut-off', () => {
  const a = g.asah;
  const e = toRocEvaluation(roc(a.y, a.s100b), 'all');
  assert.equal(e.curve[0].threshold, '-Inf');
  assert.equal(e.curve[e.curve.length - 1].threshold, 'Inf');
  assertClose(e.cutoff, 0.205, 1e-12);
  assertClose(e.youden, 0.6341463414634146 + 0.8055555555555556 - 1, 1e-12);
  assert.equal(e.n, 113);
  assert.doesNotThrow(() => JSON.parse(JSON.stringify(e)));
});

test('AUC and DeLong variance equal the brute-force O(mn) Mann-Whitney definition (ties, both directions)', async () => {
  const { Rng } = await import('../../../src/engine/stats/rng');
  const rng = new Rng(99);
  for (let rep = 0; rep < 5; rep++) {
    const y: number[] = [], x: number[] = [];
    for (let i = 0; i < 60; i++) { y.push(rng.uniform() < 0.4 ? 1 : 0); x.push(rng.int(8) + (y[i] ? rep % 2 : 0)); }
    for (const dir of ['<', '>'] as const) {
      const r = roc(y, x, { direction: dir });
      const cs = x.filter((_, i) => y[i] === 1), ct = x.filter((_, i) => y[i] === 0);
      const psi = (a: number, b: number): number => (a === b ? 0.5 : (dir === '<' ? a > b : a < b) ? 1 : 0);
      const v10 = cs.map((a) => ct.reduce((s, b) => s + psi(a, b), 0) / ct.length);
      const v01 = ct.map((b) => cs.reduce((s, a) => s + psi(a, b), 0) / cs.length);
      const auc = v10.reduce((s, v) => s + v, 0) / cs.length;
      const varr = v10.reduce((s, v) => s + (v - auc) ** 2, 0) / (cs.length - 1) / cs.length + v01.reduce((s, v) => s + (v - auc) ** 2, 0) / (ct.length - 1) / ct.length;
      assertClose(r.auc, auc, 1e-12, 0, `auc rep ${rep} ${dir}`);
      assertClose(r.variance, varr, 1e-10, 0, `var rep ${rep} ${dir}`);
      // curve by definition
      for (const p of r.curve) {
        const se = cs.filter((a) => (dir === '<' ? a >= p.threshold : a <= p.threshold)).length / cs.length;
        const sp = ct.filter((b) => (dir === '<' ? b < p.threshold : b > p.threshold)).length / ct.length;
        assert.equal(p.sensitivity, se);
        assert.equal(p.specificity, sp);
      }
    }
  }
});

test('midrank placements (Sun & Xu) equal the n1 x n0 comparison matrix per subject; paired and unpaired DeLong tests too', async () => {
  const { Rng } = await import('../../../src/engine/stats/rng');
  const rng = new Rng(2014);
  // brute-force DeLong: psi over every case-control pair, placements by row/column means
  const brute = (y: number[], x: number[], dir: '<' | '>') => {
    const cs = x.filter((_, i) => y[i] === 1), ct = x.filter((_, i) => y[i] === 0);
    const psi = (a: number, b: number): number => (a === b ? 0.5 : (dir === '<' ? a > b : a < b) ? 1 : 0);
    const v10 = cs.map((a) => ct.reduce((s, b) => s + psi(a, b), 0) / ct.length);
    const v01 = ct.map((b) => cs.reduce((s, a) => s + psi(a, b), 0) / cs.length);
    return { v10, v01, auc: v10.reduce((s, v) => s + v, 0) / cs.length };
  };
  const cov = (a: number[], b: number[], ma: number, mb: number) => a.reduce((s, v, i) => s + (v - ma) * (b[i] - mb), 0) / (a.length - 1);
  for (let rep = 0; rep < 40; rep++) {
    const n = 20 + rng.int(300);
    const y: number[] = [], x1: number[] = [], x2: number[] = [];
    const scale = rep % 4 === 3 ? 1e101 : 1;   // exercises the threshold guard for huge values
    for (let i = 0; i < n; i++) {
      y.push(rng.uniform() < 0.35 ? 1 : 0);
      x1.push(scale * (rep % 2 ? rng.int(6) : Math.round((rng.uniform() * 3 + y[i]) * 10) / 10));
      x2.push(Math.round(rng.uniform() * 20 + 3 * y[i]) - 5);
    }
    y[0] = 1; y[1] = 0; y[2] = 1; y[3] = 0;
    for (const dir of ['<', '>'] as const) {
      const r1 = roc(y, x1, { direction: dir }), r2 = roc(y, x2, { direction: dir });
      const b1 = brute(y, x1, dir), b2 = brute(y, x2, dir);
      assertAllClose(r1.placementsCases, b1.v10, 1e-12, 0, `V10 rep ${rep} ${dir}`);
      assertAllClose(r1.placementsControls, b1.v01, 1e-12, 0, `V01 rep ${rep} ${dir}`);
      assertClose(r1.auc, b1.auc, 1e-12, 0, `auc rep ${rep} ${dir}`);
      const m = r1.cases, k = r1.controls;
      const v1 = cov(b1.v10, b1.v10, b1.auc, b1.auc) / m + cov(b1.v01, b1.v01, b1.auc, b1.auc) / k;
      const v2 = cov(b2.v10, b2.v10, b2.auc, b2.auc) / m + cov(b2.v01, b2.v01, b2.auc, b2.auc) / k;
      const v12 = cov(b1.v10, b2.v10, b1.auc, b2.auc) / m + cov(b1.v01, b2.v01, b1.auc, b2.auc) / k;
      assertClose(r1.variance, v1, 1e-12, 1e-18, `var rep ${rep} ${dir}`);
      if (v1 + v2 - 2 * v12 > 1e-12) assertClose(delongTest(r1, r2).se, Math.sqrt(v1 + v2 - 2 * v12), 1e-10, 0, `paired se rep ${rep} ${dir}`);
      if (v1 + v2 > 0) assertClose(delongUnpaired(r1, r2).se, Math.sqrt(v1 + v2), 1e-12, 0, `unpaired se rep ${rep} ${dir}`);
    }
  }
});
