/** Reads test/golden/survival.json (written by test/golden/survival.R); jsonlite writes NA/NaN/Inf as strings. */
import { readGolden } from '../helpers';

export function fix(v: unknown): any {
  if (v === 'NA' || v === 'NaN') return null;
  if (v === 'Inf') return Infinity;
  if (v === '-Inf') return -Infinity;
  if (Array.isArray(v)) return v.map(fix);
  if (v !== null && typeof v === 'object') {
    const o: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v as Record<string, unknown>)) o[k] = fix(x);
    return o;
  }
  return v;
}

let cache: any = null;
export function golden(): any {
  if (cache === null) cache = fix(readGolden('survival.json'));
  return cache;
}

/** R vectors of length 1 are written unboxed; make them arrays again. */
export function arr<T>(v: T | T[]): T[] { return Array.isArray(v) ? v : [v]; }

/** Columns (as R lists of column vectors) to rows. */
export function rows(...cols: number[][]): number[][] {
  return cols[0].map((_, i) => cols.map((c) => c[i]));
}
