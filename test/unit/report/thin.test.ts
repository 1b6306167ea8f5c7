/** Charts at biobank scale: large lines simplified, large scatters sampled, small charts as made (src/shared/charts/thin.ts). */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { fixture } from '../helpers';
import type { AnalysisResult, KmResult, Report } from '../../../src/shared/report/types';
import { isErrorResult } from '../../../src/shared/report/types';
import { axisExtent, type ChartSpec, type Series } from '../../../src/shared/charts/chartSpec';
import { chartsFor } from '../../../src/shared/charts/specs';
import { chartKind } from '../../../src/shared/charts/kinds';
import { MAX_POINTS, RESOLUTION, sampleByValue, simplifyIndexes, thinSpec } from '../../../src/shared/charts/thin';
import { mulberry32 } from '../../fuzz/studyFuzz';

/** The fuzzers' seeded generator, so a failure can be replayed. */
const rng = mulberry32;

const baselines = fs.readdirSync(fixture('report-baseline')).filter((f) => f.endsWith('.report.json'));
const reportResults = (f: string) =>
  (JSON.parse(fs.readFileSync(fixture('report-baseline', f), 'utf8')) as Report).results.filter((r) => !isErrorResult(r)) as AnalysisResult[];
const pointsOf = (s: Series): number => (s.type === 'line' || s.type === 'scatter' || s.type === 'band' ? s.points.length : 0);

test('every chart of the example reports is drawn as its kind made it (below the limits nothing is thinned)', () => {
  let charts = 0;
  for (const f of baselines) {
    for (const r of reportResults(f)) {
      for (const o of [{}, { showCi: true }]) {
        const made = chartKind(r.kind).charts(r, o);
        assert.deepEqual(chartsFor(r, o), made, `${f}: ${r.name}`);
        for (const spec of made) assert.equal(thinSpec(spec), spec);
        charts += made.length;
      }
    }
  }
  assert.ok(charts > 20, `${charts} charts compared`);
});

test('sampleByValue: the values at evenly spaced ranks (both extremes), each at its first unused index, in index order', () => {
  const next = rng(7);
  for (let trial = 0; trial < 40; trial++) {
    const n = 1 + Math.floor(next() * 3000), k = 1 + Math.floor(next() * 400);
    // ties on purpose: values on a coarse grid, and some non-finite
    const v = Array.from({ length: n }, () => (next() < 0.05 ? (next() < 0.5 ? NaN : Infinity) : Math.round(next() * 50) / 10));
    const idx = sampleByValue(v, k);
    const finiteIdx = v.flatMap((x, i) => (Number.isFinite(x) ? [i] : []));
    if (finiteIdx.length <= k) { assert.deepEqual(idx, finiteIdx); continue; }
    assert.equal(idx.length, k);
    for (let j = 1; j < idx.length; j++) assert.ok(idx[j] > idx[j - 1], 'ascending, no repeats');
    // restated: sort (value, index) pairs; the wanted values are at ranks round(j(m-1)/(k-1))
    const sorted = finiteIdx.map((i) => v[i]).sort((a, b) => a - b), m = sorted.length;
    const wanted = Array.from({ length: k }, (_, j) => sorted[k === 1 ? 0 : Math.round((j * (m - 1)) / (k - 1))]);
    assert.deepEqual(idx.map((i) => v[i]).sort((a, b) => a - b), wanted);
    assert.equal(wanted[0], sorted[0]);
    if (k > 1) assert.equal(wanted[k - 1], sorted[m - 1]);
    // each value's points are its first occurrences
    for (const x of new Set(wanted)) {
      const taken = idx.filter((i) => v[i] === x), first = finiteIdx.filter((i) => v[i] === x).slice(0, taken.length);
      assert.deepEqual(taken, first);
    }
  }
});

