import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { logrank } from '../../../src/engine/stats/logrank';
import { StatsError } from '../../../src/engine/stats/errors';
import { assertAllClose, assertClose } from '../helpers';
import { golden, arr } from './survivalGolden';

const G = golden();
const D = G.datasets;

function check(time: number[], status: number[], group: (string | number)[], c: any, label: string): void {
  const r = logrank(time, status, group, c.rho);
  assert.deepEqual(r.groups.map((g) => g.label), arr(c.labels), `${label} labels`);
  assertAllClose(r.groups.map((g) => g.n), arr(c.n), 0, 0, `${label} n`);
  assertAllClose(r.groups.map((g) => g.observed), arr(c.obs), 1e-9, 0, `${label} observed`);
  assertAllClose(r.groups.map((g) => g.expected), arr(c.exp), 1e-6, 0, `${label} expected`);
  const v = arr(c.var).map((row: any) => arr(row));
  for (let i = 0; i < v.length; i++) assertAllClose(r.variance[i], v[i], 1e-6, 1e-12, `${label} var row ${i}`);
  assertClose(r.chisq, c.chisq, 1e-6, 0, `${label} chisq`);
  assert.equal(r.df, c.df, `${label} df`);
  assertClose(r.p, c.p, 1e-6, 0, `${label} p`);
}

test('log-rank lung by sex (rho 0 and 1) matches survdiff', () => {
  check(D.lung.time, D.lung.status, D.lung.sex, G.lung.logrank_sex, 'lung~sex');
  check(D.lung.time, D.lung.status, D.lung.sex, G.lung.logrank_sex_rho1, 'lung~sex rho1');
  const r = logrank(D.lung.time, D.lung.status, D.lung.sex);
  assertClose(r.chisq, 10.3267419549, 1e-9); // stats-reference §2.2
  assertClose(r.variance[0][0], 40.3714339796, 1e-9);
});

test('log-rank k groups: lung by ph.ecog (4 groups), heavy ties by a/b/c (rho 0 and 0.5)', () => {
  const L = D.lung;
  const keep = L.ph_ecog.map((v: number | null) => v !== null);
  const f = <T>(a: T[]) => a.filter((_, i) => keep[i]);
  check(f(L.time), f(L.status), f(L.ph_ecog), G.lung.logrank_ecog, 'lung~ecog');
  check(D.ties.time, D.ties.status, D.ties.g, G.ties.logrank_g, 'ties~g');
  check(D.ties.time, D.ties.status, D.ties.g, G.ties.logrank_g_rho05, 'ties~g rho .5');
});

test('log-rank ovarian, aml, n = 2', () => {
  check(D.ovarian.time, D.ovarian.status, D.ovarian.rx, G.ovarian.logrank_rx, 'ovarian~rx');
  check(D.aml.time, D.aml.status, D.aml.x, G.aml.logrank, 'aml~x');
  check(D.two.time, D.two.status, D.two.g, G.two.logrank, 'two');
});

test('log-rank bad input throws StatsError', () => {
  assert.throws(() => logrank([1, 2, 3], [1, 1, 0], [1, 1, 1]), StatsError);
  assert.throws(() => logrank([1, 2, 3], [1, 1, 0], [1, 2]), StatsError);
  assert.throws(() => logrank([1, 2, 3], [1, 1, 2], [1, 2, 1]), StatsError);
  assert.throws(() => logrank([1, 2, 3], [0, 0, 0], [1, 2, 1]), StatsError);
});

test('log-rank merges near-tied times (aeqSurv)', () => {
  check(D.neartie.time, D.neartie.status, D.neartie.g, G.neartie.logrank, 'neartie');
});
