/**
 * Fisher's exact test for an r × c table (either dimension > 2) as R's fisher.test: two-sided p = the sum of the
 * probabilities of every table with the observed margins whose probability is at most the observed one × (1 + 1e-7).
 * R walks the tables with the network algorithm (FEXACT); so does this, in its plain form (see enumerate), so the
 * sum is the same up to rounding. The walk stops at MAX_TABLES node expansions: beyond, the p-value is simulated
 * like fisher.test(simulate.p.value = TRUE, B): each replicate is a random table with the observed margins (the
 * subjects' column labels permuted, which gives r2dtable's distribution), p = (1 + #{sim <= obs}) / (B + 1), with
 * this project's seeded generator (xoshiro128**), so it is reproducible but not R's digits; the result says which was used.
 */
import { StatsError } from './errors';
import { lgamma } from './dist';
import { Rng } from './rng';
import { sortedNumbers } from '../../shared/quantile';

export const MAX_TABLES = 2_000_000;

export interface FisherRxCResult {
  test: 'Fisher exact';
  p: number;
  /** 'exact (all tables)' or 'simulated (B replicates, seed S)'. */
  pMethod: string;
  /** Network node expansions (null when simulated). */
  tables: number | null;
  n: number;
}

/** log k!, from a table (grown on demand up to TABULATED) since the walks call it for every cell they visit. */
const TABULATED = 100_000;
let lfTable = new Float64Array(0);
function lfact(k: number): number {
  if (k < lfTable.length) return lfTable[k];
  if (k > TABULATED) return lgamma(k + 1);
  const grown = new Float64Array(Math.min(TABULATED + 1, Math.max(2 * lfTable.length, k + 1, 256)));
  grown.set(lfTable);
  for (let i = lfTable.length; i < grown.length; i++) grown[i] = lgamma(i + 1);
  lfTable = grown;
  return lfTable[k];
}

/** -sum log(x_ij!): the part of a table's log probability that varies with the table (R's STATISTIC). */
function tableStat(t: readonly (readonly number[])[]): number {
  let s = 0;
  for (const row of t) for (const v of row) s -= lfact(v);
  return s;
}

/**
 * The largest (`concentrate` false: the most even split) or smallest (`concentrate` true: the most concentrated)
 * -sum log(x_i!) over x with sum `total` and 0 <= x_i <= caps_i.
 */
function columnBound(caps: readonly number[], total: number, concentrate: boolean): number {
  const x = caps.map(() => 0);
  if (concentrate) {
    let left = total;
    for (const i of caps.map((_, k) => k).sort((a, b) => caps[b] - caps[a])) { x[i] = Math.min(caps[i], left); left -= x[i]; }
  } else {
    // water-filling: raise the lowest cells first (a concave separable objective is maximised by the most even split)
    let left = total;
    const order = caps.map((_, k) => k).sort((a, b) => caps[a] - caps[b]);
    for (let k = 0; k < order.length; k++) {
      const share = Math.floor(left / (order.length - k));
      const v = Math.min(caps[order[k]], share);
      x[order[k]] = v; left -= v;
    }
    for (let k = order.length - 1; k >= 0 && left > 0; k--) { const add = Math.min(left, caps[order[k]] - x[order[k]]); x[order[k]] += add; left -= add; }
  }
  return -x.reduce((a, v) => a + lfact(v), 0);
}

/**
 * Visits every way to split `total` over cells with the given caps, with the sum of term(i, x_i) over the cells (x is
 * reused); a visit returning false ends the walk.
 */
function forEachSplit(caps: readonly number[], total: number, term: (i: number, v: number) => number, visit: (x: readonly number[], stat: number) => boolean): void {
  const x = caps.map(() => 0);
  const rest = caps.map((_, i) => caps.slice(i + 1).reduce((a, b) => a + b, 0));
  const walk = (i: number, left: number, stat: number): boolean => {
    if (i === caps.length - 1) {
      if (left > caps[i]) return true;
      x[i] = left;
      return visit(x, stat + term(i, left));
    }
    for (let v = Math.max(0, left - rest[i]); v <= Math.min(left, caps[i]); v++) { x[i] = v; if (!walk(i + 1, left - v, stat + term(i, v))) return false; }
    return true;
  };
  walk(0, total, 0);
}