/** The y of a drawn polyline at x (straight between points, or right-continuous steps). */
function drawnAt(pts: { x: number; y: number }[], x: number, step: boolean): number {
  let j = 0;
  while (j + 1 < pts.length && pts[j + 1].x <= x) j++;
  if (step || j + 1 >= pts.length || pts[j + 1].x === pts[j].x) return pts[j].y;
  const a = pts[j], b = pts[j + 1];
  return a.y + ((b.y - a.y) * (x - a.x)) / (b.x - a.x);
}

test('simplifyIndexes: every point within 1/RESOLUTION of the extent of a drawn vertex; a step curve within it at every time', () => {
  const next = rng(11);
  for (const step of [true, false]) {
    for (let trial = 0; trial < 6; trial++) {
      // a survival-like step curve: increasing times, decreasing survival, with some flat runs and big jumps
      const n = 20_000 + Math.floor(next() * 20_000);
      const pts: { x: number; y: number }[] = [];
      let x = 0, y = 1;
      for (let i = 0; i < n; i++) {
        x += next() < 0.01 ? next() * 50 : next() * 0.01;
        y -= next() < 0.002 ? next() * 0.05 : next() * 2e-5;
        pts.push({ x, y: step ? y : y + Math.sin(x) * 0.1 });
      }
      const keep = simplifyIndexes(n, [(i) => pts[i].x, (i) => pts[i].y]);
      assert.equal(keep[0], 0);
      assert.equal(keep[keep.length - 1], n - 1);
      assert.ok(keep.length < n / 2, `${keep.length} of ${n} kept`);
      const kept = keep.map((i) => pts[i]);
      const ys = pts.map((p) => p.y), tolY = (Math.max(...ys) - Math.min(...ys)) / RESOLUTION;
      const tolX = (pts[n - 1].x - pts[0].x) / RESOLUTION;
      for (let i = 0; i < n; i += 7) {
        // every point of the full line is within the tolerance box of a drawn vertex ...
        let lo = 0, hi = kept.length;
        while (lo < hi) { const mid = (lo + hi) >> 1; if (kept[mid].x < pts[i].x - tolX) lo = mid + 1; else hi = mid; }
        let near = false;
        for (let j = lo; j < kept.length && kept[j].x <= pts[i].x + tolX && !near; j++) near = Math.abs(kept[j].y - pts[i].y) <= tolY;
        assert.ok(near, `${step ? 'step' : 'line'}: point ${i} (${pts[i].x}, ${pts[i].y}) is not within the tolerance of a drawn vertex`);
        // ... and a step curve drawn from the kept points is within tolY of the full one at every time
        if (step) assert.ok(Math.abs(drawnAt(kept, pts[i].x, true) - pts[i].y) <= tolY + 1e-12, `step at x = ${pts[i].x}`);
      }
    }
  }
  // a gap (non-finite) is kept, and resets the comparison
  const gap = [0, 1, 2, NaN, 3, 4].map((y, i) => ({ x: i / 1e6, y: y / 1e6 }));
  assert.ok(simplifyIndexes(gap.length, [(i) => gap[i].x, (i) => gap[i].y]).includes(3));
  // an infinite value is kept and does not widen the tolerance of the rest to infinity
  const inf = Array.from({ length: 10_000 }, (_, i) => ({ x: i, y: i === 5000 ? Infinity : Math.sin(i / 100) }));
  const kept = simplifyIndexes(inf.length, [(i) => inf[i].x, (i) => inf[i].y]);
  const finite = inf.map((p, i) => ({ x: p.x, y: i === 5000 ? 0 : p.y }));
  assert.ok(kept.includes(5000), 'the infinite point');
  assert.equal(kept.length, simplifyIndexes(finite.length, [(i) => finite[i].x, (i) => finite[i].y]).length, 'as many kept as without it');
});

