/**
 * Technical replicates: the wells of one sample × target. The one grouping used by plate QC (replicate-sd,
 * few-replicates), the expression pipeline, the plate host's outlier screening and the plate editor's replicate table,
 * so the editor shows the SDs QC reports. Pure (no DOM, no node modules): the webview imports it.
 *
 * Rules (`replicateStats`):
 * - A well is a replicate, i.e. belongs to the group of its sample × target, when it names a sample and is not a
 *   control (task ntc, nrt or negative). Omitted wells belong to their group (the editor lists them) but do not count.
 * - A replicate's Cq counts (enters the group's mean and SD) when the well is not omitted and has a Cq.
 * - Groups are numbered in order of first appearance; the mean and the SD (n - 1) sum the counted Cqs in well order.
 *
 * Speed (1M-well plates): groups are found by `firstOccurrences` over per-well pair hashes (typed arrays, no Map
 * keyed by strings), and the per-well step (`ReplicateCollector.visit`) runs inside the caller's own single pass
 * over the wells, so QC reads each well once.
 */
import { cqOrNaN, type CqWell } from './cq';
import { firstOccurrences, pairHashEnd, pairHashStart } from './pairIndex';

/** The fields of a well that replicate grouping reads (the engine's `Well` and the editor's `PlateWellView` have them). */
export interface ReplicateWell extends CqWell {
  sample: string;
  target: string;
  task: string;
  omitted: boolean;
}

/** Tasks of control wells, which are never replicates of a sample. */
export function isControlTask(task: string): boolean {
  return task === 'ntc' || task === 'nrt' || task === 'negative';
}

/** Whether a well belongs to a replicate group (see the rules above). */
export function isReplicate(w: Pick<ReplicateWell, 'sample' | 'task'>): boolean {
  return w.sample !== '' && !isControlTask(w.task);
}

/** Group ids of items by sample × target: groupOf[i] (-1 = not added), first[g] = the first item of group g. */
export interface Groups {
  count: number;
  groupOf: Int32Array;
  first: Int32Array;
}

/**
 * Groups items by sample × target in order of first appearance. Call `add` for the items that are grouped, in
 * increasing index order, then `groups` once. Items with the same pair as the previously added item (replicates are
 * usually adjacent rows) skip the hash.
 */
export class ReplicateGrouper {
  private readonly hash: Int32Array;
  private readonly use: Uint8Array;
  private lastSample: string | undefined;
  private lastTarget: string | undefined;

  /** `n`: one more than the largest index that will be added. */
  constructor(n: number) {
    this.hash = new Int32Array(n);
    this.use = new Uint8Array(n);
  }

  /** Adds item i. Returns 2 when its pair is the previous added item's, 1 when only the sample is, else 0. */
  add(i: number, sample: string, target: string): number {
    const sameSample = sample === this.lastSample;
    if (sameSample && target === this.lastTarget) { this.use[i] = 2; return 2; }
    // `pairHash(sample, target)`, the sample's part kept for its next targets (a sample's rows come together).
    if (!sameSample) this.sampleHash = pairHashStart(sample);
    this.lastSample = sample; this.lastTarget = target;
    this.hash[i] = pairHashEnd(this.sampleHash, target);
    this.use[i] = 1;
    return sameSample ? 1 : 0;
  }
  private sampleHash = 0;

  /**
   * The groups of the added items among the first `n`; `at(i)` gives item i's sample and target. Call once (this or
   * `firstOf`).
   */
  groups(at: (i: number) => { sample: string; target: string }, n = this.hash.length): Groups {
    const groupOf = this.firstOf(at, n);
    // In place: the first item of i's group comes at or before i, so its entry already holds the group id.
    let count = 0;
    for (let i = 0; i < n; i++) if (groupOf[i] === i) count++;
    const first = new Int32Array(count);
    for (let i = 0, next = 0; i < n; i++) {
      const f = groupOf[i];
      if (f < 0) continue;
      if (f === i) { first[next] = i; groupOf[i] = next++; } else groupOf[i] = groupOf[f];
    }
    return { count, groupOf, first };
  }

  /** firstOf[i] = the first added item with item i's pair (i itself for the first one), -1 = not added. */
  firstOf(at: (i: number) => { sample: string; target: string }, n = this.hash.length): Int32Array {
    return firstOccurrences(this.hash.subarray(0, n), this.use.subarray(0, n), (a, b) => {
      const x = at(a), y = at(b);
      return x.sample === y.sample && x.target === y.target;
    });
  }
}

