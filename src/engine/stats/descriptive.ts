/**
 * Descriptive statistics as R computes them (mean, var/sd with n - 1, median, quantile type 7, IQR), ranks with
 * average ties (R's rank(ties.method = "average")), Table 1 formatters and `describeTable` (a Table 1 with the test
 * used in each row labelled).
 *
 * Input convention: plain numeric arrays with no missing values. NaN / Infinity throw StatsError naming the index:
 * callers (the study runner, describeTable) drop incomplete rows first and report how many.
 */
import { StatsError } from './errors';
import { medianSorted, quantile7Sorted, sortedNumbers } from '../../shared/quantile';
import { fisherRxC } from './fisherRxC';
import { mean, need, sd } from './basic';
import {
  tTest, oneWayAnova, chisqTest, fisherExact, mannWhitney, kruskalWallis, type Alternative, type TestResult,
} from './tests';

/** A one-sided alternative asked of a row whose test has none (k groups, chi-square, Fisher r x c). */
export class OneSidedError extends StatsError {}

export { checkFinite, magnitudeScale, mean, variance, sd, rank, tieSizes } from './basic';

/** Median as R: the middle value, or the mean of the two middle values. */
export function median(x: readonly number[], what = 'x'): number {
  need(x, 1, what, 'median');
  return medianSorted(sortedNumbers(x));
}

/**
 * Quantiles exactly as R's quantile(x, p, type = 7): index h = 1 + (n - 1) p, lo = floor(h), hi = ceiling(h),
 * q = x[lo] + (h - lo)(x[hi] - x[lo]) written as (1 - g) x[lo] + g x[hi], interpolating only when h > lo and
 * x[hi] != x[lo] (as R, so Inf values do not give NaN). p must lie in [0, 1].
 */
export function quantile(x: readonly number[], p: number, what?: string): number;
export function quantile(x: readonly number[], p: readonly number[], what?: string): number[];
export function quantile(x: readonly number[], p: number | readonly number[], what = 'x'): number | number[] {
  need(x, 1, what, 'quantile');
  const s = sortedNumbers(x);
  const one = (pr: number): number => {
    if (!(pr >= 0 && pr <= 1)) throw new StatsError(`quantile: probability ${pr} is outside [0, 1]`);
    return quantile7Sorted(s, pr);
  };
  return typeof p === 'number' ? one(p) : p.map(one);
}

/** Interquartile range, quantile(0.75) - quantile(0.25), type 7 (R's IQR). */
export function iqr(x: readonly number[], what = 'x'): number {
  const [q1, q3] = quantile(x, [0.25, 0.75], what);
  return q3 - q1;
}

export function min(x: readonly number[], what = 'x'): number {
  need(x, 1, what, 'min');
  let m = Infinity;
  for (const v of x) if (v < m) m = v;
  return m;
}

export function max(x: readonly number[], what = 'x'): number {
  need(x, 1, what, 'max');
  let m = -Infinity;
  for (const v of x) if (v > m) m = v;
  return m;
}

// ---------------------------------------------------------------------------------------------------------------
// Table 1 formatting
// ---------------------------------------------------------------------------------------------------------------

export interface FormatOptions {
  /** Significant digits of the spread (SD or IQR) that decide the decimals shown. Default 3. */
  digits?: number;
  /** Fixed number of decimals (overrides `digits`). */
  decimals?: number;
  /** Decimals of percentages in `n (%)`. Default 1. */
  percentDecimals?: number;
}

/**
 * Decimals needed to show `scale` with `sig` significant digits, clamped to [0, 8]:
 * sig - 1 - floor(log10 |scale|). 10.24 -> 1 (3 digits), 0.0234 -> 4, 1234 -> 0.
 */
export function decimalsFor(scale: number, sig = 3): number {
  if (!Number.isFinite(scale) || scale === 0) return 0;
  const d = sig - 1 - Math.floor(Math.log10(Math.abs(scale)));
  return Math.min(8, Math.max(0, d));
}

/** Fixed-decimals formatting without "-0.0". */
export function fixed(v: number, decimals: number): string {
  if (!Number.isFinite(v)) return String(v);
  const s = v.toFixed(decimals);
  return /^-0(\.0*)?$/.test(s) ? s.slice(1) : s;
}

