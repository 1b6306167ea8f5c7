/**
 * The shared "header row + data block → Well[]" machinery used by every delimited-text importer.
 * Each importer locates its header by content, builds a `ColumnMap` and hands the block to `readBlock`.
 */
import type { EngineDiagnostic, Range } from '../common/diagnostic';
import type { NoCqKind, Well, WellTask } from './model';
import { normHeader, parseDecimal, parseLocaleNumber, splitCells, type Cells, type Lines } from './text';
import { CELL_SLOTS, ColumnWell, rng, WellColumns, type TextIds } from './wellStore';

export { rng, shiftRange } from './wellStore';

export interface ColumnMap {
  position?: number;   // `A1`/`A01` (or rotor No.)
  wellNo?: number;     // 1-based well index column (used when there is no position column)
  sample?: number;
  target?: number;
  task?: number;
  cq: number;
  omit?: number;       // true/false = omitted
  include?: number;    // LightCycler `Include`: False = omitted
  quantity?: number;
  fluor?: number;      // CFX: target fallback when Target is empty
  /** Columns whose `Y`/`true` marks a flag named after the column (HIGHSD, NOAMP, ...). */
  flagCols: { idx: number; name: string }[];
  /** Columns whose non-empty, non-"ok" value becomes `PREFIX:VALUE` (Amp Status, Call, Ct Comment, SDS Flag). */
  valueFlags: { idx: number; prefix: string; ok: string[] }[];
}

export interface ImportContext {
  file: string;
  lines: Lines;
  delim: string;
  diagnostics: EngineDiagnostic[];
  wells: Well[];
  /** The file's decimal mark, decided from the Cq cells before rows are read (see `detectDecimal`). */
  decimal: '.' | ',';
  /** A decimal mark decided elsewhere (a streamed import's later blocks use the one of the file's first rows). */
  forcedDecimal?: '.' | ',';
  /** Smallest plausible Cq (default DEFAULT_MIN_CQ): a smaller (or non-positive) Cq is an error, not a value. */
  minCq?: number;
  /** A tidy table ends at its first blank line (a worksheet with rows after the table), not at the end of the text. */
  endAtBlank?: boolean;
}

export interface BlockSpec {
  headerLine: number;
  headerCells: Cells;
  first: number;       // first data line
  end: number;         // exclusive
  cols: ColumnMap;
  /** Target when the file has no target column (or the cell is empty). */
  defaultTarget: string;
  /** Treat sample names such as "NTC"/"no template control" as NTC when there is no task column. */
  taskFromName?: boolean;
  /** A Cq written as this number means "no call" (BioMark 999). */
  sentinel?: number;
  /** Keep positions verbatim (BioMark chamber IDs) instead of parsing `A1`. */
  rawPositions?: boolean;
  /** Rotor-Gene: the position column is a rotor slot number. */
  rotor?: boolean;
  /** LightCycler: the quantity column is the known standard quantity (0 = not a standard → task standard when > 0). */
  standardFromQuantity?: boolean;
}

export function diag(ctx: ImportContext, code: string, severity: EngineDiagnostic['severity'], message: string, range: Range): void {
  ctx.diagnostics.push({ code, severity, message, file: ctx.file, range });
}

/** Index of the first header cell whose normalised name is one of `names` (first occurrence wins for duplicates). */
export function findCol(norm: string[], names: string[]): number | undefined {
  for (const n of names) {
    const i = norm.indexOf(n);
    if (i >= 0) return i;
  }
  return undefined;
}

/** A line that has no content apart from delimiters and blanks. */
export function isBlankLine(line: string, delim: string): boolean {
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (c !== ' ' && c !== '\t' && c !== delim && c !== '\u00a0') return false;
  }
  return true;
}

const NOCQ_WORDS: Record<string, NoCqKind> = {
  'undetermined': 'undetermined', 'undet.': 'undetermined', 'undet': 'undetermined', 'no ct': 'undetermined',
  'no cq': 'undetermined', 'noct': 'undetermined', 'no cp': 'undetermined', 'nan': 'nan', 'n/a': 'na', 'na': 'na',
  '#n/a': 'na', 'n.a.': 'na', '-': 'na', 'none': 'na', 'null': 'na',
};

