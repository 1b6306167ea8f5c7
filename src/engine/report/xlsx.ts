/**
 * report.xlsx (issue 15): every table of a report in one Excel workbook, written by hand as minimal SpreadsheetML
 * (OOXML: content types, workbook, one worksheet per table, styles) and zipped with fflate, already a dependency,
 * so no spreadsheet library is added. Pure: no `vscode`, no DOM, no node modules.
 *
 * - Sheets: "Contents" (sheet → analysis, kind, table title, note), then every DataTable of every successful result
 *   (resultTables: the report contract's kinds), then "expression" (one row per sample, each target's dCq and
 *   quantity, from the step table) and "steps" (the step table) when the report has steps.
 * - Numbers are numeric cells holding the unrounded value (Cell.raw, as CSV exports it). p-values keep their exact
 *   value in the cell and are displayed as the report prints them by a number format (`[<0.001]"< 0.001";0.000`):
 *   the precision is hidden, not lost (the formula bar and any calculation see the exact double).
 * - Strings are inline strings (`t="inlineStr"`), XML-escaped, with characters XML 1.0 forbids removed. A cell is
 *   a formula only with an <f> element, which is never written: a string starting with = + - @ stays text.
 * - Sheet names: at most 31 characters, none of []:*?/\, not starting or ending with ', unique (case-insensitive).
 */
import { zipSync, strToU8 } from 'fflate';
import { resultTables } from '../../shared/report/kinds';
import { cell, DASH, finite, type Cell, type DataTable } from '../../shared/report/format';
import { stepsTable, type StepsSection } from '../../shared/report/steps';
import { isErrorResult, type Report } from '../../shared/report/types';

/** One worksheet: its name in the workbook and its table. */
export interface XlsxSheet { name: string; table: DataTable; analysis?: string; kind?: string }

const SHEET_NAME_MAX = 31;

/** The text without the characters XML 1.0 forbids (C0 controls but tab/LF/CR, U+FFFE/FFFF, lone surrogates). */
export function stripXmlInvalid(s: string): string {
  return s.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '');
}

