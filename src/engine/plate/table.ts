/**
 * The shared "header row + data block → Well[]" machinery used by every delimited-text importer: the import context,
 * column maps, cell classification (Cq, task, position) and header helpers. Each importer locates its header by
 * content, builds a `ColumnMap` and hands the block to `readBlock` (./block.ts).
 */
import type { BlockShare } from './block';
import type { EngineDiagnostic, Range } from '../common/diagnostic';
import type { NoCqKind, WellTask } from './model';
import { normHeader, parseDecimal, splitCells, type Cells, type Lines } from './text';
import type { WellRuns } from './wellSource';

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
  /** The wells read so far, as their blocks' columns (./wellSource.ts). */
  wells: WellRuns;
  /** The file's decimal mark, decided from the Cq cells before rows are read (see `detectDecimal`). */
  decimal: '.' | ',';
  /** A decimal mark decided elsewhere (a streamed import's later blocks use the one of the file's first rows). */
  forcedDecimal?: '.' | ',';
  /** Smallest plausible Cq (default DEFAULT_MIN_CQ): a smaller (or non-positive) Cq is an error, not a value. */
  minCq?: number;
  /** A tidy table ends at its first blank line (a worksheet with rows after the table), not at the end of the text. */
  endAtBlank?: boolean;
  /** The state the blocks of one streamed file share (./block.ts). */
  share?: BlockShare;
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
  return isBlankSpan(line, 0, line.length, delim);
}

/** `isBlankLine` of `text[s, e)` (a line of a longer text, not sliced out). */
export function isBlankSpan(text: string, s: number, e: number, delim: string): boolean {
  for (let i = s; i < e; i++) {
    const c = text[i];
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
export function maybePosition(t: string): boolean {
  return maybePositionIn(t, 0, t.length);
}

/** `maybePosition` of `text[s, e)`, without slicing it. */
export function maybePositionIn(text: string, s: number, e: number): boolean {
  let i = s;
  for (; i < e && i < s + 3; i++) {
    const c = text.charCodeAt(i) | 32;
    if (c < 97 || c > 122) break;
  }
  if (i === s || i > s + 2 || i === e) return false;
  for (; i < e; i++) {
    const c = text.charCodeAt(i);
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

/** The longest flag column name: upper-casing never shortens a string, so a longer cell is no flag column. */
const FLAG_NAME_MAX = Math.max(...[...FLAG_COLUMNS].map((f) => f.length));

/** The header's flag columns (FLAG_COLUMNS), by index. */
export function flagColumns(cells: Cells): { idx: number; name: string }[] {
  const out: { idx: number; name: string }[] = [];
  cells.values.forEach((v, idx) => {
    const t = v.trim();
    if (t.length > FLAG_NAME_MAX) return; // (a hostile 64 MB header cell was upper-cased whole)
    const n = t.toUpperCase();
    if (FLAG_COLUMNS.has(n)) out.push({ idx, name: n });
  });
  return out;
}

/** Decimal mark of a block: `,` when more Cq cells are written `19,03` than `19.03`. */
export function detectDecimal(lines: Lines, delim: string, first: number, end: number, cqCol: number): '.' | ',' {
  let comma = 0, dot = 0;
  const stop = Math.min(end, first + 5000);
  for (let ln = first; ln < stop; ln++) {
    const v = splitCells(lines.line(ln), delim, cqCol + 1).values;
    if (cqCol >= v.length) continue;
    const t = v[cqCol];
    if (t.indexOf(',') >= 0 && !Number.isNaN(parseDecimal(t))) comma++;
    else if (t.indexOf('.') >= 0 && !Number.isNaN(parseDecimal(t))) dot++;
  }
  return comma > dot ? ',' : '.';
}
