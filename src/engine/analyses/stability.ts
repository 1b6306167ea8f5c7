/**
 * `stability T1, T2, T3 [by FIELD] [in COHORT]`: reference-gene stability, geNorm M/V and NormFinder
 * (expression/stability.ts).
 */
import { stabilityAnalysis } from '../expression';
import type { AnalysisBase, Ident } from '../study/ast';
import type { StabilityResult } from '../../shared/report/types';
import { AnalysisError, singleCohort, type RunContext } from './common';
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
  parse(p) {
    const targets = p.identList('a target name');
    return { targets, ...(p.eatWord('by') ? { by: p.ident('a sample field') } : {}) };
  },
  exprs: () => [],
  check(n, c) {
    for (const t of n.targets) c.target(t);
    if (n.by) c.sampleField(n.by);
  },
  plan: (n) => ({ targets: n.targets.map((t) => t.name), ...(n.by ? { by: n.by.name } : {}) }),
  run: runStability,
  complete(c) {
    if (c.tokens.length === 1 || c.lastIs(',')) { c.targets(); return; }
    if (c.lastIs('by')) { c.fields(); return; }
    c.keyword('by'); c.keyword('in', 'Cohort'); c.keyword('with', 'Analysis options');
  },
  example: 'stability miR-122, miR-21, cel-miR-39 by timepoint',
};

function runStability(a: StabilityPlan, name: string, ctx: RunContext): StabilityResult {
  const { name: cohort, rows } = singleCohort(a, ctx);
  let samples = ctx.expression.samples;
  if (cohort !== 'all' && ctx.keyField) {
    const keep = new Set(rows.map((i) => ctx.subjects[i]));
    samples = samples.filter((s) => keep.has(s.fields[ctx.keyField!]));
  }
  const known = new Set(ctx.expression.samples.map((s) => s.target));
  for (const t of a.targets) if (!known.has(t)) throw new AnalysisError(`"${t}" is not a target on the plates (targets: ${[...known].join(', ')}).`, a.range);
  const eff: Record<string, number> = {};
  for (const e of ctx.expression.efficiencies) eff[e.target] = e.value;
  return stabilityAnalysis(samples, a.targets, { name, cohort, efficiency: eff, ...(a.by ? { groupField: a.by } : {}) });
}
