/**
 * Raw-data preparation of rdmlpython's Run.linRegPCR, restated: the reactions as a cycles matrix, "Fill Matrix
 * Gaps" and "Correct negative fluorescence values". Pure; index 0 = cycle 1.
 */

/** Rows padded with NaN to the longest reaction (rdmlpython spans every reaction over cycles 1..max). */
export function toMatrix(fluor: ArrayLike<number>[]): Float64Array[] {
  const n = fluor.reduce((m, f) => Math.max(m, f.length), 0);
  return fluor.map((f) => {
    const row = new Float64Array(n).fill(NaN);
    for (let i = 0; i < f.length; i++) row[i] = Number.isFinite(f[i]) ? f[i] : NaN;
    return row;
  });
}

function nanMin(rows: Float64Array[]): number {
  let m = NaN;
  for (const r of rows) for (const v of r) if (!Number.isNaN(v) && !(v >= m)) m = v;
  return m;
}

/** Leading gaps take the first value, trailing gaps the last; a row without data takes the plate minimum. */
function fillEnds(row: Float64Array, absMin: number): boolean {
  const first = row.findIndex((v) => !Number.isNaN(v));
  if (first < 0) { row.fill(absMin); return true; }
  let last = row.length - 1;
  while (Number.isNaN(row[last])) last--;
  if (first > 0) row.fill(row[first], 0, first);
  if (last < row.length - 1) row.fill(row[last], last + 1);
  return first > 0 || last < row.length - 1;
}

/**
 * Internal gaps, linearly interpolated as rdmlpython does. Its loop keeps the left anchor of a filled gap as the
 * anchor for the next gap when only one value separates them (it updates the anchor only on a valid value that
 * follows a valid value); restated as is so the numbers match, see test/unit/curves/linreg.test.ts.
 */
function fillInside(row: Float64Array): boolean {
  if (!row.some((v) => Number.isNaN(v))) return false;
  const valid = Array.from(row, (v) => !Number.isNaN(v));
  let lastValid = 0, gap = 0;
  for (let pos = 0; pos < row.length; pos++) {
    if (!valid[pos]) { gap++; continue; }
    if (gap > 0) {
      const a = row[lastValid], step = (row[pos] - a) / (gap + 1);
      for (let k = 1; k <= gap; k++) row[lastValid + k] = a + k * step;
      gap = 0;
    } else lastValid = pos;
  }
  return true;
}

/** Fills the gaps in place; returns the indices of the rows that had any (rdmlpython's "Extrapolated" warning). */
export function fillGaps(rows: Float64Array[]): number[] {
  const absMin = nanMin(rows);
  if (Number.isNaN(absMin)) throw new RangeError('LinRegPCR: the fluorescence data have no valid values');
  const gaps = new Set<number>();
  rows.forEach((r, i) => { if (fillEnds(r, absMin)) gaps.add(i); });
  rows.forEach((r, i) => { if (fillInside(r)) gaps.add(i); });
  return [...gaps].sort((a, b) => a - b);
}

/**
 * Rows with a value below 1e-8 are shifted up by (plate max - row min) / 100 - row min (rdmlpython warns that
 * baseline-corrected input gives wrong efficiencies). Returns the shifted copies and the shift per row.
 */
export function positiveShift(rows: Float64Array[]): { pos: Float64Array[]; shift: number[] } {
  let absMax = -Infinity;
  for (const r of rows) for (const v of r) if (v > absMax) absMax = v;
  const shift = rows.map((r) => {
    const m = nanMin([r]);
    return m < 0.00000001 ? (absMax - m) / 100.0 - m : 0;
  });
  return { pos: rows.map((r, i) => (shift[i] ? r.map((v) => v + shift[i]) : Float64Array.from(r))), shift };
}
