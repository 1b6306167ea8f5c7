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
import { decodeText, trimKeeps } from '../plate/text';
import { excerpt } from '../common/excerpt';
import { firstOfStrings } from '../../shared/pairIndex';
import { lazyProperty } from '../common/lazyProperty';

export interface TableColumn {
  name: string;
  type: 'numeric' | 'categorical';
  levels?: string[];
  /** Non-missing cells. */
  n: number;
  missing: number;
}

export type Cell = number | string | null;

/**
 * A column's cells: a numeric column's values (NaN: missing; ±Infinity, beyond a double: missing too), or a
 * categorical column's trimmed texts (null: missing), each distinct text one string.
 */
export type ColumnCells = Float64Array | (string | null)[];

/** The index of the column named `name` (-1: none). */
export function columnIndex(t: Pick<LoadedTable, 'columns'>, name: string): number {
  return t.columns.findIndex((c) => c.name === name);
}

/** Row i's cell of a column, as the row objects have it. */
export function columnCell(cells: ColumnCells, i: number): Cell {
  if (cells instanceof Float64Array) { const v = cells[i]; return Number.isFinite(v) ? v : null; }
  return cells[i];
}

export interface LoadedTable {
  columns: TableColumn[];
  /** Each column's cells (parallel to `columns`): what the study reads, column by column. */
  cells: ColumnCells[];
  /**
   * The rows as objects (a key per column), made on the first read: a table of 500,000 rows × 50 columns took about
   * 0.6 GB more as row objects than as columns.
   */
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

/** `scanNumber` result bits. */
const NUMBER = 1, FRACTION = 2;

/**
 * Linear scan of a trimmed cell as `[+-]digits[MARK digits][e[+-]digits]` with at least one mantissa digit
 * (no regular expression: the former `\d+\.?\d*` backtracked quadratically on long digit runs). Returns NUMBER when
 * it is one, | FRACTION when the mark is present and followed by a digit (`12,5`, `.5`), which is what decides the
 * decimal mark; 0 when it is no number.
 */
function scanNumber(t: string, mark: number): number {
  const n = t.length;
  let i = 0;
  if (i < n && (t.charCodeAt(i) === 43 || t.charCodeAt(i) === 45)) i++;
  let digits = 0, after = 0, seen = false;
  for (; i < n; i++) {
    const c = t.charCodeAt(i);
    if (isDigit(c)) { digits++; if (seen) after++; } else if (c === mark && !seen) seen = true; else break;
  }
  if (digits === 0) return 0;
  if (i < n) {
    const c = t.charCodeAt(i);
    if (c !== 69 && c !== 101) return 0;
    i++;
    if (i < n && (t.charCodeAt(i) === 43 || t.charCodeAt(i) === 45)) i++;
    const e0 = i;
    while (i < n && isDigit(t.charCodeAt(i))) i++;
    if (i === e0 || i < n) return 0;
  }
  return after > 0 ? NUMBER | FRACTION : NUMBER;
}

export function isMissingCell(s: string): boolean {
  // The spellings start with N, n, # or . (or are blank): a cell starting with a digit, a sign or another ASCII letter
  // is none. The missing spellings are at most 4 characters: a longer cell that trim() leaves whole is none. Neither
  // check makes a string.
  const c = s.charCodeAt(0);
  if ((c >= 48 && c <= 57) || c === 43 || c === 45 || (c >= 65 && c <= 90 && c !== 78) || (c >= 97 && c <= 122 && c !== 110)) return false;
  if (s.length > 4 && trimKeeps(s, 0, s.length)) return false;
  return MISSING.has(s.trim().toUpperCase());
}

/** Parses a number cell under the table's decimal convention; null when it is not a number. */
export function parseNumberCell(s: string, decimal: '.' | ','): number | null {
  const t = s.trim();
  if (!(scanNumber(t, decimal === ',' ? 44 : 46) & NUMBER)) return null;
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

/** One record as papaparse read it: its cells and where it is in the text ([offset, end), line break included). */
interface RawRow { cells: string[]; offset: number; end: number; quoteError: boolean }

/**
 * The records of a table's text, by index: where each one is ([offset, end), line break included), its cells (`''`
 * past its last) and whether papaparse found a quote error in it.
 */
interface Records {
  readonly length: number;
  offset(i: number): number;
  end(i: number): number;
  quoteError(i: number): boolean;
  width(i: number): number;
  cell(i: number, j: number): string;
  /** Whether some cell has a character other than white space. */
  hasContent(i: number): boolean;
}

/** Records as papaparse gives them (a text with quotes). */
class ParsedRecords implements Records {
  constructor(private readonly raws: RawRow[]) {}
  get length(): number { return this.raws.length; }
  offset(i: number): number { return this.raws[i].offset; }
  end(i: number): number { return this.raws[i].end; }
  quoteError(i: number): boolean { return this.raws[i].quoteError; }
  width(i: number): number { return this.raws[i].cells.length; }
  cell(i: number, j: number): string { return this.raws[i].cells[j] ?? ''; }
  hasContent(i: number): boolean { return this.raws[i].cells.some((c) => c.trim() !== ''); }
}

/**
 * Records read as offsets, as papaparse reads them (the text split at the line break it guesses from the first MiB;
 * each line at the delimiter; a record ends after its line break): where each record's cells start (`starts`, from
 * `first[i]` to `first[i + 1]`) and where its line ends (`lineEnd`, before the break). A cell is a string only while
 * it is read: a table of 500,000 × 50 kept 25 million of them, and half of its load time was the garbage collector's.
 *
 * `OffsetRecords.read` takes a text without quotes, or one whose quotes are all simple (R's `write.csv`): a quoted
 * cell is a whole cell, `"…"` with `""` for a quote, on one line, closed right before the delimiter or the line end,
 * and no other cell has a quote. papaparse gives such a cell's text between the quotes, `""` read as `"`, and no
 * quote error. Any other quote (a line break inside quotes, a quote inside a cell, text after a closing quote): null,
 * and papaparse reads the text.
 */
class OffsetRecords implements Records {
  readonly length: number;
  private readonly content: RegExp;
  private constructor(
    private readonly text: string, private readonly delimiter: string, private readonly newline: string, private readonly quoted: boolean,
    private readonly first: Int32Array, private readonly starts: Int32Array, private readonly lineEnd: Int32Array,
  ) {
    this.length = lineEnd.length;
    this.content = new RegExp(`[^\\s${delimiter.replace(/[\\^\]-]/g, '\\$&')}]`);
  }

  static read(text: string, delimiter: string, newline: string): OffsetRecords | null {
    const quoted = text.includes('"');
    const lineEnds: number[] = [];
    const first: number[] = [];
    let starts = new Int32Array(1024), n = 0;
    const delim = nextOf(text, delimiter), quote = nextOf(text, '"');
    for (let at = 0; ;) {
      const brk = text.indexOf(newline, at), e = brk < 0 ? text.length : brk;
      first.push(n);
      for (let c = at; ;) {
        if (n === starts.length) { const grown = new Int32Array(n * 2); grown.set(starts); starts = grown; }
        starts[n++] = c;
        const d = quoted ? quotedCellEnd(text, c, e, delimiter, delim, quote) : delim(c);
        if (d === -2) return null;
        if (d < 0 || d >= e) break;
        c = d + delimiter.length;
      }
      lineEnds.push(e);
      if (brk < 0) break;
      at = brk + newline.length;
    }
    first.push(n);
    return new OffsetRecords(text, delimiter, newline, quoted, Int32Array.from(first), starts.subarray(0, n), Int32Array.from(lineEnds));
  }

  offset(i: number): number { return this.starts[this.first[i]]; }
  end(i: number): number { return i + 1 < this.length ? this.lineEnd[i] + this.newline.length : this.lineEnd[i]; }
  quoteError(): boolean { return false; }
  width(i: number): number { return this.first[i + 1] - this.first[i]; }
  cell(i: number, j: number): string {
    const k = this.first[i] + j;
    if (k >= this.first[i + 1]) return '';
    const e = k + 1 < this.first[i + 1] ? this.starts[k + 1] - this.delimiter.length : this.lineEnd[i];
    const raw = this.text.slice(this.starts[k], e);
    return this.quoted && raw.charCodeAt(0) === 34 ? raw.slice(1, -1).replaceAll('""', '"') : raw;
  }
  hasContent(i: number): boolean {
    // trim() and \s remove the same characters (white space and line terminators): without quotes, a cell has content
    // where the line has a character that is neither those nor the delimiter
    if (!this.quoted) return this.content.test(this.text.slice(this.offset(i), this.lineEnd[i]));
    for (let j = 0, w = this.width(i); j < w; j++) if (this.cell(i, j).trim() !== '') return true;
    return false;
  }
}

/**
 * The first `s` in `text` at or after an offset (-1: none), for offsets that never decrease: each search starts where
 * the last one ended, so the scans of a text add up to one pass. (`indexOf` from each line would scan to the next
 * delimiter, perhaps the text's end, for every line of a table of one column.)
 */
function nextOf(text: string, s: string): (from: number) => number {
  let found = -2; // not searched yet
  return (from) => {
    if (found !== -1 && found < from) found = text.indexOf(s, from);
    return found;
  };
}

/**
 * Where the cell starting at `c` ends (the delimiter after it, or -1 at the line end `e`) in a text with quotes; -2
 * when it is not a simple cell (see OffsetRecords).
 */
function quotedCellEnd(text: string, c: number, e: number, delimiter: string, delim: (from: number) => number, quote: (from: number) => number): number {
  if (text.charCodeAt(c) === 34) {
    for (let k = c + 1; ;) {
      const q = quote(k);
      if (q < 0 || q >= e) return -2; // not closed on this line
      if (q + 1 < e && text.charCodeAt(q + 1) === 34) { k = q + 2; continue; } // "" inside
      for (let x = c + 1; x < q; x++) { const ch = text.charCodeAt(x); if (ch === 10 || ch === 13) return -2; }
      if (q + 1 === e) return -1;
      return text.startsWith(delimiter, q + 1) ? q + 1 : -2;
    }
  }
  const d = delim(c), end = d < 0 || d >= e ? e : d;
  const q = quote(c);
  if (q >= 0 && q < end) return -2;
  return d < 0 || d >= e ? -1 : d;
}

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

/** Where `text[s, e)` ends without its trailing line breaks (a loop: `/[\r\n]+$/` is quadratic on a long run). */
function endOfBody(text: string, s: number, e: number): number {
  while (e > s && (text.charCodeAt(e - 1) === 10 || text.charCodeAt(e - 1) === 13)) e--;
  return e;
}

/** Line breaks inside a record (its own trailing one excluded): the lines a quoted cell swallowed (`first`: offset). */
function innerBreaks(text: string, offset: number, end: number): { count: number; first: number } {
  let count = 0, first = -1;
  const e = endOfBody(text, offset, end);
  for (let i = offset; i < e; i++) {
    const c = text.charCodeAt(i);
    if (c === 10 || (c === 13 && text.charCodeAt(i + 1) !== 10)) { count++; if (first < 0) first = i; }
  }
  return { count, first };
}

/** A table's text, with what its findings need: the file, the list they go to, offset → line and range. */
class TableText {
  readonly #lineStarts: number[] = [0];
  constructor(readonly text: string, readonly delimiter: string, readonly file: string, readonly diagnostics: EngineDiagnostic[]) {
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 10 || (c === 13 && text.charCodeAt(i + 1) !== 10)) this.#lineStarts.push(i + 1);
    }
  }
  /** The 0-based line of offset `off`. */
  lineOf(off: number): number {
    const starts = this.#lineStarts;
    let lo = 0, hi = starts.length - 1;
    while (lo < hi) { const mid = (lo + hi + 1) >> 1; if (starts[mid] <= off) lo = mid; else hi = mid - 1; }
    return lo;
  }
  /** The range of `len` characters (at least 1) at offset `off`. */
  rangeAt(off: number, len: number): Range {
    const line = this.lineOf(off), character = off - this.#lineStarts[line];
    return { start: { line, character }, end: { line, character: character + Math.max(len, 1) } };
  }
  /** The range of cell `j` of record `i` (`len` characters; its first cell when the record has fewer). */
  cellRange(recs: Records, i: number, j: number, len: number): Range {
    const offset = recs.offset(i);
    return this.rangeAt(offset + (cellOffsets(this.text.slice(offset, recs.end(i)), this.delimiter)[j] ?? 0), len);
  }
  add(code: string, severity: EngineDiagnostic['severity'], message: string, range: Range): void {
    this.diagnostics.push({ code, severity, message, file: this.file, range });
  }
}

