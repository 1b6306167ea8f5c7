import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { concordance } from '../../../src/engine/stats/concordance';
import { StatsError } from '../../../src/engine/stats/errors';
import { Rng } from '../../../src/engine/stats/rng';
import { assertClose } from '../helpers';
import { golden, arr } from './survivalGolden';

const G = golden();
const D = G.datasets;

function check(time: number[], status: number[], c: any, label: string): void {
  const r = concordance(time, status, arr(c.x), { reverse: c.reverse });
  const cnt = arr(c.count);
  assert.deepEqual([r.concordant, r.discordant, r.tiedX, r.tiedY, r.tiedXY], cnt.slice(0, 5), `${label} counts`);
  assertClose(r.concordance, c.concordance, 1e-12, 0, `${label} C`);
  assertClose(r.variance, c.var, 1e-9, 0, `${label} IJ variance`);
}

test('concordance lung age (both directions), heavy ties, n = 2 match survival::concordance counts', () => {
  check(D.lung.time, D.lung.status, G.lung.conc_age, 'lung age');
  check(D.lung.time, D.lung.status, G.lung.conc_age_rev, 'lung age rev');
  check(D.ties.time, D.ties.status, G.ties.conc_x1, 'ties x1');
  check(D.ties.time, D.ties.status, G.ties.conc_x2_rev, 'ties x2 rev');
  check(D.two.time, D.two.status, G.two.conc, 'two');
});

/**
 * Brute-force pair count (the definition, O(n²)), pairs only within a stratum, and the jackknife influence and
 * variance from per-subject pair counts.
 */
function brute(time: number[], status: number[], x: number[], strata?: readonly (string | number)[]): { counts: number[]; influence: number[]; variance: number } {
  const n = time.length;
  const ck = new Array<number>(n).fill(0), dk = new Array<number>(n).fill(0), tk = new Array<number>(n).fill(0);
  let c = 0, d = 0, tx = 0, ty = 0, txy = 0;
  for (let i = 0; i < n; i++) {
    if (status[i] !== 1) continue;
    for (let j = 0; j < n; j++) {
      if (j === i || (strata && strata[j] !== strata[i])) continue;
      if (time[j] > time[i] || (time[j] === time[i] && status[j] === 0)) {
        if (x[j] > x[i]) { c++; ck[i]++; ck[j]++; } else if (x[j] < x[i]) { d++; dk[i]++; dk[j]++; } else { tx++; tk[i]++; tk[j]++; }
      } else if (time[j] === time[i] && status[j] === 1 && j > i) {
        if (x[j] === x[i]) txy++; else ty++;
      }
    }
  }
  const N = c + d + tx;
  const influence = ck.map((_, k) => ((ck[k] + tk[k] / 2) * N - (c + tx / 2) * (ck[k] + dk[k] + tk[k])) / (N * N));
  return { counts: [c, d, tx, ty, txy], influence, variance: influence.reduce((s, g) => s + g * g, 0) };
}

function checkBrute(time: number[], status: number[], x: number[], reverse: boolean, strata?: number[]): void {
  const r = concordance(time, status, x, { reverse, ...(strata ? { strata } : {}) });
  const b = brute(time, status, reverse ? x.map((v) => -v) : x, strata);
  assert.deepEqual([r.concordant, r.discordant, r.tiedX, r.tiedY, r.tiedXY], b.counts);
  if (b.counts[0] + b.counts[1] + b.counts[2] === 0) { assert.equal(r.concordance, null); return; }
  assertClose(r.variance, b.variance, 1e-12);
  b.influence.forEach((g, k) => assertClose(r.influence?.[k] ?? NaN, g, 1e-12, 1e-15, `influence[${k}]`));
}

test('concordance equals the brute-force pair count and jackknife on random tied data', () => {
  const rng = new Rng(7);
  for (let rep = 0; rep < 5; rep++) {
    const n = 150;
    const time = Array.from({ length: n }, () => Math.floor(rng.uniform() * 20));
    const status = Array.from({ length: n }, () => (rng.uniform() < 0.6 ? 1 : 0));
    const x = Array.from({ length: n }, () => Math.floor(rng.uniform() * 8));
    for (const reverse of [false, true]) checkBrute(time, status, x, reverse);
  }
});

test('concordance equals the brute-force reference with strata, negative / zero / continuous scores and tiny n', () => {
  const rng = new Rng(11);
  for (let rep = 0; rep < 40; rep++) {
    const n = 1 + Math.floor(rng.uniform() * 60);
    const nt = 1 + Math.floor(rng.uniform() * 12), nx = 1 + Math.floor(rng.uniform() * 10);
    const time = Array.from({ length: n }, () => (rep % 4 === 0 ? rng.uniform() * 5 : Math.floor(rng.uniform() * nt) * 0.5));
    const status = Array.from({ length: n }, () => (rng.uniform() < 0.6 ? 1 : 0));
    // scores of both signs with ties, -0 beside +0, or continuous
    const x = Array.from({ length: n }, () => (rep % 3 === 0 ? rng.uniform() * 2e6 - 1e6 : (Math.floor(rng.uniform() * nx) - nx / 2) * 0.25));
    if (n > 2) { x[0] = -0; x[1] = 0; }
    const strata = rep % 2 === 1 ? Array.from({ length: n }, () => Math.floor(rng.uniform() * 3)) : undefined;
    checkBrute(time, status, x, rep % 5 < 2, strata);
  }
});

test('concordance: no comparable pair -> null; bad input -> StatsError', () => {
  const r = concordance([1, 2], [0, 0], [1, 2]);
  assert.equal(r.concordance, null);
  assert.equal(r.variance, null);
  assert.throws(() => concordance([1, 2], [1, 0], [1, NaN]), StatsError);
  assert.throws(() => concordance([1, 2], [1, 0], [1]), StatsError);
});

test('concordance merges near-tied times (aeqSurv)', () => {
  check(D.neartie.time, D.neartie.status, G.neartie.conc, 'neartie');
});
