/**
 * The compact well store of the text importers (src/engine/plate/table.ts): ranges as views into one Int32Array per
 * block, one shared frozen empty `flags` array, interned strings. Each well's ranges must stay its own (moving one
 * well's ranges or overriding one key leaves its neighbours alone) and read as the plain ranges the text gives.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { importPlate } from '../../../src/engine/plate';
import { CellRanges } from '../../../src/engine/plate/table';

const TEXT = 'sample,target,well,cq,HIGHSD\nS1,RNU6B,A1,22.125,\nS1,RNU6B,A2,22.125,Y\n"S 2",miR-21,A3,Undetermined,\n';

test('well store: ranges are per-well views that read as the cells of the text', () => {
  const { plate } = importPlate(TEXT, 'w.csv');
  assert.ok(plate);
  const [a, b, c] = plate.wells;
  assert.ok(a.ranges instanceof CellRanges && b.ranges instanceof CellRanges && c.ranges instanceof CellRanges);
  const lines = TEXT.split('\n');
  const cellText = (r: NonNullable<typeof a.ranges.cq>) => lines[r.start.line].slice(r.start.character, r.end.character);
  assert.equal(cellText(a.ranges.cq!), '22.125');
  assert.equal(cellText(c.ranges.sample!), 'S 2'); // inside the quotes
  assert.equal(cellText(c.ranges.row!), lines[3]);
  assert.equal(a.ranges.omit, undefined);
  assert.deepEqual(JSON.parse(JSON.stringify(b.ranges)), {
    row: { start: { line: 2, character: 0 }, end: { line: 2, character: 20 } },
    cq: { start: { line: 2, character: 12 }, end: { line: 2, character: 18 } },
    position: { start: { line: 2, character: 9 }, end: { line: 2, character: 11 } },
    sample: { start: { line: 2, character: 0 }, end: { line: 2, character: 2 } },
    target: { start: { line: 2, character: 3 }, end: { line: 2, character: 8 } },
  });
  (a.ranges as CellRanges).shift(10);
  a.ranges.target = undefined;
  assert.equal(a.ranges.cq!.start.line, 11);
  assert.equal(a.ranges.target, undefined);
  assert.equal(b.ranges.cq!.start.line, 2, 'a neighbour in the same store is not moved');
  assert.equal(b.ranges.target!.end.character, 8, 'nor overridden');
});

test('well store: wells without flags share one frozen array; flags and Cq texts stay per well', () => {
  const { plate } = importPlate(TEXT, 'w.csv');
  assert.ok(plate);
  const [a, b, c] = plate.wells;
  assert.deepEqual(b.flags, ['HIGHSD']);
  assert.deepEqual(a.flags, []);
  assert.equal(a.flags, c.flags);
  assert.ok(Object.isFrozen(a.flags));
  assert.throws(() => a.flags.push('X'), TypeError);
  assert.equal(a.cqText, '22.125');
  assert.equal(c.cqText, 'Undetermined');
});
