/** `compare`: one two- or k-group test (t, Mann-Whitney, Wilcoxon, ANOVA, Kruskal-Wallis). */
import type { Interval, Num, ResultBase } from '../base';
import { cell, fmtNum, significantRows, type Cell, type DataTable } from '../format';
import type { ReportKind } from './kind';
import { ancovaTables, type AncovaTable } from './linear';

/** One pairwise comparison after a k-group test: `level` minus `reference`. */
export interface PosthocRow { level: string; reference: string; diff: Num; ci: Interval | null; statistic: Num; p: Num }
/** Post-hoc comparisons (Tukey HSD, Games-Howell, Dunn, pairwise t or Wilcoxon tests) with their adjustment. */
export interface PosthocTable { method: string; adjust: string | null; statisticName: string; comparisons: PosthocRow[] }

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
  /** Name of the estimate: "mean difference", "Hodges-Lehmann shift", "(pseudo)median of differences". */
  estimateName?: string | null;
  posthoc?: PosthocTable;
  /** `compare X by GROUP adjusting ...`: the ANCOVA model (kinds/linear.ts). */
  ancova?: AncovaTable;
}

function dfText(df: Num | [Num, Num]): Cell {
  if (Array.isArray(df)) return { text: df.map((d) => fmtNum(d, 4)).join(', ') };
  return cell.num(df, 4);
}

function posthocTable(h: PosthocTable): DataTable {
  const adj = h.adjust ? ` (${h.adjust})` : '';
  return {
    id: 'posthoc', title: `Post-hoc comparisons: ${h.method}`,
    columns: ['Comparison', 'Difference', '95% CI', h.statisticName, `p${adj}`],
    rows: h.comparisons.map((c) => [cell.text(`${c.level} − ${c.reference}`), cell.num(c.diff, 3), cell.ci(c.ci, 3), cell.num(c.statistic, 4), cell.p(c.p)]),
    significant: significantRows(h.comparisons.map((c) => c.p)),
  };
}

function tables(r: CompareResult): DataTable[] {
  const groups = (r.groups ?? []).map((g) => g.label);
  return [...mainTable(r, groups), ...(r.posthoc ? [posthocTable(r.posthoc)] : []), ...(r.ancova ? ancovaTables(r.ancova) : [])];
}

function mainTable(r: CompareResult, groups: string[]): DataTable[] {
  return [{
    id: 'test', title: r.variable ?? r.name,
    columns: ['Test', 'n', 'Statistic', 'df', 'p', 'Estimate', '95% CI'],
    rows: [[cell.text(r.test), cell.int(r.n), cell.num(r.statistic, 4), dfText(r.df), cell.p(r.p), cell.num(r.estimate, 3), cell.ci(r.ci, 3)]],
    significant: significantRows([r.p]),
    note: [groups.length ? `Groups: ${groups.join(', ')}` : '', r.estimateName ? `Estimate: ${r.estimateName}` : ''].filter((x) => x).join('. ') || undefined,
  }];
}

export const compareKind: ReportKind<CompareResult> = { kind: 'compare', tables };
