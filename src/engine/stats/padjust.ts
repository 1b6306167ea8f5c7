/**
 * Multiple-testing adjustment exactly as R's p.adjust(p, method) with its default n (the number of non-missing
 * p-values): holm, hochberg, hommel, bonferroni, BH (fdr) and BY. Missing p-values (null) stay missing and do not
 * count in n. Sorting is stable, as R's order(); tied p-values get equal adjusted values.
 */
import { StatsError } from './errors';

export const P_ADJUST_METHODS = ['holm', 'hochberg', 'hommel', 'bonferroni', 'bh', 'by'] as const;
export type PAdjustMethod = (typeof P_ADJUST_METHODS)[number];

/** Display names as R's p.adjust spells the methods (short enough for a table column: "p (BH)"). */
export const P_ADJUST_LABEL: Record<PAdjustMethod, string> = {
  holm: 'Holm', hochberg: 'Hochberg', hommel: 'Hommel', bonferroni: 'Bonferroni', bh: 'BH', by: 'BY',
};

/** Indices 0..n-1 ordered by p ascending (or descending), ties in input order. */
function orderBy(p: readonly number[], decreasing: boolean): number[] {
  return p.map((_, i) => i).sort((a, b) => (decreasing ? p[b] - p[a] : p[a] - p[b]) || a - b);
}

/** Step-up (decreasing p, cumulative minimum of factor(i) p) or step-down (increasing p, cumulative maximum). */
function stepwise(p: readonly number[], decreasing: boolean, factor: (rank: number) => number): number[] {
  const n = p.length;
  const o = orderBy(p, decreasing);
  const out = new Array<number>(n);
  let acc = decreasing ? Infinity : -Infinity;
  o.forEach((idx, k) => {
    const rank = decreasing ? n - k : k + 1; // R's i: lp:1 for step-up, 1:lp for step-down
    const v = factor(rank) * p[idx];
    acc = decreasing ? Math.min(acc, v) : Math.max(acc, v);
    out[idx] = Math.min(1, acc);
  });
  return out;
}

/** Hommel's method as R's p.adjust (closed testing with Simes' tests). */
function hommel(pIn: readonly number[]): number[] {
  const n = pIn.length;
  const o = orderBy(pIn, false);
  const p = o.map((i) => pIn[i]);
  let init = Infinity;
  for (let i = 0; i < n; i++) init = Math.min(init, (n * p[i]) / (i + 1));
  const q = new Array<number>(n).fill(init);
  const pa = new Array<number>(n).fill(init);
  for (let j = n - 1; j >= 2; j--) {
    const lowCount = n - j + 1; // ij = 1..n-j+1
    let q1 = Infinity;
    for (let k = 2; k <= j; k++) q1 = Math.min(q1, (j * p[n - j + k - 1]) / k); // i2 = n-j+2..n over 2..j
    for (let i = 0; i < lowCount; i++) q[i] = Math.min(j * p[i], q1);
    for (let i = lowCount; i < n; i++) q[i] = q[lowCount - 1];
    for (let i = 0; i < n; i++) pa[i] = Math.max(pa[i], q[i]);
  }
  const out = new Array<number>(n);
  o.forEach((idx, k) => { out[idx] = Math.max(pa[k], p[k]); });
  return out;
}

/** Adjusted p-values in input order; nulls stay null. */
export function pAdjust(p: readonly (number | null)[], method: PAdjustMethod): (number | null)[] {
  const idx: number[] = [];
  const vals: number[] = [];
  p.forEach((v, i) => {
    if (v === null || v === undefined || Number.isNaN(v)) return;
    if (!(v >= 0 && v <= 1)) throw new StatsError(`p.adjust: p-value ${v} is outside [0, 1]`);
    idx.push(i); vals.push(v);
  });
  const n = vals.length;
  const out: (number | null)[] = p.map(() => null);
  if (n === 0) return out;
  let adj: number[];
  if (n === 1) adj = vals.slice();
  else {
    switch (method) {
      case 'bonferroni': adj = vals.map((v) => Math.min(1, n * v)); break;
      case 'holm': adj = stepwise(vals, false, (i) => n + 1 - i); break;
      case 'hochberg': adj = stepwise(vals, true, (i) => n + 1 - i); break;
      case 'hommel': adj = n === 2 ? stepwise(vals, true, (i) => n + 1 - i) : hommel(vals); break;
      case 'bh': adj = stepwise(vals, true, (i) => n / i); break;
      case 'by': {
        let q = 0;
        for (let k = 1; k <= n; k++) q += 1 / k;
        adj = stepwise(vals, true, (i) => (q * n) / i);
        break;
      }
      default: throw new StatsError(`p.adjust: unknown method ${String(method)}`);
    }
  }
  idx.forEach((i, k) => { out[i] = adj[k]; });
  return out;
}
