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

/**
 * Digits of radixOrder's keys (word 0 = the low 32 bits, 1 = the high ones): eight 8-bit digits, or for many keys six
 * of 11, 11 and 10 bits (fewer passes over the keys, histograms of 2,048 counts).
 */
interface Digits { readonly word: readonly number[]; readonly shift: readonly number[]; readonly size: number }
const NARROW: Digits = { word: [0, 0, 0, 0, 1, 1, 1, 1], shift: [0, 8, 16, 24, 0, 8, 16, 24], size: 256 };
const WIDE: Digits = { word: [0, 0, 0, 1, 1, 1], shift: [0, 11, 22, 0, 11, 22], size: 2048 };
const WIDE_FROM = 1 << 14;
const digitsFor = (n: number): Digits => (n >= WIDE_FROM ? WIDE : NARROW);

/** Buffers of radixOrder for up to n keys, reusable between calls (small inputs sorted many times). */
export class RadixWork {
  readonly key: Uint32Array; readonly count: Int32Array; readonly a: Int32Array; readonly b: Int32Array;
  constructor(readonly n: number) {
    const d = digitsFor(n);
    this.key = new Uint32Array(2 * n); this.count = new Int32Array(d.word.length * d.size); this.a = new Int32Array(n); this.b = new Int32Array(n);
  }
}

/**
 * Indices of v by ascending value, stable (ties, −0 and +0 included, in index order): an LSD radix sort (see Digits;
 * constant digits skipped) of the IEEE-754 bits mapped to order-preserving unsigned 64-bit keys; v must not hold NaN.
 * With `work` (at least v.length keys), its buffers are used and the order returned is a view of one of them, valid
 * until the next call with that work.
 * Each loop is its own small function: V8 compiles a hot loop on its own (on-stack replacement), and a loop that has
 * not run yet inside the same function would throw that code away (a deoptimisation) on its first call.
 */
export function radixOrder(v: Float64Array, work?: RadixWork): Int32Array {
  const n = v.length;
  if (work && work.n < n) throw new RangeError(`radixOrder: work for ${work.n} keys, got ${n}`);
  const digits = digitsFor(n), nd = digits.word.length, size = digits.size;
  const key = work ? work.key : new Uint32Array(2 * n); // key[2i] low word, key[2i + 1] high word
  orderedKeys(new Uint32Array(v.buffer, v.byteOffset, 2 * n), key, n);
  const count = work ? work.count.fill(0, 0, nd * size) : new Int32Array(nd * size);
  if (digits === WIDE) wideCounts(key, n, count); else narrowCounts(key, n, count);
  let ord = work ? work.a.subarray(0, n) : new Int32Array(n), tmp = work ? work.b.subarray(0, n) : new Int32Array(n);
  identity(ord);
  for (let d = 0; d < nd; d++) {
    const w = digits.word[d], shift = digits.shift[d], base = d * size, mask = size - 1;
    if (count[base + ((key[w] >>> shift) & mask)] === n) continue; // every key has this digit
    startOffsets(count, base, size);
    scatter(key, ord, tmp, count, base, w, shift, mask);
    const t = ord; ord = tmp; tmp = t;
  }
  return ord;
}

function identity(ord: Int32Array): void { for (let i = 0; i < ord.length; i++) ord[i] = i; }

/** The `size` counts of one digit at `base` replaced by their exclusive prefix sums. */
function startOffsets(count: Int32Array, base: number, size: number): void {
  for (let b = base, sum = 0; b < base + size; b++) { const c = count[b]; count[b] = sum; sum += c; }
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

/** One histogram pass for the eight 8-bit digits (NARROW). */
function narrowCounts(key: Uint32Array, n: number, count: Int32Array): void {
  for (let i = 0; i < n; i++) {
    const l = key[2 * i], h = key[2 * i + 1];
    count[l & 255]++; count[256 + ((l >>> 8) & 255)]++; count[512 + ((l >>> 16) & 255)]++; count[768 + (l >>> 24)]++;
    count[1024 + (h & 255)]++; count[1280 + ((h >>> 8) & 255)]++; count[1536 + ((h >>> 16) & 255)]++; count[1792 + (h >>> 24)]++;
  }
}

/** One histogram pass for the six 11/11/10-bit digits (WIDE). */
function wideCounts(key: Uint32Array, n: number, count: Int32Array): void {
  for (let i = 0; i < n; i++) {
    const l = key[2 * i], h = key[2 * i + 1];
    count[l & 2047]++; count[2048 + ((l >>> 11) & 2047)]++; count[4096 + (l >>> 22)]++;
    count[6144 + (h & 2047)]++; count[8192 + ((h >>> 11) & 2047)]++; count[10240 + (h >>> 22)]++;
  }
}

/** One stable counting pass: ord's indices into tmp by the digit (key word w >>> shift) & mask at the offsets in count. */
function scatter(key: Uint32Array, ord: Int32Array, tmp: Int32Array, count: Int32Array, base: number, w: number, shift: number, mask: number): void {
  for (let i = 0; i < ord.length; i++) { const p = ord[i]; tmp[count[base + ((key[2 * p + w] >>> shift) & mask)]++] = p; }
}
