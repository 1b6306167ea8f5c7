/**
 * The wells of a plate as a source read well by well, so that a text import's plate need not hold a view object per
 * well (./wellStore.ts `ColumnWell`). A text import keeps its wells as the blocks' columns (`WellRuns`) and gives the
 * plate a `wells` property made on its first read (common/lazyProperty.ts): the array of views appears when something
 * reads `plate.wells`, with the same wells, values, order and key order as before. The passes of import, plate QC and
 * expression read `wellSource(plate)` instead and never make it: at 10⁷ wells the views were about 480 MB of heap
 * that every full collection walked.
 */
import { lazyProperty } from '../common/lazyProperty';
import type { Plate, Well } from './model';
import { ColumnWell, shiftColumns, type WellColumns } from './wellStore';

/** What a pass over a plate's wells reads: their number and well i. */
export interface WellSource {
  readonly length: number;
  /**
   * Well i (0 ≤ i < length). From `WellRuns`, a new view per call: equal in every field to `plate.wells[i]`, but not
   * the same object (compare wells by `index`).
   */
  at(i: number): Well;
}

/** A plain array of wells as a source. */
class WellArray implements WellSource {
  constructor(private readonly wells: readonly Well[]) {}
  get length(): number { return this.wells.length; }
  at(i: number): Well { return this.wells[i]; }
}

/** The wells of a text import as the columns of its blocks: well `starts[r] + k` is slot k of `columns[r]`. */
export class WellRuns implements WellSource {
  readonly columns: WellColumns[] = [];
  /** The first well of each run, then the number of wells. */
  readonly starts: number[] = [0];
  // The run of the last `at` and its wells [lo, hi): passes go well by well.
  #run = 0;
  #lo = 0;
  #hi = 0;

  get length(): number { return this.starts[this.starts.length - 1]; }

  /** Adds slots 0 ..< count of `columns` as the next wells (their `index` must be their place in the plate). */
  add(columns: WellColumns, count: number): void {
    if (count <= 0) return;
    this.columns.push(columns);
    this.starts.push(this.length + count);
  }

  /** Adds the runs of `other` after these. */
  addRuns(other: WellRuns): void {
    for (let r = 0; r < other.columns.length; r++) this.add(other.columns[r], other.starts[r + 1] - other.starts[r]);
  }

  /** Moves every well `d` lines down and numbers them from `base` (a streamed import's block joining the plate). */
  shift(d: number, base: number): void {
    for (let r = 0; r < this.columns.length; r++) shiftColumns(this.columns[r], this.starts[r + 1] - this.starts[r], d, base + this.starts[r]);
  }

  at(i: number): Well {
    if (i < this.#lo || i >= this.#hi) this.#seek(i);
    return new ColumnWell(this.columns[this.#run], i - this.#lo);
  }

  #seek(i: number): void {
    const s = this.starts;
    if (!(i >= 0 && i < this.length)) throw new RangeError(`well ${i} of ${this.length}`);
    let lo = 0, hi = s.length - 2; // the last run r with s[r] <= i
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (s[mid] <= i) lo = mid; else hi = mid - 1;
    }
    this.#run = lo; this.#lo = s[lo]; this.#hi = s[lo + 1];
  }

  /** The wells as views, in order (what `plate.wells` becomes on its first read). */
  toArray(): Well[] {
    const out = new Array<Well>(this.length);
    for (let r = 0, at = 0; r < this.columns.length; r++) {
      const c = this.columns[r], n = this.starts[r + 1] - this.starts[r];
      for (let k = 0; k < n; k++) out[at++] = new ColumnWell(c, k);
    }
    return out;
  }
}

const lazyWells = lazyProperty<Well[], WellRuns>('wells', (runs) => runs.toArray());

/** What a plate literal holds in its `wells` key until `attachWells` (the key keeps its place among the others). */
export const PENDING_WELLS: readonly Well[] = Object.freeze([]);

/** Gives `plate` the wells of `runs` as its `wells` (in the key's place when the plate has it), made on first read. */
export function attachWells(plate: Plate, runs: WellRuns): void {
  lazyWells(plate, runs);
}

/** The runs of a text import's plate whose `wells` were never read; null otherwise. */
export function pendingRuns(plate: Plate): WellRuns | null {
  return lazyWells.pending(plate) ?? null;
}

/** The plate's wells to read one by one: its runs while `plate.wells` was never read, else that array. */
export function wellSource(plate: Plate): WellSource {
  return pendingRuns(plate) ?? new WellArray(plate.wells);
}
