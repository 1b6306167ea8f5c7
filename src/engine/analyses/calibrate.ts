/** `calibrate MODEL [in C1, C2] with bootstrap 1000, seed 1`: calibration curve as rms::calibrate (stats/calibrate.ts). */
import { calibrateExternal, calibrateLogistic, type CalibrationCurveResult } from '../stats/calibrate';
import { SEED_MAX } from '../stats/rng';
import type { CalibrateEvaluation, CalibrateResult } from '../../shared/report/types';
import { AnalysisError, optNum, type RunContext } from './common';
import { modelConsumer, modelEvaluations, type ModelPlan } from './models';

export const calibrate = modelConsumer('calibrate', {
  signature: 'calibrate MODEL [in C1, C2]',
  doc: '`calibrate MODEL in C1, C2 with bootstrap 1000, seed 1` — calibration curve (rms::calibrate).',
  options: {
    bootstrap: { type: 'number', min: 1, max: 100000, integer: true, doc: 'Bootstrap repetitions for the optimism correction (rms default 40).' },
    seed: { type: 'number', integer: true, min: 0, max: SEED_MAX, doc: 'Seed of the bootstrap resampling (0 to 2^32 − 1).' },
  },
  role: { kind: 'consumer', accepts: ['logistic'] },
  run: runCalibrate,
  example: 'calibrate m1 with bootstrap 20, seed 1',
});

/** report.json shape. */
export function toCalibrateEvaluation(c: CalibrationCurveResult, cohort: string): CalibrateEvaluation {
  const ev: CalibrateEvaluation = {
    cohort, B: c.B, meanAbsoluteError: c.meanAbsoluteError,
    apparent: c.predy.map((p, i) => ({ predicted: p, observed: c.apparent[i] })),
    biasCorrected: c.predy.map((p, i) => ({ predicted: p, observed: c.biasCorrected[i] })), n: c.n,
  };
  if (c.seed !== null) ev.seed = c.seed;
  return ev;
}

function runCalibrate(a: ModelPlan<'calibrate'>, name: string, ctx: RunContext): CalibrateResult {
  const B = optNum(a, 'bootstrap', 40);
  const seed = optNum(a, 'seed', 1);
  if (!(Number.isInteger(B) && B >= 0)) throw new AnalysisError(`bootstrap must be a whole number >= 0 (got ${B}).`, a.optionRanges?.['bootstrap'] ?? a.range);
  const r = modelEvaluations(a, ctx, (e, cohort, m, warnings) => {
    if (ctx.isCancelled()) throw new AnalysisError('cancelled');
    if (cohort === m.cohort) {
      const fit = calibrateLogistic(m.y, m.X, m.model.names.slice(1), { B, seed });
      if (fit.failedResamples) warnings.push(`${cohort}: ${fit.failedResamples} of ${B} bootstrap refits failed and were skipped.`);
      return toCalibrateEvaluation(fit, cohort);
    }
    return toCalibrateEvaluation(calibrateExternal(e.y, e.p), cohort);
  });
  const res: CalibrateResult = { name, cohort: r.cohort, model: r.model, kind: 'calibrate', n: r.n, dropped: r.dropped, evaluations: r.evaluations };
  if (r.warnings.length) res.warnings = r.warnings;
  return res;
}