/**
 * `mean ± SD`. Decimals: `decimals` if given, else enough for the SD to show `digits` (3) significant digits
 * (the mean's magnitude when SD is 0). A single value (no SD) is shown alone.
 */
export function formatMeanSd(x: readonly number[], opts: FormatOptions = {}): string {
  const m = mean(x);
  if (x.length < 2) return fixed(m, opts.decimals ?? decimalsFor(m, opts.digits ?? 3));
  const s = sd(x);
  const d = opts.decimals ?? decimalsFor(s !== 0 ? s : m, opts.digits ?? 3);
  return `${fixed(m, d)} ± ${fixed(s, d)}`;
}

/**
 * `median [Q1, Q3]` with type-7 quartiles. Decimals: `decimals` if given, else enough for the IQR to show `digits`
 * (3) significant digits (the median's magnitude when the IQR is 0).
 */
export function formatMedianIqr(x: readonly number[], opts: FormatOptions = {}): string {
  const [q1, m, q3] = quantile(x, [0.25, 0.5, 0.75]);
  const med = median(x);
  const spread = q3 - q1;
  const d = opts.decimals ?? decimalsFor(spread !== 0 ? spread : (med !== 0 ? med : m), opts.digits ?? 3);
  return `${fixed(med, d)} [${fixed(q1, d)}, ${fixed(q3, d)}]`;
}

/** `n (%)`, the percentage with `percentDecimals` (1) decimals; a total of 0 gives `0 (-)`. */
export function formatCount(count: number, total: number, opts: FormatOptions = {}): string {
  if (total <= 0) return `${count} (-)`;
  return `${count} (${fixed((100 * count) / total, opts.percentDecimals ?? 1)}%)`;
}

// ---------------------------------------------------------------------------------------------------------------
// describeTable: Table 1
// ---------------------------------------------------------------------------------------------------------------

export type Cell = number | string | boolean | null | undefined;

export interface DescribeVariable {
  name: string;
  /** Default: numeric if every non-missing value is a number, else categorical. 0/1 codes need 'categorical'. */
  type?: 'numeric' | 'categorical';
  /** Numeric summary: 'mean' (mean ± SD, Student t / ANOVA) or 'median' (median [Q1, Q3], Mann-Whitney / Kruskal-Wallis). */
  summary?: 'mean' | 'median';
  /** Level order of a categorical variable (default: sorted, numbers numerically). */
  levels?: string[];
}

export interface DescribeOptions extends FormatOptions {
  /** Order of the `by` groups (default: sorted; numbers numerically). Rows whose group is not listed are dropped. */
  groupLevels?: string[];
  /**
   * Numeric tests: 'student' (default, the seed papers: Student t / classical ANOVA), 'welch' (Welch t / Welch ANOVA)
   * or 'rank' (Mann-Whitney / Kruskal-Wallis, also used for variables summarised by their median).
   */
  numericTest?: 'student' | 'welch' | 'rank';
  /**
   * Categorical test: 'chisq' (default: Pearson chi-square without continuity correction, the "Pearson Chi-Square" row
   * SPSS prints), 'chisq-yates' (Yates correction for 2x2 tables, R's chisq.test default), 'fisher' (Fisher exact:
   * fisher.test's 2x2 test, and for larger tables the r x c test by the network algorithm (fisherRxC.ts), with a
   * seeded simulated p and a warning past its size limit).
   */
  categoricalTest?: 'chisq' | 'chisq-yates' | 'fisher';
  /**
   * Two-group tests (t, Mann-Whitney, Fisher 2x2) one-sided: 'less' / 'greater' = the first group's values (first
   * row level's odds) below / above the second's. A row whose test is not a two-group test throws OneSidedError.
   */
  alternative?: Alternative;
}

function refuseOneSided(opts: DescribeOptions, variable: string, test: string): void {
  if ((opts.alternative ?? 'two.sided') !== 'two.sided') throw new OneSidedError(`"${variable}" is tested by ${test}, which has no one-sided alternative (only two groups with t, Mann-Whitney or Fisher 2 × 2 do)`);
}

/** A DescribeRow (report contract) with extras: counts, df and the method string of the test. */
export interface DescribeTableRow {
  variable: string;
  type: 'numeric' | 'categorical';
  overall: string;
  groups: Record<string, string>;
  test: string | null;
  statistic: number | null;
  p: number | null;
  levels?: { level: string; overall: string; groups: Record<string, string> }[];
  /** Non-missing values used (overall). */
  n: number;
  /** Rows (with a group, when `by` is given) where this variable is missing. */
  missing: number;
  df: number | [number, number] | null;
  /** Machine-readable numeric summary (overall), for charts. */
  summary?: { n: number; mean: number; sd: number | null; median: number; q1: number; q3: number; min: number; max: number };
  warnings: string[];
}

