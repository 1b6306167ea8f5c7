/**
 * Reading one block of data rows into wells (`readBlock`, called by every delimited-text importer once it has found
 * its header and built a `ColumnMap`): the row splitter (`RowCells`), the per-block caches of cell texts (`Interner`,
 * `CqCells`) and the writer of the block's columns (`BlockWriter`, ./wellStore.ts).
 *
 * Speed: a line without a double quote is split by scanning for the delimiter into reused offset arrays, and only the
 * mapped cells are sliced (quoted lines go through `splitCells`); sample, target and Cq strings are kept once per
 * block (per file, for the blocks of a streamed file: `BlockShare`), as ids (`TextIds`); ranges are kept as offsets
 * in one small-integer array per block (`CellRanges`); wells without flags share one frozen empty array.
 */
import type { Range } from '../common/diagnostic';
import type { NoCqKind, WellTask } from './model';
import {
  DEFAULT_MIN_CQ, diag, implausibleCq, isBlankLine, maybePosition, maybePositionIn, normTask, parseCq, parsePosition, rng, type BlockSpec, type ImportContext,
} from './table';
import { parseDecimal, parseLocaleNumber, splitCells, trimKeeps, type Cells } from './text';
import { CELL_SLOTS, POS_RAW, positionCodeIn, positionCodeOf, setFlags, setOmitText, setPosition, setPositionIn, setQuantity, TextIds, wellCode, WellColumns } from './wellStore';

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

/** Sets `k` → `v` in a cache, emptied first when it holds 2^20 entries (a file of all-distinct texts gains nothing). */
function remember<K, V>(cache: Map<K, V>, k: K, v: V): V {
  if (cache.size >= 1 << 20) cache.clear();
  cache.set(k, v);
  return v;
}

/** One value per distinct cell text, made on its first sight (bounded: `remember`). */
class TextPool<T> {
  private readonly pool = new Map<string, T>();
  constructor(private readonly make: (s: string) => T) {}
  get(s: string): T {
    return this.pool.get(s) ?? remember(this.pool, s, this.make(s));
  }
}

/**
 * What the blocks of one streamed file share (src/engine/plate/stream.ts reads a large file in blocks of rows, each
 * imported on its own): one table of strings (`TextIds`) and the Cq cells read so far, so a sample, target or Cq text
 * met in an earlier block is not sliced, looked up and parsed again in every block. The stream seals the table after
 * the last block.
 */
