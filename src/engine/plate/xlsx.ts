/**
 * Excel workbooks (.xlsx) from instrument software (QuantStudio Design & Analysis, QuantStudio/SDS): the results
 * sheet is found by content and imported by the same text importers as a text export, so detection, columns, task
 * and Cq rules are those of the text formats (one implementation).
 *
 * - Reader: the zip directory and members through ./zip.ts (bounded inflation: a zip bomb costs at most the cap),
 *   then a linear scan of the SpreadsheetML of shared strings and worksheets (no DOM, no general XML parser: cells
 *   are `<c r="B7" t="s"><v>3</v></c>`, `<c t="inlineStr"><is><t>…</t></is></c>`, or numbers). fflate is already a
 *   dependency; no spreadsheet package is added (the README says why).
 * - Sheet → text: each worksheet row becomes one tab-separated line (line k = sheet row k + 1, column j = cell j), so
 *   a location in the text maps back to a cell exactly; diagnostics name it as `Results!D14` (`cellRef`).
 * - Read-only: the plate editor shows the plate but cannot edit a binary workbook (`plate.source.kind = 'xlsx'`).
 * Pure: no `vscode`, no DOM, no node modules.
 */
import { strFromU8 } from 'fflate';
import { inflateMember, zipEntries, ZipError, type ZipEntry } from './zip';
import { xmlCharOf } from './rdml';

/** Inflated bytes read from one workbook, all members together (larger workbooks are refused with a message). */
export const MAX_XLSX_INFLATED_BYTES = 256 * 1024 * 1024;
/** Cells read from one worksheet. */
export const MAX_XLSX_CELLS = 5_000_000;

export interface XlsxSheetText {
  /** Sheet name as Excel shows it. */
  name: string;
  /** One tab-separated line per sheet row (line k = row k + 1), cells at their column index; read on first call. */
  text(): string;
}

/** Thrown for a workbook that cannot be read (the importer turns it into a located diagnostic). */
export class XlsxError extends Error {}

/** Whether a zip's members are an Excel workbook (xl/workbook.xml). */
export function isXlsxZip(entries: readonly ZipEntry[]): boolean {
  return entries.some((e) => e.name === 'xl/workbook.xml');
}

/** Excel's column letters of a 0-based column index (0 → A, 26 → AA). */
export function columnLetters(col: number): string {
  let s = '';
  for (let c = col + 1; c > 0; c = Math.floor((c - 1) / 26)) s = String.fromCharCode(65 + ((c - 1) % 26)) + s;
  return s;
}

/** `Sheet!D14` for a 0-based line and column of the sheet's text; quoted as Excel does when the name needs it. */
export function cellRef(sheet: string, line: number, col: number): string {
  const name = /^[A-Za-z_][A-Za-z0-9_.]*$/.test(sheet) ? sheet : `'${sheet.replace(/'/g, "''")}'`;
  return `${name}!${columnLetters(col)}${line + 1}`;
}

/** 0-based column index of a cell reference's letters ("B7" → 1); -1 when malformed. */
function colIndex(ref: string): number {
  let c = 0, i = 0;
  for (; i < ref.length; i++) {
    const k = ref.charCodeAt(i);
    if (k < 65 || k > 90) break;
    c = c * 26 + (k - 64);
  }
  return i === 0 || c > 16384 ? -1 : c - 1;
}

const ENTITY: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

/** XML character data → text: predefined entities and character references (invalid ones become U+FFFD). */
export function unescapeXml(s: string): string {
  if (s.indexOf('&') < 0) return s;
  return s.replace(/&(?:#x([0-9a-fA-F]{1,6})|#(\d{1,7})|(lt|gt|amp|quot|apos));/g, (_m, hex?: string, dec?: string, name?: string) => {
    if (name) return ENTITY[name];
    return xmlCharOf(hex !== undefined ? parseInt(hex, 16) : parseInt(dec!, 10));
  });
}

/** A cell value as one text cell: tabs and line breaks (which would split the row) become spaces. */
const flat = (s: string) => s.replace(/[\t\r\n]+/g, ' ');

/** The text of all `<t>` runs in a fragment (a shared string item or an inline string). */
function runsText(xml: string): string {
  let out = '';
  const re = /<t(?:\s[^>]*)?>([\s\S]*?)<\/t>|<t(?:\s[^>]*)?\/>/g;
  for (let m = re.exec(xml); m; m = re.exec(xml)) out += m[1] ?? '';
  return unescapeXml(out);
}

function sharedStrings(xml: string): string[] {
  const out: string[] = [];
  const re = /<si(?:\s[^>]*)?>([\s\S]*?)<\/si>|<si\s*\/>/g;
  for (let m = re.exec(xml); m; m = re.exec(xml)) out.push(flat(runsText(m[1] ?? '')));
  return out;
}

