/** `compare`: one two- or k-group test (t, Mann-Whitney, Wilcoxon, ANOVA, Kruskal-Wallis). */
import type { Interval, Num, ResultBase } from '../base';
import { cell, fmtFixed, fmtNum, significantRows, type Cell, type DataTable } from '../format';
import type { ReportKind } from './kind';
import { ancovaTables, type AncovaTable } from './linear';

/** One pairwise comparison after a k-group test: `level` minus `reference` (`se`: Dunnett's standard error). */
export interface PosthocRow { level: string; reference: string; diff: Num; ci: Interval | null; statistic: Num; p: Num; se?: Num }
/** Post-hoc comparisons (Tukey HSD, Games-Howell, Dunnett, Dunn, pairwise t or Wilcoxon tests) with their adjustment. */
export interface PosthocTable { method: string; adjust: string | null; statisticName: string; comparisons: PosthocRow[]; control?: string }
/** `with normality`: Shapiro-Wilk (shapiro.test) per group; null statistic / p where the group has < 3 or > 5000 values. */
export interface NormalityRow { group: string; n: number; statistic: Num; p: Num }

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
  /** One-sided test (`with alternative`): the first sample (group level, or A of `A vs B`) below / above the second. */
  alternative?: 'less' | 'greater';
  normality?: NormalityRow[];
}

/** A CI cell; one-sided intervals have an infinite bound. */
function ciCell(ci: Interval | null, alternative: CompareResult['alternative']): Cell {
  if (!alternative || !ci) return cell.ci(ci, 3);
  return { text: alternative === 'less' ? `−∞ to ${fmtFixed(ci[1], 3)}` : `${fmtFixed(ci[0], 3)} to ∞` };
}

function normalityTable(rows: NormalityRow[]): DataTable {
  return {
    id: 'normality', title: 'Normality (Shapiro-Wilk, per group)',
    columns: ['Group', 'n', 'W', 'p'],
    rows: rows.map((x) => [cell.text(x.group), cell.int(x.n), cell.num(x.statistic, 4), cell.p(x.p)]),
    significant: significantRows(rows.map((x) => x.p)),
    note: 'p < 0.05: evidence against normality in that group (a rank test may suit better); with few values the test has little power.',
  };
}

function dfText(df: Num | [Num, Num]): Cell {
  if (Array.isArray(df)) return { text: df.map((d) => fmtNum(d, 4)).join(', ') };
  return cell.num(df, 4);
}

function posthocTable(h: PosthocTable): DataTable {
  const adj = h.adjust ? ` (${h.adjust})` : '';
  return {
    id: 'posthoc', title: `Post-hoc comparisons: ${h.method}`,
    columns: ['Comparison', 'Difference', ...(h.control ? ['SE'] : []), '95% CI', h.statisticName, `p${adj}`],
    rows: h.comparisons.map((c) => [cell.text(`${c.level} − ${c.reference}`), cell.num(c.diff, 3), ...(h.control ? [cell.num(c.se ?? null, 3)] : []), cell.ci(c.ci, 3), cell.num(c.statistic, 4), cell.p(c.p)]),
    significant: significantRows(h.comparisons.map((c) => c.p)),
  };
}

function tables(r: CompareResult): DataTable[] {
  const groups = (r.groups ?? []).map((g) => g.label);
  return [...mainTable(r, groups), ...(r.posthoc ? [posthocTable(r.posthoc)] : []), ...(r.normality ? [normalityTable(r.normality)] : []), ...(r.ancova ? ancovaTables(r.ancova) : [])];
}

function mainTable(r: CompareResult, groups: string[]): DataTable[] {
  return [{
    id: 'test', title: r.variable ?? r.name,
    columns: ['Test', 'n', 'Statistic', 'df', 'p', 'Estimate', '95% CI'],
    rows: [[cell.text(r.test), cell.int(r.n), cell.num(r.statistic, 4), dfText(r.df), cell.p(r.p), cell.num(r.estimate, 3), ciCell(r.ci, r.alternative)]],
    significant: significantRows([r.p]),
    note: [groups.length ? `Groups: ${groups.join(', ')}` : '', r.estimateName ? `Estimate: ${r.estimateName}` : '',
      r.alternative ? `One-sided: ${groups[0] ?? 'first'} ${r.alternative === 'less' ? 'below' : 'above'} ${groups[1] ?? 'second'}` : ''].filter((x) => x).join('. ') || undefined,
  }];
}

export const compareKind: ReportKind<CompareResult> = { kind: 'compare', tables };
