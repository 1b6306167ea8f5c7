/**
 * Dense ids for pairs of strings (position × target, sample × target): an open-addressing hash table over
 * Int32Arrays. On a 1M-well plate with 1M distinct positions this is several times faster than a
 * `Map<string, …>` (and than a Map keyed by a concatenated `a\0b` string, which also allocates a key per well).
 * Pairs compare exactly (`a === a'` and `b === b'`); ids are 0, 1, 2, ... in order of first insertion.
 */
export class StringPairIndex {
  #mask: number;
  #slot: Int32Array;   // id + 1 (0 = empty)
  #hash: Int32Array;
  #a: string[] = [];
  #b: string[] = [];

  constructor(expected = 16) {
    let cap = 16;
    while (cap < expected * 2) cap *= 2;
    this.#mask = cap - 1;
    this.#slot = new Int32Array(cap);
    this.#hash = new Int32Array(cap);
  }

  /** Number of distinct pairs. */
  get size(): number { return this.#a.length; }

  /** The id of (a, b), or -1. */
  find(a: string, b: string): number {
    const h = pairHash(a, b);
    const slot = this.#slot, hash = this.#hash, mask = this.#mask;
    for (let j = h & mask; ; j = (j + 1) & mask) {
      const s = slot[j];
      if (s === 0) return -1;
      if (hash[j] === h && this.#a[s - 1] === a && this.#b[s - 1] === b) return s - 1;
    }
  }

  /** The id of (a, b), adding the pair (id = the previous size) when it is new. */
  id(a: string, b: string): number {
    const h = pairHash(a, b);
    const slot = this.#slot, hash = this.#hash, mask = this.#mask;
    let j = h & mask;
    for (; ; j = (j + 1) & mask) {
      const s = slot[j];
      if (s === 0) break;
      if (hash[j] === h && this.#a[s - 1] === a && this.#b[s - 1] === b) return s - 1;
    }
    const id = this.#a.length;
    this.#a.push(a); this.#b.push(b);
    slot[j] = id + 1; hash[j] = h;
    if (this.#a.length * 2 > mask) this.#grow();
    return id;
  }

  #grow(): void {
    const oldSlot = this.#slot, oldHash = this.#hash;
    const cap = oldSlot.length * 2;
    const mask = cap - 1;
    const slot = new Int32Array(cap), hash = new Int32Array(cap);
    for (let i = 0; i < oldSlot.length; i++) {
      const s = oldSlot[i];
      if (s === 0) continue;
      const h = oldHash[i];
      let j = h & mask;
      while (slot[j] !== 0) j = (j + 1) & mask;
      slot[j] = s; hash[j] = h;
    }
    this.#slot = slot; this.#hash = hash; this.#mask = mask;
  }
}

/** FNV-1a over the UTF-16 code units of `a`, a separator that cannot be a code unit, then `b`. */
function pairHash(a: string, b: string): number {
  let h = 0x811c9dc5 | 0;
  for (let i = 0; i < a.length; i++) h = Math.imul(h ^ a.charCodeAt(i), 16777619);
  h = Math.imul(h ^ 0x10000, 16777619);
  for (let i = 0; i < b.length; i++) h = Math.imul(h ^ b.charCodeAt(i), 16777619);
  return h ^ (h >>> 15);
}