test('a KM result of 40,000 distinct times: the curve and band simplified within the resolution, censor ticks sampled and said', () => {
  const km = structuredClone(reportResults('sorafenib-mir221.report.json').find((r) => r.kind === 'km')) as KmResult;
  const next = rng(3);
  for (const g of km.groups) {
    let s = 1, t = 0;
    g.curve = Array.from({ length: 40_000 }, () => {
      t += next();
      s *= 1 - next() * 4e-5;
      return { t, s, lo: s * 0.97, hi: Math.min(1, s * 1.03), censored: next() < 0.3 ? 1 : 0 } as KmResult['groups'][number]['curve'][number];
    });
  }
  const [spec] = chartsFor(km, { showCi: true });
  // each monotone coordinate keeps at most RESOLUTION points (each kept one moved it by more than 1/RESOLUTION)
  const bound: Record<string, number> = { line: 2 * RESOLUTION + 2, band: 3 * RESOLUTION + 2, scatter: MAX_POINTS };
  for (const s of spec.series) assert.ok(pointsOf(s) <= (bound[s.type] ?? 0), `${s.type}: ${pointsOf(s)}`);
  const lines = spec.series.filter((s) => s.type === 'line');
  assert.equal(lines.length, km.groups.length);
  km.groups.forEach((g, i) => {
    const l = lines[i];
    if (l.type !== 'line') return;
    const tol = 1 / RESOLUTION; // the curve spans at most [0, 1]
    for (const p of g.curve.filter((_, k) => k % 11 === 0)) assert.ok(Math.abs(drawnAt(l.points, p.t, true) - p.s) <= tol, `t = ${p.t}`);
    assert.equal(l.points[l.points.length - 1].x, g.curve[g.curve.length - 1].t, 'ends at the last time');
  });
  assert.match(spec.subtitle ?? '', /markers: 5000 of \d+ shown; markers: 5000 of \d+ shown \(a sample stratified by value\)/);
  // the axes still span the data
  assert.equal(axisExtent(spec, 'x')[1] >= km.groups[0].curve[39_999].t, true);
});

test('a compare result of 200,000 values per group: boxes from every value, 5,000 jittered points each, the extremes drawn, the sample said', () => {
  const report = JSON.parse(fs.readFileSync(fixture('report-baseline', 'invitro-cell-line.report.json'), 'utf8')) as Report;
  const r = structuredClone(report.results.find((x) => x.name === 'anova_mki67')) as AnalysisResult & { kind: 'compare' };
  const next = rng(5);
  r.groups!.forEach((g, i) => { g.values = Array.from({ length: 200_000 }, () => i + next() * 3); });
  r.groups![1].values[77] = 99;
  const small = structuredClone(r);
  small.groups!.forEach((g) => { g.values = g.values.slice(0, MAX_POINTS); });
  // The kind samples the markers before it makes them (sampledMarkers), as thinSpec would sample the whole series.
  const [big] = chartsFor(r), [made] = chartKind('compare').charts(r, {}), [whole] = chartsFor(r, { allPoints: true });
  assert.deepEqual(big, made);
  assert.deepEqual(thinSpec(whole), big);
  const labelOf = (s: Series): string => (s.type === 'text' ? '' : (s.label ?? ''));
  const scatters = big.series.filter((s) => s.type === 'scatter' && labelOf(s).includes('n = 200000'));
  assert.equal(scatters.length, r.groups!.length);
  for (const s of scatters) {
    assert.equal(pointsOf(s), MAX_POINTS);
    assert.match(labelOf(s), /\(n = 200000; 5000 shown\)$/);
  }
  assert.equal(big.thinned, true);
  // boxes and whiskers from all values
  assert.deepEqual(big.series.filter((s) => s.type !== 'scatter'), whole.series.filter((s) => s.type !== 'scatter'));
  assert.match(big.subtitle ?? '', /markers: a sample stratified by value$/);
  assert.equal(axisExtent(big, 'y')[1] >= 99, true, 'the largest value is drawn');
  // the data export's charts (allPoints) draw every value
  assert.deepEqual(whole.series.filter((s) => s.type === 'scatter').map(pointsOf), r.groups!.map(() => 200_000));
  // at the limit nothing is sampled
  const [atLimit] = chartsFor(small);
  assert.deepEqual(atLimit, chartKind('compare').charts(small, {})[0]);
});

