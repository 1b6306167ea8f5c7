// The Cq cells of digits and dots are found by their key in a table of numbers (src/engine/plate/block.ts
// `CqKeyTable`); a quoted line's Cq cell is read by its text. The same cells quoted and unquoted must give every
// well the same Cq, Cq text and no-Cq kind, and the same findings: across the table's growth, with cells that
// repeat, implausible ones, malformed ones and non-detects.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { importPlate } from '../../../src/engine/plate';
import { mulberry32 } from '../../fuzz/studyFuzz';

function cqCell(r: () => number): string {
  const x = r();
  if (x < 0.05) return ['Undetermined', 'N/A', '', '-', 'NaN'][Math.floor(r() * 5)];
  if (x < 0.1) return ['0', '0.5', '99.9', '1.2.3', '.', '45', '12345678901234', '123456789012345'][Math.floor(r() * 8)];
  if (x < 0.4) return (20 + Math.floor(r() * 50) / 10).toFixed(1); // repeats
  return (10 + r() * 30).toFixed(1 + Math.floor(r() * 6)); // mostly distinct, 4–10 characters
}

test('Cq cells by key and by text: the same wells and findings on 30,000 rows', () => {
  const r = mulberry32(5);
  const cells = Array.from({ length: 30000 }, () => cqCell(r));
  const text = (quote: boolean) => ['sample,target,well,cq', ...cells.map((c, i) => `S${i >> 2},T${i & 3},A${1 + (i % 12)},${quote ? `"${c}"` : c}`)].join('\n');
  const a = importPlate(text(false), 'p.csv'), b = importPlate(text(true), 'p.csv');
  const wells = (imp: typeof a) => imp.plate!.wells.map((w) => ({ cq: w.cq, cqText: w.cqText, noCq: w.noCq }));
  const wa = wells(a);
  assert.equal(wa.length, cells.length);
  assert.deepEqual(wa, wells(b));
  const finding = (d: (typeof a.diagnostics)[number]) => `${d.code} ${d.range?.start.line} ${d.message}`;
  assert.deepEqual(a.diagnostics.map(finding), b.diagnostics.map(finding));
  assert.ok(a.diagnostics.some((d) => d.code === 'cq-implausible') && a.diagnostics.some((d) => d.code === 'cq-unparseable'));
  // A plain Cq is the number written.
  wa.forEach((w, i) => { if (/^\d+\.\d+$/.test(cells[i]) && w.cq !== null) assert.equal(w.cq, Number(cells[i]), cells[i]); });
});

test('Cq cells with many decimals (about one text per well): past the table\'s growth limit, met again, same as by text', () => {
  const r = mulberry32(9);
  const distinct = Array.from({ length: 70000 }, () => (15 + r() * 25).toFixed(8));
  // Every text once, then 5,000 of them again (after the key table stopped taking new keys), and some non-plain cells.
  const cells = [...distinct, ...distinct.slice(0, 5000), '0', '99.5', '1.2.3', '0', distinct[3]];
  const text = (quote: boolean) => ['sample,target,well,cq', ...cells.map((c, i) => `S${i >> 2},T${i & 3},A${1 + (i % 12)},${quote ? `"${c}"` : c}`)].join('\n');
  const a = importPlate(text(false), 'p.csv'), b = importPlate(text(true), 'p.csv');
  const wells = (imp: typeof a) => imp.plate!.wells.map((w) => `${w.cq} ${w.cqText} ${w.noCq}`);
  assert.deepEqual(wells(a), wells(b));
  assert.deepEqual(a.plate!.wells.slice(0, 70000).map((w) => w.cq), distinct.map(Number));
  const finding = (d: (typeof a.diagnostics)[number]) => `${d.code} ${d.range?.start.line} ${d.message}`;
  assert.deepEqual(a.diagnostics.map(finding), b.diagnostics.map(finding));
  assert.equal(a.diagnostics.filter((d) => d.code === 'cq-implausible').length, 2, 'the two zeros');
});
