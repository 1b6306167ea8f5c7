/** `hosmer-lemeshow MODEL [in C1, C2] with groups 10`: goodness of fit of a logistic model (stats/hosmer.ts). */
import { hosmerLemeshow as hosmerLemeshowTest, type HosmerLemeshowResultData } from '../stats/hosmer';
import type { HosmerLemeshowEvaluation, HosmerLemeshowResult } from '../../shared/report/types';
import { optNum, type RunContext } from './common';
import { modelConsumer, modelEvaluations, type ModelPlan } from './models';

export const hosmerLemeshow = modelConsumer('hosmer-lemeshow', {
  signature: 'hosmer-lemeshow MODEL [in C1, C2]',
  doc: '`hosmer-lemeshow MODEL in C1, C2 with groups 10` — goodness of fit (df = groups - 2).',
  options: {
    groups: { type: 'number', min: 3, max: 1000, integer: true, doc: 'Number of quantile groups (default 10; df = groups - 2).' },
  },
  role: { kind: 'consumer', accepts: ['logistic'] },
  run: runHosmerLemeshow,
  example: 'hosmer-lemeshow m1 with groups 5',
});

/** report.json shape. */
export function toHosmerLemeshowEvaluation(h: HosmerLemeshowResultData, cohort: string): HosmerLemeshowEvaluation {
  return { cohort, chisq: h.chisq, df: h.df, p: h.p, groups: h.groups, table: h.table.map((t) => ({ group: t.group, n: t.n, observed: t.observed, expected: t.expected })) };
}

function runHosmerLemeshow(a: ModelPlan<'hosmer-lemeshow'>, name: string, ctx: RunContext): HosmerLemeshowResult {
  const g = optNum(a, 'groups', 10);
  const r = modelEvaluations(a, ctx, (e, cohort, _m, warnings) => {
    const h = hosmerLemeshowTest(e.y, e.p, g);
    if (h.warning) warnings.push(`${cohort}: ${h.warning}`);
    return toHosmerLemeshowEvaluation(h, cohort);
  });
  const res: HosmerLemeshowResult = { name, cohort: r.cohort, model: r.model, kind: 'hosmer-lemeshow', n: r.n, dropped: r.dropped, evaluations: r.evaluations };
  if (r.warnings.length) res.warnings = r.warnings;
  return res;
}
