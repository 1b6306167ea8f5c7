/**
 * Charts at biobank scale (PURE). A chart of a million subjects drew every one: a 55 MB spec for the results panel, a
 * 26 MB PDF figure at 10⁵ subjects. `thinSpec` bounds what a chart draws, and changes nothing in a chart below the
 * limits (every chart of the seed studies):
 * - a line or band of more than `MAX_POINTS` points is simplified at `RESOLUTION` of its own extent (a point within
 *   1/2000 of the last kept one in every coordinate is dropped), which no figure size can show;
 * - a scatter of more than `MAX_POINTS` markers draws a sample of `MAX_POINTS` of them, stratified by y (evenly spaced
 *   ranks of the finite y values, both extremes included, each value taken at its first point in the series' order).
 *   The chart says so: in the series' legend label, or in the subtitle of an unlabelled series.
 * Kinds whose series must stay matched point for point (the lines and dots of a paired plot) sample their items
 * before they make the series, with `sampleItems`.
 */
import type { ChartSpec, Series, XY } from './chartSpec';
import { sortedNumbers } from '../quantile';

/** Most markers a scatter series draws, and most points a line or band keeps unsimplified. */
export const MAX_POINTS = 5000;
/** A simplified line is exact to 1/RESOLUTION of its extent in each coordinate. */
export const RESOLUTION = 2000;

/**
 * Indexes (ascending) of a stratified sample of `k` of the finite `values`: the values at ranks round(j·(m-1)/(k-1))
 * of the m finite values sorted, each taken at its first unused occurrence. All finite indexes when m ≤ k.
 * `sorted`, when the caller has it, is the finite values in ascending order (sortedNumbers).
 */
export function sampleByValue(values: ArrayLike<number>, k: number, sorted?: ArrayLike<number>): number[] {
  const finiteIdx: number[] = [];
  for (let i = 0; i < values.length; i++) if (Number.isFinite(values[i])) finiteIdx.push(i);
  const m = finiteIdx.length;
  if (m <= k) return finiteIdx;
  const s = sorted ?? sortedNumbers(finiteIdx.map((i) => values[i]));
  const wanted = new CountsByValue(k); // value → how many of its points to take
  for (let j = 0; j < k; j++) wanted.add(s[k === 1 ? 0 : Math.round((j * (m - 1)) / (k - 1))]);
  const out: number[] = [];
  for (const i of finiteIdx) if (wanted.take(values[i])) out.push(i);
  return out;
}

/**
 * Counts by finite number (−0 and 0 one key, as in a Map), in an open-addressing table on the number's bits: a Map
 * of numbers hashes each lookup's number as an object, 5× the time at 200,000 lookups.
 */
class CountsByValue {
  private readonly keys: Float64Array;
  private readonly counts: Int32Array;
  private readonly shift: number;
  private readonly bits = new Float64Array(1);
  private readonly words = new Uint32Array(this.bits.buffer);
  constructor(most: number) {
    let b = 4;
    while (1 << b < 2 * most) b++;
    this.keys = new Float64Array(1 << b).fill(NaN); // NaN: an empty slot
    this.counts = new Int32Array(1 << b);
    this.shift = 32 - b;
  }
  /** The slot of v: where it is, or the empty slot where it would go. */
  private slot(v: number): number {
    this.bits[0] = v === 0 ? 0 : v;
    const mask = this.keys.length - 1;
    let h = Math.imul(this.words[0] ^ this.words[1], 0x9e3779b1) >>> this.shift;
    for (let x = this.keys[h]; x !== v && x === x; x = this.keys[h]) h = (h + 1) & mask;
    return h;
  }
  add(v: number): void {
    const h = this.slot(v);
    this.keys[h] = v === 0 ? 0 : v;
    this.counts[h]++;
  }
  /** One of v's count taken, if any is left. */
  take(v: number): boolean {
    const h = this.slot(v);
    if (this.counts[h] === 0) return false;
    this.counts[h]--;
    return true;
  }
}

/**
 * Indexes (ascending) of the points a polyline keeps: the first and last, every non-finite one (a gap), and each point
 * more than `tol[c]` from the last kept point in some coordinate c. A dropped point is within `tol` of a kept one, so
 * the drawn line (straight or stepped) is nowhere further than `tol` from the full one.
 */
