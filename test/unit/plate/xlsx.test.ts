/**
 * Excel workbooks (src/engine/plate/xlsx.ts + importPlate): real QuantStudio exports against allotropy's reading of
 * the same files, cell-named diagnostics, hostile workbooks.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { strToU8, zipSync, unzipSync } from 'fflate';
import { importPlate, cellEdit } from '../../../src/engine/plate';
import { cellRef, columnLetters, readXlsx, sheetText, unescapeXml } from '../../../src/engine/plate/xlsx';
import { mutate } from '../../fuzz/plateFuzz';
import { Rng } from '../../../src/engine/stats/rng';

const DIR = path.join(__dirname, '..', '..', '..', '..', 'test', 'fixtures', 'xlsx');
const bytes = (f: string) => new Uint8Array(fs.readFileSync(path.join(DIR, f)));

interface Oracle { well: string; sample: string; target: string; cq: number | null }

for (const name of ['appbio_quantstudio_example08', 'appbio_quantstudio_example10', 'appbio_quantstudio_design_quantity_test']) {
  test(`${name}.xlsx: every well's sample, target and Cq as allotropy read them`, () => {
    const r = importPlate(bytes(`${name}.xlsx`), `${name}.xlsx`);
    assert.ok(r.plate, JSON.stringify(r.diagnostics));
    assert.deepEqual(r.diagnostics.filter((d) => d.severity === 'error'), []);
    const oracle = JSON.parse(fs.readFileSync(path.join(DIR, `${name}.allotropy.json`), 'utf8')) as Oracle[];
    const got = r.plate.wells.map((w) => ({ well: w.position, sample: w.sample, target: w.target, cq: w.cq }));
    const key = (o: { well: string | null; target: string }) => `${o.well}/${o.target}`;
    const byKey = new Map(got.map((g) => [key(g), g]));
    assert.equal(got.length, oracle.length);
    for (const o of oracle) {
      const g = byKey.get(key(o));
      assert.ok(g, `well ${key(o)} missing`);
      assert.equal(g.sample, o.sample, key(o));
      assert.equal(g.cq, o.cq, key(o)); // the cell's decimal text parses to the same double
    }
    assert.deepEqual(r.plate.source, { kind: 'xlsx', sheet: 'Results' });
    assert.match(r.plate.instrument ?? '', /QuantStudio/);
  });
}

test('the 384-well block type of the preamble sets the geometry; the trailer rows become meta, not bad rows', () => {
  const a = importPlate(bytes('appbio_quantstudio_example10.xlsx'), 'a.xlsx').plate!;
  assert.deepEqual([a.rows, a.cols], [16, 24]);
  const r = importPlate(bytes('appbio_quantstudio_example08.xlsx'), 'b.xlsx');
  assert.equal(r.plate!.meta['Endogenous Control'], '18S');
  assert.equal(r.plate!.meta['Reference Sample'], '13Jul2022-Hs-1');
  assert.deepEqual(r.diagnostics, []);
});

test('a workbook is read-only: the plate editor gets no cell edit', () => {
  const p = importPlate(bytes('appbio_quantstudio_example08.xlsx'), 'b.xlsx').plate!;
  const w = p.wells.find((x) => x.cq !== null)!;
  assert.equal(cellEdit(p, w, 'omit', 'true'), null);
  assert.equal(cellEdit(p, w, 'cq', '30'), null);
});

test('a primary-analysis workbook without sample names: an error naming the sheet and cell, and the sheets tried', () => {
  const r = importPlate(bytes('appbio_quantstudio_designandanalysis_QS7Pro_Primary_Analysis_example18.xlsx'), 'p.xlsx');
  assert.equal(r.plate, null);
  assert.match(r.diagnostics[0].message, /^Results!A1: /);
  assert.match(r.diagnostics.at(-1)!.message, /No sheet of this workbook has a results table \(sheets: Results\)/);
});

/** A minimal workbook: one sheet per entry, rows of cells (strings inline, numbers as numbers). */
function workbook(sheets: Record<string, (string | number | null)[][]>, extra: Record<string, string> = {}): Uint8Array {
  const names = Object.keys(sheets);
  const files: Record<string, Uint8Array> = {
    'xl/workbook.xml': strToU8(`<workbook xmlns:r="r"><sheets>${names.map((n, i) => `<sheet name="${n.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;')}" sheetId="${i + 1}" r:id="rId${i + 1}"/>`).join('')}</sheets></workbook>`),
    'xl/_rels/workbook.xml.rels': strToU8(`<Relationships>${names.map((_, i) => `<Relationship Id="rId${i + 1}" Target="worksheets/sheet${i + 1}.xml"/>`).join('')}</Relationships>`),
  };
  names.forEach((n, i) => {
    const rows = sheets[n].map((row, r) => `<row r="${r + 1}">${row.map((v, c) => v === null ? '' : typeof v === 'number'
      ? `<c r="${columnLetters(c)}${r + 1}"><v>${v}</v></c>`
      : `<c r="${columnLetters(c)}${r + 1}" t="inlineStr"><is><t>${v.replace(/&/g, '&amp;').replace(/</g, '&lt;')}</t></is></c>`).join('')}</row>`).join('');
    files[`xl/worksheets/sheet${i + 1}.xml`] = strToU8(`<worksheet><sheetData>${rows}</sheetData></worksheet>`);
  });
  for (const [k, v] of Object.entries(extra)) files[k] = strToU8(v);
  return zipSync(files);
}

