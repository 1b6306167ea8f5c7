/** `correlate X with VARS [with method M]`: one correlation per variable. */
import type { Interval, Num, ResultBase } from '../base';
import { cell, significantRows, type DataTable } from '../format';
import type { ReportKind } from './kind';

/** The correlation methods and how charts name their coefficient: the one list of methods on the contract side. */
export const CORRELATE_METHOD_LABELS = { pearson: 'Pearson r', spearman: 'Spearman ρ', kendall: 'Kendall τ' } as const;
export type CorrelateMethod = keyof typeof CORRELATE_METHOD_LABELS;

/** The label of a method's coefficient; a method this build does not know shows its own name (never another's). */
export function correlateMethodLabel(method: string): string {
  return Object.prototype.hasOwnProperty.call(CORRELATE_METHOD_LABELS, method) ? CORRELATE_METHOD_LABELS[method as CorrelateMethod] : method;
}

export interface CorrelateRow { variable: string; method: CorrelateMethod; r: Num; n: number; ci: Interval | null; p: Num; statistic?: Num; df?: Num; pAdjusted?: Num }
export interface CorrelateResult extends ResultBase {
  kind: 'correlate';
  x: string;
  /** `with adjust M`: the multiple-testing adjustment over the rows (p.adjust), by name; each row has `pAdjusted`. */
  adjust?: string;
  /** One-sided tests (`with alternative`): a negative ('less') or positive ('greater') association; one-sided CIs. */
  alternative?: 'less' | 'greater';
  rows: CorrelateRow[];
  /** Extra for scatter plots: paired values per row variable. */
  points?: Record<string, { x: number; y: number; id?: string }[]>;
}

function tables(r: CorrelateResult): DataTable[] {
  const adj = r.adjust !== undefined;
  return [{
    id: 'correlations', title: `Correlation with ${r.x}`,
    columns: ['Variable', 'Method', 'r', 'n', '95% CI', 'p', ...(adj ? [`p (${r.adjust})`] : [])],
    rows: r.rows.map((x) => [cell.text(x.variable), cell.text(x.method), cell.fixed(x.r, 3), cell.int(x.n), cell.ci(x.ci, 3), cell.p(x.p), ...(adj ? [cell.p(x.pAdjusted ?? null)] : [])]),
    significant: significantRows(r.rows.map((x) => (adj ? x.pAdjusted ?? null : x.p))),
    ...(r.alternative ? { note: `One-sided tests and intervals: ${r.alternative === 'less' ? 'negative' : 'positive'} association.` } : {}),
  }];
}

export const correlateKind: ReportKind<CorrelateResult> = { kind: 'correlate', tables };
