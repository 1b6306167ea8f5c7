/**
 * `roc`: ROC curves of a predictor or a model, per evaluated cohort (AUC with DeLong CI, Youden cutoff). With several
 * markers (`roc A, B predicts y`) one evaluation per marker and cohort and DeLong's paired test for each pair.
 */
import type { Interval, Num, ResultBase } from '../base';
import { cell, significantRows, type Cell, type DataTable } from '../format';
import type { ReportKind } from './kind';

export interface RocCurvePoint { threshold: number | string; sensitivity: number; specificity: number }
export interface RocEvaluation {
  cohort: string; n: number; auc: Num; ci: Interval | null; cutoff: Num; sensitivity: Num; specificity: Num; youden: Num;
  direction: '<' | '>'; curve: RocCurvePoint[]; cases?: number; controls?: number;
  /** Several markers: the marker of this evaluation. */
  marker?: string;
}
/** DeLong's paired test of two markers in one cohort: difference = AUC1 − AUC2, its CI, z and p (pROC roc.test). */
export interface RocComparison {
  cohort: string; marker1: string; marker2: string; auc1: Num; auc2: Num; difference: Num; ci: Interval; z: Num; p: Num;
  /** With `adjust`: p adjusted over the pairs of the cohort. */
  pAdjusted?: Num;
}
export interface RocResult extends ResultBase {
  kind: 'roc'; model?: string; predictor?: string; outcome?: string; evaluations: RocEvaluation[];
  /** Several markers (`roc A, B predicts y`): their names, the pairwise tests and the CI level of the differences. */
  predictors?: string[]; comparisons?: RocComparison[]; confLevel?: number;
  /** With `adjust`: the p.adjust method's name. */
  adjust?: string;
}

function comparisonsTable(r: RocResult, cs: RocComparison[]): DataTable {
  const adj = r.adjust !== undefined;
  return {
    id: 'comparisons', title: `Pairwise DeLong tests (paired)${r.outcome ? ` for ${r.outcome}` : ''}`,
    columns: ['Cohort', 'Marker 1', 'Marker 2', 'AUC 1', 'AUC 2', 'ΔAUC', `${Math.round((r.confLevel ?? 0.95) * 1000) / 10}% CI`, 'z', 'p', ...(adj ? [`p (${r.adjust})`] : [])],
    rows: cs.map((c): Cell[] => [
      cell.text(c.cohort), cell.text(c.marker1), cell.text(c.marker2), cell.fixed(c.auc1, 3), cell.fixed(c.auc2, 3), cell.fixed(c.difference, 3),
      cell.ci(c.ci, 3), cell.num(c.z, 3), cell.p(c.p), ...(adj ? [cell.p(c.pAdjusted ?? null)] : []),
    ]),
    significant: significantRows(cs.map((c) => (adj ? c.pAdjusted ?? null : c.p))),
  };
}

function tables(r: RocResult): DataTable[] {
  if (r.comparisons) {
    return [{
      id: 'auc', title: `ROC of ${r.predictor ?? ''}${r.outcome ? ` for ${r.outcome}` : ''}`,
      columns: ['Marker', 'Cohort', 'n', 'AUC', '95% CI (DeLong)', 'Cutoff', 'Sensitivity', 'Specificity', 'Youden'],
      rows: r.evaluations.map((e) => [cell.text(e.marker), cell.text(e.cohort), cell.int(e.n), cell.fixed(e.auc, 3), cell.ci(e.ci, 3), cell.num(e.cutoff, 4), cell.fixed(e.sensitivity, 3), cell.fixed(e.specificity, 3), cell.fixed(e.youden, 3)]),
    }, comparisonsTable(r, r.comparisons)];
  }
  return [{
    id: 'auc', title: `ROC${r.predictor ? ` of ${r.predictor}` : r.model ? ` of ${r.model}` : ''}${r.outcome ? ` for ${r.outcome}` : ''}`,
    columns: ['Cohort', 'n', 'AUC', '95% CI (DeLong)', 'Cutoff', 'Sensitivity', 'Specificity', 'Youden'],
    rows: r.evaluations.map((e) => [cell.text(e.cohort), cell.int(e.n), cell.fixed(e.auc, 3), cell.ci(e.ci, 3), cell.num(e.cutoff, 4), cell.fixed(e.sensitivity, 3), cell.fixed(e.specificity, 3), cell.fixed(e.youden, 3)]),
  }];
}

export const rocKind: ReportKind<RocResult> = { kind: 'roc', tables };
