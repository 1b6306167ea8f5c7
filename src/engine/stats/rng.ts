/**
 * The project's seeded PRNG: xoshiro128** (Blackman & Vigna 2018), state seeded by splitmix32 from a 32-bit seed.
 * 32-bit integer arithmetic only, so a seed gives the same stream on every machine and JS engine.
 * Used for train/validation splits and bootstrap resampling. Not R's Mersenne-Twister: splits are reproducible
 * across machines, not identical to R's sample().
 */
/** The largest seed: seeds are the integers 0 … 2^32 − 1 (the state is seeded from 32 bits; no silent wrapping). */
export const SEED_MAX = 0xffffffff;

/** True for a seed the study language accepts (an integer in 0 … SEED_MAX). */
export function isValidSeed(x: number): boolean {
  return Number.isInteger(x) && x >= 0 && x <= SEED_MAX;
}

export class Rng {
  private s0: number; private s1: number; private s2: number; private s3: number;

  /** The name written into reports next to the seed. */
  static readonly algorithm = 'xoshiro128** seeded by splitmix32';

  constructor(seed: number) {
    let x = seed >>> 0;
    const next = (): number => {
      x = (x + 0x9e3779b9) >>> 0;
      let z = x;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.s0 = next(); this.s1 = next(); this.s2 = next(); this.s3 = next();
    if ((this.s0 | this.s1 | this.s2 | this.s3) === 0) this.s0 = 1;
  }

  /** Next 32-bit unsigned integer. */
  nextU32(): number {
    const result = Math.imul(rotl(Math.imul(this.s1, 5) >>> 0, 7), 9) >>> 0;
    const t = (this.s1 << 9) >>> 0;
    this.s2 = (this.s2 ^ this.s0) >>> 0;
    this.s3 = (this.s3 ^ this.s1) >>> 0;
    this.s1 = (this.s1 ^ this.s2) >>> 0;
    this.s0 = (this.s0 ^ this.s3) >>> 0;
    this.s2 = (this.s2 ^ t) >>> 0;
    this.s3 = rotl(this.s3, 11);
    return result;
  }

  /** Uniform double in [0, 1) with 53 random bits. */
  uniform(): number {
    const hi = this.nextU32() >>> 5; // 27 bits
    const lo = this.nextU32() >>> 6; // 26 bits
    return (hi * 67108864 + lo) / 9007199254740992;
  }

  /** Unbiased integer in [0, n) by rejection (n <= 2^32). */
  int(n: number): number {
    if (!(n >= 1) || n > 4294967296) throw new RangeError(`Rng.int: n must be in [1, 2^32], got ${n}`);
    const limit = 4294967296 - (4294967296 % n);
    for (;;) {
      const r = this.nextU32();
      if (r < limit) return r % n;
    }
  }

  /** Fisher-Yates shuffle of a copy. */
  shuffle<T>(xs: readonly T[]): T[] {
    const a = xs.slice();
    for (let i = a.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const t = a[i]; a[i] = a[j]; a[j] = t;
    }
    return a;
  }

  /** n indices drawn with replacement from [0, n) (a bootstrap resample). */
  resample(n: number): number[] {
    const out = new Array<number>(n);
    for (let i = 0; i < n; i++) out[i] = this.int(n);
    return out;
  }
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}