/** The records of the text (papaparse, RFC 4180 quotes). */
function readRecords(text: string, delimiter: string): Records {
  const offsets = offsetRecords(text, delimiter);
  if (offsets) return offsets;
  const raws: RawRow[] = [];
  let prev = 0;
  Papa.parse<string[]>(text, {
    delimiter,
    step: (r) => {
      const end = r.meta.cursor;
      raws.push({ cells: r.data, offset: prev, end, quoteError: r.errors.some((e) => e.type === 'Quotes') });
      prev = end;
    },
  });
  return new ParsedRecords(raws);
}

/**
 * readRecords as offsets (OffsetRecords), without papaparse's per-record step call, result objects and cell strings
 * (a third of the time of a table of a million rows); null when the text has quotes other than simple ones.
 */
function offsetRecords(text: string, delimiter: string): Records | null {
  if (text === '') return new ParsedRecords([]);
  // papaparse's guess is '\n' when it finds no line break; an empty one would never end the scan
  const newline = Papa.parse<string[]>(text.slice(0, 1 << 20), { delimiter, preview: 1 }).meta.linebreak || '\n';
  return OffsetRecords.read(text, delimiter, newline);
}

/** The header's column names (blank: V1, V2 …; a repeated name gets `.column` and a `table-duplicate-column` error). */
function columnNames(t: TableText, recs: Records, header: number): string[] {
  const names = Array.from({ length: recs.width(header) }, (_, i) => recs.cell(header, i).trim() || `V${i + 1}`);
  const seen = new Map<string, number>();
  names.forEach((nm, i) => {
    if (!seen.has(nm)) { seen.set(nm, i); return; }
    t.add('table-duplicate-column', 'error', `Column name "${excerpt(nm)}" appears twice (columns ${seen.get(nm)! + 1} and ${i + 1}); the second is renamed "${excerpt(nm)}.${i + 1}".`, t.cellRange(recs, header, i, nm.length));
    names[i] = `${nm}.${i + 1}`;
  });
  return names;
}

