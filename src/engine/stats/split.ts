/**
 * Seeded random split of n rows into groups (e.g. train / validation 70 / 30), optionally stratified.
 *
 * Determinism: the only randomness is Rng (xoshiro128** seeded by splitmix32, 32-bit integer arithmetic), so a seed
 * gives the same split on every machine and JS engine. It is NOT R's set.seed(); sample(): a paper's R split cannot be
 * reproduced, only re-made reproducibly here (record the seed, Rng.algorithm and the assignment).
 *
 * Group sizes (documented rule): largest-remainder (Hamilton) rounding of n · f_i / Σf. Each group first gets
 * floor(n · f_i / Σf); the rows left over go one each to the groups with the largest fractional parts, ties to the
 * earlier group. So 252 at 70/30 gives 176.4 / 75.6 -> 176 / 76, and 75 at 70/30 gives 52.5 / 22.5 -> 53 / 22.
 * (The seed 002 paper reports 181 / 71 of 252, which is not 70/30 under any rounding: it cannot be reproduced by
 * proportions; pass fractions [181, 71] to get those sizes.)
 *
 * Stratified: each stratum's sizes are floor(n_s · f_i / Σf) plus its left-over rows, which are allotted so that the
 * overall group sizes equal the unstratified rule above (largest fractional parts first, each stratum giving at most
 * one extra row to each group where possible). So proportions hold within every stratum to within one row and
 * the totals are the same as without strata.
 *
 * Assignment: unstratified, one Fisher-Yates shuffle of 0..n-1 and consecutive blocks of the shuffled order go to
 * group 0, 1, ...; stratified, strata are taken in order of first appearance and each stratum's row indices
 * (ascending) are shuffled with the same Rng stream and cut into blocks the same way.
 */
import { StatsError } from './errors';
import { Rng } from './rng';

function checkFractions(fractions: readonly number[]): number {
  if (fractions.length < 1) throw new StatsError('split: no fractions given');
  let s = 0;
  fractions.forEach((f, i) => {
    if (!(Number.isFinite(f) && f >= 0)) throw new StatsError(`split: fraction ${i + 1} is ${f}; fractions must be finite and >= 0`);
    s += f;
  });
  if (!(s > 0)) throw new StatsError('split: fractions sum to 0');
  return s;
}

/** Group sizes of n rows by the largest-remainder rule (see the module comment). */
export function splitSizes(n: number, fractions: readonly number[]): number[] {
  if (!(Number.isInteger(n) && n >= 0)) throw new StatsError(`split: n must be a non-negative integer, got ${n}`);
  const total = checkFractions(fractions);
  const exact = fractions.map(f => (n * f) / total);
  const sizes = exact.map(Math.floor);
  let left = n - sizes.reduce((a, b) => a + b, 0);
  const order = exact.map((e, i) => ({ i, rem: e - Math.floor(e) })).sort((a, b) => b.rem - a.rem || a.i - b.i);
  for (let k = 0; left > 0; k = (k + 1) % order.length, left--) sizes[order[k].i]++;
  return sizes;
}

/**
 * Group index (0-based, in the order of `fractions`) for each of n rows. `seed` is any integer (used modulo 2^32).
 * `strata` (length n) keeps the proportions within each stratum; missing strata are not allowed (use a level such
 * as "NA" explicitly).
 */
export function seededSplit(n: number, fractions: readonly number[], seed: number, strata?: readonly (string | number)[]): number[] {
  const sizes = splitSizes(n, fractions);
  if (!Number.isFinite(seed) || !Number.isInteger(seed)) throw new StatsError(`split: seed must be an integer, got ${seed}`);
  const rng = new Rng(seed >>> 0);
  const out = new Array<number>(n).fill(-1);
  const assign = (idx: number[], groupSizes: number[]): void => {
    const sh = rng.shuffle(idx);
    let pos = 0;
    groupSizes.forEach((sz, g) => {
      for (let k = 0; k < sz; k++) out[sh[pos++]] = g;
    });
  };
  if (strata === undefined) {
    assign(Array.from({ length: n }, (_, i) => i), sizes);
    return out;
  }
  if (strata.length !== n) throw new StatsError(`split: strata has ${strata.length} values for ${n} rows`);
  const byStratum = new Map<string, number[]>();
  strata.forEach((s, i) => {
    if (s === null || s === undefined || (typeof s === 'number' && !Number.isFinite(s))) {
      throw new StatsError(`split: stratum of row ${i + 1} is missing`);
    }
    const key = `${typeof s}:${String(s)}`;
    let a = byStratum.get(key);
    if (!a) { a = []; byStratum.set(key, a); }
    a.push(i);
  });
  const total = fractions.reduce((a, b) => a + b, 0);
  const k = fractions.length;
  const strataList = [...byStratum.values()];
  // floors per stratum and what is left to allot
  const cell = strataList.map(rows => fractions.map(f => Math.floor((rows.length * f) / total)));
  const rem = strataList.map(rows => fractions.map(f => (rows.length * f) / total - Math.floor((rows.length * f) / total)));
  const needS = strataList.map((rows, s) => rows.length - cell[s].reduce((a, b) => a + b, 0));
  const needG = sizes.map((sz, g) => sz - cell.reduce((a, c) => a + c[g], 0));
  const cand: { s: number; g: number; rem: number }[] = [];
  strataList.forEach((_, s) => { for (let g = 0; g < k; g++) cand.push({ s, g, rem: rem[s][g] }); });
  cand.sort((a, b) => b.rem - a.rem || a.s - b.s || a.g - b.g);
  const bumped = strataList.map(() => new Array<boolean>(k).fill(false));
  for (const pass of [0, 1, 2]) {
    for (const c of cand) {
      if (needS[c.s] === 0 || needG[c.g] === 0) continue;
      // pass 0: positive remainders only; pass 1: any group not yet bumped for this stratum; pass 2: anything left
      if (pass === 0 && (c.rem <= 0 || bumped[c.s][c.g])) continue;
      if (pass === 1 && bumped[c.s][c.g]) continue;
      cell[c.s][c.g]++; bumped[c.s][c.g] = true; needS[c.s]--; needG[c.g]--;
    }
  }
  for (let s = 0; s < strataList.length; s++) {
    while (needS[s] > 0) { // not reachable in practice: Σ needS = Σ needG; kept as a guard
      const g = needG.findIndex(v => v > 0);
      cell[s][g]++; needS[s]--; needG[g]--;
    }
  }
  strataList.forEach((rows, s) => assign(rows, cell[s]));
  return out;
}
