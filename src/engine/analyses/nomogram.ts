/** `nomogram MODEL`: rms-style nomogram of a labelled logistic model (stats/nomogram.ts). */
import { nomogram as nomogramScale, type NomogramData, type NomogramRange } from '../stats/nomogram';
import { splineCurve } from '../stats/nomogramSpline';
import { splineOf } from './design';
import { exprText } from '../study/eval';
import type { NomogramResult } from '../../shared/report/types';
import type { RunContext } from './common';
import { logisticModel, modelConsumer, type ModelPlan } from './models';

export const nomogram = modelConsumer('nomogram', {
  signature: 'nomogram MODEL',
  doc: '`nomogram MODEL` — rms-style nomogram of a labelled logistic model.',
  options: {},
  role: { kind: 'consumer', accepts: ['logistic'], refused: { cox: 'nomograms of Cox models are not supported yet' } },
  run: runNomogram,
  example: 'nomogram m1',
});

/** The NomogramResult fields computed by stats/nomogram.ts (the caller adds name/kind/cohort/n/dropped/model). */
export function toNomogramFields(nom: NomogramData): Pick<NomogramResult, 'axes' | 'total' | 'pointsPerUnit' | 'intercept' | 'terms'> {
  return {
    axes: nom.axes.map((a) => ({ term: a.term, ticks: a.ticks.map((t) => ({ value: t.value, points: t.points })) })),
    total: nom.total.map((t) => ({ points: t.points, probability: t.probability })),
    pointsPerUnit: nom.pointsPerUnit, intercept: nom.intercept, terms: nom.terms,
  };
}

function runNomogram(a: ModelPlan<'nomogram'>, name: string, ctx: RunContext): NomogramResult {
  const m = logisticModel(a, ctx);
  const ranges: NomogramRange[] = m.terms.map((t) => {
    if (t.type === 'factor') {
      return { term: t.text, levels: t.levels!.map((l) => ({ label: l, x: Object.fromEntries(t.levels!.slice(1).map((l2, j) => [t.columns[j], l === l2 ? 1 : 0])) })) };
    }
    const j = m.model.names.indexOf(t.columns[0]) - 1;
    if (t.binary) return { term: t.text, discrete: [0, 1] };
    let lo = Infinity, hi = -Infinity;
    for (const r of m.X) { lo = Math.min(lo, r[j]); hi = Math.max(hi, r[j]); }
    const s = splineOf(t.expr);
    if (s) return { term: exprText(s.x), min: lo, max: hi, spline: { columns: t.columns, knots: t.knots! } };
    return { term: t.text, min: lo, max: hi };
  });
  const nom = nomogramScale({ coef: m.model.coef, names: m.model.names, linearPredictor: m.model.linearPredictor }, ranges);
  const fields = toNomogramFields(nom);
  const colIndex = new Map(m.model.names.map((c, i) => [c, i]));
  nom.axes.forEach((ax, k) => { const curve = splineCurve(ax, m.model.coef, colIndex, nom.pointsPerUnit); if (curve) fields.axes[k].curve = curve; });
  return { name, kind: 'nomogram', cohort: m.cohort, n: m.y.length, dropped: m.cohortRows.length - m.y.length, model: m.name, ...fields };
}
