/**
 * The columnar well store of the text importers (src/engine/plate/wellStore.ts): each well a view over its slot in
 * the block's columns, ranges read from one small-integer array per block (widened when an offset needs it), one
 * shared frozen empty `flags` array, strings as ids into the block's table. Each well must stay its own (moving or
 * writing one leaves its neighbours alone), read as the plain values and ranges the text gives, and serialise exactly
 * as the eager objects did.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { importPlate } from '../../../src/engine/plate';
import { parsePosition } from '../../../src/engine/plate/table';
import { textLines } from '../../../src/engine/plate/text';
import { cqOrNaN } from '../../../src/shared/cq';
import { mulberry32 } from '../../fuzz/studyFuzz';
import { CellRanges, COMMA_MARK, ColumnWell, cqDecimalMark, DOT_MARK, plainWell, positionTargetHash, shiftColumns, SmallInts, TextIds, WellColumns } from '../../../src/engine/plate/wellStore';

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
});

test('well store: a range key cannot be assigned on the view, the whole ranges can', () => {
  const { plate } = importPlate(TEXT, 'w.csv');
  assert.ok(plate);
  const [a, b] = plate.wells;
  assert.ok(a instanceof ColumnWell && b instanceof ColumnWell);
  assert.throws(() => { (a.ranges as { target?: unknown }).target = undefined; }, TypeError, 'a write that the next read would lose');
  a.ranges = { cq: a.ranges.cq };
  assert.deepEqual(Object.keys(a.ranges), ['cq']);
  assert.equal(a.ranges.cq!.start.line, 1);
  assert.equal(b.ranges.target!.end.character, 8, 'a neighbour in the same columns keeps its ranges');
});

test('well store: every field reads back what was written, optional fields included', () => {
  const cols = new WellColumns(3);
  const w = new ColumnWell(cols, 1);
  const x = new ColumnWell(cols, 2);
  assert.deepEqual([w.cq, w.noCq, w.quantity, w.omitText, w.task, w.omitted, w.row, w.col, w.position], [0, undefined, undefined, undefined, 'unknown', false, 0, 0, null]);
  w.cq = null; w.noCq = 'sentinel'; w.task = 'reference'; w.omitted = true; w.row = null; w.col = 47;
  w.quantity = 1e6; w.omitText = 'TRUE'; w.flags = ['HIGHSD']; w.sample = 's'; w.target = 't'; w.cqText = '999'; w.index = 7; w.line = 9;
  assert.deepEqual([w.cq, w.noCq, w.task, w.omitted, w.row, w.col, w.quantity, w.omitText, w.flags, w.index, w.line], [null, 'sentinel', 'reference', true, null, 47, 1e6, 'TRUE', ['HIGHSD'], 7, 9]);
  assert.deepEqual([x.quantity, x.omitText, x.noCq, x.omitted, x.flags], [undefined, undefined, undefined, false, []], 'a neighbour keeps its own');
  w.quantity = null; w.cq = 21.5; w.noCq = undefined; w.task = 'ntc';
  assert.deepEqual([w.quantity, w.cq, w.noCq, w.task, w.omitted], [null, 21.5, undefined, 'ntc', true]);
});

test('well store: JSON and plainWell give the eager importer\'s keys in its order; plainWell survives a structured clone', () => {
  const { plate } = importPlate('Well,Sample Name,Target Name,Task,CT,Quantity,Omit\nA1,S1,T,STANDARD,Undetermined,100,true\n', 'q.csv', { format: 'tidy' });
  assert.ok(plate);
  const w = plate.wells[0];
  assert.ok(w instanceof ColumnWell);
  const keys = ['index', 'position', 'row', 'col', 'sample', 'target', 'task', 'cq', 'cqText', 'omitted', 'flags', 'line', 'ranges', 'noCq', 'quantity', 'omitText'];
  assert.deepEqual(Object.keys(JSON.parse(JSON.stringify(w))), keys);
  const p = plainWell(w);
  assert.deepEqual(Object.keys(p), keys);
  assert.deepEqual(structuredClone(p), JSON.parse(JSON.stringify(w)));
  assert.deepEqual([p.cq, p.noCq, p.quantity, p.omitted, p.omitText, p.task], [null, 'undetermined', 100, true, 'true', 'standard']);
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

test('well store: small integers widen to 16 and 32 bits without losing what was stored', () => {
  const a = new SmallInts(4);
  a.set(0, -1); a.set(1, 254 - 1); a.set(2, 0);
  assert.deepEqual([a.get(0), a.get(1), a.get(2), a.get(3)], [-1, 253, 0, -1]);
  a.set(3, 254);
  a.set(2, 65000);
  assert.deepEqual([a.get(0), a.get(1), a.get(2), a.get(3)], [-1, 253, 65000, 254]);
  a.set(1, 2 ** 31 - 2);
  assert.deepEqual([a.get(0), a.get(1), a.get(2), a.get(3)], [-1, 2 ** 31 - 2, 65000, 254]);
  const f = new SmallInts(2, 0);
  assert.deepEqual([f.get(0), f.get(1)], [0, 0]);
  f.set(0, -5);
  assert.equal(f.get(0), -1, 'a negative value is none, not a wrapped byte');
  const w = new ColumnWell(new WellColumns(1), 0);
  w.row = -3;
  assert.equal(w.row, null);
});

test('well store: a long line keeps its cell ranges (offsets past 255 and 65535 characters)', () => {
  const pad = (n: number) => 'x'.repeat(n);
  const text = `sample,note,target,well,cq\nS1,${pad(300)},T,A1,21.5\nS2,${pad(70000)},T,A2,22.5\n`;
  const { plate } = importPlate(text, 'long.csv');
  assert.ok(plate);
  const lines = text.split('\n');
  for (const w of plate.wells) {
    const r = w.ranges.cq!;
    assert.equal(lines[r.start.line].slice(r.start.character, r.end.character), String(w.cq));
    assert.equal(w.ranges.row!.end.character, lines[w.line].length);
  }
  assert.equal(plate.wells[1].ranges.target!.start.character, 3 + 70000 + 1);
});

test('well store: strings are ids into the block table; a write after import adds to it', () => {
  const { plate } = importPlate(TEXT, 'w.csv');
  assert.ok(plate);
  const [a, b, c] = plate.wells;
  a.sample = 'renamed';
  b.target = c.target;
  assert.deepEqual([a.sample, b.sample, c.sample, b.target, a.target], ['renamed', 'S1', 'S 2', 'miR-21', 'RNU6B']);
  const t = new TextIds();
  assert.equal(t.id(''), 0);
  const x = t.id('x');
  t.seal();
  assert.deepEqual([t.id('x'), t.id('y'), t.text], [x, 2, ['', 'x', 'y']]);
});

test('well store: TextIds finds a string by its characters in a line, through growth, sealing and rebuilding', () => {
  const t = new TextIds(), r = mulberry32(3);
  const words = Array.from({ length: 3000 }, (_, i) => (i % 7 === 0 ? '' : `${'xyzé'[i % 4]}${Math.floor(r() * 500)}`));
  const line = `,${words.join(',')},`;
  const want = new Map<string, number>([['', 0]]);
  let at = 1;
  words.forEach((w, i) => {
    if (!want.has(w)) want.set(w, want.size);
    const id = i % 2 ? t.id(w) : t.idIn(line, at, at + w.length);
    at += w.length + 1;
    assert.equal(id, want.get(w), w);
    if (i === 1500) t.seal();
  });
  assert.deepEqual(t.text, [...want.keys()]);
  assert.ok(t.text.length > 400, 'the table grew several times');
});

test('well store: a view\'s Cq decimal mark is its text\'s, remembered per text id (and a new text after a write)', () => {
  const texts = ['24.5', '24,5', '1.234,5', 'Undetermined', '', '24', '24.5', '7,0', 'N/A', '3.'];
  const text = `sample;target;well;cq\n${texts.map((c, i) => `S${i};T;A${i + 1};${c}`).join('\n')}\n`;
  const wells = importPlate(text, 'm.csv').plate!.wells;
  const want = (t: string) => (t.includes(',') ? COMMA_MARK : t.includes('.') ? DOT_MARK : 0);
  for (let round = 0; round < 2; round++) assert.deepEqual(wells.map((w) => cqDecimalMark(w)), texts.map(want));
  wells[0].cqText = '24,5';
  wells[1].cqText = 'x';
  assert.deepEqual([cqDecimalMark(wells[0]), cqDecimalMark(wells[1])], [COMMA_MARK, 0]);
  assert.deepEqual(texts.map((t) => cqDecimalMark({ ...plainWell(wells[0]), cqText: t })), texts.map(want), 'a plain well');
});

test('import: Cq texts read once per distinct text keep each well\'s own text and each row\'s diagnostics', () => {
  const cqs = ['24.5', '24.50', '024.5', '2.5', '24.5', '2.5', '"24.5"', '1.2.3', '12345678901234', '123456789012345'];
  const text = `sample,target,well,cq\n${cqs.map((c, i) => `S${i},T,A${i + 1},${c}`).join('\n')}\n`;
  const { plate, diagnostics } = importPlate(text, 'k.csv');
  assert.ok(plate);
  assert.deepEqual(plate.wells.map((w) => w.cqText), cqs.map((c) => c.replace(/"/g, '')));
  assert.deepEqual(plate.wells.map((w) => w.cq), [24.5, 24.5, 24.5, null, 24.5, null, 24.5, null, 12345678901234, 123456789012345]);
  const at = (code: string) => diagnostics.filter((d) => d.code === code).map((d) => d.range.start.line);
  assert.deepEqual(at('cq-implausible'), [4, 6], 'a repeated implausible text is reported on every row');
  assert.deepEqual(at('cq-unparseable'), [8]);
});

test('well store: positions read back exactly, kept as a prefix and a well id or as given', () => {
  const forms = ['A1', 'A01', 'P0001-B12', 'P0001-C12', 'X-AB0042', 'PA1', 'a1', '12', '', 'Chamber 1 ', 'AB12345', 'Q1-ZZ9999', 'A0', null, 'P0001-B12'];
  const cols = new WellColumns(forms.length);
  const wells = forms.map((_, k) => new ColumnWell(cols, k));
  forms.forEach((p, k) => { wells[k].position = p; });
  assert.deepEqual(wells.map((w) => w.position), forms);
  assert.equal(cols.posRaw!.filter((x) => x !== null).length, 5, "a1, 12, '', 'Chamber 1 ', AB12345 are kept as given");
  assert.deepEqual(cols.prefixes, ['', 'P0001-', 'X-', 'Q1-'], 'one prefix string per plate (PA1 is a two-letter well id)');
  wells[2].position = 'Z9';
  assert.deepEqual([wells[2].position, wells[3].position], ['Z9', 'P0001-C12'], 'a neighbour keeps its own');
});

test('well store: positionTargetHash is the same for a view and a plain well with the same position and target', () => {
  const forms = ['A1', 'A01', 'P0001-B12', 'P0001-C12', 'X-AB0042', 'PA1', 'a1', '12', '', 'Chamber 1 ', 'AB12345', 'Q1-ZZ9999', 'A0', null, 'P0001-B12', 'B1', 'A1B1'];
  const targets = ['RNU6B', 'miR-21-5p', ''];
  const cols = new WellColumns(forms.length * targets.length);
  const seen = new Map<number, string>();
  forms.forEach((p, i) => targets.forEach((t, j) => {
    const v = new ColumnWell(cols, i * targets.length + j);
    v.position = p; v.target = t;
    const plain = { ...plainWell(v) };
    const h = positionTargetHash(v);
    assert.equal(h, positionTargetHash(plain), `${p} / ${t}`);
    if (p === null) { assert.equal(h, null); return; }
    const key = `${p}\u0000${t}`;
    // Distinct pairs of this small set do not collide (a collision would only cost a string comparison, but the
    // hash must tell prefix, well id and target apart: "P0001-" + B12 is not "P0001-B1" + "2" or a raw "12").
    if (seen.has(h!)) assert.equal(seen.get(h!), key, `${key} collides with ${seen.get(h!)}`);
    seen.set(h!, key);
  }));
});

test('import: parsePosition\'s quick rejection agrees with its pattern on every string of up to 4 characters over a small alphabet', () => {
  const reference = (text: string) => {
    const m = /^([A-Za-z]{1,2})0*(\d{1,3})$/.exec(text.trim());
    if (!m || Number(m[2]) - 1 < 0) return null;
    const letters = m[1].toUpperCase();
    let row = letters.charCodeAt(0) - 65;
    if (letters.length === 2) row = (row + 1) * 26 + (letters.charCodeAt(1) - 65);
    return { position: letters + m[2].replace(/^0+/, ''), row, col: Number(m[2]) - 1 };
  };
  const alphabet = ['A', 'z', '0', '1', '9', ' ', '-', '@', '['];
  let n = 0;
  const walk = (s: string): void => {
    n++;
    assert.deepEqual(parsePosition(s), reference(s), JSON.stringify(s));
    if (s.length < 4) for (const c of alphabet) walk(s + c);
  };
  walk('');
  assert.ok(n > 7000);
});

test('import: Lines gives the lines of a split at \\r\\n, \\r and \\n (mixed, empty, trailing) for every text over a small alphabet', () => {
  let n = 0;
  const walk = (s: string): void => {
    n++;
    const { lines } = textLines(s);
    assert.deepEqual(Array.from({ length: lines.length }, (_, i) => lines.line(i)), s.split(/\r\n|\r|\n/), JSON.stringify(s));
    assert.deepEqual([lines.line(-1), lines.line(lines.length)], ['', '']);
    if (s.length < 6) for (const c of ['a', '\r', '\n', ',']) walk(s + c);
  };
  walk('');
  assert.ok(n > 5000);
});

test('import: thousands of distinct Cq texts, each seen twice, read back exactly (the Cq caches grow past their first sizes)', () => {
  const cqs = Array.from({ length: 6000 }, (_, i) => (10 + i / 1000).toFixed(i % 3 === 0 ? 4 : 3));
  const rows = [...cqs, ...cqs.slice().reverse()].map((c, i) => `S${i},T,A1,${c}`);
  const { plate } = importPlate(`sample,target,well,cq\n${rows.join('\n')}\n`, 'many.csv');
  assert.ok(plate);
  const want = [...cqs, ...cqs.slice().reverse()];
  assert.deepEqual(plate.wells.map((w) => w.cqText), want);
  assert.deepEqual(plate.wells.map((w) => w.cq), want.map(Number));
});

test('cqOrNaN: a view gives its Cq unboxed (cqNumber), NaN for none; a plain well reads cq; both after a write', () => {
  const { plate } = importPlate(TEXT, 'w.csv');
  const [a, , c] = plate!.wells;
  assert.ok(a instanceof ColumnWell && typeof a.cqNumber === 'function');
  assert.equal(cqOrNaN(a), 22.125);
  assert.ok(Number.isNaN(cqOrNaN(c)) && c.cq === null);
  a.cq = null;
  assert.ok(Number.isNaN(cqOrNaN(a)));
  c.cq = 31.5;
  assert.equal(cqOrNaN(c), 31.5);
  const p = plainWell(c);
  assert.equal(p.cq, 31.5);
  assert.equal(cqOrNaN(p), 31.5);
  assert.ok(Number.isNaN(cqOrNaN({ cq: null })));
});

test('well store: index and line kept as a base plus the slot until a well is given one of another form', () => {
  const cols = new WellColumns(4);
  cols.indexBase = 10; cols.lineBase = 3;
  const w = [0, 1, 2, 3].map((k) => new ColumnWell(cols, k));
  w[0].line = 3; w[1].line = 5; w[2].line = 6; w[3].line = 6; // a blank line before well 1; well 3 on well 2's line (gap -1)
  assert.deepEqual(w.map((x) => [x.index, x.line]), [[10, 3], [11, 5], [12, 6], [13, 6]]);
  assert.equal(cols.indexes, null);
  assert.equal(cols.lines, null, 'gaps of -1 and more need no array');
  shiftColumns(cols, 4, 100, 50);
  assert.deepEqual(w.map((x) => [x.index, x.line]), [[50, 103], [51, 105], [52, 106], [53, 106]], 'moved by base and line offset alone');
  w[2].index = 7; w[1].line = 0;
  assert.ok(cols.indexes && cols.lines, 'an index off the sequence and a line before the block make the arrays');
  assert.deepEqual(w.map((x) => [x.index, x.line]), [[50, 103], [51, 0], [7, 106], [53, 106]], 'neighbours keep theirs');
  shiftColumns(cols, 4, 1, 0);
  assert.deepEqual(w.map((x) => [x.index, x.line]), [[0, 104], [1, 1], [2, 107], [3, 107]]);
  assert.equal(w[3].ranges.row!.start.line, 107, 'the ranges read the same line');
});
