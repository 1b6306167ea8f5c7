/** One-sided alternatives against R (test/golden/alternatives.R): t.test, wilcox.test (with the HL CI), cor.test, fisher.test. */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { assertClose, readGolden } from '../helpers';
import { fisherExact, mannWhitney, pairedT, tTest, wilcoxonSignedRank, type Alternative, type TestResult } from '../../../src/engine/stats/tests';
import { pearson, spearman } from '../../../src/engine/stats/correlation';
import { kendall } from '../../../src/engine/stats/kendall';

const G: any = readGolden('alternatives.json');
const ALTS: Alternative[] = ['two.sided', 'less', 'greater'];
/** R's infinite CI bounds are written as ±1e308. */
const unInf = (v: number): number => (Math.abs(v) >= 1e308 ? Math.sign(v) * Infinity : v);

function same(r: { statistic: number | null; p: number; estimate?: number | null; ci?: [number, number] | null }, g: any, what: string): void {
  assertClose(r.statistic, g.statistic, 1e-6, 0, `${what} statistic`);
  assertClose(r.p, g.p, 1e-6, 1e-15, `${what} p`);
  if (g.estimate !== null && g.estimate !== undefined && 'estimate' in r) assertClose(r.estimate, g.estimate, 1e-6, 1e-12, `${what} estimate`);
  if (g.ci) {
    assert.ok(r.ci, `${what}: a CI`);
    g.ci.map(unInf).forEach((b: number, i: number) => {
      if (Number.isFinite(b)) assertClose(r.ci![i], b, 1e-6, 1e-12, `${what} ci[${i}]`);
      else assert.equal(r.ci![i], b, `${what} ci[${i}]`);
    });
  }
}

test('t tests and rank-sum tests, each alternative, match t.test / wilcox.test (x = first sample)', () => {
  for (const [name, c] of Object.entries<any>(G.two)) {
    for (const alt of ALTS) {
      const g = c[alt];
      same(tTest(c.x, c.y, { alternative: alt }), g.student, `${name} ${alt} Student`);
      same(tTest(c.x, c.y, { alternative: alt, welch: true }), g.welch, `${name} ${alt} Welch`);
      same(mannWhitney(c.x, c.y, { alternative: alt, confInt: true }), g.wilcox, `${name} ${alt} Mann-Whitney`);
      same(mannWhitney(c.x, c.y, { alternative: alt, confInt: true, correct: false }), g.wilcoxNoCorrect, `${name} ${alt} Mann-Whitney uncorrected`);
    }
  }
});

test('paired t and signed-rank tests, each alternative, match R (differences x - y)', () => {
  for (const [name, c] of Object.entries<any>(G.paired)) {
    for (const alt of ALTS) {
      same(pairedT(c.x, c.y, { alternative: alt }), c[alt].t, `${name} ${alt} paired t`);
      same(wilcoxonSignedRank(c.x, c.y, { alternative: alt, confInt: true }), c[alt].wilcox, `${name} ${alt} signed rank`);
    }
  }
});

test('correlation tests, each alternative, match cor.test', () => {
  for (const [name, c] of Object.entries<any>(G.cor)) {
    for (const alt of ALTS) {
      const g = c[alt];
      const p = pearson(c.x, c.y, { alternative: alt });
      same({ ...p, estimate: p.r }, g.pearson, `${name} ${alt} Pearson`);
      const s = spearman(c.x, c.y, { alternative: alt });
      same({ ...s, estimate: s.r }, g.spearman, `${name} ${alt} Spearman`);
      const k = kendall(c.x, c.y, { alternative: alt });
      assertClose(k.r, g.kendall.estimate, 1e-6, 0, `${name} ${alt} tau`);
      assertClose(k.p, g.kendall.p, 1e-6, 1e-15, `${name} ${alt} Kendall p`);
    }
  }
});

test('Fisher 2 x 2, each alternative, matches fisher.test (p, conditional MLE, one-sided CI)', () => {
  for (const c of G.fisher) {
    const t = [[c.table[0], c.table[1]], [c.table[2], c.table[3]]];
    for (const alt of ALTS) {
      const r: TestResult = fisherExact(t, { alternative: alt });
      const g = c[alt];
      assertClose(r.p, g.p, 1e-6, 1e-15, `${c.table} ${alt} p`);
      assertClose(r.estimate, unInf(g.estimate), 1e-6, 0, `${c.table} ${alt} estimate`);
      g.ci.map(unInf).forEach((b: number, i: number) => {
        if (Number.isFinite(b)) assertClose(r.ci![i], b, 1e-6, 1e-12, `${c.table} ${alt} ci[${i}]`);
        else assert.equal(r.ci![i], b);
      });
    }
  }
});
