/**
 * Instrument importers: `importPlate` (bytes or text → Plate + diagnostics), `detectFormat`, `decodeText`
 * and `cellEdit` (a minimal text replacement for the plate editor).
 *
 * Coordinates: all ranges index the decoded text as VS Code shows it. VS Code strips a UTF-8 BOM, so the text is
 * indexed WITHOUT the BOM (a leading U+FEFF in a string argument is removed too and reported in
 * `conventions.bom`). The text itself is never modified.
 */
import type { BlockShare } from './block';
import type { EngineDiagnostic, EngineFix } from '../common/diagnostic';
import type { CqFormat, ImportResult, Plate, Well } from './model';
import { decodeText, parseDecimal, textLines } from './text';
import { detectFormat, type TextImport } from './importers';
import { FORMATS, plateFormat } from './formats';
import { importRdml } from './rdml';
import { cellRef, isXlsxZip, readXlsx, type XlsxSheetText } from './xlsx';
import { zipEntries } from './zip';
import { rng, type ImportContext } from './table';
import { attachWells, PENDING_WELLS, WellRuns, type WellSource } from './wellSource';

export { decodeText } from './text';
export { detectFormat } from './importers';

export interface ImportOptions {
  /** Force a format instead of detecting it. */
  format?: CqFormat;
  /** Target for formats without a target column (LightCycler, Rotor-Gene without a channel name); default: the file-name stem. */
  target?: string;
  /** The decimal mark, when already decided (streamed imports: every block uses the file's first rows' mark). */
  decimal?: '.' | ',';
  /** Smallest plausible Cq (default DEFAULT_MIN_CQ, 3 cycles): smaller and non-positive Cqs are errors (study `qc min-cq`). */
  minCq?: number;
  /** What the blocks of one streamed file share (./block.ts `BlockShare`; set by ./stream.ts only). */
  share?: BlockShare;
}

/** The instrument formats' names for messages: "QuantStudio/SDS, ..., BioMark or RDML". */
const INSTRUMENT_NAMES = ((names: string[]) => `${names.slice(0, -1).join(', ')} or ${names[names.length - 1]}`)(
  FORMATS.filter((f) => f.name !== 'tidy').map((f) => f.display));

/** A zip archive (an RDML file or an Excel workbook) by its signature. */
export function isZip(b: Uint8Array): boolean {
  return b.length >= 4 && b[0] === 0x50 && b[1] === 0x4b && b[2] === 0x03 && b[3] === 0x04;
}

function geometry(wells: WellSource, imp: TextImport): { rows: number | null; cols: number | null } {
  if (imp.block) return imp.block;
  if (imp.block === null) return { rows: null, cols: null };
  return inferGeometry(wells, imp.rotor === true);
}

/** The plate a set of well positions fits: 96, else 384 wells (Rotor-Gene rotors: 72, else 100). */
export function inferGeometry(wells: WellSource, rotor: boolean): { rows: number | null; cols: number | null } {
  let maxR = -1, maxC = -1;
  const positions = new Set<number>();
  let beyond384 = 0;
  // An index loop: over a whole plate's wells, for…of ran about 3× slower and allocated an iterator result per well
  // (40 MB on a 1M-well import; V8 did not remove it in this long on-stack-replaced loop over getter-backed wells).
  for (let i = 0; i < wells.length; i++) {
    const w = wells.at(i), row = w.row, col = w.col;
    if (row !== null && row > maxR) maxR = row;
    if (col !== null && col > maxC) maxC = col;
    if (row === null || col === null) continue;
    const key = row * 1000 + col;
    if (!positions.has(key) && (row >= 16 || col >= 24)) beyond384++;
    positions.add(key);
  }
  if (maxC < 0) return { rows: null, cols: null };
  if (rotor) return maxC < 72 ? { rows: 1, cols: 72 } : { rows: 1, cols: 100 };
  if (maxR < 8 && maxC < 12) return { rows: 8, cols: 12 };
  // More positions than a 384-well block holds, all within A1–AF48 and over a tenth of them beyond P24: a 1,536-well
  // block (QuantStudio 12K Flex, LightCycler 1536). A few stray positions beyond P24 stay errors on a 384-well plate
  // (QC: well-outside-plate).
  if (positions.size > 384 && beyond384 * 10 > positions.size && maxR < 32 && maxC < 48) return { rows: 32, cols: 48 };
  return { rows: 16, cols: 24 };
}

/** The note that a file was not valid UTF-8 and was read as Windows-1252. */
export function encodingFallback(fileName: string): EngineDiagnostic {
  return { code: 'encoding-fallback', severity: 'info', file: fileName, range: rng(0, 0, 0),
    message: 'The file is not valid UTF-8; it was read as Windows-1252.' };
}

