/**
 * The registry of analysis kinds: the one list every part of the engine derives its knowledge of analyses from
 * (the parser's and checker's dispatch, completion, hover, outline, the runner's plan and run, the grammar's
 * keyword list). A kind the registry does not know cannot parse, check or run.
 *
 * Adding a kind: write `<kind>.ts` exporting an `AnalysisDefinition` (see types.ts), import it here, add its AST
 * node and plan to the unions and its definition to `REGISTRY`.
 */
import type { AnalysisBase } from '../study/ast';
import { calibrate } from './calibrate';
import { compare, type CompareAnalysis, type ComparePlan } from './compare';
import { correlate, type CorrelateAnalysis, type CorrelatePlan } from './correlate';
import { cox, type CoxAnalysis, type CoxPlan } from './cox';
import { dca } from './dca';
import { describe, type DescribeAnalysis, type DescribePlan } from './describe';
import { hosmerLemeshow } from './hosmerLemeshow';
import { km, type KmAnalysis, type KmPlan } from './km';
import { logistic, type LogisticAnalysis, type LogisticPlan } from './logistic';
import type { ModelNode, ModelPlan } from './models';
import { nomogram } from './nomogram';
import { roc, type RocAnalysis, type RocPlan } from './roc';
import { stability, type StabilityAnalysis, type StabilityPlan } from './stability';
import type { AnalysisDefinition, OptionSpec, PlanBase } from './types';

export type { DescribeAnalysis, CompareAnalysis, CorrelateAnalysis, KmAnalysis, CoxAnalysis, LogisticAnalysis, RocAnalysis, StabilityAnalysis };
export type NomogramAnalysis = ModelNode<'nomogram'>;
export type CalibrateAnalysis = ModelNode<'calibrate'>;
export type HosmerLemeshowAnalysis = ModelNode<'hosmer-lemeshow'>;
export type DcaAnalysis = ModelNode<'dca'>;

/** Every analysis statement of the AST. */
export type Analysis =
  | DescribeAnalysis | CompareAnalysis | CorrelateAnalysis | KmAnalysis | CoxAnalysis | LogisticAnalysis
  | NomogramAnalysis | RocAnalysis | CalibrateAnalysis | HosmerLemeshowAnalysis | DcaAnalysis | StabilityAnalysis;

/** Every planned analysis. */
export type PlanAnalysis =
  | DescribePlan | ComparePlan | CorrelatePlan | KmPlan | CoxPlan | LogisticPlan | ModelPlan<'nomogram'> | RocPlan
  | ModelPlan<'calibrate'> | ModelPlan<'hosmer-lemeshow'> | ModelPlan<'dca'> | StabilityPlan;

export type AnalysisKind = Analysis['analysis'];

type DefinitionOf<K extends AnalysisKind> = AnalysisDefinition<Extract<Analysis, { analysis: K }>, Extract<PlanAnalysis, { kind: K }>>;

/** The registry, in the order of the documentation (and of completion). Exhaustive: a kind missing here does not compile. */
const REGISTRY: { [K in AnalysisKind]: DefinitionOf<K> } = {
  describe, compare, correlate, km, cox, logistic, nomogram, roc, calibrate, 'hosmer-lemeshow': hosmerLemeshow, dca, stability,
};

/** A definition as the dispatching code sees it (the node / plan it receives is of its kind). */
export type AnyAnalysisDefinition = AnalysisDefinition<AnalysisBase & { analysis: AnalysisKind }, PlanBase & { kind: AnalysisKind }>;

/** Every analysis keyword. */
export const ANALYSIS_KINDS: readonly AnalysisKind[] = Object.keys(REGISTRY) as AnalysisKind[];

/** The definition of a kind, or undefined for a word that is not an analysis. */
export function lookupAnalysis(word: string): AnyAnalysisDefinition | undefined {
  return Object.prototype.hasOwnProperty.call(REGISTRY, word) ? (REGISTRY[word as AnalysisKind] as unknown as AnyAnalysisDefinition) : undefined;
}

/** The definition of a registered kind. */
export function analysisDefinition(kind: AnalysisKind): AnyAnalysisDefinition {
  const d = lookupAnalysis(kind);
  if (!d) throw new Error(`Unknown analysis kind "${kind}".`);
  return d;
}

export function isAnalysisKind(word: string): word is AnalysisKind { return lookupAnalysis(word) !== undefined; }

/** Analyses that fit a model others can refer to by label. */
export const MODEL_ANALYSES: readonly AnalysisKind[] = ANALYSIS_KINDS.filter((k) => analysisDefinition(k).role.kind === 'model');
/** Analyses that take a model name. */
export const MODEL_CONSUMERS: readonly AnalysisKind[] = ANALYSIS_KINDS.filter((k) => analysisDefinition(k).role.kind === 'consumer');
/** Options each analysis accepts after `with`. */
export const ANALYSIS_OPTIONS = Object.fromEntries(ANALYSIS_KINDS.map((k) => [k, analysisDefinition(k).options])) as Record<AnalysisKind, Record<string, OptionSpec>>;
/** Hover / completion documentation of each analysis keyword. */
export const ANALYSIS_DOCS = Object.fromEntries(ANALYSIS_KINDS.map((k) => [k, analysisDefinition(k).doc])) as Record<AnalysisKind, string>;

export type { AnalysisDefinition, AnalysisChecker, AnalysisCompleter, AnalysisParser, AnalysisPlanner, AnalysisRole, OptionSpec, OptionValue, PlanBase, PlanOutcome } from './types';
export type { FittedModel, FittedLogistic, FittedCox, RunContext } from './common';
export { AnalysisError } from './common';
