/** `roc`: ROC curves of a predictor or a model, per evaluated cohort (AUC with DeLong CI, Youden cutoff). */
import type { Interval, Num, ResultBase } from '../base';
import { cell, type DataTable } from '../format';
import type { ReportKind } from './kind';

export interface RocCurvePoint { threshold: number | string; sensitivity: number; specificity: number }
export interface RocEvaluation {
  cohort: string; n: number; auc: Num; ci: Interval | null; cutoff: Num; sensitivity: Num; specificity: Num; youden: Num;
  direction: '<' | '>'; curve: RocCurvePoint[]; cases?: number; controls?: number;
}
export interface RocResult extends ResultBase { kind: 'roc'; model?: string; predictor?: string; outcome?: string; evaluations: RocEvaluation[] }

function tables(r: RocResult): DataTable[] {
  return [{
    id: 'auc', title: `ROC${r.predictor ? ` of ${r.predictor}` : r.model ? ` of ${r.model}` : ''}${r.outcome ? ` for ${r.outcome}` : ''}`,
    columns: ['Cohort', 'n', 'AUC', '95% CI (DeLong)', 'Cutoff', 'Sensitivity', 'Specificity', 'Youden'],
    rows: r.evaluations.map((e) => [cell.text(e.cohort), cell.int(e.n), cell.fixed(e.auc, 3), cell.ci(e.ci, 3), cell.num(e.cutoff, 4), cell.fixed(e.sensitivity, 3), cell.fixed(e.specificity, 3), cell.fixed(e.youden, 3)]),
  }];
}

export const rocKind: ReportKind<RocResult> = { kind: 'roc', tables };
