/**
 * stats/validate.ts against rms::validate (test/golden/validate.R).
 * Exact part: R's own 40 resamples (set.seed(1) + sample as predab.resample draws them) fed to our implementation;
 * every cell of the table (index.orig, training, test, optimism, index.corrected, n) at 1e-6 relative.
 * Statistical part: our seeded resampling (B = 200) against R's validate(B = 200, set.seed(2)): for every index,
 * |optimism_ours − optimism_R| <= 4 · s · √(2/B), s = the standard deviation of the per-resample optimism
 * (training − test) over our 200 resamples; i.e. a two-sample z-test of equal bootstrap means at |z| <= 4.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { readGolden, assertClose } from '../helpers';
import { emax, giniMd, somersDxy, validateCox, validateLogistic, type ValidationResult, type ValidateRow } from '../../../src/engine/stats/validate';
import { Rng } from '../../../src/engine/stats/rng';
import { StatsError } from '../../../src/engine/stats/errors';

const g = readGolden('validate.json');
const X: number[][] = g.data.X;
const names: string[] = g.data.names;
const y: number[] = g.data.y;
const time: number[] = g.data.time;
const status: number[] = g.data.status;
type RRow = { indexOrig: number; training: number; test: number; optimism: number; indexCorrected: number; n: number };
const zeroBased = (idx: number[][]): number[][] => idx.map((r) => r.map((i) => i - 1));

function compareTable(r: ValidationResult, table: Record<string, RRow>, what: string): void {
  assert.deepEqual(r.rows.map((row) => row.index), Object.keys(table), `${what}: index names`);
  for (const row of r.rows) {
    const e = table[row.index];
    for (const col of ['indexOrig', 'training', 'test', 'optimism', 'indexCorrected'] as const) {
      // Intercept/Slope/Emax index.orig and training are exactly 0/1: an absolute floor for the zeros of R's arithmetic
      assertClose(row[col], e[col], 1e-6, 1e-10, `${what} ${row.index} ${col}`);
    }
    assert.equal(row.n, e.n, `${what} ${row.index} n`);
  }
}

test('logistic: every cell of rms::validate(lrm, B = 40) with R\'s resamples', () => {
  const ex = g.logistic.exact;
  const r = validateLogistic(y, X, names, { resamples: zeroBased(ex.idx) });
  compareTable(r, ex.table, 'lrm');
  assert.equal(r.B, 40);
  assert.equal(r.failedResamples, 0);
  assert.equal(r.seed, null);
  assertClose(r.cIndex.indexOrig, ex.table.Dxy.indexOrig / 2 + 0.5, 1e-9, 0, 'C');
  assertClose(r.cIndex.indexCorrected, ex.table.Dxy.indexCorrected / 2 + 0.5, 1e-6, 0, 'C corrected');
});

test('Cox: every cell of rms::validate(cph, B = 40) with R\'s resamples', () => {
  const ex = g.cox.exact;
  const r = validateCox(time, status, X, names, g.cox.ties, { resamples: zeroBased(ex.idx) });
  compareTable(r, ex.table, 'cph');
  assert.equal(r.failedResamples, 0);
});

/** Per-resample optimism of every index over our own seeded resamples (each resample run alone). */
function optimismSd(run: (resamples: number[][]) => ValidationResult, n: number, B: number, seed: number): Map<string, number> {
  const rng = new Rng(seed);
  const per = new Map<string, number[]>();
  for (let b = 0; b < B; b++) {
    for (const row of run([rng.resample(n)]).rows) if (row.optimism !== null) per.set(row.index, [...(per.get(row.index) ?? []), row.optimism]);
  }
  const sd = new Map<string, number>();
  for (const [k, v] of per) {
    const m = v.reduce((a, c) => a + c, 0) / v.length;
    sd.set(k, Math.sqrt(v.reduce((a, c) => a + (c - m) ** 2, 0) / (v.length - 1)));
  }
  return sd;
}

