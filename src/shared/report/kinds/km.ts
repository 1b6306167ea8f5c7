/** `km`: Kaplan–Meier curves per group with the log-rank test and numbers at risk. */
import type { Interval, Num, ResultBase } from '../base';
import { cell, finite, fmtFixed, fmtNum, niceTicks, pStatement, significantRows, type DataTable } from '../format';
import type { ReportKind } from './kind';

export interface KmPoint { t: number; s: number; lo: Num; hi: Num; atRisk: number; events?: number; censored?: number }
export interface KmGroup { label: string; n: number; events: number; median: Num; medianCi: Interval; curve: KmPoint[] }
export interface KmResult extends ResultBase {
  kind: 'km';
  groups: KmGroup[];
  /** The unit of the outcome's time ("months"), from the time column's name (`dss_months`); absent when unknown. */
  timeUnit?: string;
  /** survdiff's G-rho test; `rho` is present when not 0 (1: Peto-Peto). */
  logrank: { chisq: number; df: number; p: number; rho?: number } | null;
  /** `with pairwise`: log-rank tests of each pair of groups (survminer::pairwise_survdiff), p adjusted. */
  pairwise?: { adjust: string; rows: { level: string; reference: string; chisq: number; p: number; pAdjusted: number }[] };
  /** `with trend`: the log-rank test for trend over the groups in their order (scores 1..k). */
  trend?: { chisq: number; df: number; p: number };
  /** `with rmst TAU`: restricted mean survival time per group up to TAU, and the difference of two groups. */
  rmst?: { tau: number; groups: { label: string; rmst: number; se: number; lower: number; upper: number }[]; difference?: { label: string; diff: number; lower: number; upper: number; p: number } };
  /**
   * Numbers at risk at chosen times (extra): times and one row per group; with `cumulative`, each row also has the
   * cumulative numbers of events and of censored subjects up to and including each time.
   */
  atRisk?: { times: number[]; rows: { label: string; n: number[]; events?: number[]; censored?: number[] }[] };
  /**
   * `by cutpoint(MARKER)`: the data-driven cut-point (maximally selected log-rank statistic, maxstat) that made the two
   * groups, its statistic, the p-value adjusted for the search (`pMethod` Lau94), the proportions searched, the group
   * sizes and the statistic at every candidate cut.
   */
  cutpoint?: {
    variable: string; cut: number; statistic: number; p: number; pMethod: 'Lau94'; minprop: number; maxprop: number;
    n: number; below: number; above: number; curve: { cut: number; statistic: number }[];
  };
}

/** Not reached: a KM median (or a bound of its CI) where the survival curve (or its CI) never falls to 0.5. */
export const NOT_REACHED = 'NR';

/** A KM median or median CI bound with `digits` significant digits; "NR" (not reached) when survfit gives NA. */
export function fmtMedian(x: Num, digits = 3): string {
  return finite(x) ? fmtNum(x, digits) : NOT_REACHED;
}

/** The median's 95% CI, "21.2–NR" when a bound is not reached (1 decimal, as the table shows). */
function medianCiCell(ci: Interval): { text: string } {
  const b = (x: Num) => (finite(x) ? fmtFixed(x, 1) : NOT_REACHED);
  return { text: `${b(ci[0])}–${b(ci[1])}` };
}

/** The x-axis title of survival times: "Time (months)" when the unit is known. */
export const timeAxisLabel = (r: Pick<KmResult, 'timeUnit'>): string => (r.timeUnit ? `Time (${r.timeUnit})` : 'Time');

/** The label of the data-driven cut-point, in tables, charts and the methods notes. */
export function cutpointText(c: NonNullable<KmResult['cutpoint']>): string {
  return `Data-driven cut-point of ${c.variable}: ${fmtNum(c.cut, 4)} (maximally selected log-rank statistic ${fmtNum(c.statistic, 4)}, `
    + `cuts leaving ${fmtNum(100 * c.minprop, 3)}–${fmtNum(100 * c.maxprop, 3)} % of subjects below; ${pStatement(c.p, 'p adjusted for the search')}, Lausen-Sauerbrei-Schumacher 1994)`;
}

/** The log-rank line shown under the table and the chart. */
export function logrankText(lr: NonNullable<KmResult['logrank']>): string {
  const name = lr.rho ? `G-rho log-rank (rho = ${fmtNum(lr.rho, 3)}${lr.rho === 1 ? ', Peto-Peto' : ''})` : 'Log-rank';
  return `${name} χ² = ${fmtNum(lr.chisq, 4)}, df = ${lr.df}, ${pStatement(lr.p)}`;
}

