/**
 * The report glitches a new user saw (issue 15): p in running text, KM medians not reached, the time unit, the
 * paired plot's axis, clipped markers and the numbers-at-risk footer (format.ts, kinds/km.ts, webview/results).
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { fixture } from '../helpers';
import type { AnalysisResult, CompareResult, KmResult, Report } from '../../../src/shared/report/types';
import { isErrorResult } from '../../../src/shared/report/types';
import { pStatement, toCsv } from '../../../src/shared/report/format';
import { resultTables } from '../../../src/shared/report/kinds';
import { timeAxisLabel } from '../../../src/shared/report/kinds/km';
import { axisExtent, footerHeight, markerOverflow, OKABE_ITO_LIGHT, type ChartSpec, type ThemeColours } from '../../../src/shared/charts/chartSpec';
import { chartsFor } from '../../../src/shared/charts/specs';
import { pairedAxisLabel } from '../../../src/shared/charts/kinds/compare';
import { chartToSvg, layout } from '../../../src/shared/charts/svg';
import { timeUnitOf } from '../../../src/engine/analyses/survival';

const sample = JSON.parse(fs.readFileSync(fixture('report', 'sample-report.json'), 'utf8')) as Report;
const results = sample.results.filter((r) => !isErrorResult(r)) as AnalysisResult[];
const theme: ThemeColours = { fg: '#1f1f1f', muted: '#616161', grid: '#e0e0e0', bg: '#ffffff', palette: OKABE_ITO_LIGHT, font: 'sans-serif', lineScale: 1 };

test('pStatement: "p < 0.001" below a thousandth, "p = 0.012" otherwise, with an optional label', () => {
  assert.equal(pStatement(0.0004), 'p < 0.001');
  assert.equal(pStatement(0.0123), 'p = 0.012');
  assert.equal(pStatement(0.05, 'adjusted p'), 'adjusted p = 0.050');
  assert.equal(pStatement(1e-9, 'adjusted p'), 'adjusted p < 0.001');
});

/** A deep copy with every p-value field ("p", "pAdjusted", ...) set to `v`. */
function withP<T>(x: T, v: number): T {
  return JSON.parse(JSON.stringify(x), (k, val) => (/^p(Adjusted|Value)?$/.test(k) && typeof val === 'number' ? v : val)) as T;
}

test('no chart title, subtitle, legend, table cell or note of any result reads "p = <" (every p set below 0.001)', () => {
  const texts: string[] = [];
  for (const r of withP(results, 1e-5)) {
    const opts = r.kind === 'correlate' ? r.rows.map((x) => ({ selectedRow: x.variable })) : [{ showCi: true }];
    for (const o of opts) for (const s of chartsFor(r, o)) texts.push(s.title, s.subtitle ?? '', ...s.series.map((x) => ('label' in x && x.label) || ''));
    for (const t of resultTables(r)) texts.push(t.note ?? '', ...t.rows.flat().map((c) => c.text));
  }
  assert.ok(texts.filter((t) => /\bp < 0\.001/.test(t)).length > 10, 'running texts state p < 0.001');
  for (const t of texts) assert.doesNotMatch(t, /p = </, t);
});

test('KM: a median or CI bound not reached shows "NR" in the table, the CSV and the legend, explained in the note', () => {
  const km = results.find((r): r is KmResult => r.kind === 'km' && r.groups.some((g) => g.median === null))!;
  assert.ok(km, 'the sample has a KM median not reached');
  const t = resultTables(km).find((x) => x.id === 'groups')!;
  const i = km.groups.findIndex((g) => g.median === null);
  assert.equal(t.rows[i][3].text, 'NR');
  assert.match(t.rows[i][4].text, /^\d+(\.\d)?–NR$/);
  for (const row of t.rows) for (const c of row) assert.ok(c.text !== 'NA' && !c.text.includes('NA') && c.text !== '—', `cell ${c.text}`);
  assert.match(t.note ?? '', /NR: not reached/);
  assert.match(toCsv(t), /,NR,/);
  const legend = chartsFor(km)[0].series.flatMap((s) => ('label' in s && s.label ? [s.label] : []));
  assert.ok(legend.some((l) => l.endsWith('median NR)')), legend.join(' | '));
});

test('KM: the time unit comes from the time column name and labels the axis and the median column', () => {
  const name = (n: string) => ({ name: 'o', time: { kind: 'name' as const, name: n }, event: { kind: 'num' as const, value: 1 }, range: undefined as never });
  assert.equal(timeUnitOf(name('dss_months')), 'months');
  assert.equal(timeUnitOf(name('os.days')), 'days');
  assert.equal(timeUnitOf(name('follow_up_year')), 'years');
  assert.equal(timeUnitOf(name('Weeks')), 'weeks');
  assert.equal(timeUnitOf(name('dssmonths')), undefined);
  assert.equal(timeUnitOf(name('time')), undefined);
  assert.equal(timeUnitOf({ ...name('x'), time: { kind: 'binary', op: '/', left: { kind: 'name', name: 'dss_days' }, right: { kind: 'num', value: 30 } } }), undefined);
  const km = results.find((r): r is KmResult => r.kind === 'km')!;
  assert.equal(km.timeUnit, 'months');
  assert.equal(chartsFor(km)[0].x.label, 'Time (months)');
  assert.equal(resultTables(km)[0].columns[3], 'Median (months)');
  assert.equal(timeAxisLabel({}), 'Time');
});

