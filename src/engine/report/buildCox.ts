/** Cox regression of a study (placeholder until src/engine/stats/cox.ts lands). */
import type { PlanAnalysis } from '../study/runnerPlan';
import { AnalysisError, type RunContext } from './build';
import type { CoxResult } from './types';

export function buildCoxModel(a: Extract<PlanAnalysis, { kind: 'cox' }>, _name: string, _ctx: RunContext): CoxResult {
  throw new AnalysisError('Cox regression is not available in this build (src/engine/stats/cox.ts is missing).', a.range);
}
