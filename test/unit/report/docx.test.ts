/**
 * report.docx (src/engine/report/docx.ts): each example's document is unzipped with fflate and word/document.xml
 * read back. The numbers in its tables are compared with report.json's own fields (the examples' baselines): a cell
 * shows a number rounded for print, so the check is that the report.json value rounds to the text shown (within
 * half a unit of its last digit), not 1e-6. Also: the three rules of a journal table, the p-value rule, the captions,
 * the Methods section, hostile strings, and (when LibreOffice is installed) a conversion to PDF.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { execFileSync, spawnSync } from 'node:child_process';
import { unzipSync, unzlibSync, strFromU8 } from 'fflate';
import { XMLValidator } from 'fast-xml-parser';
import { fixture, tempDir } from '../helpers';
import { resultTables } from '../../../src/shared/report/kinds';
import { finite, P_RULE } from '../../../src/shared/report/format';
import { isErrorResult, type CorrelateResult, type CoxResult, type DescribeResult, type LinearResult, type LogisticResult, type Report } from '../../../src/shared/report/types';
import { abbreviations, columnWidths, needsLandscape, pngFrame, reportDocx } from '../../../src/engine/report/docx';
import { documentWriter } from '../../../src/engine/report/documents';
import { reportDocument as documentInfo } from '../../../src/shared/report/documents';
import { chartsFor } from '../../../src/shared/charts/specs';
import { chartKey } from '../../../src/shared/charts/chartSpec';

const EXAMPLES = fs.readdirSync(fixture('report-baseline')).filter((f) => f.endsWith('.report.json')).map((f) => f.replace(/\.report\.json$/, ''));
const loadReport = (name: string) => JSON.parse(fs.readFileSync(fixture('report-baseline', `${name}.report.json`), 'utf8')) as Report;

const unescape = (s: string) => s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, '&');
const textOf = (xml: string) => unescape([...xml.matchAll(/<w:t(?:\s[^>]*)?>([^<]*)<\/w:t>/g)].map((m) => m[1]).join(''));

interface DocTable { xml: string; rows: { xml: string; cells: { xml: string; text: string }[] }[] }
interface Doc { xml: string; files: Record<string, Uint8Array>; tables: DocTable[]; paragraphs: string[] }

/** The document's tables (rows of cell texts, with their XML) and its paragraphs outside tables, in order. */
function readDocx(bytes: Uint8Array): Doc {
  const files = unzipSync(bytes);
  assert.ok(files['word/document.xml'], 'word/document.xml present');
  const xml = strFromU8(files['word/document.xml']);
  assert.equal(XMLValidator.validate(xml), true, 'document.xml is well-formed');
  const tables = [...xml.matchAll(/<w:tbl>([\s\S]*?)<\/w:tbl>/g)].map((m) => ({
    xml: m[1],
    rows: [...m[1].matchAll(/<w:tr>([\s\S]*?)<\/w:tr>/g)].map((r) => ({
      xml: r[1], cells: [...r[1].matchAll(/<w:tc>([\s\S]*?)<\/w:tc>/g)].map((c) => ({ xml: c[1], text: textOf(c[1]) })),
    })),
  }));
  const outside = xml.replace(/<w:tbl>[\s\S]*?<\/w:tbl>/g, '');
  const paragraphs = [...outside.matchAll(/<w:p>([\s\S]*?)<\/w:p>/g)].map((m) => textOf(m[1]));
  return { xml, files, tables, paragraphs };
}

const NUMBER = /^(-?\d+(?:\.(\d+))?)(?:e([+-]?\d+))?$/;

/** The value rounds to the number shown: |value − shown| ≤ half a unit of its last digit (scaled by a shown exponent). */
function assertShows(text: string, value: number, msg: string): void {
  const t = text.replace(/−/g, '-').trim();
  const m = NUMBER.exec(t);
  assert.ok(m, `${msg}: "${text}" is a number`);
  const decimals = m[2]?.length ?? 0;
  const exp = m[3] ? Number(m[3]) : 0;
  const tol = 0.5 * 10 ** (exp - decimals) * (1 + 1e-9);
  assert.ok(Math.abs(Number(t) - value) <= tol, `${msg}: ${value} shown as "${text}"`);
}

