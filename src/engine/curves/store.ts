/**
 * Columnar store of a plate's raw curves (issue 20 part 1): amplification curves (cycle → fluorescence) and melt
 * curves (temperature → fluorescence, optionally the instrument's derivative), keyed by the index of the reaction in
 * `Plate.wells`. Pure data, no analysis: the curve analyses (LinRegPCR, sigmoid Cq, melt peaks, QC) work on the
 * plain arrays `curveOf` returns.
 *
 * Layout: one ArrayBuffer per plate. Every table is a set of typed-array views into it: the well index of each curve
 * (ascending), the curves' start offsets into the point arrays, the x values (cycle or temperature) and one y array
 * per recorded readout. A 384-well × 45-cycle plate with two readouts takes 384·45·3·4 B ≈ 207 KB.
 * Importers fill a `CurveBuilder` point by point (any order) and call `build` once at the end.
 */

/**
 * What a y series holds. Amplification: `fluor` (the raw or instrument-processed fluorescence as the file writes it,
 * RDML `<adp><fluor>`), `rn` (QuantStudio normalised reporter, reporter / passive reference), `deltaRn` (QuantStudio
 * ΔRn, Rn minus its baseline). Melt: `fluor` and `derivative` (the instrument's derivative as written, e.g.
 * QuantStudio's `Derivative` column).
 */
export type AmpReadout = 'fluor' | 'rn' | 'deltaRn';
export type MeltReadout = 'fluor' | 'derivative';

/** One kind of curve for all the wells of a plate that have one. */
export interface CurveTable<R extends string> {
  /** `Plate.wells` index of each curve, ascending. */
  wells: Int32Array;
  /** Curve k's points are [offsets[k], offsets[k + 1]) in `x` and every `y` array; length wells.length + 1. */
  offsets: Uint32Array;
  /** Cycle numbers (amplification) or temperatures in °C (melt), ascending within a curve. */
  x: Float32Array;
  /** The y series the file records, by readout; the first readout listed in `readouts` is the primary one. */
  y: Partial<Record<R, Float32Array>>;
  readouts: R[];
}

export interface PlateCurves {
  amplification?: CurveTable<AmpReadout>;
  melt?: CurveTable<MeltReadout>;
  /** Bytes of the one buffer all tables are views into. */
  bytes: number;
}

/** One curve: views into the table (no copy). */
export interface Curve {
  well: number;
  x: Float32Array;
  y: Float32Array;
}

/** Position of a well's curve in a table, or -1 (binary search over the ascending `wells`). */
export function curveIndex<R extends string>(t: CurveTable<R>, well: number): number {
  let lo = 0, hi = t.wells.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const w = t.wells[mid];
    if (w === well) return mid;
    if (w < well) lo = mid + 1; else hi = mid - 1;
  }
  return -1;
}

/** A well's curve for a readout (default: the table's primary readout), or null when the well has none. */
export function curveOf<R extends string>(t: CurveTable<R> | undefined, well: number, readout?: R): Curve | null {
  if (!t) return null;
  const k = curveIndex(t, well);
  const y = t.y[readout ?? t.readouts[0]];
  if (k < 0 || !y) return null;
  const a = t.offsets[k], b = t.offsets[k + 1];
  return { well, x: t.x.subarray(a, b), y: y.subarray(a, b) };
}

/** Collects the points of one table before `build` lays them out. */
class TableBuilder<R extends string> {
  readonly points = new Map<number, number[]>(); // well → flat [x, y0, y1, ...]
  constructor(readonly readouts: R[]) {}
  add(well: number, x: number, ys: readonly number[]): void {
    let p = this.points.get(well);
    if (!p) { p = []; this.points.set(well, p); }
    p.push(x);
    for (let i = 0; i < this.readouts.length; i++) p.push(ys[i] ?? NaN);
  }
  /** [curves, points] */
  size(): [number, number] {
    let n = 0;
    for (const p of this.points.values()) n += p.length / (1 + this.readouts.length);
    return [this.points.size, n];
  }
}

