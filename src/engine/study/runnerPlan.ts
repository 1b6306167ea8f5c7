/**
 * The runner's view of a checked study: plain statements with ranges, expressions in the evaluator's form.
 * `planFromAst` (runnerAst.ts) builds it from the study language's AST, so the runner does not depend on the
 * AST's details.
 */
import type { Range } from '../common/diagnostic';
import type { CqFormat, QcThreshold } from '../plate/model';
import type { ResultKind } from '../../shared/report/types';
import type { PlanAnalysis, PlanOutcome } from '../analyses';
import type { EvalExpr } from './eval';

/** A `qc` setting's field in the plan: a QC threshold, or `minCq` (the importers' smallest plausible Cq). */
export type QcField = QcThreshold | 'minCq';

export type { OptionValue, PlanOutcome } from '../analyses/types';
/** A planned analysis: the plan of each kind is defined with the kind (src/engine/analyses/<kind>.ts). */
export type { PlanAnalysis } from '../analyses';

export interface PlanPlates { glob: string; format?: CqFormat; target?: string; range: Range }
export interface PlanCohort { name: string; expr: EvalExpr; range: Range }
export interface PlanSplit { names: string[]; proportions: number[]; seed: number; stratify?: EvalExpr; range: Range }
export interface PlanLet { name: string; expr: EvalExpr; range: Range }

export interface PlanHemolysis { high: string; low: string; op: '>' | '<'; threshold: number; range: Range }
export interface PlanSpikeIn { target: string; z: number; range: Range }

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
  efficiency?: { values: Record<string, number>; standards: boolean; linreg?: boolean; range: Range };
  /** `cq from ...` other than the instrument's (src/engine/curves/plateAnalysis.ts). */
  cq?: { method: 'threshold' | 'threshold-auto' | 'linregpcr'; threshold?: number; range: Range };
  calibrator?: { expr: EvalExpr; range: Range };
  /** The `qc` settings (QC_OPTIONS, each under its name in camel case) and rules. */
  qc: Partial<Record<QcField, number>> & {
    range?: Range;
    /** Pre-analytical rules (`qc hemolysis ...`, `qc spike-in ...`; src/engine/qc/preanalytical). */
    hemolysis?: PlanHemolysis[]; spikeIns?: PlanSpikeIn[];
  };
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
