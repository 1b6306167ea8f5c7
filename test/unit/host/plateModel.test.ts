/** Pure plate-editor view logic (webview/plate/plateModel.ts), in plain Node. */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import {
  ALL_TARGETS, compareValues, defaultTarget, cqExtent, groupReplicates, interpolate, parseColor, heatLayout, noLayoutText, plateGeometry, rowLabel,
  sanitizeViewState, scalePosition, sortBy, targetsOf, textColorOn, toHex, wellTooltip, worstSeverityByWell,
} from '../../../webview/plate/plateModel';
import type { PlateState, PlateWellView } from '../../../src/shared/plateProtocol';

function well(index: number, p: Partial<PlateWellView>): PlateWellView {
  return { index, position: null, row: null, col: null, sample: 'S', target: 'T', task: 'unknown', cq: null, cqText: '', omitted: false, flags: [], line: index + 1, canOmit: true, canEditCq: true, ...p };
}

test('rowLabel: A..Z then AA', () => {
  assert.equal(rowLabel(0), 'A');
  assert.equal(rowLabel(7), 'H');
  assert.equal(rowLabel(15), 'P');
  assert.equal(rowLabel(25), 'Z');
  assert.equal(rowLabel(26), 'AA');
  assert.equal(rowLabel(27), 'AB');
});

test('plateGeometry: file geometry, inferred standard plate, none without positions', () => {
  assert.deepEqual(plateGeometry({ rows: 8, cols: 12, wells: [well(0, { row: 7, col: 11 })] }), { rows: 8, cols: 12 });
  assert.deepEqual(plateGeometry({ rows: null, cols: null, wells: [well(0, { row: 2, col: 3 })] }), { rows: 8, cols: 12 });
  assert.deepEqual(plateGeometry({ rows: null, cols: null, wells: [well(0, { row: 9, col: 3 })] }), { rows: 16, cols: 24 });
  // A stated geometry too small for the wells is not trusted.
  assert.deepEqual(plateGeometry({ rows: 8, cols: 12, wells: [well(0, { row: 10, col: 20 })] }), { rows: 16, cols: 24 });
  assert.equal(plateGeometry({ rows: null, cols: null, wells: [well(0, {})] }), null);
});

