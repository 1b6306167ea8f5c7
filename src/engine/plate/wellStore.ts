/**
 * The well store of the text importers: the wells of one block of rows kept as columns (`WellColumns`: typed arrays
 * for Cq, row/column, index, codes and cell offsets; arrays of interned strings for sample, target, Cq text and
 * position) and each `Well` a `ColumnWell`, a two-field view over its slot, instead of an object of 13–16 properties
 * with a boxed Cq and a ranges object. The views keep the `Well` interface (reads and writes, identity, key order in
 * `JSON.stringify`), so no consumer changes; a view does not survive a structured clone (private fields): send
 * `plainWell(w)` across a worker boundary.
 */
import type { Range } from '../common/diagnostic';
import type { NoCqKind, Well, WellTask } from './model';

export function rng(line: number, start: number, end: number): Range {
  return { start: { line, character: start }, end: { line, character: end } };
}

/** `r` moved `d` lines down (streamed imports merge blocks imported on their own). */
export function shiftRange(r: Range, d: number): Range {
  return { start: { line: r.start.line + d, character: r.start.character }, end: { line: r.end.line + d, character: r.end.character } };
}

type RangeKey = keyof Well['ranges'];

/** Int32 slots per well in a `CellRanges` store: line, row end, then [start, end) of cq, position, sample, target, omit. */
export const CELL_SLOTS = 12;

/**
 * `Well.ranges` of a text well: a read-only view of its 12 integers in the block's `WellColumns.ranges` (line, row
 * end, then start/end character offsets per cell; -1 = no such cell), made on each read of `w.ranges`. Every read
 * (`w.ranges.cq`) returns a fresh plain Range with the same values the eager objects had; an absent cell reads as
 * undefined; `JSON.stringify` gives the same keys in the same order (row, cq, position, sample, target, omit).
 * Assigning one key throws (it would be lost with the view): assign the whole `w.ranges` instead.
 */
