// A tidy file's position cell read in place (src/engine/plate/block.ts `#positionInPlace`: a plate-prefixed id such as
// `P0001-B12` is stored from the line, without a string per well) gives every well the position, row and column the
// rule for a position cell gives: the trimmed cell; a plate position (`A01`, `ab3`) normalised by parsePosition with
// its row and column; anything else kept as written with no row or column.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { importPlate } from '../../../src/engine/plate';
import { parsePosition } from '../../../src/engine/plate/table';
import { maybePositionIn } from '../../../src/engine/plate/table';
import { positionCodeIn } from '../../../src/engine/plate/wellStore';
import { mulberry32 } from '../../fuzz/studyFuzz';

const PIECES = ['P0001-', 'P0002-', 'plate 7 ', 'x', 'A', 'B', 'AB', 'Q', 'a', 'z', '1', '01', '12', '0384', '12345', '-', ' ', '\u00a0', '\t', 'é', 'Chamber ', ''];

function cell(r: () => number): string {
  const pick = () => PIECES[Math.floor(r() * PIECES.length)];
  // Half the cells: a prefix, letters and digits (plate-prefixed ids and their near misses).
  if (r() < 0.5) return pick() + ['A', 'H', 'AB', 'a', '', '-'][Math.floor(r() * 6)] + ['1', '12', '007', '0384', '12345', ''][Math.floor(r() * 6)];
  let s = '';
  for (let n = 1 + Math.floor(r() * 4); n > 0; n--) s += PIECES[Math.floor(r() * PIECES.length)];
  return s;
}

/** The rule, restated from the trimmed cell. */
function expected(text: string): { position: string | null; row: number | null; col: number | null } {
  const t = text.trim();
  if (t === '') return { position: null, row: null, col: null };
  const p = parsePosition(t);
  return p ? { position: p.position, row: p.row, col: p.col } : { position: t, row: null, col: null };
}

test('position cells read in place: the same positions, rows and columns as the rule, on 4,000 random cells', () => {
  const r = mulberry32(17);
  const cells = Array.from({ length: 4000 }, () => cell(r));
  // Runs of one prefix, as a plate-prefixed file has them, and changes of prefix in between.
  for (let i = 0; i < 400; i++) cells.push(`P${String(1 + (i >> 6)).padStart(4, '0')}-${'ABCDEFGH'[i % 8]}${1 + (i % 12)}`);
  const text = ['sample,target,well,cq', ...cells.map((c, i) => `S${i},T,${c},${(20 + (i % 10) / 10).toFixed(1)}`)].join('\n');
  const imp = importPlate(text, 'p.csv');
  assert.ok(imp.plate);
  const wells = imp.plate.wells;
  assert.equal(wells.length, cells.length);
  let inPlace = 0;
  wells.forEach((w, i) => {
    const c = cells[i], t = c.trim();
    assert.deepEqual({ position: w.position, row: w.row, col: w.col }, expected(c), JSON.stringify(c));
    if (t !== '' && t === c && !maybePositionIn(t, 0, t.length) && positionCodeIn(t, 0, t.length) >= 0 && /^[!-~]/.test(t) && /[!-~]$/.test(t)) inPlace++;
  });
  assert.ok(inPlace > 600, `only ${inPlace} cells took the in-place path`);
});

test('a quoted position cell and one with spaces around it are read as before', () => {
  const text = 'sample,target,well,cq\nS1,T,"P0001-A1",20\nS2,T, P0001-A2 ,21\nS3,T,P0001-A3,22\nS4,T,"P0002-B1 ",23\n';
  const w = importPlate(text, 'p.csv').plate!.wells;
  assert.deepEqual(w.map((x) => x.position), ['P0001-A1', 'P0001-A2', 'P0001-A3', 'P0002-B1']);
  assert.deepEqual(w.map((x) => x.ranges.position), [
    { start: { line: 1, character: 6 }, end: { line: 1, character: 14 } },
    { start: { line: 2, character: 5 }, end: { line: 2, character: 15 } },
    { start: { line: 3, character: 5 }, end: { line: 3, character: 13 } },
    { start: { line: 4, character: 6 }, end: { line: 4, character: 15 } },
  ]);
});