export class BlockShare {
  readonly text = new TextIds();
  #cq: CqCells | null = null;
  #sentinel: number | undefined;
  #minCq = NaN;
  /** The shared Cq cells when they were read with the same sentinel and smallest Cq (a file's blocks: always). */
  cqCells(sentinel: number | undefined, minCq: number): CqCells {
    if (this.#cq === null || this.#sentinel !== sentinel || this.#minCq !== minCq) {
      this.#cq = new CqCells(this.text, sentinel, minCq);
      this.#sentinel = sentinel; this.#minCq = minCq;
    }
    return this.#cq;
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
  /** The slot of the last string found or added (replicate rows repeat it: compared first). */
  #last = 0;
  constructor(private readonly ids: TextIds) {}
  /** The id of `line[s, e)` when it is one of the recent strings, else -1. */
  recent(line: string, s: number, e: number): number {
    const len = e - s, str = this.#str;
    for (let k = 0, j = this.#last; k < RECENT; k++, j = j + 1 === RECENT ? 0 : j + 1) {
      const t = str[j];
      // The last character first: names that differ (S000001, S000002) usually differ there.
      if (t.length === len && (len === 0 || line.charCodeAt(e - 1) === t.charCodeAt(len - 1)) && line.startsWith(t, s)) {
        this.#last = j;
        return this.#id[j];
      }
    }
    return -1;
  }
  get(s: string): number {
    return this.getIn(s, 0, s.length);
  }
  /** The id of `line[s, e)` (sliced only when it is a new string), then one of the recent strings. */
  getIn(line: string, s: number, e: number): number {
    const id = this.ids.idIn(line, s, e);
    this.#last = this.#next;
    this.#str[this.#next] = this.ids.text[id]; this.#id[this.#next] = id;
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
 * `cqKey` without slicing the line, in `CqKeyTable`; other cells by their text.
 */
class CqCells {
  readonly #keyed = new CqKeyTable();
  /** The table's cells that are not plain, by entry number (a plain cell's is -1). */
  #entries: ReadCq[] = [];
  readonly #byText: TextPool<ReadCq>;
  constructor(private readonly ids: TextIds, private readonly sentinel: number | undefined, private readonly minCq: number) {
    this.#byText = new TextPool<ReadCq>((t) => {
      const p = parseCq(t, sentinel);
      // Every key on every object (one shape: the row loop reads them at one site).
      return { text: t, id: ids.id(t), cq: p.cq, noCq: p.noCq, ok: p.ok, bad: p.cq !== null ? implausibleCq(p.cq, t, minCq) : null };
    });
  }
  /** The Cq cell `line[s, e)` (`raw`: the cell's unquoted text instead, on a quoted line). */
  read(line: string, s: number, e: number, raw?: string): ReadCq {
    if (raw !== undefined) return this.#byText.get(raw);
    const key = cqKey(line, s, e), slot = key < 0 ? -1 : this.#keyed.find(key);
    if (slot >= 0 && this.#keyed.entry(slot) >= 0) return this.#entries[this.#keyed.entry(slot)];
    const r = this.#byText.get(line.slice(s, e));
    if (key >= 0 && slot < 0 && this.#keeps()) { this.#entries.push(r); this.#keyed.add(key, NaN, r.id, this.#entries.length - 1); }
    return r;
  }
  /** After `plain` returned true: the cell's Cq and its text id. */
  lastCq = 0;
  lastId = 0;
  /**
   * Whether the cell `line[s, e)` is a plain Cq: digits and dots, read, plausible (then in `lastCq`, `lastId`, without
   * a `ReadCq`). False sends the caller to `read`. A file whose Cqs have many decimals (instruments write 24.52117611)
   * has about as many texts as wells: an object and a map entry for each was most of its import and of its garbage.
   */
  plain(line: string, s: number, e: number): boolean {
    const key = cqKey(line, s, e);
    if (key < 0) return false;
    const t = this.#keyed, j = t.find(key);
    if (j >= 0) {
      this.#hits++;
      if (t.entry(j) >= 0) return false;
      this.lastCq = t.cq(j); this.lastId = t.id(j);
      return true;
    }
    this.#misses++;
    const text = line.slice(s, e), p = parseCq(text, this.sentinel);
    if (!p.ok || p.cq === null || implausibleCq(p.cq, text, this.minCq) !== null) return false;
    // A key not in the table: no other Cq cell has this text (a Cq text equal to a name, or one met again after the
    // table stopped growing, gets a second id: harmless, ids only find strings).
    this.lastCq = p.cq; this.lastId = this.ids.append(text);
    if (this.#keeps()) t.add(key, p.cq, this.lastId, -1);
    return true;
  }
  #hits = 0;
  #misses = 0;
  /**
   * Whether a new key goes into the table: while it is small, or while it pays (as many lookups found as missed).
   * Emptied at 2^20 keys, as `remember` does.
   */
  #keeps(): boolean {
    const t = this.#keyed;
    if (t.size >= 1 << 20) { t.clear(); this.#entries = []; }
    return t.size < 1 << 16 || this.#hits >= this.#misses;
  }
}

/**
 * `cqKey` → a Cq cell: open addressing over one Float64Array of four numbers per slot (key + 1, 0 = empty; the Cq,
 * NaN unless plain; the text id; the entry number, -1 for a plain cell). A row's lookup reads one cache line. A Map
 * of `ReadCq` objects was three dependent cache misses per row (its table, the object, the boxed Cq): a sixth of a
 * 1M-well import.
 */
class CqKeyTable {
  #tab = new Float64Array(4 * 1024);
  #mask = 1023;
  size = 0;
  /** The slot of `key`, or -1. */
  find(key: number): number {
    const tab = this.#tab, mask = this.#mask;
    for (let j = keyHash(key) & mask; ; j = (j + 1) & mask) {
      const k = tab[4 * j];
      if (k === key + 1) return j;
      if (k === 0) return -1;
    }
  }
  /** Adds `key` (not present); returns its slot. */
  add(key: number, cq: number, id: number, entry: number): number {
    if (2 * (this.size + 1) > this.#mask + 1) this.#grow();
    const tab = this.#tab, mask = this.#mask;
    let j = keyHash(key) & mask;
    while (tab[4 * j] !== 0) j = (j + 1) & mask;
    tab[4 * j] = key + 1; tab[4 * j + 1] = cq; tab[4 * j + 2] = id; tab[4 * j + 3] = entry;
    this.size++;
    return j;
  }
  cq(slot: number): number { return this.#tab[4 * slot + 1]; }
  id(slot: number): number { return this.#tab[4 * slot + 2]; }
  entry(slot: number): number { return this.#tab[4 * slot + 3]; }
  clear(): void { this.#tab = new Float64Array(4 * 1024); this.#mask = 1023; this.size = 0; }
  #grow(): void {
    const old = this.#tab;
    this.#tab = new Float64Array(2 * old.length);
    this.#mask = 2 * this.#mask + 1;
    this.size = 0;
    for (let j = 0; j < old.length; j += 4) if (old[j] !== 0) this.add(old[j] - 1, old[j + 1], old[j + 2], old[j + 3]);
  }
}

/** A hash of a `cqKey` (an integer below 2^53): its low and high 32 bits mixed. */
function keyHash(key: number): number {
  const h = Math.imul((key >>> 0) ^ Math.imul(Math.floor(key / 4294967296), 0x27d4eb2d), 0x9e3779b1);
  return h ^ (h >>> 15);
}

/** Small cache of parsed positions (plates repeat the same 96/384 ids); bounded for files of unique ids. */
const POS_CACHE_MAX = 4096;

/**
 * The cells of the current row: each cell's raw span [st, en) and its range span [start, end) (inside the quotes of
 * a quoted cell, so replacing the range keeps the quoting); `vals`, the unquoted values of a quoted line (null on
 * the fast path, where cells are sliced from the line when asked for).
 */
class RowCells {
  line = '';
  n = 0;
  vals: string[] | null = null;
  readonly st: number[] = [];
  readonly en: number[] = [];
  readonly #rs: number[] = [];
  readonly #re: number[] = [];
  #quoted = false;
  /**
   * An unquoted row is split into at most `limit` cells (the header's and one more: enough to know the row has more);
   * `#rest` is where the cells after those start (-1: none), read only for `hasExtra`. A line of a million delimiters
   * made a million cells (a 60 MB line: 15 s and 4 GB).
   */
  #rest = -1;
  constructor(private readonly delim: string, private readonly limit = Infinity) {}
  /** Splits `line` (line number `ln`). */
  split(line: string, ln: number): void {
    this.line = line;
    const { st, en, delim } = this;
    if (line.indexOf('"') < 0) {
      this.vals = null; this.#quoted = false; this.#rest = -1;
      let n = 0, s = 0;
      for (;;) {
        const d = line.indexOf(delim, s);
        const e = d < 0 ? line.length : d;
        st[n] = s; en[n] = e; n++;
        if (d < 0) break;
        s = d + delim.length;
        if (n === this.limit) { this.#rest = s; break; }
      }
      this.n = n;
      return;
    }
    this.#rest = -1;
    const cells = splitCells(line, delim);
    this.vals = cells.values; this.#quoted = true;
    this.n = cells.values.length;
    for (let i = 0; i < this.n; i++) {
      st[i] = cells.starts[i]; en[i] = cells.ends[i];
      const r = cellRange(ln, cells, i, line)!;
      this.#rs[i] = r.start.character; this.#re[i] = r.end.character;
    }
  }
  /** Raw text of cell `i` ('' when the row has no such cell). */
  cell(i: number | undefined): string {
    if (i === undefined || i >= this.n) return '';
    return this.vals !== null ? this.vals[i] : this.line.slice(this.st[i], this.en[i]);
  }
  /** Range start and end (characters) of cell `i`, or -1 when the row has no such cell. */
  start(i: number | undefined): number { return i === undefined || i >= this.n ? -1 : this.#quoted ? this.#rs[i] : this.st[i]; }
  end(i: number | undefined): number { return i === undefined || i >= this.n ? -1 : this.#quoted ? this.#re[i] : this.en[i]; }
  /** Whether a cell after the header's `headerN` columns has content. */
  hasExtra(headerN: number): boolean {
    for (let k = headerN; k < this.n; k++) if (this.cell(k).trim() !== '') return true;
    return this.#rest >= 0 && restHasContent(this.line, this.#rest, this.delim);
  }
}

/**
 * Whether `line[from..]`, split at `delim`, has a cell that is not blank (as `trim` sees it), without splitting it: a
 * character that is neither white space (`\s`, trim's set) nor the delimiter.
 */
function restHasContent(line: string, from: number, delim: string): boolean {
  if (delim.length !== 1) return line.slice(from).split(delim).some((c) => c.trim() !== '');
  let re = CONTENT.get(delim);
  if (!re) CONTENT.set(delim, (re = new RegExp(`[^\\s${delim.replace(/[\\\]^-]/g, '\\$&')}]`)));
  return re.test(line.slice(from));
}
/** `restHasContent`'s pattern per delimiter. */
const CONTENT = new Map<string, RegExp>();

/** Rows with more fields than the header, reported once per block (every row: a truncated header) or per row. */
class ExtraFields {
  rows = 0;
  dataRows = 0;
  readonly lines: number[] = [];
  note(r: RowCells, headerN: number, ln: number): void {
    this.dataRows++;
    if (r.n > headerN && r.hasExtra(headerN)) { this.rows++; if (this.lines.length < 1000) this.lines.push(ln); }
  }
  report(ctx: ImportContext, spec: BlockSpec, headerN: number): void {
    if (this.rows === 0) return;
    if (this.rows === this.dataRows && this.dataRows > 1) {
      diag(ctx, 'row-ragged', 'warning',
        `Every data row has more fields than the ${headerN}-column header; the extra trailing fields are ignored (columns are read by header position).`,
        rng(spec.headerLine, 0, ctx.lines.line(spec.headerLine).length));
      return;
    }
    for (const ln of this.lines) {
      diag(ctx, 'row-ragged', 'warning',
        `Row has more fields than the ${headerN}-column header: an unquoted delimiter inside a value may have shifted the columns.`,
        rng(ln, 0, ctx.lines.line(ln).length));
    }
  }
}

/**
 * A row that has too few cells: not a well when it has no Cq cell at all (`row-not-a-well`, false), otherwise read
 * with the missing cells empty (`row-ragged`).
 */
function rowIsWell(ctx: ImportContext, spec: BlockSpec, r: RowCells, needed: number, ln: number): boolean {
  const n = r.n, headerN = spec.headerCells.values.length, cqCol = spec.cols.cq;
  if (n >= needed) return true;
  if (n === 1 || cqCol >= n) {
    diag(ctx, 'row-not-a-well', 'error',
      `Line is not a results row: ${n === 1 ? 'it has no delimiter' : `it has ${n} fields`} but the header at line ${spec.headerLine + 1} has ${headerN}${n === 1 ? '' : ` (the Cq is field ${cqCol + 1})`}.`,
      rng(ln, 0, r.line.length));
    return false;
  }
  diag(ctx, 'row-ragged', 'warning',
    `Row has ${n} field${n === 1 ? '' : 's'} but the header at line ${spec.headerLine + 1} needs at least ${needed}; missing cells are read as empty.`,
    rng(ln, 0, r.line.length));
  return true;
}

/**
 * Writes each row of a block as a well into the block's `WellColumns` (the cell reading of one row: Cq, position,
 * names, task, flags, omit and quantity). The fields of the row being written are kept on the writer.
 */
class BlockWriter {
  readonly columns: WellColumns;
  readonly #text: TextIds;
  readonly #samples: Interner;
  readonly #targets: Interner;
  readonly #cq: CqCells;
  readonly #posCache = new Map<string, { position: string; row: number; col: number; code: number } | null>();
  readonly #offsets = new Array<number>(CELL_SLOTS).fill(-1);
  #k = 0;
  /** The plate index of the next well. */
  next = 0;
  /** Wells written (slots used in `columns`). */
  get count(): number { return this.#k; }
  /** The text id of the row's Cq cell, and its kind of no Cq. */
  #cqId = 0;
  #noCq: NoCqKind | undefined = undefined;
  #ntcOf = -1; #ntc = false; // the last sample id asked whether it names an NTC, and the answer
  // the row being written
  position: string | null = null; row: number | null = null; col: number | null = null;
  /** `positionCodeOf(position)`, when known from the cache or from the line. */
  posCode: number | undefined = undefined;
  /** The position is the row's position cell as it stands (`#positionInPlace`; `position` is null). */
  posSpan = false;
  omitted = false; omitText: string | undefined = undefined; quantity: number | null | undefined = undefined;
  /** The row's omit (or LightCycler Include) column, when the row has that cell. */
  omitCol: number | undefined = undefined;

  constructor(private readonly ctx: ImportContext, private readonly spec: BlockSpec) {
    const share = ctx.share, minCq = ctx.minCq ?? DEFAULT_MIN_CQ;
    this.columns = new WellColumns(Math.max(0, spec.end - spec.first), share?.text);
    this.#text = this.columns.text;
    this.#samples = new Interner(this.#text); this.#targets = new Interner(this.#text);
    this.#cq = share ? share.cqCells(spec.sentinel, minCq) : new CqCells(this.#text, spec.sentinel, minCq);
  }

  /** The well of row `r` (line `ln`). */
  add(r: RowCells, ln: number): void {
    const { cols } = this.spec;
    const cq = this.#readCq(r, ln);
    this.#readPosition(r);
    const sampleId = this.#named(r, cols.sample, this.#samples);
    const targetId = this.#targetId(r);
    let task = this.#task(r, sampleId);
    const flags = readFlags(r, cols);
    this.#readOmit(r);
    this.#readQuantity(r);
    if (this.spec.standardFromQuantity && cols.task === undefined) {
      if (this.quantity !== undefined && this.quantity !== null && this.quantity > 0) task = 'standard';
      else if (this.quantity === 0) this.quantity = null;
    }
    this.#write(r, ln, cq, sampleId, targetId, task, flags);
  }

  /** The Cq of the row (null when there is none, it is unreadable or implausible: located errors for the last two). */
  #readCq(r: RowCells, ln: number): number | null {
    const c = this.spec.cols.cq, cells = this.#cq;
    if (c < r.n && r.vals === null) { // the usual cell: digits and a dot, seen before
      if (cells.plain(r.line, r.st[c], r.en[c])) { this.#cqId = cells.lastId; this.#noCq = undefined; return cells.lastCq; }
    }
    const p = c >= r.n ? cells.read('', 0, 0, '') : cells.read(r.line, r.st[c], r.en[c], r.vals?.[c]);
    this.#cqId = p.id; this.#noCq = p.noCq;
    const s = r.start(c), e = r.end(c);
    if (!p.ok) {
      diag(this.ctx, 'cq-unparseable', 'error', `Cq "${p.text.trim()}" is not a number or a known "no Cq" spelling.`, s >= 0 ? rng(ln, s, e) : rng(ln, 0, r.line.length));
      return null;
    }
    if (p.bad !== null) {
      diag(this.ctx, 'cq-implausible', 'error', `Cq "${p.text.trim()}" ${p.bad}.`, rng(ln, s, e));
      return null;
    }
    return p.cq;
  }
  #readPosition(r: RowCells): void {
    const spec = this.spec;
    this.position = null; this.row = null; this.col = null; this.posCode = undefined; this.posSpan = false;
    if (this.#positionInPlace(r)) return;
    const posText = r.cell(spec.cols.position).trim();
    if (spec.cols.position === undefined || posText === '') return;
    if (spec.rotor) {
      const v = parseDecimal(posText);
      if (Number.isInteger(v) && v > 0) { this.position = String(v); this.row = 0; this.col = v - 1; } else this.position = posText;
      return;
    }
    // Not of the plate-position form (`P0001-B12`, `Chamber 1`): kept as given, without a lookup in the cache.
    if (spec.rawPositions || !maybePosition(posText)) { this.position = posText; return; }
    let p = this.#posCache.get(posText);
    if (p === undefined) {
      const q = parsePosition(posText);
      p = q && { position: q.position, row: q.row, col: q.col, code: positionCodeOf(q.position) };
      if (p !== null && this.#posCache.size < POS_CACHE_MAX) this.#posCache.set(posText, p);
    }
    if (p) { this.position = p.position; this.row = p.row; this.col = p.col; this.posCode = p.code; } else this.position = posText;
  }

  /**
   * A position kept as given (not of the plate-position form, `maybePosition`) whose code `positionCodeIn` finds in
   * the line itself (`P0001-B12`): `posCode` and `posSpan` are set, and `#write` stores it from the line without a
   * string per well. False (nothing set) for a quoted line, a cell that `trim` would change, and every other case.
   */
  #positionInPlace(r: RowCells): boolean {
    const spec = this.spec, i = spec.cols.position;
    if (i === undefined || i >= r.n || r.vals !== null || spec.rotor) return false;
    const line = r.line, s = r.st[i], e = r.en[i];
    if (!trimKeeps(line, s, e)) return false;
    if (!spec.rawPositions && maybePositionIn(line, s, e)) return false;
    const code = positionCodeIn(line, s, e);
    if (code === POS_RAW) return false;
    this.posCode = code; this.posSpan = true;
    return true;
  }

  /** Id of the trimmed text of cell `i` (no slice when the raw cell is one of the column's recent strings). */
  #named(r: RowCells, i: number | undefined, pool: Interner): number {
    if (i === undefined || i >= r.n) return 0;
    if (r.vals === null) {
      const line = r.line, s = r.st[i], e = r.en[i];
      const id = pool.recent(line, s, e);
      if (id >= 0) return id;
      // A cell that `trim` leaves as it is: found by its characters in the line.
      if (trimKeeps(line, s, e)) return pool.getIn(line, s, e);
    }
    return pool.get(r.cell(i).trim());
  }

  #targetId(r: RowCells): number {
    const { cols } = this.spec;
    let id = this.#named(r, cols.target, this.#targets);
    if (id === 0 && cols.fluor !== undefined) id = this.#targets.get(r.cell(cols.fluor).trim());
    if (id === 0 && cols.target === undefined) id = this.#text.id(this.spec.defaultTarget);
    return id;
  }

  #task(r: RowCells, sampleId: number): WellTask {
    const { cols } = this.spec;
    if (cols.task !== undefined) return normTask(r.cell(cols.task));
    if (!this.spec.taskFromName) return 'unknown';
    if (sampleId !== this.#ntcOf) { this.#ntcOf = sampleId; this.#ntc = NTC_NAMES.has(this.#text.text[sampleId].toLowerCase()); } // runs of one sample
    return this.#ntc ? 'ntc' : 'unknown';
  }

  #readOmit(r: RowCells): void {
    const { cols } = this.spec;
    this.omitted = false; this.omitText = undefined; this.omitCol = undefined;
    if (cols.omit !== undefined && cols.omit < r.n) {
      this.omitCol = cols.omit;
      this.omitText = r.cell(cols.omit);
      this.omitted = TRUE_WORDS.has(this.omitText.trim().toLowerCase());
    } else if (cols.include !== undefined && cols.include < r.n) {
      this.omitCol = cols.include;
      this.omitText = r.cell(cols.include);
      const t = this.omitText.trim().toLowerCase();
      this.omitted = t === 'false' || t === 'no' || t === '0';
    }
  }

  #readQuantity(r: RowCells): void {
    const { cols } = this.spec;
    this.quantity = undefined;
    if (cols.quantity === undefined) return;
    const q = r.cell(cols.quantity);
    if (q.trim() === '') { this.quantity = null; return; }
    const v = parseLocaleNumber(q, this.ctx.decimal);
    this.quantity = Number.isFinite(v) ? v : null;
  }

  #write(r: RowCells, ln: number, cq: number | null, sampleId: number, targetId: number, task: WellTask, flags: string[] | null): void {
    const { cols } = this.spec, c = this.columns, k = this.#k++, o = this.#offsets, omitCol = this.omitCol;
    o[0] = r.line.length; o[1] = r.start(cols.cq); o[2] = r.end(cols.cq);
    const posCol = cols.position ?? cols.wellNo;
    o[3] = r.start(posCol); o[4] = r.end(posCol);
    o[5] = r.start(cols.sample); o[6] = r.end(cols.sample);
    o[7] = r.start(cols.target); o[8] = r.end(cols.target);
    o[9] = r.start(omitCol); o[10] = r.end(omitCol);
    c.setCells(k, ln, o);
    c.sample[k] = sampleId; c.target.set(k, targetId); c.cqText[k] = this.#cqId;
    // Straight into the columns (what the view's setters write; no view: the plate keeps the columns, ./wellSource.ts).
    c.setIndex(k, this.next++);
    if (this.posSpan) setPositionIn(c, k, r.line, r.st[cols.position!], r.en[cols.position!], this.posCode!); else setPosition(c, k, this.position, this.posCode);
    c.rowCol.set(2 * k, this.row ?? -1); c.rowCol.set(2 * k + 1, this.col ?? -1);
    c.codes[k] = wellCode(task, cq === null ? this.#noCq : undefined, this.omitted, cq === null);
    c.cq[k] = cq ?? 0;
    if (flags) setFlags(c, k, flags);
    if (this.quantity !== undefined) setQuantity(c, k, this.quantity);
    if (omitCol !== undefined) setOmitText(c, k, this.omitText);
  }
}

/** The row's flags from its flag columns (`Y` = raised) and value-flag columns, or null (most rows: no array). */
function readFlags(r: RowCells, cols: BlockSpec['cols']): string[] | null {
  let flags: string[] | null = null;
  for (const f of cols.flagCols) if (TRUE_WORDS.has(r.cell(f.idx).trim().toLowerCase())) (flags ??= []).push(f.name);
  for (const f of cols.valueFlags) {
    const val = r.cell(f.idx).trim();
    if (val !== '' && !f.ok.includes(val.toLowerCase())) (flags ??= []).push(`${f.prefix}:${val.toUpperCase()}`);
  }
  return flags;
}

/**
 * Reads data lines [first, end) into wells. Rows that are blank are skipped; a row missing a mapped column
 * gives `row-ragged`; an unreadable Cq gives `cq-unparseable` (the well is kept with `cq` null so the plate
 * editor can show it). Rows with more fields than the header are reported once per block when every row
 * has them (a truncated header), otherwise per row (a likely shifted row).
 */
export function readBlock(ctx: ImportContext, spec: BlockSpec): void {
  const { cols } = spec;
  const headerN = spec.headerCells.values.length;
  const needed = Math.max(cols.cq, cols.sample ?? -1, cols.target ?? -1, cols.position ?? -1, cols.wellNo ?? -1) + 1;
  const r = new RowCells(ctx.delim, Math.max(headerN, needed) + 1), extra = new ExtraFields(), writer = new BlockWriter(ctx, spec);
  writer.next = writer.columns.indexBase = ctx.wells.length;
  writer.columns.lineBase = spec.first; // a row's line is then lineBase + its slot + the blank lines before it
  for (let ln = spec.first; ln < spec.end; ln++) {
    const line = ctx.lines.line(ln);
    if (isBlankLine(line, ctx.delim)) continue;
    r.split(line, ln);
    extra.note(r, headerN, ln);
    if (rowIsWell(ctx, spec, r, needed, ln)) writer.add(r, ln);
  }
  ctx.wells.add(writer.columns, writer.count);
  if (!ctx.share) writer.columns.text.seal(); // a shared table is sealed by the stream, after its last block
  extra.report(ctx, spec, headerN);
}
