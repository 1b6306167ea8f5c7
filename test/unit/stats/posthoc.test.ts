/** Studentized range, Tukey HSD and pairwise post-hoc tests against R (test/golden/posthoc.R), 1e-6 relative. */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { assertAllClose, assertClose, readGolden } from '../helpers';
import { ptukey, qtukey, tukeyHsd } from '../../../src/engine/stats/tukey';
import { dunnTest, gamesHowell, pairwiseT, pairwiseWilcoxon, type Group } from '../../../src/engine/stats/pairwise';

interface Set { y: number[]; g: string[]; levels: string[]; tukey: { diff: number[]; lwr: number[]; upr: number[]; p: number[]; names: string[] };
  pairwiseT: number[]; pairwiseTWelch: number[]; pairwiseWilcox: number[]; dunn: { z: number[]; p: number[] };
  gamesHowell: { diff: number[]; lwr: number[]; upr: number[]; p: number[] }; }
const G = readGolden<{ sets: Record<string, Set>; ptukey: { q: number; k: number; df: number; p: number }[]; qtukey: { p: number; k: number; df: number; q: number }[] }>('posthoc.json');

const groups = (s: Set): Group[] => s.levels.map((level) => ({ level, values: s.y.filter((_, i) => s.g[i] === level) }));

test('ptukey and qtukey equal R over a grid of q, k and df (including df > 25000)', () => {
  assert.ok(G.ptukey.length >= 100);
  for (const c of G.ptukey) assertClose(ptukey(c.q, c.k, c.df), c.p, 1e-6, 1e-14, `ptukey(${c.q}, ${c.k}, ${c.df})`);
  for (const c of G.qtukey) assertClose(qtukey(c.p, c.k, c.df), c.q, 1e-6, 0, `qtukey(${c.p}, ${c.k}, ${c.df})`);
});

for (const [name, s] of Object.entries(G.sets)) {
  test(`${name}: TukeyHSD, pairwise t (pooled, Welch), pairwise Wilcoxon, Dunn, Games-Howell equal R`, () => {
    const gs = groups(s);
    const tk = tukeyHsd(gs);
    assert.deepEqual(tk.comparisons.map((c) => `${c.level}-${c.reference}`), s.tukey.names);
    assertAllClose(tk.comparisons.map((c) => c.diff!), s.tukey.diff, 1e-9, 1e-12, 'diff');
    assertAllClose(tk.comparisons.map((c) => c.ci![0]), s.tukey.lwr, 1e-6, 1e-12, 'lwr');
    assertAllClose(tk.comparisons.map((c) => c.ci![1]), s.tukey.upr, 1e-6, 1e-12, 'upr');
    assertAllClose(tk.comparisons.map((c) => c.p), s.tukey.p, 1e-6, 1e-12, 'p adj');
    assertAllClose(pairwiseT(gs, 'holm').comparisons.map((c) => c.p), s.pairwiseT, 1e-6, 1e-15, 'pairwise.t.test');
    assertAllClose(pairwiseT(gs, 'bh', false).comparisons.map((c) => c.p), s.pairwiseTWelch, 1e-6, 1e-15, 'pairwise.t.test pool.sd = FALSE');
    assertAllClose(pairwiseWilcoxon(gs, 'holm').comparisons.map((c) => c.p), s.pairwiseWilcox, 1e-6, 1e-15, 'pairwise.wilcox.test');
    const d = dunnTest(gs, 'bonferroni');
    assertAllClose(d.comparisons.map((c) => c.statistic!), s.dunn.z, 1e-9, 1e-12, 'Dunn z');
    assertAllClose(d.comparisons.map((c) => c.p), s.dunn.p, 1e-6, 1e-15, 'Dunn p');
    const gh = gamesHowell(gs);
    assertAllClose(gh.comparisons.map((c) => c.diff!), s.gamesHowell.diff, 1e-9, 1e-12, 'GH diff');
    assertAllClose(gh.comparisons.map((c) => c.ci![0]), s.gamesHowell.lwr, 1e-6, 1e-12, 'GH lwr');
    assertAllClose(gh.comparisons.map((c) => c.p), s.gamesHowell.p, 1e-6, 1e-12, 'GH p');
  });
}
