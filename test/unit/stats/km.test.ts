import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { kaplanMeier, survivalAt, numbersAtRisk, kmQuantile, timefix } from '../../../src/engine/stats/km';
import { StatsError } from '../../../src/engine/stats/errors';
import { assertAllClose, assertClose } from '../helpers';
import { golden, arr } from './survivalGolden';

const G = golden();
const D = G.datasets;

function checkGroup(time: number[], status: number[], g: any, conf: { confType: any; confLevel: number }, label: string): void {
  const km = kaplanMeier(time, status, conf);
  assert.equal(km.n, g.n, `${label} n`);
  assert.equal(km.events, g.events, `${label} events`);
  assertAllClose(km.time, arr(g.time), 0, 0, `${label} time`);
  assertAllClose(km.nRisk, arr(g['n.risk']), 0, 0, `${label} n.risk`);
  assertAllClose(km.nEvent, arr(g['n.event']), 0, 0, `${label} n.event`);
  assertAllClose(km.nCensor, arr(g['n.censor']), 0, 0, `${label} n.censor`);
  assertAllClose(km.surv, arr(g.surv), 1e-6, 0, `${label} surv`);
  assertAllClose(km.stdErr, arr(g['std.err']).map((v: number) => (v === Infinity ? null : v)), 1e-6, 0, `${label} std.err`);
  assertAllClose(km.lower, arr(g.lower), 1e-6, 0, `${label} lower`);
  assertAllClose(km.upper, arr(g.upper), 1e-6, 0, `${label} upper`);
  assertClose(km.median, g.median, 1e-12, 0, `${label} median`);
  assertClose(km.medianCi[0], g.medianLo, 1e-12, 0, `${label} median lower`);
  assertClose(km.medianCi[1], g.medianHi, 1e-12, 0, `${label} median upper`);
  assert.equal(km.curve.length, km.time.length + 1);
  assert.deepEqual(km.curve[0], { t: 0, s: 1, lo: 1, hi: 1, atRisk: km.n, events: 0, censored: 0 });
  if (g.summary) {
    const times = arr(g.summary.times) as number[];
    const at = survivalAt(km, times);
    assertAllClose(at.map((r) => r.nRisk), arr(g.summary['n.risk']), 0, 0, `${label} summary n.risk`);
    assertAllClose(numbersAtRisk(km, times), arr(g.summary['n.risk']), 0, 0, `${label} numbersAtRisk`);
    assertAllClose(at.map((r) => r.surv), arr(g.summary.surv), 1e-6, 0, `${label} summary surv`);
    assertAllClose(at.map((r) => r.stdErr), arr(g.summary['std.err']), 1e-6, 1e-15, `${label} summary se(S)`);
    assertAllClose(at.map((r) => r.lower), arr(g.summary.lower), 1e-6, 0, `${label} summary lower`);
    assertAllClose(at.map((r) => r.upper), arr(g.summary.upper), 1e-6, 0, `${label} summary upper`);
  }
}

function checkCase(time: number[], status: number[], group: (string | number)[] | null, c: any, label: string): void {
  const conf = { confType: c['conf.type'], confLevel: c['conf.int'] };
  for (const g of arr(c.groups) as any[]) {
    const sel = group === null ? time.map(() => true) : group.map((v) => String(v) === g.label);
    checkGroup(time.filter((_, i) => sel[i]), status.filter((_, i) => sel[i]), g, conf, `${label}/${g.label}`);
  }
}

test('KM lung overall and by sex, with summary(times = 100/200/365/500)', () => {
  const L = D.lung;
  checkCase(L.time, L.status, null, G.lung.km_all, 'lung');
  checkCase(L.time, L.status, L.sex, G.lung.km_sex, 'lung~sex');
  // oracle numbers printed in stats-reference §2.2
  const km = kaplanMeier(L.time, L.status);
  assert.equal(km.median, 310);
  assert.deepEqual(km.medianCi, [285, 363]);
  assertAllClose(survivalAt(km, [100, 200, 365, 500]).map((r) => r.stdErr as number), [0.02271023, 0.03113457, 0.03582364, 0.03507782], 1e-6);
});

