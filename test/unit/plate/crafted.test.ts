/**
 * CRAFTED files (test/fixtures/crafted, see its README): cases no real fixture covers — LightCycler with two
 * targets given by file names, a LightCycler CrossingPoint export with decimal commas, tidy CSV locale variants —
 * plus encoding/line-ending/tokenizer edge cases and cellEdit byte-exactness on real files.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { fixture } from '../helpers';
import { cellEdit, decodeText, detectFormat, importPlate } from '../../../src/engine/plate/index';
import type { EngineFix } from '../../../src/engine/common/diagnostic';
import type { Plate } from '../../../src/engine/plate/model';
import { parseDecimal, parseLocaleNumber, splitCells, textLines } from '../../../src/engine/plate/text';

const bytes = (...p: string[]) => new Uint8Array(fs.readFileSync(fixture(...p)));
const plateOf = (data: string | Uint8Array, name: string, opts?: Parameters<typeof importPlate>[2]): Plate => {
  const r = importPlate(data, name, opts);
  assert.ok(r.plate, `${name}: ${r.diagnostics.map((d) => d.message).join('; ')}`);
  return r.plate!;
};

/** Applies a fix to text the way VS Code would (line/character ranges, edits in reverse order). */
function applyFix(text: string, fix: EngineFix): string {
  const starts = [0];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 13 && text.charCodeAt(i + 1) === 10) { starts.push(i + 2); i++; } else if (c === 13 || c === 10) starts.push(i + 1);
  }
  const off = (p: { line: number; character: number }) => starts[p.line] + p.character;
  const edits = [...fix.edits].sort((a, b) => off(b.range.start) - off(a.range.start));
  let out = text;
  for (const e of edits) out = out.slice(0, off(e.range.start)) + e.newText + out.slice(off(e.range.end));
  return out;
}

/** Asserts `after` equals `before` except for one replaced span, which was `from` and is now `to`. */
function assertOnlyChanged(before: string, after: string, from: string, to: string): void {
  let i = 0;
  while (i < before.length && before[i] === after[i]) i++;
  let j = 0;
  while (j < before.length - i && before[before.length - 1 - j] === after[after.length - 1 - j]) j++;
  assert.equal(before.slice(0, i) + to + before.slice(before.length - j), after.slice(0, i) + to + after.slice(after.length - j));
  assert.equal(after.length - before.length, to.length - from.length);
  // the changed window lies within the replaced cell
  assert.ok(from.endsWith(before.slice(i, before.length - j)) || before.slice(i, before.length - j).length <= from.length);
}

test('crafted: LightCycler, two targets only via file names (miR-122.txt, miR-16.txt), bare CR', () => {
  const a = plateOf(bytes('crafted', 'lightcycler', 'miR-122.txt'), 'plates/run1/miR-122.txt');
  const b = plateOf(bytes('crafted', 'lightcycler', 'miR-16.txt'), 'plates/run1/miR-16.txt');
  assert.equal(a.format, 'lightcycler');
  assert.deepEqual(a.wells.map((w) => w.target), Array(5).fill('miR-122'));
  assert.deepEqual(b.wells.map((w) => w.target), Array(5).fill('miR-16'));
  assert.deepEqual(a.wells.map((w) => w.cq), [24.31, 24.52, 26.1, 31.9, null]);
  assert.deepEqual(a.wells.map((w) => w.omitted), [false, false, false, true, false]);
  assert.equal(a.wells[4].task, 'ntc');
  assert.equal(a.meta['Selected Filter'], 'SYBR Green I / HRM Dye (465-510)');
  assert.equal(a.meta['Experiment'], 'crafted miR panel');
});

test('crafted: LightCycler "Experiment Name … CrossingPoint" export with decimal commas (CRLF)', () => {
  const p = plateOf(bytes('crafted', 'lightcycler', 'lc_cp_decimal_comma.txt'), 'lc_cp_decimal_comma.txt', { target: 'miR-21' });
  assert.equal(p.format, 'lightcycler');
  assert.equal(p.conventions.decimal, ',');
  assert.deepEqual(p.wells.map((w) => w.cq), [22.41, 22.57, 25.03, null, null]);
  assert.deepEqual(p.wells.map((w) => w.sample), ['S01', 'S01', 'S02', 'S02', 'NTC']);
  assert.equal(p.wells[0].target, 'miR-21');
  assert.equal(p.meta['Experiment'], 'LC crafted');
  // A Cq set through the editor is written with the file's decimal comma.
  const fix = cellEdit(p, p.wells[3], 'cq', '27.5')!;
  assert.equal(fix.edits[0].newText, '27,5');
});