/** Classifies a Cq cell: a number, a known "no Cq" spelling, or unparseable (`cq` null, `noCq` undefined). */
export function parseCq(text: string, sentinel?: number): { cq: number | null; noCq?: NoCqKind; ok: boolean } {
  const t = text.trim();
  if (t === '') return { cq: null, noCq: 'empty', ok: true };
  const v = parseDecimal(t);
  if (!Number.isNaN(v)) {
    if (sentinel !== undefined && v === sentinel) return { cq: null, noCq: 'sentinel', ok: true };
    if (!Number.isFinite(v)) return { cq: null, ok: false };
    return { cq: v, ok: true };
  }
  const kind = NOCQ_WORDS[t.toLowerCase()];
  if (kind) return { cq: null, noCq: kind, ok: true };
  return { cq: null, ok: false };
}

/** Default smallest plausible Cq in cycles (study option `qc min-cq`): no real reaction crosses the threshold sooner. */
export const DEFAULT_MIN_CQ = 3;

/**
 * Why a Cq read as the number `v` from `text` is not a plausible value, or null: it underflowed to 0 (`1e-400`),
 * is zero or negative, or is below `minCq` cycles.
 */
export function implausibleCq(v: number, text: string, minCq: number): string | null {
  if (v === 0) {
    const t = text.trim();
    const e = t.search(/[eE]/);
    if (/[1-9]/.test(e < 0 ? t : t.slice(0, e))) return 'underflows to 0 (not a representable Cq)';
  }
  if (v <= 0) return 'is not a positive number of cycles';
  if (v < minCq) return `is below ${minCq} cycles, the smallest plausible Cq (change with \`qc min-cq\`)`;
  return null;
}

/** Maps the task/content/type spellings of all vendors onto `WellTask`. */
export function normTask(s: string): WellTask {
  const t = s.trim().toLowerCase().replace(/-\d+$/, '').replace(/_/g, ' ');
  switch (t) {
    case 'standard': case 'std': case 'standards': return 'standard';
    case 'ntc': case 'no template control': case 'ntp': case 'negative control (nc)': return 'ntc';
    case 'nrt': case 'no rt': case '-rt': case 'minus rt': case 'no reverse transcriptase': return 'nrt';
    case 'pos': case 'pos ctrl': case 'positive': case 'positive control': case 'ipc': case 'pc': case 'pos control': return 'positive';
    case 'neg': case 'neg ctrl': case 'negative': case 'negative control': case 'nac': case 'blockedipc': case 'neg control': return 'negative';
    case 'endogenous control': case 'endogenous': case 'reference': case 'ref': case 'housekeeping': return 'reference';
    default: return 'unknown';
  }
}