/** A p-value cell follows the rule: "< 0.001", "> 0.99", or two significant digits of the value. */
function assertP(text: string, p: number, msg: string): void {
  if (p < 0.001) { assert.equal(text, '< 0.001', msg); return; }
  if (p > 0.99) { assert.equal(text, '> 0.99', msg); return; }
  assert.match(text, /^0\.0*[1-9]\d$/, `${msg}: two significant digits`);
  assertShows(text, p, msg);
}

/** The document table of result `name`'s DataTable `id`: tables are written in resultTables order. */
function tableOf(doc: Doc, report: Report, name: string, id: string): DocTable {
  let k = 0;
  for (const r of report.results) {
    if (isErrorResult(r)) continue;
    for (const t of resultTables(r)) {
      if (r.name === name && t.id === id) return doc.tables[k];
      k++;
    }
  }
  throw new Error(`no table ${name}/${id}`);
}

const docs = new Map<string, Promise<Doc>>();
const docOf = (name: string) => {
  if (!docs.has(name)) docs.set(name, reportDocx(loadReport(name)).then(readDocx));
  return docs.get(name)!;
};

test('docx: the writer is registered as "Word", --docx, report.docx, and returns the same bytes as reportDocx', async () => {
  const info = documentInfo('docx');
  assert.deepEqual([info?.label, info?.cliFlag, info?.file], ['Word', '--docx', 'report.docx']);
  const report = loadReport('sorafenib-mir221');
  const files = await documentWriter('docx')({ report });
  assert.deepEqual(files.map((f) => f.file), ['report.docx']);
  const bytes = files[0].bytes;
  assert.ok(bytes instanceof Uint8Array);
  assert.equal(readDocx(bytes).tables.length, readDocx(await reportDocx(report)).tables.length);
});

test('docx: every example: one table per DataTable, headers and cells as the report contract shows them, numbered captions', async () => {
  let numbers = 0, annotated = 0;
  for (const name of EXAMPLES) {
    const report = loadReport(name);
    const doc = await docOf(name);
    const expected = report.results.flatMap((r) => (isErrorResult(r) ? [] : resultTables(r).map((t) => ({ r, t }))));
    assert.equal(doc.tables.length, expected.length, `${name}: number of tables`);
    const captions = doc.paragraphs.filter((p) => /^Table \d+\. /.test(p));
    expected.forEach(({ r, t }, k) => {
      assert.equal(captions[k], `Table ${k + 1}. ${t.title} (${r.name})`, `${name}: caption ${k + 1}`);
      const d = doc.tables[k];
      assert.deepEqual(d.rows[0].cells.map((c) => c.text), t.columns, `${name} ${r.name}/${t.id}: header`);
      assert.equal(d.rows.length, t.rows.length + 1, `${name} ${r.name}/${t.id}: rows`);
      t.rows.forEach((row, i) => row.forEach((c, j) => {
        const shown = d.rows[i + 1].cells[j].text;
        assert.equal(shown, c.text, `${name} ${r.name}/${t.id} [${i},${j}]`);
        if (finite(c.raw)) numbers++;
        if (finite(c.raw) && /^p\b/.test(t.columns[j])) assertP(shown, c.raw, `${name} ${r.name}/${t.id} [${i},${j}] p`);
        else if (finite(c.raw) && NUMBER.test(shown.replace(/−/g, '-'))) assertShows(shown, c.raw, `${name} ${r.name}/${t.id} [${i},${j}]`);
        else if (finite(c.raw)) annotated++;
      }));
    });
    const figures = doc.paragraphs.filter((p) => /^Figure \d+\. /.test(p));
    figures.forEach((f, k) => assert.ok(f.startsWith(`Figure ${k + 1}. `), `${name}: figure ${k + 1} numbered`));
  }
  // a number cell with words ("1 (tied)") is checked as text only; nearly all are checked as numbers
  assert.ok(numbers > 500 && annotated < numbers / 50, `${numbers} number cells checked, ${annotated} annotated`);
});