test('crafted: tidy CSV variants (comma + quoted "28,6", ; + decimal comma + BOM + ,04, tab + mixed line ends, windows-1252)', () => {
  const c = plateOf(bytes('crafted', 'tidy', 'tidy_comma.csv'), 'tidy_comma.csv');
  assert.equal(c.format, 'tidy');
  assert.deepEqual(c.wells.map((w) => w.cq), [20.11, 20.31, 28.4, 28.6, null]);
  assert.equal(c.wells[4].task, 'ntc');
  const text = decodeText(bytes('crafted', 'tidy', 'tidy_comma.csv')).text;
  const r = c.wells[3].ranges.cq!;
  assert.equal(text.split('\n')[r.start.line].slice(r.start.character, r.end.character), '28,6'); // inside the quotes

  // `,04` reads as 0.04 (a Cq that small is an import error under the default qc min-cq, see the hostile tests).
  const s = plateOf(bytes('crafted', 'tidy', 'tidy_semicolon_decimal_comma.csv'), 'x.csv', { minCq: 0 });
  assert.deepEqual([s.conventions.delimiter, s.conventions.decimal, s.conventions.bom, s.conventions.lineEnding], [';', ',', true, '\r\n']);
  assert.deepEqual(s.wells.map((w) => w.cq), [20.11, 20.31, 0.04, null]);
  assert.equal(s.wells[3].noCq, 'na');
  // BOM removed: ranges index the text as VS Code shows it (no U+FEFF), so "Sample" starts at character 0 of line 0.
  assert.deepEqual(s.wells[0].ranges.sample, { start: { line: 1, character: 0 }, end: { line: 1, character: 2 } });

  const t = plateOf(bytes('crafted', 'tidy', 'tidy_tab_cr.tsv'), 't.tsv');
  assert.deepEqual([t.conventions.delimiter, t.conventions.lineEnding], ['\t', 'mixed']);
  assert.deepEqual(t.wells.map((w) => [w.line, w.cq]), [[1, 17.5], [2, 17.7], [3, null], [4, 18]]);
  assert.equal(t.wells[2].noCq, 'nan');

  const w = importPlate(bytes('crafted', 'tidy', 'tidy_cp1252.csv'), 'w.csv');
  assert.deepEqual(w.plate!.wells.map((x) => x.sample), ['Patient \u00e9\u00e8', 'Patient \u20ac']);
  assert.equal(w.plate!.wells[0].target, '\u00b5RNA-21');
  assert.ok(w.diagnostics.some((d) => d.code === 'encoding-fallback'));
});

test('decodeText, textLines, splitCells and numbers: exact behaviour', () => {
  assert.deepEqual(decodeText(new Uint8Array([0xef, 0xbb, 0xbf, 0x61])), { text: 'a', bom: true, encoding: 'utf-8' });
  assert.deepEqual(decodeText(new Uint8Array([0xe9])), { text: '\u00e9', bom: false, encoding: 'windows-1252' });
  assert.equal(decodeText(new Uint8Array([0xff, 0xfe, 0x61, 0])).text, 'a');
  const mixed = textLines('a\r\nb\rc\nd');
  assert.deepEqual([Array.from({ length: mixed.lines.length }, (_, i) => mixed.lines.line(i)), mixed.lineEnding], [['a', 'b', 'c', 'd'], 'mixed']);
  assert.deepEqual(textLines('a\rb\r').lineEnding, '\r');
  const cells = splitCells('x,"a,""b""",  "19,03" ,', ',');
  assert.deepEqual(cells.values, ['x', 'a,"b"', '19,03 ', '']);
  assert.deepEqual(cells.starts, [0, 2, 12, 23]);
  assert.deepEqual(cells.ends, [1, 11, 22, 23]);
  assert.equal(parseDecimal(',04'), 0.04);
  assert.equal(parseDecimal('19,03'), 19.03);
  assert.equal(parseDecimal('1.2E+03'), 1200);
  assert.ok(Number.isNaN(parseDecimal('1.2.3')));
  assert.ok(Number.isNaN(parseDecimal('12abc')));
  assert.equal(parseLocaleNumber('100,000,000.000', '.'), 100000000);
  assert.equal(parseLocaleNumber('1.234,5', ','), 1234.5);
  assert.equal(parseLocaleNumber('6,367.559', '.'), 6367.559);
});

