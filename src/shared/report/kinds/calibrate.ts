/** `calibrate`: bootstrap calibration curves of a labelled logistic model, or a Cox model's calibration at a time point. */
import type { Num, ResultBase } from '../base';
import { cell, type DataTable } from '../format';
import type { ReportKind } from './kind';

export interface CalibrationPoint { predicted: number; observed: Num }
export interface CalibrateEvaluation { cohort: string; B: number; meanAbsoluteError: Num; apparent: CalibrationPoint[]; biasCorrected: CalibrationPoint[]; n?: number; seed?: number }

/** One group of predicted survival (rms::calibrate(cph, u, cmethod = "KM") row). */
export interface CoxCalibrationRow {
  n: number;
  events: number;
  /** Mean predicted survival at `time` (mean.predicted). */
  predicted: Num;
  /** Kaplan–Meier survival at `time` (KM), its std.err (log scale, survfit's) and the 95% CI (log). */
  observed: Num;
  stdErr: Num;
  lower: Num;
  upper: Num;
  /** KM − mean predicted (index.orig), bootstrap training/test means, optimism = training − test. */
  apparentError: Num;
  training: Num;
  test: Num;
  optimism: Num;
  /** KM − optimism (KM.corrected). */
  observedCorrected: Num;
  /** Resamples contributing to this group. */
  resamples: number;
}

/** Calibration of a Cox model at one time point (present instead of `evaluations` entries for a Cox model). */
export interface CoxCalibration {
  cohort: string;
  time: number;
  groups: number;
  /** Group limits on predicted survival (quantiles of c(0, 1, predicted)). */
  cuts: number[];
  B: number;
  successfulResamples: number;
  seed?: number;
  n: number;
  events: number;
  rows: CoxCalibrationRow[];
}

export interface CalibrateResult extends ResultBase { kind: 'calibrate'; model: string; evaluations: CalibrateEvaluation[]; cox?: CoxCalibration }

function coxTable(c: CoxCalibration, model: string): DataTable {
  return {
    id: 'calibration-cox', title: `Calibration of ${model} at ${c.time} (${c.cohort}, B = ${c.B})`,
    columns: ['Group', 'n', 'Events', 'Mean predicted', 'KM observed', '95% CI', 'KM − predicted', 'Optimism', 'Bias-corrected KM'],
    rows: c.rows.map((r, i) => [cell.int(i + 1), cell.int(r.n), cell.int(r.events), cell.num(r.predicted, 3), cell.num(r.observed, 3),
      cell.ci([r.lower, r.upper], 3), cell.num(r.apparentError, 3), cell.num(r.optimism, 3), cell.num(r.observedCorrected, 3)]),
    note: `${c.n} subjects, ${c.events} events; groups of predicted survival at ${c.time} (rms::calibrate, cmethod = "KM"); ${c.successfulResamples} of ${c.B} bootstrap refits used.`,
  };
}

function tables(r: CalibrateResult): DataTable[] {
  if (r.cox) return [coxTable(r.cox, r.model)];
  return [{
    id: 'calibration', title: `Calibration of ${r.model}`, columns: ['Cohort', 'n', 'Bootstrap B', 'Mean absolute error'],
    rows: r.evaluations.map((e) => [cell.text(e.cohort), cell.int(e.n ?? null), cell.int(e.B), cell.num(e.meanAbsoluteError, 3)]),
  }];
}

export const calibrateKind: ReportKind<CalibrateResult> = { kind: 'calibrate', tables };
