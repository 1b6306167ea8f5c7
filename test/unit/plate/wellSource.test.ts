/**
 * A text import's wells kept as its blocks' columns (src/engine/plate/wellSource.ts): `plate.wells` is made on its
 * first read, and the passes of import, plate QC and expression read the columns without making it. What they find
 * must equal what they find over the array of views, and the array, once made, must be the same wells in the same
 * key order as before.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { importPlate } from '../../../src/engine/plate';
import { importPlateStream } from '../../../src/engine/plate/stream';
import { pendingRuns, wellSource, WellRuns } from '../../../src/engine/plate/wellSource';
import { plainWell, WellColumns } from '../../../src/engine/plate/wellStore';
import { runQc } from '../../../src/engine/qc';
import { computeExpression } from '../../../src/engine/expression/expression';
import { DEFAULT_QC, type Plate } from '../../../src/engine/plate/model';
import { assertSameWells } from './sameWells';

/**
 * Ten plates' worth of rows (more than a streamed import's head, which reads the first 5,000 rows whole): replicates,
 * noisy groups, no-Cq spellings, an NTC, an omitted well, a duplicate.
 */
const N = 6000;
function tidyText(): string {
  const rows = ['sample,target,well,cq,omit,task'];
  const letters = 'ABCDEFGHIJKLMNOP';
  for (let i = 0; i < N; i++) {
    const plate = `P${Math.floor(i / 600)}-`;
    const k = i % 600, s = `S${Math.floor(i / 9)}`, t = ['RNU6B', 'miR-21', 'miR-122'][Math.floor(i / 3) % 3];
    const cq = i % 97 === 5 ? 'Undetermined' : i % 89 === 3 ? 'undetermined' : i % 131 === 7 ? '39.5' : (20 + (i % 7) * (i % 50 === 0 ? 1.5 : 0.05)).toFixed(3);
    rows.push([s, t, `${plate}${letters[Math.floor(k / 24) % 16]}${(k % 24) + 1}`, cq, i === 40 ? 'true' : 'false', i === 77 ? 'NTC' : 'Unknown'].join(','));
  }
  rows.push(rows[5]); // the same position and target again
  return rows.join('\n') + '\n';
}

const EXPR = { references: ['RNU6B'], qc: DEFAULT_QC, nondetect: { policy: 'exclude' as const }, outliers: { method: 'grubbs' as const } };

/** QC findings and expression rows of a plate, as JSON. */
function results(p: Plate): string {
  const qc = runQc(p, { ...DEFAULT_QC, referenceTargets: ['RNU6B'] });
  const ex = computeExpression([p], EXPR);
  return JSON.stringify({ qc, samples: ex.samples, exclusions: ex.exclusions, diagnostics: ex.diagnostics });
}

test('a text import keeps its wells as columns: import, QC and expression never make the array of views', () => {
  const { plate } = importPlate(tidyText(), 'two.csv');
  assert.ok(plate && pendingRuns(plate), 'the wells are pending after the import');
  const got = results(plate);
  assert.ok(pendingRuns(plate), 'still pending after QC and expression');
  // The same passes over the array of views (read first, so the passes use it) find the same.
  const { plate: viewed } = importPlate(tidyText(), 'two.csv');
  assert.equal(viewed!.wells.length, N + 1);
  assert.equal(pendingRuns(viewed!), null, 'reading plate.wells makes the array');
  assert.equal(results(viewed!), got);
  assert.match(got, /well-duplicate/);
  assert.match(got, /ntc|no-cq|late-cq/);
});