test('docx: tace: the Cox, correlation and Table 1 numbers are report.json\'s', async () => {
  const report = loadReport('tace-exosomal-mirna');
  const doc = await docOf('tace-exosomal-mirna');
  const cox = report.results.find((r) => r.name === 'cox_multivariate') as CoxResult;
  const coxTable = tableOf(doc, report, 'cox_multivariate', 'terms');
  assert.deepEqual(coxTable.rows[0].cells.map((c) => c.text).slice(0, 6), ['Term', 'B', 'SE', 'z', 'p', 'HR']);
  cox.terms.forEach((x, i) => {
    const cells = coxTable.rows[i + 1].cells.map((c) => c.text);
    assert.equal(cells[0], x.term);
    assertShows(cells[1], x.coef as number, `${x.term} B`);
    assertP(cells[4], x.p as number, `${x.term} p`);
    assertShows(cells[5], x.hr as number, `${x.term} HR`);
    const [lo, hi] = cells[6].split(/–| to /);
    assertShows(lo, x.ci[0] as number, `${x.term} CI low`);
    assertShows(hi, x.ci[1] as number, `${x.term} CI high`);
  });
  const corr = report.results.find((r) => r.name === 'corr_mir122') as CorrelateResult;
  const corrTable = tableOf(doc, report, 'corr_mir122', 'correlations');
  corr.rows.forEach((x, i) => {
    const cells = corrTable.rows[i + 1].cells.map((c) => c.text);
    assert.equal(cells[0], x.variable);
    assertShows(cells[2], x.r as number, `${x.variable} r`);
    assertP(cells[5], x.p as number, `${x.variable} p`);
  });
});

test('docx: crc and sorafenib: the logistic, Table 1 and linear regression numbers are report.json\'s', async () => {
  const crc = loadReport('crc-liver-mets-capecitabine');
  const crcDoc = await docOf('crc-liver-mets-capecitabine');
  const lr = crc.results.find((r) => r.name === 'model1') as LogisticResult;
  const lrTable = tableOf(crcDoc, crc, 'model1', 'terms');
  lr.terms.forEach((x, i) => {
    const cells = lrTable.rows[i + 1].cells.map((c) => c.text);
    assert.equal(cells[0], x.term);
    assertP(cells[4], x.p as number, `${x.term} p`);
    assertShows(cells[5], x.or as number, `${x.term} OR`);
  });
  const t1 = crc.results.find((r) => r.name === 'table1_response') as DescribeResult;
  const t1Table = tableOf(crcDoc, crc, 'table1_response', 'table1');
  const pCol = t1Table.rows[0].cells.findIndex((c) => c.text === 'p');
  for (const row of t1.rows) {
    const docRow = t1Table.rows.find((r) => r.cells[0].text === row.variable);
    assert.ok(docRow, `Table 1 row ${row.variable}`);
    assert.equal(docRow.cells[1].text, row.overall);
    if (finite(row.p)) assertP(docRow.cells[pCol].text, row.p, `Table 1 ${row.variable} p`);
  }
  const sor = loadReport('sorafenib-mir221');
  const lin = sor.results.find((r) => r.kind === 'linear') as LinearResult;
  const linTable = tableOf(await docOf('sorafenib-mir221'), sor, lin.name, 'coefficients');
  lin.terms.forEach((x, i) => {
    const cells = linTable.rows[i + 1].cells.map((c) => c.text);
    assertShows(cells[1], x.coef as number, `${x.term} estimate`);
    assertP(cells[4], x.p as number, `${x.term} p`);
  });
});

test('docx: three-line tables: rules above and under the header and under the last row, no vertical or inner rules', async () => {
  for (const name of EXAMPLES) {
    for (const [k, t] of (await docOf(name)).tables.entries()) {
      const borders = /<w:tblBorders>([\s\S]*?)<\/w:tblBorders>/.exec(t.xml)?.[1] ?? '';
      const side = (s: string) => new RegExp(`<w:${s} [^>]*w:val="([a-z]+)"`).exec(borders)?.[1];
      assert.deepEqual(['top', 'bottom', 'left', 'right', 'insideH', 'insideV'].map(side), ['single', 'single', 'none', 'none', 'none', 'none'], `${name} table ${k + 1}: table borders`);
      const [head, ...body] = t.rows;
      assert.match(head.xml, /<w:tblHeader\/>/, `${name} table ${k + 1}: header row repeats on a new page`);
      for (const c of head.cells) {
        const tc = /<w:tcBorders>([\s\S]*?)<\/w:tcBorders>/.exec(c.xml)?.[1] ?? '';
        assert.match(tc, /<w:top [^>]*w:val="single"/, 'header: rule above');
        assert.match(tc, /<w:bottom [^>]*w:val="single"/, 'header: rule under');
        assert.doesNotMatch(tc, /<w:(left|right) [^>]*w:val="single"/, 'header: no vertical rule');
      }
      for (const r of body) for (const c of r.cells) assert.doesNotMatch(c.xml, /<w:tcBorders>/, `${name} table ${k + 1}: body cells have no borders of their own`);
    }
  }
});