/** Imports one instrument export. Never throws for bad input: problems come back as diagnostics with a location. */
export function importPlate(data: string | Uint8Array, fileName: string, opts: ImportOptions = {}): ImportResult {
  const diagnostics: EngineDiagnostic[] = [];
  let text: string;
  let bom = false;
  let encoding = 'utf-8';
  if (typeof data === 'string') {
    text = data;
    if (text.charCodeAt(0) === 0xfeff) { text = text.slice(1); bom = true; }
  } else {
    if (isZip(data)) {
      // An Excel workbook: its results sheet is read as text (a forced format applies to the sheet).
      const xlsx = xlsxSheets(data, fileName);
      if (xlsx) return 'error' in xlsx ? { plate: null, diagnostics: [xlsx.error] } : importXlsx(xlsx.sheets, fileName, opts);
      if (opts.format && opts.format !== 'rdml') {
        return { plate: null, diagnostics: [{ code: 'format-mismatch', severity: 'error', file: fileName, range: rng(0, 0, 0),
          message: `The file is a zip archive, not a ${opts.format} text export.` }] };
      }
      return importRdml(data, fileName, opts);
    }
    ({ text, bom, encoding } = decodeText(data));
    if (encoding === 'windows-1252') {
      diagnostics.push(encodingFallback(fileName));
    }
  }
  return importText(text, fileName, opts, diagnostics, bom);
}

/** The worksheets when a zip is an Excel workbook; null for any other zip (RDML). */
function xlsxSheets(data: Uint8Array, fileName: string): { sheets: XlsxSheetText[] } | { error: EngineDiagnostic } | null {
  let entries;
  try {
    entries = zipEntries(data);
  } catch {
    return null; // an unreadable zip: the RDML reader says why
  }
  if (!isXlsxZip(entries)) return null;
  try {
    return { sheets: readXlsx(data) };
  } catch (e) {
    return { error: xlsxError(fileName, e) };
  }
}

function xlsxError(fileName: string, e: unknown): EngineDiagnostic {
  return { code: 'xlsx-unreadable', severity: 'error', file: fileName, range: rng(0, 0, 0), message: `Cannot read the Excel workbook: ${e instanceof Error ? e.message : String(e)}.` };
}

/**
 * An Excel workbook: the first sheet (sheets named like "Results" first, then the others in workbook order) whose
 * text an importer reads. Diagnostics name the cell (`Results!D14: …`); their line is the sheet row − 1.
 */
function importXlsx(sheets: XlsxSheetText[], fileName: string, opts: ImportOptions): ImportResult {
  const ordered = [...sheets.filter((s) => /results?$/i.test(s.name.trim())), ...sheets.filter((s) => !/results?$/i.test(s.name.trim()))];
  let first: ImportResult | null = null;
  for (const sheet of ordered) {
    let text: string;
    try {
      text = sheet.text();
    } catch (e) {
      return { plate: null, diagnostics: [xlsxError(fileName, e)] };
    }
    const r = importText(text, fileName, opts, [], false, sheet.name);
    const lines = text.split('\n');
    r.diagnostics = r.diagnostics.map((d) => locateInSheet(d, sheet.name, lines));
    if (r.plate) return r;
    first ??= r;
  }
  if (first) {
    first.diagnostics.push({ code: 'xlsx-no-results', severity: 'error', file: fileName, range: rng(0, 0, 0),
      message: `No sheet of this workbook has a results table (sheets: ${sheets.map((s) => s.name).join(', ') || 'none'}); the first sheet's problem is reported above.` });
    return first;
  }
  return { plate: null, diagnostics: [{ code: 'xlsx-no-results', severity: 'error', file: fileName, range: rng(0, 0, 0), message: 'The workbook has no worksheets.' }] };
}

/** A diagnostic on a sheet's text, named by its cell (`Results!D14: …`); the range keeps only the row. */
function locateInSheet(d: EngineDiagnostic, sheet: string, lines: readonly string[]): EngineDiagnostic {
  const line = d.range.start.line;
  const col = (lines[line] ?? '').slice(0, d.range.start.character).split('\t').length - 1;
  return { ...d, message: `${cellRef(sheet, line, col)}: ${d.message}`, range: rng(line, 0, 0) };
}