test('a paired result of 30,000 pairs: lines and dots stay matched pair for pair, the sample said; means from every pair', () => {
  const r = structuredClone(reportResults('sorafenib-mir221.report.json').find((x) => x.kind === 'compare' && (x as { pairs?: unknown[] }).pairs?.length)) as AnalysisResult & { kind: 'compare' };
  const next = rng(9);
  r.pairs = Array.from({ length: 30_000 }, (_, k) => ({ id: `s${k}`, a: next() * 10, b: next() * 10 + 1 }));
  const [spec] = chartsFor(r) as ChartSpec[];
  const [seg, da, db, mean] = spec.series;
  assert.ok(seg.type === 'segments' && da.type === 'scatter' && db.type === 'scatter' && mean.type === 'line');
  assert.equal(seg.segments.length, MAX_POINTS);
  assert.deepEqual(da.points.map((p) => p.id), db.points.map((p) => p.id));
  const byId = new Map(r.pairs.map((p) => [p.id, p]));
  seg.segments.forEach((g, k) => {
    const p = byId.get(da.points[k].id!)!;
    assert.deepEqual(g, [0, p.a, 1, p.b]);
  });
  assert.match(spec.subtitle ?? '', /pairs: 5000 of 30000 shown \(a sample stratified by the difference\)$/);
  assert.equal(spec.thinned, true);
  // the data export (allPoints) has every pair
  const [full] = chartsFor(r, { allPoints: true });
  assert.equal(full.series[0].type === 'segments' ? full.series[0].segments.length : 0, 30_000);
  const ma = r.pairs.reduce((s, p) => s + p.a, 0) / r.pairs.length;
  assert.equal(mean.points[0].y, ma);
});

test('an absolute result of 12,000 unknowns: bars and dots stay matched, a sample stratified by Cq, said in the subtitle', () => {
  const r = structuredClone(reportResults('real-cfx-reference-genes.report.json').find((x) => x.kind === 'absolute')) as AnalysisResult & { kind: 'absolute' };
  const target = r.targets[0];
  const one = r.samples.find((s) => s.target === target && s.ci !== null && s.cq !== null && s.quantity !== null)!;
  const next = rng(13);
  r.samples = Array.from({ length: 12_000 }, (_, k) => {
    const q = 10 ** (next() * 4);
    return { ...one, sample: `u${k}`, cq: 20 + next() * 15, quantity: q, ci: [q / 2, q * 2] };
  });
  const [spec] = chartsFor(r);
  const seg = spec.series.find((s) => s.type === 'segments'), dots = spec.series.find((s) => s.type === 'scatter');
  assert.ok(seg?.type === 'segments' && dots?.type === 'scatter');
  assert.equal(seg.segments.length, MAX_POINTS);
  const byId = new Map(r.samples.map((s) => [s.sample, s]));
  dots.points.forEach((p, k) => {
    const s = byId.get(p.id!)!;
    assert.equal(p.y, s.cq);
    assert.deepEqual(seg.segments[k], [Math.log10(s.ci![0]), s.cq!, Math.log10(s.ci![1]), s.cq!]);
  });
  assert.match(spec.subtitle ?? '', /unknowns: 5000 of 12000 shown \(a sample stratified by Cq\)$/);
  assert.equal(spec.thinned, true);
  const [full] = chartsFor(r, { allPoints: true });
  assert.equal(full.series.find((s) => s.type === 'scatter')?.type === 'scatter' ? (full.series.find((s) => s.type === 'scatter') as { points: unknown[] }).points.length : 0, 12_000);
});