test('docx: Methods, title, software version, the p-value rule, footnotes with tests and abbreviations', async () => {
  const report = loadReport('tace-exosomal-mirna');
  const doc = await docOf('tace-exosomal-mirna');
  assert.equal(doc.paragraphs[0], report.study);
  assert.ok(doc.paragraphs[1].startsWith(report.engine), 'software version under the title');
  const m = doc.paragraphs.indexOf('Methods');
  assert.ok(m > 0, 'a Methods heading');
  assert.equal(doc.paragraphs[m + 1], report.methods?.paragraph);
  assert.ok(doc.paragraphs.includes(`Statistical reporting: ${P_RULE}.`), 'the p-value rule stated');
  const cox = doc.paragraphs.findIndex((p) => p.startsWith('Table ') && p.endsWith('(cox_multivariate)') && p.includes('Cox regression'));
  assert.ok(cox > 0);
  const after = doc.paragraphs.slice(cox + 1, cox + 4).join('\n');
  assert.match(after, /ties breslow; LR test χ²/, 'the model statistics footnote (tests)');
  assert.match(after, /HR, hazard ratio; CI, confidence interval; SE, standard error/, 'the abbreviations footnote');
  assert.match(after, /p-values formatted as stated under Methods/);
  assert.equal(abbreviations({ id: 'x', title: 'Logistic regression', columns: ['Term', 'B', 'OR', '95% CI'], rows: [] }), 'OR, odds ratio; CI, confidence interval; B, regression coefficient.');
  assert.equal(abbreviations({ id: 'x', title: 'Groups', columns: ['Group', 'n', 'Bias', 'ORDER'], rows: [] }), '', 'no abbreviation matched inside a word');
});