/** Whether `t` is 1–2 ASCII letters and then only digits (at least one): what parsePosition's pattern can match. */
function maybePosition(t: string): boolean {
  let i = 0;
  for (; i < t.length && i < 3; i++) {
    const c = t.charCodeAt(i) | 32;
    if (c < 97 || c > 122) break;
  }
  if (i === 0 || i > 2 || i === t.length) return false;
  for (; i < t.length; i++) {
    const c = t.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

/** `A01` → row 0, col 0, `A1`; `AB12` style two-letter rows are accepted (row 27). Null if not a plate position. */
export function parsePosition(text: string): { position: string; row: number; col: number } | null {
  const t = text.trim();
  if (!maybePosition(t)) return null;
  const m = /^([A-Za-z]{1,2})0*(\d{1,3})$/.exec(t);
  if (!m) return null;
  const letters = m[1].toUpperCase();
  const col = Number(m[2]) - 1;
  if (col < 0) return null;
  let row = letters.charCodeAt(0) - 65;
  if (letters.length === 2) row = (row + 1) * 26 + (letters.charCodeAt(1) - 65);
  return { position: letters + m[2].replace(/^0+/, ''), row, col };
}

const TRUE_WORDS = new Set(['y', 'yes', 'true', '1', 'x']);
const NTC_NAMES = new Set(['ntc', 'no template control', 'h2o', 'water', 'no template', 'ntc control', 'blank']);

/**
 * Range of cell `i`: the raw cell span, except that a properly quoted cell (`"19,03"`) gives the span inside
 * its quotes, so replacing the range keeps the quoting.
 */
function cellRange(line: number, cells: Cells, i: number, text: string): Range | undefined {
  if (i < 0 || i >= cells.values.length) return undefined;
  let s = cells.starts[i];
  let e = cells.ends[i];
  if (cells.quoted[i]) {
    while (s < e && text.charCodeAt(s) === 32) s++;
    if (e - s >= 2 && text.charCodeAt(s) === 34 && text.charCodeAt(e - 1) === 34 && text.slice(s + 1, e - 1) === cells.values[i]) { s++; e--; }
    else { s = cells.starts[i]; e = cells.ends[i]; }
  }
  return rng(line, s, e);
}

/** One value per distinct cell text, made on its first sight; bounded (a file of all-distinct texts gains nothing). */
class TextPool<T> {
  private readonly pool = new Map<string, T>();
  constructor(private readonly make: (s: string) => T) {}
  get(s: string): T {
    let x = this.pool.get(s);
    if (x === undefined) {
      if (this.pool.size >= 1 << 20) this.pool.clear();
      x = this.make(s);
      this.pool.set(s, x);
    }
    return x;
  }
}

/** How many of a column's latest distinct strings `Interner` compares a raw cell with before slicing it. */
const RECENT = 4;

/**
 * A column's cell strings as ids in the block's `TextIds` (sample and target names repeat across rows). The column's
 * last RECENT distinct strings are kept: a raw cell equal to one of them needs no slice and no lookup (`recent`).
 */
class Interner {
  readonly #str: string[] = new Array<string>(RECENT).fill('');
  readonly #id = new Int32Array(RECENT);
  #next = 0;
  constructor(private readonly ids: TextIds) {}
  /** The id of `line[s, e)` when it is one of the recent strings, else -1. */
  recent(line: string, s: number, e: number): number {
    const len = e - s;
    for (let j = 0; j < RECENT; j++) {
      const t = this.#str[j];
      // The last character first: names that differ (S000001, S000002) usually differ there.
      if (t.length === len && (len === 0 || line.charCodeAt(e - 1) === t.charCodeAt(len - 1)) && line.startsWith(t, s)) return this.#id[j];
    }
    return -1;
  }
  get(s: string): number {
    const id = this.ids.id(s);
    this.#str[this.#next] = s; this.#id[this.#next] = id;
    this.#next = (this.#next + 1) % RECENT;
    return id;
  }
}

/**
 * A Cq cell's text (its id in the block's `TextIds`), what `parseCq` reads in it, and why its number is not a
 * plausible Cq (`implausibleCq`; null when plausible or not a number).
 */
interface ReadCq {
  readonly text: string; readonly id: number; readonly cq: number | null; readonly noCq?: NoCqKind; readonly ok: boolean;
  readonly bad: string | null;
}

/** Longest Cq cell looked up by `cqKey` (12^14 < 2^53: the key is an exact integer). */
const KEY_CHARS = 14;

/**
 * A number that only the text `line[s, e)` has, when it is 1–14 digits and dots (the usual "24.521"), else -1: each
 * character a digit in base 12 ('0'–'9' → 1–10, '.' → 11; no character is 0, so different texts never share a key).
 */
function cqKey(line: string, s: number, e: number): number {
  if (e <= s || e - s > KEY_CHARS) return -1;
  let key = 0;
  for (let i = s; i < e; i++) {
    const c = line.charCodeAt(i);
    const d = c >= 48 && c <= 57 ? c - 47 : c === 46 ? 11 : 0;
    if (d === 0) return -1;
    key = key * 12 + d;
  }
  return key;
}

/**
 * The Cq cells of a block, each distinct text read once (Cq texts repeat). A cell of digits and dots is found by its
 * `cqKey` without slicing the line; other cells by their text.
 */
class CqCells {
  readonly #byKey = new Map<number, ReadCq>();
  readonly #byText: TextPool<ReadCq>;
  constructor(ids: TextIds, sentinel: number | undefined, minCq: number) {
    this.#byText = new TextPool<ReadCq>((t) => {
      const p = parseCq(t, sentinel);
      // Every key on every object (one shape: the row loop reads them at one site).
      return { text: t, id: ids.id(t), cq: p.cq, noCq: p.noCq, ok: p.ok, bad: p.cq !== null ? implausibleCq(p.cq, t, minCq) : null };
    });
  }
  /** The Cq cell `line[s, e)` (`raw`: the cell's unquoted text instead, on a quoted line). */
  read(line: string, s: number, e: number, raw?: string): ReadCq {
    if (raw !== undefined) return this.#byText.get(raw);
    const key = cqKey(line, s, e);
    if (key < 0) return this.#byText.get(line.slice(s, e));
    let r = this.#byKey.get(key);
    if (r === undefined) {
      r = this.#byText.get(line.slice(s, e));
      if (this.#byKey.size >= 1 << 20) this.#byKey.clear();
      this.#byKey.set(key, r);
    }
    return r;
  }
}

/** Small cache of parsed positions (plates repeat the same 96/384 ids); bounded for files of unique ids. */
const POS_CACHE_MAX = 4096;

/**
 * Reads data lines [first, end) into wells. Rows that are blank are skipped; a row missing a mapped column
 * gives `row-ragged`; an unreadable Cq gives `cq-unparseable` (the well is kept with `cq` null so the plate
 * editor can show it). Rows with more fields than the header are reported once per block when every row
 * has them (a truncated header), otherwise per row (a likely shifted row).
 *
 * Speed: a line without a double quote is split by scanning for the delimiter into reused offset arrays, and
 * only the mapped cells are sliced (quoted lines go through `splitCells`); sample, target and Cq strings are
 * kept once per block, as ids (`TextIds`); ranges are kept as offsets in one small-integer array per block
 * (`CellRanges`); wells without flags share one frozen empty array.
 */
export function readBlock(ctx: ImportContext, spec: BlockSpec): void {
  const { cols } = spec;
  const headerN = spec.headerCells.values.length;
  const needed = Math.max(cols.cq, cols.sample ?? -1, cols.target ?? -1, cols.position ?? -1, cols.wellNo ?? -1) + 1;
  let extraRows = 0, dataRows = 0;
  const extraLines: number[] = [];
  const delim = ctx.delim;
  const dl = delim.length;
  const lines = ctx.lines;
  const wells = ctx.wells;
  // Raw cell spans of the current line (reused) and, for quoted lines, the range spans (inside the quotes).
  const st: number[] = [], en: number[] = [];
  const rs: number[] = [], re: number[] = [];
  let vals: string[] | null = null; // unquoted values of a quoted line (splitCells); null on the fast path
  let line = '';
  let n = 0;
  const cell = (i: number | undefined): string => {
    if (i === undefined || i >= n) return '';
    return vals !== null ? vals[i] : line.slice(st[i], en[i]);
  };
  const columns = new WellColumns(Math.max(0, spec.end - spec.first)); // this block's wells (./wellStore.ts)
  const text = columns.text;
  const samples = new Interner(text), targets = new Interner(text);
  const minCq = ctx.minCq ?? DEFAULT_MIN_CQ;
  const cqCells = new CqCells(text, spec.sentinel, minCq);
  /** Id of the trimmed text of cell `i` (no slice when the raw cell is one of the column's recent strings). */
  const named = (i: number | undefined, pool: Interner): number => {
    if (i === undefined || i >= n) return 0;
    if (vals === null) {
      const id = pool.recent(line, st[i], en[i]);
      if (id >= 0) return id;
    }
    return pool.get(cell(i).trim());
  };
  const offsets = new Array<number>(CELL_SLOTS).fill(-1);
  const posCache = new Map<string, { position: string; row: number; col: number } | null>();
  const cqCol = cols.cq;
  const posCol = cols.position ?? cols.wellNo ?? -1;
  let k = 0; // the next well's slot in `columns`
  let ntcOf = -1, ntc = false; // the last sample id asked whether it names an NTC, and the answer
  for (let ln = spec.first; ln < spec.end; ln++) {
    line = lines.line(ln);
    if (isBlankLine(line, delim)) continue;
    let S: number[], E: number[];
    if (line.indexOf('"') < 0) {
      vals = null;
      n = 0;
      let s = 0;
      for (;;) {
        const d = line.indexOf(delim, s);
        const e = d < 0 ? line.length : d;
        st[n] = s; en[n] = e; n++;
        if (d < 0) break;
        s = d + dl;
      }
      S = st; E = en;
    } else {
      const cells = splitCells(line, delim);
      vals = cells.values;
      n = vals.length;
      for (let i = 0; i < n; i++) {
        st[i] = cells.starts[i]; en[i] = cells.ends[i];
        const r = cellRange(ln, cells, i, line)!;
        rs[i] = r.start.character; re[i] = r.end.character;
      }
      S = rs; E = re;
    }
    dataRows++;
    if (n > headerN) {
      let nonEmpty = false;
      for (let k = headerN; k < n; k++) if (cell(k).trim() !== '') { nonEmpty = true; break; }
      if (nonEmpty) { extraRows++; if (extraLines.length < 1000) extraLines.push(ln); }
    }
    if (n < needed && (n === 1 || cqCol >= n)) {
      // No Cq cell at all (a line of text, a truncated row): not a well.
      diag(ctx, 'row-not-a-well', 'error',
        `Line is not a results row: ${n === 1 ? 'it has no delimiter' : `it has ${n} fields`} but the header at line ${spec.headerLine + 1} has ${headerN}${n === 1 ? '' : ` (the Cq is field ${cqCol + 1})`}.`,
        rng(ln, 0, line.length));
      continue;
    }
    if (n < needed) {
      diag(ctx, 'row-ragged', 'warning',
        `Row has ${n} field${n === 1 ? '' : 's'} but the header at line ${spec.headerLine + 1} needs at least ${needed}; missing cells are read as empty.`,
        rng(ln, 0, line.length));
    }
    const parsed = cqCol >= n ? cqCells.read('', 0, 0, '') : cqCells.read(line, st[cqCol], en[cqCol], vals?.[cqCol]);
    let cq = parsed.cq;
    const cqS = cqCol < n ? S[cqCol] : -1, cqE = cqCol < n ? E[cqCol] : -1;
    if (!parsed.ok) {
      const r = cqS >= 0 ? rng(ln, cqS, cqE) : rng(ln, 0, line.length);
      diag(ctx, 'cq-unparseable', 'error', `Cq "${parsed.text.trim()}" is not a number or a known "no Cq" spelling.`, r);
    } else if (parsed.bad !== null) {
      diag(ctx, 'cq-implausible', 'error', `Cq "${parsed.text.trim()}" ${parsed.bad}.`, rng(ln, cqS, cqE));
      cq = null;
    }
    let position: string | null = null, row: number | null = null, col: number | null = null;
    const posText = cell(cols.position).trim();
    if (cols.position !== undefined && posText !== '') {
      if (spec.rotor) {
        const v = parseDecimal(posText);
        if (Number.isInteger(v) && v > 0) { position = String(v); row = 0; col = v - 1; } else position = posText;
      } else if (spec.rawPositions) {
        position = posText;
      } else {
        let p = posCache.get(posText);
        if (p === undefined) {
          p = parsePosition(posText);
          if (p !== null && posCache.size < POS_CACHE_MAX) posCache.set(posText, p);
        }
        if (p) { position = p.position; row = p.row; col = p.col; } else position = posText;
      }
    }
    const sampleId = named(cols.sample, samples), sample = text.text[sampleId];
    let targetId = named(cols.target, targets);
    if (targetId === 0 && cols.fluor !== undefined) targetId = targets.get(cell(cols.fluor).trim());
    if (targetId === 0 && cols.target === undefined) targetId = text.id(spec.defaultTarget);
    let task: WellTask = cols.task !== undefined ? normTask(cell(cols.task)) : 'unknown';
    if (cols.task === undefined && spec.taskFromName) {
      if (sampleId !== ntcOf) { ntcOf = sampleId; ntc = NTC_NAMES.has(sample.toLowerCase()); } // runs of one sample
      if (ntc) task = 'ntc';
    }
    let flags: string[] | null = null; // most wells have none: no array
    for (const f of cols.flagCols) if (TRUE_WORDS.has(cell(f.idx).trim().toLowerCase())) (flags ??= []).push(f.name);
    for (const f of cols.valueFlags) {
      const val = cell(f.idx).trim();
      if (val !== '' && !f.ok.includes(val.toLowerCase())) (flags ??= []).push(`${f.prefix}:${val.toUpperCase()}`);
    }
    let omitted = false;
    let omitText: string | undefined;
    let omS = -1, omE = -1;
    if (cols.omit !== undefined && cols.omit < n) {
      omitText = cell(cols.omit);
      omitted = TRUE_WORDS.has(omitText.trim().toLowerCase());
      omS = S[cols.omit]; omE = E[cols.omit];
    } else if (cols.include !== undefined && cols.include < n) {
      omitText = cell(cols.include);
      const t = omitText.trim().toLowerCase();
      omitted = t === 'false' || t === 'no' || t === '0';
      omS = S[cols.include]; omE = E[cols.include];
    }
    let quantity: number | null | undefined;
    if (cols.quantity !== undefined) {
      const q = cell(cols.quantity);
      if (q.trim() === '') quantity = null;
      else {
        const v = parseLocaleNumber(q, ctx.decimal);
        quantity = Number.isFinite(v) ? v : null;
      }
    }
    if (spec.standardFromQuantity && cols.task === undefined) {
      if (quantity !== undefined && quantity !== null && quantity > 0) task = 'standard';
      else if (quantity === 0) quantity = null;
    }
    const posOk = posCol >= 0 && posCol < n;
    const smOk = cols.sample !== undefined && cols.sample < n;
    const tgOk = cols.target !== undefined && cols.target < n;
    offsets[0] = line.length; offsets[1] = cqS; offsets[2] = cqE;
    offsets[3] = posOk ? S[posCol] : -1; offsets[4] = posOk ? E[posCol] : -1;
    offsets[5] = smOk ? S[cols.sample!] : -1; offsets[6] = smOk ? E[cols.sample!] : -1;
    offsets[7] = tgOk ? S[cols.target!] : -1; offsets[8] = tgOk ? E[cols.target!] : -1;
    offsets[9] = omS; offsets[10] = omE;
    columns.setCells(k, ln, offsets);
    columns.sample[k] = sampleId; columns.target[k] = targetId; columns.cqText[k] = parsed.id;
    const well = new ColumnWell(columns, k++);
    well.index = wells.length; well.position = position; well.row = row; well.col = col;
    well.task = task; well.cq = cq; well.omitted = omitted;
    if (flags) well.flags = flags;
    if (cq === null && parsed.noCq) well.noCq = parsed.noCq;
    if (quantity !== undefined) well.quantity = quantity;
    if (omS >= 0) well.omitText = omitText;
    wells.push(well);
  }
  text.seal();
  if (extraRows > 0) {
    if (extraRows === dataRows && dataRows > 1) {
      diag(ctx, 'row-ragged', 'warning',
        `Every data row has more fields than the ${headerN}-column header; the extra trailing fields are ignored (columns are read by header position).`,
        rng(spec.headerLine, 0, ctx.lines.line(spec.headerLine).length));
    } else {
      for (const ln of extraLines) {
        diag(ctx, 'row-ragged', 'warning',
          `Row has more fields than the ${headerN}-column header: an unquoted delimiter inside a value may have shifted the columns.`,
          rng(ln, 0, ctx.lines.line(ln).length));
      }
    }
  }
}

/** Normalised header names for a header line. */
export function headerNames(cells: Cells): string[] {
  return cells.values.map(normHeader);
}

/** Known QuantStudio/SDS per-well flag columns (value `Y` = raised). */
export const FLAG_COLUMNS = new Set([
  'HIGHSD', 'OUTLIERRG', 'NOAMP', 'EXPFAIL', 'MTP', 'CRTAMPLITUDE', 'CRTNOISE', 'BADROX', 'NOISE', 'SPIKE', 'THOLDFAIL',
  'AMPNC', 'BLFAIL', 'CTFAIL', 'PRFDROP', 'PRFLOW', 'NOSIGNAL', 'HMD', 'FOS', 'LME', 'NAW', 'EW', 'BPR', 'HRN', 'HNS',
  'EAF', 'BAF', 'TAF', 'CAF', 'HSD', 'GBO', 'OUTLIER',
]);

export function flagColumns(cells: Cells): { idx: number; name: string }[] {
  const out: { idx: number; name: string }[] = [];
  cells.values.forEach((v, idx) => {
    const n = v.trim().toUpperCase();
    if (FLAG_COLUMNS.has(n)) out.push({ idx, name: n });
  });
  return out;
}

/** Decimal mark of a block: `,` when more Cq cells are written `19,03` than `19.03`. */
export function detectDecimal(lines: Lines, delim: string, first: number, end: number, cqCol: number): '.' | ',' {
  let comma = 0, dot = 0;
  const stop = Math.min(end, first + 5000);
  for (let ln = first; ln < stop; ln++) {
    const v = splitCells(lines.line(ln), delim).values;
    if (cqCol >= v.length) continue;
    const t = v[cqCol];
    if (t.indexOf(',') >= 0 && !Number.isNaN(parseDecimal(t))) comma++;
    else if (t.indexOf('.') >= 0 && !Number.isNaN(parseDecimal(t))) dot++;
  }
  return comma > dot ? ',' : '.';
}
