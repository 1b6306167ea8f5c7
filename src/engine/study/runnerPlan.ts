/**
 * The runner's view of a checked study: plain statements with ranges, expressions in the evaluator's form.
 * `planFromAst` (runnerAst.ts) builds it from the study language's AST, so the runner does not depend on the
 * AST's details.
 */
import type { Range } from '../common/diagnostic';
import type { CqFormat } from '../plate/model';
import type { ResultKind } from '../../shared/report/types';
import type { EvalExpr } from './eval';

export type OptionValue = number | string | boolean | (number | string)[];

export interface PlanPlates { glob: string; format?: CqFormat; target?: string; range: Range }
export interface PlanCohort { name: string; expr: EvalExpr; range: Range }
export interface PlanSplit { names: string[]; proportions: number[]; seed: number; stratify?: EvalExpr; range: Range }
export interface PlanOutcome { name: string; time: EvalExpr; event: EvalExpr; range: Range }
export interface PlanLet { name: string; expr: EvalExpr; range: Range }

interface AnalysisBase {
  /** Label (`tableIV:`) or undefined (a name is generated: "km 1"). */
  label?: string;
  /** Cohorts named after `in` (empty: all subjects). */
  cohorts: string[];
  cohortRanges?: Range[];
  options: Record<string, OptionValue>;
  optionRanges?: Record<string, Range>;
  range: Range;
  /** The line as written. */
  title: string;
}

export type PlanAnalysis = AnalysisBase & (
  | { kind: 'describe'; variables: EvalExpr[]; by?: EvalExpr }
  | { kind: 'compare'; form: 'paired'; a: EvalExpr; b: EvalExpr; paired: boolean }
  | { kind: 'compare'; form: 'by'; y: EvalExpr; by: EvalExpr }
  | { kind: 'correlate'; x: EvalExpr; ys: EvalExpr[] }
  | { kind: 'km'; outcome: string; outcomeRange?: Range; by?: EvalExpr }
  | { kind: 'cox'; outcome: string; outcomeRange?: Range; terms: EvalExpr[] }
  | { kind: 'logistic'; outcome: EvalExpr; terms: EvalExpr[] }
  | { kind: 'nomogram'; model: string; modelRange?: Range }
  | { kind: 'roc'; model: string; modelRange?: Range }
  | { kind: 'roc'; marker: EvalExpr; outcome: EvalExpr }
  | { kind: 'calibrate' | 'hosmer-lemeshow' | 'dca'; model: string; modelRange?: Range }
  | { kind: 'stability'; targets: string[]; by?: string }
);

export interface StudyPlan {
  title: string;
  titleRange?: Range;
  plates: PlanPlates[];
  clinical?: { path: string; key: string; range: Range };
  samples?: { pattern: string; range: Range } | { sheet: string; key: string; range: Range };
  references: string[];
  referenceRange?: Range;
  targets?: string[];
  targetsRange?: Range;
  efficiency?: { values: Record<string, number>; standards: boolean; range: Range };
  calibrator?: { expr: EvalExpr; range: Range };
  qc: { maxCq?: number; replicateSd?: number; ntcMinCq?: number; minReplicates?: number; minCq?: number; range?: Range };
  nondetect?: { policy: 'exclude' | 'value' | 'max-cq' | 'impute'; value?: number; range: Range };
  outliers?: { method: 'none' | 'grubbs' | 'distance'; alpha?: number; distance?: number; range: Range };
  interrun?: { glob: string; range: Range };
  lets: PlanLet[];
  cohorts: PlanCohort[];
  splits: PlanSplit[];
  outcomes: PlanOutcome[];
  analyses: PlanAnalysis[];
}

export type { ResultKind };