export class CellRanges {
  readonly #s: Int32Array;
  readonly #at: number;
  /** The ranges in `store[at … at + CELL_SLOTS)` (see `CELL_SLOTS`). */
  constructor(store: Int32Array, at: number) { this.#s = store; this.#at = at; }
  #get(slot: number): Range | undefined {
    const s = this.#s, a = this.#at;
    const st = slot === 0 ? 0 : s[a + slot];
    return st < 0 ? undefined : rng(s[a], st, s[a + slot + 1]);
  }
  get row(): Range | undefined { return this.#get(0); }
  get cq(): Range | undefined { return this.#get(2); }
  get position(): Range | undefined { return this.#get(4); }
  get sample(): Range | undefined { return this.#get(6); }
  get target(): Range | undefined { return this.#get(8); }
  get omit(): Range | undefined { return this.#get(10); }
  /** The plain object the eager importer built (keys with a range only, in the same order). */
  toJSON(): Well['ranges'] {
    const out: Well['ranges'] = {};
    for (const k of RANGE_KEYS) { const r = this[k]; if (r !== undefined) out[k] = r; }
    return out;
  }
}
const RANGE_KEYS: readonly RangeKey[] = ['row', 'cq', 'position', 'sample', 'target', 'omit'];

const TASKS: readonly WellTask[] = ['unknown', 'standard', 'ntc', 'nrt', 'positive', 'negative', 'reference'];
const NO_CQ: readonly (NoCqKind | undefined)[] = [undefined, 'undetermined', 'nan', 'na', 'empty', 'sentinel'];
const TASK_CODE = new Map(TASKS.map((t, i) => [t, i]));
const NO_CQ_CODE = new Map(NO_CQ.map((t, i) => [t, i]));
/** `WellColumns.codes` bits: task (0–2), noCq (3–5), omitted (6), Cq is null (7). */
const TASK_MASK = 0b111, NO_CQ_SHIFT = 3, NO_CQ_MASK = 0b111 << NO_CQ_SHIFT, OMITTED = 1 << 6, CQ_NULL = 1 << 7;
/** `WellColumns.quantityState`: 0 = no quantity (undefined), 1 = null, 2 = the value in `quantity`. */
const Q_NONE = 0, Q_NULL = 1, Q_VALUE = 2;

/** The flags of a well without any (most wells): one frozen array shared by all of them instead of one each. */
export const NO_FLAGS: string[] = Object.freeze([]) as unknown as string[];

/**
 * The columns of up to `capacity` wells (one block of rows). Optional fields (quantity, omit text, replaced ranges)
 * get their column on the first well that has one.
 */
export class WellColumns {
  readonly index: Int32Array;
  /** Row and column per well (two slots); -1 = null. */
  readonly rowCol: Int32Array;
  readonly cq: Float64Array;
  readonly codes: Uint8Array;
  /** CELL_SLOTS per well (see `CellRanges`); slot 0 is the well's line. */
  readonly ranges: Int32Array;
  readonly sample: string[];
  readonly target: string[];
  readonly cqText: string[];
  readonly position: (string | null)[];
  readonly flags: string[][];
  quantity: Float64Array | null = null;
  quantityState: Uint8Array | null = null;
  omitText: (string | undefined)[] | null = null;
  rangeOver: Map<number, Well['ranges']> | null = null;
  constructor(readonly capacity: number) {
    this.index = new Int32Array(capacity);
    this.rowCol = new Int32Array(2 * capacity);
    this.cq = new Float64Array(capacity);
    this.codes = new Uint8Array(capacity);
    this.ranges = new Int32Array(capacity * CELL_SLOTS);
    this.sample = new Array<string>(capacity).fill('');
    this.target = new Array<string>(capacity).fill('');
    this.cqText = new Array<string>(capacity).fill('');
    this.position = new Array<string | null>(capacity).fill(null);
    this.flags = new Array<string[]>(capacity).fill(NO_FLAGS);
  }
}

/** One well of a `WellColumns`: every `Well` field read from and written to its slot `k`. */
export class ColumnWell implements Well {
  readonly #c: WellColumns;
  readonly #k: number;
  constructor(columns: WellColumns, k: number) { this.#c = columns; this.#k = k; }
  get index(): number { return this.#c.index[this.#k]; }
  set index(v: number) { this.#c.index[this.#k] = v; }
  get position(): string | null { return this.#c.position[this.#k]; }
  set position(v: string | null) { this.#c.position[this.#k] = v; }
  get row(): number | null { const v = this.#c.rowCol[2 * this.#k]; return v < 0 ? null : v; }
  set row(v: number | null) { this.#c.rowCol[2 * this.#k] = v ?? -1; }
  get col(): number | null { const v = this.#c.rowCol[2 * this.#k + 1]; return v < 0 ? null : v; }
  set col(v: number | null) { this.#c.rowCol[2 * this.#k + 1] = v ?? -1; }
  get sample(): string { return this.#c.sample[this.#k]; }
  set sample(v: string) { this.#c.sample[this.#k] = v; }
  get target(): string { return this.#c.target[this.#k]; }
  set target(v: string) { this.#c.target[this.#k] = v; }
  get task(): WellTask { return TASKS[this.#c.codes[this.#k] & TASK_MASK]; }
  set task(v: WellTask) { this.#code(TASK_MASK, TASK_CODE.get(v) ?? 0); }
  get cq(): number | null { return this.#c.codes[this.#k] & CQ_NULL ? null : this.#c.cq[this.#k]; }
  set cq(v: number | null) {
    this.#code(CQ_NULL, v === null ? CQ_NULL : 0);
    this.#c.cq[this.#k] = v ?? 0;
  }
  get noCq(): NoCqKind | undefined { return NO_CQ[(this.#c.codes[this.#k] & NO_CQ_MASK) >> NO_CQ_SHIFT]; }
  set noCq(v: NoCqKind | undefined) { this.#code(NO_CQ_MASK, (NO_CQ_CODE.get(v) ?? 0) << NO_CQ_SHIFT); }
  get cqText(): string { return this.#c.cqText[this.#k]; }
  set cqText(v: string) { this.#c.cqText[this.#k] = v; }
  get quantity(): number | null | undefined {
    const s = this.#c.quantityState?.[this.#k] ?? Q_NONE;
    return s === Q_VALUE ? this.#c.quantity![this.#k] : s === Q_NULL ? null : undefined;
  }
  set quantity(v: number | null | undefined) {
    const c = this.#c;
    if (v === undefined && !c.quantityState) return;
    c.quantityState ??= new Uint8Array(c.capacity);
    c.quantity ??= new Float64Array(c.capacity);
    c.quantityState[this.#k] = v === undefined ? Q_NONE : v === null ? Q_NULL : Q_VALUE;
    c.quantity[this.#k] = v ?? 0;
  }
  get omitted(): boolean { return (this.#c.codes[this.#k] & OMITTED) !== 0; }
  set omitted(v: boolean) { this.#code(OMITTED, v ? OMITTED : 0); }
  get flags(): string[] { return this.#c.flags[this.#k]; }
  set flags(v: string[]) { this.#c.flags[this.#k] = v; }
  get line(): number { return this.#c.ranges[this.#k * CELL_SLOTS]; }
  set line(v: number) { this.#c.ranges[this.#k * CELL_SLOTS] = v; }
  get ranges(): Well['ranges'] {
    return this.#c.rangeOver?.get(this.#k) ?? new CellRanges(this.#c.ranges, this.#k * CELL_SLOTS);
  }
  set ranges(v: Well['ranges']) { (this.#c.rangeOver ??= new Map()).set(this.#k, v); }
  get omitText(): string | undefined { return this.#c.omitText?.[this.#k]; }
  set omitText(v: string | undefined) {
    const c = this.#c;
    if (v === undefined && !c.omitText) return;
    (c.omitText ??= new Array<string | undefined>(c.capacity).fill(undefined))[this.#k] = v;
  }
  /** Moves this well `d` lines down and `k` wells later (a streamed import's block joining the plate). */
  shift(d: number, k: number): void {
    this.index += k;
    const over = this.#c.rangeOver?.get(this.#k);
    if (over) this.#c.rangeOver!.set(this.#k, shiftRanges(over, d));
    this.line += d; // also the line of the ranges read from the columns (slot 0)
  }
  #code(mask: number, bits: number): void {
    const c = this.#c.codes;
    c[this.#k] = (c[this.#k] & ~mask) | bits;
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
