/**
 * `validate MODEL with bootstrap B, seed S [, conf 0.95]`: bootstrap validation of a labelled logistic or Cox model
 * as rms::validate (method "boot"; stats/validate.ts), on the rows the model was fitted on.
 */
import { SEED_MAX } from '../stats/rng';
import { validateCox, validateLogistic, type ValidationResult } from '../stats/validate';
import type { ValidateResult } from '../../shared/report/types';
import { AnalysisError, fin, optNum, type FittedModel, type RunContext } from './common';
import { modelConsumer, type ModelPlan } from './models';
import { CONF_OPTION } from './types';

export const validate = modelConsumer('validate', {
  signature: 'validate MODEL',
  doc: '`validate MODEL with bootstrap 200, seed 1` — bootstrap optimism-corrected Dxy/C, R², calibration slope, ... (rms::validate), with a percentile CI of the C-index.',
  options: {
    bootstrap: { type: 'number', min: 1, max: 100000, integer: true, doc: 'Bootstrap resamples (rms default 40; 200 or more for a paper).' },
    seed: { type: 'number', integer: true, min: 0, max: SEED_MAX, doc: 'Seed of the bootstrap resampling (0 to 2^32 − 1).' },
    conf: CONF_OPTION,
  },
  role: { kind: 'consumer', accepts: ['logistic', 'cox'] },
  run: runValidate,
  example: 'validate m1 with bootstrap 20, seed 1',
});

/** The model the line names (logistic, or a multivariable Cox fit). */
function fittedModel(a: ModelPlan<'validate'>, ctx: RunContext): FittedModel {
  const m = ctx.models.get(a.model);
  if (!m) {
    throw new AnalysisError(`No fitted model "${a.model}" before this line (label a logistic or multivariable cox line; a cox line \`with univariate\` fits no single model).`, a.modelRange ?? a.range);
  }
  if (a.cohorts.length && (a.cohorts.length > 1 || a.cohorts[0] !== m.cohort)) {
    throw new AnalysisError(`validate resamples the rows ${a.model} was fitted on (cohort ${m.cohort}); leave out \`in\` (use \`roc\` or \`calibrate\` ${a.model} \`in\` another cohort for external validation).`, a.cohortRanges?.[0] ?? a.range);
  }
  return m;
}

function runValidate(a: ModelPlan<'validate'>, name: string, ctx: RunContext): ValidateResult {
  const B = optNum(a, 'bootstrap', 40);
  const seed = optNum(a, 'seed', 1);
  const conf = optNum(a, 'conf', 0.95);
  if (!(Number.isInteger(B) && B >= 1)) throw new AnalysisError(`bootstrap must be a whole number >= 1 (got ${B}).`, a.optionRanges?.['bootstrap'] ?? a.range);
  if (!(conf > 0 && conf < 1)) throw new AnalysisError(`conf must be between 0 and 1 (got ${conf}).`, a.optionRanges?.['conf'] ?? a.range);
  const m = fittedModel(a, ctx);
  const opts = { B, seed, conf, beforeResample: () => { if (ctx.isCancelled()) throw new AnalysisError('cancelled'); } };
  const v: ValidationResult = m.kind === 'logistic'
    ? validateLogistic(m.y, m.X, m.model.names.slice(1), opts)
    : validateCox(m.time, m.status, m.X, m.fit.names, m.ties, opts);
  if (v.successfulResamples === 0) throw new AnalysisError(`validate: all ${v.B} bootstrap refits of ${m.name} failed.`, a.range);
  const c = v.cIndex;
  const res: ValidateResult = {
    name, kind: 'validate', cohort: m.cohort, n: v.n, dropped: 0, model: m.name, modelKind: m.kind, B: v.B, seed,
    successfulResamples: v.successfulResamples, failedResamples: v.failedResamples,
    indexes: v.rows.map((r) => ({ index: r.index, indexOrig: fin(r.indexOrig), training: fin(r.training), test: fin(r.test), optimism: fin(r.optimism), indexCorrected: fin(r.indexCorrected), n: r.n })),
    cIndex: { indexOrig: fin(c.indexOrig), training: fin(c.training), test: fin(c.test), optimism: fin(c.optimism), indexCorrected: fin(c.indexCorrected), ci: [fin(c.ci[0]), fin(c.ci[1])], conf: c.conf },
  };
  if (v.failedResamples) res.warnings = [`${v.failedResamples} of ${v.B} bootstrap refits failed (separation, singular design or no convergence) and were skipped, as rms does.`];
  return res;
}
