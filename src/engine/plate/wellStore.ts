/**
 * The well store of the text importers: the wells of one block of rows kept as columns (`WellColumns`: typed arrays
 * for Cq, index, codes and line; row/column and cell offsets in the narrowest integer array that holds them; sample,
 * target and Cq text as ids into the block's table of distinct strings; positions as a prefix id and a well id) and
 * each `Well` a `ColumnWell`, a two-field view over its slot, instead of an object of 13–16 properties with a boxed
 * Cq and a ranges object. The views keep the `Well` interface (reads and writes, key order in `JSON.stringify`), so
 * no consumer changes; the plate makes them on the first read of `plate.wells`, and passes that read `wellSource`
 * make one per read instead (./wellSource.ts). A view does not survive a structured clone (private fields): send
 * `plainWell(w)` across a worker boundary.
 */
import type { Range } from '../common/diagnostic';
import type { NoCqKind, Well, WellTask } from './model';
import { FNV_OFFSET, fnvChars, fnvCharsIn, fnvFinish, fnvStep } from '../../shared/pairIndex';

export function rng(line: number, start: number, end: number): Range {
  return { start: { line, character: start }, end: { line, character: end } };
}

/** `r` moved `d` lines down (streamed imports merge blocks imported on their own). */
export function shiftRange(r: Range, d: number): Range {
  return { start: { line: r.start.line + d, character: r.start.character }, end: { line: r.end.line + d, character: r.end.character } };
}

type RangeKey = keyof Well['ranges'];

/** Cell offsets per well in `WellColumns.cells`: row end, then [start, end) of cq, position, sample, target, omit. */
export const CELL_SLOTS = 11;

/**
 * `Well.ranges` of a text well: a read-only view of its line and 11 cell offsets in the block's columns (row end,
 * then start/end character offsets per cell; -1 = no such cell), made on each read of `w.ranges`. Every read
 * (`w.ranges.cq`) returns a fresh plain Range with the same values the eager objects had; an absent cell reads as
 * undefined; `JSON.stringify` gives the same keys in the same order (row, cq, position, sample, target, omit).
 * Assigning one key throws (it would be lost with the view): assign the whole `w.ranges` instead.
 */
