/**
 * Grouping by hash over typed arrays (`firstOccurrences`, `firstOfStrings`, `matchStrings`) and the FNV-1a steps the
 * hashes are made of. The plate import's table of distinct strings (plate/wellStore.ts `TextIds`) keeps its ids in
 * an open-addressing table of the same layout: an entry is two adjacent int32s (id + 1, hash), one cache line a probe.
 */
/** FNV-1a's start (the offset basis as an int32); steps: `fnvStep` (one value), `fnvChars` (code units); `fnvFinish`. */
export const FNV_OFFSET = 0x811c9dc5 | 0;
/** One FNV-1a step: `x` mixed into `h` (a code unit, or a value above 0xffff that no code unit can be). */
export function fnvStep(h: number, x: number): number {
  return Math.imul(h ^ x, 16777619);
}
/** FNV-1a steps over the first `n` UTF-16 code units of `s`. */
export function fnvChars(h: number, s: string, n = s.length): number {
  return fnvCharsIn(h, s, 0, n);
}
/** FNV-1a steps over the code units `from ..< to` of `s`. */
export function fnvCharsIn(h: number, s: string, from: number, to: number): number {
  for (let i = from; i < to; i++) h = fnvStep(h, s.charCodeAt(i));
  return h;
}
/** The final mix of the hashes built from these steps (spreads the high bits into the low ones). */
export function fnvFinish(h: number): number {
  return h ^ (h >>> 15);
}

/** FNV-1a over the UTF-16 code units of `a`, a separator that cannot be a code unit, then `b`. */
export function pairHash(a: string, b: string): number {
  return pairHashEnd(pairHashStart(a), b);
}
/** `pairHash` in two parts: `pairHashEnd(pairHashStart(a), b)`, the first kept for several `b`. */
export function pairHashStart(a: string): number {
  return fnvStep(fnvChars(FNV_OFFSET, a), 0x10000);
}
export function pairHashEnd(start: number, b: string): number {
  return fnvFinish(fnvChars(start, b));
}

/** Wells per partition in `firstOccurrences`: its hash table (2 × 2^14 int32 pairs = 256 KB) stays in cache. */
const PARTITION = 8192;

/**
 * Grouping of items by a key given as a hash per item (e.g. `pairHash(w.sample, w.target)`) and an exact equality
 * `same(i, j)`. IN PLACE: `hash` is overwritten with the answer, first[i] = the index of the first item with item
 * i's key (i itself for the first one), or -1 for an item that is not used, and returned. `use[i]`: 0 = not used,
 * 1 = used, 2 = used and known to have the same key as the previous used item (runs of equal keys such as adjacent
 * replicate rows then skip the table).
 *
 * Same answer as looking every item up in one hash table in index order, but cache friendly for millions of
 * items: the items are first split by the top bits of their hash into partitions of about PARTITION items (stable,
 * so each partition keeps index order), then each partition is grouped with a small table that stays in cache.
 * A single table over 1M distinct keys is 16 MB and costs a cache miss per item. `same` is only called when two
 * hashes are equal (true duplicates and rare collisions).
 *
 * Memory: besides a small table, two int32s per item with use = 1. Callers on 1M-well plates keep their per-well
 * arrays few and small for the same reason: typed-array memory is external to the V8 heap, and more than 64 MB of
 * it since the last full GC makes V8 start a full mark-compact (~300 ms on a heap holding a 1M-well plate).
 */