function extraTables(r: KmResult): DataTable[] {
  const t: DataTable[] = [];
  if (r.cutpoint) {
    const c = r.cutpoint;
    t.push({
      id: 'cutpoint', title: 'Data-driven cut-point (maximally selected log-rank statistic)',
      columns: ['Marker', 'Cut-point', `n ≤ cut`, 'n > cut', 'Statistic', 'p (adjusted, Lau94)'],
      rows: [[cell.text(c.variable), cell.num(c.cut, 4), cell.int(c.below), cell.int(c.above), cell.num(c.statistic, 4), cell.p(c.p)]],
      note: `The cut maximises the standardised log-rank statistic over cuts leaving ${fmtNum(100 * c.minprop, 3)}–${fmtNum(100 * c.maxprop, 3)} % of subjects below it (maxstat; survminer::surv_cutpoint). `
        + 'It is chosen from these data: the log-rank p of the two groups ignores the search and is too small; the adjusted p (Lausen, Sauerbrei & Schumacher 1994) accounts for it. Validate the cut in other data.',
    });
  }
  if (r.pairwise) {
    t.push({
      id: 'pairwise', title: 'Pairwise log-rank tests',
      columns: ['Comparison', 'χ²', 'p', `p (${r.pairwise.adjust})`],
      rows: r.pairwise.rows.map((x) => [cell.text(`${x.level} vs ${x.reference}`), cell.num(x.chisq, 4), cell.p(x.p), cell.p(x.pAdjusted)]),
      significant: significantRows(r.pairwise.rows.map((x) => x.pAdjusted)),
    });
  }
  if (r.rmst) {
    const d = r.rmst.difference;
    t.push({
      id: 'rmst', title: `Restricted mean survival time up to ${fmtNum(r.rmst.tau, 4)}`,
      columns: ['Group', 'RMST', 'SE', '95% CI'],
      rows: r.rmst.groups.map((g) => [cell.text(g.label), cell.num(g.rmst, 4), cell.num(g.se, 3), cell.ci([g.lower, g.upper], 3)]),
      note: d ? `Difference (${d.label}) ${fmtNum(d.diff, 4)}, 95% CI ${fmtNum(d.lower, 4)} to ${fmtNum(d.upper, 4)}, ${pStatement(d.p)}` : undefined,
    });
  }
  return t;
}

function tables(r: KmResult): DataTable[] {
  const nr = r.groups.some((g) => !finite(g.median) || !finite(g.medianCi[0]) || !finite(g.medianCi[1]));
  const notes = [
    r.logrank ? logrankText(r.logrank) + (r.cutpoint ? ` (groups from a data-driven cut-point: this p ignores the search; ${pStatement(r.cutpoint.p, 'adjusted p')}, Lau94)` : '') : '',
    r.trend ? `Log-rank test for trend χ² = ${fmtNum(r.trend.chisq, 4)}, df = 1, ${pStatement(r.trend.p)}` : '',
    nr ? `${NOT_REACHED}: not reached (the survival curve, or its confidence limit, stays above 0.5)` : '',
  ];
  const t: DataTable[] = [{
    id: 'groups', title: 'Kaplan–Meier',
    columns: ['Group', 'n', 'Events', r.timeUnit ? `Median (${r.timeUnit})` : 'Median', '95% CI'],
    rows: r.groups.map((g) => [cell.text(g.label), cell.int(g.n), cell.int(g.events), { text: fmtMedian(g.median), raw: finite(g.median) ? g.median : null }, medianCiCell(g.medianCi)]),
    note: notes.filter((x) => x).join('; ') || undefined,
  }, ...extraTables(r)];
  const ar: KmResult['atRisk'] | null = r.atRisk ?? defaultAtRisk(r);
  if (ar) t.push({ id: 'at-risk', title: 'Numbers at risk', columns: ['Group', ...ar.times.map((x) => fmtNum(x, 4))], rows: ar.rows.map((row) => [cell.text(row.label), ...row.n.map(cell.int)]) });
  for (const [id, title, key] of CUMULATIVE) {
    if (ar?.rows.some((row) => row[key])) t.push({ id, title, columns: ['Group', ...ar.times.map((x) => fmtNum(x, 4))], rows: ar.rows.map((row) => [cell.text(row.label), ...(row[key] ?? []).map(cell.int)]) });
  }
  return t;
}

export const kmKind: ReportKind<KmResult> = { kind: 'km', tables };

/** `with cumulative`: the blocks under the numbers at risk (table id, title, field of the at-risk row). */
export const CUMULATIVE: readonly (readonly ['cum-events' | 'cum-censored', string, 'events' | 'censored'])[] = [
  ['cum-events', 'Cumulative number of events', 'events'],
  ['cum-censored', 'Cumulative number censored', 'censored'],
];

type AtRiskGroup = { label: string; n: number; curve: { t: number; atRisk: number; events?: number; censored?: number }[] };

/** Numbers at risk at pretty times when the report has none: the risk set just before each time. */
export function defaultAtRisk(r: { groups: AtRiskGroup[] }): { times: number[]; rows: { label: string; n: number[] }[] } | null {
  const tmax = Math.max(0, ...r.groups.flatMap((g) => g.curve.map((p) => p.t)));
  if (!(tmax > 0)) return null;
  const times = niceTicks(0, tmax, 5).filter((x) => x <= tmax);
  return { times, rows: r.groups.map((g) => ({ label: g.label, n: times.map((t) => atRiskAt(g, t)) })) };
}

function atRiskAt(g: AtRiskGroup, t: number): number {
  // the first curve point at or after t has the risk set at that time; none: everyone has left
  const p = g.curve.find((c) => c.t >= t);
  if (!p) return 0;
  return p.t === 0 && t === 0 ? g.n : p.atRisk;
}