/** The decimal mark: `,` when the delimiter is not `,`, some cell looks like `12,5` and none like `12.5`. */
function decimalMark(recs: Records, body: Int32Array, delimiter: string): '.' | ',' {
  let sawComma = false, sawDot = false;
  for (const i of body) for (let j = 0, w = recs.width(i); j < w; j++) {
    const t = recs.cell(i, j).trim();
    if (scanNumber(t, 44) & FRACTION) sawComma = true;
    else if (scanNumber(t, 46) & FRACTION) sawDot = true;
  }
  return delimiter !== ',' && sawComma && !sawDot ? ',' : '.';
}

/** Reports records with a quote left open (`table-unbalanced-quote`) or with the wrong cell count (`table-ragged`). */
function checkRecords(t: TableText, recs: Records, body: Int32Array, width: number): void {
  for (const i of body) {
    const offset = recs.offset(i), cells = recs.width(i);
    const swallowed = innerBreaks(t.text, offset, recs.end(i));
    if (swallowed.count > 0 && (recs.quoteError(i) || cells !== width)) {
      const q = Math.max(offset, t.text.lastIndexOf('"', swallowed.first));
      const end = t.lineOf(swallowed.first) + swallowed.count;
      t.add('table-unbalanced-quote', 'error', `Unbalanced quote: the quoted cell opened here runs to line ${end + 1}, swallowing ${swallowed.count} line${swallowed.count === 1 ? '' : 's'} (rows) into one cell. Close or remove the quote.`, t.rangeAt(q, 1));
      continue;
    }
    if (cells !== width) {
      const line = t.lineOf(offset);
      t.add('table-ragged', 'warning', `Row has ${cells} cells, the header has ${width}${cells > width ? '; extra cells are ignored' : '; absent cells are missing'}.`, lineRange(line, 0, Math.max(1, endOfBody(t.text, offset, recs.end(i)) - offset)));
    }
  }
}