test('no layout: "no well positions" only when no well names one; positions of many plates are said so', () => {
  assert.equal(noLayoutText({ wells: [well(0, {}), well(1, {})] }).short, 'no well positions');
  const many = noLayoutText({ wells: [well(0, {}), well(1, { position: 'P0001-A1' }), well(2, { position: 'P0420-P24' })] });
  assert.equal(many.short, 'positions fit no one plate');
  assert.match(many.long, /^The wells' positions \(such as P0001-A1\) do not fit one plate layout/);
});

test('groupReplicates: excludes omitted and no-Cq wells, flags SD above threshold', () => {
  const wells = [
    well(0, { sample: 'A', target: 'x', cq: 20, cqText: '20', position: 'A1' }),
    well(1, { sample: 'A', target: 'x', cq: 21, cqText: '21', position: 'A2' }),
    well(2, { sample: 'A', target: 'x', cq: 30, cqText: '30', omitted: true, position: 'A3' }),
    well(3, { sample: 'B', target: 'x', cq: null, cqText: 'Undetermined', position: 'B1' }),
    well(4, { sample: 'B', target: 'x', cq: 25, cqText: '25', position: 'B2' }),
    // Controls and wells without a sample are no replicates (as in QC).
    well(5, { sample: 'NTC', target: 'x', cq: 30, cqText: '30', task: 'ntc', position: 'C1' }),
    well(6, { sample: 'NTC', target: 'x', cq: 38, cqText: '38', task: 'ntc', position: 'C2' }),
    well(7, { sample: '', target: 'x', cq: 20, cqText: '20', position: 'C3' }),
  ];
  const groups = groupReplicates(wells, 0.5);
  assert.equal(groups.length, 2);
  const [a, b] = groups;
  assert.equal(a.sample, 'A');
  assert.deepEqual(a.wells, [0, 1, 2]);
  assert.equal(a.used, 2);
  assert.equal(a.omitted, 1);
  assert.equal(a.mean, 20.5);
  assert.ok(a.highSd); // SD 0.707 > 0.5
  assert.equal(a.positions, 'A1, A2, A3');
  assert.equal(b.used, 1);
  assert.equal(b.noCq, 1);
  assert.equal(b.sd, null);
  assert.equal(b.highSd, false);
});

test('compareValues / sortBy: natural order, numbers, empties last both ways, stable', () => {
  assert.deepEqual(sortBy(['A10', 'A2', 'A1'], (x) => x, 'asc'), ['A1', 'A2', 'A10']);
  assert.deepEqual(sortBy([3, null, 1, 2], (x) => x, 'asc'), [1, 2, 3, null]);
  assert.deepEqual(sortBy([3, null, 1, 2], (x) => x, 'desc'), [3, 2, 1, null]);
  const rows = [{ k: 1, id: 'a' }, { k: 0, id: 'b' }, { k: 1, id: 'c' }];
  assert.deepEqual(sortBy(rows, (r) => r.k, 'asc').map((r) => r.id), ['b', 'a', 'c']);
  assert.equal(compareValues('', 'x', 'asc'), 1);
});

test('colours: parse, interpolate, hex, contrast', () => {
  assert.deepEqual(parseColor('#fff'), [255, 255, 255]);
  assert.deepEqual(parseColor('#3794ff'), [0x37, 0x94, 0xff]);
  assert.deepEqual(parseColor('#3794ffcc'), [0x37, 0x94, 0xff]);
  assert.deepEqual(parseColor('rgb(1, 2, 3)'), [1, 2, 3]);
  assert.deepEqual(parseColor('rgba(1 2 3 / 50%)'), [1, 2, 3]);
  assert.equal(parseColor('var(--x)'), null);
  assert.equal(toHex(interpolate([[0, 0, 0], [255, 255, 255]], 0.5)), '#808080');
  assert.equal(toHex(interpolate([[0, 0, 0], [255, 255, 255]], 2)), '#ffffff');
  assert.equal(toHex(interpolate([[0, 0, 0], [100, 0, 0], [100, 100, 0]], 0.75)), '#643200');
  assert.equal(textColorOn([255, 255, 0]), '#000000');
  assert.equal(textColorOn([0, 0, 128]), '#ffffff');
  assert.equal(scalePosition(25, 20, 30), 0.5);
  assert.equal(scalePosition(25, 25, 25), 0.5);
});

test('cqExtent and targetsOf', () => {
  const ws = [well(0, { cq: 30, target: 'b' }), well(1, { cq: null, target: 'a' }), well(2, { cq: 18.5, target: 'b' })];
  assert.deepEqual(cqExtent(ws), { min: 18.5, max: 30 });
  assert.equal(cqExtent([well(0, {})]), null);
  assert.deepEqual(targetsOf(ws), ['b', 'a']);
});

test('worst severity per well and tooltip text', () => {
  const issues = [
    { code: 'qc-late', severity: 'warning' as const, message: 'late', line: 1, wells: [0, 1] },
    { code: 'cq-bad', severity: 'error' as const, message: 'bad <b>', line: 1, wells: [0] },
  ];
  const worst = worstSeverityByWell(issues);
  assert.equal(worst.get(0), 'error');
  assert.equal(worst.get(1), 'warning');
  const tt = wellTooltip(well(0, { position: 'A1', sample: 'S1', target: 'miR-21', cq: null, cqText: 'Undetermined', flags: ['NOAMP'] }), issues);
  assert.equal(tt[0], 'A1 · S1 · miR-21');
  assert.equal(tt[1], 'Cq: no Cq (Undetermined)');
  assert.ok(tt.includes('Flags: NOAMP'));
  assert.equal(tt[tt.length - 2], 'error: bad <b>');
});

test('sanitizeViewState drops stale or malformed state', () => {
  const state = { wells: [well(0, { target: 'x' })] } as unknown as PlateState;
  assert.deepEqual(sanitizeViewState(null, state), { v: 1 });
  assert.deepEqual(sanitizeViewState({ v: 2, target: 'x' }, state), { v: 1 });
  assert.deepEqual(sanitizeViewState({ v: 1, target: 'gone', selected: 5, wellSort: { key: 'cq', dir: 'up' } }, state), { v: 1 });
  assert.deepEqual(sanitizeViewState({ v: 1, target: 'x', selected: 0, groupSort: { key: 'sd', dir: 'desc' } }, state),
    { v: 1, target: 'x', selected: 0, groupSort: { key: 'sd', dir: 'desc' } });
  assert.equal(sanitizeViewState({ v: 1, target: ALL_TARGETS }, state).target, ALL_TARGETS);
});

test('defaultTarget: all targets on singleplex plates, the first target when positions are shared', () => {
  const single = [well(0, { row: 0, col: 0, target: 'a' }), well(1, { row: 0, col: 1, target: 'b' })];
  assert.equal(defaultTarget(single, ['a', 'b']), ALL_TARGETS);
  const multi = [well(0, { row: 0, col: 0, target: 'a' }), well(1, { row: 0, col: 0, target: 'b' })];
  assert.equal(defaultTarget(multi, ['a', 'b']), 'a');
  assert.equal(defaultTarget([well(0, { target: 'a' })], ['a']), ALL_TARGETS);
});

// ---------- standard curves and outliers ----------
import {
  curveExtent, formatEfficiency, formatQuantity, groupOutlierText, niceTicks, outlierReasons, outlierRuleText, powerOfTen, logQuantityTicks,
} from '../../../webview/plate/plateModel';
import type { OutlierView } from '../../../src/shared/plateProtocol';

test('niceTicks: steps of 1, 2, 2.5, 5 × 10^k covering the range, degenerate ranges widened', () => {
  assert.deepEqual(niceTicks(26, 38), [27.5, 30, 32.5, 35, 37.5]);
  assert.deepEqual(niceTicks(26.2, 38.7), [30, 35]); // 12.500000000000004 / 5 is just above 2.5: step 5
  assert.deepEqual(niceTicks(0, 1), [0, 0.2, 0.4, 0.6, 0.8, 1]);
  assert.deepEqual(niceTicks(-1.3, 1.2), [-1, -0.5, 0, 0.5, 1]);
  assert.deepEqual(niceTicks(5, 5), [4, 4.5, 5, 5.5, 6]);
  assert.deepEqual(niceTicks(10, 0, 2), [0, 5, 10]);
  assert.deepEqual(niceTicks(NaN, 1), []);
});

test('curveExtent: padded data range, null without points', () => {
  assert.equal(curveExtent({ points: [] }), null);
  const e = curveExtent({ points: [{ well: 0, position: 'A1', log10q: 0, cq: 20 }, { well: 1, position: 'A2', log10q: 5, cq: 36 }] })!;
  assert.deepEqual(e.x, [-0.3, 5.3]);
  assert.ok(Math.abs(e.y[0] - 18.72) < 1e-12 && Math.abs(e.y[1] - 37.28) < 1e-12);
  const one = curveExtent({ points: [{ well: 0, position: null, log10q: 2, cq: 30 }] })!;
  assert.deepEqual(one, { x: [1.75, 2.25], y: [29.5, 30.5] });
});

test('powerOfTen / formatQuantity: superscripts, scientific only for very large or small quantities', () => {
  assert.equal(powerOfTen(7), '10⁷');
  assert.equal(powerOfTen(-2), '10⁻²');
  assert.equal(formatQuantity(0.125), '0.125');
  assert.equal(formatQuantity(312.5), '312.5');
  assert.equal(formatQuantity(1e7), '1 × 10⁷');
  assert.equal(formatQuantity(2.5e-4), '2.5 × 10⁻⁴');
  assert.equal(formatQuantity(null), '—');
  assert.equal(formatQuantity(Infinity), '—');
});

test('formatEfficiency: percent with its CI', () => {
  assert.equal(formatEfficiency({ efficiencyPercent: 106.2, efficiencyPercentCi: [96.3, 118.2] }), '106.2 % (95 % CI 96.3–118.2)');
  assert.equal(formatEfficiency({ efficiencyPercent: 91.06, efficiencyPercentCi: null }), '91.1 %');
  assert.equal(formatEfficiency({ efficiencyPercent: null, efficiencyPercentCi: null }), '—');
});

test('outliers: reasons by well, group text with ambiguity notes, rule description', () => {
  const o: OutlierView = { method: 'grubbs', alpha: 0.05, distance: 1, wells: [{ well: 2, reason: 'Grubbs G = 1.15, p = 0.01' }], ambiguous: [{ well: 5, message: 'two replicates 2.1 cycles apart' }] };
  assert.deepEqual([...outlierReasons(o)], [[2, 'Grubbs G = 1.15, p = 0.01']]);
  assert.equal(outlierReasons(undefined).size, 0);
  const wells = [0, 1, 2, 3, 4, 5].map((i) => well(i, { position: `A${i + 1}` }));
  assert.equal(groupOutlierText({ wells: [0, 1, 2] }, wells, o), 'A3: Grubbs G = 1.15, p = 0.01');
  assert.equal(groupOutlierText({ wells: [4, 5] }, wells, o), 'two replicates 2.1 cycles apart');
  assert.equal(groupOutlierText({ wells: [0, 1] }, wells, o), '');
  assert.equal(groupOutlierText({ wells: [2] }, wells, undefined), '');
  assert.equal(outlierRuleText(o), 'Grubbs outliers, alpha 0.05');
  assert.equal(outlierRuleText({ ...o, method: 'distance', distance: 1.5 }), 'outliers farther than 1.5 cycles from the median of the other replicates');
  assert.equal(outlierRuleText(undefined), 'outlier screening off (setting qpcr.outliers.method)');
});

test('logQuantityTicks: decades when the axis spans two or more, else 1-2-5 quantities; never log values as labels', () => {
  assert.deepEqual(logQuantityTicks(1.7, 5.2).map((t) => [t.at, t.label]), [[2, '10²'], [3, '10³'], [4, '10⁴'], [5, '10⁵']]);
  // The issue's case: 10^2.5 to 10^3.6 gave "2.5, 10³, 3.5".
  const narrow = logQuantityTicks(2.5, 3.6);
  assert.deepEqual(narrow.map((t) => t.label), ['500', '1000', '2000']);
  for (const t of narrow) assert.ok(t.at >= 2.5 && t.at <= 3.6);
  assert.ok(Math.abs(narrow[0].at - Math.log10(500)) < 1e-12);
  assert.deepEqual(logQuantityTicks(3, 3), []);
});

test('heatLayout: plates by position; BioMark chamber ids (S48-A01) as a samples × assays matrix; neither → null', () => {
  const well = (position: string | null, row: number | null = null, col: number | null = null) => ({ position, row, col } as PlateWellView);
  const plate = heatLayout({ rows: 8, cols: 12, wells: [well('B3', 1, 2)] })!;
  assert.equal(plate.kind, 'plate');
  assert.deepEqual([plate.rows, plate.cols, plate.keyOf(well('B3', 1, 2)), plate.cellName(1, 2)], [8, 12, 10002, 'B3']);
  const chip = heatLayout({ rows: null, cols: null, wells: [well('S01-A01'), well('S48-A02'), well('S02-A48')] })!;
  assert.equal(chip.kind, 'chip');
  assert.deepEqual([chip.rows, chip.cols], [48, 48]);
  assert.equal(chip.keyOf(well('S48-A02')), 47 * 10000 + 1);
  assert.deepEqual([chip.rowLabel(47), chip.colLabel(1), chip.cellName(47, 1)], ['S48', '2', 'S48-A02']);
  assert.equal(heatLayout({ rows: null, cols: null, wells: [well('S01-A01'), well('tube 7')] }), null);
  assert.equal(heatLayout({ rows: null, cols: null, wells: [] }), null);
});