export class CellRanges {
  readonly #c: WellColumns;
  readonly #k: number;
  /** The ranges of well `k` of `columns`. */
  constructor(columns: WellColumns, k: number) { this.#c = columns; this.#k = k; }
  get row(): Range | undefined { return cellRange(this.#c, this.#k, -1); }
  get cq(): Range | undefined { return cellRange(this.#c, this.#k, 1); }
  get position(): Range | undefined { return cellRange(this.#c, this.#k, 3); }
  get sample(): Range | undefined { return cellRange(this.#c, this.#k, 5); }
  get target(): Range | undefined { return cellRange(this.#c, this.#k, 7); }
  get omit(): Range | undefined { return cellRange(this.#c, this.#k, 9); }
  /** The plain object the eager importer built (keys with a range only, in the same order). */
  toJSON(): Well['ranges'] {
    const out: Well['ranges'] = {};
    for (const k of RANGE_KEYS) { const r = this[k]; if (r !== undefined) out[k] = r; }
    return out;
  }
}

/** The range of the cell whose start is offset `slot` of well `k` (-1: the whole row, from 0 to the row end). */
function cellRange(c: WellColumns, k: number, slot: number): Range | undefined {
  const at = k * CELL_SLOTS;
  const st = slot < 0 ? 0 : c.cells.get(at + slot);
  return st < 0 ? undefined : rng(c.lineOf(k), st, c.cells.get(at + (slot < 0 ? 0 : slot + 1)));
}
const RANGE_KEYS: readonly RangeKey[] = ['row', 'cq', 'position', 'sample', 'target', 'omit'];

const TASKS: readonly WellTask[] = ['unknown', 'standard', 'ntc', 'nrt', 'positive', 'negative', 'reference'];
const NO_CQ: readonly (NoCqKind | undefined)[] = [undefined, 'undetermined', 'nan', 'na', 'empty', 'sentinel'];
/** Index in `list` (a short list of literals: compared by identity first, no hashing), or 0 when absent. */
function codeIn<T>(list: readonly T[], v: T): number {
  const i = list.indexOf(v);
  return i < 0 ? 0 : i;
}
/** `WellColumns.codes` bits: task (0–2), noCq (3–5), omitted (6), Cq is null (7). */
const TASK_MASK = 0b111, NO_CQ_SHIFT = 3, NO_CQ_MASK = 0b111 << NO_CQ_SHIFT, OMITTED = 1 << 6, CQ_NULL = 1 << 7;
/** `WellColumns.quantityState`: 0 = no quantity (undefined), 1 = null, 2 = the value in `quantity`. */
const Q_NONE = 0, Q_NULL = 1, Q_VALUE = 2;

/** The flags of a well without any (most wells): one frozen array shared by all of them instead of one each. */
export const NO_FLAGS: string[] = Object.freeze([]) as unknown as string[];

/**
 * Integers ≥ -1 (offsets, rows, columns; -1 = none, and so is any other negative value) stored plus one in the
 * narrowest unsigned array that holds them: bytes until a value above 254 arrives, then 16 bits, then 32 (each
 * widening copies once).
 */
export class SmallInts {
  #a: Uint8Array | Uint16Array | Int32Array;
  #max = 0xff;
  constructor(n: number, fill = -1) {
    this.#a = new Uint8Array(n);
    if (fill !== -1) { this.fit(fill); this.#a.fill(fill + 1); }
  }
  get(i: number): number { return this.#a[i] - 1; }
  set(i: number, v: number): void {
    if (v >= this.#max) this.fit(v);
    this.#a[i] = v < -1 ? 0 : v + 1; // any negative value is "none" (-1), as the readers take it
  }
  /** Widens the store so that `v` fits. */
  fit(v: number): void {
    if (v < this.#max) return;
    const wide = v < 0xffff ? new Uint16Array(this.#a.length) : new Int32Array(this.#a.length);
    wide.set(this.#a);
    this.#a = wide;
    this.#max = v < 0xffff ? 0xffff : 0x7fffffff;
  }
}

/**
 * The strings of a block, or of all the blocks of a streamed file (sample, target and Cq texts, position prefixes),
 * each with an id; id 0 is ''. Distinct, except that a plain Cq text missing from the Cq cells' key table is
 * `append`ed without a lookup (./block.ts `CqCells.plain`), so it may also be there as a name or, once that table
 * stops growing, as an earlier Cq text: ids only find strings, and nothing compares two wells' text ids.
 * The lookup table exists while rows are read and is dropped by `seal()` (rebuilt on the first later write of a new
 * string). It is an open-addressing table over one Int32Array ([2j] = id + 1, 0 = empty; [2j + 1] = the string's
 * FNV hash), so that a cell is found by its characters in the line (`idIn`) and sliced only when it is new; a
 * Map<string, number> needed the slice first, and its lookups were a tenth of a 1M-well import.
 */
export class TextIds {
  readonly text: string[] = [''];
  #table: Int32Array | null = null;
  #mask = 0;
  id(s: string): number { return this.idIn(s, 0, s.length); }
  /** The id of `line[s, e)`, added (sliced from the line) when new. */
  idIn(line: string, s: number, e: number): number {
    if (this.#table === null) this.#build();
    const table = this.#table!, mask = this.#mask, n = e - s, h = fnvFinish(fnvCharsIn(FNV_OFFSET, line, s, e));
    let j = h & mask;
    for (; ; j = (j + 1) & mask) {
      const v = table[2 * j];
      if (v === 0) break;
      if (table[2 * j + 1] === h) { const t = this.text[v - 1]; if (t.length === n && line.startsWith(t, s)) return v - 1; }
    }
    const id = this.text.length;
    this.text.push(s === 0 && e === line.length ? line : line.slice(s, e));
    table[2 * j] = id + 1; table[2 * j + 1] = h;
    if (2 * ++this.#count > mask) this.#grow();
    return id;
  }
  /** The number of strings in the table (`append`ed ones are not). */
  #count = 0;
  /** A new id for `s`, known not to be in the table yet (not looked up, and not added to the lookup). */
  append(s: string): number {
    this.text.push(s);
    return this.text.length - 1;
  }
  seal(): void { this.#table = null; }
  /** The decimal mark of string `id` (`decimalMark`), worked out once per string. */
  markOf(id: number): DecimalMark {
    let m = this.#marks;
    if (m === null || id >= m.length) {
      const grown = new Uint8Array(Math.max(64, 2 * this.text.length));
      if (m) grown.set(m);
      this.#marks = m = grown;
    }
    let v = m[id];
    if (v === 0) m[id] = v = decimalMark(this.text[id]) + 1;
    return (v - 1) as DecimalMark;
  }
  #marks: Uint8Array | null = null;
  /** The table of every string so far (after `seal`), at most a quarter full. */
  #build(): void {
    let cap = 64;
    while (cap < 4 * this.text.length) cap *= 2;
    this.#table = new Int32Array(2 * cap); this.#mask = cap - 1; this.#count = this.text.length;
    for (let id = 0; id < this.text.length; id++) this.#put(id, fnvFinish(fnvChars(FNV_OFFSET, this.text[id])));
  }
  /** Twice the capacity, from the hashes in the table (not from the strings again). */
  #grow(): void {
    const old = this.#table!;
    this.#table = new Int32Array(2 * old.length); this.#mask = old.length - 1;
    for (let j = 0; j < old.length; j += 2) if (old[j] !== 0) this.#put(old[j] - 1, old[j + 1]);
  }
  #put(id: number, h: number): void {
    const table = this.#table!, mask = this.#mask;
    let j = h & mask;
    while (table[2 * j] !== 0) j = (j + 1) & mask;
    table[2 * j] = id + 1; table[2 * j + 1] = h;
  }
}

/**
 * The columns of up to `capacity` wells (one block of rows). Optional fields (quantity, omit text, flags, replaced
 * ranges) get their column on the first well that has one.
 */
export class WellColumns {
  /**
   * Well k's index is `indexBase + k` (as an import numbers them) until one is set otherwise; then each is kept in
   * `indexes` (`indexOf`, `setIndex`).
   */
  indexBase = 0;
  indexes: Int32Array | null = null;
  /** Row and column per well (two slots); -1 = null. */
  readonly rowCol: SmallInts;
  readonly cq: Float64Array;
  readonly codes: Uint8Array;
  /**
   * Well k's line (of its row) is `lineBase + k + lineGap.get(k)`: the gap (blank and skipped lines before it in the
   * block) is 0 or small, a byte. A line below that form (a gap under -1) moves every line to `lines` (`lineOf`,
   * `setLine`).
   */
  lineBase = 0;
  readonly lineGap: SmallInts;
  lines: Int32Array | null = null;
  /** CELL_SLOTS offsets per well (see `CellRanges`). */
  readonly cells: SmallInts;
  /** Ids in `text` of each well's sample, target (small: the targets come first) and Cq text. */
  readonly sample: Uint32Array;
  readonly target: SmallInts;
  readonly cqText: Uint32Array;
  readonly text: TextIds;
  /** `text.text` (the strings by id), one load nearer. */
  readonly strings: string[];
  /**
   * Positions (see `setPosition`): the prefix's number in `prefixes` (this block's own: a few plates) and the row
   * letters and column digits in one int.
   */
  readonly posPrefix: SmallInts;
  readonly prefixes: string[] = [''];
  readonly posCode: Int32Array;
  /** Positions of another form, as given (made on the first one). */
  posRaw: (string | null)[] | null = null;
  /** The last position prefix written and its number (a plate's wells share one: no slice, no lookup for the rest). */
  lastPrefix = '';
  lastPrefixId = 0;
  flags: Map<number, string[]> | null = null;
  quantity: Float64Array | null = null;
  quantityState: Uint8Array | null = null;
  omitText: (string | undefined)[] | null = null;
  rangeOver: Map<number, Well['ranges']> | null = null;
  /** `text`: the table of strings, when shared with other blocks (a streamed file's: ./block.ts `BlockShare`). */
  constructor(readonly capacity: number, text = new TextIds()) {
    this.text = text;
    this.strings = text.text;
    this.rowCol = new SmallInts(2 * capacity, 0);
    this.cq = new Float64Array(capacity);
    this.codes = new Uint8Array(capacity);
    this.lineGap = new SmallInts(capacity, 0);
    this.cells = new SmallInts(capacity * CELL_SLOTS);
    this.sample = new Uint32Array(capacity);
    this.target = new SmallInts(capacity, 0);
    this.cqText = new Uint32Array(capacity);
    this.posPrefix = new SmallInts(capacity, 0);
    this.posCode = new Int32Array(capacity);
  }
  indexOf(k: number): number { return this.indexes === null ? this.indexBase + k : this.indexes[k]; }
  setIndex(k: number, v: number): void {
    if (this.indexes === null) {
      if (v === this.indexBase + k) return;
      const all = new Int32Array(this.capacity);
      for (let i = 0; i < all.length; i++) all[i] = this.indexBase + i;
      this.indexes = all;
    }
    this.indexes[k] = v;
  }
  lineOf(k: number): number { return this.lines === null ? this.lineBase + k + this.lineGap.get(k) : this.lines[k]; }
  setLine(k: number, v: number): void {
    const gap = v - this.lineBase - k;
    if (this.lines === null) {
      if (gap >= -1) { this.lineGap.set(k, gap); return; }
      const all = new Int32Array(this.capacity);
      for (let i = 0; i < all.length; i++) all[i] = this.lineOf(i);
      this.lines = all;
    }
    this.lines[k] = v;
  }
  /** Moves every well `d` lines down. */
  shiftLines(d: number): void {
    if (this.lines === null) this.lineBase += d;
    else for (let i = 0; i < this.lines.length; i++) this.lines[i] += d;
  }
  /** The number of prefix `p` in `prefixes` (added when new). */
  prefixNumber(p: string): number {
    const i = this.prefixes.indexOf(p, 1);
    if (i > 0) return i;
    this.prefixes.push(p);
    return this.prefixes.length - 1;
  }
  /** Well `k`'s line and cell offsets (`CellRanges`; -1 = no such cell). */
  setCells(k: number, line: number, offsets: readonly number[]): void {
    this.setLine(k, line);
    const at = k * CELL_SLOTS;
    for (let j = 0; j < CELL_SLOTS; j++) this.cells.set(at + j, offsets[j]);
  }
}

/**
 * Positions are kept as a prefix and a well id: "P0001-B12" is the prefix "P0001-" (an id in the block's `TextIds`:
 * the wells of a plate share it) and "B12" as one int in `posCode` (row letters in bijective base 26, then the
 * column digits' count and value, so "B012" stays "B012"); "A1" has the prefix "". Reads build the same string again
 * (a prefix-less position is one shared string). A position of another form is kept as given in `posRaw`.
 * `posCode`: 0 = no position, -1 = in `posRaw`, else the code.
 */
const POS_NULL = 0;
export const POS_RAW = -1;

/** The code of `v`'s trailing well id (1–2 letters A–Z, then 1–4 digits), or POS_RAW. */
function positionCode(v: string): number {
  return positionCodeIn(v, 0, v.length);
}

/** `positionCode` of `text[s, e)`, without slicing it. */
export function positionCodeIn(text: string, s: number, e: number): number {
  let i = e, value = 0, width = 0, scale = 1;
  for (; i > s && width < 5; i--, width++, scale *= 10) {
    const c = text.charCodeAt(i - 1);
    if (c < 48 || c > 57) break;
    value += (c - 48) * scale;
  }
  if (width === 0 || width > 4) return POS_RAW;
  const b = i > s ? text.charCodeAt(i - 1) - 64 : 0;
  if (b < 1 || b > 26) return POS_RAW;
  const a = i > s + 1 ? text.charCodeAt(i - 2) - 64 : 0;
  const letters = a >= 1 && a <= 26 ? a * 26 + b : b;
  return (letters << 16) | ((width - 1) << 14) | value;
}

/** The code `setPosition` stores for position `v`. */
export function positionCodeOf(v: string | null): number {
  return v === null ? POS_NULL : positionCode(v);
}

/** Characters of the well id a code stands for. */
function codeLength(code: number): number {
  return ((code >> 16) > 26 ? 2 : 1) + ((code >> 14) & 3) + 1;
}

/** The well id strings of codes seen so far (a plate has at most 1,536). */
const WELL_IDS = new Map<number, string>();
function wellId(code: number): string {
  let s = WELL_IDS.get(code);
  if (s === undefined) {
    const letters = code >> 16, width = ((code >> 14) & 3) + 1, value = code & 0x3fff;
    const b = ((letters - 1) % 26) + 1, a = (letters - b) / 26;
    s = (a > 0 ? String.fromCharCode(64 + a) : '') + String.fromCharCode(64 + b) + String(value).padStart(width, '0');
    if (WELL_IDS.size < 1 << 16) WELL_IDS.set(code, s);
  }
  return s;
}

function positionOf(c: WellColumns, k: number): string | null {
  const code = c.posCode[k];
  if (code === POS_NULL) return null;
  if (code === POS_RAW) return c.posRaw![k];
  const id = wellId(code), prefix = c.posPrefix.get(k);
  return prefix === 0 ? id : c.prefixes[prefix] + id;
}

/**
 * Sets well `k`'s position to `v`; `code`: `v`'s code when the caller has it (`positionCodeOf`), saving the digits'
 * parse.
 */
export function setPosition(c: WellColumns, k: number, v: string | null, code = positionCodeOf(v)): void {
  c.posCode[k] = code;
  if (code === POS_RAW) { (c.posRaw ??= new Array<string | null>(c.capacity).fill(null))[k] = v; return; }
  if (v !== null) setPrefix(c, k, v, 0, v.length - codeLength(code));
}

/**
 * `setPosition` of the position `text[s, e)` whose code is `code` (`positionCodeIn`, not POS_RAW), without making the
 * position string: a plate's wells share their prefix, which is compared in place (the import of a file of
 * plate-prefixed ids, `P0001-B12`, made a string per well for this alone).
 */
export function setPositionIn(c: WellColumns, k: number, text: string, s: number, e: number, code: number): void {
  c.posCode[k] = code;
  setPrefix(c, k, text, s, e - s - codeLength(code));
}

/** Well `k`'s position prefix: the `n` characters of `text` from `from`. */
function setPrefix(c: WellColumns, k: number, text: string, from: number, n: number): void {
  if (n === 0) { c.posPrefix.set(k, 0); return; }
  if (c.lastPrefix.length !== n || !text.startsWith(c.lastPrefix, from)) {
    c.lastPrefix = text.slice(from, from + n);
    c.lastPrefixId = c.prefixNumber(c.lastPrefix);
  }
  c.posPrefix.set(k, c.lastPrefixId);
}

/**
 * A hash of a position and a target such that equal pairs hash equally however the wells store them (a text
 * importer's view or a plain well): the position's prefix characters, its well id as the code, then the target; a
 * position of another form by its characters. A `ColumnWell` builds no position string (at 10⁷ wells, building
 * one per well for the hash alone was a third of plate QC, most of it in the garbage collector). Collisions are
 * resolved by the caller comparing the strings. Null when the well has no position.
 */
export function positionTargetHash(w: Well): number | null {
  return ColumnWell.positionTargetHash(w);
}

/** Which decimal mark a text has: a comma (COMMA_MARK, whether or not it also has a dot), else a dot (DOT_MARK), else none. */
export type DecimalMark = 0 | 1 | 2;
export const NO_MARK = 0, DOT_MARK = 1, COMMA_MARK = 2;
export function decimalMark(t: string): DecimalMark {
  return t.includes(',') ? COMMA_MARK : t.includes('.') ? DOT_MARK : NO_MARK;
}

/**
 * The decimal mark of a well's Cq text. A text import's well is answered from its text id, each distinct text read
 * once (a 1M-well plate has some 17,000): the rule that counts marks read a string per well, a cache miss each.
 */
export function cqDecimalMark(w: Well): DecimalMark {
  return ColumnWell.cqDecimalMark(w);
}

/**
 * The hash of a position given as `n` prefix characters of `prefix` and a code (POS_RAW: `prefix` is the whole), with
 * the FNV-1a steps of the pair hashes (src/shared/pairIndex.ts): the prefix's characters, a tag, the code, then the
 * target's own hash as one step. The prefix's and the target's hashes are remembered for the next call (a plate's
 * wells share one prefix and come in runs of one target): a well then costs three steps, not one per character.
 */
function hashPosition(prefix: string, n: number, code: number, target: string): number {
  if (prefix !== memo.prefix || n !== memo.n) { memo.prefix = prefix; memo.n = n; memo.prefixHash = fnvChars(FNV_OFFSET, prefix, n); }
  if (target !== memo.target) { memo.target = target; memo.targetHash = fnvFinish(fnvChars(FNV_OFFSET, target)); }
  let h = fnvStep(memo.prefixHash, code === POS_RAW ? 0x10001 : 0x10002);
  if (code !== POS_RAW) h = fnvStep(h, code);
  return fnvFinish(fnvStep(h, memo.targetHash));
}
/** `hashPosition`'s last prefix and target and their hashes. */
const memo = { prefix: '', n: 0, prefixHash: FNV_OFFSET, target: '', targetHash: fnvFinish(FNV_OFFSET) };
/** `positionTargetHash` of a well whose position is the string `p`. */
function hashOfString(p: string, target: string): number {
  const code = positionCode(p);
  return hashPosition(p, code === POS_RAW ? p.length : p.length - codeLength(code), code, target);
}

/** The `codes` byte of a well with these fields (see `TASK_MASK`). */
export function wellCode(task: WellTask, noCq: NoCqKind | undefined, omitted: boolean, cqIsNull: boolean): number {
  return codeIn(TASKS, task) | (codeIn(NO_CQ, noCq) << NO_CQ_SHIFT) | (omitted ? OMITTED : 0) | (cqIsNull ? CQ_NULL : 0);
}

/** Sets well `k`'s quantity (the columns made on the first well that has one). */
export function setQuantity(c: WellColumns, k: number, v: number | null | undefined): void {
  if (v === undefined && !c.quantityState) return;
  c.quantityState ??= new Uint8Array(c.capacity);
  c.quantity ??= new Float64Array(c.capacity);
  c.quantityState[k] = v === undefined ? Q_NONE : v === null ? Q_NULL : Q_VALUE;
  c.quantity[k] = v ?? 0;
}

/** Sets well `k`'s omit text (the column made on the first well that has one). */
export function setOmitText(c: WellColumns, k: number, v: string | undefined): void {
  if (v === undefined && !c.omitText) return;
  (c.omitText ??= new Array<string | undefined>(c.capacity).fill(undefined))[k] = v;
}

/** Sets well `k`'s flags (NO_FLAGS: none). */
export function setFlags(c: WellColumns, k: number, v: string[]): void {
  if (v === NO_FLAGS) c.flags?.delete(k); else (c.flags ??= new Map()).set(k, v);
}

/** Sets the `mask` bits of well `k`'s code to `bits`. */
function setCode(c: WellColumns, k: number, mask: number, bits: number): void {
  c.codes[k] = (c.codes[k] & ~mask) | bits;
}

/** One well of a `WellColumns`: every `Well` field read from and written to its slot `k`. */
export class ColumnWell implements Well {
  readonly #c: WellColumns;
  readonly #k: number;
  constructor(columns: WellColumns, k: number) { this.#c = columns; this.#k = k; }
  get index(): number { return this.#c.indexOf(this.#k); }
  set index(v: number) { this.#c.setIndex(this.#k, v); }
  get position(): string | null { return positionOf(this.#c, this.#k); }
  set position(v: string | null) { setPosition(this.#c, this.#k, v); }
  get row(): number | null { const v = this.#c.rowCol.get(2 * this.#k); return v < 0 ? null : v; }
  set row(v: number | null) { this.#c.rowCol.set(2 * this.#k, v ?? -1); }
  get col(): number | null { const v = this.#c.rowCol.get(2 * this.#k + 1); return v < 0 ? null : v; }
  set col(v: number | null) { this.#c.rowCol.set(2 * this.#k + 1, v ?? -1); }
  get sample(): string { const c = this.#c; return c.strings[c.sample[this.#k]]; }
  set sample(v: string) { this.#c.sample[this.#k] = this.#c.text.id(v); }
  get target(): string { const c = this.#c; return c.strings[c.target.get(this.#k)]; }
  set target(v: string) { this.#c.target.set(this.#k, this.#c.text.id(v)); }
  get task(): WellTask { return TASKS[this.#c.codes[this.#k] & TASK_MASK]; }
  set task(v: WellTask) { setCode(this.#c, this.#k, TASK_MASK, codeIn(TASKS, v)); }
  get cq(): number | null { return this.#c.codes[this.#k] & CQ_NULL ? null : this.#c.cq[this.#k]; }
  /** The Cq, NaN when none, never boxed (shared/cq.ts `cqOrNaN`). */
  cqNumber(): number { return this.#c.codes[this.#k] & CQ_NULL ? NaN : this.#c.cq[this.#k]; }
  set cq(v: number | null) {
    setCode(this.#c, this.#k, CQ_NULL, v === null ? CQ_NULL : 0);
    this.#c.cq[this.#k] = v ?? 0;
  }
  get noCq(): NoCqKind | undefined { return NO_CQ[(this.#c.codes[this.#k] & NO_CQ_MASK) >> NO_CQ_SHIFT]; }
  set noCq(v: NoCqKind | undefined) { setCode(this.#c, this.#k, NO_CQ_MASK, codeIn(NO_CQ, v) << NO_CQ_SHIFT); }
  get cqText(): string { const c = this.#c; return c.strings[c.cqText[this.#k]]; }
  set cqText(v: string) { this.#c.cqText[this.#k] = this.#c.text.id(v); }
  get quantity(): number | null | undefined {
    const s = this.#c.quantityState?.[this.#k] ?? Q_NONE;
    return s === Q_VALUE ? this.#c.quantity![this.#k] : s === Q_NULL ? null : undefined;
  }
  set quantity(v: number | null | undefined) { setQuantity(this.#c, this.#k, v); }
  get omitted(): boolean { return (this.#c.codes[this.#k] & OMITTED) !== 0; }
  set omitted(v: boolean) { setCode(this.#c, this.#k, OMITTED, v ? OMITTED : 0); }
  get flags(): string[] { return this.#c.flags?.get(this.#k) ?? NO_FLAGS; }
  set flags(v: string[]) { setFlags(this.#c, this.#k, v); }
  get line(): number { return this.#c.lineOf(this.#k); }
  set line(v: number) { this.#c.setLine(this.#k, v); }
  get ranges(): Well['ranges'] {
    return this.#c.rangeOver?.get(this.#k) ?? new CellRanges(this.#c, this.#k);
  }
  set ranges(v: Well['ranges']) { (this.#c.rangeOver ??= new Map()).set(this.#k, v); }
  get omitText(): string | undefined { return this.#c.omitText?.[this.#k]; }
  set omitText(v: string | undefined) { setOmitText(this.#c, this.#k, v); }
  /** See `cqDecimalMark`. */
  static cqDecimalMark(w: Well): DecimalMark {
    return #c in w ? w.#c.text.markOf(w.#c.cqText[w.#k]) : decimalMark(w.cqText);
  }
  /** See `positionTargetHash` (a static method: it reads the columns of a view, else the fields). */
  static positionTargetHash(w: Well): number | null {
    if (!(#c in w)) return w.position === null ? null : hashOfString(w.position, w.target);
    const c = w.#c, k = w.#k, code = c.posCode[k];
    if (code === POS_NULL) return null;
    const target = c.strings[c.target.get(k)];
    if (code === POS_RAW) { const p = c.posRaw![k]!; return hashPosition(p, p.length, POS_RAW, target); }
    const prefix = c.prefixes[c.posPrefix.get(k)];
    return hashPosition(prefix, prefix.length, code, target);
  }
  /** The plain well with the same keys in the same order as an importer's object literal (optional keys when set). */
  toJSON(): Well {
    const w: Well = {
      index: this.index, position: this.position, row: this.row, col: this.col, sample: this.sample, target: this.target,
      task: this.task, cq: this.cq, cqText: this.cqText, omitted: this.omitted, flags: this.flags, line: this.line, ranges: this.ranges,
    };
    const noCq = this.noCq, quantity = this.quantity, omitText = this.omitText;
    if (noCq !== undefined) w.noCq = noCq;
    if (quantity !== undefined) w.quantity = quantity;
    if (omitText !== undefined) w.omitText = omitText;
    return w;
  }
}

/**
 * Moves wells 0 ..< count of `c` `d` lines down and numbers them `base`, `base + 1`, ... (a streamed import's block
 * joining the plate: ./stream.ts), in one pass over the columns.
 */
export function shiftColumns(c: WellColumns, count: number, d: number, base: number): void {
  if (c.indexes === null) c.indexBase = base;
  else for (let i = 0; i < count; i++) c.indexes[i] = base + i;
  c.shiftLines(d);
  if (c.rangeOver) for (const [k, r] of c.rangeOver) c.rangeOver.set(k, shiftRanges(r, d));
}

/** `r` moved `d` lines down. */
export function shiftRanges(r: Well['ranges'], d: number): Well['ranges'] {
  const out: Well['ranges'] = {};
  for (const k of RANGE_KEYS) { const x = r[k]; if (x) out[k] = shiftRange(x, d); }
  return out;
}

/** `w` as plain data (own properties only, ranges as plain objects): what a structured clone or a spread can copy. */
export function plainWell(w: Well): Well {
  // eslint-disable-next-line no-restricted-syntax -- not a ColumnWell: a plain well's own properties are its fields
  const o = w instanceof ColumnWell ? w.toJSON() : { ...w };
  const r = o.ranges as { toJSON?: () => Well['ranges'] };
  if (typeof r.toJSON === 'function') o.ranges = r.toJSON();
  return o;
}
