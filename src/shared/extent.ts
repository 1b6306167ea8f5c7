/**
 * The smallest and largest of a list of numbers, as `Math.min(...xs)` and `Math.max(...xs)` give them (NaN when one
 * is NaN, Infinity / -Infinity when the list is empty), without passing every number as an argument: a list of about
 * a hundred thousand overflows the stack (a biobank study's chart of a million subjects).
 */
export function minOf(xs: readonly number[]): number {
  let m = Infinity;
  for (let i = 0; i < xs.length; i++) m = Math.min(m, xs[i]);
  return m;
}

export function maxOf(xs: readonly number[]): number {
  let m = -Infinity;
  for (let i = 0; i < xs.length; i++) m = Math.max(m, xs[i]);
  return m;
}
