/** `calibrate`: bootstrap calibration curves of a labelled model (apparent and bias-corrected). */
import type { Num, ResultBase } from '../base';
import { cell, type DataTable } from '../format';
import type { ReportKind } from './kind';

export interface CalibrationPoint { predicted: number; observed: Num }
export interface CalibrateEvaluation { cohort: string; B: number; meanAbsoluteError: Num; apparent: CalibrationPoint[]; biasCorrected: CalibrationPoint[]; n?: number; seed?: number }
export interface CalibrateResult extends ResultBase { kind: 'calibrate'; model: string; evaluations: CalibrateEvaluation[] }

function tables(r: CalibrateResult): DataTable[] {
  return [{
    id: 'calibration', title: `Calibration of ${r.model}`, columns: ['Cohort', 'n', 'Bootstrap B', 'Mean absolute error'],
    rows: r.evaluations.map((e) => [cell.text(e.cohort), cell.int(e.n ?? null), cell.int(e.B), cell.num(e.meanAbsoluteError, 3)]),
  }];
}

export const calibrateKind: ReportKind<CalibrateResult> = { kind: 'calibrate', tables };