/** Text safe in XML character data and attribute values; characters XML 1.0 forbids are dropped. */
export function xmlEscape(s: string): string {
  return stripXmlInvalid(s)
    .replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** A valid, unique worksheet name from `wanted` (`taken` holds the lower-cased names already used; it is updated). */
export function sheetName(wanted: string, taken: Set<string>): string {
  let base = wanted.replace(/[[\]:*?/\\]/g, '_').replace(/[\u0000-\u001f]/g, ' ').trim().replace(/^'+|'+$/g, '');
  if (!base || base.toLowerCase() === 'history') base = base ? `${base}_` : 'Sheet';
  base = base.slice(0, SHEET_NAME_MAX);
  let name = base;
  for (let i = 2; taken.has(name.toLowerCase()); i++) {
    const suffix = ` (${i})`;
    name = base.slice(0, SHEET_NAME_MAX - suffix.length).replace(/'+$/, '') + suffix;
  }
  taken.add(name.toLowerCase());
  return name;
}

/** "A", "B", … "Z", "AA", … for a 0-based column index. */
export function columnLetters(i: number): string {
  let s = '';
  for (let n = i + 1; n > 0; n = Math.floor((n - 1) / 26)) s = String.fromCharCode(65 + ((n - 1) % 26)) + s;
  return s;
}

/**
 * The per-sample expression table from the step table: one row per sample, for each target (references excluded)
 * its dCq and relative quantity, with the ddCq too when the study has calibrators. First row of a sample × target wins.
 */
export function expressionTable(s: StepsSection): DataTable {
  const targets: string[] = [];
  const samples = new Map<string, Map<string, StepsSection['rows'][number]>>();
  for (const r of s.rows) {
    if (r.reference) continue;
    if (!targets.includes(r.target)) targets.push(r.target);
    const m = samples.get(r.sample) ?? new Map();
    if (!m.has(r.target)) m.set(r.target, r);
    samples.set(r.sample, m);
  }
  const per = (t: string) => [`dCq ${t}`, ...(s.calibrated ? [`ddCq ${t}`] : []), `Quantity ${t}`];
  const rows = [...samples].map(([sample, m]): Cell[] => [cell.text(sample), ...targets.flatMap((t) => {
    const r = m.get(t);
    return [cell.fixed(r?.dcq, 3), ...(s.calibrated ? [cell.fixed(r?.ddcq, 3)] : []), cell.num(r?.quantity, 6)];
  })]);
  return { id: 'expression', title: 'Per-sample expression: dCq and relative quantity per target', columns: ['Sample', ...targets.flatMap(per)], rows, note: s.formula };
}

/** The worksheets of a report, in order: each result's tables, then the expression and step tables. */
export function reportSheets(report: Report): XlsxSheet[] {
  const taken = new Set<string>(['contents']);
  const out: XlsxSheet[] = [];
  for (const r of report.results) {
    if (isErrorResult(r)) continue;
    for (const t of resultTables(r)) out.push({ name: sheetName(`${r.name} ${t.id}`, taken), table: t, analysis: r.name, kind: r.kind });
  }
  if (report.steps) {
    out.push({ name: sheetName('expression', taken), table: expressionTable(report.steps) });
    out.push({ name: sheetName('steps', taken), table: stepsTable(report.steps) });
  }
  return out;
}

/** True for a p-value column ("p", "p (adjusted, Lau94)", "Wald p", "p-value"). */
export const isPColumn = (header: string) => /(^|[\s(])p([\s),-]|$)/i.test(header);

const STYLE = { plain: 0, header: 1, p: 2 } as const;

function cellXml(c: Cell, ref: string, pColumn: boolean): string {
  if (finite(c.raw)) return `<c r="${ref}"${pColumn && c.raw >= 0 && c.raw <= 1 ? ` s="${STYLE.p}"` : ''}><v>${String(c.raw)}</v></c>`;
  if (c.text === DASH || c.text === '') return '';
  return `<c r="${ref}" t="inlineStr"><is><t xml:space="preserve">${xmlEscape(c.text)}</t></is></c>`;
}

const textCell = (text: string, ref: string, style = 0) => `<c r="${ref}" t="inlineStr"${style ? ` s="${style}"` : ''}><is><t xml:space="preserve">${xmlEscape(text)}</t></is></c>`;

/** One worksheet: the header row (bold, frozen), then the rows. */
export function sheetXml(t: DataTable): string {
  const pCols = t.columns.map(isPColumn);
  const width = (j: number) => Math.min(60, Math.max(8, t.columns[j].length, ...t.rows.slice(0, 200).map((r) => (r[j]?.text ?? '').length)) + 2);
  const cols = t.columns.map((_h, j) => `<col min="${j + 1}" max="${j + 1}" width="${width(j)}" customWidth="1"/>`).join('');
  const head = `<row r="1">${t.columns.map((h, j) => textCell(h, `${columnLetters(j)}1`, STYLE.header)).join('')}</row>`;
  const body = t.rows.map((r, i) => `<row r="${i + 2}">${r.map((c, j) => cellXml(c, `${columnLetters(j)}${i + 2}`, pCols[j] ?? false)).join('')}</row>`).join('');
  return '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    + '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    + '<sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/></sheetView></sheetViews>'
    + `${cols ? `<cols>${cols}</cols>` : ''}<sheetData>${head}${body}</sheetData></worksheet>`;
}

/** The "Contents" sheet's table: which table each sheet holds, and its footnote. */
function contentsTable(report: Report, sheets: XlsxSheet[]): DataTable {
  return {
    id: 'contents', title: `${report.study}: tables`, columns: ['Sheet', 'Analysis', 'Kind', 'Table', 'Note'],
    rows: sheets.map((s) => [cell.text(s.name), cell.text(s.analysis ?? ''), cell.text(s.kind ?? ''), cell.text(s.table.title), cell.text(s.table.note ?? '')]),
  };
}

const STYLES_XML = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
  + '<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
  + `<numFmts count="1"><numFmt numFmtId="164" formatCode="${xmlEscape('[<0.001]"< 0.001";0.000')}"/></numFmts>`
  + '<fonts count="2"><font><sz val="11"/><name val="Calibri"/></font><font><b/><sz val="11"/><name val="Calibri"/></font></fonts>'
  + '<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>'
  + '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
  + '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
  + '<cellXfs count="3"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
  + '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>'
  + '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs>'
  + '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>';

const REL = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';

/** The .xlsx bytes of the given sheets (a "Contents" sheet first when `contents` is given). */
export function workbookXlsx(sheets: XlsxSheet[], contents?: DataTable): Uint8Array {
  const all = contents ? [{ name: 'Contents', table: contents }, ...sheets] : sheets;
  if (!all.length) all.push({ name: 'Empty', table: { id: 'empty', title: 'No tables', columns: ['No tables in this report'], rows: [] } });
  const files: Record<string, Uint8Array> = {
    '[Content_Types].xml': strToU8('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
      + '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
      + '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
      + '<Default Extension="xml" ContentType="application/xml"/>'
      + '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
      + '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
      + all.map((_s, i) => `<Override PartName="/xl/worksheets/sheet${i + 1}.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>`).join('')
      + '</Types>'),
    '_rels/.rels': strToU8('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
      + '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
      + `<Relationship Id="rId1" Type="${REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>`),
    'xl/workbook.xml': strToU8('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
      + `<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="${REL}"><sheets>`
      + all.map((s, i) => `<sheet name="${xmlEscape(s.name)}" sheetId="${i + 1}" r:id="rId${i + 1}"/>`).join('')
      + '</sheets></workbook>'),
    'xl/_rels/workbook.xml.rels': strToU8('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
      + '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
      + all.map((_s, i) => `<Relationship Id="rId${i + 1}" Type="${REL}/worksheet" Target="worksheets/sheet${i + 1}.xml"/>`).join('')
      + `<Relationship Id="rId${all.length + 1}" Type="${REL}/styles" Target="styles.xml"/></Relationships>`),
    'xl/styles.xml': strToU8(STYLES_XML),
  };
  all.forEach((s, i) => { files[`xl/worksheets/sheet${i + 1}.xml`] = strToU8(sheetXml(s.table)); });
  // A fixed mtime keeps the bytes reproducible for a given report.
  return zipSync(files, { level: 6, mtime: new Date(Date.UTC(2000, 0, 1)) });
}

/** report.xlsx of a report: the Contents sheet, every result table, the expression and step tables. */
export function reportXlsx(report: Report): Uint8Array {
  const sheets = reportSheets(report);
  return workbookXlsx(sheets, contentsTable(report, sheets));
}
