/**
 * `nomogram MODEL`: rms-style nomogram of a labelled logistic model, or of a Cox model with survival axes
 * (`with times 12, 36, 60` and/or `median`) as rms::nomogram(cph, fun = Survival / Quantile) (stats/nomogram.ts).
 * Spline terms (`rcs(x, k)`) get non-monotone axes as in rms (stats/nomogramSpline.ts).
 */
import { coxBaseline, cphCentring } from '../stats/coxSurvival';
import { coxNomogram, nomogram as nomogramScale, type NomogramData, type NomogramRange, type NomogramScale } from '../stats/nomogram';
import { splineCurve } from '../stats/nomogramSpline';
import { splineOf } from './design';
import { exprText } from '../study/eval';
import type { NomogramResult } from '../../shared/report/types';
import { AnalysisError, optList, type FittedCox, type RunContext } from './common';
import type { DesignTerm } from './design';
import { fittedModel, modelConsumer, type ModelPlan } from './models';

const base = modelConsumer('nomogram', {
  signature: 'nomogram MODEL',
  doc: '`nomogram MODEL` — rms-style nomogram of a labelled logistic model; of a Cox model `with times 12, 36` (survival at each time) and/or `median` (median survival time).',
  options: {
    times: { type: 'numbers', min: 0, doc: 'Cox models: a survival axis at each of these times (rms Survival(f)).' },
    median: { type: 'flag', doc: 'Cox models: a median survival time axis (rms Quantile(f)).' },
  },
  role: { kind: 'consumer', accepts: ['logistic', 'cox'] },
  run: runNomogram,
  example: 'nomogram m1',
});

export const nomogram: typeof base = {
  ...base,
  check(n, c) {
    const kind = c.model(n.model);
    const survivalOpts = n.options.filter((o) => o.name === 'times' || o.name === 'median');
    if (kind === 'cox' && !survivalOpts.length) c.error(`A nomogram of the Cox model \`${n.model.name}\` needs survival times (\`with times 12, 36\`) or \`median\`.`, n.model.range);
    if (kind === 'logistic') for (const o of survivalOpts) c.error(`\`${o.name}\` is for Cox models; \`${n.model.name}\` is a logistic model.`, o.nameRange);
  },
};

/** The NomogramResult fields computed by stats/nomogram.ts (the caller adds name/kind/cohort/n/dropped/model). */
export function toNomogramFields(nom: NomogramData): Pick<NomogramResult, 'axes' | 'total' | 'pointsPerUnit' | 'intercept' | 'terms'> {
  return {
    axes: axesOf(nom),
    total: nom.total.map((t) => ({ points: t.points, probability: t.probability })),
    pointsPerUnit: nom.pointsPerUnit, intercept: nom.intercept, terms: nom.terms,
  };
}

const axesOf = (nom: NomogramScale): NomogramResult['axes'] => nom.axes.map((a) => ({ term: a.term, ticks: a.ticks.map((t) => ({ value: t.value, points: t.points })) }));

/** An axis per design term: a factor's levels, 0/1 for a binary term, else the full data range (datadist "full"). */
function nomogramRanges(terms: DesignTerm[], names: string[], X: number[][]): NomogramRange[] {
  return terms.map((t) => {
    if (t.type === 'factor') {
      return { term: t.text, levels: t.levels!.map((l) => ({ label: l, x: Object.fromEntries(t.levels!.slice(1).map((l2, j) => [t.columns[j], l === l2 ? 1 : 0])) })) };
    }
    const j = names.indexOf(t.columns[0]);
    if (t.binary) return { term: t.text, discrete: [0, 1] };
    let lo = Infinity, hi = -Infinity;
    for (const r of X) { lo = Math.min(lo, r[j]); hi = Math.max(hi, r[j]); }
    const s = splineOf(t.expr);
    if (s) return { term: exprText(s.x), min: lo, max: hi, spline: { columns: t.columns, knots: t.knots! } };
    return { term: t.text, min: lo, max: hi };
  });
}

/** Spline terms' axes are non-monotone: each gets its points at 201 values (`curve`) for the calculator. */
function withSplineCurves(axes: NomogramResult['axes'], nom: NomogramScale, coef: number[], names: string[]): NomogramResult['axes'] {
  const colIndex = new Map(names.map((c, i) => [c, i]));
  nom.axes.forEach((ax, k) => { const curve = splineCurve(ax, coef, colIndex, nom.pointsPerUnit); if (curve) axes[k].curve = curve; });
  return axes;
}

function runNomogram(a: ModelPlan<'nomogram'>, name: string, ctx: RunContext): NomogramResult {
  const m = fittedModel(a, ctx);
  const times = optList(a, 'times');
  const median = a.options['median'] !== undefined;
  if (m.kind === 'cox') return coxNomogramResult(a, name, m, times, median);
  if (times || median) throw new AnalysisError(`\`times\` and \`median\` are for Cox models; "${m.name}" is a logistic model.`, a.optionRanges?.[times ? 'times' : 'median'] ?? a.range);
  const nom = nomogramScale({ coef: m.model.coef, names: m.model.names, linearPredictor: m.model.linearPredictor }, nomogramRanges(m.terms, m.model.names.slice(1), m.X));
  const fields = toNomogramFields(nom);
  fields.axes = withSplineCurves(fields.axes, nom, m.model.coef, m.model.names);
  return { name, kind: 'nomogram', cohort: m.cohort, n: m.y.length, dropped: m.cohortRows.length - m.y.length, model: m.name, ...fields };
}

function coxNomogramResult(a: ModelPlan<'nomogram'>, name: string, m: FittedCox, times: number[] | undefined, median: boolean): NomogramResult {
  if (!times?.length && !median) throw new AnalysisError(`A nomogram of the Cox model "${m.name}" needs survival times (\`with times 12, 36\`) or \`median\`.`, a.range);
  const c = cphCentring(m.X, m.coef);
  const baseline = coxBaseline(m.time, m.status, c.lp, m.ties);
  const last = baseline.time[baseline.time.length - 1];
  const late = (times ?? []).filter((t) => t > last);
  if (late.length) throw new AnalysisError(`Survival time ${late.join(', ')} is beyond the last follow-up time of "${m.name}" (${last}).`, a.optionRanges?.['times'] ?? a.range);
  const nom = coxNomogram({ coef: m.coef, names: m.names, center: c.center, linearPredictor: c.lp }, nomogramRanges(m.terms, m.names, m.X), baseline, { times: times ?? [], median });
  return {
    name, kind: 'nomogram', cohort: m.cohort, n: m.time.length, dropped: m.dropped, model: m.name, modelKind: 'cox',
    axes: withSplineCurves(axesOf(nom), nom, m.coef, m.names), total: [], pointsPerUnit: nom.pointsPerUnit, intercept: nom.intercept, terms: nom.terms,
    totalPoints: nom.totalPointsAxis, lpAt: nom.lpAt, survival: nom.survival, baseline,
  };
}