interface Path { stat: number; count: number }

/**
 * The last two columns of a node in one pass: a split of the rows over the first of them fixes the table (the other
 * column takes the rest), so the splits' statistics are sorted once and each open path adds, by a binary search and a
 * prefix sum, the mass of the splits that keep its table under the limit, instead of being expanded split by split.
 */
function lastTwoColumns(rows: readonly number[], col: number, open: readonly Path[], constant: number, limit: number): { p: number; splits: number } {
  const splits: number[] = [];
  forEachSplit(rows, col, (i, v) => -lfact(v) - lfact(rows[i] - v), (_, stat) => splits.push(stat) > 0);
  const stats = sortedNumbers(splits);
  const top = stats[stats.length - 1];
  const cum = new Float64Array(stats.length + 1);
  for (let k = 0; k < stats.length; k++) cum[k + 1] = cum[k] + Math.exp(stats[k] - top);
  let p = 0;
  for (const path of open) {
    let lo = 0, hi = stats.length; // the first split whose table exceeds the limit
    while (lo < hi) { const mid = (lo + hi) >> 1; if (path.stat + stats[mid] <= limit) lo = mid + 1; else hi = mid; }
    if (lo) p += path.count * Math.exp(constant + path.stat + top) * cum[lo];
  }
  return { p, splits: stats.length };
}

/**
 * Sum of exp(constant + stat) over tables with stat <= limit, or null past MAX_TABLES nodes: the network algorithm
 * (Mehta & Patel 1983) in its plain form. Columns are filled one at a time; a node is the sorted multiset of the
 * remaining row sums (the future depends on nothing else), and paths reaching a node with the same past statistic
 * are merged with a multiplicity. At each node the remaining columns are bounded separately (row coupling ignored,
 * so the bounds are safe): when even the largest possible statistic of a completion keeps the table under the
 * limit, every completion counts and their mass is added in closed form (sum over tables of prod 1/x! =
 * N! / (prod R! prod C!)); when even the smallest exceeds it, the path is dropped. The last two columns are
 * finished per node at once (lastTwoColumns); their splits count as node expansions as the others do.
 */
function enumerate(rows: number[], cols: number[], constant: number, limit: number, maxNodes: number): { p: number; tables: number } | null {
  const c = cols.length;
  const eps = 1e-7;
  let p = 0, nodes = 0;
  let level = new Map<string, { rows: number[]; paths: Map<number, Path> }>();
  level.set(rows.slice().sort((a, b) => a - b).join(','), { rows: rows.slice().sort((a, b) => a - b), paths: new Map([[0, { stat: 0, count: 1 }]]) });
  for (let j = 0; j < c - 1; j++) {
    const next = new Map<string, { rows: number[]; paths: Map<number, Path> }>();
    for (const node of level.values()) {
      let hi = 0, lo = 0, n = 0;
      for (let k = j; k < c; k++) { hi += columnBound(node.rows, cols[k], false); lo += columnBound(node.rows, cols[k], true); n += cols[k]; }
      let mass = lfact(n);
      for (const v of node.rows) mass -= lfact(v);
      for (let k = j; k < c; k++) mass -= lfact(cols[k]);
      const open: Path[] = [];
      for (const path of node.paths.values()) {
        if (path.stat + lo > limit + eps) continue;
        if (path.stat + hi <= limit - eps) { p += path.count * Math.exp(constant + path.stat + mass); continue; }
        open.push(path);
      }
      if (!open.length) continue;
      if (j === c - 2) {
        const last = lastTwoColumns(node.rows, cols[j], open, constant, limit);
        if ((nodes += last.splits) > maxNodes) return null;
        p += last.p;
        continue;
      }
      let over = false;
      forEachSplit(node.rows, cols[j], (_, v) => -lfact(v), (cells, inc) => {
        if ((over = ++nodes > maxNodes)) return false;
        const rest = node.rows.map((v, i) => v - cells[i]).sort((a, b) => a - b);
        const key = rest.join(',');
        let target = next.get(key);
        if (!target) { target = { rows: rest, paths: new Map() }; next.set(key, target); }
        for (const path of open) {
          const stat = path.stat + inc;
          const k = Math.round(stat * 1e8);
          const have = target.paths.get(k);
          if (have) have.count += path.count; else target.paths.set(k, { stat, count: path.count });
        }
        return true;
      });
      if (over) return null;
    }
    level = next;
  }
  return { p, tables: nodes };
}