function statistical(r: ValidationResult, table: Record<string, RRow>, sd: Map<string, number>, B: number, what: string): void {
  for (const row of r.rows) {
    if (row.index === 'Emax') continue; // a function of the corrected intercept and slope, which are tested
    const tol = 4 * (sd.get(row.index) as number) * Math.sqrt(2 / B);
    const diff = Math.abs((row.optimism as number) - table[row.index].optimism);
    assert.ok(diff <= tol, `${what} ${row.index}: optimism ${row.optimism} vs R ${table[row.index].optimism} (|diff| ${diff} > ${tol})`);
  }
}

test('logistic: our seeded bootstrap (B = 200) agrees with R\'s validate(B = 200) within 4 bootstrap SEs', () => {
  const B = 200, seed = 2;
  const r = validateLogistic(y, X, names, { B, seed });
  assert.equal(r.seed, seed);
  assert.equal(r.B, B);
  const sd = optimismSd((rs) => validateLogistic(y, X, names, { resamples: rs }), y.length, B, seed);
  statistical(r, g.logistic.boot200.table, sd, B, 'lrm');
  // the same seed gives the same numbers
  assert.deepEqual(validateLogistic(y, X, names, { B, seed }).rows, r.rows);
});

test('Cox: our seeded bootstrap (B = 200) agrees with R\'s validate(B = 200) within 4 bootstrap SEs', () => {
  const B = 200, seed = 2;
  const r = validateCox(time, status, X, names, 'efron', { B, seed });
  const sd = optimismSd((rs) => validateCox(time, status, X, names, 'efron', { resamples: rs }), y.length, B, seed);
  statistical(r, g.cox.boot200.table, sd, B, 'cph');
});

test('C-index percentile interval: apparent C over the resamples, ordered around the apparent C', () => {
  const r = validateLogistic(y, X, names, { B: 200, seed: 3, conf: 0.9 });
  const [lo, hi] = r.cIndex.ci as [number, number];
  assert.ok(lo < (r.cIndex.indexOrig as number) && (r.cIndex.indexOrig as number) < hi, `${lo} < C < ${hi}`);
  assert.equal(r.cIndex.conf, 0.9);
  const wide = validateLogistic(y, X, names, { B: 200, seed: 3, conf: 0.99 }).cIndex.ci as [number, number];
  assert.ok(wide[0] <= lo && wide[1] >= hi, '99% interval contains the 90% one');
});

test('pieces: GiniMd, somers2 Dxy, Emax', () => {
  // Hmisc::GiniMd(c(1, 2, 4, 7)) = mean |xi - xj| over the 6 pairs = (1+3+6+2+5+3)/6
  assertClose(giniMd([4, 1, 7, 2]), 20 / 6, 1e-12, 0, 'GiniMd');
  assert.equal(giniMd([1]), null);
  // somers2(c(1, 2, 2, 3), c(0, 0, 1, 1)): C = (3.5 - 1.5) / 2 ... pairs: (1,2)c (1,3)c (2,2)tie (2,3)c -> 3.5/4
  assertClose(somersDxy([1, 2, 2, 3], [0, 0, 1, 1]), 2 * (3.5 / 4 - 0.5), 1e-12, 0, 'Dxy');
  assert.equal(somersDxy([1, 2], [1, 1]), null);
  assertClose(emax(0, 1), 0, 0, 1e-15, 'Emax of a perfect calibration');
  assert.ok(emax(-0.1, 0.8) > 0.01);
});

test('bad input: B, resample indices; a failing refit is skipped and counted', () => {
  assert.throws(() => validateLogistic(y, X, names, { B: 0 }), StatsError);
  assert.throws(() => validateLogistic(y, X, names, { resamples: [[0, 1]] }), StatsError);
  // a resample of one row only (one class) cannot be refitted
  const r = validateLogistic(y, X, names, { resamples: [new Array<number>(y.length).fill(0), zeroBased(g.logistic.exact.idx)[0]] });
  assert.equal(r.failedResamples, 1);
  assert.equal(r.successfulResamples, 1);
  assert.ok(r.rows.every((row: ValidateRow) => row.n === 1));
  // the caller can stop between resamples (the runner's cancellation)
  let calls = 0;
  assert.throws(() => validateCox(time, status, X, names, 'efron', { B: 50, beforeResample: () => { if (++calls > 3) throw new Error('cancelled'); } }), /cancelled/);
  assert.equal(calls, 4);
});
