/** `describe`: Table 1 (summaries per variable, optionally by a grouping variable, with a test per variable). */
import type { Num, ResultBase } from '../base';
import { cell, isSignificant, type Cell, type DataTable } from '../format';
import type { ReportKind } from './kind';

export interface DescribeRow {
  variable: string;
  type: 'numeric' | 'categorical';
  overall: string;
  groups: Record<string, string>;
  test: string | null;
  statistic: Num;
  p: Num;
  /** `with adjust M`: the row's p adjusted over the table's rows (p.adjust). */
  pAdjusted?: Num;
  /** Machine-readable summaries (extra): per level of a categorical variable, or mean/sd/median/q1/q3/n. */
  levels?: { level: string; overall: string; groups: Record<string, string> }[];
}
export interface DescribeResult extends ResultBase {
  kind: 'describe'; by: string | null; groupLevels: string[]; rows: DescribeRow[];
  /** `with adjust M`: the multiple-testing adjustment over the rows, by name (R's spelling, e.g. BH). */
  adjust?: string;
}

function tables(r: DescribeResult): DataTable[] {
  const adj = r.adjust !== undefined;
  const cols = ['Variable', r.by ? 'Overall' : 'Value', ...r.groupLevels.map((g) => `${r.by ?? ''} = ${g}`), ...(r.by ? ['Test', 'p'] : []), ...(adj ? [`p (${r.adjust})`] : [])];
  const rows: Cell[][] = [];
  for (const row of r.rows) {
    rows.push([cell.text(row.variable), cell.text(row.overall), ...r.groupLevels.map((g) => cell.text(row.groups[g] ?? '')), ...(r.by ? [cell.text(row.test ?? ''), cell.p(row.p)] : []), ...(adj ? [cell.p(row.pAdjusted ?? null)] : [])]);
    for (const l of row.levels ?? []) {
      if (row.type !== 'categorical') continue;
      rows.push([cell.text(`  ${l.level}`), cell.text(l.overall), ...r.groupLevels.map((g) => cell.text(l.groups[g] ?? '')), ...(r.by ? [cell.text(''), cell.text('')] : []), ...(adj ? [cell.text('')] : [])]);
    }
  }
  const sig: number[] = [];
  let k = 0;
  for (const row of r.rows) {
    if (isSignificant(adj ? row.pAdjusted ?? null : row.p)) sig.push(k);
    k += 1 + (row.type === 'categorical' ? (row.levels ?? []).length : 0);
  }
  return [{ id: 'table1', title: `Table 1${r.by ? ` by ${r.by}` : ''}`, columns: cols, rows, significant: sig, note: 'mean ± SD, median [IQR] or n (%)' }];
}

export const describeKind: ReportKind<DescribeResult> = { kind: 'describe', tables };
