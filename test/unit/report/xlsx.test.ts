/**
 * report.xlsx (src/engine/report/xlsx.ts): the workbook is unzipped with fflate and its XML parsed with
 * fast-xml-parser, and the numbers read back are compared with report.json's own fields (the examples' baselines),
 * not with the tables the workbook was written from. LibreOffice, when installed, must open and convert it.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { execFileSync, spawnSync } from 'node:child_process';
import { unzipSync, strFromU8 } from 'fflate';
import { XMLParser } from 'fast-xml-parser';
import { fixture, tempDir } from '../helpers';
import type { CoxResult, Report } from '../../../src/shared/report/types';
import { columnLetters, reportSheets, reportXlsx, sheetName, workbookXlsx, xmlEscape } from '../../../src/engine/report/xlsx';

type Value = number | string;
/** Each sheet as name → rows of values (numbers from <v>, strings from inline strings), plus each cell's style. */
function readWorkbook(bytes: Uint8Array): Map<string, { rows: (Value | undefined)[][]; styles: Map<string, string> }> {
  const files = unzipSync(bytes);
  for (const f of ['[Content_Types].xml', '_rels/.rels', 'xl/workbook.xml', 'xl/_rels/workbook.xml.rels', 'xl/styles.xml']) assert.ok(files[f], `${f} present`);
  const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@', parseTagValue: false, parseAttributeValue: false, trimValues: false,
    isArray: (n) => ['sheet', 'row', 'c', 'Relationship'].includes(n) });
  const wb = parser.parse(strFromU8(files['xl/workbook.xml']));
  const rels = parser.parse(strFromU8(files['xl/_rels/workbook.xml.rels'])).Relationships.Relationship as { '@Id': string; '@Target': string }[];
  const out = new Map<string, { rows: (Value | undefined)[][]; styles: Map<string, string> }>();
  for (const s of wb.workbook.sheets.sheet as { '@name': string; '@r:id': string }[]) {
    const target = rels.find((r) => r['@Id'] === s['@r:id'])!['@Target'];
    const doc = parser.parse(strFromU8(files[`xl/${target}`]));
    const rows: (Value | undefined)[][] = [];
    const styles = new Map<string, string>();
    for (const r of doc.worksheet.sheetData.row ?? []) {
      const row: (Value | undefined)[] = [];
      for (const c of r.c ?? []) {
        const ref = c['@r'] as string;
        const col = [...ref.replace(/\d+$/, '')].reduce((n, ch) => n * 26 + ch.charCodeAt(0) - 64, 0) - 1;
        assert.equal(c.f, undefined, `${ref}: no formulas`);
        if (c['@s']) styles.set(ref, c['@s']);
        if (c['@t'] === 'inlineStr') row[col] = String(c.is.t['#text'] ?? c.is.t);
        else { assert.equal(c['@t'], undefined, `${ref}: a number cell`); row[col] = Number(c.v); }
      }
      rows[Number(r['@r']) - 1] = row;
    }
    out.set(s['@name'], { rows, styles });
  }
  return out;
}

const loadReport = (name: string) => JSON.parse(fs.readFileSync(fixture('report-baseline', `${name}.report.json`), 'utf8')) as Report;

/** An example's report, its workbook and the workbook read back: written and read once for the tests that use them. */
const books = new Map<string, { report: Report; bytes: Uint8Array; book: ReturnType<typeof readWorkbook> }>();
function workbookOf(name: string): { report: Report; bytes: Uint8Array; book: ReturnType<typeof readWorkbook> } {
  let b = books.get(name);
  if (!b) {
    const report = loadReport(name);
    const bytes = reportXlsx(report);
    b = { report, bytes, book: readWorkbook(bytes) };
    books.set(name, b);
  }
  return b;
}

test('xlsx: tace: the Cox table and the step table hold report.json\'s numbers, unrounded, as numbers', () => {
  const { report, book } = workbookOf('tace-exosomal-mirna');
  const cox = report.results.find((r) => r.name === 'cox_multivariate') as CoxResult;
  const sheet = book.get('cox_multivariate terms');
  assert.ok(sheet, 'sheet of the multivariable Cox terms');
  const head = sheet.rows[0] as string[];
  assert.deepEqual(head.slice(0, 6), ['Term', 'B', 'SE', 'z', 'p', 'HR']);
  cox.terms.forEach((t, i) => {
    const row = sheet.rows[i + 1];
    assert.equal(row[0], t.term);
    // exact equality: the cell holds the double as report.json has it (JSON and <v> both round-trip doubles)
    assert.equal(row[1], t.coef); assert.equal(row[2], t.se); assert.equal(row[4], t.p); assert.equal(row[5], t.hr);
    assert.equal(sheet.styles.get(`E${i + 2}`), '2', 'the p column has the p number format (exact value, shown as 0.000 / < 0.001)');
  });
  const steps = book.get('steps')!;
  const targetRows = report.steps!.rows;
  const qCol = (steps.rows[0] as string[]).indexOf('Quantity');
  targetRows.forEach((r, i) => { if (typeof r.quantity === 'number') assert.equal(steps.rows[i + 1][qCol], r.quantity, `steps row ${i}`); });
  // the per-sample expression table: one row per sample, each target's quantity
  const expr = book.get('expression')!;
  const eh = expr.rows[0] as string[];
  const sample = targetRows.find((r) => !r.reference && typeof r.quantity === 'number')!;
  const er = expr.rows.find((r) => r[0] === sample.sample)!;
  assert.equal(er[eh.indexOf(`Quantity ${sample.target}`)], sample.quantity);
  assert.equal(new Set(expr.rows.slice(1).map((r) => r[0])).size, expr.rows.length - 1, 'one row per sample');
});

