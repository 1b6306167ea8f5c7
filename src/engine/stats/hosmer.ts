/**
 * Hosmer-Lemeshow goodness of fit exactly as ResourceSelection::hoslem.test(x = y, y = p, g):
 * breaks = unique(quantile(p, seq(0, 1, 1/g))) (type-7 quantiles), cut(p, breaks, include.lowest = TRUE) (right-closed
 * intervals, the first also closed on the left), chi-square summed over BOTH columns (non-events and events).
 * df = groups actually formed - 2 (hoslem.test itself uses g - 2; identical whenever all g groups form, which is the
 * usual case; with many tied predictions fewer groups form and g - 2 would be wrong).
 * If a group is empty (possible with interpolated quantiles on tiny samples) R's statistic is NaN: here chisq and p
 * are null and `warning` says why.
 */
import { StatsError } from './errors';
import { pchisqUpper } from './dist';
import { quantile7Sorted } from '../../shared/quantile';

export interface HosmerLemeshowResultData {
  chisq: number | null;
  df: number;
  p: number | null;
  groups: number;
  g: number;
  table: { group: string; n: number; observed: number; expected: number; observed0: number; expected0: number }[];
  warning?: string;
}

/** C's printf("%.*g", dig, x) as R's formatC(x, digits = dig, width = 1). */
export function formatG(x: number, dig: number): string {
  if (x === 0) return '0';
  if (!Number.isFinite(x)) return x > 0 ? 'Inf' : x < 0 ? '-Inf' : 'NaN';
  const e = Number(x.toExponential(dig - 1).split('e')[1]);
  if (e < -4 || e >= dig) {
    let [mant, ex] = x.toExponential(dig - 1).split('e');
    if (mant.includes('.')) mant = mant.replace(/0+$/, '').replace(/\.$/, '');
    const ev = Number(ex);
    return `${mant}e${ev < 0 ? '-' : '+'}${String(Math.abs(ev)).padStart(2, '0')}`;
  }
  let f = x.toFixed(Math.max(0, dig - 1 - e));
  if (f.includes('.')) f = f.replace(/0+$/, '').replace(/\.$/, '');
  return f;
}

export function hosmerLemeshow(y: number[], p: number[], g = 10): HosmerLemeshowResultData {
  if (y.length !== p.length) throw new StatsError(`Hosmer-Lemeshow: ${y.length} outcomes but ${p.length} predictions`);
  if (!Number.isInteger(g) || g < 3) throw new StatsError(`Hosmer-Lemeshow: g must be an integer >= 3, got ${g}`);
  const n = y.length;
  if (n === 0) throw new StatsError('Hosmer-Lemeshow: no observations');
  for (let i = 0; i < n; i++) {
    if (y[i] !== 0 && y[i] !== 1) throw new StatsError(`Hosmer-Lemeshow: outcome must be 0/1, got ${y[i]} at row ${i + 1}`);
    if (!(p[i] >= 0 && p[i] <= 1)) throw new StatsError(`Hosmer-Lemeshow: predicted probability must be in [0, 1], got ${p[i]} at row ${i + 1}`);
  }
  const s = p.slice().sort((a, b) => a - b);
  const by = 1 / g;
  const breaks: number[] = [];
  for (let i = 0; i <= g; i++) {
    const q = quantile7Sorted(s, Math.min(i * by, 1));
    if (!breaks.includes(q)) breaks.push(q);
  }
  breaks.sort((a, b) => a - b);
  const nb = breaks.length;
  if (nb < 2) throw new StatsError('Hosmer-Lemeshow: all predicted probabilities are identical; no groups can be formed');
  const k = nb - 1;
  const cnt = new Array<number>(k).fill(0), o1 = new Array<number>(k).fill(0), e1 = new Array<number>(k).fill(0);
  for (let i = 0; i < n; i++) {
    const v = p[i];
    // right-closed (breaks[j], breaks[j+1]]; v == breaks[0] goes to the first group (include.lowest)
    let lo = 0, hi = nb - 1;
    while (hi - lo > 1) { const mid = (lo + hi) >> 1; if (v > breaks[mid]) lo = mid; else hi = mid; }
    cnt[lo]++; o1[lo] += y[i]; e1[lo] += v;
  }
  // Labels as cut(): formatC(breaks, digits = 3..12) until neighbours differ.
  let lab: string[] = [];
  for (let dig = 3; dig <= 12; dig++) {
    lab = breaks.map((b) => formatG(b, dig));
    let ok = true;
    for (let j = 1; j < nb; j++) if (lab[j] === lab[j - 1]) ok = false;
    if (ok) break;
  }
  const table = cnt.map((c, j) => ({
    group: `${j === 0 ? '[' : '('}${lab[j]},${lab[j + 1]}]`, n: c, observed: o1[j], expected: e1[j], observed0: c - o1[j], expected0: c - e1[j],
  }));
  const groups = cnt.filter((c) => c > 0).length;
  const df = groups - 2;
  if (groups < k || df < 1) {
    return { chisq: null, df, p: null, groups, g, table, warning: groups < k ? 'Hosmer-Lemeshow: an empty group was formed (too few distinct predictions); the statistic is undefined' : 'Hosmer-Lemeshow: fewer than 3 groups; the statistic is undefined' };
  }
  let chisq = 0;
  for (const t of table) chisq += (t.observed0 - t.expected0) ** 2 / t.expected0 + (t.observed - t.expected) ** 2 / t.expected;
  const res: HosmerLemeshowResultData = { chisq, df, p: pchisqUpper(chisq, df), groups, g, table };
  if (groups < g) res.warning = `Hosmer-Lemeshow: only ${groups} groups could be formed (ties in predicted risk); df = ${df}`;
  return res;
}
