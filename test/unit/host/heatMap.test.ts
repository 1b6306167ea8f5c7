/** The plate heat map's markup (webview/plate/heatMap.ts), in plain Node. */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { heatGeometry, heatMapMarkup, type HeatColours, type HeatInput } from '../../../webview/plate/heatMap';
import { cqExtent, heatLayout, outlierReasons, worstSeverityByWell, type HeatLayout } from '../../../webview/plate/plateModel';
import type { PlateIssueView, PlateWellView } from '../../../src/shared/plateProtocol';

function well(index: number, p: Partial<PlateWellView>): PlateWellView {
  return { index, position: null, row: null, col: null, sample: 'S', target: 'T', task: 'unknown', cq: null, cqText: '', omitted: false, flags: [], line: index + 1, canOmit: true, canEditCq: true, ...p };
}

const COLOURS: HeatColours = {
  low: [204, 167, 0], high: [55, 148, 255], fg: '#cccccc', border: '#454545', error: '#f14c4c', warning: '#cca700', info: '#3794ff', focus: '#007fd4', empty: '#1e1e1e', outlier: '#d18616',
};

function input(wells: PlateWellView[], issues: PlateIssueView[] = [], extra: Partial<HeatInput> = {}): HeatInput {
  const layout = heatLayout({ rows: 8, cols: 12, wells }) as HeatLayout;
  return { layout, wells, worst: worstSeverityByWell(issues), outliers: outlierReasons(undefined), ext: cqExtent(wells), selected: undefined, colours: COLOURS, ...extra };
}

/** The `<g class="well" ...>...</g>` of each cell, in order. */
const cellsOf = (markup: string): string[] => markup.match(/<g class="well".*?<\/g>/g) ?? [];

test('heatMapMarkup: one g.well per position, occupied cells numbered in data-cell and mapped to their wells', () => {
  const wells = [well(0, { row: 0, col: 0, cq: 20, cqText: '20' }), well(1, { row: 0, col: 0, cq: 22, cqText: '22', target: 'U' }), well(2, { row: 7, col: 11, cq: 30, cqText: '30' })];
  const m = heatMapMarkup(input(wells));
  const cells = cellsOf(m.markup);
  assert.equal(cells.length, 96);
  assert.equal(m.cells.length, 2);
  assert.deepEqual(m.cells[0].map((w) => w.index), [0, 1]);
  assert.deepEqual(m.cells[1].map((w) => w.index), [2]);
  assert.match(cells[0], /aria-label="A1" tabindex="0" data-cell="0"/);
  assert.match(cells[95], /aria-label="H12" tabindex="0" data-cell="1"/);
  // Vacant cells: no tabindex, no data-cell, the vacant circle.
  assert.doesNotMatch(cells[1], /tabindex|data-cell/);
  assert.match(cells[1], /class="vacant"/);
  // Mean Cq of the cell's wells (21) at the low end of the scale 20..30; its label on a 52 px cell at 11 px.
  assert.match(cells[0], />21\.0<\/text>/);
  assert.match(cells[0], /font-size="11"/);
  assert.match(cells[0], /fill="#[0-9a-f]{6}" fill-opacity="1"/);
  assert.equal(m.width, heatGeometry({ kind: 'plate', rows: 8, cols: 12 }).width);
  assert.equal(m.width, 28 + 12 * 52 + 4);
  assert.equal(m.height, 20 + 8 * 52 + 4);
});

test('heatMapMarkup: no Cq hatched, omitted crossed, selection, findings and outliers marked', () => {
  const wells = [
    well(0, { row: 0, col: 0, cq: null, cqText: 'Undetermined' }),
    well(1, { row: 0, col: 1, cq: 25, cqText: '25', omitted: true }),
    well(2, { row: 0, col: 2, cq: 26, cqText: '26' }),
    well(3, { row: 0, col: 3, cq: 27, cqText: '27' }),
    well(4, { row: 0, col: 4, cq: 28, cqText: '28' }),
  ];
  const issues: PlateIssueView[] = [
    { code: 'w', severity: 'warning', message: 'm', line: 1, wells: [2, 3] },
    { code: 'e', severity: 'error', message: 'm', line: 1, wells: [3] },
  ];
  const m = heatMapMarkup(input(wells, issues, { selected: 4, outliers: new Set([2]) }));
  const [nocq, omitted, warned, errored, selected] = cellsOf(m.markup);
  assert.match(nocq, /fill="url\(#hatch\)"/);
  assert.match(nocq, /class="cq nocq"[^>]*>—</);
  assert.match(omitted, /fill-opacity="0.35"/);
  assert.match(omitted, /class="cross"/);
  assert.doesNotMatch(omitted, /<text/);
  assert.match(warned, /stroke="#cca700" stroke-width="2.5"/);
  assert.match(warned, /class="outlier-ring"/);
  assert.match(errored, /stroke="#f14c4c" stroke-width="2.5"/);
  assert.match(errored, /r="4.16" fill="#f14c4c"/);
  assert.match(selected, /stroke="#007fd4" stroke-width="3"/);
  assert.equal(cellsOf(m.markup).filter((c) => c.includes('outlier-ring')).length, 1);
});

test('heatMapMarkup: theme colours and labels are escaped, so no markup can come from them', () => {
  const wells = [well(0, { row: 0, col: 0, cq: 20, cqText: '20' })];
  const layout = heatLayout({ rows: 8, cols: 12, wells }) as HeatLayout;
  const evil: HeatLayout = { ...layout, cellName: () => '"><script>x</script>', rowLabel: () => '<b>', colLabel: () => '&' };
  const m = heatMapMarkup({ ...input(wells), layout: evil, colours: { ...COLOURS, empty: '"/><script>', fg: "'" } });
  assert.doesNotMatch(m.markup, /<script|<b>/);
  assert.match(m.markup, /aria-label="&quot;&gt;&lt;script&gt;x&lt;\/script&gt;"/);
  assert.match(m.markup, />&lt;b&gt;<\/text>/);
  assert.match(m.markup, />&amp;<\/text>/);
  assert.match(m.markup, /fill="&quot;\/&gt;&lt;script&gt;"/);
  assert.match(m.markup, /stroke="&#39;"/);
});

test('heatMapMarkup: 1,536 wells on 16 px cells, every other column labelled, no Cq text', () => {
  const wells: PlateWellView[] = [];
  for (let r = 0; r < 32; r++) for (let c = 0; c < 48; c++) wells.push(well(wells.length, { row: r, col: c, cq: 20 + (wells.length % 10), cqText: 'x' }));
  const m = heatMapMarkup({ ...input(wells), layout: heatLayout({ rows: 32, cols: 48, wells }) as HeatLayout });
  assert.equal(cellsOf(m.markup).length, 1536);
  assert.equal(m.cells.length, 1536);
  assert.equal((m.markup.match(/class="axis" text-anchor="middle"/g) ?? []).length, 24);
  assert.doesNotMatch(m.markup, /class="cq/);
  assert.equal(m.width, 28 + 48 * 16 + 4);
});
