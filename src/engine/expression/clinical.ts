/**
 * Clinical tables and sample sheets: CSV / TSV / semicolon text → typed columns and rows.
 *
 * Rules (stated so the UI and the methods text can repeat them):
 * - A leading BOM is dropped. The delimiter is the most frequent of tab, `;`, `,` outside quotes on the header line
 *   (ties: tab, then `;`, then `,`). Quotes follow RFC 4180 (papaparse).
 * - Decimal comma: when the delimiter is not `,`, and some cell looks like `12,5` and no cell looks like `12.5`,
 *   numbers are read with `,` as the decimal mark.
 * - Missing: empty, `NA`, `N/A`, `#N/A`, `NaN`, `.` (after trimming spaces).
 * - A column is numeric when every non-missing cell parses as a number; otherwise categorical (levels in order of
 *   first appearance). A mostly numeric column with some text gets a `table-mixed-types` warning at the first text cell.
 * - Rows whose cells are all blank are skipped. A row with a different cell count than the header gets a
 *   `table-ragged` warning (extra cells ignored, absent cells missing).
 * - The key column (option `key`, default the first column) must be unique and present: `table-duplicate-key`
 *   (error) at the repeated cell, `table-missing-key` (warning).
 */
import * as Papa from 'papaparse';
import type { EngineDiagnostic, Range } from '../common/diagnostic';
import { lineRange } from '../common/diagnostic';
import { decodeText } from '../plate/text';
import { excerpt } from '../common/excerpt';

export interface TableColumn {
  name: string;
  type: 'numeric' | 'categorical';
  levels?: string[];
  /** Non-missing cells. */
  n: number;
  missing: number;
}

export type Cell = number | string | null;

export interface LoadedTable {
  columns: TableColumn[];
  rows: Record<string, Cell>[];
  diagnostics: EngineDiagnostic[];
  /** 0-based source line of each row (parallel to `rows`). */
  lines: number[];
  delimiter: string;
  decimal: '.' | ',';
}

export interface LoadTableOptions { key?: string }

const MISSING = new Set(['', 'NA', 'N/A', '#N/A', 'NAN', '.']);

const isDigit = (c: number) => c >= 48 && c <= 57;

/**
 * Linear scan of a trimmed cell as `[+-]digits[MARK digits][e[+-]digits]` with at least one mantissa digit
 * (no regular expression: the former `\d+\.?\d*` backtracked quadratically on long digit runs).
 * `fraction`: the mark is present and followed by a digit (`12,5`, `.5`), which is what decides the decimal mark.
 */
function scanNumber(t: string, mark: number): { ok: boolean; fraction: boolean } {
  const n = t.length;
  let i = 0;
  if (i < n && (t.charCodeAt(i) === 43 || t.charCodeAt(i) === 45)) i++;
  let digits = 0, after = 0, seen = false;
  for (; i < n; i++) {
    const c = t.charCodeAt(i);
    if (isDigit(c)) { digits++; if (seen) after++; } else if (c === mark && !seen) seen = true; else break;
  }
  const no = { ok: false, fraction: false };
  if (digits === 0) return no;
  if (i < n) {
    const c = t.charCodeAt(i);
    if (c !== 69 && c !== 101) return no;
    i++;
    if (i < n && (t.charCodeAt(i) === 43 || t.charCodeAt(i) === 45)) i++;
    const e0 = i;
    while (i < n && isDigit(t.charCodeAt(i))) i++;
    if (i === e0 || i < n) return no;
  }
  return { ok: true, fraction: after > 0 };
}

export function isMissingCell(s: string): boolean {
  return MISSING.has(s.trim().toUpperCase());
}

/** Parses a number cell under the table's decimal convention; null when it is not a number. */
export function parseNumberCell(s: string, decimal: '.' | ','): number | null {
  const t = s.trim();
  if (!scanNumber(t, decimal === ',' ? 44 : 46).ok) return null;
  return Number(decimal === ',' ? t.replace(',', '.') : t);
}