/** Imports decoded text (a text export, or an Excel sheet as text with `xlsxSheet`). */
function importText(text: string, fileName: string, opts: ImportOptions, diagnostics: EngineDiagnostic[], bom: boolean, xlsxSheet?: string): ImportResult {
  const format = opts.format ?? detectFormat(text, fileName);
  if (!format) {
    const first = text.split(/\r\n|\r|\n/, 1)[0] ?? '';
    diagnostics.push({ code: 'unknown-format', severity: 'error', file: fileName, range: rng(0, 0, first.length),
      message: `Unrecognised file: not a ${INSTRUMENT_NAMES} export, `
        + 'and no header row with sample, target and Cq columns was found for a tidy table.' });
    return { plate: null, diagnostics };
  }
  if (format === 'rdml') {
    const r = importRdml(text, fileName, opts);
    return { plate: r.plate, diagnostics: [...diagnostics, ...r.diagnostics] };
  }
  const { lines, lineEnding } = textLines(text);
  const ctx: ImportContext = {
    file: fileName, lines, delim: ',', diagnostics, wells: new WellRuns(), decimal: '.', ...(xlsxSheet !== undefined ? { endAtBlank: true } : {}),
    ...(opts.decimal ? { forcedDecimal: opts.decimal } : {}), ...(opts.minCq !== undefined ? { minCq: opts.minCq } : {}), ...(opts.share ? { share: opts.share } : {}),
  };
  const imp = plateFormat(format).importer!(ctx, opts);
  if (!imp.ok) return { plate: null, diagnostics };
  if (ctx.wells.length === 0) {
    diagnostics.push({ code: 'no-wells', severity: 'error', file: fileName, range: rng(0, 0, lines.line(0).length),
      message: `Recognised as ${format}, but the results table has no data rows.` });
    return { plate: null, diagnostics };
  }
  const { rows, cols } = geometry(ctx.wells, imp);
  const plate: Plate = {
    file: fileName, format, rows, cols, wells: PENDING_WELLS as Well[], meta: imp.meta,
    conventions: { delimiter: ctx.delim, decimal: ctx.decimal, lineEnding, bom },
  };
  attachWells(plate, ctx.wells); // the views made on the first read of plate.wells
  if (imp.instrument) plate.instrument = imp.instrument;
  if (xlsxSheet !== undefined) plate.source = { kind: 'xlsx', sheet: xlsxSheet };
  if (imp.curves) plate.curves = imp.curves;
  return { plate, diagnostics };
}

/** Writes a boolean in the spelling style of `current` (`false`/`FALSE`/`False`/`N`/`0`/`no`). */
function boolLike(current: string, value: boolean): string | null {
  const c = current.trim();
  const l = c.toLowerCase();
  let word: string;
  if (l === 'true' || l === 'false') word = value ? 'true' : 'false';
  else if (l === 'y' || l === 'n') word = value ? 'y' : 'n';
  else if (l === 'yes' || l === 'no') word = value ? 'yes' : 'no';
  else if (l === '1' || l === '0') return value ? '1' : '0';
  else if (l === '') word = value ? 'true' : 'false';
  else return null;
  if (c === '') return word;
  if (c === c.toUpperCase()) return word.toUpperCase();
  if (c[0] === c[0].toUpperCase()) return word[0].toUpperCase() + word.slice(1);
  return word;
}

function parseBoolArg(v: string | undefined): boolean | null {
  if (v === undefined) return true;
  const l = v.trim().toLowerCase();
  if (l === 'true' || l === '1' || l === 'yes' || l === 'omit') return true;
  if (l === 'false' || l === '0' || l === 'no' || l === 'include') return false;
  return null;
}

const NOCQ_VALUES = new Set(['undetermined', 'nan', 'n/a', 'na', '']);

/**
 * A minimal replacement (one cell) that omits a well (`what: 'omit'`, `value` 'true' (default) or 'false' to
 * include it again) or sets its Cq (`what: 'cq'`, `value` a number in either decimal style, or a no-Cq word such
 * as `Undetermined`). Null when the format cannot express the edit (no Omit/Include column, no Cq cell range
 * (RDML), or a value that would need quoting or is not a Cq). The rest of the file is untouched.
 */
export function cellEdit(plate: Plate, well: Well, what: 'omit' | 'cq', value?: string): EngineFix | null {
  if (plate.source) return null; // a workbook is read-only
  const label = well.position ?? `${well.sample}/${well.target}`;
  if (what === 'omit') {
    const column = plateFormat(plate.format).omitColumn;
    if (column === null || !well.ranges.omit || well.omitText === undefined) return null;
    const omit = parseBoolArg(value);
    if (omit === null) return null;
    const inverted = column === 'include'; // Include column: False = omitted
    const word = boolLike(well.omitText, inverted ? !omit : omit);
    if (word === null) return null;
    const r = well.ranges.omit;
    // Replace only the trimmed content so padding spaces inside the cell are kept.
    const lead = well.omitText.length - well.omitText.trimStart().length;
    const trail = well.omitText.length - well.omitText.trimEnd().length;
    const inner = r.end.character - r.start.character === well.omitText.length;
    const range = inner && well.omitText.trim() !== ''
      ? rng(r.start.line, r.start.character + lead, r.end.character - trail)
      : r;
    return { title: omit ? `Omit well ${label}` : `Include well ${label}`, edits: [{ range, newText: word }] };
  }
  if (!well.ranges.cq || value === undefined) return null;
  let v = value.trim();
  if (v.includes('\n') || v.includes('\r') || v.includes('"')) return null;
  const num = parseDecimal(v);
  if (Number.isNaN(num)) {
    if (!NOCQ_VALUES.has(v.toLowerCase())) return null;
  } else {
    if (!Number.isFinite(num) || num < 0) return null;
    v = plate.conventions.decimal === ',' ? v.replace('.', ',') : v.replace(',', '.');
  }
  const d = plate.conventions.delimiter;
  // A value containing the delimiter (decimal comma in a comma CSV) would need quotes that may not be there.
  if (d && v.includes(d)) return null;
  const r = well.ranges.cq;
  return { title: `Set Cq of well ${label} to ${v === '' ? '(empty)' : v}`, edits: [{ range: r, newText: v }] };
}