test('KM: the footer has room for every row below the last one (canvas padding, SVG height)', () => {
  const km = results.find((r): r is KmResult => r.kind === 'km')!;
  const spec = chartsFor(km)[0];
  const n = spec.footer!.rows.length;
  // canvas: the title 22 px under the axis, rows 18 px apart, each 12 px text centred on its line
  assert.ok(footerHeight(spec.footer) >= 22 + 18 * n + 6 + 6, `footer height ${footerHeight(spec.footer)} for ${n} rows`);
  assert.equal(footerHeight(undefined), 0);
  // SVG: the last row's baseline stays inside the document
  const svg = chartToSvg(spec, theme);
  const ys = [...svg.matchAll(/<text x="[\d.]+" y="([\d.]+)"[^>]*>[^<]*<\/text>/g)].map((m) => Number(m[1]));
  assert.ok(Math.max(...ys) <= spec.height - 4, `last text at ${Math.max(...ys)} of ${spec.height}`);
  assert.ok(layout(spec).bottom >= 48 + 18 * n);
});

test('paired plot: first named on the left, the y axis names the measurement (not the chart title)', () => {
  assert.equal(pairedAxisLabel('mir21_post', 'mir21_pre'), 'mir21');
  assert.equal(pairedAxisLabel('miR-221@m2', 'miR-221@pre'), 'miR-221');
  assert.equal(pairedAxisLabel('dcq(miR-221@m2)', 'dcq(miR-221@pre)'), 'dcq(miR-221)');
  assert.equal(pairedAxisLabel('miR-21', 'miR-22'), 'value');
  assert.equal(pairedAxisLabel('a', 'b'), 'value');
  const c = results.find((r): r is CompareResult => r.kind === 'compare' && !!r.pairs?.length)!;
  const spec = chartsFor(c)[0];
  assert.notEqual(spec.y.label, spec.title);
  assert.equal(spec.y.label, pairedAxisLabel(c.groups![0].label, c.groups![1].label));
  assert.deepEqual(spec.x.ticks!.map((t) => t.label), c.variable!.split(' vs '));
  assert.deepEqual(spec.x.ticks!.map((t) => t.value), [0, 1]);
});

/** Every scatter marker of a spec lies inside the plot area, with its radius, in the SVG's pixel scale. */
function clippedMarkers(spec: ChartSpec): string[] {
  const out: string[] = [];
  const L = layout(spec);
  const plotH = spec.height - L.top - L.bottom, plotW = spec.width - L.left - L.right;
  for (const ax of ['x', 'y'] as const) {
    if (spec[ax].type === 'log' || spec[ax].hidden) continue;
    const [lo, hi] = axisExtent(spec, ax);
    const px = ax === 'x' ? plotW : plotH;
    for (const s of spec.series) {
      if (s.type !== 'scatter' || s.marker === 'tick') continue;
      const r = s.size ?? 3.5;
      for (const p of s.points) {
        const d = Math.min(p[ax] - lo, hi - p[ax]) / (hi - lo) * px;
        if (d < r && d + markerOverflow(s) < r) out.push(`${spec.id} ${ax}=${p[ax]} (${d.toFixed(1)} px from the edge)`);
        if (d < 0) out.push(`${spec.id} ${ax}=${p[ax]} outside ${lo}..${hi}`);
      }
    }
  }
  return out;
}

test('data-driven axes are padded: no scatter marker of any chart is cut by the plot area', () => {
  let n = 0;
  for (const r of results) {
    const opts = r.kind === 'correlate' ? r.rows.map((x) => ({ selectedRow: x.variable })) : [{}];
    for (const o of opts) for (const s of chartsFor(r, o)) { n++; assert.deepEqual(clippedMarkers(s), [], `${r.name}/${s.id}`); }
  }
  assert.ok(n > 20);
  // the Child-Pugh scatter (integer scores): the axis ends beyond the largest score, not on it
  const cor = results.find((r) => r.kind === 'correlate')!;
  const spec = chartsFor(cor, { selectedRow: 'child_pugh_score' })[0];
  const ys = spec.series.flatMap((s) => (s.type === 'scatter' ? s.points.map((p) => p.y) : []));
  const [lo, hi] = axisExtent(spec, 'y');
  assert.ok(hi > Math.max(...ys) && lo < Math.min(...ys), `${lo}..${hi} for ${Math.min(...ys)}..${Math.max(...ys)}`);
});

test('SVG: scatter markers get a clip wider than the plot area by their size; lines keep the plot area', () => {
  const cor = results.find((r) => r.kind === 'correlate')!;
  const svg = chartToSvg(chartsFor(cor)[0], theme);
  assert.match(svg, /<clipPath id="clip-[^"]+-m\d+">/);
  assert.match(svg, /<g clip-path="url\(#clip-[^"]+-m\d+\)"><circle/);
  assert.match(svg, /<g clip-path="url\(#clip-[^"-]+(-[^"m][^"]*)?\)"><path/);
});