function detectDelimiter(text: string): string {
  let counts: Record<string, number> = { '\t': 0, ';': 0, ',': 0 };
  let inQ = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"') inQ = !inQ;
    else if (!inQ && (c === '\n' || c === '\r')) {
      if (counts['\t'] + counts[';'] + counts[','] > 0) break;
      counts = { '\t': 0, ';': 0, ',': 0 };
    } else if (!inQ && c in counts) counts[c]++;
  }
  let best = '\t';
  for (const d of ['\t', ';', ',']) if (counts[d] > counts[best]) best = d;
  return counts[best] > 0 ? best : ',';
}

/** Start offsets of the cells of one raw row (quote aware). */
function cellOffsets(raw: string, delimiter: string): number[] {
  const out = [0];
  let inQ = false;
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i];
    if (c === '"') inQ = !inQ;
    else if (!inQ && c === delimiter) out.push(i + 1);
  }
  return out;
}

interface RawRow { cells: string[]; offset: number; raw: string; quoteError: boolean }

const ENCODING_NOTE: Record<string, string> = {
  'windows-1252': 'The file is not valid UTF-8; it was read as Windows-1252 (so accented levels such as café and cafè stay distinct).',
  'utf-16le': 'The file is UTF-16 (little-endian, byte order mark); it was read as such.',
  'utf-16be': 'The file is UTF-16 (big-endian, byte order mark); it was read as such.',
};

/** Text of a table file: bytes are decoded as the plate reader does (UTF-8, UTF-16 by BOM, else Windows-1252). */
function tableText(input: string | Uint8Array, file: string, diagnostics: EngineDiagnostic[]): string {
  if (typeof input === 'string') return input.charCodeAt(0) === 0xfeff ? input.slice(1) : input;
  const d = decodeText(input);
  const note = ENCODING_NOTE[d.encoding];
  if (note) diagnostics.push({ code: 'table-encoding', severity: 'info', message: note, file, range: lineRange(0, 0, 1) });
  return d.text;
}

/** `s` without its trailing line breaks (a loop: `/[\r\n]+$/` is quadratic on a long run of breaks). */
function trimEol(s: string): string {
  let e = s.length;
  while (e > 0 && (s.charCodeAt(e - 1) === 10 || s.charCodeAt(e - 1) === 13)) e--;
  return s.slice(0, e);
}

/** Line breaks inside a raw record (its own trailing one excluded): the lines a quoted cell swallowed. */
function innerBreaks(raw: string): { count: number; first: number } {
  let count = 0, first = -1;
  const body = trimEol(raw);
  for (let i = 0; i < body.length; i++) {
    const c = body.charCodeAt(i);
    if (c === 10 || (c === 13 && body.charCodeAt(i + 1) !== 10)) { count++; if (first < 0) first = i; }
  }
  return { count, first };
}

/**
 * Reads a table from text, or from bytes (decoded like plate files, with a `table-encoding` info when not UTF-8).
 * A quote left open (a record spanning lines with a quote error or the wrong cell count) is a
 * `table-unbalanced-quote` error at the quote, saying how many lines it swallowed; a number too large for a double
 * (`1e309`) is a `table-number-overflow` warning at its cell and read as missing.
 */
