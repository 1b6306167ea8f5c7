/**
 * report.json, the contract of docs/study-language.md ("report.json (contract)"). The study runner writes it,
 * the results webview and report.html read it. Field names here are the contract: add, never rename.
 * p-values are never rounded. Numbers that cannot be computed are `null` (JSON has no NaN/Infinity).
 *
 * This file is the envelope (Report, ErrorResult, isErrorResult) and re-exports the rest: the building blocks
 * (base.ts) and each kind's result types (kinds/<kind>.ts, registered in kinds/index.ts, from which the
 * AnalysisResult union and ResultKind are derived).
 */
import type { MethodsSummary, ReportData } from './base';
import type { AnalysisResult, ResultKind } from './kinds';
import type { StepsSection } from './steps';
import type { PreanalyticalSection } from './preanalytical';
import type { MiqeSection } from './miqe';

export type { Interval, MethodsSummary, Num, QcEntry, ReportData, ResultBase } from './base';
export type { AnalysisResult, ResultKind } from './kinds';
export type { DescribeResult, DescribeRow } from './kinds/describe';
export type { CompareResult, NormalityRow, PosthocRow, PosthocTable } from './kinds/compare';
export type { CorrelateMethod, CorrelateResult, CorrelateRow } from './kinds/correlate';
export type { KmGroup, KmPoint, KmResult } from './kinds/km';
export type { CoxResult, CoxTerm, TestStat } from './kinds/cox';
export type { LogisticResult, LogisticTerm } from './kinds/logistic';
export type { AnovaRow, PartialEffect, SplineParts } from './modelTerms';
export type { NomogramResult, NomogramSurvivalAxis } from './kinds/nomogram';
export type { RocComparison, RocCurvePoint, RocEvaluation, RocResult } from './kinds/roc';
export type { CalibrateEvaluation, CalibrateResult, CalibrationPoint, CoxCalibration, CoxCalibrationRow } from './kinds/calibrate';
export type { HosmerLemeshowEvaluation, HosmerLemeshowResult } from './kinds/hosmer-lemeshow';
export type { DcaEvaluation, DcaResult } from './kinds/dca';
export type { StabilityResult } from './kinds/stability';
export type { AbsoluteResult } from './kinds/absolute';
export type { ValidateCIndex, ValidateIndex, ValidateResult } from './kinds/validate';
export type { AncovaTable, LinearResult, LinearTerm, TermTest } from './kinds/linear';
export type { CompareModelsEvaluation, CompareModelsResult, ImproveIndexRow, ModelsLrt, NriSummary } from './kinds/compare-models';
export type { StepReplicate, StepRow, StepsSection } from './steps';
export type { MiqeItem, MiqeSection } from './miqe';
export type { HemolysisCheck, HemolysisRow, PreanalyticalSection, SpikeInCheck, SpikeInRow } from './preanalytical';
export type { ForestInteraction, ForestResult, ForestRow } from './kinds/forest';
export type { FoldChangeGroup, FoldChangeResult, FoldChangeSample } from './kinds/foldchange';

/** A failed analysis: reported, never thrown; other analyses still run. */
export interface ErrorResult { name: string; kind: ResultKind; cohort: string; n: number; dropped: number; error: string; line?: number }

export interface Report {
  study: string;
  version: 1;
  engine: string;         // "qpcr-studio x.y.z"
  generated?: string;     // ISO date
  methods?: MethodsSummary;
  data: ReportData;
  results: (AnalysisResult | ErrorResult)[];
  /** Per sample × target: replicate Cqs used and excluded, references, dCq, ddCq, quantity (steps.ts; steps.csv). */
  steps?: StepsSection;
  /** `qc hemolysis` / `qc spike-in` checks, one table per check (preanalytical.ts). */
  preanalytical?: PreanalyticalSection;
  /** The MIQE checklist: items filled from the study and plates, the rest to report by hand (miqe.ts). */
  miqe?: MiqeSection;
}

export function isErrorResult(r: AnalysisResult | ErrorResult): r is ErrorResult {
  return (r as ErrorResult).error !== undefined;
}
