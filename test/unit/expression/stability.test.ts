import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { assertClose, readGolden } from '../helpers';
import { genorm, normfinder, stabilityAnalysis, type QuantityMatrix } from '../../../src/engine/expression/stability';
import type { SampleExpression } from '../../../src/engine/expression/types';
import { stabilityKind } from '../../../src/shared/report/kinds/stability';

const g = readGolden('expression.json').stability;
const m: QuantityMatrix = { samples: g.cq.map((_: unknown, i: number) => `s${i + 1}`), genes: g.genes, q: g.cq.map((row: number[]) => row.map((c) => Math.pow(2, -c))) };

test('geNorm M, stepwise exclusion, ranking and V_n/n+1 match the R restatement (simulated, seeded data in the golden)', () => {
  const r = genorm(m);
  for (const x of r.m) assertClose(x.m, g.genorm.m[x.target], 1e-6, 0, `M ${x.target}`);
  assert.deepEqual(r.ranking, g.genorm.ranking);
  assert.equal(r.steps.length, g.genorm.steps.length);
  r.steps.forEach((s, i) => {
    assert.equal(s.excluded, g.genorm.steps[i].excluded);
    for (const [k, v] of Object.entries(s.m)) assertClose(v, g.genorm.steps[i].m[k], 1e-6, 0, `step ${i} ${k}`);
  });
  assert.deepEqual(r.v.map((x) => x.label), g.genorm.v.map((x: any) => x.label));
  r.v.forEach((x, i) => assertClose(x.v, g.genorm.v[i].v, 1e-6, 0, x.label));
  // The noisiest simulated gene (HPRT1, sd 0.6) is excluded first.
  assert.equal(r.steps[0].excluded, 'HPRT1');
  // Elimination ranks (NormqPCR::selectHKs): removed while k genes remained = rank k, the last two share rank 1.
  assert.deepEqual(Object.fromEntries(r.ranks!.map((x) => [x.target, x.rank])), g.genorm.ranks);
  assert.deepEqual(r.lastPair!.targets, g.genorm.lastPair.targets);
  assertClose(r.lastPair!.m, g.genorm.lastPair.m, 1e-6, 0, 'M of the last pair');
});

test('geNorm table: rows in rank order, the last two tied at rank 1, each step\'s M, and what the rank means', () => {
  // The real-cfx example's situation: B has the lowest M and A (higher M, first alphabetically) was listed as rank 1
  // and B as rank 2. After C is removed, A and B have one M: they are tied at rank 1.
  const q = [[22, 20, 25], [23, 21, 21], [21.4, 19.5, 27], [22.6, 20.5, 22], [24.1, 22, 24]].map((r) => r.map((c) => 2 ** -c));
  const r = genorm({ samples: q.map((_, i) => `s${i}`), genes: ['A', 'B', 'C'], q });
  assert.deepEqual(r.m.map((x) => x.target), ['B', 'A', 'C']);
  assert.deepEqual(r.ranks, [{ target: 'A', rank: 1 }, { target: 'B', rank: 1 }, { target: 'C', rank: 3 }]);
  const t = stabilityKind.tables({ name: 's', kind: 'stability', cohort: 'all', n: 5, dropped: 0, genorm: r })[0];
  assert.deepEqual(t.columns, ['Target', 'Rank', 'M (3 genes)', 'M (2 genes)']);
  assert.deepEqual(t.rows.map((row) => row.slice(0, 2).map((c) => c.text)), [['A', '1 (tied)'], ['B', '1 (tied)'], ['C', '3']]);
  assert.equal(t.rows[2][3].text, 'removed');
  assert.equal(t.rows[0][3].raw, r.lastPair!.m);
  assert.equal(t.rows[1][3].raw, r.lastPair!.m);
  assert.match(t.note ?? '', /highest M is removed.*share rank 1/);
});

test('NormFinder with groups matches the R restatement of Andersen et al.', () => {
  const r = normfinder(m, g.groups);
  for (const x of r.stability) assertClose(x.value, g.normfinderGroups.stability[x.target], 1e-6, 0, `rho ${x.target}`);
  assert.equal(r.best, g.normfinderGroups.best);
  assert.deepEqual(r.bestPair, g.normfinderGroups.bestPair);
  assertClose(r.bestPairValue, g.normfinderGroups.bestPairValue, 1e-6);
  // GAPDH has the built-in group shift: it must not be among the two best.
  assert.ok(!r.stability.slice(0, 2).some((x) => x.target === 'GAPDH'));
});

test('NormFinder one-group variant matches the R restatement', () => {
  const r = normfinder(m);
  for (const x of r.stability) assertClose(x.value, g.normfinderOne.stability[x.target], 1e-6, 0, `sigma ${x.target}`);
  assert.equal(r.best, g.normfinderOne.best);
  assert.deepEqual(r.bestPair, g.normfinderOne.bestPair);
  assertClose(r.bestPairValue, g.normfinderOne.bestPairValue, 1e-6);
});

test('geNorm and NormFinder are invariant to per-gene scaling (efficiency-free calibration of quantities)', () => {
  const scaled: QuantityMatrix = { ...m, q: m.q.map((row) => row.map((x, j) => x * (j + 1) * 7)) };
  const a = genorm(m), b = genorm(scaled);
  a.m.forEach((x, i) => assertClose(b.m[i].m, x.m, 1e-9));
  const c = normfinder(m, g.groups), d = normfinder(scaled, g.groups);
  c.stability.forEach((x, i) => assertClose(d.stability[i].value, x.value, 1e-9));
});

test('stabilityAnalysis from pipeline rows: StabilityResult shape, drops incomplete samples', () => {
  const rows: SampleExpression[] = [];
  g.cq.forEach((row: number[], i: number) => g.genes.forEach((gene: string, j: number) => rows.push({ sample: `s${i + 1}`, fields: { group: g.groups[i] }, target: gene, cqMean: row[j], cqSd: null, nUsed: 1, nTotal: 1, refCq: null, dcq: null, expression: null, wells: [] })));
  rows.push({ sample: 'extra', fields: { group: 'ctrl' }, target: 'ACTB', cqMean: 18, cqSd: null, nUsed: 1, nTotal: 1, refCq: null, dcq: null, expression: null, wells: [] });
  const r = stabilityAnalysis(rows, g.genes, { groupField: 'group', name: 'refs' });
  assert.equal(r.kind, 'stability');
  assert.equal(r.n, g.cq.length);
  assert.equal(r.dropped, 1);
  assert.deepEqual(r.genorm!.ranking, g.genorm.ranking);
  assert.equal(r.normfinder!.best, g.normfinderGroups.best);
  assert.ok(r.warnings!.some((w) => /extra/.test(w)));
});

test('NormFinder refuses groups of one sample and too few genes', () => {
  assert.throws(() => normfinder(m, g.groups.map((x: string, i: number) => (i === 0 ? 'lonely' : x))), /fewer than 2 samples/);
  assert.throws(() => normfinder({ ...m, genes: m.genes.slice(0, 2), q: m.q.map((r) => r.slice(0, 2)) }), /at least 3 genes/);
});
