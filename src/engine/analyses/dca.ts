/** `dca MODEL [in C1, C2] with thresholds 0.05 to 0.95 by 0.01`: decision curve, net benefit (stats/dca.ts). */
import { decisionCurve, defaultDcaThresholds, type DecisionCurve } from '../stats/dca';
import type { DcaEvaluation, DcaResult } from '../../shared/report/types';
import { optList, type RunContext } from './common';
import { modelConsumer, modelEvaluations, type ModelPlan } from './models';

export const dca = modelConsumer('dca', {
  signature: 'dca MODEL [in C1, C2]',
  doc: '`dca MODEL in C1, C2 with thresholds 0.05 to 0.95 by 0.01` — decision curve (net benefit).',
  options: {
    thresholds: { type: 'sequence', min: 0, max: 1, doc: 'Threshold probabilities, e.g. `0.05 to 0.95 by 0.01`.' },
  },
  role: { kind: 'consumer', accepts: ['logistic'] },
  run: runDca,
  example: 'dca m1 with thresholds 0.1 to 0.5 by 0.1',
});

/** report.json shape. */
export function toDcaEvaluation(d: DecisionCurve, cohort: string): DcaEvaluation {
  return { cohort, thresholds: d.thresholds, model: d.model, all: d.all, none: d.none };
}

function runDca(a: ModelPlan<'dca'>, name: string, ctx: RunContext): DcaResult {
  const thresholds = optList(a, 'thresholds') ?? defaultDcaThresholds();
  const r = modelEvaluations(a, ctx, (e, cohort) => toDcaEvaluation(decisionCurve(e.y, e.p, thresholds), cohort));
  const res: DcaResult = { name, cohort: r.cohort, model: r.model, kind: 'dca', n: r.n, dropped: r.dropped, evaluations: r.evaluations };
  if (r.warnings.length) res.warnings = r.warnings;
  return res;
}