const attr = (tag: string, name: string) => new RegExp(`\\s${name}="([^"]*)"`).exec(tag)?.[1];

/** One worksheet's SpreadsheetML as tab-separated text (see the module comment). */
export function sheetText(xml: string, strings: readonly string[]): string {
  const rows: string[][] = [];
  let cells = 0, nextRow = 0;
  const rowRe = /<row(\s[^>]*)?>([\s\S]*?)<\/row>|<row(\s[^>]*)?\/>/g;
  for (let rm = rowRe.exec(xml); rm; rm = rowRe.exec(xml)) {
    const rAttr = attr(rm[1] ?? rm[3] ?? '', 'r');
    const r = rAttr !== undefined && /^\d+$/.test(rAttr) ? Number(rAttr) - 1 : nextRow;
    if (r < nextRow || r > 1_048_575) throw new XlsxError(`row ${rAttr ?? '?'} is out of order or beyond Excel's last row`);
    nextRow = r + 1;
    const row: string[] = [];
    const cellRe = /<c(\s[^>]*?)?(?:\/>|>([\s\S]*?)<\/c>)/g;
    for (let cm = cellRe.exec(rm[2] ?? ''); cm; cm = cellRe.exec(rm[2] ?? '')) {
      if (++cells > MAX_XLSX_CELLS) throw new XlsxError(`a sheet has more than ${MAX_XLSX_CELLS.toLocaleString('en-US')} cells`);
      const tag = cm[1] ?? '', body = cm[2] ?? '';
      const ref = attr(tag, 'r');
      const c = ref !== undefined ? colIndex(ref) : row.length;
      if (c < 0) throw new XlsxError(`cell reference "${ref}" is not valid`);
      const t = attr(tag, 't');
      const v = /<v(?:\s[^>]*)?>([\s\S]*?)<\/v>/.exec(body)?.[1];
      let value: string;
      if (t === 's') value = v !== undefined && /^\d+$/.test(v.trim()) ? (strings[Number(v)] ?? '') : '';
      else if (t === 'inlineStr') value = flat(runsText(body));
      else if (t === 'b') value = v === '1' ? 'TRUE' : v === '0' ? 'FALSE' : '';
      else value = v === undefined ? '' : flat(unescapeXml(v));
      while (row.length < c) row.push('');
      row[c] = value;
    }
    while (rows.length < r) rows.push([]);
    rows[r] = row;
  }
  return rows.map((r) => r.join('\t')).join('\n');
}

/**
 * The worksheets of a workbook, in workbook order, each read (inflated and scanned) only when its text is asked for:
 * the results sheet is usually found first, and the large amplification sheets are then never inflated.
 * Throws XlsxError/ZipError for unreadable input.
 */
export function readXlsx(bytes: Uint8Array): XlsxSheetText[] {
  const entries = zipEntries(bytes);
  const byName = new Map(entries.map((e) => [e.name, e]));
  const budget = { left: MAX_XLSX_INFLATED_BYTES };
  const member = (name: string): string | null => {
    const e = byName.get(name);
    if (!e) return null;
    if (e.size > budget.left) throw new XlsxError(`its member "${name}" is too large to read (${Math.round(e.size / 1048576)} MiB uncompressed)`);
    const buf = new Uint8Array(e.size);
    let at = 0;
    const r = inflateMember(bytes, e, e.size, (c) => { buf.set(c, at); at += c.length; });
    if (!r.complete) throw new XlsxError(`its member "${name}" inflates past its declared size (a corrupt archive)`);
    budget.left -= at;
    return strFromU8(buf.subarray(0, at));
  };
  const workbook = member('xl/workbook.xml');
  if (workbook === null) throw new XlsxError('it has no xl/workbook.xml (not an Excel workbook)');
  const rels = new Map<string, string>();
  const relXml = member('xl/_rels/workbook.xml.rels') ?? '';
  for (const m of relXml.matchAll(/<Relationship\s[^>]*>/g)) {
    const id = attr(m[0], 'Id'), target = attr(m[0], 'Target');
    if (id && target) rels.set(id, target.startsWith('/') ? target.slice(1) : `xl/${target}`);
  }
  const strings = sharedStrings(member('xl/sharedStrings.xml') ?? '');
  const sheets: XlsxSheetText[] = [];
  for (const m of workbook.matchAll(/<sheet\s[^>]*>/g)) {
    const name = unescapeXml(attr(m[0], 'name') ?? `Sheet${sheets.length + 1}`);
    const rid = attr(m[0], 'r:id') ?? attr(m[0], 'id');
    const path = rid ? rels.get(rid) : undefined;
    if (!path || !byName.has(path)) continue;
    let text: string | undefined;
    sheets.push({ name, text: () => (text ??= sheetText(member(path) ?? '', strings)) });
  }
  return sheets;
}

export { ZipError };