test('plate.wells made on first read: same keys in the same order, same JSON, the source reads the same wells', () => {
  const text = tidyText();
  const a = importPlate(text, 'two.csv').plate!, b = importPlate(text, 'two.csv').plate!;
  const src = wellSource(a);
  assert.ok(src instanceof WellRuns);
  assert.deepEqual(Object.keys(a), Object.keys(b));
  assert.equal(Object.keys(a).indexOf('wells'), 4, 'wells after file, format, rows, cols');
  for (let i = 0; i < src.length; i += 37) assert.deepEqual(plainWell(src.at(i)), plainWell(b.wells[i]), `well ${i}`);
  assert.equal(JSON.stringify(a), JSON.stringify(b));
  assert.equal(pendingRuns(a), null, 'JSON read the wells');
  assert.equal(a.wells, a.wells, 'made once, then kept');
  assert.equal(JSON.stringify({ ...b }), JSON.stringify(a), 'a spread reads them too');
});

test('once plate.wells exists, the passes read that array: its edits count', () => {
  const { plate } = importPlate(tidyText(), 'two.csv');
  const wells = plate!.wells;
  wells.push({ ...plainWell(wells[0]), index: wells.length, position: 'P9-A1', target: 'miR-999', cq: 45, cqText: '45' });
  const src = wellSource(plate!);
  assert.equal(src.length, N + 2);
  assert.equal(src.at(N + 1).target, 'miR-999');
  const late = runQc(plate!, DEFAULT_QC).filter((d) => d.code === 'late-cq' && d.wells?.[0] === N + 1);
  assert.equal(late.length, 1);
  plate!.wells = wells.slice(0, 10);
  assert.equal(wellSource(plate!).length, 10, 'an assigned array is the wells');
});

test('a streamed import joins the blocks\' columns without making views; the same wells as the whole-file import', async () => {
  const text = tidyText();
  const bytes = new TextEncoder().encode(text);
  const got = await importPlateStream([bytes.subarray(0, 777), bytes.subarray(777)], 'two.csv', { headLines: 10, blockLines: 397 });
  assert.ok(got.plate);
  const runs = pendingRuns(got.plate);
  assert.ok(runs && runs.columns.length >= 3, 'the head and several blocks, still columns');
  const whole = importPlate(text, 'two.csv').plate!;
  assert.equal(results(got.plate), results(whole));
  assert.ok(pendingRuns(got.plate));
  // Read out of order: each read finds its block.
  for (const i of [N, 0, 5500, 5396, 5397, N - 1, 3, 4999, 5000, 5001]) assert.deepEqual(plainWell(runs.at(i)), plainWell(whole.wells[i]), `well ${i}`);
  assertSameWells(got.plate.wells, whole.wells);
});

test('WellRuns: wells numbered across runs, empty runs skipped, reads outside the wells refused', () => {
  const c1 = new WellColumns(4), c2 = new WellColumns(3);
  const runs = new WellRuns();
  runs.add(c1, 2); runs.add(c2, 0); runs.add(c2, 3);
  assert.equal(runs.length, 5);
  assert.deepEqual(runs.starts, [0, 2, 5]);
  c2.cq[2] = 31.5;
  assert.equal(runs.at(4).cq, 31.5);
  assert.equal(runs.at(1).cq, 0);
  assert.throws(() => runs.at(5), RangeError);
  assert.throws(() => runs.at(-1), RangeError);
  const more = new WellRuns();
  more.addRuns(runs); more.addRuns(runs);
  assert.equal(more.length, 10);
  assert.equal(more.at(9).cq, 31.5);
  assert.equal(more.toArray().length, 10);
});

test('rows with hundreds of thousands of trailing fields: read by the header\'s columns, extra content found at the far end', () => {
  const many = ','.repeat(400_000);
  const text = ['sample,target,well,cq', 'S1,T,A1,20.5', `S2,T,A2,21.5${many}`, `S3,T,A3,22.5${many}x`, 'S4,T,A4,23.5'].join('\n');
  const r = importPlate(text, 'wide.csv', { format: 'tidy' });
  assert.deepEqual(r.plate!.wells.map((w) => [w.sample, w.cq]), [['S1', 20.5], ['S2', 21.5], ['S3', 22.5], ['S4', 23.5]]);
  assert.deepEqual(r.diagnostics.map((d) => [d.code, d.range.start.line]), [['row-ragged', 3]], 'only the row whose extra fields hold something');
});
