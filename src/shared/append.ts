/**
 * Appends `src` to `dst`, element by element: `dst.push(...src)` passes every element as an argument and overflows
 * the stack for long lists (a 1 MiB chunk of short lines is half a million of them; a PDF path of a long curve has as many ops).
 */
export function append<T>(dst: T[], src: readonly T[]): void {
  for (let i = 0; i < src.length; i++) dst.push(src[i]);
}
