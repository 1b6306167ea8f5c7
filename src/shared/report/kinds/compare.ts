/** `compare`: one two- or k-group test (t, Mann-Whitney, Wilcoxon, ANOVA, Kruskal-Wallis). */
import type { Interval, Num, ResultBase } from '../base';
import { cell, fmtNum, significantRows, type Cell, type DataTable } from '../format';
import type { ReportKind } from './kind';

export interface CompareResult extends ResultBase {
  kind: 'compare';
  test: string;            // "paired t", "Student t", "Welch t", "Mann-Whitney", "Wilcoxon signed-rank", "ANOVA", "Kruskal-Wallis"
  statistic: Num;
  df: Num | [Num, Num];
  p: Num;
  estimate: Num;
  ci: Interval | null;
  /** Extra for charts: the values per group (or pairs). */
  groups?: { label: string; values: number[] }[];
  pairs?: { id: string; a: number; b: number }[];
  variable?: string;
}

function dfText(df: Num | [Num, Num]): Cell {
  if (Array.isArray(df)) return { text: df.map((d) => fmtNum(d, 4)).join(', ') };
  return cell.num(df, 4);
}

function tables(r: CompareResult): DataTable[] {
  const groups = (r.groups ?? []).map((g) => g.label);
  return [{
    id: 'test', title: r.variable ?? r.name,
    columns: ['Test', 'n', 'Statistic', 'df', 'p', 'Estimate', '95% CI'],
    rows: [[cell.text(r.test), cell.int(r.n), cell.num(r.statistic, 4), dfText(r.df), cell.p(r.p), cell.num(r.estimate, 3), cell.ci(r.ci, 3)]],
    significant: significantRows([r.p]),
    note: groups.length ? `Groups: ${groups.join(', ')}` : undefined,
  }];
}

export const compareKind: ReportKind<CompareResult> = { kind: 'compare', tables };