/**
 * Column `j`'s type, counts and levels (`table-number-overflow`, `table-mixed-types`), and its cells: for a numeric
 * column its values as read (NaN: missing; ±Infinity: beyond a double).
 */
function typeColumn(t: TableText, recs: Records, body: Int32Array, name: string, j: number, decimal: '.' | ','): { col: TableColumn; cells: ColumnCells } {
  let nNum = 0, nText = 0, missing = 0;
  let firstText: { row: number; value: string } | null = null;
  const overflow: { row: number; value: string }[] = [];
  let numbers: Float64Array | null = new Float64Array(body.length); // dropped at the first text: the column is categorical
  for (let i = 0; i < body.length; i++) { // an index loop: see plate/index.ts inferGeometry
    const r = body[i], c = recs.cell(r, j);
    if (isMissingCell(c)) { missing++; if (numbers) numbers[i] = NaN; continue; }
    const v = parseNumberCell(c, decimal);
    if (v !== null) {
      nNum++;
      if (numbers) numbers[i] = v;
      if (!Number.isFinite(v)) overflow.push({ row: r, value: c });
    } else { nText++; firstText ??= { row: r, value: c }; numbers = null; }
  }
  const numeric = nText === 0 && nNum > 0;
  if (numeric) {
    for (const o of overflow) {
      t.add('table-number-overflow', 'warning', `Column "${excerpt(name)}": ${excerpt(o.value.trim())} is beyond the range of a double (about 1.8e308); it is read as missing.`, t.cellRange(recs, o.row, j, o.value.length));
    }
    nNum -= overflow.length; missing += overflow.length;
  }
  if (!numeric && nNum > 0 && nNum >= nText && firstText) {
    t.add('table-mixed-types', 'warning', `Column "${excerpt(name)}" is mostly numeric but "${excerpt(firstText.value.trim())}" is not a number; the column is treated as categorical.`, t.cellRange(recs, firstText.row, j, firstText.value.length));
  }
  const col: TableColumn = { name, type: numeric ? 'numeric' : 'categorical', n: nNum + nText, missing };
  if (numeric) return { col, cells: numbers! };
  // Levels in order of first appearance, grouped by hash (shared/pairIndex.ts): a key column has a level per row, and
  // a Set of a million strings took a second. Each text is then its level's string (one `M`, not one per row).
  const values = new Array<string | null>(body.length);
  for (let i = 0; i < body.length; i++) { const c = recs.cell(body[i], j); values[i] = isMissingCell(c) ? null : c.trim(); }
  const first = firstOfStrings(body.length, (i) => values[i]);
  const levels: string[] = [];
  for (let i = 0; i < body.length; i++) {
    if (first[i] === i) levels.push(values[i]!);
    else if (first[i] >= 0) values[i] = values[first[i]]; // first[i] = -1: missing
  }
  col.levels = levels;
  return { col, cells: values };
}

