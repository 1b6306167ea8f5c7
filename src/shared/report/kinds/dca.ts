/** `dca`: decision curve (net benefit of a labelled model against treat all / treat none). */
import type { Num, ResultBase } from '../base';
import { cell, type Cell, type DataTable } from '../format';
import type { ReportKind } from './kind';

export interface DcaEvaluation { cohort: string; thresholds: number[]; model: Num[]; all: Num[]; none: Num[] }
export interface DcaResult extends ResultBase { kind: 'dca'; model: string; evaluations: DcaEvaluation[] }

function tables(r: DcaResult): DataTable[] {
  return [{
    id: 'net-benefit', title: `Net benefit of ${r.model}`, columns: ['Cohort', 'Threshold', 'Model', 'Treat all', 'Treat none'],
    rows: r.evaluations.flatMap((e) => e.thresholds.map((th, i) => (i % 5 === 0 || e.thresholds.length <= 20
      ? [cell.text(e.cohort), cell.fixed(th, 2), cell.num(e.model[i], 3), cell.num(e.all[i], 3), cell.num(e.none[i], 3)] : null)).filter((x): x is Cell[] => x !== null)),
    note: 'every 5th threshold shown; the CSV of the chart data has all',
  }];
}

export const dcaKind: ReportKind<DcaResult> = { kind: 'dca', tables };
