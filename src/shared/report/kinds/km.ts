/** `km`: Kaplan–Meier curves per group with the log-rank test and numbers at risk. */
import type { Interval, Num, ResultBase } from '../base';
import { cell, fmtNum, fmtP, niceTicks, type DataTable } from '../format';
import type { ReportKind } from './kind';

export interface KmPoint { t: number; s: number; lo: Num; hi: Num; atRisk: number; events?: number; censored?: number }
export interface KmGroup { label: string; n: number; events: number; median: Num; medianCi: Interval; curve: KmPoint[] }
export interface KmResult extends ResultBase {
  kind: 'km';
  groups: KmGroup[];
  logrank: { chisq: number; df: number; p: number } | null;
  /** Numbers at risk at chosen times (extra): times and one row per group. */
  atRisk?: { times: number[]; rows: { label: string; n: number[] }[] };
}

/** The log-rank line shown under the table and the chart. */
export function logrankText(lr: NonNullable<KmResult['logrank']>): string {
  return `Log-rank χ² = ${fmtNum(lr.chisq, 4)}, df = ${lr.df}, p = ${fmtP(lr.p)}`;
}

function tables(r: KmResult): DataTable[] {
  const t: DataTable[] = [{
    id: 'groups', title: 'Kaplan–Meier',
    columns: ['Group', 'n', 'Events', 'Median', '95% CI'],
    rows: r.groups.map((g) => [cell.text(g.label), cell.int(g.n), cell.int(g.events), cell.num(g.median, 3), cell.ci(g.medianCi, 1)]),
    note: r.logrank ? logrankText(r.logrank) : undefined,
  }];
  const ar = r.atRisk ?? defaultAtRisk(r);
  if (ar) t.push({ id: 'at-risk', title: 'Numbers at risk', columns: ['Group', ...ar.times.map((x) => fmtNum(x, 4))], rows: ar.rows.map((row) => [cell.text(row.label), ...row.n.map(cell.int)]) });
  return t;
}

export const kmKind: ReportKind<KmResult> = { kind: 'km', tables };

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