test('docx: figures are SVG with a PNG fallback, one per chart, with numbered captions', async () => {
  const doc = await docOf('tace-exosomal-mirna');
  const svgs = Object.keys(doc.files).filter((f) => /^word\/media\/.*\.svg$/.test(f));
  const figures = doc.paragraphs.filter((p) => /^Figure \d+\. /.test(p));
  assert.ok(figures.length > 5, 'the charts of the results');
  assert.equal((doc.xml.match(/<asvg:svgBlip /g) ?? []).length, figures.length, 'one SVG per figure');
  assert.equal(svgs.length, figures.length);
  for (const f of svgs) assert.equal(XMLValidator.validate(strFromU8(doc.files[f])), true, `${f} well-formed`);
  assert.ok(figures.some((f) => f.includes('Kaplan–Meier survival')));
  const png = pngFrame(30, 20);
  assert.deepEqual([...png.slice(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  const dv = new DataView(png.buffer, png.byteOffset);
  assert.deepEqual([dv.getUint32(16), dv.getUint32(20)], [30, 20]);
  const idatLen = dv.getUint32(33);
  assert.equal(strFromU8(png.slice(37, 41)), 'IDAT');
  const raw = unzlibSync(png.slice(41, 41 + idatLen));
  assert.equal(raw.length, 20 * 31, 'one filter byte and 30 grey pixels per row');
  assert.equal(raw[31 + 1 + 5], 0xff, 'inside is white');
  assert.equal(raw[1], 0xbf, 'the frame is grey');
});

test('docx: hostile study, analysis and variable names are escaped; control characters dropped', async () => {
  const report = loadReport('tace-exosomal-mirna');
  const evil = 'A <b>&"\'</b> \u0001\u0008\u001f\ufffe study';
  report.study = evil;
  const corr = report.results.find((r) => r.name === 'corr_mir122') as CorrelateResult;
  corr.name = `corr ${evil}`;
  corr.rows[0].variable = `<script>alert("x")</script>&\u000b`;
  const doc = readDocx(await reportDocx(report));
  assert.equal(doc.paragraphs[0], 'A <b>&"\'</b>  study');
  assert.ok(doc.xml.includes('A &lt;b&gt;&amp;'), 'escaped in the XML');
  assert.doesNotMatch(doc.xml, /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe]/, 'no character XML 1.0 forbids');
  assert.ok(doc.paragraphs.some((p) => p.endsWith('(corr A <b>&"\'</b>  study)')), 'the analysis name in a caption');
  assert.ok(doc.tables.some((t) => t.rows[1]?.cells[0].text === '<script>alert("x")</script>&'), 'the variable name in a cell, as text');
  for (const [f, bytes] of Object.entries(doc.files)) if (/\.(xml|rels|svg)$/.test(f)) assert.equal(XMLValidator.validate(strFromU8(bytes)), true, `${f} well-formed`);
});

test('docx: column widths fill the text width, give each column its longest cell, and a too-wide table a landscape page', () => {
  const t = { id: 'x', title: 't', columns: ['Variable', 'p', '95% CI'], rows: [[{ text: 'child_pugh_score' }, { text: '0.12' }, { text: '-0.497 to -0.083' }]] };
  const w = columnWidths(t, 9070);
  const sum = w.reduce((a, b) => a + b, 0);
  assert.ok(sum <= 9070 && sum > 9060, `sum ${sum}`);
  assert.ok(w[0] > w[1] * 2.5 && w[2] > w[1] * 2.5, 'the narrow p column gets less room');
  assert.ok(w[1] >= 120 + 4 * 100, 'at least what "0.12" needs at 9 pt');
  assert.equal(needsLandscape(t), false);
  const wide = { ...t, columns: Array.from({ length: 12 }, (_v, i) => `Column ${i}`), rows: [Array.from({ length: 12 }, () => ({ text: '-0.038 to 0.088' }))] };
  assert.equal(needsLandscape(wide), true, '12 CI columns do not fit a portrait page');
});

test('docx: LibreOffice converts the document to PDF (when installed); ghostscript reads the tables back', (t) => {
  const office = ['soffice', 'libreoffice'].find((c) => spawnSync(c, ['--version'], { stdio: 'ignore' }).status === 0);
  if (!office) { t.skip('neither soffice nor libreoffice is on PATH (installed on the dev machine, not on CI)'); return; }
  const dir = tempDir('qpcr-docx-');
  return (async () => {
    try {
      const report = loadReport('tace-exosomal-mirna');
      fs.writeFileSync(path.join(dir, 'report.docx'), await reportDocx(report));
      execFileSync(office, ['--headless', `-env:UserInstallation=file://${dir}/profile`, '--convert-to', 'pdf', '--outdir', dir, path.join(dir, 'report.docx')], { timeout: 180000, stdio: 'ignore' });
      const pdf = fs.readFileSync(path.join(dir, 'report.pdf'));
      assert.equal(pdf.subarray(0, 5).toString('latin1'), '%PDF-');
      if (spawnSync('gs', ['--version'], { stdio: 'ignore' }).status !== 0) { t.diagnostic('gs not on PATH: the PDF text is not checked'); return; }
      const text = execFileSync('gs', ['-q', '-dNOPAUSE', '-dBATCH', '-sDEVICE=txtwrite', '-sOutputFile=-', path.join(dir, 'report.pdf')], { timeout: 120000 }).toString('utf8');
      const cox = report.results.find((r) => r.name === 'cox_multivariate') as CoxResult;
      assert.match(text, /Table 1\./);
      assert.match(text, /Methods/);
      assert.ok(text.includes(cox.terms[0].term), 'a Cox term in the PDF');
      assert.ok(text.includes((cox.terms[0].hr as number).toFixed(2)), 'its HR as printed');
    } finally { fs.rmSync(dir, { recursive: true, force: true }); }
  })();
});

test('docx: rasters from the results panel become the figures\' PNG fallbacks (keyed analysis/chart), and the note says so', async () => {
  const report = loadReport('sorafenib-mir221');
  const first = report.results.find((r) => !isErrorResult(r) && chartsFor(r).length > 0)!;
  const key = chartKey(first.name, chartsFor(first as never)[0].id);
  const marker = pngFrame(7, 3); // a distinct PNG standing in for the webview's rendering
  const withRaster = readDocx(await reportDocx(report, { [key]: marker }));
  const media = Object.entries(withRaster.files).filter(([f]) => /^word\/media\/.*\.png$/.test(f));
  assert.ok(media.some(([, b]) => b.length === marker.length && b.every((x, i) => x === marker[i])), 'the given PNG is embedded');
  assert.ok(withRaster.paragraphs.some((p) => p.includes('with a PNG copy for word processors')));
  const without = readDocx(await reportDocx(report));
  assert.ok(!Object.entries(without.files).some(([, b]) => b.length === marker.length && b.every((x, i) => x === marker[i])));
  assert.ok(without.paragraphs.some((p) => p.includes('shows an empty frame')));
});