test('detectFormat is by content: a renamed file is still recognised; unknown text gives a located error', () => {
  const qs = decodeText(bytes('allotropy', 'appbio_quantstudio_example05.txt')).text;
  assert.equal(detectFormat(qs, 'whatever.csv'), 'quantstudio');
  assert.equal(detectFormat(decodeText(bytes('htqpcr', 'LightCycler_sample.txt')).text, 'data.csv'), 'lightcycler');
  assert.equal(detectFormat(decodeText(bytes('htqpcr', 'BioMark_sample.csv')).text, 'x.txt'), 'biomark');
  assert.equal(detectFormat(decodeText(bytes('htqpcr', 'CFX_sample.txt')).text, 'x.txt'), 'cfx');
  assert.equal(detectFormat(decodeText(bytes('rotor-gene', '28S_irregular.csv')).text, 'x.txt'), 'rotorgene');
  assert.equal(detectFormat('hello\nworld\n', 'x.csv'), null);
  const r = importPlate('hello\nworld\n', 'x.csv');
  assert.equal(r.plate, null);
  assert.equal(r.diagnostics[0].code, 'unknown-format');
  assert.deepEqual(r.diagnostics[0].range, { start: { line: 0, character: 0 }, end: { line: 0, character: 5 } });
});

test('bad cells: unparseable Cq is an error at the cell; a row without its Cq cell is not a well; an extra field is flagged', () => {
  const text = 'sample,target,cq,well\nS1,G,20.1,A1\nS1,G,2O.5,A2\nS2,G\nS,3,G,21.0,A4\nS4,G,22.0,A5\n';
  const r = importPlate(text, 't.csv');
  const un = r.diagnostics.find((d) => d.code === 'cq-unparseable')!;
  assert.equal(un.severity, 'error');
  assert.deepEqual(un.range, { start: { line: 2, character: 5 }, end: { line: 2, character: 9 } });
  const rag = r.diagnostics.filter((d) => d.code === 'row-ragged');
  assert.deepEqual(rag.map((d) => [d.range.start.line, d.severity]), [[4, 'warning']]);
  const short = r.diagnostics.filter((d) => d.code === 'row-not-a-well');
  assert.deepEqual(short.map((d) => [d.range, d.severity]), [[{ start: { line: 3, character: 0 }, end: { line: 3, character: 4 } }, 'error']]);
  assert.deepEqual(r.plate!.wells.map((w) => w.sample), ['S1', 'S1', 'S', 'S4']);
  assert.equal(r.plate!.wells[1].cq, null);
  assert.equal(r.plate!.wells[1].noCq, undefined);
});

test('cellEdit: omit / Cq edits change only the intended bytes of real files (QuantStudio, D&A, LightCycler, SDS)', () => {
  const cases: [string[], string, string, string][] = [
    // file, well position, Omit cell before, after
    [['allotropy', 'appbio_quantstudio_example07.txt'], 'B2', 'false', 'true'],
    [['qs-design-analysis', 'Results_20240213_184604.csv'], 'A4', 'FALSE', 'TRUE'],
    [['htqpcr', 'LightCycler_sample.txt'], 'A1', 'True', 'False'],
    [['htqpcr', 'SDS_sample.txt'], 'A9', 'FALSE', 'TRUE'],
  ];
  for (const [p, pos, from, to] of cases) {
    const raw = bytes(...p);
    const text = decodeText(raw).text;
    const plate = plateOf(text, p[1]);
    const well = plate.wells.find((w) => w.position === pos)!;
    const fix = cellEdit(plate, well, 'omit')!;
    assert.ok(fix, `${p[1]}: no omit fix`);
    assert.equal(fix.edits.length, 1);
    const after = applyFix(text, fix);
    assertOnlyChanged(text, after, from, to);
    // Re-import: exactly that well is now omitted, every other well unchanged.
    const again = plateOf(after, p[1]);
    assert.equal(again.wells.length, plate.wells.length);
    again.wells.forEach((w, i) => {
      assert.equal(w.omitted, i === well.index ? true : plate.wells[i].omitted, `${p[1]} well ${i}`);
      assert.equal(w.cqText, plate.wells[i].cqText);
    });
    // Byte level: the re-encoded edited text shares all bytes with the original except the cell's own bytes.
    const enc = new TextEncoder().encode(after);
    let i = 0;
    while (i < raw.length && i < enc.length && raw[i] === enc[i]) i++;
    let j = 0;
    while (j < raw.length - i && j < enc.length - i && raw[raw.length - 1 - j] === enc[enc.length - 1 - j]) j++;
    assert.ok(raw.length - i - j <= from.length && enc.length - i - j <= to.length && raw.length - i - j > 0, `${p[1]}: changed window ${raw.length - i - j}/${enc.length - i - j} bytes`);
    // Undo direction: including it again restores the exact original text.
    const back = cellEdit(again, again.wells[well.index], 'omit', 'false')!;
    assert.equal(applyFix(after, back), text);
  }
  // Cq edit on a real QuantStudio file: only that cell changes.
  const text = decodeText(bytes('allotropy', 'appbio_quantstudio_example05.txt')).text;
  const plate = plateOf(text, 'e5.txt');
  const d3 = plate.wells.find((w) => w.position === 'D3')!;
  const after = applyFix(text, cellEdit(plate, d3, 'cq', '31,25')!);
  assertOnlyChanged(text, after, '30.087', '31.25');
  assert.equal(plateOf(after, 'e5.txt').wells[d3.index].cq, 31.25);
  assert.equal(cellEdit(plate, d3, 'cq', 'abc'), null);
  assert.equal(cellEdit(plate, d3, 'cq', 'Undetermined')!.edits[0].newText, 'Undetermined');
});