export function firstOccurrences(hash: Int32Array, use: Uint8Array, same: (i: number, j: number) => boolean): Int32Array {
  const n = hash.length;
  let used = 0;
  for (let i = 0; i < n; i++) if (use[i] === 1) used++;
  let bits = 0;
  while ((PARTITION << bits) < used && bits < 16) bits++;
  const parts = 1 << bits;
  const part = (h: number) => (bits === 0 ? 0 : h >>> (32 - bits));
  // Counting sort of the used items by partition (stable).
  const start = new Int32Array(parts + 1);
  for (let i = 0; i < n; i++) if (use[i] === 1) start[part(hash[i]) + 1]++;
  let largest = 0;
  for (let p = 0; p < parts; p++) { largest = Math.max(largest, start[p + 1]); start[p + 1] += start[p]; }
  const fill = start.slice(0, parts);
  const item = new Int32Array(used), itemHash = new Int32Array(used); // hashes copied along: read in order below
  for (let i = 0; i < n; i++) {
    if (use[i] !== 1) continue;
    const k = fill[part(hash[i])]++;
    item[k] = i; itemHash[k] = hash[i];
  }
  // Group each partition with one open-addressing table: [2j] = item index + 1 (0 = empty), [2j + 1] = its hash.
  let capMax = 16;
  while (capMax < largest * 2) capMax *= 2;
  const table = new Int32Array(capMax * 2);
  for (let p = 0; p < parts; p++) {
    const lo = start[p], hi = start[p + 1];
    if (lo === hi) continue;
    let cap = 16;
    while (cap < (hi - lo) * 2) cap *= 2;
    const mask = cap - 1;
    table.fill(0, 0, cap * 2);
    for (let k = lo; k < hi; k++) {
      const i = item[k], h = itemHash[k];
      for (let j = h & mask; ; j = (j + 1) & mask) {
        const s = table[2 * j];
        if (s === 0) { table[2 * j] = i + 1; table[2 * j + 1] = h; hash[i] = i; break; }
        if (table[2 * j + 1] === h && same(s - 1, i)) { hash[i] = s - 1; break; }
      }
    }
  }
  // Unused items get -1; items in a run of equal keys share the first item of the run's key.
  for (let i = 0, last = -1; i < n; i++) {
    if (use[i] === 0) hash[i] = -1;
    else { if (use[i] === 2) hash[i] = hash[last]; last = i; }
  }
  return hash;
}

/**
 * `firstOccurrences` over strings: first[i] = the index of the first of the `n` strings equal to `at(i)`, −1 where
 * `at(i)` is null (not grouped). A string equal to the previous non-null one is not hashed again (names come in runs).
 */
export function firstOfStrings(n: number, at: (i: number) => string | null): Int32Array {
  const hash = new Int32Array(n), use = new Uint8Array(n);
  let previous: string | null = null;
  for (let i = 0; i < n; i++) {
    const s = at(i);
    if (s === null) continue;
    if (s === previous) { use[i] = 2; continue; }
    hash[i] = pairHash(s, '');
    use[i] = 1;
    previous = s;
  }
  return firstOccurrences(hash, use, (a, b) => at(a) === at(b));
}

/**
 * The strings of `b` found in `a`, and the other way round, by one grouping of both (`firstOfStrings`; no map of
 * either). `inA[i]`: the index of the LAST string of `a` equal to `b[i]` (a repeated key's last row, as a map filled
 * in order keeps it), -1 when none; `inB[j]`: the index of the first string of `b` equal to `a[j]`, -1 when none.
 */
export function matchStrings(a: readonly string[], b: readonly string[]): { inA: Int32Array; inB: Int32Array } {
  const na = a.length, nb = b.length;
  const first = firstOfStrings(na + nb, (i) => (i < na ? a[i] : b[i - na]));
  // Per group of `a` (by its first index): its last index in `a` and its first index in `b`.
  const lastA = new Int32Array(na), firstB = new Int32Array(na).fill(-1);
  for (let j = 0; j < na; j++) lastA[first[j]] = j;
  const inA = new Int32Array(nb);
  for (let i = 0; i < nb; i++) {
    const g = first[na + i];
    inA[i] = g < na ? lastA[g] : -1;
    if (g < na && firstB[g] < 0) firstB[g] = i;
  }
  const inB = new Int32Array(na);
  for (let j = 0; j < na; j++) inB[j] = firstB[first[j]];
  return { inA, inB };
}
