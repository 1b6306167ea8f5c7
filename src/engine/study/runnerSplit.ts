/** `split a / b = 70 / 30 seed S [stratify EXPR]` → cohorts (row indices), with stats/split's seededSplit. */
import { seededSplit } from '../stats/split';
import { Evaluator, type EvalScope } from './eval';
import type { PlanSplit } from './runnerPlan';

/**
 * Splits all subjects (in clinical-table order). Subjects whose stratify value is missing form their own stratum
 * "(missing)" so every subject lands in exactly one part.
 */
export function splitCohorts(s: PlanSplit, scope: EvalScope, all: number[], _subjects: string[]): number[][] {
  let strata: (string | number)[] | undefined;
  if (s.stratify) {
    const c = new Evaluator(scope, all).eval(s.stratify);
    strata = c.values.map((v) => (v === null ? '(missing)' : v));
  }
  const assign = seededSplit(all.length, s.proportions, s.seed, strata);
  return s.names.map((_, k) => all.filter((_i, j) => assign[j] === k));
}
