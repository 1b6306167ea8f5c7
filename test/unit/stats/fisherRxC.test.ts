/** Fisher's exact test for r × c tables against R's fisher.test (test/golden/fisher-rxc.R), 1e-6 relative. */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { assertClose, readGolden } from '../helpers';
import { fisherRxC } from '../../../src/engine/stats/fisherRxC';
import { fisherExact } from '../../../src/engine/stats/tests';

const G = readGolden<{ fisher: { name: string; table: number[][]; p: number }[] }>('fisher-rxc.json').fisher;

test('p equals fisher.test on r x c tables (2x3, 3x2, 3x3, 4x4, sparse)', () => {
  assert.equal(G.length, 6);
  for (const c of G) {
    const r = fisherRxC(c.table);
    assert.equal(r.pMethod, 'exact (all tables)');
    assertClose(r.p, c.p, 1e-6, 0, c.name);
  }
});

test('on a 2x2 table it equals the 2x2 test', () => {
  const t = [[3, 1], [1, 3]];
  assertClose(fisherRxC(t).p, fisherExact(t).p, 1e-9);
});

test('past the enumeration limit the p-value is simulated, seeded and labelled', () => {
  const big = [[40, 30, 20, 10, 25], [10, 20, 30, 40, 25], [25, 25, 25, 25, 20], [15, 35, 20, 30, 10]];
  const a = fisherRxC(big, { seed: 7, replicates: 500, maxNodes: 1000 });
  assert.match(a.pMethod, /simulated \(500 replicates, seed 7/);
  assert.equal(a.p, fisherRxC(big, { seed: 7, replicates: 500, maxNodes: 1000 }).p);
  assert.ok(a.p > 0 && a.p < 0.01, `strong association: p = ${a.p}`);
});

test('Table 1 with categorical fisher uses the r x c test for a 3-level row (fisher.test p, not chi-square)', async () => {
  const { describeTable } = await import('../../../src/engine/stats/descriptive');
  const c = G.find((x) => x.name === 'r3c2')!;
  const rows: Record<string, string>[] = [];
  c.table.forEach((row, i) => row.forEach((count, j) => { for (let k = 0; k < count; k++) rows.push({ stage: `L${i}`, arm: `G${j}` }); }));
  const t = describeTable(rows, ['stage'], 'arm', { categoricalTest: 'fisher' });
  assert.equal(t.rows[0].test, 'Fisher exact');
  assertClose(t.rows[0].p, c.p, 1e-6, 0, 'r3c2 in describe');
  assert.deepEqual(t.rows[0].warnings, []);
});