export function loadTable(input: string | Uint8Array, file: string, opts: LoadTableOptions = {}): LoadedTable {
  const diagnostics: EngineDiagnostic[] = [];
  const text = tableText(input, file, diagnostics);
  const delimiter = detectDelimiter(text);

  // Line starts, for offset → (line, character).
  const lineStarts = [0];
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '\n') lineStarts.push(i + 1);
    else if (c === '\r' && text[i + 1] !== '\n') lineStarts.push(i + 1);
  }
  const pos = (off: number) => {
    let lo = 0, hi = lineStarts.length - 1;
    while (lo < hi) { const mid = (lo + hi + 1) >> 1; if (lineStarts[mid] <= off) lo = mid; else hi = mid - 1; }
    return { line: lo, character: off - lineStarts[lo] };
  };
  const rangeAt = (off: number, len: number): Range => {
    const s = pos(off);
    return { start: s, end: { line: s.line, character: s.character + Math.max(len, 1) } };
  };

  const raws: RawRow[] = [];
  let prev = 0;
  Papa.parse<string[]>(text, {
    delimiter,
    step: (r) => {
      const cursor = r.meta.cursor;
      const raw = text.slice(prev, cursor);
      raws.push({ cells: r.data, offset: prev, raw, quoteError: r.errors.some((e) => e.type === 'Quotes') });
      prev = cursor;
    },
  });
  const nonEmpty = raws.filter((r) => r.cells.some((c) => c.trim() !== ''));
  if (nonEmpty.length === 0) {
    diagnostics.push({ code: 'table-empty', severity: 'error', message: 'The table is empty.', file, range: lineRange(0, 0, 1) });
    return { columns: [], rows: [], diagnostics, lines: [], delimiter, decimal: '.' };
  }
  const header = nonEmpty[0];
  const names = header.cells.map((c, i) => c.trim() || `V${i + 1}`);
  const hOffs = cellOffsets(header.raw, delimiter);
  const seenNames = new Map<string, number>();
  names.forEach((nm, i) => {
    if (seenNames.has(nm)) {
      diagnostics.push({ code: 'table-duplicate-column', severity: 'error', message: `Column name "${excerpt(nm)}" appears twice (columns ${seenNames.get(nm)! + 1} and ${i + 1}); the second is renamed "${excerpt(nm)}.${i + 1}".`, file, range: rangeAt(header.offset + (hOffs[i] ?? 0), nm.length) });
      names[i] = `${nm}.${i + 1}`;
    } else seenNames.set(nm, i);
  });
  const body = nonEmpty.slice(1);

  // Decimal convention.
  let sawComma = false, sawDot = false;
  for (const r of body) for (const c of r.cells) {
    const t = c.trim();
    if (scanNumber(t, 44).fraction) sawComma = true;
    else if (scanNumber(t, 46).fraction) sawDot = true;
  }
  const decimal: '.' | ',' = delimiter !== ',' && sawComma && !sawDot ? ',' : '.';

  for (const r of body) {
    const swallowed = innerBreaks(r.raw);
    if (swallowed.count > 0 && (r.quoteError || r.cells.length !== names.length)) {
      const q = Math.max(0, r.raw.lastIndexOf('"', swallowed.first));
      const end = pos(r.offset + swallowed.first).line + swallowed.count;
      diagnostics.push({ code: 'table-unbalanced-quote', severity: 'error', file, range: rangeAt(r.offset + q, 1),
        message: `Unbalanced quote: the quoted cell opened here runs to line ${end + 1}, swallowing ${swallowed.count} line${swallowed.count === 1 ? '' : 's'} (rows) into one cell. Close or remove the quote.` });
      continue;
    }
    if (r.cells.length !== names.length) {
      const s = pos(r.offset);
      diagnostics.push({ code: 'table-ragged', severity: 'warning', message: `Row has ${r.cells.length} cells, the header has ${names.length}${r.cells.length > names.length ? '; extra cells are ignored' : '; absent cells are missing'}.`, file, range: lineRange(s.line, 0, Math.max(1, trimEol(r.raw).length)) });
    }
  }

  const columns: TableColumn[] = names.map((name, j) => {
    let nNum = 0, nText = 0, missing = 0;
    let firstText: { row: RawRow; value: string } | null = null;
    const overflow: { row: RawRow; value: string }[] = [];
    for (const r of body) {
      const c = r.cells[j] ?? '';
      if (isMissingCell(c)) { missing++; continue; }
      const v = parseNumberCell(c, decimal);
      if (v !== null) { nNum++; if (!Number.isFinite(v)) overflow.push({ row: r, value: c }); }
      else { nText++; if (!firstText) firstText = { row: r, value: c }; }
    }
    const numeric = nText === 0 && nNum > 0;
    if (numeric) {
      for (const o of overflow) {
        const offs = cellOffsets(o.row.raw, delimiter);
        diagnostics.push({ code: 'table-number-overflow', severity: 'warning', file, range: rangeAt(o.row.offset + (offs[j] ?? 0), o.value.length),
          message: `Column "${excerpt(name)}": ${excerpt(o.value.trim())} is beyond the range of a double (about 1.8e308); it is read as missing.` });
      }
      nNum -= overflow.length; missing += overflow.length;
    }
    if (!numeric && nNum > 0 && nNum >= nText && firstText) {
      const offs = cellOffsets(firstText.row.raw, delimiter);
      diagnostics.push({ code: 'table-mixed-types', severity: 'warning', message: `Column "${excerpt(name)}" is mostly numeric but "${excerpt(firstText.value.trim())}" is not a number; the column is treated as categorical.`, file, range: rangeAt(firstText.row.offset + (offs[j] ?? 0), firstText.value.length) });
    }
    const col: TableColumn = { name, type: numeric ? 'numeric' : 'categorical', n: nNum + nText, missing };
    if (!numeric) {
      const levels: string[] = [];
      const seen = new Set<string>();
      for (const r of body) {
        const c = r.cells[j] ?? '';
        if (isMissingCell(c)) continue;
        const v = c.trim();
        if (!seen.has(v)) { seen.add(v); levels.push(v); }
      }
      col.levels = levels;
    }
    return col;
  });

  const rows: Record<string, Cell>[] = [];
  const lines: number[] = [];
  // Each row: a copy of one object with every column as an own key (even `__proto__`), given a null prototype (a
  // column named constructor is an ordinary key; nothing inherited). It keeps fast properties: Object.create(null)
  // filled key by key is a dictionary (about 300 bytes for 4 columns instead of about 100, and slower to make).
  const template = Object.fromEntries(names.map((nm) => [nm, null])) as Record<string, Cell>;
  for (const r of body) {
    const row = Object.setPrototypeOf({ ...template }, null) as Record<string, Cell>;
    names.forEach((nm, j) => {
      const c = r.cells[j] ?? '';
      if (isMissingCell(c)) row[nm] = null;
      else if (columns[j].type === 'numeric') { const v = parseNumberCell(c, decimal); row[nm] = v !== null && Number.isFinite(v) ? v : null; }
      else row[nm] = c.trim();
    });
    rows.push(row);
    lines.push(pos(r.offset).line);
  }

  // Key column.
  const key = opts.key ?? names[0];
  const kj = names.indexOf(key);
  if (kj < 0) {
    diagnostics.push({ code: 'table-unknown-key', severity: 'error', message: `Key column "${excerpt(key)}" is not in the table (columns: ${excerpt(names.join(', '))}).`, file, range: rangeAt(header.offset, trimEol(header.raw).length) });
  } else {
    const firstSeen = new Map<string, number>();
    body.forEach((r, i) => {
      const v = rows[i][key];
      const offs = cellOffsets(r.raw, delimiter);
      const cellRange = rangeAt(r.offset + (offs[kj] ?? 0), (r.cells[kj] ?? '').length);
      if (v === null) {
        diagnostics.push({ code: 'table-missing-key', severity: 'warning', message: `Row without a value in key column "${key}".`, file, range: cellRange });
        return;
      }
      const k = String(v);
      if (firstSeen.has(k)) {
        diagnostics.push({ code: 'table-duplicate-key', severity: 'error', message: `Duplicate key "${excerpt(k)}" in column "${key}" (first on line ${firstSeen.get(k)! + 1}).`, file, range: cellRange });
      } else firstSeen.set(k, lines[i]);
    });
  }
  return { columns, rows, diagnostics, lines, delimiter, decimal };
}
