/** Loader for test/golden/basic.json (written by test/golden/basic.R): maps "Inf"/"-Inf" strings and {} (R NULL). */
import { readGolden } from '../helpers';

export const G: any = readGolden('basic.json');

/** A golden number: "Inf" / "-Inf" strings back to numbers, R NULL (written as {} or null) to null. */
export function num(v: unknown): number | null {
  if (v === 'Inf') return Infinity;
  if (v === '-Inf') return -Infinity;
  if (typeof v === 'number') return v;
  return null;
}

export function nums(v: unknown): (number | null)[] | null {
  if (!Array.isArray(v)) return null;
  return v.map(num);
}

export function isNull(v: unknown): boolean {
  return v === null || v === undefined || (typeof v === 'object' && !Array.isArray(v) && Object.keys(v as object).length === 0);
}