/**
 * The rows, from the columns' cells. Each one is a copy of one object with every column as an own key (even
 * `__proto__`), given a null prototype (a column named constructor is an ordinary key; nothing inherited). It keeps
 * fast properties: Object.create(null) filled key by key is a dictionary (about 300 bytes for 4 columns instead of
 * about 100, and slower to make).
 */
function tableRows({ columns, cells, lines }: Pick<LoadedTable, 'columns' | 'cells' | 'lines'>): Record<string, Cell>[] {
  const names = columns.map((c) => c.name);
  const template = Object.fromEntries(names.map((nm) => [nm, null])) as Record<string, Cell>;
  const rows: Record<string, Cell>[] = new Array(lines.length);
  for (let i = 0; i < lines.length; i++) {
    const row = Object.setPrototypeOf({ ...template }, null) as Record<string, Cell>;
    for (let j = 0; j < names.length; j++) row[names[j]] = columnCell(cells[j], i);
    rows[i] = row;
  }
  return rows;
}

const attachRows = lazyProperty<Record<string, Cell>[], Pick<LoadedTable, 'columns' | 'cells' | 'lines'>>('rows', tableRows);

/** A table without its row objects: what crosses a worker boundary (a structured clone would make and copy them). */
export type TableColumns = Omit<LoadedTable, 'rows'>;