/** Replicate groups of a list of wells with their statistics (see `replicateStats`). */
export interface ReplicateStats extends Groups {
  /** Per group: wells, omitted wells, counted Cqs, the first well that is not omitted (-1: none). */
  size: Int32Array;
  omitted: Int32Array;
  nCq: Int32Array;
  firstPresent: Int32Array;
  /** Per group: mean of the counted Cqs (NaN when none) and their SD with n - 1 (NaN when fewer than two). */
  mean: Float64Array;
  sd: Float64Array;
  /** Per well: 1 when its Cq counts (other values: does not count). */
  counted: Uint8Array;
}

const COUNTED = 1, OMITTED = 2; // values of `counted`: only COUNTED counts

/**
 * Collects replicate statistics during a caller's pass over the wells: `visit(i, w)` for every well in order, then
 * `finish` once. Per well it keeps a pair hash and two bytes (typed arrays: 6 bytes per well); `finish` reads the
 * counted wells' Cqs again (a copy of every Cq was 8 bytes more per well, on a 10⁷-well plate 80 MB of memory outside
 * the V8 heap, which V8 answers with full garbage collections).
 */
export class ReplicateCollector {
  private readonly grouper: ReplicateGrouper;
  private readonly kind: Uint8Array; // 0 = not a replicate or no Cq, COUNTED, OMITTED

  constructor(n: number) {
    this.grouper = new ReplicateGrouper(n);
    this.kind = new Uint8Array(n);
  }

  visit(i: number, w: ReplicateWell): void {
    if (w.sample === '' || isControlTask(w.task)) return;
    this.grouper.add(i, w.sample, w.target);
    if (w.omitted) this.kind[i] = OMITTED;
    else if (!Number.isNaN(cqOrNaN(w))) this.kind[i] = COUNTED;
  }

  /**
   * `at(i)`: well i, the same as visited (its sample and target are compared when two pair hashes collide; the Cqs of
   * counted wells are read). Call once.
   */
  finish(at: (i: number) => ReplicateWell): ReplicateStats {
    const groupOf = this.grouper.firstOf(at);
    const kind = this.kind, n = groupOf.length;
    let count = 0;
    for (let i = 0; i < n; i++) if (groupOf[i] === i) count++;
    const first = new Int32Array(count), size = new Int32Array(count), omitted = new Int32Array(count);
    const nCq = new Int32Array(count), firstPresent = new Int32Array(count).fill(-1);
    const mean = new Float64Array(count), sd = new Float64Array(count);
    // Group ids in place (the first well of i's group comes at or before i), counts and sums in one pass.
    for (let i = 0, next = 0; i < n; i++) {
      const f = groupOf[i];
      if (f < 0) continue;
      let g: number;
      if (f === i) { g = next++; first[g] = i; } else g = groupOf[f];
      groupOf[i] = g;
      size[g]++;
      const k = kind[i];
      if (k === OMITTED) { omitted[g]++; continue; }
      if (firstPresent[g] < 0) firstPresent[g] = i;
      if (k === COUNTED) { nCq[g]++; mean[g] += cqOrNaN(at(i)); }
    }
    for (let g = 0; g < count; g++) mean[g] = nCq[g] ? mean[g] / nCq[g] : NaN;
    for (let i = 0; i < n; i++) {
      if (kind[i] !== COUNTED) continue;
      const g = groupOf[i];
      if (nCq[g] >= 2) { const d = cqOrNaN(at(i)) - mean[g]; sd[g] += d * d; }
    }
    for (let g = 0; g < count; g++) sd[g] = nCq[g] >= 2 ? Math.sqrt(sd[g] / (nCq[g] - 1)) : NaN;
    return { count, groupOf, first, size, omitted, nCq, firstPresent, mean, sd, counted: kind };
  }
}

/** Replicate groups and statistics of `wells` (the rules at the top of this file). */
export function replicateStats(wells: readonly ReplicateWell[]): ReplicateStats {
  const c = new ReplicateCollector(wells.length);
  for (let i = 0; i < wells.length; i++) c.visit(i, wells[i]);
  return c.finish((i) => wells[i]);
}

/**
 * Lists of item indexes per sample × target, groups in order of first appearance, each in index order; `at(i)` gives
 * item i's sample and target, or null for an item that is not grouped (e.g. outlier screening over amplified wells).
 */
export function replicateLists(n: number, at: (i: number) => { sample: string; target: string } | null): number[][] {
  const grouper = new ReplicateGrouper(n);
  for (let i = 0; i < n; i++) {
    const w = at(i);
    if (w) grouper.add(i, w.sample, w.target);
  }
  const { count, groupOf } = grouper.groups((i) => at(i)!);
  const lists: number[][] = Array.from({ length: count }, () => []);
  for (let i = 0; i < n; i++) if (groupOf[i] >= 0) lists[groupOf[i]].push(i);
  return lists;
}