test('xlsx: every example: one sheet per table of every result, valid unique names, a Contents sheet listing them', () => {
  for (const name of ['crc-liver-mets-capecitabine', 'invitro-cell-line', 'real-cfx-reference-genes', 'sorafenib-mir221', 'tace-exosomal-mirna']) {
    const { report, book } = workbookOf(name);
    const sheets = reportSheets(report);
    assert.equal(book.size, sheets.length + 1, name);
    const names = [...book.keys()];
    assert.equal(names[0], 'Contents');
    assert.equal(new Set(names.map((n) => n.toLowerCase())).size, names.length, `${name}: unique names`);
    for (const n of names) assert.ok(n.length <= 31 && !/[[\]:*?/\\]/.test(n), `${name}: sheet name ${n}`);
    assert.deepEqual(book.get('Contents')!.rows.slice(1).map((r) => r[0]), sheets.map((s) => s.name));
    for (const s of sheets) {
      const rows = book.get(s.name)!.rows;
      assert.deepEqual(rows[0], s.table.columns, `${name}/${s.name}: header`);
      s.table.rows.forEach((r, i) => r.forEach((c, j) => {
        if (typeof c.raw === 'number') assert.equal(rows[i + 1][j], c.raw, `${name}/${s.name} ${columnLetters(j)}${i + 2}`);
      }));
    }
    assert.ok(sheets.some((s) => s.name === 'steps') === !!report.steps);
  }
});

test('xlsx: sheet names: long, forbidden characters, duplicates, reserved', () => {
  const taken = new Set<string>();
  assert.equal(sheetName('a[b]:c*d?e/f\\g', taken), 'a_b__c_d_e_f_g');
  const long = 'x'.repeat(40);
  assert.equal(sheetName(long, taken), 'x'.repeat(31));
  assert.equal(sheetName(long, taken), `${'x'.repeat(27)} (2)`);
  assert.equal(sheetName('X'.repeat(31), taken), `${'X'.repeat(27)} (3)`, 'case-insensitive uniqueness');
  assert.equal(sheetName("'quoted'", taken), 'quoted');
  assert.equal(sheetName('History', taken), 'History_');
  assert.equal(sheetName('', taken), 'Sheet');
  assert.equal(columnLetters(0), 'A'); assert.equal(columnLetters(25), 'Z'); assert.equal(columnLetters(26), 'AA'); assert.equal(columnLetters(701), 'ZZ'); assert.equal(columnLetters(702), 'AAA');
});

test('xlsx: hostile strings stay strings: escaped, never formulas, forbidden XML characters dropped', () => {
  const hostile = ['=HYPERLINK("http://x","y")', '+1+1', '-2+3', '@SUM(A1)', '<b>&amp;</b>', 'a\u0001b', ']]>'];
  const bytes = workbookXlsx([{ name: 'h', table: { id: 'h', title: 'h', columns: ['=cmd|x', 'n'], rows: hostile.map((s, i) => [{ text: s }, { text: String(i), raw: i }]) } }]);
  const rows = readWorkbook(bytes).get('h')!.rows;
  assert.equal(rows[0][0], '=cmd|x');
  hostile.forEach((s, i) => { assert.equal(rows[i + 1][0], s.replace('\u0001', '')); assert.equal(rows[i + 1][1], i); });
  assert.equal(xmlEscape('a<&>"b'), 'a&lt;&amp;&gt;&quot;b');
});

test('xlsx: LibreOffice opens the workbook (when installed)', (t) => {
  const office = ['libreoffice', 'soffice'].find((c) => spawnSync(c, ['--version'], { stdio: 'ignore' }).status === 0);
  if (!office) { t.skip('neither libreoffice nor soffice is on PATH'); return; }
  const dir = tempDir('qpcr-xlsx-');
  try {
    fs.writeFileSync(path.join(dir, 'report.xlsx'), workbookOf('tace-exosomal-mirna').bytes);
    execFileSync(office, ['--headless', `-env:UserInstallation=file://${dir}/profile`, '--convert-to', 'csv', '--outdir', dir, path.join(dir, 'report.xlsx')], { timeout: 120000, stdio: 'ignore' });
    const csv = fs.readFileSync(path.join(dir, 'report.csv'), 'utf8');
    assert.match(csv, /^Sheet,Analysis,Kind,Table,Note/, 'the first sheet (Contents) converted');
  } finally { fs.rmSync(dir, { recursive: true, force: true }); }
});