/** One random table with the given margins: the subjects' column labels permuted against their row labels. */
function randomStat(rowOf: Int32Array, colOf: Int32Array, r: number, c: number, rng: Rng): number {
  for (let i = colOf.length - 1; i > 0; i--) {
    const k = rng.int(i + 1);
    const t = colOf[i]; colOf[i] = colOf[k]; colOf[k] = t;
  }
  const counts = new Int32Array(r * c);
  for (let i = 0; i < rowOf.length; i++) counts[rowOf[i] * c + colOf[i]]++;
  let s = 0;
  for (const v of counts) s -= lfact(v);
  return s;
}

/** fisher.test on an r × c table of counts; `seed`/`replicates` are used only past the enumeration limit. */
export function fisherRxC(table: readonly (readonly number[])[], opts: { seed?: number; replicates?: number; maxNodes?: number } = {}): FisherRxCResult {
  const r = table.length, c = table[0]?.length ?? 0;
  if (r < 2 || c < 2 || table.some((row) => row.length !== c)) throw new StatsError('Fisher exact test: the table needs at least 2 rows and 2 columns of equal length');
  for (const row of table) for (const v of row) if (!(Number.isInteger(v) && v >= 0)) throw new StatsError('Fisher exact test: counts must be non-negative integers');
  const rows = table.map((row) => row.reduce((a, b) => a + b, 0));
  const cols = table[0].map((_, j) => table.reduce((a, row) => a + row[j], 0));
  const n = rows.reduce((a, b) => a + b, 0);
  if (n === 0) throw new StatsError('Fisher exact test: the table is empty');
  const constant = rows.reduce((a, v) => a + lfact(v), 0) + cols.reduce((a, v) => a + lfact(v), 0) - lfact(n);
  const obs = tableStat(table);
  // R: relErr 1 + 1e-7 on the probability, i.e. log P <= log P_obs + log(1 + 1e-7)
  const maxNodes = opts.maxNodes ?? MAX_TABLES;
  const exact = enumerate(rows, cols, constant, obs + Math.log1p(1e-7), maxNodes);
  if (exact) return { test: 'Fisher exact', p: Math.min(1, exact.p), pMethod: 'exact (all tables)', tables: exact.tables, n };
  const B = opts.replicates ?? 2000, seed = opts.seed ?? 1;
  const rowOf = new Int32Array(n), colOf = new Int32Array(n);
  let k = 0;
  table.forEach((row, i) => row.forEach((v, j) => { for (let m = 0; m < v; m++) { rowOf[k] = i; colOf[k] = j; k++; } }));
  const rng = new Rng(seed);
  const almost1 = 1 + 64 * 2.220446049250313e-16;
  let hits = 0;
  for (let b = 0; b < B; b++) if (randomStat(rowOf, colOf, r, c, rng) <= obs / almost1) hits++;
  return { test: 'Fisher exact', p: (1 + hits) / (B + 1), pMethod: `simulated (${B} replicates, seed ${seed}; more than ${maxNodes} network nodes)`, tables: null, n };
}