test('cellEdit: formats without an Omit column (CFX, BioMark, Rotor-Gene, RDML) cannot omit', () => {
  for (const p of [['htqpcr', 'CFX_sample.txt'], ['htqpcr', 'BioMark_sample.csv'], ['rotor-gene', '28S_irregular.csv'], ['rdml', 'shifted_baseline.rdml']]) {
    const plate = plateOf(bytes(...p), p[1]);
    assert.equal(cellEdit(plate, plate.wells[0], 'omit'), null, p[1]);
  }
  const rd = plateOf(bytes('rdml', 'shifted_baseline.rdml'), 'x.rdml');
  assert.equal(cellEdit(rd, rd.wells[0], 'cq', '20'), null);
  // CFX can still set a Cq (N/A → number), in a comma file with a dot decimal.
  const cfx = plateOf(bytes('htqpcr', 'CFX_sample.txt'), 'c.txt');
  const a7 = cfx.wells.find((w) => w.position === 'A7')!;
  assert.equal(cellEdit(cfx, a7, 'cq', '30,5')!.edits[0].newText, '30.5');
});

test('crafted: plate geometry from positions: 96, 384, 1,536 (more than 384 positions within A1–AF48), stray rows stay on 384', () => {
  const rowName = (r: number) => (r < 26 ? String.fromCharCode(65 + r) : `A${String.fromCharCode(65 + r - 26)}`);
  const tidy = (rows: number, cols: number) => {
    let t = 'sample,target,well,cq\n';
    for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) t += `S${r},G,${rowName(r)}${c + 1},${(20 + (r + c) / 100).toFixed(2)}\n`;
    return t;
  };
  const geometry = (text: string) => { const p = plateOf(text, 'g.csv'); return [p.rows, p.cols]; };
  assert.deepEqual(geometry(tidy(8, 12)), [8, 12]);
  assert.deepEqual(geometry(tidy(16, 24)), [16, 24]);
  assert.deepEqual(geometry(tidy(32, 48)), [32, 48]);
  const full = plateOf(tidy(32, 48), 'g.csv');
  assert.equal(full.wells.length, 1536);
  assert.deepEqual([full.wells[1535].position, full.wells[1535].row, full.wells[1535].col], ['AF48', 31, 47]);
  // One stray Q1 on an otherwise 384-well file: a typo, not a 1,536-well plate.
  assert.deepEqual(geometry(`${tidy(16, 24)}S9,G,Q1,20\n`), [16, 24]);
  // A QuantStudio 12K Flex preamble states the block.
  const qs = '* Block Type = 1536-Well Block\n\n[Results]\nWell\tWell Position\tOmit\tSample Name\tTarget Name\tTask\tCT\n1\tA1\tfalse\tS\tG\tUNKNOWN\t20\n';
  assert.deepEqual(geometry(qs), [32, 48]);
});
