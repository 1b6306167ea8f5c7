import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { concordance } from '../../../src/engine/stats/concordance';
import { StatsError } from '../../../src/engine/stats/errors';
import { Rng } from '../../../src/engine/stats/rng';
import { assertClose } from '../helpers';
import { golden, arr } from './golden';

const G = golden();
const D = G.datasets;

function check(time: number[], status: number[], c: any, label: string): void {
  const r = concordance(time, status, arr(c.x), { reverse: c.reverse });
  const cnt = arr(c.count);
  assert.deepEqual([r.concordant, r.discordant, r.tiedX, r.tiedY, r.tiedXY], cnt.slice(0, 5), `${label} counts`);
  assertClose(r.concordance, c.concordance, 1e-12, 0, `${label} C`);
}

test('concordance lung age (both directions), heavy ties, n = 2 match survival::concordance counts', () => {
  check(D.lung.time, D.lung.status, G.lung.conc_age, 'lung age');
  check(D.lung.time, D.lung.status, G.lung.conc_age_rev, 'lung age rev');
  check(D.ties.time, D.ties.status, G.ties.conc_x1, 'ties x1');
  check(D.ties.time, D.ties.status, G.ties.conc_x2_rev, 'ties x2 rev');
  check(D.two.time, D.two.status, G.two.conc, 'two');
});

/** Brute-force pair count (the definition) for random data with ties. */
function brute(time: number[], status: number[], x: number[]): number[] {
  let c = 0, d = 0, tx = 0, ty = 0, txy = 0;
  for (let i = 0; i < time.length; i++) {
    if (status[i] !== 1) continue;
    for (let j = 0; j < time.length; j++) {
      if (j === i) continue;
      if (time[j] > time[i] || (time[j] === time[i] && status[j] === 0)) {
        if (x[j] > x[i]) c++; else if (x[j] < x[i]) d++; else tx++;
      } else if (time[j] === time[i] && status[j] === 1 && j > i) {
        if (x[j] === x[i]) txy++; else ty++;
      }
    }
  }
  return [c, d, tx, ty, txy];
}

test('concordance equals the brute-force pair count on random tied data', () => {
  const rng = new Rng(7);
  for (let rep = 0; rep < 5; rep++) {
    const n = 150;
    const time = Array.from({ length: n }, () => Math.floor(rng.uniform() * 20));
    const status = Array.from({ length: n }, () => (rng.uniform() < 0.6 ? 1 : 0));
    const x = Array.from({ length: n }, () => Math.floor(rng.uniform() * 8));
    const r = concordance(time, status, x);
    assert.deepEqual([r.concordant, r.discordant, r.tiedX, r.tiedY, r.tiedXY], brute(time, status, x));
  }
});

test('concordance: no comparable pair -> null; bad input -> StatsError', () => {
  const r = concordance([1, 2], [0, 0], [1, 2]);
  assert.equal(r.concordance, null);
  assert.throws(() => concordance([1, 2], [1, 0], [1, NaN]), StatsError);
  assert.throws(() => concordance([1, 2], [1, 0], [1]), StatsError);
});
