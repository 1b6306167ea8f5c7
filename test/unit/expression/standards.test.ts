import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { assertClose, fixture, readGolden } from '../helpers';
import { plateStandardCurves, standardCurve } from '../../../src/engine/expression/standards';
import type { StandardCurve } from '../../../src/engine/expression/types';
import { cfxStandards, lightCyclerStandards, plate } from './build';

const golden = readGolden('expression.json');

function same(c: StandardCurve, g: any, label: string): void {
  assert.equal(c.n, g.n, `${label} n`);
  for (const k of ['slope', 'intercept', 'r2', 'slopeSe', 'efficiency', 'efficiencyPercent'] as const) assertClose(c[k], g[k], 1e-6, 1e-12, `${label} ${k}`);
  assertClose(c.slopeCi![0], g.slopeCi[0], 1e-6, 0, `${label} slope CI lo`);
  assertClose(c.slopeCi![1], g.slopeCi[1], 1e-6, 0, `${label} slope CI hi`);
  assertClose(c.efficiencyCi![0], g.efficiencyCi[0], 1e-6, 0, `${label} E CI lo`);
  assertClose(c.efficiencyCi![1], g.efficiencyCi[1], 1e-6, 0, `${label} E CI hi`);
  assert.equal(c.lod, g.lod, `${label} LOD`);
}

test('LightCycler 480 fixture: 7-level standard series, 5 replicates, matches R lm', () => {
  const p = lightCyclerStandards(fs.readFileSync(fixture('expression', 'LightCycler_sample.txt'), 'latin1'), 'SYBR');
  const curves = plateStandardCurves(p, 35);
  assert.equal(curves.length, 1);
  same(curves[0], golden.lightcycler, 'LightCycler');
  // E 91.1 %: inside 90–110 %, R² 0.997: no diagnostics. Standard 7 (1 copy) has a replicate at 35.25 > 35: LOD 10.
  assert.deepEqual(curves[0].diagnostics.map((d) => d.code), []);
  assert.equal(curves[0].lod, 10);
});

test('CFX fixture: three targets, duplicates, one N/A standard; R lm; efficiency and R² diagnostics', () => {
  const p = cfxStandards(fs.readFileSync(fixture('expression', 'CFX_sample.txt'), 'utf8'));
  const curves = plateStandardCurves(p, 35);
  assert.deepEqual(curves.map((c) => c.target), ['GLP1', 'PYY', 'TFF1']);
  for (const c of curves) same(c, golden.cfx[c.target], `CFX ${c.target}`);
  const codes = (t: string) => curves.find((c) => c.target === t)!.diagnostics.map((d) => d.code).sort();
  assert.deepEqual(codes('GLP1'), ['std-efficiency', 'std-r2']); // 126.8 %, R² 0.967
  assert.deepEqual(codes('PYY'), []);                            // 106.2 %, R² 0.987
  assert.deepEqual(codes('TFF1'), ['std-efficiency', 'std-r2']); // 111.6 %, R² 0.960
  for (const d of curves[0].diagnostics) assert.equal(d.file, 'CFX_sample.txt');
});

test('a perfect 10-fold series gives slope -1/log10(2), E = 2, 100 %', () => {
  const s = -1 / Math.log10(2);
  const ws = [1e5, 1e4, 1e3, 1e2].flatMap((q) => [0, 1].map(() => ({ s: `std ${q}`, t: 'X', cq: 10 + s * Math.log10(q), task: 'standard' as const, q })));
  const c = standardCurve(plate('p', ws).wells, { file: 'p', target: 'X' });
  assertClose(c.slope, s, 1e-12);
  assertClose(c.efficiency, 2, 1e-12);
  assertClose(c.efficiencyPercent, 100, 1e-9);
  assertClose(c.r2, 1, 1e-12);
  assert.deepEqual(c.diagnostics, []);
});

test('too few standards: no fit and std-too-few; LOD rule skips levels with a non-detect', () => {
  const p = plate('p', [
    { s: 'a', t: 'X', cq: 20, task: 'standard', q: 1000 },
    { s: 'b', t: 'X', cq: null, task: 'standard', q: 100 },
    { s: 'b', t: 'X', cq: 23.3, task: 'standard', q: 100 },
  ]);
  const c = standardCurve(p.wells, { file: 'p', target: 'X' });
  assert.equal(c.slope, null);
  assert.deepEqual(c.diagnostics.map((d) => d.code), ['std-too-few']);
  assert.equal(c.lod, 1000);
  assert.equal(c.n, 2);
});