/** Point order within a curve: ascending x, file order among equal x. */
function sortedRows(flat: number[], stride: number): number[] {
  const rows = Array.from({ length: flat.length / stride }, (_, i) => i);
  let sorted = true;
  for (let i = 1; i < rows.length && sorted; i++) if (flat[i * stride] < flat[(i - 1) * stride]) sorted = false;
  if (!sorted) rows.sort((a, b) => flat[a * stride] - flat[b * stride] || a - b);
  return rows;
}

/** Builds a PlateCurves: `amp(...)` / `melt(...)` declare the readouts once, then points are added with `add`. */
export class CurveBuilder {
  private ampT: TableBuilder<AmpReadout> | null = null;
  private meltT: TableBuilder<MeltReadout> | null = null;

  amplification(readouts: AmpReadout[]): TableBuilder<AmpReadout> {
    this.ampT ??= new TableBuilder(readouts);
    return this.ampT;
  }
  melt(readouts: MeltReadout[]): TableBuilder<MeltReadout> {
    this.meltT ??= new TableBuilder(readouts);
    return this.meltT;
  }
  get empty(): boolean {
    return (this.ampT?.points.size ?? 0) === 0 && (this.meltT?.points.size ?? 0) === 0;
  }

  /** The store, or undefined when no point was added. */
  build(): PlateCurves | undefined {
    if (this.empty) return undefined;
    let words = 0; // 4-byte words: wells + offsets + x + one y per readout
    for (const t of [this.ampT, this.meltT]) {
      if (!t) continue;
      const [c, n] = t.size();
      if (c > 0) words += c + (c + 1) + n * (1 + t.readouts.length);
    }
    const buf = new ArrayBuffer(words * 4);
    let at = 0;
    const take = <A>(make: (b: ArrayBuffer, off: number, len: number) => A, len: number): A => { const a = make(buf, at * 4, len); at += len; return a; };
    const layout = <R extends string>(t: TableBuilder<R>): CurveTable<R> => {
      const [c, n] = t.size();
      const stride = 1 + t.readouts.length;
      const wells = take((b, o, l) => new Int32Array(b, o, l), c);
      const offsets = take((b, o, l) => new Uint32Array(b, o, l), c + 1);
      const x = take((b, o, l) => new Float32Array(b, o, l), n);
      const ys = t.readouts.map(() => take((b, o, l) => new Float32Array(b, o, l), n));
      const keys = [...t.points.keys()].sort((a, b) => a - b);
      let p = 0;
      keys.forEach((w, k) => {
        const flat = t.points.get(w)!;
        wells[k] = w; offsets[k] = p;
        for (const r of sortedRows(flat, stride)) {
          x[p] = flat[r * stride];
          for (let j = 0; j < ys.length; j++) ys[j][p] = flat[r * stride + 1 + j];
          p++;
        }
      });
      offsets[c] = p;
      const y: Partial<Record<R, Float32Array>> = {};
      t.readouts.forEach((r, j) => { y[r] = ys[j]; });
      return { wells, offsets, x, y, readouts: [...t.readouts] };
    };
    const out: PlateCurves = { bytes: buf.byteLength };
    if (this.ampT && this.ampT.points.size > 0) out.amplification = layout(this.ampT);
    if (this.meltT && this.meltT.points.size > 0) out.melt = layout(this.meltT);
    return out;
  }
}

/** The plain-array form of a table's curves for one readout (default: the primary one), e.g. for a JSON message. */
export function curvesAsArrays<R extends string>(t: CurveTable<R>, readout?: R): { well: number; x: number[]; y: number[] }[] {
  const out: { well: number; x: number[]; y: number[] }[] = [];
  for (let k = 0; k < t.wells.length; k++) {
    const c = curveOf(t, t.wells[k], readout);
    if (c) out.push({ well: c.well, x: Array.from(c.x), y: Array.from(c.y) });
  }
  return out;
}
