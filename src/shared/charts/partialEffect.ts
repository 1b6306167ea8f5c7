/**
 * Partial-effect plots of spline terms (rms::Predict), shared by the logistic and cox chart kinds (PURE: no DOM):
 * the linear predictor against x with its pointwise confidence band, the other terms at their adjust-to values.
 */
import type { PartialEffect, SplineParts } from '../report/types';
import { fmtNum } from '../report/format';
import type { ChartSpec } from './chartSpec';

const fmtValue = (v: number | string) => (typeof v === 'number' ? fmtNum(v, 4) : v);

/** One chart per spline term; `what` is the y scale ("log odds", "log relative hazard"). */
export function partialEffectCharts(effects: PartialEffect[] | undefined, what: string): ChartSpec[] {
  return (effects ?? []).map((e, k) => ({
    id: `partial-effect-${k + 1}`, title: `Partial effect of ${e.variable} (${e.term})`,
    subtitle: e.adjustTo.length ? `adjusted to ${e.adjustTo.map((a) => `${a.term} = ${fmtValue(a.value)}`).join(', ')}` : undefined,
    width: 560, height: 380, x: { label: e.variable }, y: { label: what },
    series: [
      { type: 'band', label: `${Math.round(e.conf * 100)}% CI`, colour: 0, opacity: 0.18, points: e.points.map((p) => ({ x: p.x, lo: p.lo, hi: p.hi })) },
      { type: 'line', label: what, colour: 0, width: 2, points: e.points.map((p) => ({ x: p.x, y: p.y })) },
    ],
  } satisfies ChartSpec));
}

/** Whether a terms-table row is a spline's column (its per-unit ratio means nothing alone: not in forest plots). */
export function isSplineColumn(r: SplineParts, term: string): boolean {
  return (r.splines ?? []).some((s) => s.columns.includes(term));
}
