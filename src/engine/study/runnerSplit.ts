/** `split a / b = 70 / 30 seed S [stratify EXPR]` → cohorts (row indices), with stats/split's seededSplit. */
import { isValidSeed, SEED_MAX } from '../stats/rng';
import { seededSplit } from '../stats/split';
import { EvalError, Evaluator, type EvalScope } from './eval';
import type { PlanSplit } from './runnerPlan';

/**
 * Splits all subjects (in clinical-table order). Subjects whose stratify value is missing form their own stratum
 * "(missing)" so every subject lands in exactly one part.
 */
export function splitCohorts(s: PlanSplit, scope: EvalScope, all: number[], _subjects: string[]): number[][] {
  if (!isValidSeed(s.seed)) throw new EvalError(`The seed must be an integer from 0 to ${SEED_MAX} (got ${s.seed}).`, s.range);
  let strata: (string | number)[] | undefined;
  if (s.stratify) {
    const c = new Evaluator(scope, all).eval(s.stratify);
    strata = c.values.map((v) => (v === null ? '(missing)' : v));
  }
  const assign = seededSplit(all.length, s.proportions, s.seed, strata);
  return s.names.map((_, k) => all.filter((_i, j) => assign[j] === k));
}
