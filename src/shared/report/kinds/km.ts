/** `km`: Kaplan–Meier curves per group with the log-rank test and numbers at risk. */
import type { Interval, Num, ResultBase } from '../base';
import { cell, fmtNum, fmtP, niceTicks, significantRows, type DataTable } from '../format';
import type { ReportKind } from './kind';

export interface KmPoint { t: number; s: number; lo: Num; hi: Num; atRisk: number; events?: number; censored?: number }
export interface KmGroup { label: string; n: number; events: number; median: Num; medianCi: Interval; curve: KmPoint[] }
export interface KmResult extends ResultBase {
  kind: 'km';
  groups: KmGroup[];
  /** survdiff's G-rho test; `rho` is present when not 0 (1: Peto-Peto). */
  logrank: { chisq: number; df: number; p: number; rho?: number } | null;
  /** `with pairwise`: log-rank tests of each pair of groups (survminer::pairwise_survdiff), p adjusted. */
  pairwise?: { adjust: string; rows: { level: string; reference: string; chisq: number; p: number; pAdjusted: number }[] };
  /** `with trend`: the log-rank test for trend over the groups in their order (scores 1..k). */
  trend?: { chisq: number; df: number; p: number };
  /** `with rmst TAU`: restricted mean survival time per group up to TAU, and the difference of two groups. */
  rmst?: { tau: number; groups: { label: string; rmst: number; se: number; lower: number; upper: number }[]; difference?: { label: string; diff: number; lower: number; upper: number; p: number } };
  /** Numbers at risk at chosen times (extra): times and one row per group. */
  atRisk?: { times: number[]; rows: { label: string; n: number[] }[] };
}

/** The log-rank line shown under the table and the chart. */
export function logrankText(lr: NonNullable<KmResult['logrank']>): string {
  const name = lr.rho ? `G-rho log-rank (rho = ${fmtNum(lr.rho, 3)}${lr.rho === 1 ? ', Peto-Peto' : ''})` : 'Log-rank';
  return `${name} χ² = ${fmtNum(lr.chisq, 4)}, df = ${lr.df}, p = ${fmtP(lr.p)}`;
}

function extraTables(r: KmResult): DataTable[] {
  const t: DataTable[] = [];
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
      note: d ? `Difference (${d.label}) ${fmtNum(d.diff, 4)}, 95% CI ${fmtNum(d.lower, 4)} to ${fmtNum(d.upper, 4)}, p = ${fmtP(d.p)}` : undefined,
    });
  }
  return t;
}

function tables(r: KmResult): DataTable[] {
  const t: DataTable[] = [{
    id: 'groups', title: 'Kaplan–Meier',
    columns: ['Group', 'n', 'Events', 'Median', '95% CI'],
    rows: r.groups.map((g) => [cell.text(g.label), cell.int(g.n), cell.int(g.events), cell.num(g.median, 3), cell.ci(g.medianCi, 1)]),
    note: [r.logrank ? logrankText(r.logrank) : '', r.trend ? `Log-rank test for trend χ² = ${fmtNum(r.trend.chisq, 4)}, df = 1, p = ${fmtP(r.trend.p)}` : ''].filter((x) => x).join('; ') || undefined,
  }, ...extraTables(r)];
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