/** The table's columns and cells, its row objects left unmade. */
export function tableColumns(t: LoadedTable): TableColumns {
  return { columns: t.columns, cells: t.cells, diagnostics: t.diagnostics, lines: t.lines, delimiter: t.delimiter, decimal: t.decimal };
}

/** The table again from its columns: the row objects (a null prototype each) made on the first read of `rows`. */
export function tableFromColumns(t: TableColumns): LoadedTable {
  const table = { ...t } as LoadedTable;
  attachRows(table, table);
  return table;
}

/**
 * The key column: present in every row (`table-missing-key`) and unique (`table-duplicate-key`). A categorical
 * column with as many levels as values has no repeated key: no second set of the keys is made.
 */
function checkKeys(t: TableText, recs: Records, body: Int32Array, cells: ColumnCells[], lines: number[], columns: TableColumn[], header: number, key: string): void {
  const names = columns.map((c) => c.name);
  const kj = names.indexOf(key);
  if (kj < 0) {
    t.add('table-unknown-key', 'error', `Key column "${excerpt(key)}" is not in the table (columns: ${excerpt(names.join(', '))}).`, t.rangeAt(recs.offset(header), endOfBody(t.text, recs.offset(header), recs.end(header)) - recs.offset(header)));
    return;
  }
  const distinct = columns[kj].levels?.length === columns[kj].n;
  const firstSeen = new Map<string, number>();
  for (let i = 0; i < body.length; i++) {
    const v = columnCell(cells[kj], i);
    const at = () => t.cellRange(recs, body[i], kj, recs.cell(body[i], kj).length);
    if (v === null) { t.add('table-missing-key', 'warning', `Row without a value in key column "${key}".`, at()); continue; }
    if (distinct) continue;
    const k = String(v), first = firstSeen.get(k);
    if (first !== undefined) t.add('table-duplicate-key', 'error', `Duplicate key "${excerpt(k)}" in column "${key}" (first on line ${first + 1}).`, at());
    else firstSeen.set(k, lines[i]);
  }
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
  const t = new TableText(text, delimiter, file, diagnostics);
  const recs = readRecords(text, delimiter);
  const nonEmpty: number[] = [];
  for (let i = 0; i < recs.length; i++) if (recs.hasContent(i)) nonEmpty.push(i);
  if (nonEmpty.length === 0) {
    t.add('table-empty', 'error', 'The table is empty.', lineRange(0, 0, 1));
    return { columns: [], cells: [], rows: [], diagnostics, lines: [], delimiter, decimal: '.' };
  }
  const header = nonEmpty[0], body = Int32Array.from(nonEmpty.slice(1));
  const names = columnNames(t, recs, header);
  const decimal = decimalMark(recs, body, delimiter);
  checkRecords(t, recs, body, names.length);
  const typed = names.map((name, j) => typeColumn(t, recs, body, name, j, decimal));
  const columns = typed.map((c) => c.col), cells = typed.map((c) => c.cells);
  const lines = Array.from(body, (i) => t.lineOf(recs.offset(i)));
  checkKeys(t, recs, body, cells, lines, columns, header, opts.key ?? names[0]);
  return tableFromColumns({ columns, cells, diagnostics, lines, delimiter, decimal });
}