test('cell references: columns A..Z, AA, quoted sheet names; a bad Cq cell is named in the message', () => {
  assert.deepEqual([0, 25, 26, 701, 702].map(columnLetters), ['A', 'Z', 'AA', 'ZZ', 'AAA']);
  assert.equal(cellRef('Results', 13, 3), 'Results!D14');
  assert.equal(cellRef("Bob's results", 0, 0), "'Bob''s results'!A1");
  const wb = workbook({ Results: [['Well Position', 'Sample Name', 'Target Name', 'CT'], ['A1', 'S1', 'T', 24.5], ['A2', 'S2', 'T', '-3']] });
  const r = importPlate(wb, 'x.xlsx');
  assert.ok(r.plate);
  const d = r.diagnostics.find((x) => x.severity === 'error');
  assert.ok(d, JSON.stringify(r.diagnostics));
  assert.match(d.message, /^Results!D3: /);
  assert.equal(d.range.start.line, 2); // the sheet row − 1
});

test('shared strings with rich-text runs and entities, inline strings, booleans, sparse cells', () => {
  const shared = '<sst><si><t>Sample &amp; Co</t></si><si><r><t>Ta</t></r><r><t xml:space="preserve">rget</t></r></si></sst>';
  const sheet = '<worksheet><sheetData><row r="2"><c r="B2" t="s"><v>0</v></c><c r="D2" t="s"><v>1</v></c><c r="E2" t="b"><v>1</v></c><c r="F2"><v>1.5E-3</v></c><c r="G2" t="inlineStr"><is><t>a&#9;b&#x3C;</t></is></c></row></sheetData></worksheet>';
  assert.equal(sheetText(sheet, ['Sample & Co', 'Target']), '\n\tSample & Co\t\tTarget\tTRUE\t1.5E-3\ta b<');
  assert.equal(unescapeXml('&#0;&#x1F600;&amp;lt;'), '\ufffd\u{1F600}&lt;');
  const wb = workbook({ S: [['x']] }, { 'xl/sharedStrings.xml': shared });
  assert.equal(readXlsx(wb)[0].text(), 'x');
});

test('sheets named Results are tried first; other sheets in order; a workbook with no table says which sheets it has', () => {
  const table = [['Well', 'Sample', 'Target', 'Cq'], ['A1', 'S1', 'T', 25]];
  const r = importPlate(workbook({ Setup: [['Experiment', 'x']], 'Run results': table }), 'x.xlsx');
  assert.equal(r.plate?.source?.sheet, 'Run results');
  const none = importPlate(workbook({ Setup: [['a', 'b']], Other: [['c']] }), 'y.xlsx');
  assert.equal(none.plate, null);
  assert.match(none.diagnostics.at(-1)!.message, /sheets: Setup, Other/);
});

test('hostile workbooks: bad cell references, rows out of order or past the last row of Excel; an RDML zip is still read as RDML', () => {
  const bad = (sheetXml: string) => importPlate(zipSync({
    'xl/workbook.xml': strToU8('<workbook><sheets><sheet name="Results" r:id="rId1"/></sheets></workbook>'),
    'xl/_rels/workbook.xml.rels': strToU8('<Relationships><Relationship Id="rId1" Target="worksheets/sheet1.xml"/></Relationships>'),
    'xl/worksheets/sheet1.xml': strToU8(sheetXml),
  }), 'h.xlsx');
  for (const xml of ['<sheetData><row r="1"><c r="1A"><v>1</v></c></row></sheetData>',
    '<sheetData><row r="5"/><row r="2"/></sheetData>', '<sheetData><row r="99999999"/></sheetData>']) {
    const r = bad(xml);
    assert.equal(r.plate, null);
    assert.equal(r.diagnostics[0].code, 'xlsx-unreadable', xml);
  }
  const z = unzipSync(fs.readFileSync(path.join(DIR, '..', 'rdml', 'matrix_gaps.rdml')));
  assert.ok(Object.keys(z).length > 0);
  assert.equal(importPlate(zipSync(z), 'm.rdml').plate?.format, 'rdml');
});

test('seeded mutations of the real workbooks (bytes, and the sheet XML re-zipped): never an exception, always a plate or an error', () => {
  const r = new Rng(20261205);
  const corpus = ['appbio_quantstudio_example08', 'appbio_quantstudio_example10'].map((n) => bytes(`${n}.xlsx`));
  let plates = 0, errors = 0;
  for (let i = 0; i < 300; i++) {
    const src = corpus[i % corpus.length];
    let data: ReturnType<typeof mutate>['data'];
    if (i % 2 === 0) data = mutate(src, r).data;
    else {
      const files = unzipSync(src);
      const sheet = Object.keys(files).filter((k) => k.startsWith('xl/worksheets/')).sort()[r.int(3)] ?? 'xl/worksheets/sheet3.xml';
      files[sheet] = new Uint8Array(mutate(files[sheet] ?? strToU8(''), r).data);
      data = zipSync(files);
    }
    const res = importPlate(data, 'fuzz.xlsx');
    if (res.plate) plates++;
    else { errors++; assert.ok(res.diagnostics.some((d) => d.severity === 'error')); }
    for (const d of res.diagnostics) assert.ok(typeof d.message === 'string' && d.message.length > 0);
  }
  assert.ok(plates > 50 && errors > 20, `plates ${plates}, errors ${errors}`);
});
