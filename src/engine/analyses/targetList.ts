/**
 * What the kinds over a list of targets share (`stability`, `foldchange`): the syntax `KIND T1, T2 [by FIELD]`
 * (targets on the plates, an optional sample field; `in` / `with` as everywhere) and the expression samples of the
 * analysis's cohort.
 */
import type { Ident } from '../study/ast';
import type { SampleExpression } from '../expression/types';
import type { AnalysisChecker, AnalysisCompleter, AnalysisParser } from './types';
import { singleCohort, type PlannedAnalysis, type RunContext } from './common';

export interface TargetListNode { targets: Ident[]; by?: Ident }
export interface TargetListPlan { targets: string[]; by?: string }

/** parse / exprs / check / plan / complete of `KIND T1, T2 [by FIELD]`, spread into a kind's definition. */
export const targetListSyntax = {
  parse(p: AnalysisParser): TargetListNode {
    const targets = p.identList('a target name');
    return { targets, ...(p.eatWord('by') ? { by: p.ident('a sample field') } : {}) };
  },
  exprs: () => [],
  check(n: TargetListNode, c: AnalysisChecker): void {
    for (const t of n.targets) c.target(t);
    if (n.by) c.sampleField(n.by);
  },
  plan: (n: TargetListNode): TargetListPlan => ({ targets: n.targets.map((t) => t.name), ...(n.by ? { by: n.by.name } : {}) }),
  complete(c: AnalysisCompleter): void {
    if (c.tokens.length === 1 || c.lastIs(',')) { c.targets(); return; }
    if (c.lastIs('by')) { c.fields(); return; }
    c.keyword('by'); c.keyword('in', 'Cohort'); c.keyword('with', 'Analysis options');
  },
};

/** The cohort's name and the expression samples of its subjects (every sample for `all` or without a subject key). */
export function cohortSamples(a: PlannedAnalysis, ctx: RunContext): { cohort: string; samples: SampleExpression[] } {
  const { name: cohort, rows } = singleCohort(a, ctx);
  if (cohort === 'all' || !ctx.keyField) return { cohort, samples: ctx.expression.samples };
  const keep = new Set(rows.map((i) => ctx.subjects[i]));
  return { cohort, samples: ctx.expression.samples.filter((s) => keep.has(s.fields[ctx.keyField!])) };
}
