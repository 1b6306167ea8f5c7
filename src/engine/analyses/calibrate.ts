/**
 * `calibrate MODEL [in C1, C2] with bootstrap 1000, seed 1`: calibration curve of a logistic model as rms::calibrate
 * (stats/calibrate.ts); `calibrate COXMODEL at 36 with bootstrap 200, groups 3`: a Cox model's calibration at a
 * time point as rms::calibrate(cph, u, cmethod = "KM") (stats/calibrateCox.ts).
 */
import type { Range } from '../common/diagnostic';
import { calibrateExternal, calibrateLogistic, type CalibrationCurveResult } from '../stats/calibrate';
import { calibrateCox } from '../stats/calibrateCox';
import { qnorm } from '../stats/dist';
import { SEED_MAX } from '../stats/rng';
import type { Expr } from '../study/ast';
import type { CalibrateEvaluation, CalibrateResult, CoxCalibration } from '../../shared/report/types';
import { AnalysisError, optNum, type FittedCox, type RunContext } from './common';
import { fittedModel, modelConsumer, modelEvaluations, parseModelName, type ModelNode, type ModelPlan } from './models';
import type { AnalysisDefinition } from './types';

export type CalibrateNode = ModelNode<'calibrate'> & { at?: Expr };
export type CalibratePlan = ModelPlan<'calibrate'> & { at?: number; atRange?: Range };

const base = modelConsumer('calibrate', {
  signature: 'calibrate MODEL [at TIME] [in C1, C2]',
  doc: '`calibrate MODEL in C1, C2 with bootstrap 1000, seed 1` — calibration curve (rms::calibrate); for a Cox model `calibrate MODEL at 36 with bootstrap 200, groups 3` — predicted vs Kaplan–Meier survival at a time point, per group of predicted survival (rms::calibrate(cph, u, cmethod = "KM")).',
  options: {
    bootstrap: { type: 'number', min: 1, max: 100000, integer: true, doc: 'Bootstrap repetitions for the optimism correction (rms default 40).' },
    seed: { type: 'number', integer: true, min: 0, max: SEED_MAX, doc: 'Seed of the bootstrap resampling (0 to 2^32 − 1).' },
    groups: { type: 'number', integer: true, min: 1, max: 1000, doc: 'Cox models: number of groups of predicted survival (rms m = n / groups; default rms\'s m = 150 subjects per group).' },
  },
  role: { kind: 'consumer', accepts: ['logistic', 'cox'] },
  run: runCalibrate,
  example: 'calibrate m1 with bootstrap 20, seed 1',
});

export const calibrate: AnalysisDefinition<CalibrateNode, CalibratePlan> = {
  ...base,
  parse(p) {
    const model = parseModelName(p);
    if (!p.eatWord('at')) return { model };
    const at = p.expr();
    if (at.kind !== 'number' || at.percent || !(at.value > 0)) return p.fail('`at` takes a time point: a positive number (`calibrate m at 36`).', at.range);
    return { model, at };
  },
  exprs: () => [],
  check(n, c) {
    const kind = c.model(n.model);
    if (kind === 'cox' && !n.at) c.error(`Calibration of the Cox model \`${n.model.name}\` needs a time point: \`calibrate ${n.model.name} at 36\`.`, n.model.range);
    if (kind === 'logistic' && n.at) c.error(`\`at\` is for Cox models; \`${n.model.name}\` is a logistic model.`, n.at.range);
    const groups = n.options.find((o) => o.name === 'groups');
    if (kind === 'logistic' && groups) c.error(`\`groups\` is for Cox models; \`${n.model.name}\` is a logistic model.`, groups.nameRange);
  },
  plan: (n) => ({ model: n.model.name, modelRange: n.model.range, ...(n.at && n.at.kind === 'number' ? { at: n.at.value, atRange: n.at.range } : {}) }),
  complete(c) {
    if (c.tokens.length === 1) { c.models(); return; }
    if (c.tokens.length === 2) c.keyword('at', 'Time point (Cox models)');
    c.keyword('in', 'Cohort(s) to evaluate the model in'); c.keyword('with', 'Options');
  },
};

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

function bootstrapOptions(a: CalibratePlan): { B: number; seed: number } {
  const B = optNum(a, 'bootstrap', 40);
  const seed = optNum(a, 'seed', 1);
  if (!(Number.isInteger(B) && B >= 0)) throw new AnalysisError(`bootstrap must be a whole number >= 0 (got ${B}).`, a.optionRanges?.['bootstrap'] ?? a.range);
  return { B, seed };
}

function runCalibrate(a: CalibratePlan, name: string, ctx: RunContext): CalibrateResult {
  const model = fittedModel(a, ctx);
  if (model.kind === 'cox') return runCoxCalibrate(a, name, ctx, model);
  if (a.at !== undefined) throw new AnalysisError(`\`at\` is for Cox models; "${model.name}" is a logistic model.`, a.atRange ?? a.range);
  if (a.options['groups'] !== undefined) throw new AnalysisError(`\`groups\` is for Cox models; "${model.name}" is a logistic model.`, a.optionRanges?.['groups'] ?? a.range);
  const { B, seed } = bootstrapOptions(a);
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

function runCoxCalibrate(a: CalibratePlan, name: string, ctx: RunContext, m: FittedCox): CalibrateResult {
  if (a.at === undefined) throw new AnalysisError(`Calibration of the Cox model "${m.name}" needs a time point: \`calibrate ${m.name} at 36\`.`, a.range);
  if (a.cohorts.some((c) => c !== m.cohort)) throw new AnalysisError(`A Cox model is calibrated in its own cohort (${m.cohort}); other cohorts are not supported yet.`, a.cohortRanges?.[0] ?? a.range);
  const { B, seed } = bootstrapOptions(a);
  const groups = a.options['groups'] === undefined ? undefined : optNum(a, 'groups', 1);
  const n = m.time.length;
  const r = calibrateCox(m.time, m.status, m.X, m.coef, m.ties, a.at, { ...(groups ? { groups } : { m: 150 }), B, seed, isCancelled: ctx.isCancelled });
  const z = qnorm(0.975);
  const cox: CoxCalibration = {
    cohort: m.cohort, time: a.at, groups: r.groups.length, cuts: r.cuts, B, successfulResamples: r.successfulResamples, seed, n, events: r.events,
    rows: r.groups.map((g) => ({
      n: g.n, events: g.events, predicted: g.meanPredicted, observed: g.km, stdErr: g.stdErr,
      lower: g.km === null || g.stdErr === null ? null : g.km === 0 ? 0 : g.km * Math.exp(-z * g.stdErr),
      upper: g.km === null || g.stdErr === null ? null : g.km === 0 ? 0 : Math.min(1, g.km * Math.exp(z * g.stdErr)),
      apparentError: g.indexOrig, training: g.training, test: g.test, optimism: g.optimism, observedCorrected: g.kmCorrected, resamples: g.resamples,
    })),
  };
  const res: CalibrateResult = { name, cohort: m.cohort, model: m.name, kind: 'calibrate', n, dropped: m.dropped, evaluations: [], cox };
  const warnings: string[] = [];
  if (r.failedResamples) warnings.push(`${r.failedResamples} of ${B} bootstrap refits failed (fewer than 5 events, no convergence, or the time point beyond the resample's follow-up) and were skipped.`);
  if (r.groups.some((g) => g.km === null)) warnings.push(`Some groups have no Kaplan–Meier estimate at ${a.at} (fewer than 2 subjects, or follow-up ending before ${a.at}).`);
  if (warnings.length) res.warnings = warnings;
  return res;
}
