/**
 * Stable sort orders of numeric keys without comparator callbacks: the order `idx.sort((a, b) => x[a] - x[b] || a - b)`
 * gives (−0 and 0 tie; keys must not be NaN) from an LSD radix sort, at a fraction of the cost; and a stable counting
 * sort by small integer keys.
 */

/** `input` (indices) stably reordered by keys[index] in 0 … buckets − 1. */
export function countingSort(keys: ArrayLike<number>, buckets: number, input: Int32Array): Int32Array {
  const n = input.length;
  const start = new Int32Array(buckets + 1);
  for (let k = 0; k < n; k++) start[keys[input[k]] + 1]++;
  for (let b = 0; b < buckets; b++) start[b + 1] += start[b];
  const out = new Int32Array(n);
  for (let k = 0; k < n; k++) out[start[keys[input[k]]]++] = input[k];
  return out;
}

/** Indices of x in increasing order of x, ties in index order (x finite or ±Infinity, never NaN). */
export function stableOrder(x: ArrayLike<number>): Int32Array {
  return radixOrder(x instanceof Float64Array ? x : new Float64Array(x));
}

const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/** Buffers of radixOrder for up to n keys, reusable between calls (small inputs sorted many times). */
export class RadixWork {
  readonly key: Uint32Array; readonly count = new Int32Array(8 * 256); readonly a: Int32Array; readonly b: Int32Array;
  constructor(readonly n: number) { this.key = new Uint32Array(2 * n); this.a = new Int32Array(n); this.b = new Int32Array(n); }
}

/**
 * Indices of v by ascending value, stable (ties, −0 and +0 included, in index order): an LSD radix sort (8-bit digits,
 * constant digits skipped) of the IEEE-754 bits mapped to order-preserving unsigned 64-bit keys; v must not hold NaN.
 * With `work` (at least v.length keys), its buffers are used and the order returned is a view of one of them, valid
 * until the next call with that work.
 * Each loop is its own small function: V8 compiles a hot loop on its own (on-stack replacement), and a loop that has
 * not run yet inside the same function would throw that code away (a deoptimisation) on its first call.
 */
export function radixOrder(v: Float64Array, work?: RadixWork): Int32Array {
  const n = v.length;
  if (work && work.n < n) throw new RangeError(`radixOrder: work for ${work.n} keys, got ${n}`);
  const key = work ? work.key : new Uint32Array(2 * n); // key[2i] low word, key[2i + 1] high word
  orderedKeys(new Uint32Array(v.buffer, v.byteOffset, 2 * n), key, n);
  const count = work ? work.count.fill(0) : new Int32Array(8 * 256);
  digitCounts(key, n, count);
  let ord = work ? work.a.subarray(0, n) : new Int32Array(n), tmp = work ? work.b.subarray(0, n) : new Int32Array(n);
  identity(ord);
  for (let d = 0; d < 8; d++) {
    const w = d >> 2, shift = (d & 3) * 8, base = d * 256;
    if (count[base + ((key[w] >>> shift) & 255)] === n) continue; // every key has this digit
    startOffsets(count, base);
    scatter(key, ord, tmp, count, base, w, shift);
    const t = ord; ord = tmp; tmp = t;
  }
  return ord;
}

function identity(ord: Int32Array): void { for (let i = 0; i < ord.length; i++) ord[i] = i; }

/** The 256 counts of one digit at `base` replaced by their exclusive prefix sums. */
function startOffsets(count: Int32Array, base: number): void {
  for (let b = base, sum = 0; b < base + 256; b++) { const c = count[b]; count[b] = sum; sum += c; }
}

/** The order-preserving unsigned 64-bit keys (two 32-bit words, low first) of the doubles whose words are `bits`. */
function orderedKeys(bits: Uint32Array, key: Uint32Array, n: number): void {
  const lo = LITTLE_ENDIAN ? 0 : 1, hi = 1 - lo;
  for (let i = 0; i < n; i++) {
    const l = bits[2 * i + lo], h = bits[2 * i + hi];
    if (h === 0x80000000 && l === 0) { key[2 * i] = 0; key[2 * i + 1] = 0x80000000; } // −0: the key of +0
    else if (h & 0x80000000) { key[2 * i] = ~l >>> 0; key[2 * i + 1] = ~h >>> 0; } else { key[2 * i] = l; key[2 * i + 1] = (h | 0x80000000) >>> 0; }
  }
}

/** One histogram pass for all 8 digits (8 bits each: digits 0-3 from the low word, 4-7 from the high word). */
function digitCounts(key: Uint32Array, n: number, count: Int32Array): void {
  for (let i = 0; i < n; i++) {
    const l = key[2 * i], h = key[2 * i + 1];
    count[l & 255]++; count[256 + ((l >>> 8) & 255)]++; count[512 + ((l >>> 16) & 255)]++; count[768 + (l >>> 24)]++;
    count[1024 + (h & 255)]++; count[1280 + ((h >>> 8) & 255)]++; count[1536 + ((h >>> 16) & 255)]++; count[1792 + (h >>> 24)]++;
  }
}

/** One stable counting pass: ord's indices into tmp by the digit at (word w, shift), count = the digit's start offsets. */
function scatter(key: Uint32Array, ord: Int32Array, tmp: Int32Array, count: Int32Array, base: number, w: number, shift: number): void {
  for (let i = 0; i < ord.length; i++) { const p = ord[i]; tmp[count[base + ((key[2 * p + w] >>> shift) & 255)]++] = p; }
}