export function simplifyIndexes(n: number, coords: ((i: number) => number)[]): number[] {
  const tol = coords.map((c) => {
    let lo = Infinity, hi = -Infinity;
    for (let i = 0; i < n; i++) {
      const v = c(i);
      if (!Number.isFinite(v)) continue; // a gap or an infinite value: kept below, not part of the extent
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
    return hi > lo ? (hi - lo) / RESOLUTION : 0;
  });
  const keep: number[] = [];
  let last = -1;
  for (let i = 0; i < n; i++) {
    let far = last < 0 || i === n - 1;
    for (let c = 0; !far && c < coords.length; c++) {
      const v = coords[c](i);
      far = !Number.isFinite(v) || !(Math.abs(v - coords[c](last)) <= tol[c]);
    }
    if (far) {
      keep.push(i);
      last = i;
    }
  }
  return keep;
}

const pick = <T>(items: readonly T[], idx: number[]): T[] => idx.map((i) => items[i]);

/**
 * The items of a kind's matched series (each item draws several marks: a pair's line and dots): all of them, or, with
 * more than MAX_POINTS and not `allPoints`, a sample stratified by `value`. `note` is the subtitle's statement of a
 * sample ('' when none): " · pairs: 5000 of 30000 shown (a sample stratified by the difference)".
 */
export function sampleItems<T>(items: readonly T[], value: (t: T) => number, allPoints: boolean, what: string, by: string): { items: readonly T[]; note: string } {
  if (items.length <= MAX_POINTS || allPoints) return { items, note: '' };
  const kept = pick(items, sampleByValue(items.map(value), MAX_POINTS));
  return { items: kept, note: kept.length < items.length ? ` · ${what}: ${kept.length} of ${items.length} shown (a sample stratified by ${by})` : '' };
}

/**
 * The indexes of the markers a scatter of these `ys` draws when the kind makes it already thinned (a box plot's
 * jittered values, which a biobank-sized group would otherwise make 200,000 points of only for thinSpec to drop most):
 * null for all of them (`allPoints`, or at most MAX_POINTS finite values), else the sample thinSpec would take of the
 * whole series (`sorted`: the finite ys ascending, when the caller has them). The kind then labels the series with
 * `sampledLabel` and states MARKERS_SAMPLED in the subtitle, as thinSpec does, and the chart is the one thinSpec
 * makes of the whole series.
 */
export function sampledMarkers(ys: ArrayLike<number>, allPoints: boolean, sorted?: ArrayLike<number>): number[] | null {
  if (allPoints || ys.length <= MAX_POINTS) return null;
  const idx = sampleByValue(ys, MAX_POINTS, sorted);
  return idx.length === ys.length ? null : idx;
}

/** What a chart's subtitle says when a labelled scatter draws a sample. */
export const MARKERS_SAMPLED = 'markers: a sample stratified by value';

/** The note of a sampled series: "A (n = 55556; 5000 shown)" or "A (5000 of 55556 shown)". */
export function sampledLabel(label: string, k: number, n: number): string {
  return label.endsWith(')') ? `${label.slice(0, -1)}; ${k} shown)` : `${label} (${k} of ${n} shown)`;
}

function thinSeries(s: Series, notes: { unlabelled: string[]; sampled: boolean }): Series {
  switch (s.type) {
    case 'line': {
      if (s.points.length <= MAX_POINTS) return s;
      const p = s.points;
      return { ...s, points: pick(p, simplifyIndexes(p.length, [(i) => p[i].x, (i) => p[i].y])) };
    }
    case 'band': {
      if (s.points.length <= MAX_POINTS) return s;
      const p = s.points;
      return { ...s, points: pick(p, simplifyIndexes(p.length, [(i) => p[i].x, (i) => p[i].lo, (i) => p[i].hi])) };
    }
    case 'scatter': {
      if (s.points.length <= MAX_POINTS) return s;
      const p = s.points;
      const idx = sampledMarkers(p.map((q: XY) => (Number.isFinite(q.x) ? q.y : NaN)), false);
      if (!idx) return s;
      const out = { ...s, points: pick(p, idx), ...(s.sizes ? { sizes: pick(s.sizes, idx) } : {}) };
      notes.sampled = true;
      if (s.label) out.label = sampledLabel(s.label, idx.length, p.length);
      else notes.unlabelled.push(`markers: ${idx.length} of ${p.length} shown`);
      return out;
    }
    default:
      return s;
  }
}

/** The chart as drawn: large lines simplified and large scatters sampled (see the module comment). */
export function thinSpec(spec: ChartSpec): ChartSpec {
  if (!spec.series.some((s) => (s.type === 'line' || s.type === 'band' || s.type === 'scatter') && s.points.length > MAX_POINTS)) return spec;
  const notes = { unlabelled: [] as string[], sampled: false };
  const series = spec.series.map((s) => thinSeries(s, notes));
  const stated = notes.unlabelled.length ? `${notes.unlabelled.join('; ')} (a sample stratified by value)` : notes.sampled ? MARKERS_SAMPLED : '';
  return { ...spec, series, ...(stated ? { subtitle: spec.subtitle ? `${spec.subtitle} · ${stated}` : stated } : {}), thinned: true };
}