test('KM lung: log-log and plain (90%) confidence types', () => {
  const L = D.lung;
  checkCase(L.time, L.status, null, G.lung.km_all_loglog, 'lung loglog');
  checkCase(L.time, L.status, null, G.lung.km_all_plain90, 'lung plain90');
});

test('KM lung by ph.ecog (k groups incl. a 1-subject group)', () => {
  const L = D.lung;
  const keep = L.ph_ecog.map((v: number | null) => v !== null);
  const f = <T>(a: T[]) => a.filter((_, i) => keep[i]);
  checkCase(f(L.time), f(L.status), f(L.ph_ecog), G.lung.km_ecog, 'lung~ecog');
});

test('KM veteran by trt: median 52.5 by the midpoint rule', () => {
  const V = D.veteran;
  checkCase(V.time, V.status, V.trt, G.veteran.km_trt, 'veteran~trt');
  const km2 = kaplanMeier(V.time.filter((_: number, i: number) => V.trt[i] === 2), V.status.filter((_: number, i: number) => V.trt[i] === 2));
  assert.equal(km2.median, 52.5);
});

test('KM ovarian and aml (upper median limits not reached -> null)', () => {
  checkCase(D.ovarian.time, D.ovarian.status, D.ovarian.rx, G.ovarian.km_rx, 'ovarian~rx');
  checkCase(D.aml.time, D.aml.status, D.aml.x, G.aml.km, 'aml~x');
  checkCase(D.aml.time, D.aml.status, D.aml.x, G.aml.km_loglog, 'aml~x loglog');
  const km = kaplanMeier(D.aml.time.filter((_: number, i: number) => D.aml.x[i] === 'Maintained'), D.aml.status.filter((_: number, i: number) => D.aml.x[i] === 'Maintained'));
  assert.equal(km.median, 31);
  assert.equal(km.medianCi[1], null);
});

test('KM heavy ties, all censored, n = 2', () => {
  checkCase(D.ties.time, D.ties.status, null, G.ties.km, 'ties');
  checkCase(D.allCensored.time, D.allCensored.status, null, G.allCensored.km, 'allCensored');
  const km = kaplanMeier(D.allCensored.time, D.allCensored.status);
  assert.ok(km.surv.every((s) => s === 1));
  assert.equal(km.median, null);
  checkCase(D.two.time, D.two.status, null, G.two.km, 'two');
});

test('KM quantile: exact flat at p and a curve ending on p (values checked in R 4.2 / survival 3.5-3)', () => {
  // S = 0.5 exactly on [2, 3): median = 2.5 (midpoint rule)
  const b = kaplanMeier([1, 2, 3, 4], [1, 1, 1, 1]);
  assert.equal(b.median, 2.5);
  // S = 2/3 from t = 1 to the end (t = 5, censored): quantile(fit, 1/3) = (1 + 5)/2 = 3 in R
  const c = kaplanMeier([1, 2, 5], [1, 0, 0]);
  assert.equal(kmQuantile(c, 1 / 3).quantile, 3);
  assert.equal(kmQuantile(c, 0.5).quantile, null);
});

test('KM bad input throws StatsError', () => {
  assert.throws(() => kaplanMeier([1, 2], [1]), StatsError);
  assert.throws(() => kaplanMeier([1, NaN], [1, 0]), StatsError);
  assert.throws(() => kaplanMeier([1, -2], [1, 0]), StatsError);
  assert.throws(() => kaplanMeier([1, 2], [1, 2]), StatsError);
  assert.throws(() => kaplanMeier([], []), StatsError);
  assert.throws(() => kaplanMeier([1, 2], [1, 0], { confLevel: 1 }), StatsError);
  assert.throws(() => kaplanMeier([1, 2], [1, 0], { confType: 'logit' as any }), StatsError);
});

test('KM merges near-tied times as survfit (aeqSurv, timefix = TRUE)', () => {
  const N = D.neartie;
  checkCase(N.time, N.status, null, G.neartie.km, 'neartie');
  assert.deepEqual(timefix([0.1 + 0.2, 0.3, 1]), [0.3, 0.3, 1]);
  const t = [1, 2, 3];
  assert.equal(timefix(t), t);
});
