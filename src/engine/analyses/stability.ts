/**
 * `stability T1, T2, T3 [by FIELD] [in COHORT]`: reference-gene stability, geNorm M/V and NormFinder
 * (expression/stability.ts).
 */
import { stabilityAnalysis } from '../expression';
import type { AnalysisBase, Ident } from '../study/ast';
import type { StabilityResult } from '../../shared/report/types';
import { AnalysisError, type RunContext } from './common';
import { cohortSamples, targetListSyntax } from './targetList';
import type { AnalysisDefinition, PlanBase } from './types';

/** `stability T1, T2, T3 [by FIELD] [in COHORT]` (geNorm M/V and NormFinder). */
export interface StabilityAnalysis extends AnalysisBase { analysis: 'stability'; targets: Ident[]; by?: Ident }
export type StabilityPlan = PlanBase & { kind: 'stability'; targets: string[]; by?: string };

export const stability: AnalysisDefinition<StabilityAnalysis, StabilityPlan> = {
  kind: 'stability',
  signature: 'stability T1, T2, T3 [by FIELD]',
  doc: '`stability T1, T2, T3 [by FIELD] [in COHORT]` — reference-gene stability: geNorm M/V and NormFinder.',
  options: {},
  role: { kind: 'plain' },
  ...targetListSyntax,
  run: runStability,
  example: 'stability miR-122, miR-21, cel-miR-39 by timepoint',
};

function runStability(a: StabilityPlan, name: string, ctx: RunContext): StabilityResult {
  const { cohort, samples } = cohortSamples(a, ctx);
  const known = new Set(ctx.expression.samples.map((s) => s.target));
  for (const t of a.targets) if (!known.has(t)) throw new AnalysisError(`"${t}" is not a target on the plates (targets: ${[...known].join(', ')}).`, a.range);
  const eff: Record<string, number> = {};
  for (const e of ctx.expression.efficiencies) eff[e.target] = e.value;
  return stabilityAnalysis(samples, a.targets, { name, cohort, efficiency: eff, ...(a.by ? { groupField: a.by } : {}) });
}