export interface DescribeTable {
  by: string | null;
  groupLevels: string[];
  /** Rows per group (after dropping rows with a missing group). */
  groupCounts: Record<string, number>;
  /** Rows used (with a non-missing group when `by` is given). */
  n: number;
  /** Rows dropped because the `by` value was missing. */
  dropped: number;
  rows: DescribeTableRow[];
  warnings: string[];
}

export function isMissing(v: Cell): boolean {
  return v === null || v === undefined || v === '' || (typeof v === 'number' && !Number.isFinite(v));
}

function label(v: Cell): string {
  return String(v);
}

/** Sorts level labels: all numeric -> numerically, otherwise by code unit order (deterministic, locale-free). */
export function sortLevels(values: Cell[]): string[] {
  const uniq = new Map<string, Cell>();
  for (const v of values) if (!isMissing(v) && !uniq.has(label(v))) uniq.set(label(v), v);
  const entries = [...uniq.entries()];
  const allNum = entries.every(([, v]) => typeof v === 'number');
  entries.sort((a, b) => (allNum ? (a[1] as number) - (b[1] as number) : a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  return entries.map(([k]) => k);
}

/**
 * Table 1. `rows` are subjects (objects keyed by variable name); `by` names the grouping column (or null for an
 * overall-only table). Numeric rows: mean ± SD (or median [Q1, Q3]) overall and per group, test Student t for two
 * groups / one-way ANOVA for more (Welch variants by option; Mann-Whitney / Kruskal-Wallis for `summary: 'median'`).
 * Categorical rows: `n (%)` per level with column percentages of the non-missing values, Pearson chi-square without
 * continuity correction by default (options above). Groups with no value of a variable are left out of its test.
 * A test that cannot be computed (e.g. constant data) gives test label, statistic and p null plus a warning on the
 * row: a Table 1 is not abandoned for one variable. The overall column covers the rows that have a group.
 * On a categorical row, `overall` / `groups` hold the numbers of non-missing values; the `n (%)` cells are in `levels`.
 */
export function describeTable(
  rows: readonly Record<string, Cell>[],
  variables: readonly (string | DescribeVariable)[],
  by: string | null = null,
  opts: DescribeOptions = {},
): DescribeTable {
  const warnings: string[] = [];
  const names = [...variables.map((v) => (typeof v === 'string' ? v : v.name)), ...(by !== null ? [by] : [])];
  const finite = finiteRows(rows, names, warnings);
  const grouped = by !== null ? groupedRows(finite.used, by, opts, warnings) : { used: finite.used, groupLevels: [], dropped: 0 };
  const { used, groupLevels } = grouped;
  const t: TableGroups = { by, groupLevels, groupOf: (r) => (by === null ? '' : label(r[by])) };
  const counts = new Map<string, number>(groupLevels.map(g => [g, 0])); // level names as keys (even `__proto__`)
  for (const r of used) if (by !== null) counts.set(t.groupOf(r), (counts.get(t.groupOf(r)) ?? 0) + 1);
  const groupCounts: Record<string, number> = Object.fromEntries(counts);

  const out: DescribeTableRow[] = [];
  for (const spec of variables) {
    const v: DescribeVariable = typeof spec === 'string' ? { name: spec } : spec;
    const present = used.filter(r => !isMissing(r[v.name]));
    const missing = used.length - present.length;
    const type = v.type ?? (present.every(r => typeof r[v.name] === 'number') ? 'numeric' : 'categorical');
    if (present.length === 0) {
      out.push({ variable: v.name, type, overall: '-', groups: Object.fromEntries(groupLevels.map(g => [g, '-'])), test: null, statistic: null, p: null, n: 0, missing, df: null, warnings: [`${v.name}: no values`] });
    } else out.push(type === 'numeric' ? numericRow(v, present, missing, t, opts) : categoricalRow(v, present, missing, t, opts));
  }
  return { by, groupLevels, groupCounts, n: used.length, dropped: finite.dropped + grouped.dropped, rows: out, warnings };
}

/** The grouping of a Table 1: the `by` column, its levels (the columns), and a row's group. */
interface TableGroups { by: string | null; groupLevels: string[]; groupOf: (r: Record<string, Cell>) => string }

/**
 * The rows without a non-finite number (Infinity from a value beyond ±1.8e308, NaN) in any of `names`: such a value
 * is no value, and its row is left out and counted in `dropped` with a warning, never summarised as if the table had it.
 */
function finiteRows(rows: readonly Record<string, Cell>[], names: readonly string[], warnings: string[]): { used: Record<string, Cell>[]; dropped: number } {
  const nonFinite = (v: Cell) => typeof v === 'number' && !Number.isFinite(v);
  let used = rows.slice(), dropped = 0;
  for (const name of names) {
    const k = used.filter((r) => nonFinite(r[name])).length;
    if (k === 0) continue;
    warnings.push(`${name}: ${k} non-finite value(s) (Infinity or NaN, e.g. a number beyond ±1.8e308): row(s) left out`);
    used = used.filter((r) => !nonFinite(r[name]));
    dropped += k;
  }
  return { used, dropped };
}

/** The rows with a `by` group among the group levels (given, else sorted), those left out counted with a warning. */
function groupedRows(rows: Record<string, Cell>[], by: string, opts: DescribeOptions, warnings: string[]): { used: Record<string, Cell>[]; groupLevels: string[]; dropped: number } {
  let used = rows.filter(r => !isMissing(r[by]));
  const noGroup = rows.length - used.length;
  const groupLevels = opts.groupLevels ? opts.groupLevels.slice() : sortLevels(used.map(r => r[by]));
  const allowed = new Set(groupLevels);
  const before = used.length;
  used = used.filter(r => allowed.has(label(r[by])));
  const outside = noGroup + before - used.length;
  if (outside > 0) warnings.push(`${outside} row(s) without a ${by} group were left out`);
  return { used, groupLevels, dropped: outside };
}

/** A numeric row: mean ± SD or median [Q1, Q3] overall and per group, and the groups' test (two or more groups). */
function numericRow(v: DescribeVariable, present: Record<string, Cell>[], missing: number, t: TableGroups, opts: DescribeOptions): DescribeTableRow {
  const nonNum = present.find(r => typeof r[v.name] !== 'number');
  if (nonNum) throw new StatsError(`describe: ${v.name} is declared numeric but has the value "${String(nonNum[v.name])}"`);
  const all = present.map(r => r[v.name] as number);
  const useMedian = v.summary === 'median' || opts.numericTest === 'rank';
  const fmt = (x: number[]): string => (x.length === 0 ? '-' : useMedian ? formatMedianIqr(x, opts) : formatMeanSd(x, opts));
  const groupCells: [string, string][] = [];
  const groupValues: number[][] = [];
  for (const g of t.groupLevels) {
    const xs = present.filter(r => t.groupOf(r) === g).map(r => r[v.name] as number);
    groupCells.push([g, fmt(xs)]);
    if (xs.length > 0) groupValues.push(xs);
  }
  const [q1, q3] = quantile(all, [0.25, 0.75]);
  const rowWarnings: string[] = [];
  const row: DescribeTableRow = {
    variable: v.name, type: 'numeric', overall: fmt(all), groups: Object.fromEntries(groupCells), test: null, statistic: null, p: null, n: all.length, missing, df: null,
    summary: { n: all.length, mean: mean(all), sd: all.length > 1 ? sd(all) : null, median: median(all), q1, q3, min: min(all), max: max(all) },
    warnings: rowWarnings,
  };
  if (t.by === null || groupValues.length < 2) return row;
  if (groupValues.length > 2) refuseOneSided(opts, v.name, useMedian ? 'Kruskal-Wallis' : 'ANOVA');
  const alternative = opts.alternative;
  let label2 = '';
  try {
    let res: TestResult;
    if (groupValues.length === 2) {
      if (useMedian) { label2 = 'Mann-Whitney'; res = mannWhitney(groupValues[0], groupValues[1], { alternative }); }
      else { label2 = opts.numericTest === 'welch' ? 'Welch t' : 'Student t'; res = tTest(groupValues[0], groupValues[1], { varEqual: opts.numericTest !== 'welch', alternative }); }
    } else if (useMedian) { label2 = 'Kruskal-Wallis'; res = kruskalWallis(groupValues); }
    else { label2 = opts.numericTest === 'welch' ? 'Welch ANOVA' : 'ANOVA'; res = oneWayAnova(groupValues, { varEqual: opts.numericTest !== 'welch' }); }
    row.test = res.test; row.statistic = res.statistic; row.p = res.p; row.df = res.df;
    rowWarnings.push(...res.warnings);
  } catch (e) {
    if (!(e instanceof StatsError)) throw e;
    rowWarnings.push(`${v.name}: ${label2} not computed: ${e.message}`);
  }
  return row;
}

/**
 * A categorical row: `n (%)` of each level overall and per group (column percentages of the non-missing values), and
 * the groups × levels test. The counts are made in one pass over the rows (not one per level and group).
 */
function categoricalRow(v: DescribeVariable, present: Record<string, Cell>[], missing: number, t: TableGroups, opts: DescribeOptions): DescribeTableRow {
  const levels = v.levels ? v.levels.slice() : sortLevels(present.map(r => r[v.name]));
  const lvlSet = new Set(levels);
  const unknown = present.find(r => !lvlSet.has(label(r[v.name])));
  if (unknown) throw new StatsError(`describe: ${v.name} has the value "${label(unknown[v.name])}" that is not among its levels`);
  // level → [overall, per group ...], and each group's total (Maps: level names as keys, even `__proto__`)
  const gIndex = new Map(t.groupLevels.map((g, i) => [g, i]));
  const byLevel = new Map<string, number[]>(levels.map((l) => [l, new Array<number>(t.groupLevels.length + 1).fill(0)]));
  const groupTotal = new Array<number>(t.groupLevels.length).fill(0);
  for (const r of present) {
    const c = byLevel.get(label(r[v.name]))!;
    c[0]++;
    const gi = gIndex.get(t.groupOf(r));
    if (gi !== undefined) { c[gi + 1]++; groupTotal[gi]++; }
  }
  const colTotal = (g: string | null): number => (g === null ? present.length : groupTotal[gIndex.get(g)!]);
  const count = (lvl: string, g: string | null): number => byLevel.get(lvl)![g === null ? 0 : gIndex.get(g)! + 1];
  const levelRows = levels.map(lvl => ({
    level: lvl,
    overall: formatCount(count(lvl, null), colTotal(null), opts),
    groups: Object.fromEntries(t.groupLevels.map(g => [g, formatCount(count(lvl, g), colTotal(g), opts)])),
  }));
  const rowWarnings: string[] = [];
  const row: DescribeTableRow = {
    variable: v.name, type: 'categorical', overall: `${present.length}`, groups: Object.fromEntries(t.groupLevels.map(g => [g, `${colTotal(g)}`])),
    test: null, statistic: null, p: null, levels: levelRows, n: present.length, missing, df: null, warnings: rowWarnings,
  };
  const gs = t.groupLevels.filter(g => colTotal(g) > 0);
  const ls = levels.filter(l => count(l, null) > 0);
  if (t.by === null || gs.length < 2 || ls.length < 2) return row;
  const table = ls.map(l => gs.map(g => count(l, g)));
  const mode = opts.categoricalTest ?? 'chisq';
  const twoByTwo = table.length === 2 && table[0].length === 2;
  if (mode !== 'fisher' || !twoByTwo) refuseOneSided(opts, v.name, mode === 'fisher' ? `Fisher's exact test on a ${table.length} × ${table[0].length} table` : 'the chi-square test');
  try {
    if (mode === 'fisher' && twoByTwo) {
      const f = fisherExact(table, { alternative: opts.alternative });
      row.test = f.test; row.statistic = null; row.p = f.p;
    } else if (mode === 'fisher') {
      const f = fisherRxC(table);
      row.test = f.test; row.statistic = null; row.p = f.p;
      if (f.tables === null) rowWarnings.push(`${v.name}: Fisher exact p ${f.pMethod}`);
    } else {
      const c = chisqTest(table, { correct: mode === 'chisq-yates' });
      row.test = c.test; row.statistic = c.statistic; row.p = c.p; row.df = c.df;
      rowWarnings.push(...c.warnings.map(w => `${v.name}: ${w}`));
    }
  } catch (e) {
    if (!(e instanceof StatsError)) throw e;
    rowWarnings.push(`${v.name}: test not computed: ${e.message}`);
  }
  return row;
}
